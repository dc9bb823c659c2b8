"""What the content steps read about a post besides its own fields, and the hash of it all.

The disclosure step reads the comments by a post's own creator (they can carry the disclosure),
brand safety the comments by everyone else; an author is the creator when the handles match,
``@`` and case aside. An incremental run compares each post's input hash with the published
run's (store/_incremental.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

    from creatorlens.store import Store


def comments_expr(store: Store, *, own: bool) -> ir.Table:
    """The comments on the posts with the post's creator_id and handle: those the creator wrote
    (``own``) or those by other people."""
    comments = store.table("comments")
    posts = store.table("posts").select("post_id", "creator_id")
    creators = store.table("creators").select("creator_id", "handle")
    joined = comments.join(posts, "post_id").join(creators, "creator_id")
    author = joined.author.lower().lstrip().replace("@", "")
    handle = joined.handle.lower().replace("@", "")
    return joined.filter(author == handle if own else author != handle)


def post_comments(
    store: Store,
    *,
    own: bool,
    creator_ids: Sequence[str] | None = None,
    post_ids: Sequence[str] | None = None,
) -> pd.DataFrame | None:
    """post_id, text of the comments of ``comments_expr`` (None without a comments table), on the
    posts of ``creator_ids`` and ``post_ids`` where given."""
    if not store.has_table("comments"):
        return None
    joined = comments_expr(store, own=own)
    if creator_ids is not None:
        joined = joined.filter(joined.creator_id.isin(list(creator_ids)))
    if post_ids is not None:
        joined = joined.filter(joined.post_id.isin(list(post_ids)))
    # in one order, so that a post's comments are listed the same way every run
    frame: pd.DataFrame = (
        joined.order_by("post_id", "comment_id", "text").select("post_id", "text").to_pandas()
    )
    return frame


def input_hashes_sql(
    store: Store,
    columns: Sequence[str],
    *,
    own_comments: bool,
    data_dir: str,
    modules: Sequence[str],
    extra: Sequence[str] = (),
) -> str:
    """SQL for post_id, creator_id, input_hash: MD5 over the post's ``columns`` (those the posts
    table has), the text of its comments (``comments_expr``; NULL without a comments table) and
    the rules' digest: the data files under ``data_dir``, the ``modules``' code and ``extra``."""
    from creatorlens.data import data_files
    from creatorlens.store._incremental import rules_digest, sql_part

    files = [f for f in data_files() if f.startswith(data_dir)]
    digest = rules_digest(files, modules, extra)
    present = set(store.table("posts").columns)
    parts = [f"p.{c}" for c in columns if c in present]
    comments, join = "NULL", ""
    if store.has_table("comments"):
        sql = str(store.ibis.compile(comments_expr(store, own=own_comments).select("post_id", "text")))
        join = (
            f"LEFT JOIN (SELECT post_id, md5(string_agg(coalesce(text, ''), chr(30) ORDER BY "
            f"coalesce(text, ''))) AS comments_md5 FROM ({sql}) AS o GROUP BY post_id) AS oc "
            "ON oc.post_id = p.post_id"
        )
        comments = "oc.comments_md5"
    hashed = ", ".join(sql_part(c) for c in [*parts, comments])
    return (
        f"SELECT p.post_id, p.creator_id, md5(concat_ws(chr(31), {hashed}, '{digest}')) "
        f"AS input_hash FROM {store.sql_name('posts')} p {join}"
    )
