"""End-to-end tests of the core commands against a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens.cli import app

runner = CliRunner()

POSTS_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views,country
ana,12.5K,1,2025-01-01 10:00:00,hello #food,1.2K,30,5,20K,KR
ana,12.5K,2,2025-01-08 10:00:00,again #food,900,20,4,15K,KR
ben,2500,3,2025-01-03 10:00:00,hi,80,4,1,1000,US
ben,2500,4,2025-01-09 10:00:00,hi again,100,6,0,1500,US
,100,5,2025-01-09 10:00:00,no handle,1,1,1,1,US
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(POSTS_CSV, encoding="utf-8")
    target = tmp_path / "ws.duckdb"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(path),
            "--db",
            str(target),
            "--platform",
            "tiktok",
            "--observed-at",
            "2025-02-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "read 5 = loaded 4 + quarantined 1" in result.output
    return target


def test_score_creators_show_tiers_quarantine(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "scored 2 creators" in result.output

    result = runner.invoke(app, ["creators", "--db", str(db), "--format", "json", "--tier", "micro"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["handle"] for r in rows] == ["ana"]
    assert rows[0]["er_followers_lc_mean"] == pytest.approx((1230 + 920) / 2 / 12500)

    out = tmp_path / "c.csv"
    result = runner.invoke(
        app,
        [
            "creators",
            "--db",
            str(db),
            "--format",
            "csv",
            "--out",
            str(out),
            "--sort",
            "handle",
            "--ascending",
        ],
    )
    assert result.exit_code == 0 and out.read_text().splitlines()[1].split(",")[2] == '"ana"'

    result = runner.invoke(app, ["creators", "--db", str(db), "--country", "US", "--min-er", "0.01"])
    assert result.exit_code == 0 and "ben" in result.output and "ana" not in result.output

    result = runner.invoke(
        app, ["creators", "--db", str(db), "--scheme", "hypeauditor_aqs_2019", "--format", "json"]
    )
    tiers = {r["handle"]: (r["tier"], r["tier_scheme"]) for r in json.loads(result.output)}
    assert tiers == {"ana": ("micro", "hypeauditor_aqs_2019"), "ben": ("nano", "hypeauditor_aqs_2019")}

    result = runner.invoke(app, ["creators", "--db", str(db), "--search", "AN", "--format", "json"])
    assert [r["handle"] for r in json.loads(result.output)] == ["ana"]

    result = runner.invoke(app, ["show", "@ANA", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "@ana on tiktok" in result.output and "Benchmarks" in result.output

    result = runner.invoke(app, ["tiers", "--db", str(db), "--scheme", "nielsen_2022", "--format", "json"])
    assert result.exit_code == 0
    assert {r["tier"] for r in json.loads(result.output)} == {"micro", "nano"}

    result = runner.invoke(app, ["quarantine", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    (row,) = json.loads(result.output)
    assert (row["row"], row["reason"]) == (6, "no creator handle")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "missing.csv"], "file not found"),
        (["show", "nobody"], "no creator with handle"),
        (["creators", "--sort", "bogus"], "cannot sort by"),
        (["creators", "--format", "xml"], "--format"),
        (["score", "--scheme", "nope"], "unknown tier scheme"),
        (["ingest", "x.csv", "--map", "a"], "COLUMN=FIELD"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    args = [a if a != "x.csv" else str(tmp_path / "x.csv") for a in args]
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_ingest_unmapped_file_needs_platform(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("handle,followers\na,1\n")
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and "--platform" in result.output
