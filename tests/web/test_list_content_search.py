"""Issue 17 / 14 §1: the creators list's search box uses content search (captions, hashtags,
titles, bios) once the workspace has a content index, combined with the other filters, with the
matching posts as evidence on the list; without an index it searches handle, name and bio text as
before. The CLI (`creators --search`), the API (`q`) and the dashboard share it (Workspace.search).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import creatorlens
from creatorlens._workspace import CreatorFilter
from creatorlens.cli import app as cli_app
from creatorlens.web import create_app

from ._browser import ARTIFACTS, open_session, serving

QUERY = "카페투어"  # "cafe tour": a hashtag of the demo's Korean food captions, in no handle or bio
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _copy(demo_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture(scope="module")
def plain_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo without a content index (a copy: the session's demo may have one by now)."""
    return _copy(demo_db, tmp_path_factory.mktemp("no-index"))


@pytest.fixture(scope="module")
def indexed_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _copy(demo_db, tmp_path_factory.mktemp("indexed"))
    with creatorlens.open(path) as ws:
        ws.update_text_index(full=True)
    return path


def _ids(path: Path, f: CreatorFilter) -> list[str]:
    with creatorlens.open(path, read_only=True) as ws:
        page = ws.search(f, "followers", "desc", None)
    return [str(r["creator_id"]) for r in page.rows.to_pylist()]


def test_without_an_index_the_box_searches_handle_name_and_bio(plain_db: Path) -> None:
    with creatorlens.open(plain_db, read_only=True) as ws:
        assert not ws.has_content_index()
        f = CreatorFilter(search=QUERY)
        assert ws.with_content_matches(f) == f
    assert not (plain_db.parent / "demo.duckdb.search").exists()  # asking built nothing


def test_with_an_index_the_box_also_finds_creators_by_their_posts(plain_db: Path, indexed_db: Path) -> None:
    by_text = set(_ids(plain_db, CreatorFilter(search=QUERY)))
    by_content = set(_ids(indexed_db, CreatorFilter(search=QUERY)))
    assert by_text <= by_content  # a handle, name or bio match still lists
    extra = by_content - by_text
    assert extra, "the content index found no creator beyond the handle/name/bio search"
    with creatorlens.open(indexed_db, read_only=True) as ws:
        found = ws.content_search(QUERY, CreatorFilter(content_matches=tuple(extra)), limit=len(extra))
    posts = [e for c in found.creators for e in c["evidence"]]
    assert posts and all(QUERY in e["matched_terms"] for e in posts)
    assert all(HANGUL.search(e["text"]) for e in posts)


def test_content_matches_combine_with_the_other_filters(indexed_db: Path) -> None:
    every = set(_ids(indexed_db, CreatorFilter(search=QUERY)))
    others = (CreatorFilter(country="KR"), CreatorFilter(platform="instagram"), CreatorFilter(tier="nano"))
    for other in others:
        narrowed = set(_ids(indexed_db, replace(other, search=QUERY)))
        alone = set(_ids(indexed_db, other))
        assert narrowed == every & alone, other


def test_cli_lists_the_content_matches(indexed_db: Path) -> None:
    """Before the module's server opens the workspace (the CLI opens it for writing)."""
    result = CliRunner().invoke(
        cli_app,
        ["creators", "--db", str(indexed_db), "--search", QUERY, "--country", "KR", "--limit", "50",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = [r["creator_id"] for r in json.loads(result.output)]
    assert listed == _ids(indexed_db, CreatorFilter(search=QUERY, country="KR"))[:50] and listed


@pytest.fixture
def client(indexed_db: Path) -> Iterator[TestClient]:
    app = create_app(indexed_db)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    app.state.pool.close()


def test_api_and_dashboard_list_the_content_matches(indexed_db: Path, client: TestClient) -> None:
    expected = _ids(indexed_db, CreatorFilter(search=QUERY, country="KR"))[:50]
    api = client.get("/api/v1/creators", params={"q": QUERY, "country": "KR", "limit": 50}).json()
    assert [i["creator_id"] for i in api["items"]] == expected
    page = client.get("/creators", params={"q": QUERY, "country": "KR", "lang": "ko"}).text
    listed = re.findall(r'name="c" value="([^"]+)"', page)
    assert listed == expected
    # the matching posts show under the creators, and the ranked content search is one click away
    evidence = re.findall(r'<tr class="evidence-row" data-creator="([^"]+)"', page)
    assert evidence and set(evidence) <= set(listed)
    assert 'id="content-search-link"' in page and "/search?q=" in page
    assert "핸들, 이름, 캡션, 해시태그 검색" in page  # the box says what it searches


def test_the_list_without_an_index_shows_no_evidence(plain_db: Path) -> None:
    app = create_app(plain_db)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        page = c.get("/creators", params={"q": QUERY}).text
    app.state.pool.close()
    assert "evidence-row" not in page and 'id="content-search-link"' not in page
    assert "Search handle or name" in page


@pytest.fixture(scope="module")
def indexed_server(indexed_db: Path) -> Iterator[str]:
    with serving(create_app(indexed_db)) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_browser_korean_search_on_the_list(browser: Any, indexed_server: str, width: int) -> None:
    with open_session(browser, indexed_server) as s:
        page = s.page
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{indexed_server}/creators?lang=ko")
        page.fill("input[name=q]", QUERY)
        page.click("#apply-filters")
        page.wait_for_selector("#creators-table tr.evidence-row")
        evidence = page.locator("#creators-table tr.evidence-row").first
        assert evidence.is_visible()
        text = evidence.inner_text()
        assert QUERY in text and "일치하는 게시물" in text
        assert page.locator("#content-search-link").is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the list scrolls sideways by {overflow}px at {width}px"
        evidence.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"creators-content-search-ko-{width}.png"))
