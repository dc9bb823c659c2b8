"""The creators list's language filter in Chromium on the demo workspace (English and Korean
creators), in English and Korean: the form's select lists the workspace's languages by name and
lists exactly the creators the generator made in Korean. Screenshots go to build/screenshots/.
(A module of its own: DuckDB allows one configuration of connections to a file per process, and
test_language_filter.py's TestClient holds one.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creatorlens.web import create_app

from ._browser import CHROMIUM, CHROMIUM_ARGS, open_session, serving
from .webdata import planted

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def demo_server(demo_db: Path) -> Iterator[str]:
    with serving(create_app(demo_db)) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    assert CHROMIUM.exists(), "Debian's chromium is not installed; `make test` installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_form_filters_by_language_in_chromium(
    chromium: Any, demo_server: str, demo_db: Path, lang: str
) -> None:
    expected = planted(demo_db, "ko")
    with open_session(chromium, demo_server) as s:
        page = s.page
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{demo_server}/creators?lang={lang}&size=200")
        options = page.locator("select[name=language] option")
        labels = [options.nth(i).inner_text() for i in range(options.count())]
        assert labels[1:] == (["English", "Korean"] if lang == "en" else ["영어", "한국어"])
        page.select_option("select[name=language]", "ko")
        page.click("#apply-filters")
        page.wait_for_url("**language=ko**")
        ids = page.locator("#creators-table tbody input[name=c]")
        shown = {ids.nth(i).get_attribute("value") for i in range(ids.count())}
        assert shown == expected
        assert page.locator("select[name=language]").input_value() == "ko"  # the form keeps it
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"creators-language-{lang}-1366.png"), full_page=False)
        assert not s.errors and not s.offsite
