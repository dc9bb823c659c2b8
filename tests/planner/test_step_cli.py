from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app
from creatorlens.planner import Brief, plan_candidates


def test_plan_candidates_reads_the_store(workspace_path: Path) -> None:
    ws = Workspace(workspace_path)
    brief = Brief.build(budget=5000, target="country=KR age=18-24")
    frame = plan_candidates(ws.store, brief)
    ws.close()
    assert {"fit", "fit_basis", "reachable", "view_rate", "language"} <= set(frame.columns)
    measured = frame[frame["fit_basis"] == "measured"]
    estimated = frame[frame["fit_basis"] == "estimated"]
    assert len(measured) == 150 and len(estimated) == 150
    kr = measured[measured["country"] == "KR"]
    assert (kr["fit"].round(6) == 0.35).all()  # 0.7 in KR x 0.5 aged 18-24


def test_workspace_plan_and_grow(workspace_path: Path) -> None:
    with Workspace(workspace_path) as ws:
        result = ws.plan(Brief.build(budget=8000, goal="trust", target="country=US"))
        assert result.creators
        assert result.totals["cost"].mid <= 8000
        handle = result.creators[0].handle
        growth = ws.grow(handle, "country=US", 300.0)
        assert growth.handle == handle
        assert growth.follower_gain.mid > 0


def test_cli_plan_writes_json_and_csv(workspace_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        [
            "plan",
            "--db",
            str(workspace_path),
            "--budget",
            "5000",
            "--goal",
            "awareness",
            "--target",
            "country=US",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "at least" in result.output
    data = json.loads(out.read_text())
    assert data["brief"]["goal"] == "awareness" and data["creators"]
    brief = tmp_path / "brief.toml"
    brief.write_text(
        'budget = 3000\ngoal = "community"\n[constraints]\nmax_posts_per_creator = 2\n'
    )
    csv_out = tmp_path / "plan.csv"
    result = runner.invoke(
        app, ["plan", "--db", str(workspace_path), "--brief", str(brief), "--out", str(csv_out)]
    )
    assert result.exit_code == 0, result.output
    assert csv_out.read_text().startswith("creator_id,handle")


def test_cli_errors_are_one_line(workspace_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["plan", "--db", str(workspace_path), "--budget", "100", "--target", "age=20-30"]
    )
    assert result.exit_code == 2
    assert "not the start of a band" in result.output
    result = runner.invoke(app, ["plan", "--db", str(workspace_path)])
    assert result.exit_code == 2


def test_cli_grow(workspace_path: Path) -> None:
    runner = CliRunner()
    with Workspace(workspace_path) as ws:
        handle = ws.creators(limit=1).to_pandas()["handle"].iloc[0]
    result = runner.invoke(
        app,
        ["grow", handle, "--db", str(workspace_path), "--target", "country=KR", "--budget", "250"],
    )
    assert result.exit_code == 0, result.output
    assert "follower gain" in result.output
