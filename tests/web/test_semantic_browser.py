"""The /search page's "Search by" toggle in a real browser (Playwright, Debian's Chromium): an
English query by words misses the Korean post, by meaning finds it with its similarity shown,
and the choice stays selected (docs/search.md "Semantic search")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import creatorlens
from creatorlens.web import create_app

from ._browser import open_session, serving

POSTS = """\
platform,handle,followers,country,post_id,posted_at,caption,likes,comments,views
instagram,seoul_glow,15000,KR,k3,2025-01-05 10:00:00,순한 토너 후기 #비건스킨케어,800,10,4000
instagram,la_glow,30000,US,u1,2025-01-05 10:00:00,My vegan skincare routine #veganskincare,1000,30,6000
instagram,la_food,25000,US,u3,2025-01-05 10:00:00,Best tacos in LA #foodie,500,9,3000
"""


def _workspace(folder: Path) -> Path:
    src = folder / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    with creatorlens.open(folder / "ws.duckdb") as ws:
        ws.ingest(src)
        ws.score(steps=["content"])
    return folder / "ws.duckdb"


@pytest.mark.browser
def test_search_mode_toggle_finds_the_korean_post_by_meaning(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _workspace(tmp_path_factory.mktemp("semantic-browser"))
    with serving(create_app(path)) as base, open_session(browser, base) as s:
        page = s.page
        page.goto(base + "/search")
        page.fill("#content-q", "vegan skincare")
        page.click("#content-search-go")
        page.wait_for_url("**/search?*")
        words = page.locator("#search-results tbody").inner_text()
        assert "la_glow" in words and "seoul_glow" not in words
        assert page.locator("#search-semantic-note").count() == 0
        page.select_option("#search-mode", "semantic")
        page.click("#content-search-go")
        page.wait_for_url("**mode=semantic*")
        meaning = page.locator("#search-results tbody").inner_text()
        assert "seoul_glow" in meaning and "순한 토너 후기" in meaning
        assert page.locator("#search-results .similarity").count() >= 2
        assert page.locator("#search-semantic-note").is_visible()
        assert page.locator("#search-mode").input_value() == "semantic"
        s.shot("semantic-01-search-by-meaning")
        assert s.errors == [] and s.offsite == []
