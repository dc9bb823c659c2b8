"""Store steps: brand-mention candidates (``brand_candidates``) and brand safety
(``safety_flags``, ``safety_scores``); docs/brands.md.

They read posts, comments, creators and the disclosure verdicts through the store and call the
pure packages ``content.brands`` and ``content.safety``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from creatorlens.content.brands import candidates
from creatorlens.content.safety import SafetyMatcher, default_lexicon, safety_scores, screen

if TYPE_CHECKING:
    from creatorlens.store import Store

__all__ = ["brand_candidates_of", "score_brands", "score_safety", "screen_store"]

_POST_COLUMNS = ("post_id", "creator_id", "posted_at", "caption", "mentions", "hashtags", "is_paid", "extra")
_TEXT_COLUMNS = ("post_id", "creator_id", "caption", "title", "on_image_text", "transcript")


def _posts(store: Store, columns: tuple[str, ...], creator_ids: list[str] | None = None) -> pd.DataFrame:
    table = store.table("posts")
    if creator_ids is not None:
        table = table.filter(table.creator_id.isin(creator_ids))
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


def _comments(store: Store, creator_ids: list[str] | None = None) -> pd.DataFrame | None:
    """Comments by other people on the posts (the creator's own are part of its text)."""
    if not store.has_table("comments"):
        return None
    comments = store.table("comments")
    posts = store.table("posts").select("post_id", "creator_id")
    creators = store.table("creators").select("creator_id", "handle")
    joined = comments.join(posts, "post_id").join(creators, "creator_id")
    joined = joined.filter(
        joined.author.lower().lstrip().replace("@", "") != joined.handle.lower().replace("@", "")
    )
    if creator_ids is not None:
        joined = joined.filter(joined.creator_id.isin(creator_ids))
    frame: pd.DataFrame = joined.select("post_id", "text").to_pandas()
    return frame


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


def score_safety(store: Store) -> None:
    """Screen every post (and the comments on it) and write ``safety_flags`` and ``safety_scores``."""
    from creatorlens.store._schema import SAFETY_FLAGS, SAFETY_SCORES

    flags, scores = screen_store(store, SafetyMatcher(default_lexicon()))
    for spec, frame in ((SAFETY_FLAGS, flags), (SAFETY_SCORES, scores)):
        schema = spec.arrow_schema()
        store.replace_table(
            spec.name, pa.Table.from_pandas(frame[list(schema.names)], preserve_index=False, schema=schema)
        )
