from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from scipy.stats import t as student_t

from _frames import number, text
from creatorlens.planner import CostError, expected_outcomes, price_deliverables
from creatorlens.planner._outcomes import per_post_interval


def one(platform: str, followers: float, views: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "creator_id": ["x"],
            "handle": ["x"],
            "platform": [platform],
            "followers": [followers],
            "expected_views": [views],
        }
    )


def test_every_end_of_a_price_names_its_source() -> None:
    price = price_deliverables(one("instagram", 50_000, 10_000)).iloc[0]
    assert price["cost_low"] <= price["cost_mid"] <= price["cost_high"]
    for key in ("low", "mid", "high"):
        assert price[f"cost_{key}_source"]
    # 50K followers is half a decade into WebFX's micro row (200-2000 USD over 10K-100K):
    # log-linear interpolation gives 200 x 10^0.699 = 1000 USD, the highest estimate here
    assert price["cost_high"] == pytest.approx(1000.0)
    assert price["cost_high_source"].startswith("WebFX v2 2022 rate card")
    # the cheapest: Influencer Hero 5 USD CPM x 10K views
    assert price["cost_low"] == pytest.approx(50.0)


def test_youtube_is_priced_from_cpm_only() -> None:
    price = price_deliverables(one("youtube", 200_000, 20_000)).iloc[0]
    assert "CPM" in price["cost_low_source"] and "CPM" in price["cost_high_source"]
    # Influencer Hero 10 USD CPM low x 20K views; Inzpire 61 USD CPM high x 20K views
    assert price["cost_low"] == pytest.approx(200.0)
    assert price["cost_high"] == pytest.approx(1220.0)


def test_multipliers_scale_low_by_low_and_high_by_high() -> None:
    base = price_deliverables(one("instagram", 30_000, 5_000)).iloc[0]
    reel = price_deliverables(
        one("instagram", 30_000, 5_000), deliverable={"instagram": "reel"}, options=["usage_rights"]
    ).iloc[0]
    assert reel["cost_low"] == pytest.approx(base["cost_low"] * 1.40 * 1.50)
    assert reel["cost_high"] == pytest.approx(base["cost_high"] * 1.50 * 3.00)
    assert "usage_rights" in reel["cost_high_source"]


def test_quotes_override_estimates() -> None:
    price = price_deliverables(one("tiktok", 30_000, 5_000), quotes={"@X": 777.0}).iloc[0]
    assert (price["cost_low"], price["cost_mid"], price["cost_high"]) == (777.0, 777.0, 777.0)
    assert price["cost_mid_source"] == "user quote"


def test_unknown_deliverables_and_options_are_errors() -> None:
    with pytest.raises(CostError, match="deliverables are"):
        price_deliverables(one("tiktok", 1000, 100), deliverable={"tiktok": "carousel"})
    with pytest.raises(CostError, match="unknown option"):
        price_deliverables(one("tiktok", 1000, 100), options=["glitter"])


@settings(deadline=None)
@given(st.floats(100, 1e8), st.floats(100, 1e8), st.sampled_from(["instagram", "tiktok"]))
def test_price_is_monotone_in_followers(a: float, b: float, platform: str) -> None:
    lo, hi = sorted((a, b))
    frame = pd.DataFrame(
        {
            "creator_id": ["a", "b"],
            "platform": platform,
            "followers": [lo, hi],
            "expected_views": [lo * 0.1, hi * 0.1],
        }
    )
    price = price_deliverables(frame)
    assert np.all(np.diff(price["cost_low"].to_numpy()) >= -1e-9)
    assert np.all(np.diff(price["cost_high"].to_numpy()) >= -1e-9)
    assert (price["cost_low"] <= price["cost_mid"] + 1e-9).all()
    assert (price["cost_mid"] <= price["cost_high"] + 1e-9).all()


def test_outcomes_measured_and_prior_paths() -> None:
    frame = pd.DataFrame(
        {
            "creator_id": ["a", "b"],
            "platform": ["tiktok", "instagram"],
            "tier": ["micro", "nano"],
            "followers": [50_000.0, 5_000.0],
            "view_rate": [0.4, np.nan],
            "er_followers_lc_median": [0.03, np.nan],
            "n_posts": [12, 0],
            "eng_lc_log_mean": [np.log1p(1500), np.nan],
            "eng_lc_log_sd": [0.5, np.nan],
        }
    )
    out = expected_outcomes(frame, ctr=(0.01, 0.01, 0.01), cvr=(0.1, 0.1, 0.1))
    assert out.loc[0, "views_mid"] == pytest.approx(20_000)
    assert text(out, 0, "views_mid_source").startswith("measured")
    assert text(out, 1, "views_mid_source").startswith("view-rate prior")
    assert out.loc[0, "engagements_mid"] == pytest.approx(1500)
    assert "benchmark" in text(out, 1, "engagements_mid_source")
    # low-high: the 80 % predictive interval for one post, exp(m -+ t(11) 0.5 sqrt(1 + 1/12)) - 1
    half = student_t.ppf(0.9, 11) * 0.5 * np.sqrt(1 + 1 / 12)
    assert out.loc[0, "engagements_low"] == pytest.approx(np.expm1(np.log1p(1500) - half))
    assert out.loc[0, "engagements_high"] == pytest.approx(np.expm1(np.log1p(1500) + half))
    assert "80% range for one post" in text(out, 0, "engagements_low_source")
    assert out.loc[0, "clicks_mid"] == pytest.approx(200)
    assert out.loc[0, "conversions_mid"] == pytest.approx(20)
    assert out.loc[0, "emv_mid"] == pytest.approx(1500 * 0.08)
    for key in ("low", "mid", "high"):
        assert (out[f"views_{key}_source"] != "").all()


def test_an_er_from_fewer_posts_than_the_minimum_is_not_used() -> None:
    frame = pd.DataFrame(
        {
            "creator_id": ["a"], "platform": ["tiktok"], "tier": ["micro"],
            "followers": [50_000.0], "view_rate": [0.4], "er_followers_lc_median": [5.0],
            "n_posts": [2], "eng_lc_log_mean": [np.log1p(250_000)], "eng_lc_log_sd": [0.1],
        }
    )  # fmt: skip
    out = expected_outcomes(frame)
    assert "benchmark" in text(out, 0, "engagements_mid_source")
    assert number(out, 0, "engagements_mid") < 50_000 * 0.5


def test_an_er_the_scorecard_flags_is_not_planned_on() -> None:
    """tiktok-vn-2025 has creators with an ER by followers of 2410% (flagged: above the TikTok
    bound); the plan used it as 24 engagements per follower. Flagged: the benchmark instead."""
    base = {
        "creator_id": ["a"], "platform": ["tiktok"], "tier": ["micro"], "followers": [50_000.0],
        "view_rate": [0.4], "er_followers_lc_median": [24.1], "n_posts": [12],
        "eng_lc_log_mean": [np.log1p(1_205_000)], "eng_lc_log_sd": [0.5],
    }  # fmt: skip
    trusted = expected_outcomes(pd.DataFrame({**base, "er_rankable": [True]}))
    assert text(trusted, 0, "engagements_mid_source").startswith("measured")
    flagged = expected_outcomes(pd.DataFrame({**base, "er_rankable": [False]}))
    assert "benchmark" in text(flagged, 0, "engagements_mid_source")
    assert number(flagged, 0, "engagements_mid") < 50_000


def test_a_views_benchmark_carries_the_views_range() -> None:
    """A TikTok creator without posts: HypeAuditor's one-figure 17.5% ER by views times the
    impressions range is a range, not one number (a real plan's total read 117,781 - 117,781)."""
    frame = pd.DataFrame(
        {"creator_id": ["a"], "platform": ["tiktok"], "tier": ["micro"], "followers": [50_000.0],
         "n_posts": [0]}
    )  # fmt: skip
    out = expected_outcomes(frame)
    assert "x views" in text(out, 0, "engagements_mid_source")
    low, mid, high = (number(out, 0, f"engagements_{k}") for k in ("low", "mid", "high"))
    assert low < mid < high
    for key, eng in (("low", low), ("mid", mid), ("high", high)):
        assert eng == pytest.approx(number(out, 0, f"views_{key}") * 0.175), key


def test_per_post_interval_widens_with_fewer_posts_and_holds_its_confidence() -> None:
    rng = np.random.default_rng(7)
    inside = []
    for n in (3, 10, 40):
        hits = 0
        for _ in range(2000):
            sample = rng.normal(5.0, 0.8, size=n + 1)
            low, high = per_post_interval(
                np.array([sample[:n].mean()]), np.array([sample[:n].std(ddof=1)]),
                np.array([n]), 0.8,
            )  # fmt: skip
            hits += int(low[0] <= np.expm1(sample[n]) <= high[0])
        inside.append(hits / 2000)
    # exact for normal logs: 0.80 up to Monte Carlo error (SE ~ 0.009)
    assert all(abs(c - 0.80) < 0.03 for c in inside), inside


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000), st.floats(0.51, 0.999))
def test_student_t_quantile_matches_scipy(df: int, p: float) -> None:
    from scipy.special import stdtrit

    from creatorlens.planner._outcomes import student_t_quantile

    assert student_t_quantile(df, p) == pytest.approx(float(stdtrit(df, p)), rel=2e-5)
