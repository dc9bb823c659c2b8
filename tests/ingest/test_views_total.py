"""An account's lifetime total views (``views_total``) from a file column lands in its follower
snapshot; a row without it leaves the views unknown (null), never zero."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from creatorlens._workspace import Workspace


def test_a_total_views_column_fills_the_snapshot_views(tmp_path: Path) -> None:
    export = tmp_path / "channels.csv"
    export.write_text(
        "platform,handle,subscribers,Total Views,videos\n"
        "youtube,alpha,1000,55555,12\n"
        "youtube,beta,2000,,7\n"
        "youtube,gamma,3000,1.2M,9\n",
        encoding="utf-8",
    )
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = ws.ingest([export], observed_at=datetime(2026, 3, 1, 6))
        rows = ws.store.exec(
            "SELECT creator_id, followers, posts_count, views FROM follower_snapshots ORDER BY 1"
        )
        history = ws.view_history("youtube:gamma")
    assert report.files[0].posts == 0  # a creator-level column: no post rows
    assert rows == [
        ("youtube:alpha", 1000, 12, 55555),
        ("youtube:beta", 2000, 7, None),
        ("youtube:gamma", 3000, 9, 1_200_000),
    ]
    assert [(d.day.isoformat(), d.count) for d in history.daily] == [("2026-03-01", 1_200_000)]
