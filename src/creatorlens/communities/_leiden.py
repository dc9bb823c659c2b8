"""Communities (Leiden) and each member's local influence within its community. Pure.

Leiden (Traag, Waltman & van Eck 2019) on the undirected, weighted view of the interaction graph,
maximising modularity at the configured resolution (1 is Newman-Girvan modularity), with
igraph's own implementation (``Graph.community_leiden``, in igraph's C core). It replaced
``leidenalg``'s, which found partitions of the same modularity 7-20x slower on the demo's graphs
(docs/communities.md "Iterations"). A seed fixes Leiden's random node order, so the same graph
and seed give the same communities.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd


@dataclass(frozen=True)
class LeidenSettings:
    seed: int = 42
    resolution: float = 1.0
    #: -1: until an iteration changes nothing.
    iterations: int = -1


def undirected_weighted(graph: ig.Graph) -> ig.Graph:
    """The undirected view Leiden works on: ``u -> v`` and ``v -> u`` become one tie whose weight
    is their sum."""
    return graph.as_undirected(mode="collapse", combine_edges={"weight": "sum"})


def leiden_membership(graph: ig.Graph, settings: LeidenSettings | None = None) -> np.ndarray:
    """Community index of each vertex, numbered 0.. by size (largest first; ties by the
    smallest vertex index), so the numbering does not depend on igraph's internal order."""
    settings = settings or LeidenSettings()
    if graph.vcount() == 0:
        return np.array([], dtype=np.int64)
    undirected = undirected_weighted(graph) if graph.is_directed() else graph
    weights = undirected.es["weight"] if "weight" in undirected.es.attributes() else None
    # igraph draws from one process-wide generator: a seeded one for this run, then the default
    # back, so the result depends on the seed alone.
    ig.set_random_number_generator(random.Random(settings.seed))
    try:
        partition = undirected.community_leiden(
            objective_function="modularity",
            weights=weights,
            resolution=settings.resolution,
            n_iterations=settings.iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    return renumber_by_size(np.asarray(partition.membership, dtype=np.int64))


def renumber_by_size(membership: np.ndarray) -> np.ndarray:
    """Relabel communities 0.. by decreasing size, ties by their first member."""
    labels, first, counts = np.unique(membership, return_index=True, return_counts=True)
    order = sorted(range(len(labels)), key=lambda i: (-counts[i], first[i]))
    new = np.empty(len(labels), dtype=np.int64)
    new[order] = np.arange(len(labels))
    lookup = dict(zip(labels.tolist(), new.tolist(), strict=True))
    return np.array([lookup[m] for m in membership.tolist()], dtype=np.int64)


def modularity(graph: ig.Graph, membership: np.ndarray) -> float:
    """Newman-Girvan modularity of a partition on the undirected weighted view."""
    undirected = undirected_weighted(graph) if graph.is_directed() else graph
    weights = undirected.es["weight"] if "weight" in undirected.es.attributes() else None
    return float(undirected.modularity(membership.tolist(), weights=weights))


def local_influence(
    graph: ig.Graph,
    membership: np.ndarray,
    *,
    damping: float = 0.85,
    focus: Collection[str] | None = None,
) -> pd.DataFrame:
    """Per node of ``focus`` (all nodes when None), within the subgraph of its own community:

    - ``local_pagerank``: PageRank on the directed, weighted community subgraph (sums to 1 over a
      community; attention flows source -> target, so a node many members point at ranks high);
    - ``reach_1hop`` / ``reach_2hop``: share of the other members that point at it directly /
      within two steps (its audience inside the community); NaN for a community of one;
    - ``leader_score``: 100 × the mean of ``local_pagerank / the community's largest`` and
      ``reach_2hop`` (docs/communities.md), in [0, 100].
    """
    names = graph.vs["name"] if graph.vcount() else []
    wanted = None if focus is None else set(focus)
    rows: list[dict[str, object]] = []
    membership = np.asarray(membership, dtype=np.int64)
    # One PageRank on the graph without its crossing edges instead of one per community subgraph
    # (46 calls, a quarter of the step at 5,000 creators). It is the same: with no edge between
    # communities, a community's share of the walk only scales its members' scores (teleports
    # and dangling jumps land uniformly), so scores divided by the community's sum are its own.
    inner = graph.copy()
    ends = np.asarray(inner.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    if len(ends):
        inner.delete_edges(np.flatnonzero(membership[ends[:, 0]] != membership[ends[:, 1]]).tolist())
    weights = inner.es["weight"] if inner.ecount() else None
    pagerank_all = np.zeros(0)
    if len(names):
        pagerank_all = np.asarray(inner.pagerank(directed=True, weights=weights, damping=damping))
    audience = inner.get_adjlist(mode="in")  # in-neighbours inside the node's own community
    # Members of every community from one stable sort: a scan of all nodes per community made
    # the demo's graph step (thousands of small communities) quadratic, 348 s at 20K creators.
    order = np.argsort(membership, kind="stable")
    communities, starts = np.unique(membership[order], return_index=True)
    groups = np.split(order, starts[1:]) if len(order) else []
    for community, members in zip(communities, groups, strict=True):
        member_names = [names[i] for i in members]
        if wanted is not None and not wanted.intersection(member_names):
            continue
        mass = pagerank_all[members].sum()
        pagerank = pagerank_all[members] / mass if mass > 0 else pagerank_all[members]
        top = pagerank.max() if len(pagerank) else 0.0
        others = len(members) - 1
        for local, (node, name) in enumerate(zip(members.tolist(), member_names, strict=True)):
            if wanted is not None and name not in wanted:
                continue
            if others:
                one = set(audience[node])
                two = set(one)
                for v in one:
                    two.update(audience[v])
                two.discard(node)
                reach1, reach2 = len(one) / others, len(two) / others
            else:
                reach1 = reach2 = float("nan")
            relative = pagerank[local] / top if top > 0 else float("nan")
            leader = 100 * (relative + reach2) / 2 if others else float("nan")
            rows.append(
                {
                    "node": name,
                    "community": int(community),
                    "community_size": len(members),
                    "local_pagerank": float(pagerank[local]),
                    "reach_1hop": reach1,
                    "reach_2hop": reach2,
                    "leader_score": leader,
                }
            )
    columns = ["node", "community", "community_size", "local_pagerank", "reach_1hop", "reach_2hop",
               "leader_score"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"node": object}) if frame.empty else frame


__all__ = [
    "LeidenSettings",
    "leiden_membership",
    "local_influence",
    "modularity",
    "renumber_by_size",
    "undirected_weighted",
]
