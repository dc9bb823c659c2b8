"""A small workspace with an interaction graph, for the communities tests of the REST API, the
creator page and the browser (issue 15 §2)."""

from __future__ import annotations

from pathlib import Path

import creatorlens

#: two groups of creators, each with its fans; "hub_a" and "hub_b" are the ones their group points at
CREATORS_CSV = """platform,handle,followers,country,language
instagram,hub_a,50000,KR,ko
instagram,amy,3000,KR,ko
instagram,ann,2500,KR,ko
instagram,hub_b,40000,US,en
instagram,bob,2000,US,en
instagram,bea,1800,US,en
"""


def edges_csv() -> str:
    lines = ["source,target,kind"]
    for hub, crew in (("hub_a", ["amy", "ann"]), ("hub_b", ["bob", "bea"])):
        fans = [f"{hub}_fan{i}" for i in range(6)]
        for member in [*crew, *fans]:
            lines.append(f"{member},{hub},follow")
        lines += [f"{crew[0]},{crew[1]},comment", f"{crew[1]},{crew[0]},reply", f"{crew[0]},{hub},mention"]
        lines += [f"{fans[i]},{crew[i % 2]},follow" for i in range(6)]
    lines.append("amy,bob,follow")  # one tie between the groups
    return "\n".join(lines) + "\n"


def build_graph_workspace(folder: Path) -> Path:
    """The creators and edges above ingested into ``folder``/graph.duckdb and scored."""
    (folder / "creators.csv").write_text(CREATORS_CSV, encoding="utf-8")
    (folder / "edges.csv").write_text(edges_csv(), encoding="utf-8")
    path = folder / "graph.duckdb"
    with creatorlens.open(path) as ws:
        ws.ingest(folder / "creators.csv")
        ws.ingest(folder / "edges.csv", platform="instagram", kind="edges")
        report = ws.score()
        assert "graph" in report.steps
    return path
