"""Content search and lookalikes in the REST API and the dashboard (TestClient on loopback), and
in a real browser (Playwright, Debian's Chromium): search box, evidence, similar-creators panel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from creatorlens.web import create_app

from ._browser import open_session, serving
from .webdata import CAPTION_XSS, WebWorkspace, build_workspace


@pytest.fixture
def client(web_ws: WebWorkspace) -> Iterator[TestClient]:
    app = create_app(web_ws.path)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def test_api_search_ranks_creators_with_evidence(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "serum"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["terms"] == ["serum"]
    assert [c["handle"] for c in body["items"]] == ["xssbio"]
    evidence = body["items"][0]["evidence"][0]
    assert evidence["matched_terms"] == ["serum"] and evidence["text"] == CAPTION_XSS


def test_api_search_combines_filters(client: TestClient) -> None:
    everyone = client.get("/api/v1/search", params={"q": "#beauty"}).json()["items"]
    assert {c["country"] for c in everyone} == {"KR", "US"}
    us = client.get("/api/v1/search", params={"q": "#beauty", "country": "US"}).json()["items"]
    assert [c["handle"] for c in us] == ["usmacro"]
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422


def test_api_similar_explains_each_lookalike(client: TestClient) -> None:
    r = client.get("/api/v1/creators/instagram/glowkim/similar", params={"limit": 5})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items, "glowkim has creators of comparable size posting #beauty"
    assert "usmacro" not in {c["handle"] for c in items}  # 240K is outside glowkim's size band
    assert all(c["shared_terms"] or c["shared_topics"] or c["shared_audience"] for c in items)
    assert client.get("/api/v1/creators/instagram/nobody/similar").status_code == 404


def test_search_page_escapes_captions(client: TestClient) -> None:
    html = client.get("/search", params={"q": "serum"}).text
    assert "&lt;script&gt;alert(&#39;caption&#39;)&lt;/script&gt;" in html
    assert "<script>alert('caption')" not in html
    panel = client.get("/creator/instagram/glowkim/similar").text
    assert 'id="similar-table"' in panel


def test_search_page_says_when_nothing_matches(client: TestClient) -> None:
    html = client.get("/search", params={"q": "zzyzxnothing"}).text
    assert 'id="search-none"' in html and "No post, title or bio contains these terms" in html
    korean = client.get("/search", params={"q": "zzyzxnothing", "lang": "ko"}).text
    assert "검색어가 들어간 게시물" in korean


@pytest.mark.browser
def test_browser_search_and_similar_creators(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    ws = build_workspace(tmp_path_factory.mktemp("browser-discovery"))
    with serving(create_app(ws.path)) as base, open_session(browser, base) as s:
        page = s.page
        page.goto(base + "/")
        page.click("#nav-search")
        page.fill("#content-q", "serum")
        page.click("#content-search-go")
        page.wait_for_url("**/search?*")
        rows = page.locator("#search-results tbody tr")
        assert rows.count() == 1
        assert page.get_by_text(CAPTION_XSS).first.is_visible()  # shown as text, never run
        s.shot("discovery-01-search")
        page.locator("#search-results a").first.click()
        page.wait_for_selector("#similar-table", timeout=30_000)
        assert page.locator("#similar-table tbody tr").count() >= 1
        page.locator("#similar-creators").scroll_into_view_if_needed()
        s.shot("discovery-02-similar", full_page=False)
