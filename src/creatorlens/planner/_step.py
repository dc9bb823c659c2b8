"""Store step: build the planner's candidate frame from the workspace tables."""

from __future__ import annotations

import pandas as pd

from creatorlens.audience import Target, audience_fit, reachable_audience
from creatorlens.errors import NotFoundError, PlanError
from creatorlens.planner._brief import Brief
from creatorlens.planner._growth import GrowthPlan, growth_plan
from creatorlens.planner._outcomes import add_view_rates
from creatorlens.store import Store

_SCORECARD_COLUMNS = (
    "creator_id", "handle", "platform", "tier", "followers", "country", "categories",
    "er_followers_lc_median", "er_followers_lc_mean", "view_rate", "avg_views", "median_views",
    "n_posts", "eng_lc_log_mean", "eng_lc_log_sd", "n_posts_with_views", "views_log_mean",
    "views_log_sd", "er_rankable",
)  # fmt: skip


def _columns(store: Store, name: str) -> list[str]:
    if not store.has_table(name):
        return []
    return [str(d[0]) for d in store.raw.execute(f'SELECT * FROM "{name}" LIMIT 0').description]


def _frame(store: Store, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """Plain SQL through the workspace's DuckDB connection (the planner's hot path: compiling
    the same selects through ibis cost more than running them)."""
    result: pd.DataFrame = store.raw.execute(sql, params or []).df()
    return result


def _optional(store: Store, name: str, columns: dict[str, tuple[str, ...]]) -> pd.DataFrame | None:
    """Columns of an optional capability table, renamed to the planner's names (first match)."""
    present = _columns(store, name)
    picks = {}
    for wanted, options in columns.items():
        for option in options:
            if option in present:
                picks[wanted] = option
                break
    if not picks:
        return None
    # transparency is written per creator and jurisdiction: keep the strictest (lowest) one
    select = ", ".join(f'min("{col}") AS "{wanted}"' for wanted, col in picks.items())
    return _frame(store, f'SELECT creator_id, {select} FROM "{name}" GROUP BY creator_id')


_TARGET_DIMENSIONS = {
    "ages": ("age", "age_gender"),
    "genders": ("gender", "age_gender"),
    "countries": ("country",),
    "cities": ("city",),
    "languages": ("language",),
    "interests": ("interest",),
}


def plan_candidates(store: Store, brief: Brief) -> pd.DataFrame:
    """One row per scored creator with fit and reachable target audience for ``brief.target``."""
    if not store.has_table("scorecard"):
        raise PlanError("the workspace has no scorecard yet; run `creatorlens score` first")
    present = set(_columns(store, "scorecard"))
    wanted_cols = ", ".join(f'"{c}"' for c in _SCORECARD_COLUMNS if c in present)
    frame = _frame(store, f"SELECT {wanted_cols} FROM scorecard")
    creators = _frame(store, "SELECT creator_id, language FROM creators")
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
    frame = add_view_rates(frame)
    # only the breakdowns of targeted dimensions matter to the fit
    dims = sorted(
        {d for field, ds in _TARGET_DIMENSIONS.items() if getattr(brief.target, field) for d in ds}
    )
    if dims and store.has_table("audience"):
        marks = ", ".join("?" for _ in dims)
        audience = _frame(store, f"SELECT * FROM audience WHERE dimension IN ({marks})", [*dims])
    else:
        audience = pd.DataFrame(columns=["creator_id", "dimension", "bucket", "share", "source"])
    fit = audience_fit(brief.target, frame, audience)
    result: pd.DataFrame
    frame = frame.merge(fit, on="creator_id", how="left")
    rate = frame["view_rate"].fillna(0.0)
    frame["reachable"] = reachable_audience(followers, frame["fit"], rate)
    result = frame
    return result


def grow_from_store(
    store: Store,
    handle: str,
    target: Target,
    budget: float,
    *,
    platform: str | None = None,
    currency: str = "",
    usd_per_unit: float | None = None,
) -> GrowthPlan:
    """Growth plan for one workspace creator: reads its scorecard row, audience, snapshots, posts,
    growth anomalies (when the authenticity step wrote them) and the other creators."""
    brief = Brief.build(
        budget=budget, target=target, currency=currency, usd_per_unit=usd_per_unit
    )
    candidates = plan_candidates(store, brief)
    key = handle.strip().lstrip("@").lower()
    rows = candidates[candidates["handle"].astype(str).str.lower() == key]
    if platform:
        rows = rows[rows["platform"] == platform]
    if rows.empty:
        raise NotFoundError(
            f"no creator with handle {handle!r}" + (f" on {platform}" if platform else "")
        )
    creator = {str(k): v for k, v in rows.sort_values("followers", ascending=False).iloc[0].items()}
    cid = str(creator["creator_id"])
    return growth_plan(
        creator,
        target,
        budget,
        currency=brief.currency,
        usd_per_unit=usd_per_unit,
        audience=store.frame("audience", creator_id=cid),
        snapshots=store.frame("follower_snapshots", creator_id=cid),
        posts=store.frame("posts", creator_id=cid),
        anomalies=store.frame("growth_anomalies", creator_id=cid),
        candidates=candidates,
    )


def follow_pairs(store: Store) -> pd.DataFrame | None:
    """The workspace's follower lists: distinct (target_id followed, follower) pairs of the
    ``follow`` edges, the follower as DuckDB's 64-bit hash of its source_id (hashing a million
    ids there is ~50x faster than in pandas, and the planner only compares ids); None when there
    are none (the planner then models every overlap)."""
    if not store.has_table("edges"):
        return None
    pairs = _frame(
        store,
        "SELECT DISTINCT target_id, hash(source_id) AS follower FROM edges "
        "WHERE lower(kind) = 'follow' AND target_id IS NOT NULL AND source_id IS NOT NULL",
    )
    return pairs if len(pairs) else None
