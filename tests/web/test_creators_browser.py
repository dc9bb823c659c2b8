"""The creators list in Chromium (issue 17) at 1366 and 390 px, in English and Korean: filter,
sort from the headers, export, the count, no clipped column at 1366 px and cards with the key
figures at 390 px. Screenshots go to build/screenshots/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._browser import Session, open_session
from .webdata import CREATORS

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
#: Cells a card shows at phone width: the key figures.
KEY_COLUMNS = ("handle", "platform", "tier", "followers", "er_followers_lc_median", "audience_quality")
COUNT = {"en": "{n} creators", "ko": "크리에이터 {n}명"}
EMPTY = {"en": "No creators match these filters.", "ko": "이 필터에 맞는 크리에이터가 없습니다."}

#: Each header cell's box against the viewport and the table against its scroll container.
CLIPPING = """() => {
  const table = document.querySelector('#creators-table');
  const box = table.parentElement;
  const heads = [...table.querySelectorAll('thead th')].map(th => th.getBoundingClientRect())
    .filter(r => r.left < 0 || r.right > window.innerWidth + 0.5);
  return {table: table.scrollWidth - box.clientWidth, page: document.documentElement.scrollWidth - window.innerWidth,
          outside: heads.length};
}"""
CARDS = """() => {
  const row = document.querySelector('#creators-table tbody tr');
  const shown = [...row.querySelectorAll('td')].filter(td => getComputedStyle(td).display !== 'none'
    && td.getBoundingClientRect().width > 0).map(td => [...td.classList].find(c => c.startsWith('col-')))
    .filter(Boolean).map(c => c.slice(4));
  return {display: getComputedStyle(row).display,
          thead: getComputedStyle(document.querySelector('#creators-table thead')).display, shown,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture
def s(request: pytest.FixtureRequest) -> Iterator[Session]:
    """test_browser's guarded session (no dialogs, no JS errors, no request off the machine)."""
    with open_session(request.getfixturevalue("browser"), request.getfixturevalue("server")) as session:
        yield session


def shot(session: Session, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def handles(session: Session) -> list[str]:
    links = session.page.locator("#creators-table tbody td.col-handle a")
    return [links.nth(i).inner_text().lstrip("@") for i in range(links.count())]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_filter_sort_export_at_1366(s: Session, lang: str, tmp_path: Path) -> None:
    page, base = s.page, s.base
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/creators?lang={lang}")
    everyone = len(CREATORS)
    assert page.locator("#result-count").inner_text() == COUNT[lang].format(n=everyone)
    clipping = page.evaluate(CLIPPING)
    shot(s, f"creators-{lang}-1366")
    assert clipping["table"] <= 0 and clipping["page"] <= 0 and clipping["outside"] == 0, clipping
    # the default sort shows on its header; clicking it turns it round
    followers = page.locator("th[data-column=followers]")
    assert followers.get_attribute("aria-sort") == "descending"
    by_size = handles(s)
    followers.locator("a").click()
    page.wait_for_url("**order=asc**")
    assert page.locator("th[data-column=followers]").get_attribute("aria-sort") == "ascending"
    assert handles(s) == by_size[::-1]  # no ties in followers here
    # filter: KR creators with at least 20,000 followers
    page.fill("input[name=country]", "KR")
    page.fill("input[name=min_followers]", "20000")
    page.click("#apply-filters")
    page.wait_for_url("**min_followers=20000**")
    expected = {h for h, v in CREATORS.items() if v[4] == "KR" and v[3] >= 20_000}
    assert set(handles(s)) == expected and 0 < len(expected) < everyone
    assert page.locator("#result-count").inner_text() == COUNT[lang].format(n=len(expected))
    shown = handles(s)
    shot(s, f"creators-{lang}-1366-filtered")
    # export what is listed, every row, in its order
    for link, read in (("#export-csv", _csv_handles), ("#export-json", _json_handles)):
        with page.expect_download() as info:
            page.click(link)
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(str(saved))
        assert read(saved) == shown
    # an empty result says so and links back to the whole list
    page.goto(f"{base}/creators?q=nobody-is-called-this")
    assert page.locator("#empty-state").inner_text().startswith(EMPTY[lang])
    shot(s, f"creators-{lang}-1366-empty")
    page.click("#empty-clear")
    page.wait_for_url(f"{base}/creators")
    assert page.locator("#result-count").inner_text() == COUNT[lang].format(n=everyone)
    # a bad value is the field's message, not an error page
    page.goto(f"{base}/creators?min_er=lots")
    assert page.locator("#error-min_er").is_visible()
    shot(s, f"creators-{lang}-1366-bad-value")


def _csv_handles(path: Path) -> list[str]:
    return [row["handle"] for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))]


def _json_handles(path: Path) -> list[str]:
    return [item["handle"] for item in json.loads(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_cards_at_390(s: Session, lang: str) -> None:
    page, base = s.page, s.base
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/creators?lang={lang}&sort=audience_quality")
    assert page.locator("#result-count").inner_text() == COUNT[lang].format(n=len(CREATORS))
    cards = page.evaluate(CARDS)
    shot(s, f"creators-{lang}-390")
    assert cards["display"] == "grid" and cards["thead"] == "none"
    assert cards["shown"] == list(KEY_COLUMNS) and cards["page"] <= 0, cards
    # each figure carries its label (the header is hidden)
    tier = page.locator("#creators-table tbody tr").first.locator("td.col-tier")
    assert tier.get_attribute("data-label") == ("Tier" if lang == "en" else "티어")
