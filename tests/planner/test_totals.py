"""A plan's total interval from its creators' ranges (planner/_totals.py, docs/planner.md "Totals")."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from creatorlens.planner._costs import cost_quantile
from creatorlens.planner._totals import (
    central,
    cost_interval,
    coverage_draws,
    outcome_interval,
    simulate,
    two_piece_draws,
)


def test_one_creator_gets_its_own_range_back() -> None:
    triple = (np.array([1000.0]), np.array([3000.0]), np.array([12000.0]))
    interval = outcome_interval(simulate({"x": triple}, None, 0.0, {}, 0.8), "x")
    assert interval.confidence == 0.8
    assert abs(interval.low - 1000.0) / 1000.0 < 0.05
    assert abs(interval.high - 12000.0) / 12000.0 < 0.05


def test_independent_creators_give_a_narrower_total_than_lows_plus_lows() -> None:
    k = 30
    low, mid, high = np.full(k, 100.0), np.full(k, 400.0), np.full(k, 2000.0)
    interval = outcome_interval(simulate({"x": (low, mid, high)}, None, 0.0, {}, 0.8), "x")
    assert low.sum() < interval.low < mid.sum() * 1.5 < interval.high < high.sum()
    # a sum of 30 independent draws spreads far less than one draw times 30
    assert interval.high / interval.low < (high / low)[0] / 2


def test_two_piece_draws_hit_the_stated_quantiles() -> None:
    z = np.random.default_rng(1).standard_normal((200_000, 1))
    values = two_piece_draws(np.array([5.0]), np.array([20.0]), np.array([200.0]), z, 0.8)[:, 0]
    lo, hi = central(values, 0.8)
    assert abs(lo - 5.0) < 0.2
    assert abs(hi - 200.0) < 5.0
    assert abs(float(np.median(values)) - 20.0) < 0.5


def test_cost_interval_is_the_sum_of_quantiles_and_its_high_is_the_p90() -> None:
    cost = (np.array([100.0, 50.0]), np.array([200.0, 80.0]), np.array([500.0, 90.0]))
    interval = cost_interval(cost, 25.0, 0.8)
    assert interval.high == float(cost_quantile(*cost, 0.9).sum()) + 25.0
    assert interval.low == float(cost_quantile(*cost, 0.1).sum()) + 25.0


def test_shared_rates_multiply_every_creator_at_once() -> None:
    views = (np.full(10, 1000.0), np.full(10, 1000.0), np.full(10, 1000.0))
    draws = simulate({"impressions": views}, None, 0.0, {"clicks": (0.01, 0.02, 0.04)}, 0.8)
    interval = outcome_interval(draws, "clicks")
    # fixed impressions: the clicks range is the CTR range times 10,000, not narrowed by summing
    assert abs(interval.low - 100.0) < 5.0
    assert abs(interval.high - 400.0) < 20.0


def test_the_same_plan_gives_the_same_figures() -> None:
    triple = (np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([9.0, 7.0]))
    first = outcome_interval(simulate({"x": triple}, None, 0.0, {}, 0.8), "x")
    again = outcome_interval(simulate({"x": triple}, None, 0.0, {}, 0.8), "x")
    assert first == again


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(1.0, 1e5), min_size=1, max_size=12),
    st.lists(st.sampled_from(["a", "b"]), min_size=12, max_size=12),
)
def test_coverage_draws_match_coverage_reach(reach: list[float], segments: list[str]) -> None:
    from creatorlens.audience import coverage_reach

    pools = {"a": 2e5, "b": 5e4}
    seg = np.array(segments[: len(reach)])
    expected = coverage_reach(np.array(reach), seg, pools)
    got = coverage_draws(np.array([reach, reach]), seg, pools)
    assert np.allclose(got, expected)
