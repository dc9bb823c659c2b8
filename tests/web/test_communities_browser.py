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
        assert "US 100" in text and "en 100" in text
        assert text.index("@hub_b") < text.index("@bea")  # the leader first
        assert "k-core" in text and "reciprocity" in text
