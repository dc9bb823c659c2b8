"""SNAP email-Eu-core (../shared/data/graphs/email-eu-core, PROVENANCE.txt there) and the
community detectors compared on it: creatorlens' Leiden, and networkx's Louvain and label
propagation on the same undirected weighted graph (tests/validity and benchmarks share this)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from creatorlens.communities import (
    CommunitySettings,
    agreement,
    build_graph,
    leiden_membership,
    modularity,
    undirected_weighted,
)


def load(folder: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """The directed edges (as an edge table) and each node's department."""
    pairs = np.loadtxt(folder / "email-Eu-core.txt", dtype=np.int64)
    labels = np.loadtxt(folder / "email-Eu-core-department-labels.txt", dtype=np.int64)
    edges = pd.DataFrame(
        {"source_id": [str(a) for a in pairs[:, 0]], "target_id": [str(b) for b in pairs[:, 1]],
         "kind": "interaction", "weight": 1.0}
    )  # fmt: skip
    return edges, {str(node): int(dept) for node, dept in labels}


@dataclass(frozen=True)
class Outcome:
    method: str
    communities: int
    nmi: float
    ari: float
    modularity: float
    seconds: float


def compare(folder: Path, seed: int | None = None) -> tuple[list[Outcome], int, int]:
    """Each detector's NMI and ARI against the departments and modularity (same graph, same
    modularity function), the graph's nodes and undirected ties. Nodes without an edge other
    than a self-loop are not in the graph and not scored."""
    edges, departments = load(folder)
    settings = CommunitySettings.load()
    seed = settings.leiden.seed if seed is None else seed
    graph = build_graph(edges)
    names = graph.vs["name"]
    truth = [departments[n] for n in names]
    undirected = undirected_weighted(graph)
    nxg = nx.Graph()
    nxg.add_nodes_from(range(undirected.vcount()))
    nxg.add_weighted_edges_from((e.source, e.target, e["weight"]) for e in undirected.es)

    def from_sets(sets: list[set[int]]) -> np.ndarray:
        membership = np.empty(undirected.vcount(), dtype=np.int64)
        for label, members in enumerate(sets):
            membership[list(members)] = label
        return membership

    detectors: dict[str, Callable[[], np.ndarray]] = {
        "Leiden (creatorlens: igraph, modularity)": lambda: leiden_membership(
            graph, replace(settings.leiden, seed=seed)
        ),
        "Louvain (networkx)": lambda: from_sets(
            nx.community.louvain_communities(nxg, weight="weight", seed=seed)
        ),
        "label propagation (networkx, asynchronous)": lambda: from_sets(
            list(nx.community.asyn_lpa_communities(nxg, weight="weight", seed=seed))
        ),
    }
    outcomes = []
    for method, detect in detectors.items():
        started = time.perf_counter()
        membership = detect()
        seconds = time.perf_counter() - started
        score = agreement(truth, membership.tolist())
        outcomes.append(
            Outcome(method, len(set(membership.tolist())), score.nmi, score.ari,
                    modularity(graph, membership), seconds)
        )  # fmt: skip
    return outcomes, graph.vcount(), undirected.ecount()
