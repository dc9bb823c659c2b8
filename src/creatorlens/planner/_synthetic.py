"""Seeded synthetic planner candidates for tests and benchmarks (until a demo workspace exists).

Realistic in the ways the planner cares about: followers log-uniform over 1K..6M (every seed
tier present), engagement rate falling with tier as the published benchmarks do (the mean of the
followers-based Instagram rows of data/er_benchmarks.csv per tier, log-normal spread), view
rates around data/costs/view_rates.csv, prices then come from the rate cards in the planner itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creatorlens.planner._costs import view_rate_priors

NICHES = ("beauty", "fashion", "fitness", "food", "gaming", "tech", "travel", "parenting")
COUNTRIES = ("US", "KR", "JP", "GB", "BR")
PLATFORMS = ("instagram", "tiktok", "youtube")
_TIER_EDGES = ((100, "nano"), (10_000, "micro"), (100_000, "macro"), (1_000_000, "mega"))


def benchmark_er_by_tier() -> dict[str, float]:
    """Mean published followers-based ER (fraction) per tier, from data/er_benchmarks.csv."""
    from creatorlens.metrics import published_benchmarks

    values: dict[str, list[float]] = {}
    for b in published_benchmarks():
        if b.denominator != "followers" or b.tier not in dict(_TIER_EDGES).values():
            continue
        high = b.er_low if b.er_high is None else b.er_high
        values.setdefault(b.tier, []).append((b.er_low + high) / 2)
    return {tier: float(np.mean(v)) for tier, v in values.items()}


def tier_of(followers: np.ndarray) -> np.ndarray:
    out = np.full(followers.shape, "none", dtype=object)
    for edge, name in _TIER_EDGES:
        out[followers >= edge] = name
    return out


def synthetic_candidates(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    followers = np.round(10 ** rng.uniform(3.0, 6.8, n)).astype(np.int64)
    tiers = tier_of(followers.astype(float))
    er_tier = benchmark_er_by_tier()
    er = np.array([er_tier[t] for t in tiers]) * rng.lognormal(0.0, 0.5, n)
    platform = rng.choice(PLATFORMS, n)
    priors = view_rate_priors()
    view_rate = np.array([priors[p][1] for p in platform]) * rng.lognormal(0.0, 0.4, n)
    fit = rng.beta(2.0, 5.0, n)
    views = followers * view_rate
    ids = [f"{p}:creator{i:06d}" for i, p in enumerate(platform)]
    frame = pd.DataFrame(
        {
            "creator_id": ids,
            "handle": [f"creator{i:06d}" for i in range(n)],
            "platform": platform,
            "tier": tiers,
            "followers": followers,
            "er_followers_lc_median": er,
            "er_followers_lc_mean": er * rng.lognormal(0.15, 0.1, n),
            "view_rate": view_rate,
            "view_rate_low": view_rate * rng.uniform(0.6, 0.9, n),
            "view_rate_high": view_rate * rng.uniform(1.1, 1.8, n),
            "median_views": views,
            "country": rng.choice(COUNTRIES, n),
            "language": "en",
            "main_niche": rng.choice(NICHES, n),
            "categories": "",
            "expertise": rng.uniform(0.0, 1.0, n),
            "audience_quality": rng.beta(8.0, 2.0, n),
            "transparency": rng.beta(5.0, 2.0, n),
            "fit": fit,
            "fit_basis": "measured",
            "reachable": followers * fit * np.clip(view_rate, 0, 1),
        }
    )
    # Per-post spread for the engagements interval, drawn last so the columns above keep their
    # values for a seed: 5-40 posts, log SD 0.3-0.9 (the demo's posts spread about that much).
    frame["n_posts"] = rng.integers(5, 41, n)
    frame["eng_lc_log_mean"] = np.log1p(followers * er)
    frame["eng_lc_log_sd"] = rng.uniform(0.3, 0.9, n)
    return frame
