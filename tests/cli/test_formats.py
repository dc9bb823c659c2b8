"""One output convention: every command that prints rows writes the same rows as CSV, JSON and
Parquet (``--format``, or the suffix of ``--out``), and JSON on stdout is one document alone."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
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
#: command lines (after the command name) whose rows the formats must agree on, and the key
#: column that identifies a row.
COMMANDS: dict[str, tuple[list[str], str]] = {
    "creators": (["creators"], "handle"),
    "show": (["show", "ana"], "handle"),
    "tiers": (["tiers"], "tier"),
    "quarantine": (["quarantine"], "row"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("formats")
    (tmp / "posts.csv").write_text(POSTS_CSV, encoding="utf-8")
    target = tmp / "ws.duckdb"
    ingest = ["ingest", str(tmp / "posts.csv"), "--db", str(target), "--platform", "tiktok"]
    assert runner.invoke(app, [*ingest, "--observed-at", "2025-02-01"]).exit_code == 0
    assert runner.invoke(app, ["score", "--db", str(target)]).exit_code == 0
    return target


def _keys(rows: list[dict[str, object]], key: str) -> list[str]:
    return sorted(str(r[key]) for r in rows)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_csv_json_parquet_hold_the_same_rows(db: Path, tmp_path: Path, command: str) -> None:
    args, key = COMMANDS[command]
    base = [*args, "--db", str(db)]
    printed = runner.invoke(app, [*base, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    document = json.loads(printed.stdout)  # stdout is one JSON document and nothing else
    from_stdout = document if isinstance(document, list) else [document]
    assert from_stdout, f"{command} printed no rows"

    csv_out = runner.invoke(app, [*base, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    from_csv = list(csv.DictReader(io.StringIO(csv_out.stdout)))

    by_suffix = runner.invoke(app, [*base, "--out", str(tmp_path / "rows.parquet")])
    assert by_suffix.exit_code == 0, by_suffix.output
    from_parquet = pq.read_table(tmp_path / "rows.parquet").to_pylist()

    assert _keys(from_csv, key) == _keys(from_stdout, key) == _keys(from_parquet, key)
    if command != "show":  # show's JSON nests prices and brands; its flat files carry them as text
        assert set(from_csv[0]) == set(from_stdout[0]) == set(from_parquet[0])


def test_out_without_a_known_suffix_or_format_is_a_user_error(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["tiers", "--db", str(db), "--out", str(tmp_path / "t.txt")])
    assert result.exit_code == 2
    assert "csv, json or parquet" in result.output


def test_unknown_format_lists_the_valid_ones(db: Path) -> None:
    result = runner.invoke(app, ["show", "ana", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2
    assert "table, csv, json or parquet" in result.output


@pytest.mark.parametrize(
    ("option", "value", "valid"),
    [
        ("--tier", "bogus", "nano, micro, macro, mega"),
        ("--platform", "myspace", "instagram, tiktok, youtube"),
        ("--niche", "cooking2", "beauty"),
        ("--country", "Korea", "KR"),
    ],
)
def test_bad_enum_values_exit_2_with_the_valid_values(db: Path, option: str, value: str, valid: str) -> None:
    result = runner.invoke(app, ["creators", "--db", str(db), option, value])
    assert result.exit_code == 2, result.output
    assert value in result.output and valid in result.output


def test_good_enum_values_in_any_case_still_filter(db: Path) -> None:
    result = runner.invoke(app, ["creators", "--db", str(db), "--tier", "Micro", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["handle"] for r in json.loads(result.stdout)] == ["ana"]


def test_plan_formats_hold_the_same_creators(db: Path, tmp_path: Path) -> None:
    base = ["plan", "--budget", "3000", "--goal", "awareness", "--db", str(db)]
    printed = runner.invoke(app, [*base, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    plan = json.loads(printed.stdout)  # the whole plan, nothing else on stdout
    picked = sorted(c["handle"] for c in plan["creators"])
    assert picked, "the plan picked nobody"
    csv_out = runner.invoke(app, [*base, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    from_csv = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    written = runner.invoke(app, [*base, "--out", str(tmp_path / "plan.parquet")])
    assert written.exit_code == 0 and "wrote" in written.output, written.output
    from_parquet = pq.read_table(tmp_path / "plan.parquet").to_pylist()
    assert sorted(r["handle"] for r in from_csv) == picked == sorted(r["handle"] for r in from_parquet)
    assert list(from_csv[0]) == list(from_parquet[0])  # the same columns as the web's CSV
    assert all(r["currency"] == plan["brief"]["currency"] for r in from_csv)


def test_grow_formats_hold_the_same_plan(db: Path, tmp_path: Path) -> None:
    base = ["grow", "ana", "--budget", "200", "--target", "country=KR", "--db", str(db)]
    printed = runner.invoke(app, [*base, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    growth = json.loads(printed.stdout)
    csv_out = runner.invoke(app, [*base, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    (row,) = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    written = runner.invoke(app, [*base, "--out", str(tmp_path / "grow.parquet")])
    assert written.exit_code == 0, written.output
    (stored,) = pq.read_table(tmp_path / "grow.parquet").to_pylist()
    assert row["handle"] == stored["handle"] == growth["handle"] == "ana"
    assert json.loads(row["follower_gain"]) == json.loads(stored["follower_gain"]) == growth["follower_gain"]
