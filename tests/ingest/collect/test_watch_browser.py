"""The acceptance of issue 13's watch: 31 daily `watch` runs against the emulators on the test's
clock, then the creator page in Chromium charts the daily series (one point a day), and its
history table shows every day with the gain the emulator's rule gives. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.ingest.collect import WatchList
from creatorlens.web import create_app
from web._browser import ARTIFACTS, chromium, open_session, serving  # tests/ is on sys.path

from ._watch_truth import DAYS, START, TRUTH, VIEWS, run
from .emulator import Clock, Emulator
from .social_emulator import SocialEmulator

pytestmark = pytest.mark.browser

WATCH = (
    '[tiktok]\nusernames = ["veganglow.tt"]\ndays = 1\nmax = 0\n\n[instagram]\nusernames = ["greenbeauty"]\n'
    'max = 0\n\n[youtube]\nchannels = ["@veganglow"]\nmax = 0\n'
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, as the web tests' `browser` fixture (tests/web/conftest.py) has it."""
    with chromium() as b:
        yield b


def test_creator_page_charts_a_month_of_watch_runs(
    tmp_path: Path,
    growing: tuple[Emulator, SocialEmulator],
    clock: Clock,
    browser: Any,
) -> None:
    (tmp_path / "watch.toml").write_text(WATCH, encoding="utf-8")
    watch = WatchList.load(tmp_path / "watch.toml")
    days = [START + timedelta(days=k) for k in range(DAYS)]
    db = tmp_path / "ws.duckdb"
    with Workspace(db) as ws:
        for day in days:
            clock.now = datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)
            assert [r.status for r in run(ws, watch, growing, clock).ran] == ["done"] * 3
        ws.score()
    truth = TRUTH["tiktok", "veganglow.tt"]
    with serving(create_app(db)) as base, open_session(browser, base) as s:
        page = s.page
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{base}/creator/tiktok/veganglow.tt")
        s.charts_drawn(1)
        # the follower chart has a point a day
        points = page.locator("#growth [data-chart] g.mark-symbol path")
        assert points.count() == DAYS
        table = page.locator("#history-table tbody tr")
        assert table.count() == 30  # the last 30 days, newest first
        for i in range(30):
            day = days[-1 - i]
            cells = table.nth(i).locator("td")
            gain = truth(day) - truth(day - timedelta(days=1))
            assert [cells.nth(j).inner_text() for j in range(5)] == [
                day.isoformat(),
                f"{truth(day):,}",
                f"{gain:+,}",
                "unknown",  # TikTok gives no account view total
                "unknown",
            ]
        changes = page.locator("#history-changes").inner_text()
        month = truth(days[-1]) - truth(days[0])
        assert f"30-day change\n{month:+,}" in changes
        week = truth(days[-1]) - truth(days[-8])
        assert f"7-day change\n{week:+,}" in changes
        page.locator("#growth").scroll_into_view_if_needed()
        s.shot("watch-30-days-creator")
        page.locator("#growth").screenshot(path=str(ARTIFACTS / "watch-30-days-growth.png"))
        assert "unknown" in page.locator("#history-views-unknown").inner_text()
        # a YouTube channel: its total views a day (statistics.viewCount) charted and tabled
        views = VIEWS["veganglow"]
        page.goto(f"{base}/creator/youtube/veganglow")
        s.charts_drawn(2)
        assert page.locator("#history [data-chart] g.mark-symbol path").count() == DAYS
        table = page.locator("#history-table tbody tr")
        for i in range(30):
            day = days[-1 - i]
            cells = table.nth(i).locator("td")
            assert [cells.nth(j).inner_text() for j in (0, 3, 4)] == [
                day.isoformat(), f"{views(day):,}", f"{views(day) - views(day - timedelta(days=1)):+,}"
            ]
        view_changes = page.locator("#history-views-changes").inner_text()
        assert f"30-day change in views\n{views(days[-1]) - views(days[0]):+,}" in view_changes
        page.locator("#history").scroll_into_view_if_needed()
        s.shot("watch-30-days-youtube-views")
        page.goto(f"{base}/creator/instagram/greenbeauty?lang=ko")
        s.charts_drawn(1)
        assert "30일 변화" in page.locator("#history-changes").inner_text()
        s.shot("watch-30-days-creator-ko")
