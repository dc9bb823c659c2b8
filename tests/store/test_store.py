"""The workspace file: schema versions, migrations, transactions, result tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from creatorlens.store import CREATORS, SCHEMA_VERSION, TABLES, Store, WorkspaceError


def test_new_workspace_has_every_source_table_and_its_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "ws.duckdb")
    assert store.schema_version() == SCHEMA_VERSION
    for spec in TABLES:
        if spec.name != "scorecard":  # a derived table, written by score()
            assert store.has_table(spec.name), spec.name
            assert list(store.table(spec.name).columns) == list(spec.columns)
    store.close()
    again = Store(tmp_path / "ws.duckdb")  # reopening migrates nothing twice
    assert again.scalar("SELECT count(*) FROM schema_version") == SCHEMA_VERSION


def test_a_newer_workspace_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "ws.duckdb")
    store.exec("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION + 1])
    store.close()
    with pytest.raises(WorkspaceError, match="newer than this creatorlens"):
        Store(tmp_path / "ws.duckdb")


def test_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        Store(tmp_path / "nope" / "ws.duckdb")


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "ws.duckdb")
    rows = pa.table({"creator_id": ["instagram:a"], "platform": ["instagram"], "handle": ["a"]})
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_latest(CREATORS, rows)
        raise RuntimeError("crash half-way")
    assert store.scalar("SELECT count(*) FROM creators") == 0


def test_replace_table_rebuilds_a_result_table(tmp_path: Path) -> None:
    store = Store(":memory:")
    store.replace_table("scores", pa.table({"creator_id": ["a", "b"], "x": [1.0, 2.0]}))
    store.replace_table("scores", pa.table({"creator_id": ["c"], "x": [3.0]}))
    assert store.table("scores").to_pyarrow().to_pylist() == [{"creator_id": "c", "x": 3.0}]


def test_a_new_result_table_drops_the_stale_read_view(tmp_path: Path) -> None:
    from creatorlens.store import CREATOR_VIEW

    store = Store(":memory:")
    store.replace_table(CREATOR_VIEW, pa.table({"creator_id": ["a"]}))
    assert store.has_table(CREATOR_VIEW)
    store.replace_table("content_scores", pa.table({"creator_id": ["a"], "focus": [0.5]}))
    assert not store.has_table(CREATOR_VIEW)


def test_frame_reads_an_optional_table_by_columns_and_creator() -> None:
    store = Store(":memory:")
    assert store.frame("content_scores") is None  # the step has not run
    store.replace_table(
        "content_scores", pa.table({"creator_id": ["a", "b"], "focus": [0.5, 0.9], "x": [1, 2]})
    )
    assert store.frame("content_scores", ["focus", "missing", "creator_id"]).to_dict("list") == {  # type: ignore[union-attr]
        "focus": [0.5, 0.9],
        "creator_id": ["a", "b"],
    }
    assert store.frame("content_scores", creator_id="b").to_dict("records") == [  # type: ignore[union-attr]
        {"creator_id": "b", "focus": 0.9, "x": 2}
    ]
    # a table without creator_id (comments) is filtered through the creator's posts
    store.replace_table("posts", pa.table({"post_id": ["p1", "p2"], "creator_id": ["a", "b"]}))
    store.replace_table("notes", pa.table({"post_id": ["p1", "p2", "p2"], "text": ["x", "y", "z"]}))
    got = store.frame("notes", ["text"], creator_id="b")
    assert got is not None and sorted(got["text"]) == ["y", "z"]
