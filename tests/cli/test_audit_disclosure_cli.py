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


def test_disclosure_audit_for_one_creator_and_for_the_workspace(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(CSV, encoding="utf-8")
    db = str(tmp_path / "ws.duckdb")
    assert runner.invoke(app, ["ingest", str(path), "--db", db, "--platform", "instagram", "--observed-at", "2025-02-01"]).exit_code == 0
    result = runner.invoke(app, ["score", "--db", db])
    assert result.exit_code == 0, result.output

    result = runner.invoke(app, ["audit", "--disclosure", "--jurisdiction", "kr", "--db", db])
    assert result.exit_code == 0, result.output
    assert "mina" in result.output and "joe" in result.output
    assert "undisclosed" in result.output.lower()

    result = runner.invoke(app, ["audit", "joe", "--disclosure", "--jurisdictions", "us", "--db", db])
    assert result.exit_code == 0, result.output
    assert "joe" in result.output

    result = runner.invoke(app, ["audit", "--db", db])
    assert result.exit_code == 2 and "HANDLE" in result.output
