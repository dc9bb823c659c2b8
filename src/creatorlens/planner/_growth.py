"""Creator-side growth planner: what targeted promotion would bring, whom to collaborate with,
and where observed growth came from (docs/planner.md "Growth planner").

follower gain = impressions x follows per impression, where
  impressions = budget / CPM x 1000 (influencer-content CPMs of data/costs/cpm.csv as the proxy
                for paid promotion: a named assumption), and
  follows per impression = the creator's own history (net organic follower gain per view of its
                posts over the snapshot window, bought spikes removed) x the paid-view factor, or
                without history: engagements per view x paid-view factor x follows per engagement
                (assumptions.toml [growth]).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from creatorlens.audience import Target, audience_fit
from creatorlens.audience._data import assumption_section, assumptions
from creatorlens.errors import PlanError
from creatorlens.planner._costs import cpm_rows
from creatorlens.planner._figures import Figure, ratio_figure
from creatorlens.planner._money import (
    ExchangeRate,
    default_currency,
    exchange_rate,
    format_money,
    manual_rate,
)

KEYS = ("low", "mid", "high")


class SegmentAdvice(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    bucket: str
    share: float
    in_target: bool
    advice: str


class Collaborator(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    tier: str
    fit: float
    estimated_overlap: float
    why: str


class GrowthPlan(BaseModel):
    """JSON-serialisable projection for one creator, one target and one promotion budget."""

    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    target: Target
    budget: float
    currency: str
    exchange_rate: dict[str, Any]
    creator_fit: float
    impressions: Figure
    follower_gain: Figure
    cost_per_follower: Figure
    follow_through_basis: str
    assumptions: list[str]
    segments: list[SegmentAdvice]
    collaborators: list[Collaborator]


class GrowthAttribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    start: str
    end: str
    total: float
    organic: Figure
    promoted: Figure
    suspicious: Figure
    purged: float
    method: str


def _fixed(value: float, unit: str, source: str) -> Figure:
    return Figure.from_one_source(value, value, value, unit, source)


def promotion_impressions(platform: str, budget_usd: float) -> Figure:
    rows = [r for r in cpm_rows() if r.platform == platform]
    if not rows:
        raise PlanError(f"no CPM for platform {platform!r}")
    cheapest = min(rows, key=lambda r: r.low)
    dearest = max(rows, key=lambda r: r.high)
    mid_cpm = math.sqrt(cheapest.low * dearest.high)
    note = " (influencer CPM as a proxy for promotion CPM: assumption)"
    return Figure(
        low=budget_usd / dearest.high * 1000,
        mid=budget_usd / mid_cpm * 1000,
        high=budget_usd / cheapest.low * 1000,
        unit="impressions",
        low_source=f"budget / {dearest.source} CPM {dearest.high:g}{note}",
        mid_source=f"budget / geometric mean CPM {mid_cpm:.1f}{note}",
        high_source=f"budget / {cheapest.source} CPM {cheapest.low:g}{note}",
    )


def follows_per_view_history(
    snapshots: pd.DataFrame | None,
    posts: pd.DataFrame | None,
    anomalies: pd.DataFrame | None = None,
) -> tuple[float, str] | None:
    """Net follower gain per post view over the snapshot window, flagged spikes removed."""
    if snapshots is None or posts is None or len(snapshots) < 2 or posts.empty:
        return None
    snaps = snapshots.sort_values("observed_at")
    start, end = snaps["observed_at"].iloc[0], snaps["observed_at"].iloc[-1]
    gain = float(snaps["followers"].iloc[-1] - snaps["followers"].iloc[0])
    removed = 0.0
    if anomalies is not None and not anomalies.empty:
        flagged = anomalies[anomalies["kind"].isin(["bought", "promoted"])]
        removed = float(flagged["magnitude"].clip(lower=0).sum())
    window = posts[(posts["posted_at"] >= start) & (posts["posted_at"] <= end)]
    views = float(window["views"].fillna(0).sum()) if "views" in window else 0.0
    if views <= 0:
        return None
    rate = max(gain - removed, 0.0) / views
    return rate, (
        f"history: {gain - removed:,.0f} organic followers gained over {views:,.0f} post views "
        f"({start:%Y-%m-%d}..{end:%Y-%m-%d}; {removed:,.0f} flagged bought/promoted removed)"
    )


def _segments(audience: pd.DataFrame | None, creator_id: str, target: Target) -> list[SegmentAdvice]:
    if audience is None or audience.empty:
        return []
    rows = audience[audience["creator_id"] == creator_id]
    out = []
    wanted: dict[str, set[str]] = {
        "age": set(target.ages),
        "gender": set(target.genders),
        "country": set(target.countries),
        "language": set(target.languages),
        "interest": set(target.interests),
        "city": set(target.cities),
    }
    for dimension, group in rows.groupby("dimension"):
        for _, row in group.sort_values("share", ascending=False).head(3).iterrows():
            bucket = str(row["bucket"])
            targeted = wanted.get(str(dimension), set())
            in_target = not targeted or bucket.upper() in targeted or bucket.lower() in targeted
            if not targeted:
                advice = "no target on this dimension: a strong existing segment to build on"
            elif in_target:
                advice = "strong segment inside the target: promote to look-alikes of it"
            else:
                advice = "strong segment outside the target: exclude it from paid reach"
            out.append(
                SegmentAdvice(
                    dimension=str(dimension),
                    bucket=bucket,
                    share=float(row["share"]),
                    in_target=in_target,
                    advice=advice,
                )
            )
    return out


def _collaborators(
    creator: Mapping[str, Any], candidates: pd.DataFrame | None, limit: int
) -> list[Collaborator]:
    """Same platform, similar size, high target fit, other niche or country (low overlap)."""
    if candidates is None or candidates.empty or "fit" not in candidates:
        return []
    followers = float(creator["followers"])
    pool = candidates[
        (candidates["platform"] == creator["platform"])
        & (candidates["creator_id"] != creator["creator_id"])
        & (candidates["followers"].between(followers / 3, followers * 3))
    ].copy()
    if pool.empty:
        return []
    niche = str(creator.get("main_niche") or "")
    country = str(creator.get("country") or "")
    same_niche = pool.get("main_niche", pd.Series("", index=pool.index)).fillna("") == niche
    same_country = pool.get("country", pd.Series("", index=pool.index)).fillna("") == country
    factor = float(assumption_section("overlap_estimate")["cross_segment_factor"])
    # overlap over the smaller audience under the segment mixing model, relative scale only
    pool["overlap"] = np.where(same_niche & same_country, 1.0, factor)
    pool["score"] = pool["fit"].astype(float) * (1.0 - 0.5 * pool["overlap"])
    out = []
    for _, row in pool.sort_values("score", ascending=False).head(limit).iterrows():
        why = f"fit {row['fit']:.2f} to the target, {row['followers']:,.0f} followers (similar size), " + (
            "same niche and country: audiences likely overlap"
            if row["overlap"] >= 1
            else "different niche or country: new audience"
        )
        out.append(
            Collaborator(
                creator_id=str(row["creator_id"]),
                handle=str(row["handle"]),
                platform=str(row["platform"]),
                tier=str(row.get("tier", "")),
                fit=float(row["fit"]),
                estimated_overlap=float(row["overlap"]),
                why=why,
            )
        )
    return out


def growth_rate(currency: str, usd_per_unit: float | None, target: Target) -> ExchangeRate:
    """The rate a growth budget converts at: the user's, else the dated package rate of the
    currency (default: the target country's, KR -> KRW). Unknown currency: CurrencyError."""
    code = (currency or "").strip().upper() or default_currency(target.countries)
    return manual_rate(code, usd_per_unit) if usd_per_unit is not None else exchange_rate(code)


def _no_rate_message(creator: Mapping[str, Any], posts: pd.DataFrame | None) -> str:
    """Why no engagement rate is measured, checked against the creator's posts."""
    from creatorlens.metrics._engagement import Window

    handle = creator.get("handle")
    window = Window()
    if posts is None or posts.empty:
        return f"{handle}: no posts ingested and no snapshot history; ingest posts first"
    posted = pd.to_datetime(posts["posted_at"], errors="coerce", utc=True)
    observed = pd.to_datetime(
        posts.get("observed_at", pd.Series(pd.NaT, index=posts.index)), errors="coerce", utc=True
    )
    young = (posted > observed - pd.Timedelta(days=window.min_age_days)) & observed.notna()
    if bool(young.all()):
        ready = (posted.max() + pd.Timedelta(days=window.min_age_days)).date()
        return (
            f"{handle}: {len(posts):,} posts ingested, all younger than the "
            f"{window.min_age_days}-day window when observed (engagement is measured on posts at "
            f"least {window.min_age_days} days old); re-ingest them after {ready} or give "
            "follower snapshots"
        )
    return (
        f"{handle}: {len(posts):,} posts ingested ({int((~young).sum()):,} old enough) but no "
        "engagement or view rate could be measured from them (likes, comments or views missing); "
        "run `creatorlens score`, or give follower snapshots"
    )


def growth_plan(
    creator: Mapping[str, Any],
    target: Target,
    budget: float,
    *,
    currency: str = "",
    usd_per_unit: float | None = None,
    audience: pd.DataFrame | None = None,
    snapshots: pd.DataFrame | None = None,
    posts: pd.DataFrame | None = None,
    anomalies: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    collaborators: int = 5,
) -> GrowthPlan:
    """Follower gain for ``budget`` spent promoting ``creator`` (a scorecard row) to ``target``."""
    if budget <= 0:
        raise PlanError(f"budget must be positive, got {budget}")
    settings = assumption_section("growth")
    platform = str(creator["platform"])
    rate = growth_rate(currency, usd_per_unit, target)
    currency = rate.currency
    budget_usd = budget * rate.usd_per_unit
    impressions = promotion_impressions(platform, budget_usd)
    frame = pd.DataFrame([dict(creator)])
    fit_row = audience_fit(
        target,
        frame,
        audience
        if audience is not None
        else pd.DataFrame(columns=["creator_id", "dimension", "bucket", "share", "source"]),
    )
    fit = float(fit_row["fit"].iloc[0])
    notes = [
        "promotion CPM: influencer-content CPMs (data/costs/cpm.csv) used as a proxy for paid promotion CPMs",
        f"creator fit to the target {fit:.2f} ({fit_row['fit_basis'].iloc[0]}); promoted "
        "impressions are assumed to land inside the target (the platform's targeting)",
        f"paid views engage at {settings['paid_engagement_factor_low']}-"
        f"{settings['paid_engagement_factor_high']} x organic views ({assumptions()['source']})",
    ]
    paid = [float(settings[f"paid_engagement_factor_{k}"]) for k in KEYS]
    history = follows_per_view_history(snapshots, posts, anomalies)
    if history is not None:
        per_view, basis = history
        rates = [per_view * p for p in paid]
    else:
        er = float(creator.get("er_followers_lc_median") or math.nan)
        view_rate = float(creator.get("view_rate") or math.nan)
        if not (math.isfinite(er) and math.isfinite(view_rate) and view_rate > 0):
            raise PlanError(_no_rate_message(creator, posts))
        per_view_eng = min(er / view_rate, 1.0)
        follow = [float(settings[f"follow_per_engagement_{k}"]) for k in KEYS]
        rates = [per_view_eng * p * f for p, f in zip(paid, follow, strict=True)]
        basis = (
            f"no usable history: engagements per view {per_view_eng:.2%} (measured ER / view "
            "rate) x paid-view factor x follows per engagement (assumptions.toml [growth])"
        )
        notes.append(f"follows per engagement {follow[0]}-{follow[2]} ({assumptions()['source']})")
    gains = [impressions.low * rates[0], impressions.mid * rates[1], impressions.high * rates[2]]
    follower_gain = Figure(
        low=gains[0],
        mid=gains[1],
        high=gains[2],
        unit="followers",
        low_source=f"low impressions x low follow rate; {basis}",
        mid_source=f"mid impressions x mid follow rate; {basis}",
        high_source=f"high impressions x high follow rate; {basis}",
    )
    cost = _fixed(budget, currency, "brief budget")
    if currency != "USD":
        notes.append(
            f"budget {format_money(budget, currency)} = {format_money(budget_usd, 'USD')}: " + rate.note()
        )
    return GrowthPlan(
        creator_id=str(creator["creator_id"]),
        handle=str(creator["handle"]),
        platform=platform,
        target=target,
        budget=budget,
        currency=currency,
        exchange_rate=rate.info(),
        creator_fit=fit,
        impressions=impressions,
        follower_gain=follower_gain,
        cost_per_follower=ratio_figure(cost, follower_gain, f"{currency} per follower"),
        follow_through_basis=basis,
        assumptions=notes,
        segments=_segments(audience, str(creator["creator_id"]), target),
        collaborators=_collaborators(creator, candidates, collaborators),
    )


def attribute_growth(
    snapshots: pd.DataFrame,
    *,
    anomalies: pd.DataFrame | None = None,
    promotions: Sequence[tuple[pd.Timestamp, pd.Timestamp]] = (),
) -> GrowthAttribution:
    """Split a creator's net follower change into organic, promoted and suspicious (bought).

    With ``anomalies`` (rows of the authenticity ``growth_anomalies`` table) their excess followers
    are taken as detected. For user-given ``promotions`` windows, promoted = gain inside the window
    minus the organic baseline (median daily gain of the unflagged intervals, p25..p75 = range).
    """
    snaps = snapshots.sort_values("observed_at").reset_index(drop=True)
    if len(snaps) < 2:
        raise PlanError("attribution needs at least two follower snapshots")
    creator_id = str(snaps.get("creator_id", pd.Series([""])).iloc[0])
    times = pd.to_datetime(snaps["observed_at"])
    followers = snaps["followers"].astype(float).to_numpy()
    total = float(followers[-1] - followers[0])
    delta = np.diff(followers)
    days = np.maximum((times.diff().dt.total_seconds().to_numpy()[1:]) / 86400.0, 1e-9)
    flagged = np.zeros(len(delta), dtype=bool)
    suspicious = promoted_detected = purged = 0.0
    if anomalies is not None and not anomalies.empty:
        for _, row in anomalies.iterrows():
            start, end = pd.Timestamp(row["start_at"]), pd.Timestamp(row["observed_at"])
            inside = (times.iloc[1:].to_numpy() > start) & (times.iloc[:-1].to_numpy() < end)
            flagged |= inside
            magnitude = float(row["magnitude"])
            if row["kind"] == "bought":
                suspicious += max(magnitude, 0.0)
            elif row["kind"] == "promoted":
                promoted_detected += max(magnitude, 0.0)
            elif row["kind"] == "purge":
                purged += min(magnitude, 0.0)
    in_promo = np.zeros(len(delta), dtype=bool)
    for start, end in promotions:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        in_promo |= (times.iloc[1:].to_numpy() > s) & (times.iloc[:-1].to_numpy() < e)
    clean = ~flagged & ~in_promo
    daily = delta[clean] / days[clean] if clean.any() else np.array([0.0])
    base = {
        "low": float(np.percentile(daily, 25)),
        "mid": float(np.median(daily)),
        "high": float(np.percentile(daily, 75)),
    }
    promo_extra = {
        k: float((delta[in_promo & ~flagged] - base[k] * days[in_promo & ~flagged]).sum()) for k in KEYS
    }
    promoted = {k: max(promoted_detected + promo_extra[k], 0.0) for k in KEYS}
    # a higher baseline leaves less for promotion: promoted low comes from the high baseline
    promoted_fig = Figure(
        low=promoted["high"],
        mid=promoted["mid"],
        high=promoted["low"],
        unit="followers",
        low_source="window gain minus p75 organic baseline (+ detected promoted excess)",
        mid_source="window gain minus median organic baseline (+ detected promoted excess)",
        high_source="window gain minus p25 organic baseline (+ detected promoted excess)",
    )
    source = (
        "growth_anomalies table (authenticity checks): excess followers of 'bought' events"
        if anomalies is not None
        else "no authenticity anomalies available"
    )
    suspicious_fig = _fixed(suspicious, "followers", source)
    organic_fig = Figure(
        low=total - promoted_fig.high - suspicious - purged,
        mid=total - promoted_fig.mid - suspicious - purged,
        high=total - promoted_fig.low - suspicious - purged,
        unit="followers",
        low_source="net change - promoted high - suspicious - purge",
        mid_source="net change - promoted mid - suspicious - purge",
        high_source="net change - promoted low - suspicious - purge",
    )
    return GrowthAttribution(
        creator_id=creator_id,
        start=str(times.iloc[0]),
        end=str(times.iloc[-1]),
        total=total,
        organic=organic_fig,
        promoted=promoted_fig,
        suspicious=suspicious_fig,
        purged=purged,
        method="baseline = median daily gain of unflagged, unpromoted intervals (p25..p75 range)",
    )
