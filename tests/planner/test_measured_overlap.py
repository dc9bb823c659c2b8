"""Measured audience overlap in the planner (docs/planner.md "Measured overlap").

Truth: synthetic follower sets with a known overlap, built here, and the union / coverage of
those sets computed here by plain Python set arithmetic independent of the planner's sparse code.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from creatorlens.audience._coverage import coverage_from_lists, follower_coverage
from creatorlens.planner import Brief, plan, synthetic_candidates
from creatorlens.planner._optimizer import MeasuredItems, Problem, evaluate, greedy_plan, milp_plan


def _problem(
    lists: list[set[str]], values: list[float], costs: list[float], budget: float
) -> tuple[Problem, object]:
    """One post per creator, every creator measured, one segment (unused by measured items)."""
    names = [f"c{k}" for k in range(len(lists))]
    cov = coverage_from_lists(dict(zip(names, lists, strict=True)), min_ids=1)
    assert cov is not None
    index = cov.index()
    n = len(lists)
    problem = Problem(
        cost=np.asarray(costs, dtype=float),
        value=np.asarray(values, dtype=float),
        segment=np.zeros(n, dtype=np.int64),
        pools=np.array([1e9]),
        creator=np.arange(n),
        post=np.ones(n, dtype=np.int64),
        budget=budget,
        measured=MeasuredItems(row=np.array([index[c] for c in names]), matrix=cov.matrix),
    )
    return problem, cov


def _true_coverage(lists: list[set[str]], values: list[float], picks: list[int]) -> float:
    """sum over followers of 1 - prod(1 - p_c), p_c = value_c / |A_c| (complete lists, w = 1)."""
    miss: dict[str, float] = {}
    for c in picks:
        p = min(values[c] / len(lists[c]), 1 - 1e-9)
        for u in lists[c]:
            miss[u] = miss.get(u, 1.0) * (1 - p)
    return sum(1 - m for m in miss.values())


def test_identical_followers_are_not_bought_twice() -> None:
    same = {f"u{i}" for i in range(1000)}
    other = {f"v{i}" for i in range(1000)}
    # a and b: identical followers; c: disjoint, the same cost and value. Budget for two.
    problem, _ = _problem([same, set(same), other], [300.0, 300.0, 300.0], [100.0, 100.0, 100.0], 200.0)
    sel = greedy_plan(problem)
    assert sorted(sel.items) in ([0, 2], [1, 2])
    # the pair of twins pays twice for the same followers: it is worth less than twin + other
    assert evaluate(problem, [0, 1]) < evaluate(problem, [0, 2])
    assert evaluate(problem, [0, 2]) == pytest.approx(600.0)
    assert evaluate(problem, [0, 1]) == pytest.approx(1000 * (1 - 0.7**2))


def test_the_segment_model_alone_cannot_tell_the_twins_apart() -> None:
    """Without follower lists the three creators are interchangeable: the measurement is what
    keeps the twins apart (guards against the test above passing by accident)."""
    n = 3
    problem = Problem(
        cost=np.full(n, 100.0),
        value=np.full(n, 300.0),
        segment=np.zeros(n, dtype=np.int64),
        pools=np.array([3000.0]),
        creator=np.arange(n),
        post=np.ones(n, dtype=np.int64),
        budget=200.0,
    )
    assert evaluate(problem, [0, 1]) == pytest.approx(evaluate(problem, [0, 2]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(5, 60), min_size=3, max_size=7),
    universe=st.integers(30, 150),
    seed=st.integers(0, 10_000),
    budget_share=st.floats(0.2, 0.8),
)
def test_objective_and_bound_against_brute_force(
    sizes: list[int], universe: int, seed: int, budget_share: float
) -> None:
    rng = np.random.default_rng(seed)
    lists = [
        {f"u{x}" for x in rng.choice(universe, size=min(s, universe), replace=False)} for s in sizes
    ]
    values = [float(rng.uniform(0.05, 0.9) * len(s)) for s in lists]
    costs = [float(rng.uniform(10, 100)) for _ in lists]
    budget = budget_share * sum(costs)
    problem, _ = _problem(lists, values, costs, budget)
    n = len(lists)
    best = 0.0
    for k in range(n + 1):
        for combo in itertools.combinations(range(n), k):
            if sum(costs[c] for c in combo) <= budget:
                truth = _true_coverage(lists, values, list(combo))
                # the planner's objective is the coverage over the measured follower sets
                assert evaluate(problem, list(combo)) == pytest.approx(truth, rel=1e-9, abs=1e-9)
                best = max(best, truth)
    sel = greedy_plan(problem)
    assert sum(costs[i] for i in sel.items) <= budget * (1 + 1e-9)
    # the stated bound is a true upper bound on the optimum, and the plan is within it
    assert sel.objective <= best + 1e-9
    assert sel.upper_bound >= best - 1e-6
    # greedy + best single + pair seeding + local search: at least the proved 0.405 x OPT
    assert sel.objective >= 0.405 * best - 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(5, 60), min_size=3, max_size=7),
    universe=st.integers(30, 150),
    seed=st.integers(0, 10_000),
    budget_share=st.floats(0.2, 0.8),
    modelled=st.integers(0, 3),
)
def test_the_milp_models_measured_overlap_and_bounds_the_optimum(
    sizes: list[int], universe: int, seed: int, budget_share: float, modelled: int
) -> None:
    """The MILP's pieces for measured followers (one per group of followers the same creators
    list) with tangent cuts: its stated bound is above the true optimum (found by enumeration, the
    coverage computed by set arithmetic here), its plan's value is the true F of a feasible plan,
    and with 48 cuts that plan is close to the optimum. Some creators stay on the segment model."""
    rng = np.random.default_rng(seed)
    lists = [
        {f"u{x}" for x in rng.choice(universe, size=min(s, universe), replace=False)} for s in sizes
    ]
    values = [float(rng.uniform(0.05, 0.9) * len(s)) for s in lists]
    costs = [float(rng.uniform(10, 100)) for _ in lists]
    extra_values = [float(rng.uniform(5, 40)) for _ in range(modelled)]
    extra_costs = [float(rng.uniform(10, 100)) for _ in range(modelled)]
    budget = budget_share * (sum(costs) + sum(extra_costs))
    measured_problem, _ = _problem(lists, values, costs, budget)
    n, pool = len(lists), 200.0
    problem = Problem(
        cost=np.asarray(costs + extra_costs),
        value=np.asarray(values + extra_values),
        segment=np.zeros(n + modelled, dtype=np.int64),
        pools=np.array([pool]),
        creator=np.arange(n + modelled),
        post=np.ones(n + modelled, dtype=np.int64),
        budget=budget,
        measured=MeasuredItems(
            row=np.r_[measured_problem.measured.row, np.full(modelled, -1)],  # type: ignore[union-attr]
            matrix=measured_problem.measured.matrix,  # type: ignore[union-attr]
        ),
    )

    def truth(combo: tuple[int, ...]) -> float:
        seg = [c - n for c in combo if c >= n]
        miss = math.prod(1 - extra_values[c] / pool for c in seg)
        return _true_coverage(lists, values, [c for c in combo if c < n]) + pool * (1 - miss)

    best = 0.0
    total = n + modelled
    for k in range(total + 1):
        for combo in itertools.combinations(range(total), k):
            if sum((costs + extra_costs)[c] for c in combo) <= budget:
                best = max(best, truth(combo))
    sel = milp_plan(problem)
    assert "per group of measured followers" in sel.method
    assert sum((costs + extra_costs)[i] for i in sel.items) <= budget * (1 + 1e-9)
    assert sel.objective == pytest.approx(truth(tuple(sel.items)), rel=1e-9, abs=1e-9)
    assert sel.objective <= best + 1e-9
    assert sel.upper_bound >= best - 1e-6
    assert sel.objective >= 0.97 * best


def test_the_milp_does_not_buy_the_twins_twice() -> None:
    same = {f"u{i}" for i in range(1000)}
    other = {f"v{i}" for i in range(1000)}
    problem, _ = _problem([same, set(same), other], [300.0, 300.0, 300.0], [100.0, 100.0, 100.0], 200.0)
    sel = milp_plan(problem)
    assert sorted(sel.items) in ([0, 2], [1, 2])
    assert sel.objective == pytest.approx(600.0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(5, 300), min_size=3, max_size=12),
    universe=st.integers(30, 600),
    seed=st.integers(0, 10_000),
)
def test_compiled_and_plain_kernels_give_the_same_plan(
    sizes: list[int], universe: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small follower matrices run the overlap loops in plain Python, large ones compiled by numba
    (_optimizer.COMPILED_KERNEL_MIN_ENTRIES): the same operations in the same order, so the same
    floats, hence the same plan whichever ran."""
    from creatorlens.planner import _optimizer

    rng = np.random.default_rng(seed)
    lists = [
        {f"u{x}" for x in rng.choice(universe, size=min(s, universe), replace=False)} for s in sizes
    ]
    values = [float(rng.uniform(0.05, 0.9) * len(s)) for s in lists]
    costs = [float(rng.uniform(10, 100)) for _ in lists]
    budget = 0.4 * sum(costs)
    runs = []
    for threshold in (10**12, 0):  # plain Python, then compiled
        monkeypatch.setattr(_optimizer, "COMPILED_KERNEL_MIN_ENTRIES", threshold)
        problem, _ = _problem(lists, values, costs, budget)
        assert problem._compiled == (threshold == 0)
        sel = greedy_plan(problem)
        runs.append((sel.items, sel.objective, sel.upper_bound, evaluate(problem, list(range(len(lists))))))
    assert runs[0] == runs[1]


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 80), min_size=1, max_size=6),
    universe=st.integers(1, 200),
    seed=st.integers(0, 10_000),
)
def test_exact_union_equals_the_true_union(sizes: list[int], universe: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    lists = {
        f"c{k}": {f"u{x}" for x in rng.integers(0, universe, size=s)} for k, s in enumerate(sizes)
    }
    cov = coverage_from_lists(lists, min_ids=1)
    assert cov is not None
    picks = list(range(len(cov.creator_ids)))[::2]
    count, method = cov.union(picks)
    truth = len(set().union(*(lists[cov.creator_ids[r]] for r in picks)))
    assert method.startswith("exact")
    assert count.low == count.mid == count.high == truth


def test_sketched_union_holds_the_true_union() -> None:
    """Lists above exact_set_max (50,000) are unioned as Theta sketches: the true union lies inside
    the library's 2-sigma bounds, and the estimate is within a few percent of it."""
    rng = np.random.default_rng(3)
    universe = 400_000
    lists = {
        f"c{k}": {f"u{x}" for x in rng.choice(universe, size=70_000 + 10_000 * k, replace=False)}
        for k in range(4)
    }
    cov = coverage_from_lists(lists, max_ids=1_000_000)
    assert cov is not None
    for picks in ([0, 1], [0, 1, 2, 3], [2]):
        count, method = cov.union(picks)
        truth = len(set().union(*(lists[cov.creator_ids[r]] for r in picks)))
        assert "Theta" in method
        assert count.low <= truth <= count.high
        assert abs(count.mid - truth) / truth < 0.06
        assert count.low < count.high


def test_hash_sample_estimates_the_coverage() -> None:
    """A universe above planner_max_ids is thinned by coordinated hash sampling; kept ids weigh
    1/theta, so the coverage the optimiser sees estimates the full one (unbiased; here within 5%)."""
    rng = np.random.default_rng(5)
    lists = {f"c{k}": {f"u{x}" for x in rng.choice(60_000, size=20_000, replace=False)} for k in range(5)}
    full = coverage_from_lists(lists, max_ids=10**6)
    thin = coverage_from_lists(lists, max_ids=6_000)
    assert full is not None and thin is not None
    assert full.theta == 1.0 and thin.theta == pytest.approx(6_000 / full.universe)
    assert thin.matrix.shape[1] < full.matrix.shape[1]
    rows, probs = [0, 1, 3], [0.3, 0.5, 0.2]
    truth = full.coverage(rows, probs)
    manual = 0.0
    miss: dict[str, float] = {}
    for r, p in zip(rows, probs, strict=True):
        for u in lists[full.creator_ids[r]]:
            miss[u] = miss.get(u, 1.0) * (1 - p)
    manual = sum(1 - m for m in miss.values())
    assert truth == pytest.approx(manual)
    assert thin.coverage(rows, probs) == pytest.approx(truth, rel=0.05)


def test_lists_too_short_keep_the_segment_model() -> None:
    """A list below planner_min_list_ids (100) measures nothing reliable: its creator is left
    out of the coverage (the planner then models its overlap)."""
    lists = {"long": {f"u{i}" for i in range(150)}, "short": {f"u{i}" for i in range(40)}}
    cov = coverage_from_lists(lists)
    assert cov is not None and cov.creator_ids == ("long",)
    assert cov.universe == 150 and cov.union([0])[0].mid == 150
    assert coverage_from_lists({"short": lists["short"]}) is None


def test_a_follower_sample_stands_for_the_followers() -> None:
    """A list shorter than the follower count is a sample: each id weighs followers / |list|, and
    an id in two lists weighs the smaller factor."""
    lists = {"a": {"x", "y"}, "b": {"y", "z", "w", "v"}}
    cov = follower_coverage(
        ["a", "b"],
        ["a", "a", "b", "b", "b", "b"],
        ["x", "y", "y", "z", "w", "v"],
        {"a": 20, "b": 8},
        min_ids=1,
    )
    assert cov is not None
    # a: 10 people per id, b: 2 per id; "y" is in both and weighs 2
    assert cov.weight.tolist() == [10 + 2, 2 * 4]
    assert cov.coverage([0], [1.0]) == pytest.approx(12, rel=1e-9)
    assert lists  # the sets above are the follow pairs passed in


def test_plan_uses_measured_overlap_and_says_so() -> None:
    """Through planner.plan with follow pairs: twins with identical follower lists are not both
    picked, the plan marks measured and modelled picks, and the reported union is the true one."""
    cands = synthetic_candidates(400, seed=4)
    brief = Brief.build(budget=40_000, goal="awareness")
    base = plan(cands, brief, frontier=False)
    picked = [c.creator_id for c in base.creators]
    assert len(picked) >= 4
    # give the first two picks identical follower lists (A) and every other candidate its own
    rng = np.random.default_rng(0)
    pairs_t: list[str] = []
    pairs_s: list[str] = []
    lists: dict[str, set[str]] = {}
    for k, cid in enumerate(cands["creator_id"].astype(str)):
        if k % 3 == 2 and cid not in picked[:2]:
            continue  # a third of the candidates keep the segment model
        ids = {"twin" + str(i) for i in range(3000)} if cid in picked[:2] else {
            f"{cid}-{i}" for i in rng.integers(0, 10**6, size=1500)
        }
        lists[cid] = ids
        pairs_t += [cid] * len(ids)
        pairs_s += sorted(ids)
    follows = pd.DataFrame({"target_id": pairs_t, "source_id": pairs_s})
    measured = plan(cands, brief, followers=follows, frontier=False)
    chosen = [c.creator_id for c in measured.creators]
    assert not (picked[0] in chosen and picked[1] in chosen)
    assert measured.overlap is not None
    by_id = {c.creator_id: c for c in measured.creators}
    for cid, c in by_id.items():
        assert c.overlap == ("measured" if cid in lists else "modelled")
    assert sorted(measured.overlap.measured) == sorted(c.handle for c in measured.creators if c.overlap == "measured")
    truth = len(set().union(*(lists[cid] for cid in chosen if cid in lists)))
    assert measured.overlap.unique_followers.mid == truth
    assert measured.cost_at_basis <= brief.budget * (1 + 1e-9)
    assert len(measured.creators) <= brief.constraints.max_creators
    assert measured.upper_bound >= measured.objective
    assert math.isfinite(measured.overlap.modelled_target_reach)
    assert "measured" in measured.totals["unique_target_reach"].mid_source


def _write_follow_edges(path: Path, lists: dict[tuple[str, str], set[str]]) -> None:
    """An edges file as a user has one: source follows target (the creator's handle)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "target", "kind", "weight", "time", "platform"])
        for (platform, handle), followers in lists.items():
            for f in sorted(followers):
                writer.writerow([f, handle, "follow", 1, "2025-01-01", platform])


def test_workspace_plan_reach_equals_the_true_union_of_ingested_follower_lists(
    tmp_path: Path, workspace_path: Path
) -> None:
    """End to end: a scored workspace, an edges CSV of follower lists ingested with --kind edges,
    Workspace.plan. Every candidate has a list drawn from one shared pool (heavy, uneven overlap);
    the plan's unique followers and unique target reach are recomputed here from the CSV's sets."""
    from creatorlens import Workspace

    path = workspace_path
    cands = synthetic_candidates(300, seed=7)  # what the fixture's workspace holds (conftest)
    rng = np.random.default_rng(2)
    lists: dict[tuple[str, str], set[str]] = {}
    for platform, handle in zip(cands["platform"], cands["handle"], strict=True):
        lists[(str(platform), str(handle))] = {f"fan{x}" for x in rng.integers(0, 2500, size=130)}
    edges_csv = tmp_path / "follows.csv"
    _write_follow_edges(edges_csv, lists)
    ws = Workspace(path)
    try:
        report = ws.ingest(edges_csv, kind="edges")
        assert report.files[0].rows_loaded == sum(len(v) for v in lists.values())
        result = ws.plan({"budget": 25_000, "goal": "awareness"})
    finally:
        ws.close()
    assert result.creators and result.overlap is not None
    assert all(c.overlap == "measured" for c in result.creators)
    # a follower is an account of the creator's platform: fan1 on TikTok is not fan1 on Instagram
    by_id = {f"{p}:{h.lower()}": {f"{p}:{u}" for u in ids} for (p, h), ids in lists.items()}
    union = set().union(*(by_id[c.creator_id] for c in result.creators))
    assert result.overlap.unique_followers.mid == len(union)
    assert result.overlap.unique_followers.low == result.overlap.unique_followers.high == len(union)
    # unique target reach, recomputed from the sets: id weight = min over the lists holding it
    # of followers / |list| (>= 1); p_c = creator reach / W_c
    followers = dict(zip(cands["creator_id"], cands["followers"].astype(float), strict=True))
    scale = {cid: max(1.0, followers[cid] / len(ids)) for cid, ids in by_id.items()}
    weight: dict[str, float] = {}
    for cid, ids in by_id.items():
        for u in ids:
            weight[u] = min(weight.get(u, math.inf), scale[cid])
    miss: dict[str, float] = {}
    for c in result.creators:
        ids = by_id[c.creator_id]
        people = sum(weight[u] for u in ids)
        p = min(c.target_reach.mid / people, 1 - 1e-12)
        for u in ids:
            miss[u] = miss.get(u, 1.0) * (1 - p)
    truth = sum(weight[u] * (1 - m) for u, m in miss.items())
    total = result.totals["unique_target_reach"]
    assert total.mid == pytest.approx(truth, rel=1e-9)
    assert total.low <= total.mid <= total.high
    # the segment model's figure for the same plan is reported beside it
    assert result.overlap.measured_target_reach == pytest.approx(truth, rel=1e-9)
    assert result.overlap.modelled_target_reach > 0
    assert result.cost_at_basis <= result.budget * (1 + 1e-9)
    # the same workspace from the CLI and the web planner: the overlap is visible in both
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from creatorlens.cli import app
    from creatorlens.web import create_app

    cli = CliRunner().invoke(
        app, ["plan", "--db", str(path), "--budget", "25000", "--goal", "awareness"], env={"COLUMNS": "250"}
    )
    assert cli.exit_code == 0, cli.output
    assert f"{len(result.creators)} of {len(result.creators)} picks from follower lists" in cli.output
    assert f"distinct followers of the measured picks: {len(union):,}" in cli.output
    assert "unique target reach under the segment model alone" in cli.output
    with TestClient(
        create_app(path), base_url="http://127.0.0.1", headers={"Origin": "http://127.0.0.1"}
    ) as client:
        form = client.get("/plan").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        page = client.post(
            "/plan", data={"budget": "25000", "goal": "awareness", "csrf_token": token.group(1)}
        ).text
    table = page[page.index('id="plan-table"') :]
    assert "measured (follower lists)" in table
    totals = page[page.index('id="plan-totals"') :]
    assert "Distinct followers (measured picks)" in totals and f"{len(union):,}" in totals


def test_a_plan_with_short_follower_lists_loads_no_numba() -> None:
    """Below _optimizer.COMPILED_KERNEL_MIN_ENTRIES follower entries the overlap loops run in plain
    Python: a fresh process plans with measured overlap without importing numba (its import and
    kernel load cost more than the loops; timings in BENCHMARKS.md "Start-up time of the CLI")."""
    import json
    import subprocess
    import sys

    code = """
import json, sys
import pandas as pd
from creatorlens.planner import Brief, plan, synthetic_candidates
cands = synthetic_candidates(300, seed=4)
ids = cands["creator_id"].astype(str).tolist()[:40]
follows = pd.DataFrame({"target_id": [c for c in ids for _ in range(150)],
                        "source_id": [f"u{(k * 7 + i) % 900}" for k in range(40) for i in range(150)]})
p = plan(cands, Brief.build(budget=40_000, goal="community"), followers=follows)
print(json.dumps({"measured": p.overlap.candidates_measured if p.overlap else 0,
                  "numba": sorted(m for m in sys.modules if m.split(".")[0] == "numba")}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.splitlines()[-1])
    assert result["measured"] == 40  # the lists were used
    assert result["numba"] == []
