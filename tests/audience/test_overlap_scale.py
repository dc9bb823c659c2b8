"""Audience overlap at scale: exact from samples, Theta sketches within their error bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.audience import audience_overlap


def _audiences(sizes: list[int], shared_pool: int, share: float, seed: int) -> dict[str, set[str]]:
    """Each creator draws ``share`` of its followers from one common pool, the rest its own."""
    rng = np.random.default_rng(seed)
    out = {}
    for k, size in enumerate(sizes):
        common = int(size * share)
        pool = rng.choice(shared_pool, size=min(common, shared_pool), replace=False)
        out[f"c{k}"] = {f"p{i}" for i in pool} | {f"own{k}_{i}" for i in range(size - len(pool))}
    return out


def test_exact_overlap_counts_shared_exclusive_and_unique() -> None:
    followers = {"a": {"1", "2", "3"}, "b": {"2", "3", "4"}, "c": {"9"}}
    result = audience_overlap(followers)
    assert result.method == "exact"
    assert result.shared[0][1] == 2 and result.shared[0][2] == 0
    assert result.jaccard[0][1] == pytest.approx(2 / 4)
    assert result.over_smaller[0][1] == pytest.approx(2 / 3)
    assert [c.mid for c in result.exclusive] == [1, 1, 1]
    assert result.unique_reach.mid == result.unique_reach.low == 5


def test_more_than_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 100"):
        audience_overlap({f"c{i}": {"x"} for i in range(101)})


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    sizes=st.lists(st.integers(5_000, 30_000), min_size=2, max_size=4),
    share=st.floats(0.1, 0.9),
    seed=st.integers(0, 10_000),
)
def test_sketch_bounds_contain_the_exact_overlap(sizes: list[int], share: float, seed: int) -> None:
    followers = _audiences(sizes, 40_000, share, seed)
    exact = audience_overlap(followers)
    sketched = audience_overlap(followers, exact_max=0, std_devs=3)
    assert sketched.method == "theta sketch"
    n = len(sizes)
    for i in range(n):
        assert sketched.audience[i].low <= exact.audience[i].mid <= sketched.audience[i].high
        assert sketched.exclusive[i].low <= exact.exclusive[i].mid <= sketched.exclusive[i].high
        for j in range(n):
            truth = exact.shared[i][j]
            assert sketched.shared_low[i][j] <= truth <= sketched.shared_high[i][j], (i, j)
    assert sketched.unique_reach.low <= exact.unique_reach.mid <= sketched.unique_reach.high
    # a union of sketches is within a few relative standard errors (1/sqrt(4096) = 1.6%)
    assert abs(sketched.unique_reach.mid / exact.unique_reach.mid - 1) <= 0.05


def test_two_sigma_ranges_cover_about_95_percent_of_pairs() -> None:
    inside = total = 0
    for seed in range(40):
        followers = _audiences([8_000, 12_000, 20_000, 15_000], 30_000, 0.5, seed)
        exact = audience_overlap(followers)
        sketched = audience_overlap(followers, exact_max=0, std_devs=2)
        for i in range(4):
            for j in range(i + 1, 4):
                total += 1
                inside += sketched.shared_low[i][j] <= exact.shared[i][j] <= sketched.shared_high[i][j]
    # nominal 95.4%; 240 pairs (not independent: shared sketches), so the floor is loose
    assert inside / total >= 0.88, f"{inside}/{total}"
