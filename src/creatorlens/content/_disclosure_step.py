"""Store step: disclosure verdicts per post and transparency per creator.

Reads posts (and the creators' own comments) through the store, calls the pure checker of
``content.disclosure`` and writes two derived tables (docs/disclosure.md):

- ``disclosure_verdicts``: one row per post x jurisdiction (``VERDICT_COLUMNS`` + creator_id)
- ``transparency_scores``: one row per creator: creator_id, posts_checked, sponsored_posts,
  compliant_posts_us/kr/uk, transparency_us/kr/uk (compliant / sponsored; null without sponsored
  posts)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from creatorlens.content._post_inputs import input_hashes_sql, post_comments
from creatorlens.content.disclosure import (
    POST_FIELDS,
    VERDICT_COLUMNS,
    check_disclosure,
    transparency_scores,
)

if TYPE_CHECKING:
    from creatorlens.store import Store

__all__ = ["DisclosureAudit", "audit_disclosure", "score_disclosure", "transparency_wide"]

DEFAULT_JURISDICTIONS: tuple[str, ...] = ("us", "kr", "uk")
#: Posts checked per batch, so memory stays flat on large workspaces.
BATCH_POSTS = 100_000
_POST_COLUMNS = ("post_id", "creator_id", *[f for f in POST_FIELDS if f != "comments_text"])


@dataclass
class DisclosureAudit:
    """Verdicts (one row per post x jurisdiction) and transparency (one row per creator x
    jurisdiction) of an audit."""

    verdicts: pd.DataFrame
    transparency: pd.DataFrame
    jurisdictions: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "jurisdictions": list(self.jurisdictions),
            "transparency": self.transparency.replace({np.nan: None}).to_dict("records"),
            "verdicts": self.verdicts.replace({np.nan: None}).to_dict("records"),
        }


def transparency_wide(long: pd.DataFrame, jurisdictions: Sequence[str]) -> pd.DataFrame:
    """Pivot ``transparency_scores`` output to one row per creator (the stored table's shape)."""
    columns = ["creator_id", "posts_checked", "sponsored_posts"]
    for code in jurisdictions:
        columns += [f"compliant_posts_{code}", f"transparency_{code}"]
    if long.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in columns})
    base = long.groupby("creator_id", as_index=False).agg(
        posts_checked=("posts_checked", "max"), sponsored_posts=("sponsored_posts", "max")
    )
    for code in jurisdictions:
        part = long[long["jurisdiction"] == code][["creator_id", "compliant_posts", "transparency"]]
        part = part.rename(
            columns={
                "compliant_posts": f"compliant_posts_{code}",
                "transparency": f"transparency_{code}",
            }
        )
        base = base.merge(part, on="creator_id", how="left")
    for column in columns:
        if column.startswith(("posts_checked", "sponsored_posts", "compliant_posts")):
            base[column] = base[column].fillna(0).astype("int64")
    return base[columns]


def _dtype(column: str) -> str:
    if column == "creator_id":
        return "object"
    return "float64" if column.startswith("transparency") else "int64"


def _own_comments(
    store: Store, creator_ids: Sequence[str] | None = None, post_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """The creator's own comments per post, joined by newline (comments by other people never
    count as the creator's disclosure)."""
    frame = post_comments(store, own=True, creator_ids=creator_ids, post_ids=post_ids)
    if frame is None or frame.empty:
        return pd.DataFrame({"post_id": [], "comments_text": []})
    frame["text"] = frame["text"].fillna("").astype(str)
    # as_index=False: a frame (post_id, text), which pandas-stubs types as a Series
    grouped = cast(pd.DataFrame, frame.groupby("post_id", as_index=False)["text"].agg("\n".join))
    return grouped.rename(columns={"text": "comments_text"})


def _posts(
    store: Store, creator_ids: Sequence[str] | None = None, post_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    table = store.table("posts")
    if creator_ids is not None:
        table = table.filter(table.creator_id.isin(list(creator_ids)))
    if post_ids is not None:
        table = table.filter(table.post_id.isin(list(post_ids)))
    present = [c for c in _POST_COLUMNS if c in table.columns]
    frame: pd.DataFrame = table.select(*present).order_by("post_id").to_pandas()
    return frame


def _verdicts_for(
    posts: pd.DataFrame, comments: pd.DataFrame, codes: Sequence[str]
) -> pd.DataFrame:
    if not comments.empty:
        posts = posts.merge(comments, on="post_id", how="left")
    verdicts = check_disclosure(posts, codes)
    owners = posts[["post_id", "creator_id"]]
    verdicts = verdicts.merge(owners, on="post_id", how="left")
    return verdicts[["creator_id", *VERDICT_COLUMNS]]


def audit_disclosure(
    store: Store,
    creator_id: str | None = None,
    jurisdictions: Sequence[str] = DEFAULT_JURISDICTIONS,
) -> DisclosureAudit:
    """Disclosure audit of one creator (checked now) or of the whole workspace (read from the
    stored tables when ``score_disclosure`` has run, checked now otherwise)."""
    codes = tuple(jurisdictions) or DEFAULT_JURISDICTIONS
    if creator_id is None and store.has_table("disclosure_verdicts"):
        stored = store.table("disclosure_verdicts")
        verdicts = stored.filter(stored.jurisdiction.isin(list(codes))).to_pandas()
        posts = verdicts[["post_id", "creator_id"]].drop_duplicates("post_id")
    else:
        ids = None if creator_id is None else [creator_id]
        posts = _posts(store, ids)
        verdicts = _verdicts_for(posts, _own_comments(store, ids), codes)
    return DisclosureAudit(verdicts, transparency_scores(verdicts, posts), codes)


def score_disclosure(
    store: Store,
    jurisdictions: Sequence[str] = DEFAULT_JURISDICTIONS,
    *,
    incremental: bool = False,
) -> None:
    """Check every post and write ``disclosure_verdicts`` and ``transparency_scores``.

    ``incremental``: check only the posts whose fields, own comments or rules changed since the
    published run, keep the other posts' verdicts, and recompute transparency only for the
    creators of changed (or removed) posts (store/_incremental.py)."""
    codes = tuple(jurisdictions)
    if not store.has_table("posts"):
        _score_disclosure_all(store, codes)
        return
    from creatorlens.store._incremental import merge_post_rows, post_delta

    delta = post_delta(
        store, "disclosure", _hashes_sql(store, codes),
        ("disclosure_verdicts", "transparency_scores"),
        full=not incremental,
    )
    if not delta.previous:
        _score_disclosure_all(store, codes)
    else:
        changed = store.arrow(delta.changed_ids_sql()).column("post_id").to_pylist()
        posts = _posts(store, post_ids=changed)
        verdicts = _verdicts_for(posts, _own_comments(store, post_ids=changed), codes)
        merge_post_rows(
            store,
            "disclosure_verdicts",
            pa.Table.from_pandas(verdicts, preserve_index=False, schema=_VERDICT_SCHEMA),
            delta,
        )
        # transparency of the touched creators, from their (new and kept) verdicts
        stored = store.arrow(
            f"SELECT * FROM {store.sql_name('disclosure_verdicts')} "
            f"WHERE creator_id IN (SELECT creator_id FROM {delta.touched})"
        ).to_pandas()
        long = transparency_scores(stored, stored[["post_id", "creator_id"]])
        merge_post_rows(
            store, "transparency_scores", _transparency_table(long, codes), delta, key="creator_id"
        )
    store.replace_sql(
        "disclosure_inputs", f"SELECT post_id, creator_id, input_hash FROM {delta.table}"
    )


#: What a post's verdicts depend on besides its fields and own comments: the rule and lexicon
#: files and the checker's code (store/_incremental.py).
_RULE_MODULES = ("creatorlens.content.disclosure",)


def _hashes_sql(store: Store, codes: Sequence[str]) -> str:
    return input_hashes_sql(
        store, _POST_COLUMNS, own_comments=True, data_dir="disclosure/", modules=_RULE_MODULES, extra=codes
    )


def _score_disclosure_all(store: Store, codes: tuple[str, ...]) -> None:
    posts = _posts(store)
    comments = _own_comments(store)
    parts: list[pa.Table] = []
    longs: list[pd.DataFrame] = []
    for start in range(0, max(len(posts), 1), BATCH_POSTS):
        batch = posts.iloc[start : start + BATCH_POSTS]
        verdicts = _verdicts_for(batch, comments, codes)
        longs.append(transparency_scores(verdicts, batch))
        parts.append(pa.Table.from_pandas(verdicts, preserve_index=False, schema=_VERDICT_SCHEMA))
    store.replace_table("disclosure_verdicts", pa.concat_tables(parts))
    long = pd.concat(longs, ignore_index=True) if longs else pd.DataFrame()
    store.replace_table("transparency_scores", _transparency_table(long, codes))


def _transparency_table(long: pd.DataFrame, codes: tuple[str, ...]) -> pa.Table:
    if not long.empty:
        # a creator's posts may span batches: add the counts, then recompute the share
        long = long.groupby(["creator_id", "jurisdiction"], as_index=False)[
            ["posts_checked", "sponsored_posts", "compliant_posts"]
        ].sum()
        sponsored = long["sponsored_posts"].astype(float)
        long["transparency"] = np.where(
            sponsored > 0, long["compliant_posts"] / sponsored.where(sponsored > 0, 1.0), np.nan
        )
    wide = transparency_wide(long, codes)
    # An explicit schema: a workspace without posts gives an empty frame, whose object column
    # would otherwise become an untyped (integer) creator_id that no join can compare.
    schema = pa.schema([(c, _ARROW_TYPES[_dtype(c)]) for c in wide.columns])
    return pa.Table.from_pandas(wide, preserve_index=False, schema=schema)


_ARROW_TYPES = {"object": pa.string(), "float64": pa.float64(), "int64": pa.int64()}


_VERDICT_SCHEMA = pa.schema(
    [("creator_id", pa.string())]
    + [(c, pa.bool_() if c == "sponsored" else pa.string()) for c in VERDICT_COLUMNS]
)
