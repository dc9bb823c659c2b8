"""`Workspace.demo` and `creatorlens demo` against a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app
from creatorlens.demo import generate_demo


def test_workspace_demo_writes_every_table_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    with Workspace(path) as ws:
        data, report = ws.demo(seed=2, creators=80, posts_per_creator=6, score=False)
        assert report is None
        counts = {
            name: t.num_rows for name, t in {**data.source_tables(), **data.truth_tables()}.items()
        }
        for name, rows in counts.items():
            assert ws.store.scalar(f'SELECT count(*) FROM "{name}"') == rows, name
        ws.demo(seed=2, creators=80, posts_per_creator=6, score=False)  # again: nothing changes
        for name, rows in counts.items():
            assert ws.store.scalar(f'SELECT count(*) FROM "{name}"') == rows, name
        stored = ws.store.table("posts").to_pyarrow().cast(data.posts.schema)
        assert stored.sort_by("post_id").equals(data.posts.sort_by("post_id"))


def test_scored_demo_recovers_the_generated_tiers(tmp_path: Path) -> None:
    with Workspace(tmp_path / "demo.duckdb") as ws:
        data, _ = ws.demo(seed=4, creators=120, posts_per_creator=8, score=False)
        ws.score(steps=[])
        scored = ws.store.table("scorecard").select("creator_id", "tier").to_pandas()
    truth = data.truth_creators.to_pandas()[["creator_id", "tier"]]
    merged = truth.merge(scored, on="creator_id", suffixes=("_truth", "_scored"))
    assert len(merged) == 120
    assert (merged.tier_scored.fillna("none") == merged.tier_truth).all()


def test_cli_demo_prints_summary_and_workspace_path(tmp_path: Path) -> None:
    path = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "demo",
            "--db",
            str(path),
            "--seed",
            "3",
            "--creators",
            "60",
            "--posts",
            "5",
            "--top",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "60 creators" in result.output and "300 posts" in result.output
    assert "Top nano creators" in result.output
    assert result.output.strip().endswith(str(path.resolve()))
    with Workspace(path) as ws:
        assert ws.store.has_table("scorecard") and ws.store.has_table("demo_truth_events")


def test_cli_demo_rejects_bad_sizes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--db", str(tmp_path / "x.duckdb"), "--creators", "0"]
    )
    assert result.exit_code != 0


@pytest.mark.slow
def test_default_size_demo_has_the_promised_scale() -> None:
    data = generate_demo()
    assert data.creators.num_rows == 20_000
    assert data.posts.num_rows == 600_000
    assert set(data.creators.column("platform").to_pylist()) == {"instagram", "tiktok", "youtube"}
    assert data.truth_events.num_rows > 1_500
