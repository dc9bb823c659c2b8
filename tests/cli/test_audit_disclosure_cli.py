"""`creatorlens audit --disclosure` with and without a handle, against a real workspace file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from creatorlens.cli import app

runner = CliRunner()

CSV = """\
username,followers,video_id,create_time,caption,likes,comments,country
mina,12000,1,2025-01-01 10:00:00,"오늘 받은 선물 @brandkr 제품 후기입니다 #선물받음 #뷰티 #화장품",120,8,KR
mina,12000,2,2025-01-05 10:00:00,"[광고] @brandkr 신제품 리뷰 #광고 #뷰티",150,9,KR
joe,5000,3,2025-01-03 10:00:00,"#ad Loving my new shoes from @shoeco, use code JOE20",80,4,US
joe,5000,4,2025-01-06 10:00:00,"Morning run along the river",60,3,US
"""


def _tables(output: str) -> list[list[list[str]]]:
    """The body rows of each table printed, as cells (a row's wrapped continuation lines, whose
    first cell is empty, are left out: the figures are on the first line)."""
    tables: list[list[list[str]]] = []
    for line in output.splitlines():
        if line.startswith("┡"):
            tables.append([])
        elif line.startswith("│") and tables:
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                tables[-1].append(cells)
    return tables


def test_disclosure_audit_for_one_creator_and_for_the_workspace(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(CSV, encoding="utf-8")
    db = str(tmp_path / "ws.duckdb")
    assert runner.invoke(app, ["ingest", str(path), "--db", db, "--platform", "instagram", "--observed-at", "2025-02-01"]).exit_code == 0
    result = runner.invoke(app, ["score", "--db", db])
    assert result.exit_code == 0, result.output

    # The truth of CSV under the KR rules: mina's post 1 is a gift with a brand @-mention and no
    # label (sponsored, undisclosed), post 2 starts with [광고] (compliant); joe's post 3 starts
    # with #ad (compliant) and post 4 is no ad at all.
    result = runner.invoke(app, ["audit", "--disclosure", "--jurisdiction", "kr", "--db", db])
    assert result.exit_code == 0, result.output
    transparency, sponsored = _tables(result.output)
    # creator, jurisdiction, posts, sponsored, compliant, undisclosed, transparency
    assert transparency == [
        ["instagram:mina", "Korea (KFTC)", "2", "2", "1", "1", "50%"],
        ["instagram:joe", "Korea (KFTC)", "2", "1", "1", "0", "100%"],
    ]
    assert [row[:2] for row in sponsored] == [  # post, verdict (human labels, not codes)
        ["instagram:1", "likely ad, undisclosed"],
        ["instagram:2", "disclosed properly"],
        ["instagram:3", "disclosed properly"],
    ]
    # the label each was found by; the undisclosed post has none: "—", never "nan"
    assert [row[2] for row in sponsored] == ["—", "[광고]", "#ad"]
    assert "nan" not in result.output

    result = runner.invoke(app, ["audit", "joe", "--disclosure", "--jurisdictions", "us", "--db", db])
    assert result.exit_code == 0, result.output
    transparency, sponsored = _tables(result.output)
    assert transparency == [["instagram:joe", "US (FTC)", "2", "1", "1", "0", "100%"]]
    assert [row[:3] for row in sponsored] == [["instagram:3", "disclosed properly", "#ad"]]
    assert "mina" not in result.output

    result = runner.invoke(app, ["audit", "--db", db])
    assert result.exit_code == 2 and "HANDLE" in result.output


def test_disclosure_audit_exports_every_verdict_of_every_post(tmp_path: Path) -> None:
    """`--format csv|json|parquet --out` holds one row per post x jurisdiction (the sponsored and
    the unsponsored posts), the same rows in each format; JSON on stdout is one document."""
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = tmp_path / "posts.csv"
    path.write_text(CSV, encoding="utf-8")
    db = str(tmp_path / "ws.duckdb")
    assert runner.invoke(app, ["ingest", str(path), "--db", db, "--platform", "instagram", "--observed-at", "2025-02-01"]).exit_code == 0
    assert runner.invoke(app, ["score", "--db", db]).exit_code == 0

    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"v.{fmt}"
        result = runner.invoke(app, ["audit", "--disclosure", "--format", fmt, "--out", str(out), "--db", db])
        assert result.exit_code == 0, result.output
    from_csv = pacsv.read_csv(tmp_path / "v.csv").to_pylist()
    from_parquet = pq.read_table(tmp_path / "v.parquet").to_pylist()
    from_json = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["verdicts"]
    keys = sorted((r["post_id"], r["jurisdiction"], r["verdict"]) for r in from_parquet)
    assert len(keys) == 4 * 3  # 4 posts x us, kr, uk
    assert sorted((r["post_id"], r["jurisdiction"], r["verdict"]) for r in from_csv) == keys
    assert sorted((r["post_id"], r["jurisdiction"], r["verdict"]) for r in from_json) == keys
    assert ("instagram:4", "kr", "not_sponsored") in keys
    assert ("instagram:1", "kr", "undisclosed_likely_ad") in keys

    # a creator's audit with --disclosure --json: one JSON document and nothing else
    result = runner.invoke(app, ["audit", "joe", "--disclosure", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"authenticity", "disclosure"}
    assert {r["post_id"] for r in document["disclosure"]["verdicts"]} == {"instagram:3", "instagram:4"}

    result = runner.invoke(app, ["audit", "joe", "--format", "xml", "--db", db])
    assert result.exit_code == 2 and "table, csv, json, parquet" in result.output
