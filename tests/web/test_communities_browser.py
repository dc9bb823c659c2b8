"""The creator page's Community panel in a real Chromium (issue 15: communities visible in the
dashboard)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creatorlens.web import create_app

from ._browser import ARTIFACTS, open_session, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def graph_server(graph_db: Path) -> Iterator[str]:
    with serving(create_app(graph_db)) as base:
        yield base


def test_community_panel_shows_the_leaders(browser: Any, graph_server: str) -> None:
    with open_session(browser, graph_server) as s:
        s.page.goto(f"{graph_server}/creator/instagram/bea")
        panel = s.page.locator("#community")
        panel.scroll_into_view_if_needed()
        text = panel.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        panel.screenshot(path=str(ARTIFACTS / "community-panel.png"))
        assert "9 accounts, 3 creators" in text
        assert "US 100" in text and "English 100" in text
        assert text.index("@hub_b") < text.index("@bea")  # the leader first
        assert "k-core" in text and "reciprocity" in text


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ko", 1366), ("en", 390), ("ko", 390)])
def test_communities_page_lists_both_groups(browser: Any, graph_server: str, lang: str, width: int) -> None:
    with open_session(browser, graph_server) as s:
        s.page.set_viewport_size({"width": width, "height": 900})
        s.page.goto(f"{graph_server}/communities?lang={lang}")
        table = s.page.locator("#communities-table")
        assert table.locator("tbody tr").count() == 2
        s.shot(f"15-communities-{lang}-{width}")
        if width == 1366:  # at 1366 px the table fits its card
            overflow = s.page.evaluate(
                "() => { const t = document.querySelector('#communities-table');"
                " return t.scrollWidth - t.parentElement.clientWidth; }"
            )
            assert overflow <= 1
        text = s.page.locator("main").inner_text() if s.page.locator("main").count() else s.page.inner_text("body")
        assert ("커뮤니티 2개" if lang == "ko" else "2 communities") in text
        if lang == "ko":
            for english in ("Accounts", "Ties inside", "Leader", "Main niches", "communities", "unknown"):
                assert english not in text, english
        s.page.locator("#communities-table tbody tr").first.locator("a").first.click()
        s.page.wait_for_selector("#community-members")
        assert s.page.locator("#community-members tbody tr").count() == 3
        s.shot(f"15-community-members-{lang}-{width}")
