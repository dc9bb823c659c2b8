"""The creators list's language filter on the scored demo workspace (English and Korean creators):
the CLI's ``creators --language``, the REST API and the dashboard form list exactly the creators
the generator made in that language (its planted truth, ``demo_truth_creators.language``), and a
language the workspace has no creator in is refused with the valid codes (exit 2, 400)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from creatorlens._workspace import CreatorFilter, Workspace
from creatorlens.cli import app as cli_app
from creatorlens.presentation._creator_list import workspace_languages
from creatorlens.web import create_app

from .webdata import planted

runner = CliRunner()


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    web = create_app(demo_db)
    with TestClient(web, base_url="http://127.0.0.1") as c:
        yield c
    web.state.pool.close()


def test_the_demo_has_both_languages(demo_db: Path) -> None:
    with Workspace(demo_db, read_only=True) as ws:
        assert workspace_languages(ws) == ["en", "ko"]
    korean, english = planted(demo_db, "ko"), planted(demo_db, "en")
    assert korean and english and not korean & english


@pytest.mark.parametrize("language", ["ko", "en"])
def test_cli_api_and_workspace_list_the_planted_language(
    demo_db: Path, client: TestClient, language: str
) -> None:
    expected = planted(demo_db, language)
    with Workspace(demo_db, read_only=True) as ws:
        page = ws.search(CreatorFilter(language=language), limit=None, columns=["creator_id"])
        assert {r["creator_id"] for r in page.rows.to_pylist()} == expected
    result = runner.invoke(
        cli_app,
        ["creators", "--db", str(demo_db), "--language", language.upper(), "--limit", "0", "--format", "json"],
    )
    assert result.exit_code == 0, result.output[-500:]
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    assert {r["creator_id"] for r in rows} == expected
    assert {r["language"] for r in rows} == {language}
    r = client.get("/api/v1/creators", params={"language": language, "limit": 200, "total": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(expected)
    assert {i["language"] for i in body["items"]} == {language}


def test_a_language_no_creator_has_is_refused_with_the_valid_codes(demo_db: Path, client: TestClient) -> None:
    result = runner.invoke(cli_app, ["creators", "--db", str(demo_db), "--language", "xx"])
    assert result.exit_code == 2 and "--language 'xx'" in result.output
    assert "en, ko" in result.output
    r = client.get("/api/v1/creators", params={"language": "ko,xx"})
    assert r.status_code == 400 and "en, ko" in r.text
    page = client.get("/creators", params={"language": "xx"})
    assert page.status_code == 400
    assert "en (English), ko (Korean)" in page.text and 'id="error-language"' in page.text
    ko = client.get("/creators", params={"language": "xx", "lang": "ko"})
    assert ko.status_code == 400 and "ko (한국어)" in ko.text
