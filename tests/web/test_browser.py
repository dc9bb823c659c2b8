"""The dashboard in a real browser: Playwright driving Debian's Chromium against uvicorn on
loopback. Screenshots go to test-artifacts/ (gitignored). Every request that leaves 127.0.0.1
is blocked and recorded: the app must work offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from creatorlens.presentation._i18n import column_label
from creatorlens.web import create_app

from ._browser import ARTIFACTS, Session, open_session, serving
from .webdata import CAPTION_XSS, MICRO_BEAUTY_KR, XSS_IMG, XSS_SCRIPT, build_workspace

pytestmark = pytest.mark.browser


def test_marketer_journey(session: Session, tmp_path: Path) -> None:
    page, base = session.page, session.base

    # 1. overview
    page.goto(base + "/")
    session.charts_drawn(2)
    assert page.locator("#freshness").is_visible()
    assert page.locator("#top-niche li").count() >= 1
    session.shot("01-overview")

    # 2. filter to micro beauty creators in KR
    page.click("#nav-creators")
    page.select_option("select[name=tier]", "micro")
    page.fill("input[name=country]", "KR")
    page.fill("input[name=category]", "beauty")
    page.click("#apply-filters")
    page.wait_for_url("**/creators?*")
    rows = page.locator("#creators-table tbody tr")
    handles = {rows.nth(i).locator("a").first.inner_text() for i in range(rows.count())}
    assert handles == {f"@{h}" for h in MICRO_BEAUTY_KR}
    # the payload in a display name shows as text, and no <img> element came from it
    assert page.get_by_text(XSS_IMG, exact=True).first.is_visible()
    assert page.locator("#creators-table img").count() == 0
    session.shot("02-micro-beauty-kr")

    # 3. compare two of them
    page.check("input[name=c][value='instagram:glowkim']")
    page.check("input[name=c][value='instagram:xssbio']")
    page.click("#compare-button")
    page.wait_for_url("**/compare?*")
    header = page.locator("#compare-table thead th")
    assert header.count() == 3  # metric + two creators
    session.charts_drawn(1)
    session.shot("03-compare")

    # 4. open a creator whose bio and caption are script payloads
    page.click("#compare-table thead a:has-text('@xssbio')")
    page.wait_for_url("**/creator/instagram/xssbio")
    assert page.locator("p.bio").inner_text() == XSS_SCRIPT
    assert page.get_by_text(CAPTION_XSS, exact=True).is_visible()
    # issue 17: the column id is no visible text, only the cell's title; the label is shown
    mean_er = page.locator("#scorecard td[title='er_followers_lc_mean']")
    assert mean_er.count() == 1 and "er_followers_lc_mean" not in mean_er.inner_text()
    assert mean_er.inner_text() == column_label("er_followers_lc_mean", "en")
    session.charts_drawn(1)
    session.shot("04-creator-xss")

    # 5. download the report and open it with the network blocked: charts still draw
    with page.expect_download() as download_info:
        page.click("#download-report")
    download = download_info.value
    saved = ARTIFACTS / download.suggested_filename
    download.save_as(str(saved))
    assert saved.stat().st_size > 100_000
    page.goto(saved.resolve().as_uri())
    session.charts_drawn(1)
    assert page.locator("p.bio").inner_text() == XSS_SCRIPT
    session.shot("05-report")

    # 6. switch to Korean
    page.goto(base + "/creator/instagram/glowkim")
    page.click("#lang-switch")
    page.wait_for_function("document.documentElement.lang === 'ko'")
    assert page.locator("#nav-overview").inner_text() == "개요"
    assert page.locator("#scorecard h2").inner_text() == "스코어카드"
    session.charts_drawn(2)
    session.shot("06-creator-korean")
    page.click("#nav-overview")  # the language sticks (cookie)
    assert page.locator("html").get_attribute("lang") == "ko"


def test_planner(session: Session) -> None:
    page, base = session.page, session.base
    page.goto(base + "/plan")
    page.fill("input[name=budget]", "3000")
    page.click("#run-plan")
    page.wait_for_selector("#plan-table, #plan-error", timeout=60_000)
    assert page.locator("#plan-error").count() == 0, page.locator("#plan-error").inner_text()
    assert page.locator("#plan-table tbody tr").count() >= 1
    assert page.locator("#optimality").inner_text().strip()
    session.charts_drawn(2)
    with page.expect_download() as download_info:
        page.click("#export-csv")
    text = Path(download_info.value.path()).read_text("utf-8")
    assert text.startswith("creator_id,handle,platform,tier")
    session.shot("07-plan")


def test_planner_in_korean_with_a_krw_budget(session: Session) -> None:
    """Issue 11: the Korean planner with a KRW budget — plan table, frontier, CSV export."""
    page, base = session.page, session.base
    page.goto(base + "/plan?lang=ko")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.fill("input[name=budget]", "5000000")
    page.fill("input[name=currency]", "KRW")
    page.fill("input[name=target]", "country=KR interest=beauty")
    page.click("#run-plan")
    page.wait_for_selector("#plan-table, #plan-error, #plan-shortfall", timeout=60_000)
    assert page.locator("#plan-error").count() == 0, page.locator("#plan-error").inner_text()
    assert page.locator("#plan-table tbody tr").count() >= 1
    header = page.locator("#plan-table thead").inner_text()
    assert "적합도 근거" in header and "KRW" in header
    totals = page.locator("#plan-totals").inner_text()
    assert "예산" in totals and "5,000,000 KRW" in totals and "환율" in totals
    assert page.locator("#plan-frontier tbody tr").count() >= 1
    assert "KRW" in page.locator("#plan-frontier").inner_text()
    # issue 17: the planner's own sentences are Korean too (summary, reasons, bound, totals)
    said = page.locator("main").inner_text()
    for english in ("creators match the target", "by effective target reach", "of the best possible plan",
                    "goal preset", "(mid ", "target people", "within budget", "(reported)"):  # fmt: skip
        assert english not in said, english
    assert "명이 타깃" in said and "적합도 하한" in page.locator("#plan-candidates").inner_text()
    assert "가능한 최선의 플랜" in page.locator("#optimality").inner_text()
    with page.expect_download() as download_info:
        page.click("#export-csv")
    text = Path(download_info.value.path()).read_text("utf-8")
    assert text.startswith("creator_id,handle,platform,tier")
    assert ",KRW," in text
    session.shot("07b-plan-ko-krw")


def test_phone_layout(session: Session) -> None:
    page, base = session.page, session.base
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in (
        ("08-phone-overview", "/"),
        ("09-phone-creator", "/creator/instagram/glowkim"),
    ):
        page.goto(base + url)
        session.charts_drawn(1)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{url} scrolls sideways on a phone by {overflow}px"
        session.shot(name)


def test_api_docs_work_offline_under_the_csp(session: Session) -> None:
    """/api/v1/docs (Swagger UI) and /api/v1/redoc from vendored files: every operation shows,
    nothing is fetched from another host, and the CSP blocks nothing the pages need."""
    page, base = session.page, session.base
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(base + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    operations = page.locator(".opblock-summary-path")
    paths = {operations.nth(i).inner_text().replace("\u200b", "") for i in range(operations.count())}
    assert {"/api/v1/creators", "/api/v1/ingest", "/api/v1/creators/{platform}/{handle}"} <= paths
    assert page.locator(".btn.authorize").count() == 1  # writes declare X-API-Key
    session.shot("10-api-docs", full_page=False)
    # try one read for real from the page
    page.locator("#operations-creators-list_creators_api_v1_creators_get").click()
    page.click("#operations-creators-list_creators_api_v1_creators_get .try-out__btn")
    page.click("#operations-creators-list_creators_api_v1_creators_get .execute")
    status = page.locator(".live-responses-table tbody td.response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip().startswith("200")
    session.shot("10-api-docs-try-it", full_page=False)
    page.goto(base + "/api/v1/redoc")
    page.wait_for_selector("[data-section-id]", timeout=30_000)
    assert page.get_by_text("Search and filter creators").first.is_visible()
    page.fill("input[placeholder='Search...']", "audit")  # search runs in its blob: worker
    page.wait_for_selector("[data-role='search:results'] li, .search-results li", timeout=15_000)
    session.shot("11-api-redoc", full_page=False)
    blocked = [m for m in console if "Content Security Policy" in m or "Refused" in m]
    # the one thing the CSP stops is ReDoc's sidebar logo from cdn.redoc.ly (no request is made)
    assert [m for m in blocked if "cdn.redoc.ly/redoc/logo-mini.svg" not in m] == [], blocked


def test_login_opens_the_pages_of_a_keyed_server(browser: Any, tmp_path: Path) -> None:
    """--require-key-for-reads: a page shows the login form; the key posted from that form (a real
    browser's Origin and the signed CSRF token) opens the page asked for, and the planner."""
    ws = build_workspace(tmp_path)
    with serving(create_app(ws.path, api_keys_required_for_reads=True)) as base, open_session(
        browser, base
    ) as s:
        page = s.page
        response = page.goto(base + "/creator/instagram/glowkim")
        assert response is not None and response.status == 401
        assert page.locator("#login-form").is_visible() and page.locator("#scorecard").count() == 0
        page.fill("input[name=key]", "clk_wrong_key")
        page.click("#login")
        assert page.locator("#login-error").is_visible()
        page.fill("input[name=key]", ws.key)
        page.click("#login")
        page.wait_for_url("**/creator/instagram/glowkim")
        assert page.locator("#scorecard").is_visible()
        s.charts_drawn(1)
        s.shot("12-keyed-login-creator")
        page.goto(base + "/plan")
        page.fill("input[name=budget]", "3000")
        page.click("#run-plan")
        page.wait_for_selector("#plan-table, #plan-error", timeout=60_000)
        assert page.locator("#plan-table tbody tr").count() >= 1
