"""Brand pages, brand safety and contacts through the REST API, the dashboard and a real browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from creatorlens.web import create_app

from ._browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, missing, serving
from .brandsdata import build_brands_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Dialog


@pytest.fixture(scope="module")
def brands_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_brands_workspace(tmp_path_factory.mktemp("brands-web"))


@pytest.fixture(scope="module")
def client(brands_db: Path) -> Iterator[TestClient]:
    app = create_app(brands_db)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    app.state.pool.close()


def test_api_lists_brands_and_compares_them(client: TestClient) -> None:
    items = client.get("/api/v1/brands").json()["items"]
    by_name = {b["brand"]: b for b in items}
    assert set(by_name) == {"crunchybites_", "brewbean_coffee"}
    assert by_name["brewbean_coffee"]["posts"] == 3 and by_name["brewbean_coffee"]["creators"] == 2
    side = client.get("/api/v1/brands/crunchybites_", params={"competitors": "brewbean_coffee"}).json()
    assert [b["brand"] for b in side["brands"]] == ["crunchybites_", "brewbean_coffee"]
    assert sum(b["share_of_voice"] for b in side["brands"]) == pytest.approx(1.0)
    assert {c["handle"] for c in side["creators"]["crunchybites_"]} == {"mina.eats", "jaycooks"}
    assert client.get("/api/v1/brands/nosuchbrand").status_code == 404


def test_api_creator_brands_safety_and_contacts(client: TestClient) -> None:
    brands = client.get("/api/v1/creators/instagram/jaycooks/brands").json()["items"]
    assert {b["brand"]: b["sponsored_posts"] for b in brands} == {"crunchybites_": 1, "brewbean_coffee": 1}
    safety = client.get("/api/v1/creators/instagram/mina.eats/safety").json()
    assert safety["scores"]["posts_checked"] == 4
    assert safety["scores"]["drugs_alcohol_posts"] == 1 and safety["scores"]["profanity_posts"] == 1
    assert {f["terms"] for f in safety["flagged"]} >= {"맥주; 술자리", "fucking"}
    contacts = client.get("/api/v1/creators/instagram/mina.eats/contacts").json()["items"]
    assert {(c["kind"], c["value"]) for c in contacts} == {("email", "mina@example.com"), ("link_in_bio", "linktr.ee/mina.eats")}
    assert client.get("/api/v1/creators/instagram/sooyoung/contacts").json()["items"] == []


def test_pages(client: TestClient) -> None:
    listing = client.get("/brands")
    assert listing.status_code == 200 and 'href="/brand/brewbean_coffee"' in listing.text
    page = client.get("/brand/brewbean_coffee", params={"competitors": "crunchybites_"})
    assert page.status_code == 200 and "Creators posting about crunchybites_" in page.text
    ko = client.get("/brand/brewbean_coffee", params={"competitors": "crunchybites_", "lang": "ko"}).text
    assert "crunchybites_에 대해 게시한 크리에이터" in ko and "언급 점유율" in ko and "인스타그램" in ko
    body = ko.split("<h1>", 1)[1]
    for english in ("posting about", "share of voice", "recognised from", "median ER", ">instagram<", "Compare with"):
        assert english not in body, english
    client.cookies.clear()  # ?lang=ko set the language cookie: back to English for the next test
    creator = client.get("/creator/instagram/mina.eats", params={"lang": "en"}).text
    assert 'id="creator-safety"' in creator and "술자리" in creator and "mina@example.com" in creator
    assert "<script>alert('safety')</script>" not in creator  # the caption is escaped


@pytest.mark.browser
def test_brand_page_and_safety_evidence_in_a_browser(brands_db: Path, tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    if not CHROMIUM.exists():
        missing("/usr/bin/chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # a copy: the API tests' app keeps its connections to the module's file open
    copy = tmp_path / "browser.duckdb"
    shutil.copyfile(brands_db, copy)
    dialogs: list[str] = []
    with serving(create_app(copy)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def dismiss(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", dismiss)
            page.goto(f"{base}/brands")
            page.click("text=brewbean_coffee")
            page.fill("#competitors", "crunchybites_")
            page.click("button:has-text('Compare')")
            page.wait_for_selector("#brand-compare")
            header: Any = page.locator("#brand-compare thead th").all_inner_texts()
            assert header[1:] == ["brewbean_coffee", "crunchybites_"]
            page.screenshot(path=str(ARTIFACTS / "brand-compare.png"), full_page=True)
            page.goto(f"{base}/creator/instagram/mina.eats")
            evidence = page.locator("#safety-evidence").inner_text()
            assert "술자리" in evidence and "fucking" in evidence
            assert page.locator("#creator-contacts").inner_text().count("mina@example.com") == 1
            page.locator("#creator-safety").screenshot(path=str(ARTIFACTS / "creator-safety.png"))
            page.screenshot(path=str(ARTIFACTS / "creator-brands-safety.png"), full_page=True)
        finally:
            browser.close()
    assert dialogs == []  # the caption's <script> never ran
