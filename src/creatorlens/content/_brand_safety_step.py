"""Store steps: brand-mention candidates (``brand_candidates``) and brand safety
(``safety_flags``, ``safety_scores``); docs/brands.md.

They read posts, comments, creators and the disclosure verdicts through the store and call the
pure packages ``content.brands`` and ``content.safety``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from creatorlens.content._post_inputs import input_hashes_sql, post_comments
from creatorlens.content.brands import CANDIDATE_COLUMNS, BrandBook, brand_accounts, candidates, resolve
from creatorlens.content.safety import SafetyMatcher, default_lexicon, safety_scores, screen

if TYPE_CHECKING:
    from creatorlens.store import Store

__all__ = ["brand_account_ids", "brand_candidates_of", "score_brands", "score_safety", "screen_store"]

_POST_COLUMNS = ("post_id", "creator_id", "posted_at", "caption", "mentions", "hashtags", "is_paid", "extra")
_TEXT_COLUMNS = ("post_id", "creator_id", "caption", "title", "on_image_text", "transcript")
_RULE_MODULES = ("creatorlens.content.safety", "creatorlens.content._fold")


def _posts(
    store: Store,
    columns: tuple[str, ...],
    creator_ids: list[str] | None = None,
    post_ids: list[str] | None = None,
) -> pd.DataFrame:
    table = store.table("posts")
    if creator_ids is not None:
        table = table.filter(table.creator_id.isin(creator_ids))
    if post_ids is not None:
        table = table.filter(table.post_id.isin(post_ids))
    present = [c for c in columns if c in table.columns]
    frame: pd.DataFrame = table.select(*present).order_by("post_id").to_pandas()
    return frame


def _verdicts(store: Store, creator_ids: list[str] | None = None) -> pd.DataFrame | None:
    if not store.has_table("disclosure_verdicts"):
        return None
    v = store.table("disclosure_verdicts")
    # the sponsorship finding is the same in every jurisdiction: read one
    first = v.select("jurisdiction").limit(1).to_pandas()
    if first.empty:
        return None
    v = v.filter(v.jurisdiction == str(first["jurisdiction"].iloc[0]))
    if creator_ids is not None:
        v = v.filter(v.creator_id.isin(creator_ids))
    frame: pd.DataFrame = v.select("post_id", "sponsored", "sponsored_evidence").to_pandas()
    return frame


def brand_candidates_of(store: Store, creator_ids: list[str] | None = None) -> pd.DataFrame:
    posts = _posts(store, _POST_COLUMNS, creator_ids)
    creators = store.table("creators").select("creator_id", "handle").to_pandas()
    handles = pd.Series(creators["handle"].to_numpy(), index=creators["creator_id"].to_numpy())
    return candidates(posts, handles, _verdicts(store, creator_ids))


def score_brands(store: Store) -> None:
    """Write ``brand_candidates`` (resolved to brands when read, with the user's brand file)."""
    from creatorlens.store._schema import BRAND_CANDIDATES

    frame = brand_candidates_of(store)
    frame["posted_at"] = pd.to_datetime(frame["posted_at"])
    schema = BRAND_CANDIDATES.arrow_schema()
    store.replace_table(
        "brand_candidates",
        pa.Table.from_pandas(frame[list(schema.names)], preserve_index=False, schema=schema),
    )


def _comments(
    store: Store, creator_ids: list[str] | None = None, post_ids: list[str] | None = None
) -> pd.DataFrame | None:
    """Comments by other people on the posts (the creator's own are part of its text)."""
    return post_comments(store, own=False, creator_ids=creator_ids, post_ids=post_ids)


def screen_store(
    store: Store, matcher: SafetyMatcher, creator_ids: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(flags, scores) of the creators' posts (every creator when ``creator_ids`` is None)."""
    posts = _posts(store, _TEXT_COLUMNS, creator_ids)
    comments = _comments(store, creator_ids)
    flags = screen(posts, matcher, comments)
    checked = posts.groupby("creator_id")["post_id"].nunique()
    commented = None
    if comments is not None and not comments.empty:
        owners = posts[["post_id", "creator_id"]]
        commented = comments.merge(owners, on="post_id").groupby("creator_id")["post_id"].nunique()
    categories = matcher.lexicon.categories
    return flags, safety_scores(flags, checked, commented, categories)


def score_safety(store: Store, *, incremental: bool = False) -> None:
    """Screen every post (and the comments on it) and write ``safety_flags`` and ``safety_scores``.

    ``incremental``: screen only the posts whose text, comments by others or lexicons changed
    since the published run, keep the other posts' flags, and recompute the scores only of the
    creators of changed or removed posts (store/_incremental.py)."""
    from creatorlens.store._incremental import merge_post_rows, post_delta
    from creatorlens.store._schema import SAFETY_FLAGS, SAFETY_SCORES

    matcher = SafetyMatcher(default_lexicon())
    delta = post_delta(
        store, "safety", _safety_hashes(store), ("safety_flags", "safety_scores"), full=not incremental
    )
    if not delta.previous:
        flags, scores = screen_store(store, matcher)
        for spec, frame in ((SAFETY_FLAGS, flags), (SAFETY_SCORES, scores)):
            store.replace_table(spec.name, _arrow(frame, spec.arrow_schema()))
    else:
        changed = store.arrow(delta.changed_ids_sql()).column("post_id").to_pylist()
        posts = _posts(store, _TEXT_COLUMNS, post_ids=changed)
        comments = _comments(store, post_ids=changed)
        flags = screen(posts, matcher, comments)
        merge_post_rows(store, "safety_flags", _arrow(flags, SAFETY_FLAGS.arrow_schema()), delta)
        touched = store.arrow(f"SELECT creator_id FROM {delta.touched}").column(0).to_pylist()
        flags = store.arrow(
            f"SELECT * FROM {store.sql_name('safety_flags')} "
            f"WHERE creator_id IN (SELECT creator_id FROM {delta.touched})"
        ).to_pandas()
        owners = _posts(store, ("post_id", "creator_id"), touched)
        checked = owners.groupby("creator_id")["post_id"].nunique()
        commented = None
        others = _comments(store, touched)
        if others is not None and not others.empty:
            commented = others.merge(owners, on="post_id").groupby("creator_id")["post_id"].nunique()
        scores = safety_scores(flags, checked, commented, matcher.lexicon.categories)
        merge_post_rows(
            store, "safety_scores", _arrow(scores, SAFETY_SCORES.arrow_schema()), delta, key="creator_id"
        )
    store.replace_sql("safety_inputs", f"SELECT post_id, creator_id, input_hash FROM {delta.table}")


def _arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pandas(frame[list(schema.names)], preserve_index=False, schema=schema)


def _safety_hashes(store: Store) -> str:
    """post_id, creator_id, input_hash: the post's text fields and the comments by others on it,
    with the lexicons and the matcher's code (its Latin folding table included)
    (store/_incremental.py)."""
    columns = [c for c in _TEXT_COLUMNS if c != "post_id"]
    return input_hashes_sql(store, columns, own_comments=False, data_dir="safety/", modules=_RULE_MODULES)


# -- reading: brands resolved with the user's brand book (docs/brands.md) ------------------------
_LINK_FIELDS = ("post_url", "permalink", "share_url", "webvideourl", "url", "link")
_TIKTOK_ID = re.compile(r"^\d{15,20}$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def stored_candidates(store: Store, creator_ids: list[str] | None = None) -> pd.DataFrame:
    """The stored ``brand_candidates`` (computed now when the step has not run). Read as plain
    SQL, not through Ibis: a creator's page (`creatorlens show`) reads it on every call."""
    if not store.has_table("brand_candidates"):
        return brand_candidates_of(store, creator_ids)
    sql = f"SELECT * FROM {store.sql_name('brand_candidates')}"
    params: list[object] = []
    if creator_ids is not None:
        sql += " WHERE creator_id IN (SELECT unnest(?::VARCHAR[]))"
        params = [list(creator_ids)]
    frame: pd.DataFrame = store.arrow(sql, params).to_pandas()
    return frame


def brand_account_ids(store: Store) -> set[str]:
    """Node ids (``platform:handle``, as ``creator_id`` builds them) of the accounts the data
    shows are brands: a paid partner, named in disclosure evidence, or mentioned in sponsored
    posts of two creators or more (docs/brands.md). The graph step leaves mentions of them out
    of the community graph (docs/communities.md "Brand mentions")."""
    found = stored_candidates(store)
    if found.empty:
        return set()
    platforms = found["creator_id"].astype(str).str.partition(":")[0]
    tokens = found["token"].astype(str)
    brands = brand_accounts(found)
    keep = tokens.isin(list(brands)).to_numpy()
    return {f"{p}:{t}" for p, t in zip(platforms[keep], tokens[keep], strict=True)}


def book_hashtag_candidates(
    store: Store, book: BrandBook, creator_ids: list[str] | None = None
) -> pd.DataFrame:
    """Candidates for the book's hashtags, read from the posts (the stored candidates hold only
    hashtags that name a mentioned account)."""
    tags = sorted(book.by_hashtag)
    if not tags:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    p = store.table("posts")
    if creator_ids is not None:
        p = p.filter(p.creator_id.isin(creator_ids))
    pattern = "(^| )(" + "|".join(re.escape(t) for t in tags) + ")( |$)"
    p = p.filter(p.hashtags.lower().re_search(pattern))
    frame = p.select("creator_id", "post_id", "posted_at", "hashtags", "is_paid").to_pandas()
    rows = []
    wanted = set(tags)
    for r in frame.itertuples(index=False):
        for tag in dict.fromkeys(str(r.hashtags).lower().split()):
            if tag in wanted:
                rows.append((r.creator_id, r.post_id, r.posted_at, tag, "hashtag", r.is_paid is True))
    return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))


def resolved_mentions(
    store: Store, book: BrandBook | None = None, creator_ids: list[str] | None = None
) -> pd.DataFrame:
    """Brand mentions (``MENTION_COLUMNS``) of the workspace or of some creators. Brands the data
    shows are found over the whole workspace, so a creator's page agrees with the brand pages."""
    book = book or BrandBook()
    found = stored_candidates(store)
    # Book hashtags never decide which accounts are brands (``resolve`` uses accounts only), so
    # for some creators only their posts need the hashtag scan.
    extra = book_hashtag_candidates(store, book, creator_ids)
    return resolve(found, book, book_hashtags=extra, creator_ids=creator_ids)


def post_links(store: Store, post_ids: list[str]) -> pd.Series:
    """post_id -> the post's URL: a URL field of the source, else the platform's documented
    address built from the post id (TikTok ``/@handle/video/<id>``, YouTube ``watch?v=<id>``);
    none when neither is known (an Instagram post without its permalink)."""
    if not post_ids:
        return pd.Series(dtype=object)
    rows = store.rows(
        "SELECT p.post_id, p.platform, p.platform_post_id, c.handle, p.extra "
        f"FROM {store.sql_name('posts')} AS p JOIN {store.sql_name('creators')} AS c "
        "ON p.creator_id = c.creator_id WHERE p.post_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(post_ids)],
    )
    links: dict[str, str | None] = {}
    for r in rows:
        links[str(r["post_id"])] = _link_of(
            r["platform"], str(r["platform_post_id"] or ""), str(r["handle"]), r["extra"]
        )
    return pd.Series(links, dtype=object)


def _link_of(platform: str, post_id: str, handle: str, extra: object) -> str | None:
    if isinstance(extra, str) and extra.startswith("{"):
        try:
            doc = json.loads(extra)
        except ValueError:
            doc = {}
        if isinstance(doc, dict):
            lowered = {str(k).lower(): v for k, v in doc.items()}
            for name in _LINK_FIELDS:
                value = lowered.get(name)
                if isinstance(value, str) and value.startswith("https://") and "cdn" not in value:
                    return value
    if platform == "tiktok" and _TIKTOK_ID.match(post_id):
        return f"https://www.tiktok.com/@{handle}/video/{post_id}"
    if platform == "youtube" and _YOUTUBE_ID.match(post_id):
        return f"https://www.youtube.com/watch?v={post_id}"
    return None


def brand_posts_frame(store: Store, post_ids: list[str]) -> pd.DataFrame:
    """post_id, likes, comments, followers (the creator's) of the posts."""
    p = store.table("posts")
    c = store.table("creators").select("creator_id", "followers")
    q = p.filter(p.post_id.isin(post_ids)).join(c, "creator_id")
    frame: pd.DataFrame = q.select("post_id", "likes", "comments", "followers").to_pandas()
    return frame


def brand_verdicts(store: Store, post_ids: list[str]) -> pd.DataFrame | None:
    if not store.has_table("disclosure_verdicts"):
        return None
    v = store.table("disclosure_verdicts")
    q = v.filter(v.post_id.isin(post_ids)).select("post_id", "jurisdiction", "sponsored", "verdict")
    frame: pd.DataFrame = q.to_pandas()
    return frame
