"""The graph step's Leiden on a generated demo: igraph's implementation (creatorlens' now) vs
leidenalg's (before), each capped at 2 iterations and run to convergence (-1).

Builds the demo (``generate_demo(seed=2026, creators=N)``) and the edges the graph step sees (the
demo's follow edges plus the comments, replies and mentions it implies) and runs Leiden at the
configured seed: seconds, modularity, and NMI / ARI of the creators' communities against the
planted ones (``demo_truth_communities``); then the whole ``analyse`` at the configured setting.

Usage: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_graph_step.py [CREATORS]`` (default 5000).
"""

from __future__ import annotations

import sys
import time

import leidenalg
import numpy as np
import pandas as pd
from _common import library_versions, load_average, machine_facts, markdown_table, utc_now, write_section

from creatorlens.communities import (
    CommunitySettings,
    LeidenSettings,
    agreement,
    analyse,
    build_graph,
    interaction_edges,
    leiden_membership,
    modularity,
    undirected_weighted,
)
from creatorlens.communities._graph import EDGE_COLUMNS
from creatorlens.demo import generate_demo


def main(creators: int = 5000) -> None:
    data = generate_demo(seed=2026, creators=creators)
    posts = data.posts.select(["post_id", "creator_id", "platform", "mentions"]).to_pandas()
    comments = data.comments.select(["comment_id", "post_id", "author", "reply_to"]).to_pandas()
    edges = pd.concat(
        [data.edges.select(list(EDGE_COLUMNS)).to_pandas(), interaction_edges(comments, posts)],
        ignore_index=True,
    )
    truth = data.truth_communities.select(["creator_id", "community"]).to_pandas()
    graph = build_graph(edges)
    names = pd.Index(graph.vs["name"])
    at = names.get_indexer(truth["creator_id"])
    settings = CommunitySettings.load()
    rows = []
    undirected = undirected_weighted(graph)

    def with_leidenalg(iterations: int) -> np.ndarray:
        partition = leidenalg.find_partition(
            undirected, leidenalg.RBConfigurationVertexPartition, weights=undirected.es["weight"],
            resolution_parameter=settings.leiden.resolution, n_iterations=iterations,
            seed=settings.leiden.seed,
        )  # fmt: skip
        return np.asarray(partition.membership, dtype=np.int64)

    def with_igraph(iterations: int) -> np.ndarray:
        leiden = LeidenSettings(settings.leiden.seed, settings.leiden.resolution, iterations)
        return leiden_membership(graph, leiden)

    contenders = (
        ("igraph community_leiden (creatorlens)", with_igraph),
        ("leidenalg (before)", with_leidenalg),
    )
    for label, run in contenders:
        for iterations in (2, -1):
            start = time.perf_counter()
            found = run(iterations)
            seconds = time.perf_counter() - start
            score = agreement(truth["community"].tolist(), found[at].tolist())
            quality = [f"{modularity(graph, found):.4f}", f"{score.nmi:.4f}", f"{score.ari:.4f}"]
            rows.append([label, str(iterations), f"{seconds:.1f}", *quality, f"{len(set(found.tolist())):,}"])
    profiles = data.creators.select(["creator_id", "country", "language"]).to_pandas().assign(main_niche=None)
    start = time.perf_counter()
    analyse(edges, profiles, settings)
    whole = time.perf_counter() - start
    body = (
        f"Demo seed 2026, {creators:,} creators: {graph.vcount():,} nodes, {graph.ecount():,} "
        f"directed edges (follows, comments, replies, mentions). {utc_now()}, load average "
        f"{load_average():.2f}, {machine_facts()}; {library_versions(['leidenalg', 'igraph'])}.\n\n"
        + markdown_table(
            ["implementation", "iterations", "s", "modularity", "NMI vs planted", "ARI vs planted",
             "communities"],
            rows,
        )
        + f"\n\nThe whole `analyse` as the graph step runs it (graph, Leiden at "
        f"{settings.leiden.iterations} iterations, features, local influence, summaries): {whole:.1f} s. "
        "Before (leidenalg run to convergence, one PageRank per community), the graph step of "
        "`creatorlens demo --creators 5000` took 40.1 s on the demo before planted communities "
        "(372 s at 20,000 creators). Timings vary with the load of the shared machine. Reproduce: "
        "`PYTHONPATH=src .venv/bin/python benchmarks/bench_graph_step.py`."
    )
    print(body)
    title = "Communities: the graph step's Leiden on the demo (igraph vs leidenalg)"
    write_section("graph-step", title, body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
