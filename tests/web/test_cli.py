"""`creatorlens report`, `keys` and `serve` through the CLI on a real workspace file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app
from creatorlens.presentation import _context as ctx
from creatorlens.report import render_plan_report

from .webdata import XSS_SCRIPT, build_workspace

runner = CliRunner()


def missing(what: str) -> NoReturn:
    """A test dependency is absent: a failure, never a skip (`make test` installs them all)."""
    pytest.fail(f"{what}; `make test` installs every test dependency (see the Makefile)", pytrace=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("report")).path


def test_creator_report_is_one_self_contained_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["report", "--creator", "xssbio", "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "<script src=" not in html and "<link" not in html
    assert html.count("<script>") == 5  # font loader, vega, vega-lite, vega-embed, charts.js
    assert XSS_SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "@xssbio" in html


def test_korean_report(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ko.html"
    result = runner.invoke(
        app, ["report", "--creator", "glowkim", "--out", str(out), "--db", str(db), "--lang", "ko"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert '<html lang="ko">' in html and "스코어카드" in html


def test_plan_report(db: Path, tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["plan", "--budget", "3000", "--out", str(plan_path), "--db", str(db)]
    )
    assert result.exit_code == 0 and plan_path.exists(), result.output[-300:]
    out = tmp_path / "plan.html"
    result = runner.invoke(app, ["report", "--plan", str(plan_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    plan = json.loads(plan_path.read_text("utf-8"))
    assert 'id="plan-table"' in html
    for c in plan["creators"]:
        assert f"@{c['handle']}" in html
    assert plan["guarantee_text"].split()[0] in html


def test_report_arguments_are_checked(db: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.html")
    assert runner.invoke(app, ["report", "--out", out, "--db", str(db)]).exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = runner.invoke(app, ["report", "--plan", str(bad), "--out", out])
    assert result.exit_code == 2 and "not a plan" in result.output
    result = runner.invoke(app, ["report", "--creator", "nobody", "--out", out, "--db", str(db)])
    assert result.exit_code == 2 and "nobody" in result.output


def test_plan_view_with_an_empty_plan() -> None:
    view = ctx.plan(
        {"creators": [], "tier_mix": [], "near_misses": [], "totals": {}, "currency": "USD"}
    )
    assert view["charts"] == {}
    assert 'id="plan-table"' in render_plan_report(view)


def test_keys_commands(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "k.duckdb"
    shutil.copyfile(db, copy)
    result = runner.invoke(app, ["keys", "create", "--name", "ci", "--db", str(copy)])
    assert result.exit_code == 0, result.output
    key = next(line for line in result.output.splitlines() if line.startswith("clk_"))
    key_id = key.split("_")[1]
    listed = runner.invoke(app, ["keys", "list", "--db", str(copy)])
    assert key_id in listed.output and key not in listed.output
    assert runner.invoke(app, ["keys", "revoke", key_id, "--db", str(copy)]).exit_code == 0
    again = runner.invoke(app, ["keys", "revoke", key_id, "--db", str(copy)])
    assert again.exit_code == 2 and "no active key" in again.output
    from creatorlens.web import verify_key

    with Workspace(copy) as ws:
        assert not verify_key(ws.store, key)


def test_serve_refuses_a_missing_workspace(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no workspace" in result.output


def test_pdf_report_is_printed_with_its_text(db: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    if shutil.which("chromium") is None:
        missing("Debian's chromium is not installed")
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", "--creator", "xssbio", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "@xssbio" in text and "Scorecard" in text
    assert "<script>alert(1)</script>" in text  # the bio is printed as text, as in the HTML
    # --format wins over the suffix; an unknown format is a one-line user error
    html_out = tmp_path / "r.pdf.html"
    ok = runner.invoke(app, ["report", "--creator", "xssbio", "--out", str(html_out), "--format", "html", "--db", str(db)])
    assert ok.exit_code == 0 and html_out.read_text("utf-8").startswith("<!")
    bad = runner.invoke(app, ["report", "--creator", "xssbio", "--out", str(out), "--format", "png", "--db", str(db)])
    assert bad.exit_code == 2 and "choose html or pdf" in bad.output


def test_pdf_without_a_browser_says_what_to_install(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATORLENS_CHROMIUM", "no-such-browser")
    result = runner.invoke(app, ["report", "--creator", "xssbio", "--out", str(tmp_path / "r.pdf"), "--db", str(db)])
    assert result.exit_code == 2
    assert "CREATORLENS_CHROMIUM" in result.output and not (tmp_path / "r.pdf").exists()
