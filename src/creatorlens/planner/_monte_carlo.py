"""Monte-Carlo independent-cascade simulation: the yardstick the word-of-mouth planner's
reverse-reachable estimates are checked against (tests, validity suite, benchmarks/bench_influence.py).

The simulations run in ``cynetdiff`` (a compiled IC/LT simulator), which is a development
dependency (``pip install 'creatorlens[dev]'``): the planner itself never simulates, it samples
reverse-reachable sets (planner/_influence.py). CELF is Leskovec et al., "Cost-effective outbreak
detection in networks", KDD 2007: lazy greedy on Monte-Carlo marginal spread per unit cost,
compared with the best single affordable seed (the budgeted variant's safeguard).
"""

from __future__ import annotations

import array
import heapq
from typing import Any

import numpy as np

from creatorlens.planner._influence import InfluenceGraph, graph_from_arrays


class MonteCarlo:
    """Simulations of one graph's cascades from a seeded random stream."""

    def __init__(self, graph: InfluenceGraph, seed: int = 0) -> None:
        try:
            from cynetdiff.models import IndependentCascadeModel
        except ImportError as exc:  # pragma: no cover - the dev extra installs it
            raise ImportError(
                "Monte-Carlo spread needs cynetdiff: pip install 'creatorlens[dev]'"
            ) from exc
        ptr, target, prob = graph.out_edges()
        self.graph = graph
        self.model: Any = IndependentCascadeModel(
            array.array("I", ptr[:-1].astype(np.uint32).tolist()),
            array.array("I", target.astype(np.uint32).tolist()),
            activation_probs=array.array("f", prob.astype(np.float32).tolist()),
            rng=seed,
        )

    def spread(self, seeds: list[int], trials: int) -> tuple[float, float]:
        """Mean number of activated nodes over ``trials`` cascades, and its standard error."""
        if not seeds:
            return 0.0, 0.0
        self.model.set_seeds(seeds)
        sizes = np.empty(trials)
        for t in range(trials):
            self.model.reset_model()
            self.model.advance_until_completion()
            sizes[t] = self.model.get_num_activated_nodes()
        return float(sizes.mean()), float(sizes.std(ddof=1) / np.sqrt(trials))

    def celf(self, cost: np.ndarray, budget: float, trials: int) -> list[int]:
        """Budgeted CELF: seeds by marginal spread per cost (``trials`` cascades per marginal),
        skipping what no longer fits; the best single seed instead when it spreads further."""
        affordable = [v for v in range(self.graph.n) if cost[v] <= budget]
        if not affordable:
            return []
        single = {v: float(self.model.compute_marginal_gains([], [v], trials)[1]) for v in affordable}
        heap = [(-single[v] / cost[v], v, 0) for v in affordable]
        heapq.heapify(heap)
        seeds: list[int] = []
        spent = 0.0
        while heap:
            _, v, fresh_at = heapq.heappop(heap)
            if spent + cost[v] > budget:
                continue
            if fresh_at == len(seeds):  # its gain was computed against the current seeds
                seeds.append(v)
                spent += float(cost[v])
                continue
            gain = float(self.model.compute_marginal_gains(seeds, [v], trials)[-1])
            heapq.heappush(heap, (-gain / cost[v], v, len(seeds)))
        best = max(single, key=lambda v: single[v])
        total, _ = self.spread(seeds, trials)
        return [best] if single[best] > total else seeds


def random_graph(n: int, m: int, seed: int) -> InfluenceGraph:
    """A directed graph with heavy-tailed out-degrees (Pareto 1.5 weights) and weighted-cascade
    probabilities 1/in-degree (Kempe, Kleinberg & Tardos 2003): test and benchmark input."""
    rng = np.random.default_rng(seed)
    weight = rng.pareto(1.5, n) + 1
    src = rng.choice(n, size=m, p=weight / weight.sum())
    dst = rng.integers(0, n, m)
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    in_degree = np.bincount(pairs[:, 1], minlength=n)
    return graph_from_arrays(n, pairs[:, 0], pairs[:, 1], 1.0 / in_degree[pairs[:, 1]])


__all__ = ["MonteCarlo", "random_graph"]
