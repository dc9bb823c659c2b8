"""Per creator and per brand views of resolved brand mentions (docs/brands.md definitions).

- ``creator_brands``: per brand a creator posted about: posts, sponsored posts, first and last
  date, and the posts themselves (id, date, sponsored, link).
- ``brand_summary``: per brand: creators, posts, sponsored posts, share of voice (its posts over
  the posts of every brand compared), engagement on its posts (median engagement rate by
  followers, mean likes and comments) and the disclosure compliance of its sponsored posts
  (compliant / checked sponsored posts per jurisdiction, with a Wilson interval).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creatorlens.content.safety._scores import wilson

__all__ = ["BRAND_SUMMARY_COLUMNS", "brand_creators", "brand_summary", "creator_brands"]

BRAND_SUMMARY_COLUMNS: tuple[str, ...] = (
    "brand", "source", "creators", "posts", "sponsored_posts", "share_of_voice", "sponsored_share_of_voice",
    "median_er", "mean_likes", "mean_comments", "first_post", "last_post",
)  # fmt: skip


def creator_brands(mentions: pd.DataFrame, links: pd.Series | None = None) -> list[dict[str, object]]:
    """One creator's brands (``mentions`` already of that creator), most posts first.
    ``links``: post_id -> URL of the post (missing posts have none; never made up)."""
    if mentions.empty:
        return []
    out: list[dict[str, object]] = []
    for brand, group in mentions.groupby("brand", sort=False):
        group = group.sort_values("posted_at", ascending=False)
        out.append(
            {
                "brand": str(brand),
                "source": str(group["source"].iloc[0]),
                "posts": len(group),
                "sponsored_posts": int(group["sponsored"].sum()),
                "first_post": _when(group["posted_at"].min()),
                "last_post": _when(group["posted_at"].max()),
                "items": [
                    {
                        "post_id": str(r.post_id),
                        "posted_at": _when(r.posted_at),
                        "sponsored": bool(r.sponsored),
                        "via": str(r.via),
                        "url": None if links is None else _link(links.get(r.post_id)),
                    }
                    for r in group.itertuples(index=False)
                ],
            }
        )
    out.sort(key=lambda b: (-int(b["sponsored_posts"]), -int(b["posts"]), str(b["brand"])))  # type: ignore[call-overload]
    return out


def _link(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _when(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return None if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")


def brand_summary(
    mentions: pd.DataFrame,
    posts: pd.DataFrame,
    verdicts: pd.DataFrame | None = None,
    jurisdictions: Sequence[str] = ("us", "kr", "uk"),
) -> pd.DataFrame:
    """One row per brand of ``mentions``. ``posts``: post_id, likes, comments, followers (the
    creator's); ``verdicts``: post_id, jurisdiction, sponsored, verdict (disclosure_verdicts).

    Share of voice is the brand's posts over all posts of the brands in ``mentions`` (a post
    naming two brands counts for each); the sponsored share the same over sponsored posts."""
    if mentions.empty:
        columns = [*BRAND_SUMMARY_COLUMNS, *_compliance_columns(jurisdictions)]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    joined = mentions.merge(posts, on="post_id", how="left")
    likes = _numbers(joined, "likes")
    comments = _numbers(joined, "comments")
    followers = _numbers(joined, "followers")
    joined["_er"] = (likes.fillna(0) + comments.fillna(0)).where(
        likes.notna() | comments.notna()
    ) / followers.where(followers > 0)
    joined["_likes"] = likes
    joined["_comments"] = comments
    grouped = joined.groupby("brand", sort=True)
    out = grouped.agg(
        source=("source", "min"),
        creators=("creator_id", "nunique"),
        posts=("post_id", "nunique"),
        sponsored_posts=("sponsored", "sum"),
        median_er=("_er", "median"),
        mean_likes=("_likes", "mean"),
        mean_comments=("_comments", "mean"),
        first_post=("posted_at", "min"),
        last_post=("posted_at", "max"),
    ).reset_index()
    total = out["posts"].sum()
    sponsored_total = out["sponsored_posts"].sum()
    out["share_of_voice"] = out["posts"] / total if total else np.nan
    out["sponsored_share_of_voice"] = out["sponsored_posts"] / sponsored_total if sponsored_total else np.nan
    out["sponsored_posts"] = out["sponsored_posts"].astype("int64")
    out["first_post"] = out["first_post"].map(_when)
    out["last_post"] = out["last_post"].map(_when)
    out = out[list(BRAND_SUMMARY_COLUMNS)]
    return out.merge(_compliance(mentions, verdicts, jurisdictions), on="brand", how="left")


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce")


def _compliance_columns(jurisdictions: Sequence[str]) -> list[str]:
    columns: list[str] = []
    for code in jurisdictions:
        columns += [
            f"checked_{code}",
            f"compliant_{code}",
            f"compliance_{code}",
            f"compliance_{code}_low",
            f"compliance_{code}_high",
        ]
    return columns


def _compliance(
    mentions: pd.DataFrame, verdicts: pd.DataFrame | None, jurisdictions: Sequence[str]
) -> pd.DataFrame:
    """Per brand and jurisdiction: its sponsored posts the disclosure check judged, how many of
    them were compliant, the share and its Wilson interval (null without judged posts)."""
    brands = pd.DataFrame({"brand": sorted(mentions["brand"].unique())})
    if verdicts is None or verdicts.empty:
        for column in _compliance_columns(jurisdictions):
            brands[column] = np.nan
        return brands
    sponsored = mentions.loc[mentions["sponsored"], ["post_id", "brand"]].drop_duplicates()
    judged = verdicts[verdicts["sponsored"].astype(bool)].merge(sponsored, on="post_id")
    for code in jurisdictions:
        part = judged[judged["jurisdiction"] == code]
        counts = part.groupby("brand").agg(
            checked=("post_id", "nunique"),
            compliant=("verdict", lambda v: int((v == "compliant").sum())),
        )
        counts = counts.reindex(brands["brand"]).fillna(0)
        n = counts["checked"].to_numpy(dtype=float)
        k = counts["compliant"].to_numpy(dtype=float)
        low, high = wilson(k, n)
        brands[f"checked_{code}"] = n.astype("int64")
        brands[f"compliant_{code}"] = k.astype("int64")
        brands[f"compliance_{code}"] = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
        brands[f"compliance_{code}_low"] = np.where(n > 0, low, np.nan)
        brands[f"compliance_{code}_high"] = np.where(n > 0, high, np.nan)
    return brands


def brand_creators(
    mentions: pd.DataFrame, people: pd.DataFrame, top: int = 10
) -> dict[str, list[dict[str, object]]]:
    """Per brand its ``top`` creators (``people``: creator_id, handle, platform, followers) with
    their posts about it, sponsored posts and last post date, most sponsored first."""
    joined = mentions.merge(people, on="creator_id", how="left")
    by_brand: dict[str, list[dict[str, object]]] = {}
    for brand_name, group in joined.groupby("brand"):
        counts = (
            group.groupby(["creator_id", "handle", "platform", "followers"], dropna=False)
            .agg(posts=("post_id", "nunique"), sponsored_posts=("sponsored", "sum"),
                 last_post=("posted_at", "max"))
            .reset_index()
            .sort_values(["sponsored_posts", "posts"], ascending=False)
            .head(top)
        )
        by_brand[str(brand_name)] = [
            {
                **{str(k): v for k, v in r.items()},
                "sponsored_posts": int(r["sponsored_posts"]),
                "last_post": str(r["last_post"])[:10],
            }
            for r in counts.drop(columns=["creator_id"]).to_dict("records")
        ]
    return by_brand
