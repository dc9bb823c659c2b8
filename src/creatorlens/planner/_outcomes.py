"""Expected outcome of one deliverable, as ranges with sources (docs/planner.md "Outcomes").

* impressions: mid = followers x measured median views per follower; low-high = a predictive
  interval for ONE post, from ln(1 + views) as for engagements below (scorecard views_log_mean /
  views_log_sd). From fewer posts with views than min_posts, or without posts,
  data/costs/view_rates.csv.
* engagements: mid = followers x measured median ER (er_followers_lc); low-high = a predictive
  interval for ONE post at the stated confidence (assumptions.toml [outcomes]), from the
  creator's own posts: exp(m +- t(n-1) s sqrt(1 + 1/n)) - 1 with m, s the mean and SD of
  ln(1 + likes + comments) (scorecard eng_lc_log_mean / eng_lc_log_sd). From fewer posts than
  engagement_rules.toml's min_posts, with an ER the scorecard flags (``er_rankable`` false), or
  without posts, the published benchmark for the platform x
  tier (data/er_benchmarks.csv) applied to its denominator, labelled as such: followers, or the
  impressions range above (low ER x low views, high ER x high views).
* clicks = impressions x CTR, conversions = clicks x CVR (the brief's rates, else assumptions.toml).
* earned media value = engagements x value per engagement (data/costs/cpm.csv).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.audience._data import assumption_section
from creatorlens.planner._costs import value_per_engagement, view_rate_priors

RATE_KEYS = ("low", "mid", "high")


@cache
def _er_benchmarks() -> dict[tuple[str, str], tuple[float, float, str, str]]:
    """(platform, tier) -> (er_low, er_high as fractions, denominator, label) of preferred rows."""
    from creatorlens.metrics import published_benchmarks

    out: dict[tuple[str, str], tuple[float, float, str, str]] = {}
    for b in published_benchmarks():
        if not b.preferred:
            continue
        high = b.er_low if b.er_high is None else b.er_high
        label = f"{b.source} {b.year} ER benchmark ({b.reliability})"
        out[(b.platform, b.tier)] = (b.er_low, max(b.er_low, high), b.denominator, label)
    return out


def add_view_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """view_rate (median views per follower, else the scorecard's view_rate) and its low / high
    (the smaller / larger of median and mean views per follower), added in place and returned."""
    followers = frame["followers"].astype(float)
    nan = pd.Series(np.nan, index=frame.index)
    median_views = frame.get("median_views", nan).astype(float)
    mean_views = frame.get("avg_views", nan).astype(float)
    frame["view_rate"] = (median_views / followers).where(
        median_views > 0, frame.get("view_rate", nan)
    )
    frame["view_rate_low"] = np.fmin(median_views, mean_views) / followers
    frame["view_rate_high"] = np.fmax(median_views, mean_views) / followers
    return frame


def expected_views(candidates: pd.DataFrame) -> pd.DataFrame:
    """views_low/mid/high per post and their sources.

    mid = median views (the scorecard's view rate x followers). low-high = the predictive
    interval for ONE post at the engagement interval's confidence, from ln(1 + views) over the
    creator's posts with a view count (scorecard views_log_mean / views_log_sd), the same model
    as engagements. From fewer such posts than engagement_rules.toml's min_posts the creator is
    planned on the view-rate prior (data/costs/view_rates.csv), labelled as such. The smaller and
    larger of median and mean views, the range before, is kept only for callers whose frame has
    no log statistics (a frame built by hand): it is a range of averages, not of one post, and
    held the next post for none of the validity demo's campaigns (docs/validity.md).
    """
    from creatorlens.metrics import EngagementRules

    followers = candidates["followers"].to_numpy(dtype=float)
    priors = view_rate_priors()
    n = len(candidates)
    nan = pd.Series(np.nan, index=candidates.index)
    rate = {k: np.full(n, np.nan) for k in RATE_KEYS}
    source = {k: np.full(n, "", dtype=object) for k in RATE_KEYS}
    # median views per follower when the frame has it (the scorecard's view_rate may be another
    # average: add_view_rates makes them agree for the planner's own frames)
    median_rate = (candidates.get("median_views", nan).astype(float) / candidates["followers"]).to_numpy()
    measured_mid = np.where(
        np.isfinite(median_rate) & (median_rate > 0),
        median_rate,
        candidates.get("view_rate", nan).to_numpy(dtype=float),
    )
    has = np.isfinite(measured_mid) & (measured_mid > 0)
    has_log_stats = "views_log_mean" in candidates and "views_log_sd" in candidates
    if has_log_stats:
        n_views = candidates.get("n_posts_with_views", candidates.get("n_posts", nan))
        n_views_arr = np.nan_to_num(n_views.to_numpy(dtype=float), nan=0.0)
        confidence = engagement_interval_confidence()
        low, high = per_post_interval(
            candidates["views_log_mean"].to_numpy(dtype=float),
            candidates["views_log_sd"].to_numpy(dtype=float),
            n_views_arr,
            confidence,
        )
        enough = n_views_arr >= max(EngagementRules.load().min_posts, 2)
        has &= enough & np.isfinite(low) & np.isfinite(high)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate["low"][has] = np.fmin(low / followers, measured_mid)[has]
            rate["high"][has] = np.fmax(high / followers, measured_mid)[has]
        rate["mid"][has] = measured_mid[has]
        label = f"{confidence:.0%} range for one post from the creator's own views"
        source["mid"][has] = "measured median views per follower (scorecard)"
        source["low"][has] = label
        source["high"][has] = label
    else:
        measured_low = candidates.get("view_rate_low", pd.Series(measured_mid, index=candidates.index))
        measured_high = candidates.get("view_rate_high", pd.Series(measured_mid, index=candidates.index))
        rate["mid"][has] = measured_mid[has]
        rate["low"][has] = np.fmin(measured_low.to_numpy(dtype=float)[has], measured_mid[has])
        rate["high"][has] = np.fmax(measured_high.to_numpy(dtype=float)[has], measured_mid[has])
        for key in RATE_KEYS:
            source[key][has] = "measured views per follower (scorecard median/mean views)"
    platforms = candidates["platform"].astype(str).to_numpy()
    for platform, (lo, md, hi, prior_label) in priors.items():
        use = ~has & (platforms == platform)
        for key, value in zip(RATE_KEYS, (lo, md, hi), strict=True):
            rate[key][use] = value
            source[key][use] = f"view-rate prior: {prior_label}"
    data = {f"views_{k}": followers * rate[k] for k in RATE_KEYS}
    data.update({f"views_{k}_source": source[k] for k in RATE_KEYS})
    return pd.DataFrame(data, index=candidates.index)


def engagement_interval_confidence() -> float:
    """The confidence of the per-post engagements range (assumptions.toml [outcomes])."""
    value = float(assumption_section("outcomes")["engagement_interval_confidence"])
    if not 0 < value < 1:
        raise ValueError(f"engagement_interval_confidence must lie in (0, 1), not {value}")
    return value


@lru_cache(maxsize=4096)
def student_t_quantile(df: int, p: float) -> float:
    """The ``p`` quantile (p > 0.5) of Student's t with ``df`` degrees of freedom.

    G. W. Hill, "Algorithm 396: Student's t-quantiles", CACM 13(10), 1970, 619-620 (the
    approximation R's qt uses for large or non-integer df): within 1e-5 relative of
    scipy.special.stdtrit for df >= 1 (tests/planner/test_costs_outcomes.py checks it). Not
    scipy: importing scipy.special cost a quarter of a second of every `creatorlens plan`.
    """
    if not 0.5 < p < 1 or df < 1:
        raise ValueError(f"student_t_quantile needs 0.5 < p < 1 and df >= 1, not p={p}, df={df}")
    two_tailed = 2.0 * (1.0 - p)
    n = float(df)
    if df == 1:
        angle = two_tailed * math.pi / 2
        return math.cos(angle) / math.sin(angle)
    if df == 2:
        return math.sqrt(2.0 / (two_tailed * (2.0 - two_tailed)) - 2.0)
    a = 1.0 / (n - 0.5)
    b = 48.0 / (a * a)
    c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36
    d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math.sqrt(a * math.pi / 2) * n
    x = d * two_tailed
    y = x ** (2.0 / n)
    if y > 0.05 + a:
        x = NormalDist().inv_cdf(two_tailed * 0.5)
        y = x * x
        if df < 5:
            c += 0.3 * (n - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x
        y = math.expm1(a * y * y)
    else:
        y = ((1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0)) * y
             - 1.0) * (n + 1.0) / (n + 2.0) + 1.0 / y  # fmt: skip
    return math.sqrt(n * y)


def per_post_interval(
    log_mean: np.ndarray, log_sd: np.ndarray, n_posts: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Predictive interval for the engagements of one more post when ln(1 + engagements) is
    normal with unknown mean and SD estimated from ``n_posts`` posts (Student t, n - 1 degrees of
    freedom; the sqrt(1 + 1/n) carries the uncertainty of the mean). NaN where n < 2."""
    n = n_posts.astype(float)
    ok = np.isfinite(log_mean) & np.isfinite(log_sd) & (n >= 2)
    quantile = np.full(len(n), np.nan)
    p = 0.5 + confidence / 2
    # post counts are whole numbers: one quantile per distinct count
    df = np.floor(n[ok]).astype(int) - 1
    distinct, where = np.unique(df, return_inverse=True)
    quantile[ok] = np.array([student_t_quantile(int(d), p) for d in distinct])[where]
    half = quantile * log_sd * np.sqrt(1 + 1 / np.where(ok, n, np.nan))
    low = np.expm1(log_mean - half)
    high = np.expm1(log_mean + half)
    return np.where(ok, np.maximum(low, 0.0), np.nan), np.where(ok, high, np.nan)


def er_trusted(rankable: Any) -> bool:
    """Whether a candidate's measured ER may be planned on and cited as a reason: not when the
    scorecard flags it (``er_rankable`` false, e.g. 2410% by followers); unknown is trusted."""
    return rankable is None or bool(pd.isna(rankable)) or bool(rankable)


def expected_engagements(candidates: pd.DataFrame, views: pd.DataFrame) -> pd.DataFrame:
    from creatorlens.metrics import EngagementRules

    followers = candidates["followers"].to_numpy(dtype=float)
    n = len(candidates)
    nan = pd.Series(np.nan, index=candidates.index)
    er_med = candidates.get("er_followers_lc_median", nan).to_numpy(dtype=float)
    n_posts = candidates.get("n_posts", nan).to_numpy(dtype=float)
    confidence = engagement_interval_confidence()
    low, high = per_post_interval(
        candidates.get("eng_lc_log_mean", nan).to_numpy(dtype=float),
        candidates.get("eng_lc_log_sd", nan).to_numpy(dtype=float),
        n_posts,
        confidence,
    )
    out = {k: np.full(n, np.nan) for k in RATE_KEYS}
    src = {k: np.full(n, "", dtype=object) for k in RATE_KEYS}
    # An ER from fewer posts than the minimum is not used: the creator is planned on priors.
    enough = np.nan_to_num(n_posts, nan=0.0) >= max(EngagementRules.load().min_posts, 2)
    has = np.isfinite(er_med) & enough & np.isfinite(low) & np.isfinite(high)
    if "er_rankable" in candidates:
        has &= np.fromiter(map(er_trusted, candidates["er_rankable"]), dtype=bool, count=n)
    mid = followers * er_med
    out["mid"][has] = mid[has]
    out["low"][has] = np.fmin(low, mid)[has]
    out["high"][has] = np.fmax(high, mid)[has]
    label = f"{confidence:.0%} range for one post from the creator's own posts"
    src["mid"][has] = "measured median ER (scorecard er_followers_lc_median) x followers"
    src["low"][has] = label
    src["high"][has] = label
    bench = _er_benchmarks()
    platforms = candidates["platform"].astype(str).to_numpy()
    tiers = candidates.get("tier", pd.Series("all", index=candidates.index)).astype(str).to_numpy()
    for i in np.flatnonzero(~has):
        row = bench.get((platforms[i], tiers[i])) or bench.get((platforms[i], "all"))
        if row is None:
            continue
        er_low, er_high, denominator, bench_label = row
        if denominator == "followers":
            base = dict.fromkeys(RATE_KEYS, followers[i])
        else:  # the views range carries over: a one-figure benchmark times one views figure
            # gave a point "range" (117,781 - 117,781 on a real TikTok plan)
            base = {k: float(views[f"views_{k}"].iloc[i]) for k in RATE_KEYS}
        out["low"][i], out["mid"][i], out["high"][i] = (
            base["low"] * er_low,
            base["mid"] * (er_low + er_high) / 2,
            base["high"] * er_high,
        )
        for key in RATE_KEYS:
            src[key][i] = f"{bench_label} x {denominator}" + (
                f" ({key} of the views range)" if denominator != "followers" else ""
            )
    data = {f"engagements_{k}": out[k] for k in RATE_KEYS}
    data.update({f"engagements_{k}_source": src[k] for k in RATE_KEYS})
    return pd.DataFrame(data, index=candidates.index)


def outcome_rates(
    ctr: tuple[float, float, float] | None, cvr: tuple[float, float, float] | None
) -> tuple[tuple[float, float, float], str, tuple[float, float, float], str]:
    defaults = assumption_section("outcomes")
    if ctr is None:
        ctr_t = (defaults["ctr_low"], defaults["ctr_mid"], defaults["ctr_high"])
        ctr_src = "default CTR (assumptions.toml, creatorlens assumption)"
    else:
        ctr_t, ctr_src = ctr, "brief CTR"
    if cvr is None:
        cvr_t = (defaults["cvr_low"], defaults["cvr_mid"], defaults["cvr_high"])
        cvr_src = "default CVR (assumptions.toml, creatorlens assumption)"
    else:
        cvr_t, cvr_src = cvr, "brief CVR"
    return (
        (float(ctr_t[0]), float(ctr_t[1]), float(ctr_t[2])),
        ctr_src,
        (float(cvr_t[0]), float(cvr_t[1]), float(cvr_t[2])),
        cvr_src,
    )


def expected_outcomes(
    candidates: pd.DataFrame,
    *,
    ctr: tuple[float, float, float] | None = None,
    cvr: tuple[float, float, float] | None = None,
) -> pd.DataFrame:
    """Per-deliverable outcome ranges for every candidate (index aligned)."""
    views = expected_views(candidates)
    engagements = expected_engagements(candidates, views)
    ctr_t, ctr_src, cvr_t, cvr_src = outcome_rates(ctr, cvr)
    frame = pd.concat([views, engagements], axis=1)
    for i, key in enumerate(RATE_KEYS):
        frame[f"clicks_{key}"] = frame[f"views_{key}"] * ctr_t[i]
        frame[f"conversions_{key}"] = frame[f"clicks_{key}"] * cvr_t[i]
    frame["clicks_source"] = ctr_src
    frame["conversions_source"] = f"{ctr_src}; {cvr_src}"
    vpe = value_per_engagement()
    platforms = candidates["platform"].astype(str)
    value = platforms.map(lambda p: vpe.get(p, (np.nan, ""))[0]).to_numpy(dtype=float)
    for key in RATE_KEYS:
        frame[f"emv_{key}"] = frame[f"engagements_{key}"].to_numpy() * value
    frame["emv_source"] = platforms.map(
        lambda p: "value per engagement: " + vpe.get(p, (0, "none"))[1]
    )
    return frame
