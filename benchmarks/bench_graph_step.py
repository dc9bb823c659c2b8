"""The graph step's Leiden on a generated demo: iterations capped at 2 vs run to convergence.

Builds the demo (``generate_demo(seed=2026, creators=N)``), the edges the graph step sees (the
demo's follow edges plus the comments, replies and mentions it implies), and runs Leiden at the
configured seed with ``iterations = 2`` (data/communities.toml) and ``-1`` (until no
improvement): seconds, modularity, and NMI / ARI of the creators' communities against the
planted ones (``demo_truth_communities``); then the whole ``analyse`` at the configured setting.

Usage: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_graph_step.py [CREATORS]`` (default 5000).
"""

from __future__ import annotations

import sys
import time

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
    for iterations in (settings.leiden.iterations, -1):
        start = time.perf_counter()
        leiden = LeidenSettings(settings.leiden.seed, settings.leiden.resolution, iterations)
        found = leiden_membership(graph, leiden)
        seconds = time.perf_counter() - start
        score = agreement(truth["community"].tolist(), np.asarray(found)[at].tolist())
        rows.append([str(iterations), f"{seconds:.1f}", f"{modularity(graph, found):.4f}",
                     f"{score.nmi:.4f}", f"{score.ari:.4f}", f"{int(found.max()) + 1:,}"])  # fmt: skip
    profiles = data.creators.select(["creator_id", "country", "language"]).to_pandas().assign(main_niche=None)
    start = time.perf_counter()
    analyse(edges, profiles, settings)
    whole = time.perf_counter() - start
    body = (
        f"Demo seed 2026, {creators:,} creators: {graph.vcount():,} nodes, {graph.ecount():,} "
        f"directed edges (follows, comments, replies, mentions). {utc_now()}, load average "
        f"{load_average():.2f}, {machine_facts()}; {library_versions(['leidenalg', 'igraph'])}.\n\n"
        + markdown_table(
            ["Leiden iterations", "s", "modularity", "NMI vs planted", "ARI vs planted", "communities"], rows
        )
        + f"\n\nThe whole `analyse` (graph, Leiden at {settings.leiden.iterations} iterations, features, "
        f"local influence, summaries): {whole:.1f} s. Before the cap, the graph step of `creatorlens "
        "demo --creators 5000` (the demo before planted communities, mostly one-off commenters) "
        "took 40.1 s, of which Leiden's 35 iterations were most (74 s vs 5.8 s for 2 iterations "
        "when profiled on a loaded machine, modularity 0.8601 vs 0.8594). Reproduce: "
        "`PYTHONPATH=src .venv/bin/python benchmarks/bench_graph_step.py`."
    )
    print(body)
    write_section("graph-step", "Communities: the graph step's Leiden iterations (demo)", body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
