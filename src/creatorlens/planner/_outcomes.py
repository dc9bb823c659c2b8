"""Expected outcome of one deliverable, as ranges with sources (docs/planner.md "Outcomes").

* impressions = followers x view rate. Measured view rates come from the scorecard (median views per
  follower = low/mid, mean = high when higher); without posts, data/costs/view_rates.csv.
* engagements = followers x measured ER (er_followers_lc median / mean); without posts, the
  published benchmark for the platform x tier (data/er_benchmarks.csv) applied to its denominator.
* clicks = impressions x CTR, conversions = clicks x CVR (the brief's rates, else assumptions.toml).
* earned media value = engagements x value per engagement (data/costs/cpm.csv).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from creatorlens.audience._data import assumption_section
from creatorlens.planner._costs import value_per_engagement, view_rate_priors

RATE_KEYS = ("low", "mid", "high")


@cache
def _er_benchmarks() -> dict[tuple[str, str], tuple[float, float, str, str]]:
    """(platform, tier) -> (er_low, er_high as fractions, denominator, label) of preferred rows."""
    text = resources.files("creatorlens").joinpath("data/er_benchmarks.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    out: dict[tuple[str, str], tuple[float, float, str, str]] = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        if row["preferred"] != "true":
            continue
        low = float(row["er_low"]) / 100
        high = float(row["er_high"]) / 100 if row["er_high"] else low
        label = f"{row['source']} {row['year']} ER benchmark ({row['reliability']})"
        out[(row["platform"], row["tier"])] = (low, max(low, high), row["denominator"], label)
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
    """views_low/mid/high per post and their sources."""
    followers = candidates["followers"].to_numpy(dtype=float)
    priors = view_rate_priors()
    n = len(candidates)
    rate = {k: np.full(n, np.nan) for k in RATE_KEYS}
    source = {k: np.full(n, "", dtype=object) for k in RATE_KEYS}
    measured_mid = candidates.get("view_rate", pd.Series(np.nan, index=candidates.index)).to_numpy(
        dtype=float
    )
    measured_low = candidates.get("view_rate_low", pd.Series(measured_mid, index=candidates.index))
    measured_high = candidates.get(
        "view_rate_high", pd.Series(measured_mid, index=candidates.index)
    )
    has = np.isfinite(measured_mid) & (measured_mid > 0)
    rate["mid"][has] = measured_mid[has]
    rate["low"][has] = np.fmin(measured_low.to_numpy(dtype=float)[has], measured_mid[has])
    rate["high"][has] = np.fmax(measured_high.to_numpy(dtype=float)[has], measured_mid[has])
    for key in RATE_KEYS:
        source[key][has] = "measured views per follower (scorecard median/mean views)"
    platforms = candidates["platform"].astype(str).to_numpy()
    for platform, (lo, md, hi, label) in priors.items():
        use = ~has & (platforms == platform)
        for key, value in zip(RATE_KEYS, (lo, md, hi), strict=True):
            rate[key][use] = value
            source[key][use] = f"view-rate prior: {label}"
    data = {f"views_{k}": followers * rate[k] for k in RATE_KEYS}
    data.update({f"views_{k}_source": source[k] for k in RATE_KEYS})
    return pd.DataFrame(data, index=candidates.index)


def expected_engagements(candidates: pd.DataFrame, views: pd.DataFrame) -> pd.DataFrame:
    followers = candidates["followers"].to_numpy(dtype=float)
    n = len(candidates)
    median = candidates.get("er_followers_lc_median", pd.Series(np.nan, index=candidates.index))
    mean = candidates.get("er_followers_lc_mean", median)
    er_med = median.to_numpy(dtype=float)
    er_mean = mean.to_numpy(dtype=float)
    er_mean = np.where(np.isfinite(er_mean), er_mean, er_med)
    out = {k: np.full(n, np.nan) for k in RATE_KEYS}
    src = {k: np.full(n, "", dtype=object) for k in RATE_KEYS}
    has = np.isfinite(er_med)
    out["low"][has] = followers[has] * np.fmin(er_med, er_mean)[has]
    out["mid"][has] = followers[has] * er_med[has]
    out["high"][has] = followers[has] * np.fmax(er_med, er_mean)[has]
    for key in RATE_KEYS:
        src[key][has] = "measured ER (scorecard er_followers_lc median/mean) x followers"
    bench = _er_benchmarks()
    platforms = candidates["platform"].astype(str).to_numpy()
    tiers = candidates.get("tier", pd.Series("all", index=candidates.index)).astype(str).to_numpy()
    for i in np.flatnonzero(~has):
        row = bench.get((platforms[i], tiers[i])) or bench.get((platforms[i], "all"))
        if row is None:
            continue
        low, high, denominator, label = row
        base = followers[i] if denominator == "followers" else views["views_mid"].iloc[i]
        out["low"][i], out["mid"][i], out["high"][i] = (
            base * low,
            base * (low + high) / 2,
            base * high,
        )
        for key in RATE_KEYS:
            src[key][i] = f"{label} x {denominator}"
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
