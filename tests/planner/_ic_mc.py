"""Monte-Carlo IC spread with cynetdiff (dev dependency), for cross-checks of the RR estimates."""

from __future__ import annotations

import array
import heapq

import numpy as np
from cynetdiff.models import IndependentCascadeModel

from creatorlens.planner._influence import InfluenceGraph


def ic_model(graph: InfluenceGraph, seed: int = 0) -> IndependentCascadeModel:
    ptr, target, prob = graph.out_edges()
    return IndependentCascadeModel(
        array.array("I", ptr[:-1].astype(np.uint32).tolist()),
        array.array("I", target.astype(np.uint32).tolist()),
        activation_probs=array.array("f", prob.astype(np.float32).tolist()),
        rng=seed,
    )


def mc_spread(graph: InfluenceGraph, seeds: list[int], trials: int, seed: int = 0) -> tuple[float, float]:
    """Mean spread and its standard error."""
    model = ic_model(graph, seed)
    model.set_seeds(seeds)
    sizes = np.empty(trials)
    for t in range(trials):
        model.reset_model()
        model.advance_until_completion()
        sizes[t] = model.get_num_activated_nodes()
    return float(sizes.mean()), float(sizes.std(ddof=1) / np.sqrt(trials))


def celf_budgeted(graph: InfluenceGraph, cost: np.ndarray, budget: float, trials: int) -> list[int]:
    """CELF by Monte-Carlo marginal spread per cost, vs the best single seed (Leskovec et al. 2007)."""
    model = ic_model(graph, 3)
    affordable = [v for v in range(graph.n) if cost[v] <= budget]
    single = {v: float(model.compute_marginal_gains([], [v], trials)[1]) for v in affordable}
    heap = [(-single[v] / cost[v], v, 0) for v in affordable]
    heapq.heapify(heap)
    seeds: list[int] = []
    spent = 0.0
    while heap:
        _, v, fresh_at = heapq.heappop(heap)
        if spent + cost[v] > budget:
            continue
        if fresh_at == len(seeds):
            seeds.append(v)
            spent += float(cost[v])
            continue
        gain = float(model.compute_marginal_gains(seeds, [v], trials)[-1])
        heapq.heappush(heap, (-gain / cost[v], v, len(seeds)))
    best = max(single, key=lambda v: single[v])
    total, _ = mc_spread(graph, seeds, trials)
    return [best] if single[best] > total else seeds


def random_graph(n: int, m: int, seed: int) -> InfluenceGraph:
    """Directed graph with heavy-tailed out-degrees, weighted-cascade probabilities."""
    from creatorlens.planner._influence import graph_from_arrays

    rng = np.random.default_rng(seed)
    weight = rng.pareto(1.5, n) + 1
    src = rng.choice(n, size=m, p=weight / weight.sum())
    dst = rng.integers(0, n, m)
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    in_degree = np.bincount(pairs[:, 1], minlength=n)
    return graph_from_arrays(n, pairs[:, 0], pairs[:, 1], 1.0 / in_degree[pairs[:, 1]])
