"""On the demo, in a real Chromium: a word-of-mouth plan on the demo's follower graph and a planted
leader's Community panel (issue 15: communities and word-of-mouth plans visible in the
dashboard)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

import creatorlens
from creatorlens.web import create_app

from ._browser import ARTIFACTS, open_session, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-graph") / "demo.duckdb"
    ws = creatorlens.open(path)
    try:
        ws.demo(seed=3, creators=600, posts_per_creator=10)
    finally:
        ws.close()
    return path


@pytest.fixture(scope="module")
def demo_server(demo_db: Path) -> Iterator[str]:
    with serving(create_app(demo_db)) as base:
        yield base


def _planted_leader(db: Path) -> tuple[str, str, int]:
    """(platform, handle, planted size) of the planted leader of the largest planted community."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT c.platform, c.handle, t.community_creators FROM demo_truth_communities t "
            "JOIN creators c USING (creator_id) WHERE t.is_leader "
            "ORDER BY t.community_creators DESC, c.creator_id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0]), str(row[1]), int(row[2])


def test_word_of_mouth_plan_on_the_demo(browser: Any, demo_server: str) -> None:
    with open_session(browser, demo_server) as s:
        page = s.page
        page.goto(f"{demo_server}/plan")
        page.fill("input[name=budget]", "5000")
        page.select_option("select[name=goal]", "word_of_mouth")
        # the plan is computed while the form post waits: no navigation timeout on the click
        page.click("#run-plan", no_wait_after=True)
        page.wait_for_selector("#plan-table, #plan-error", timeout=300_000)
        assert page.locator("#plan-error").count() == 0, page.locator("#plan-error").inner_text()
        assert page.locator("#plan-table tbody tr").count() >= 1
        text = page.inner_text("body")
        assert "independent cascade" in text  # the word-of-mouth goal's own explanation
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "demo-word-of-mouth-plan.png"), full_page=True)


def test_planted_leader_leads_its_community_panel(browser: Any, demo_server: str, demo_db: Path) -> None:
    platform, handle, planted = _planted_leader(demo_db)
    with open_session(browser, demo_server) as s:
        s.page.goto(f"{demo_server}/creator/{platform}/{handle}")
        panel = s.page.locator("#community")
        panel.scroll_into_view_if_needed()
        text = panel.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        panel.screenshot(path=str(ARTIFACTS / "demo-community-panel.png"))
        assert f"@{handle}" in text
        assert "k-core" in text
        # the planted leader is its found community's leader: listed first among the creators
        listed = [w for w in text.split() if w.startswith("@")]
        assert listed and listed[0] == f"@{handle}", (listed, planted)
