from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from creatorlens.planner import Problem, greedy_plan, milp_plan
from creatorlens.planner._optimizer import GroupConstraint, evaluate, online_bound, relaxation_bound


def random_problem(seed: int, n: int = 40, overlap: bool = True, posts: int = 1) -> Problem:
    rng = np.random.default_rng(seed)
    creators = np.repeat(np.arange(n), posts)
    post = np.tile(np.arange(1, posts + 1), n)
    cost = np.repeat(rng.lognormal(5, 1, n), posts)
    value = np.repeat(rng.lognormal(8, 1.2, n), posts) * 0.5 ** (post - 1)
    segment = np.repeat(rng.integers(0, 4, n), posts)
    return Problem(
        cost=cost,
        value=value,
        segment=segment,
        pools=np.array([value.sum() / 3] * 4),
        creator=creators,
        post=post,
        budget=float(cost.sum() / 5),
        overlap=overlap,
    )


def brute_force(problem: Problem) -> float:
    n = problem.n_items
    best = 0.0
    for mask in range(1 << n):
        items = [i for i in range(n) if mask >> i & 1]
        if problem.cost[items].sum() <= problem.budget:
            best = max(best, evaluate(problem, items))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_bounds_bracket_the_true_optimum(seed: int) -> None:
    problem = random_problem(seed, n=12)
    optimum = brute_force(problem)
    result = greedy_plan(problem)
    assert result.objective <= optimum + 1e-6
    assert optimum <= result.upper_bound + 1e-6
    assert result.objective >= 0.405 * optimum  # the proved ratio of greedy + best single
    exact = milp_plan(problem)
    assert exact.objective == pytest.approx(optimum, rel=1e-3)
    assert exact.upper_bound >= optimum - 1e-6


def test_knapsack_milp_is_exact_without_overlap() -> None:
    problem = random_problem(11, n=14, overlap=False)
    optimum = brute_force(problem)
    assert milp_plan(problem).objective == pytest.approx(optimum)
    assert relaxation_bound(problem) >= optimum - 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_greedy_is_close_to_the_exact_milp(seed: int) -> None:
    problem = random_problem(100 + seed, n=150)
    assert greedy_plan(problem).objective >= 0.98 * milp_plan(problem).objective


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    budget_fraction=st.floats(0.01, 1.0),
    cap_fraction=st.floats(0.05, 1.0),
    max_share=st.floats(0.0, 1.0),
    min_share=st.floats(0.0, 0.5),
    max_creators=st.one_of(st.none(), st.integers(1, 10)),
    posts=st.integers(1, 3),
)
def test_greedy_respects_every_constraint(
    seed: int,
    budget_fraction: float,
    cap_fraction: float,
    max_share: float,
    min_share: float,
    max_creators: int | None,
    posts: int,
) -> None:
    base = random_problem(seed, n=30, posts=posts)
    budget = float(base.cost.sum() * budget_fraction / posts)
    rng = np.random.default_rng(seed)
    tier_codes = np.repeat(rng.integers(0, 3, 30), posts)
    group = GroupConstraint(
        "tier",
        tier_codes,
        ["a", "b", "c"],
        min_spend=np.array([min_share * budget, 0.0, 0.0]),
        max_spend=np.array([np.inf, max_share * budget, np.inf]),
    )
    problem = Problem(
        cost=base.cost,
        value=base.value,
        segment=base.segment,
        pools=base.pools,
        creator=base.creator,
        post=base.post,
        budget=budget,
        creator_cap=cap_fraction * budget,
        max_creators=max_creators,
        groups=[group],
    )
    result = greedy_plan(problem)
    items = result.items
    assert len(set(items)) == len(items)
    assert problem.cost[items].sum() <= budget * (1 + 1e-9)
    for c in set(problem.creator[items].tolist()):
        mine = [i for i in items if problem.creator[i] == c]
        assert problem.cost[mine].sum() <= cap_fraction * budget * (1 + 1e-9)
        # the k-th post only with posts 1..k-1
        assert sorted(problem.post[mine].tolist()) == list(range(1, len(mine) + 1))
    if max_creators is not None:
        assert len(set(problem.creator[items].tolist())) <= max_creators
    assert problem.cost[[i for i in items if tier_codes[i] == 1]].sum() <= max_share * budget + 1e-6
    spent_a = problem.cost[[i for i in items if tier_codes[i] == 0]].sum()
    # a minimum is met within a cent (optimizer._unmet): 1e-300 x budget is met by spending nothing
    if spent_a < min_share * budget * (1 - 1e-9) - 0.01:
        assert result.unmet and result.unmet[0].startswith("tier min a")
    assert result.objective <= result.upper_bound + 1e-6
    assert result.objective == pytest.approx(evaluate(problem, items))


def test_online_bound_never_below_the_selection() -> None:
    from creatorlens.planner._optimizer import _State

    problem = random_problem(3)
    state = _State(problem)
    for i in greedy_plan(problem).items:
        state.add(i)
    assert online_bound(state) >= state.value
