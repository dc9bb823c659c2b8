"""Validity: IMM seeds against CELF greedy with Monte-Carlo, and sketched overlap against exact."""

from __future__ import annotations

import numpy as np

from creatorlens.audience import audience_overlap
from creatorlens.planner._influence import budgeted_imm
from creatorlens.planner._monte_carlo import MonteCarlo, random_graph

from .conftest import RecordFigure


def test_imm_spread_matches_celf_monte_carlo(record_figure: RecordFigure) -> None:
    graph = random_graph(600, 3000, 11)
    ptr = graph.out_edges()[0]
    cost = 1.0 + np.diff(ptr) / 5.0  # dearer with a larger direct audience
    budget = 15.0
    imm = budgeted_imm(graph, cost, budget, seed=5)
    celf = MonteCarlo(graph, 3).celf(cost, budget, 500)
    imm_spread, _ = MonteCarlo(graph, 1).spread(imm.seeds, 20_000)
    celf_spread, _ = MonteCarlo(graph, 2).spread(celf, 20_000)
    ratio = imm_spread / celf_spread
    record_figure(
        section="word of mouth",
        estimate="budgeted IMM seeds' spread (eps 0.1)",
        truth="CELF greedy with Monte-Carlo (500 runs per marginal) on the same budget",
        metric="IMM spread / CELF spread (20,000 cynetdiff runs each)",
        figure=ratio,
        n=graph.n,
        threshold=">= 0.97",
    )
    assert float(cost[imm.seeds].sum()) <= budget
    assert ratio >= 0.97, (imm_spread, celf_spread)


def test_theta_sketch_overlap_error(record_figure: RecordFigure) -> None:
    rng = np.random.default_rng(3)
    followers = {}
    for k, size in enumerate([20_000, 35_000, 50_000, 80_000]):
        common = rng.choice(100_000, size // 2, replace=False)
        followers[f"c{k}"] = {f"p{i}" for i in common} | {f"own{k}_{i}" for i in range(size - len(common))}
    exact = audience_overlap(followers, exact_max=10**9)
    sketched = audience_overlap(followers, exact_max=0)
    assert exact.method == "exact" and sketched.method == "theta sketch"
    errors = [
        abs(sketched.shared[i][j] / exact.shared[i][j] - 1)
        for i in range(4)
        for j in range(i + 1, 4)
    ]
    record_figure(
        section="word of mouth",
        estimate="shared audience from Theta sketches (lg_k 12)",
        truth="exact shared followers of generated audiences",
        metric="max relative error over 6 pairs",
        figure=max(errors),
        n=6,
        threshold="<= 0.10",
    )
    assert max(errors) <= 0.10
