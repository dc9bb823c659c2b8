"""Store step: build the planner's candidate frame from the workspace tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creatorlens.audience import Target, audience_fit, reachable_audience
from creatorlens.planner._brief import Brief
from creatorlens.planner._growth import GrowthPlan, growth_plan
from creatorlens.store import Store

_SCORECARD_COLUMNS = (
    "creator_id", "handle", "platform", "tier", "followers", "country", "categories",
    "er_followers_lc_median", "er_followers_lc_mean", "view_rate", "avg_views", "median_views",
)  # fmt: skip


def _optional(store: Store, name: str, columns: dict[str, tuple[str, ...]]) -> pd.DataFrame | None:
    """Columns of an optional capability table, renamed to the planner's names (first match)."""
    if not store.has_table(name):
        return None
    table = store.table(name)
    picks = {}
    for wanted, options in columns.items():
        for option in options:
            if option in table.columns:
                picks[wanted] = table[option]
                break
    if not picks:
        return None
    selected: pd.DataFrame = table.select(creator_id=table.creator_id, **picks).to_pandas()
    # transparency is written per creator and jurisdiction: keep the strictest (lowest) one
    result: pd.DataFrame = selected.groupby("creator_id", as_index=False).min(numeric_only=False)
    return result


def plan_candidates(store: Store, brief: Brief) -> pd.DataFrame:
    """One row per scored creator with fit and reachable target audience for ``brief.target``."""
    if not store.has_table("scorecard"):
        raise ValueError("the workspace has no scorecard yet; run `creatorlens score` first")
    sc = store.table("scorecard")
    frame = sc.select(*[c for c in _SCORECARD_COLUMNS if c in sc.columns]).to_pandas()
    creators = store.table("creators").select("creator_id", "language").to_pandas()
    frame = frame.merge(creators, on="creator_id", how="left")
    optional: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
        ("content_scores", {"main_niche": ("main_niche", "niche"), "expertise": ("expertise",)}),
        ("authenticity_scores", {"audience_quality": ("audience_quality",)}),
        ("transparency_scores", {"transparency": ("transparency", "transparency_us")}),
    )
    for name, columns in optional:
        extra = _optional(store, name, columns)
        if extra is not None:
            frame = frame.merge(extra, on="creator_id", how="left")
    # content and authenticity publish expertise and audience quality on 0-100
    # (docs/content.md, docs/authenticity.md); the planner's weights and brief minimums use 0-1
    for column in ("audience_quality", "expertise"):
        if column in frame and frame[column].max(skipna=True) > 1.0:
            frame[column] = frame[column].astype(float) / 100.0
    followers = frame["followers"].astype(float)
    median_views = frame.get("median_views", pd.Series(np.nan, index=frame.index)).astype(float)
    mean_views = frame.get("avg_views", pd.Series(np.nan, index=frame.index)).astype(float)
    mid = (median_views / followers).where(median_views > 0, frame.get("view_rate"))
    frame["view_rate"] = mid
    frame["view_rate_low"] = np.fmin(median_views, mean_views) / followers
    frame["view_rate_high"] = np.fmax(median_views, mean_views) / followers
    wanted = set(frame["creator_id"])
    audience = store.table("audience")
    audience = (
        audience.filter(audience.creator_id.isin(list(wanted)))
        if len(wanted) < 5000
        else (audience)
    )
    fit = audience_fit(brief.target, frame, audience.to_pandas())
    result: pd.DataFrame
    frame = frame.merge(fit, on="creator_id", how="left")
    rate = frame["view_rate"].fillna(0.0)
    frame["reachable"] = reachable_audience(followers, frame["fit"], rate)
    result = frame
    return result


def _creator_frame(store: Store, name: str, creator_id: str) -> pd.DataFrame | None:
    if not store.has_table(name):
        return None
    table = store.table(name)
    result: pd.DataFrame = table.filter(table.creator_id == creator_id).to_pandas()
    return result


def grow_from_store(
    store: Store,
    handle: str,
    target: Target,
    budget: float,
    *,
    platform: str | None = None,
    currency: str = "USD",
    usd_per_unit: float = 1.0,
) -> GrowthPlan:
    """Growth plan for one workspace creator: reads its scorecard row, audience, snapshots, posts,
    growth anomalies (when the authenticity step wrote them) and the other creators."""
    brief = Brief.build(
        budget=budget,
        target=target,
        currency=currency,
        usd_per_unit=None if currency == "USD" else usd_per_unit,
    )
    candidates = plan_candidates(store, brief)
    key = handle.strip().lstrip("@").lower()
    rows = candidates[candidates["handle"].astype(str).str.lower() == key]
    if platform:
        rows = rows[rows["platform"] == platform]
    if rows.empty:
        raise ValueError(
            f"no creator with handle {handle!r}" + (f" on {platform}" if platform else "")
        )
    creator = {str(k): v for k, v in rows.sort_values("followers", ascending=False).iloc[0].items()}
    cid = str(creator["creator_id"])
    return growth_plan(
        creator,
        target,
        budget,
        currency=currency,
        usd_per_unit=usd_per_unit,
        audience=_creator_frame(store, "audience", cid),
        snapshots=_creator_frame(store, "follower_snapshots", cid),
        posts=_creator_frame(store, "posts", cid),
        anomalies=_creator_frame(store, "growth_anomalies", cid),
        candidates=candidates,
    )
