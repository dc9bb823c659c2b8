"""Community detection on SNAP email-Eu-core against its 42 departments (issue 15 §2).

Contenders, on the same undirected weighted graph (a directed email edge u -> v and its reverse
are one tie of weight 2; self-loops dropped) and in the same run, each with seeds 1..5:
- Leiden, creatorlens' detector (igraph's ``community_leiden``, modularity, data/communities.toml);
- Louvain (``networkx.community.louvain_communities``);
- asynchronous label propagation (``networkx.community.asyn_lpa_communities``).
Each row: NMI and ARI against the departments, modularity (igraph's, the same function for all),
communities found and seconds per run (median over seeds). Published figures for this graph are
not cited: none was checked against a source in ../shared/reference.

Usage: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_communities.py [SEEDS]`` (default 5).
"""

from __future__ import annotations

import statistics
import sys

from _common import (
    REPO,
    library_versions,
    load_average,
    machine_facts,
    markdown_table,
    utc_now,
    write_section,
)

sys.path.insert(0, str(REPO / "tests"))  # the validity tests' helpers, named as pytest names them
from validity._email_eu_core import Outcome, compare

DATA = REPO.parent / "shared" / "data" / "graphs" / "email-eu-core"


def _span(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main(seeds: int = 5) -> None:
    runs: dict[str, list[Outcome]] = {}
    nodes = ties = 0
    for seed in range(1, seeds + 1):
        outcomes, nodes, ties = compare(DATA, seed)
        for outcome in outcomes:
            runs.setdefault(outcome.method, []).append(outcome)
    rows = [
        [
            method,
            _span([o.nmi for o in found]),
            _span([o.ari for o in found]),
            _span([o.modularity for o in found]),
            f"{statistics.median([o.communities for o in found]):.0f} "
            f"({min(o.communities for o in found)}–{max(o.communities for o in found)})",
            f"{statistics.median([o.seconds for o in found]):.2f}",
        ]
        for method, found in runs.items()
    ]
    body = (
        f"SNAP email-Eu-core: {nodes:,} nodes with an edge other than a self-loop, {ties:,} undirected "
        f"ties; truth: 42 departments. Seeds 1–{seeds}; each cell is the median (min–max) over "
        f"seeds. {utc_now()}, load average {load_average():.2f}, {machine_facts()}; "
        f"{library_versions(['leidenalg', 'igraph', 'networkx', 'scikit-learn'])}.\n\n"
        + markdown_table(
            ["method", "NMI vs departments", "ARI vs departments", "modularity", "communities", "s/run"], rows
        )
        + "\n\nDepartments are not modularity communities (NMI well below 1 for every method); "
        "label propagation collapses this dense graph into one community. Reproduce: "
        "`PYTHONPATH=src .venv/bin/python benchmarks/bench_communities.py`."
    )
    print(body)
    write_section("communities", "Communities: Leiden vs Louvain and label propagation (email-Eu-core)", body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
