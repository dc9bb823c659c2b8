"""Released migrations are frozen; together they must build exactly the live source-table specs.

A column added to a source table's spec without a new migration would leave every existing
workspace without it: this test fails then, naming the table and the difference.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from creatorlens.store import Store
from creatorlens.store._migrations import MIGRATIONS
from creatorlens.store._schema import SCHEMA_VERSION, TABLES, TableSpec

#: Source tables are migrated; the scorecard is a result table rebuilt by each scoring run.
SOURCE_SPECS = [t for t in TABLES if t.name != "scorecard"]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(str(name), str(kind)) for name, kind in rows]


def _migrated() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for version in range(1, SCHEMA_VERSION + 1):
        for stmt in MIGRATIONS[version]():
            con.execute(stmt)
    return con


def test_every_schema_version_has_a_migration() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("spec", SOURCE_SPECS, ids=lambda s: s.name)
def test_the_migrations_build_the_live_spec(spec: TableSpec) -> None:
    from_migrations = _columns(_migrated(), spec.name)
    live = duckdb.connect(":memory:")
    live.execute(spec.create_sql())
    assert from_migrations == _columns(live, spec.name), (
        f"{spec.name}: the spec differs from what the released migrations build; "
        "add a migration instead of editing a released one"
    )


def test_a_v1_file_upgrades_to_the_current_version_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version BIGINT, applied_at TIMESTAMP)")
    for stmt in MIGRATIONS[1]():
        con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute(
        "INSERT INTO creators (creator_id, platform, handle, followers) "
        "VALUES ('instagram:a', 'instagram', 'a', 1234)"
    )
    con.execute(
        "INSERT INTO posts (post_id, creator_id, platform, likes) "
        "VALUES ('instagram:p1', 'instagram:a', 'instagram', 7)"
    )
    con.close()

    store = Store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        for spec in SOURCE_SPECS:
            assert store.has_table(spec.name), spec.name
        assert store.scalar("SELECT followers FROM creators WHERE creator_id = 'instagram:a'") == 1234
        assert store.scalar("SELECT likes FROM posts WHERE post_id = 'instagram:p1'") == 7
        versions = [r[0] for r in store.exec("SELECT version FROM schema_version ORDER BY 1")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
    finally:
        store.close()


def test_a_v5_file_gains_snapshot_views_unknown_for_old_rows(tmp_path: Path) -> None:
    """Migration 6 adds follower_snapshots.views: the snapshots a v5 workspace holds keep their
    counts and read views as null (unknown, not zero); a later YouTube channel response fills it."""
    path = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version BIGINT, applied_at TIMESTAMP)")
    for version in range(1, 6):
        for stmt in MIGRATIONS[version]():
            con.execute(stmt)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    con.execute(
        "INSERT INTO follower_snapshots (creator_id, observed_at, followers, source_file) "
        "VALUES ('youtube:chan', '2026-03-01 06:00:00', 1230000, 'old.json')"
    )
    assert "views" not in [c for c, _ in _columns(con, "follower_snapshots")]
    con.close()

    store = Store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.exec("SELECT followers, views FROM follower_snapshots") == [(1230000, None)]
    finally:
        store.close()
    from creatorlens._workspace import Workspace

    channel = tmp_path / "channels.json"
    channel.write_text(
        '{"kind": "youtube#channelListResponse", "items": [{"kind": "youtube#channel", '
        '"id": "UC1", "snippet": {"title": "Chan", "customUrl": "@chan"}, "statistics": '
        '{"viewCount": "4560000", "subscriberCount": "1240000", "videoCount": "12"}}]}',
        encoding="utf-8",
    )
    with Workspace(path) as ws:
        ws.ingest([channel], observed_at=datetime(2026, 3, 2, 6))
        rows = ws.store.exec(
            "SELECT observed_at, followers, views FROM follower_snapshots ORDER BY observed_at"
        )
    assert rows == [
        (datetime(2026, 3, 1, 6), 1230000, None),
        (datetime(2026, 3, 2, 6), 1240000, 4560000),
    ]
