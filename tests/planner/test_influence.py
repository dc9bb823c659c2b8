"""Influence maximisation core: IC probabilities, RR sets vs Monte-Carlo, budgeted coverage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.planner._influence import (
    GAMMA_BUDGETED,
    budgeted_coverage,
    budgeted_imm,
    covered_fraction,
    graph_from_arrays,
    influence_graph,
    sample_rr_sets,
)
from creatorlens.planner._monte_carlo import MonteCarlo, random_graph


def test_comment_edges_point_influence_from_the_creator_to_the_commenter() -> None:
    edges = pd.DataFrame(
        {"source": ["fan1", "fan2", "fan1"], "target": ["alice", "alice", "bob"],
         "kind": ["comment", "comment", "comment"], "weight": [3.0, 1.0, 1.0]}
    )
    graph = influence_graph(edges)
    index = graph.index()
    fan1 = index["fan1"]
    sources = graph.in_src[graph.in_ptr[fan1] : graph.in_ptr[fan1 + 1]]
    probs = graph.in_prob[graph.in_ptr[fan1] : graph.in_ptr[fan1 + 1]]
    got = {str(graph.nodes[s]): float(p) for s, p in zip(sources, probs, strict=True)}
    # weighted cascade: fan1's in-weight is 3 + 1 = 4
    assert got == {"alice": pytest.approx(0.75), "bob": pytest.approx(0.25)}
    assert graph.in_ptr[index["alice"] + 1] == graph.in_ptr[index["alice"]]  # nobody influences alice
    assert "weighted cascade" in graph.probability_basis


def test_interaction_rates_use_the_influencers_post_counts() -> None:
    edges = pd.DataFrame(
        {"source": ["fan1", "fan2"], "target": ["alice", "alice"], "kind": ["comment", "comment"],
         "weight": [2.0, 30.0]}
    )
    graph = influence_graph(edges, posts={"alice": 10})
    index = graph.index()
    for fan, expected in (("fan1", 0.2), ("fan2", 1.0)):  # 30 comments on 10 posts: capped at 1
        i = index[fan]
        assert graph.in_prob[graph.in_ptr[i] : graph.in_ptr[i + 1]].tolist() == [pytest.approx(expected)]
    assert "interaction rate" in graph.probability_basis
    with pytest.raises(ValueError, match="post counts"):
        influence_graph(edges, method="rate")


def test_collaborations_run_both_ways() -> None:
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["collaboration"], "weight": [1.0]})
    graph = influence_graph(edges)
    assert len(graph.in_src) == 2


@pytest.mark.parametrize("seed", [1, 2])
def test_rr_estimate_agrees_with_monte_carlo(seed: int) -> None:
    graph = random_graph(400, 2000, seed)
    rng = np.random.default_rng(seed)
    seeds = [int(v) for v in rng.choice(graph.n, 5, replace=False)]
    rr = sample_rr_sets(graph, 40_000, rng)
    share = covered_fraction(rr, np.array(seeds))
    estimate = graph.n * share
    rr_se = graph.n * math.sqrt(share * (1 - share) / rr.count)
    mean, se = MonteCarlo(graph, seed).spread(seeds, 20_000)
    assert abs(estimate - mean) <= 4 * math.hypot(rr_se, se), (estimate, mean)


def test_rr_sets_of_a_chain_are_exact() -> None:
    # 0 -> 1 -> 2 with probability 1: the RR set of node 2 is {0, 1, 2}
    graph = graph_from_arrays(3, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0]))
    rr = sample_rr_sets(graph, 3000, np.random.default_rng(0))
    sizes = np.diff(rr.set_ptr)
    assert set(sizes.tolist()) == {1, 2, 3}
    assert covered_fraction(rr, np.array([0])) == pytest.approx(1.0)  # 0 reaches everyone


@settings(max_examples=40, deadline=None)
@given(
    costs=st.lists(st.floats(0.5, 10.0), min_size=6, max_size=6),
    budget=st.floats(1.0, 25.0),
    seed=st.integers(0, 1000),
)
def test_budgeted_coverage_stays_within_budget_and_bound(costs: list[float], budget: float, seed: int) -> None:
    graph = random_graph(6, 14, seed)
    rr = sample_rr_sets(graph, 300, np.random.default_rng(seed))
    cost = np.array(costs)
    found = budgeted_coverage(rr, cost, budget)
    assert float(cost[found.seeds].sum()) <= budget * (1 + 1e-9)
    # brute force over every affordable subset of the 6 nodes
    best = 0
    for mask in range(1 << 6):
        members = [v for v in range(6) if mask >> v & 1]
        # the same tolerance as the planner's budget check: summed in another order, the found
        # seeds' cost can exceed the budget by a rounding error and must still count here
        if cost[members].sum() <= budget * (1 + 1e-9):
            best = max(best, round(covered_fraction(rr, np.array(members, dtype=np.int64)) * rr.count))
    assert found.covered >= GAMMA_BUDGETED * best - 1e-9
    assert found.covered <= best <= found.upper_bound + 1e-9


def test_imm_respects_the_budget_and_states_its_guarantee() -> None:
    graph = random_graph(500, 2500, 4)
    cost = 1.0 + np.random.default_rng(0).random(graph.n) * 4
    result = budgeted_imm(graph, cost, 12.0, epsilon=0.2, seed=3)
    assert result.seeds and float(cost[result.seeds].sum()) <= 12.0
    assert result.guarantee == pytest.approx(1 - 1 / math.sqrt(math.e) - 0.2)
    assert result.spread_low <= result.spread <= result.spread_high
    mean, se = MonteCarlo(graph).spread(result.seeds, 10_000)
    assert abs(result.spread - mean) <= 4 * math.hypot(se, (result.spread_high - result.spread) / 1.96)
