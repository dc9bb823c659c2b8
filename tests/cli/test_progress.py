"""Long commands say what they are doing: `score` reports every step with its time (a progress
bar on a terminal, plain lines on stderr otherwise), and Workspace.score tells a callback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import creatorlens
from creatorlens._steps import SCORING_STEPS
from creatorlens.cli import app

runner = CliRunner()

POSTS_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views,country
ana,12.5K,1,2025-01-01 10:00:00,hello #food,1.2K,30,5,20K,KR
ben,2500,3,2025-01-03 10:00:00,hi,80,4,1,1000,US
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "posts.csv").write_text(POSTS_CSV, encoding="utf-8")
    target = tmp_path / "ws.duckdb"
    ingest = ["ingest", str(tmp_path / "posts.csv"), "--db", str(target), "--platform", "tiktok"]
    assert runner.invoke(app, [*ingest, "--observed-at", "2025-02-01"]).exit_code == 0
    return target


def test_score_tells_each_step_when_it_starts_and_ends(db: Path) -> None:
    events: list[tuple[str, float | None]] = []
    with creatorlens.open(db) as ws:
        report = ws.score(on_step=lambda name, seconds: events.append((name, seconds)))
    names = ["engagement", *(s.name for s in SCORING_STEPS), "publish"]
    assert [n for n, s in events if s is None] == names
    assert [n for n, s in events if s is not None] == names
    for name, seconds in events:
        if seconds is not None:
            assert seconds >= 0.0
            assert report.seconds.get(name, 0.0) == pytest.approx(seconds)


def test_score_without_a_terminal_prints_one_line_per_step(db: Path) -> None:
    result = runner.invoke(app, ["score", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stderr.splitlines()]
    for name in ("engagement", *(s.name for s in SCORING_STEPS), "publish"):
        assert any(line.startswith(f"{name} ") and line.endswith("s") for line in lines), name
    assert "scored 2 creators" in result.stdout
