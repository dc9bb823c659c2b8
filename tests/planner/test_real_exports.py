"""The issue's brief on a workspace of the shared real exports, none of which has a Korean
beauty audience: the plan must say no creator matches and why, with no picks and exit 0."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import creatorlens
from creatorlens.cli import app

BRIEF = ["--budget", "20000000", "--goal", "trust", "--target", "age=18-34 country=KR interest=beauty"]


@pytest.mark.slow
def test_kr_beauty_brief_on_real_exports_matches_no_one(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "real.duckdb"
    ws = creatorlens.Workspace(path)
    ws.ingest(
        shared_data / "ig-influencers-kim2020" / "influencers.txt",
        platform="instagram",
        observed_at=datetime(2019, 1, 1),
    )
    ws.ingest(shared_data / "tiktok-vn-2025" / "raw_data.csv")
    for f in sorted((shared_data / "top1000-social-2022").glob("*.csv")):
        ws.ingest(f, observed_at=None if "2022" in f.name else datetime(2022, 3, 1))
    ws.ingest(
        shared_data / "instagram-reach" / "instagram_reach.csv",
        platform="instagram",
        observed_at=datetime(2018, 7, 10),
    )
    ws.score(steps=[])
    kr = int(ws.store.scalar("SELECT count(*) FROM creators WHERE upper(country) = 'KR'"))
    ws.close()
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(app, ["plan", "--db", str(path), *BRIEF, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No creator matches the target.")
    assert "What would help" in result.output and "country" in result.output
    import json

    data = json.loads(out.read_text())
    assert data["creators"] == [] and data["currency"] == "KRW" and data["cost_at_basis"] == 0
    report = data["candidates"]
    assert report["matching"] == 0 and report["considered"] > 10_000
    # the data has no Korean creators and no audience breakdowns: the country dimension (or a fit
    # that rests on no data at all) rules everyone out
    assert kr == 0 and report["with_audience_data"] == 0
    assert all(k.startswith(("country", "unknown fit")) for k in report["ruled_out_by"])
    assert any(k.startswith("country") for k in report["ruled_out_by"])
    assert sum(report["ruled_out_by"].values()) == report["considered"]
