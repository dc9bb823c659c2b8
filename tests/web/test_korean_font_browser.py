"""Korean pages in a Chromium that sees no Korean system font (fontconfig rejects every font that
declares Korean, as on a fresh Debian without fonts-noto-cjk): the page's Hangul, chart labels
included, is drawn with the packaged Noto Sans KR the page links. Chromium's own report of the
fonts it drew a node with (DevTools ``CSS.getPlatformFontsForNode``) is the evidence; a control
page with the packaged stylesheet blocked shows that no other font could have drawn it.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NO_CJK_FONTCONFIG, open_session

pytestmark = pytest.mark.browser
PAGE = "/creator/instagram/glowkim?lang=ko"


@pytest.fixture(scope="module")
def no_cjk_chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    assert CHROMIUM.exists(), "Debian's chromium is not installed; `make test` installs it"
    from playwright.sync_api import sync_playwright

    conf = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    conf.write_text(NO_CJK_FONTCONFIG, encoding="utf-8")
    env: dict[str, str | float | bool] = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        yield b
        b.close()


def fonts_of(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew the first text node under ``selector`` with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts: list[dict[str, Any]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def is_packaged(font: dict[str, Any]) -> bool:
    return bool(font["isCustomFont"]) and "Noto Sans KR" in font["familyName"]


@pytest.mark.parametrize("width", [1366, 390])
def test_korean_page_is_drawn_in_the_packaged_font(no_cjk_chromium: Any, server: str, width: int) -> None:
    with open_session(no_cjk_chromium, server) as s:
        page = s.page
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(server + PAGE)
        page.evaluate("document.fonts.ready.then(() => true)")
        s.charts_drawn()
        page.evaluate("document.fonts.ready.then(() => true)")
        s.shot(f"korean-font-creator-{width}")
        for selector in ("#prices h2", "#prices thead th", "[data-chart] svg text"):
            fonts = fonts_of(page, selector)
            assert any(is_packaged(f) and f["glyphCount"] > 0 for f in fonts), (selector, fonts)
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.family.includes('Noto Sans KR') && f.status === 'loaded').length"
        )
        # the browser fetched only the slices this page's text needs
        assert 0 < loaded < 100
        assert not s.errors and not s.offsite


def test_without_the_packaged_font_nothing_draws_hangul(no_cjk_chromium: Any, server: str) -> None:
    with open_session(no_cjk_chromium, server) as s:
        s.page.route("**/noto-sans-kr.css", lambda route: route.abort())
        s.page.goto(server + PAGE)
        fonts = fonts_of(s.page, "#prices h2")
        assert not any(is_packaged(f) for f in fonts)
        # no system font has Hangul here: whatever Chromium fell back to is no CJK font
        assert not any("CJK" in f["familyName"] or "KR" in f["familyName"] for f in fonts), fonts
        Path(ARTIFACTS).mkdir(parents=True, exist_ok=True)
        s.shot("korean-font-creator-control-no-packaged-font")
