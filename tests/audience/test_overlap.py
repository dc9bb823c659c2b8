from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.audience import (
    coverage_reach,
    estimated_overlap,
    overlap_from_samples,
    unique_reach_from_samples,
)


def test_exact_sets_report_both_conventions() -> None:
    m = overlap_from_samples({"a": ["1", "2", "3", "4"], "b": ["3", "4", "5"]})
    assert m.method == "exact"
    assert m.shared[0][1] == 2
    assert m.jaccard[0][1] == pytest.approx(2 / 5)
    assert m.over_smaller[0][1] == pytest.approx(2 / 3)
    assert m.frame("over_smaller").loc["b", "a"] == pytest.approx(2 / 3)


def test_sketches_approximate_large_samples() -> None:
    a = [str(i) for i in range(20_000)]
    b = [str(i) for i in range(10_000, 40_000)]
    m = overlap_from_samples({"a": a, "b": b}, exact_max=1_000)
    assert m.method == "sketch"
    assert m.jaccard[0][1] == pytest.approx(10_000 / 40_000, abs=0.06)
    assert m.audience_sizes[0] == pytest.approx(20_000, rel=0.05)
    assert unique_reach_from_samples({"a": a, "b": b}, ["a", "b"], exact_max=1_000) == (
        pytest.approx(40_000, rel=0.05)
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sets(st.integers(0, 60), max_size=40), min_size=1, max_size=5))
def test_exact_union_and_conventions_are_consistent(sets: list[set[int]]) -> None:
    samples = {f"c{i}": [str(x) for x in s] for i, s in enumerate(sets)}
    m = overlap_from_samples(samples)
    union: set[int] = set().union(*sets)
    assert unique_reach_from_samples(samples, list(samples)) == len(union)
    j = np.array(m.jaccard)
    o = np.array(m.over_smaller)
    assert np.all(j <= o + 1e-12)  # the union is never smaller than the smaller audience
    assert np.allclose(j, j.T)


def test_estimated_overlap_is_higher_inside_a_segment() -> None:
    creators = pd.DataFrame(
        {
            "creator_id": ["a", "b", "c"],
            "followers": [100_000, 80_000, 90_000],
            "segment": ["tiktok|beauty|KR", "tiktok|beauty|KR", "tiktok|gaming|US"],
        }
    )
    m = estimated_overlap(creators)
    assert m.method == "estimated"
    assert m.over_smaller[0][1] > m.over_smaller[0][2]
    assert "random mixing" in m.assumption


@settings(deadline=None)
@given(st.lists(st.floats(0, 1000), min_size=1, max_size=8))
def test_coverage_reach_is_monotone_and_at_most_the_sum(reaches: list[float]) -> None:
    pools = {"s": 2000.0}
    segments = ["s"] * len(reaches)
    total = coverage_reach(reaches, segments, pools)
    fewer = coverage_reach(reaches[:-1], segments[:-1], pools) if len(reaches) > 1 else 0.0
    assert fewer - 1e-9 <= total <= sum(reaches) + 1e-6
    assert total <= pools["s"] + 1e-6
