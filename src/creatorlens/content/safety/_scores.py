"""Per post: the categories a post's own text matches, with the matched terms; per creator: the
share of flagged posts by category with a Wilson interval, and a safety score (docs/brands.md)."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from creatorlens.content.safety._lexicon import CATEGORIES
from creatorlens.content.safety._match import Hit, SafetyMatcher

__all__ = [
    "FLAG_COLUMNS",
    "post_texts",
    "safety_scores",
    "score_columns",
    "screen",
    "wilson",
]

#: One row per post x category x source ("post": the creator's own text; "comments": comments
#: by others on the post).
FLAG_COLUMNS: tuple[str, ...] = ("creator_id", "post_id", "source", "category", "terms")
#: The post fields whose text is the creator's own: read together as one text.
TEXT_FIELDS: tuple[str, ...] = ("caption", "title", "on_image_text", "transcript")
CONFIDENCE = 0.95


def post_texts(posts: pd.DataFrame) -> list[str]:
    """The creator's own text of each post: caption, title, text on the image, transcript."""
    present = [f for f in TEXT_FIELDS if f in posts.columns]
    if not present:
        return [""] * len(posts)
    parts = posts[present].astype(object).where(posts[present].notna(), "")
    return ["\n".join(str(v) for v in row if v) for row in parts.itertuples(index=False)]


def screen(posts: pd.DataFrame, matcher: SafetyMatcher, comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """``FLAG_COLUMNS`` rows for ``posts`` (post_id, creator_id and TEXT_FIELDS) and, when given,
    ``comments`` (post_id, text: other people's comments on them)."""
    rows: list[tuple[str, str, str, str, str]] = []
    owners = dict(zip(posts["post_id"], posts["creator_id"], strict=True))
    for post_id, text in zip(posts["post_id"], post_texts(posts), strict=True):
        _add(rows, str(owners[post_id]), str(post_id), "post", matcher.scan(text))
    if comments is not None and not comments.empty:
        joined = comments[comments["post_id"].isin(owners)]
        texts = joined.groupby("post_id")["text"].agg(lambda s: "\n".join(str(t) for t in s if t))
        for post_id, text in texts.items():
            _add(rows, str(owners[post_id]), str(post_id), "comments", matcher.scan(text))
    return pd.DataFrame(rows, columns=list(FLAG_COLUMNS))


def _add(
    rows: list[tuple[str, str, str, str, str]], creator: str, post: str, source: str, hits: Sequence[Hit]
) -> None:
    by_category: dict[str, list[str]] = {}
    for hit in hits:
        surfaces = by_category.setdefault(hit.category, [])
        surface = hit.surface.lower()
        if surface not in surfaces:
            surfaces.append(surface)
    for category, surfaces in by_category.items():
        rows.append((creator, post, source, category, "; ".join(surfaces)))


def wilson(count: np.ndarray, n: np.ndarray, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of count / n, element-wise; (0, 1) where n == 0."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    count = count.astype(float)
    n = n.astype(float)
    safe = np.where(n > 0, n, 1.0)
    p = count / safe
    denominator = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denominator
    half = z * np.sqrt(p * (1 - p) / safe + z * z / (4 * safe * safe)) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    # exact ends: no flagged post has a lower bound of 0, all flagged an upper bound of 1
    low = np.where(count == 0, 0.0, low)
    high = np.where((n > 0) & (count == n), 1.0, high)
    return low, high


def score_columns(categories: Sequence[str] = CATEGORIES) -> list[str]:
    columns = ["creator_id", "posts_checked", "flagged_posts", "flagged_share", "flagged_low", "flagged_high"]
    for category in categories:
        columns += [f"{category}_posts", f"{category}_share", f"{category}_low", f"{category}_high"]
    columns += ["comment_posts_checked", "comment_flagged_posts", "safety_score", "safety_score_low",
                "safety_score_high", "top_category"]  # fmt: skip
    return columns


def safety_scores(
    flags: pd.DataFrame,
    posts_checked: pd.Series,
    comment_posts_checked: pd.Series | None = None,
    categories: Sequence[str] = CATEGORIES,
) -> pd.DataFrame:
    """One row per creator of ``posts_checked`` (creator_id -> posts screened): flagged posts,
    share and interval per category and over all categories, and the safety score.

    The score is 100 x (1 - share of the creator's posts flagged in any category): 100 is a feed
    with no flagged post; its interval maps the share's Wilson interval. Comments by others do
    not lower the score (a creator does not write them); their counts stand beside it."""
    ids = posts_checked.index.astype(str)
    n = posts_checked.to_numpy(dtype=float)
    own = flags[flags["source"] == "post"] if not flags.empty else flags
    out: dict[str, object] = {"creator_id": list(ids), "posts_checked": n.astype("int64")}
    any_flag = own.groupby("creator_id")["post_id"].nunique() if not own.empty else pd.Series(dtype="int64")
    flagged = any_flag.reindex(ids).fillna(0).to_numpy(dtype=float)
    low, high = wilson(flagged, n)
    share = np.where(n > 0, flagged / np.where(n > 0, n, 1.0), np.nan)
    out.update(flagged_posts=flagged.astype("int64"), flagged_share=share, flagged_low=low, flagged_high=high)
    counts = pd.DataFrame(index=ids)
    if not own.empty:
        counts = own.groupby(["creator_id", "category"])["post_id"].nunique().unstack(fill_value=0)
    best = np.zeros(len(ids))
    top = np.full(len(ids), None, dtype=object)
    for category in categories:
        k = (
            counts[category].reindex(ids).fillna(0).to_numpy(dtype=float)
            if category in counts
            else np.zeros(len(ids))
        )
        c_low, c_high = wilson(k, n)
        out[f"{category}_posts"] = k.astype("int64")
        out[f"{category}_share"] = np.where(n > 0, k / np.where(n > 0, n, 1.0), np.nan)
        out[f"{category}_low"] = c_low
        out[f"{category}_high"] = c_high
        top = np.where(k > best, category, top)
        best = np.maximum(best, k)
    commented = (
        comment_posts_checked.reindex(ids).fillna(0).to_numpy(dtype="int64")
        if comment_posts_checked is not None
        else np.zeros(len(ids), dtype="int64")
    )
    theirs = flags[flags["source"] == "comments"] if not flags.empty else flags
    c_flagged = (
        theirs.groupby("creator_id")["post_id"].nunique() if not theirs.empty else pd.Series(dtype="int64")
    )
    out["comment_posts_checked"] = commented
    out["comment_flagged_posts"] = c_flagged.reindex(ids).fillna(0).to_numpy(dtype="int64")
    out["safety_score"] = np.where(n > 0, 100 * (1 - share), np.nan)
    out["safety_score_low"] = np.where(n > 0, 100 * (1 - high), np.nan)
    out["safety_score_high"] = np.where(n > 0, 100 * (1 - low), np.nan)
    out["top_category"] = top
    return pd.DataFrame(out)[score_columns(categories)]
