"""`ingest --kind edges`: every row loaded into `edges` or quarantined with file, row and column;
an edge list offered as a creator export is refused (issue 16)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import creatorlens
from creatorlens.errors import UserError

EDGES_CSV = """\
source,target,kind,weight,time,note
@alice,bob,follow,1,2025-01-02,x
carol,,comment,2,,
dan,alice,mention,abc,,
erin,alice,,3,notadate,
bob,Alice,Reply,,2025-03-04 10:00,hi
frank,alice,comment,-1,,
"""


def _rows(ws: creatorlens.Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.store.exec(sql)


def test_edges_file_loads_or_quarantines_every_row(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(EDGES_CSV, encoding="utf-8")
    report = workspace.ingest(path, platform="instagram", kind="edges").files[0]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (6, 2, 4)
    assert report.edges == 2 and report.creators == 0
    edges = _rows(
        workspace,
        "SELECT source, target, source_id, target_id, kind, weight, time, row, extra FROM edges ORDER BY row",
    )
    assert edges[0][:6] == ("alice", "bob", "instagram:alice", "instagram:bob", "follow", 1.0)
    assert json.loads(str(edges[0][8])) == {"note": "x"}
    # the target keeps its case as written; its id is lowercased like every creator_id
    assert edges[1][:6] == ("bob", "Alice", "instagram:bob", "instagram:alice", "reply", 1.0)
    assert str(edges[1][6]) == "2025-03-04 10:00:00" and edges[1][7] == 6
    quarantined = _rows(workspace, 'SELECT file, "row", "column", value FROM quarantine ORDER BY "row"')
    assert [(r[1], r[2]) for r in quarantined] == [(3, "target"), (4, "weight"), (5, "time"), (7, "weight")]
    assert all(r[0] == str(path) for r in quarantined)
    assert not _rows(workspace, "SELECT * FROM creators")


def test_edge_list_as_creator_export_is_refused(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "graph.csv"
    path.write_text("source,target,weight\nalice,bob,1\nbob,carol,2\n", encoding="utf-8")
    with pytest.raises(UserError, match="looks like an edge list, not a creator export; use --kind edges"):
        workspace.ingest(path, platform="tiktok")
    assert not _rows(workspace, "SELECT * FROM creators")
    assert not _rows(workspace, "SELECT * FROM ingests")  # refused, so it can be ingested as edges
    assert workspace.ingest(path, platform="tiktok", kind="edges").files[0].rows_loaded == 2


def test_creator_export_is_not_taken_for_an_edge_list(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "creators.csv"
    path.write_text("username,followers,from\nalice,1200,seoul\n", encoding="utf-8")
    assert workspace.ingest(path, platform="tiktok").files[0].creators == 1


def test_parquet_edges_with_platform_column_and_map(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "follows.parquet"
    pq.write_table(
        pa.table({"who": ["a", "b", "c"], "whom": ["b", "a", "a"], "platform": ["tiktok", "youtube", "x"]}),
        path,
    )
    report = workspace.ingest(
        path, kind="edges", column_map={"who": "source", "whom": "target"}
    ).files[0]
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert _rows(workspace, "SELECT source_id, kind FROM edges ORDER BY row") == [
        ("tiktok:a", "interaction"),
        ("youtube:b", "interaction"),
    ]
    assert _rows(workspace, 'SELECT "column" FROM quarantine') == [("platform",)]


def test_edges_file_without_target_column_is_an_error(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "half.csv"
    path.write_text("source,weight\na,1\n", encoding="utf-8")
    with pytest.raises(UserError, match="no target column"):
        workspace.ingest(path, platform="tiktok", kind="edges")


_CELL = st.one_of(
    st.just(""), st.text(string.ascii_letters + string.digits + " @-:.,", max_size=8),
    st.integers(-5, 50).map(str), st.sampled_from(["2025-01-01", "yesterday", "1.5", "N/A"]),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL), min_size=1, max_size=12))
def test_read_equals_loaded_plus_quarantined(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    import csv
    import io
    import uuid

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "target", "weight", "time"])
    writer.writerows(rows)
    path = tmp_path / f"e-{uuid.uuid4().hex}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with creatorlens.open(":memory:") as ws:
        report = ws.ingest(path, platform="instagram", kind="edges").files[0]
        stored = ws.store.scalar("SELECT count(*) FROM edges")
        quarantined = ws.store.scalar("SELECT count(*) FROM quarantine")
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    assert stored == report.rows_loaded and quarantined == report.rows_quarantined
