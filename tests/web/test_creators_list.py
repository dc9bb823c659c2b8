"""The dashboard's creators list end to end (issue 17), on the scored demo workspace: every filter
of the CLI's `creators` in the form lists what ``Workspace.search`` lists for the same
CreatorFilter, the count and "51–100 of N" are that query's, headers sort and toggle, the pages
cover the list once, bad values are 400 with the field's message (never a 500), and the CSV and
JSON exports hold every matching row (all pages) in the list's order."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from creatorlens._workspace import CreatorFilter, Workspace
from creatorlens.presentation._context import jsonable
from creatorlens.web import create_app

#: (page parameters, the CreatorFilter they mean): shares in percent on the page, fractions below.
CASES: list[tuple[dict[str, str], CreatorFilter]] = [
    ({}, CreatorFilter()),
    ({"platform": "tiktok"}, CreatorFilter(platform="tiktok")),
    ({"tier": "micro", "country": "kr"}, CreatorFilter(tier="micro", country="KR")),
    ({"min_followers": "10000", "max_followers": "100000"}, CreatorFilter(min_followers=10_000, max_followers=100_000)),
    ({"min_er": "2", "max_er": "6"}, CreatorFilter(min_er=0.02, max_er=0.06)),
    ({"min_quality": "90"}, CreatorFilter(min_quality=90)),
    ({"min_posts": "6"}, CreatorFilter(min_posts=6)),
    ({"niche": "beauty"}, CreatorFilter(niche="beauty")),
    ({"min_focus": "90"}, CreatorFilter(min_focus=0.9)),
    ({"transparency_below": "50"}, CreatorFilter(transparency_below=0.5)),
    ({"q": "a", "country": "KR,US"}, CreatorFilter(search="a", country="KR,US")),
    ({"category": "beauty"}, CreatorFilter(category="beauty")),
    ({"language": "ko"}, CreatorFilter(language="ko")),
    ({"language": "KO,en", "tier": "micro"}, CreatorFilter(language="ko,en", tier="micro")),
]  # fmt: skip


class ListPage(HTMLParser):
    """What the list page shows: row ids, count, range, header sort state and links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: dict[str, str] = {}
        self.sorted: dict[str, str] = {}
        self.header_links: dict[str, str] = {}
        self._column: str | None = None
        self._text_of: str | None = None
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") == "c":
            self.ids.append(a["value"])
        if tag == "th" and "data-column" in a:
            self._column = a["data-column"]
            if "aria-sort" in a:
                self.sorted[self._column] = a["aria-sort"]
        if tag == "a" and self._column and "sort-link" in a.get("class", ""):
            self.header_links[self._column] = a["href"]
        if tag == "a" and a.get("id"):
            self.links[a["id"]] = a["href"]
        if a.get("id") in ("result-count", "showing", "empty-state"):
            self._text_of = a["id"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._column = None
        if tag in ("small", "span", "div"):
            self._text_of = None

    def handle_data(self, data: str) -> None:
        if self._text_of:
            self.texts[self._text_of] = self.texts.get(self._text_of, "") + data


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    web = create_app(demo_db)
    with TestClient(web, base_url="http://127.0.0.1") as c:
        yield c
    web.state.pool.close()


@pytest.fixture(scope="module")
def ws(demo_db: Path) -> Iterator[Workspace]:
    with Workspace(demo_db, read_only=True) as w:
        yield w


def truth(ws: Workspace, f: CreatorFilter, sort: str = "followers", order: str = "desc") -> list[str]:
    """The filtered Workspace query, every row: what the page and the exports must show."""
    page = ws.search(f, sort, order, None, columns=["creator_id"])  # type: ignore[arg-type]
    return [str(r["creator_id"]) for r in page.rows.to_pylist()]


def list_page(client: TestClient, url: str, params: dict[str, str] | None = None) -> ListPage:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text[:500]
    page = ListPage()
    page.feed(r.text)
    return page


def every_page(client: TestClient, params: dict[str, str]) -> tuple[list[str], list[ListPage]]:
    """Follow the next links from the first page to the last."""
    pages = [list_page(client, "/creators", params)]
    while "next-page" in pages[-1].links:
        pages.append(list_page(client, pages[-1].links["next-page"]))
        assert len(pages) < 100
    return [i for p in pages for i in p.ids], pages


@pytest.mark.parametrize(("params", "f"), CASES)
def test_every_cli_filter_lists_what_the_workspace_query_lists(
    client: TestClient, ws: Workspace, params: dict[str, str], f: CreatorFilter
) -> None:
    expected = truth(ws, f)
    ids, pages = every_page(client, {**params, "size": "25"})
    assert ids == expected
    first = pages[0]
    assert first.texts["result-count"].strip() == f"{len(expected):,} creators"
    if expected:
        shown = min(25, len(expected))
        assert first.texts["showing"].strip() == f"Showing 1–{shown} of {len(expected):,}"
    else:
        assert "No creators match these filters." in first.texts["empty-state"]
        assert first.links["empty-clear"] == "/creators"


def test_the_filter_cases_are_not_vacuous(ws: Workspace) -> None:
    """Each filter keeps some creators and drops others (on the demo workspace)."""
    everyone = len(truth(ws, CreatorFilter()))
    for _, f in CASES[1:]:
        assert 0 < len(truth(ws, f)) < everyone, f


def test_pages_say_where_they_are_and_link_back(client: TestClient, ws: Workspace) -> None:
    total = len(truth(ws, CreatorFilter()))
    ids, pages = every_page(client, {"size": "25"})
    assert len(ids) == len(set(ids)) == total and len(pages) == -(-total // 25)
    second = pages[1]
    assert second.texts["showing"].strip() == f"Showing 26–50 of {total:,}"
    back = list_page(client, second.links["prev-page"])
    assert back.ids == pages[0].ids and "prev-page" not in back.links


def test_headers_show_the_sort_and_toggle_it(client: TestClient, ws: Workspace) -> None:
    page = list_page(client, "/creators", {"sort": "er_followers_lc_median", "size": "200"})
    assert page.sorted == {"er_followers_lc_median": "descending"}
    assert page.ids == truth(ws, CreatorFilter(), "er_followers_lc_median", "desc")
    flipped = list_page(client, page.header_links["er_followers_lc_median"])
    assert flipped.sorted == {"er_followers_lc_median": "ascending"}
    assert flipped.ids == truth(ws, CreatorFilter(), "er_followers_lc_median", "asc")
    by_handle = list_page(client, flipped.header_links["handle"])  # another column: its natural order
    assert by_handle.sorted == {"handle": "ascending"}
    assert by_handle.ids == truth(ws, CreatorFilter(), "handle", "asc")


def test_a_sort_by_a_column_the_table_omits_shows_that_column(client: TestClient, ws: Workspace) -> None:
    """Sorted by ER by views (not a default column), the table shows it, so the order can be read."""
    html = client.get("/creators", params={"sort": "er_views_lcs_median", "platform": "tiktok"}).text
    assert 'data-column="er_views_lcs_median"' in html and 'aria-sort="descending"' in html
    cells = re.findall(r'class="num key col-er_views_lcs_median">([^<]*)</td>', html)
    assert cells and "%" in cells[0]
    page = list_page(client, "/creators", {"sort": "er_views_lcs_median", "platform": "tiktok", "size": "200"})
    assert page.ids == truth(ws, CreatorFilter(platform="tiktok"), "er_views_lcs_median", "desc")
    assert 'data-column="er_views_lcs_median"' not in client.get("/creators").text


def test_sort_links_keep_the_filters(client: TestClient, ws: Workspace) -> None:
    page = list_page(client, "/creators", {"platform": "instagram", "min_er": "1"})
    resorted = list_page(client, page.header_links["n_posts"])
    f = CreatorFilter(platform="instagram", min_er=0.01)
    assert resorted.ids == truth(ws, f, "n_posts", "desc")[:50]


def _export_params(client: TestClient, params: dict[str, str]) -> tuple[str, str]:
    page = list_page(client, "/creators", params)
    return page.links["export-csv"], page.links["export-json"]


@pytest.mark.parametrize(
    ("params", "f"),
    [
        ({"size": "25", "page": "2"}, CreatorFilter()),
        ({"tier": "micro", "min_er": "2", "sort": "handle", "order": "asc"}, CreatorFilter(tier="micro", min_er=0.02)),
        ({"q": "nobody-is-called-this"}, CreatorFilter(search="nobody-is-called-this")),
    ],
)  # fmt: skip
def test_exports_hold_every_matching_row(
    client: TestClient, ws: Workspace, params: dict[str, str], f: CreatorFilter
) -> None:
    csv_url, json_url = _export_params(client, params)
    assert "page=" not in csv_url and "size=" not in json_url  # every page, not the one shown
    sort, order = params.get("sort", "followers"), params.get("order", "desc")
    expected = truth(ws, f, sort, order)
    r = client.get(csv_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["creator_id"] for row in rows] == expected
    r = client.get(json_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    items: list[dict[str, Any]] = json.loads(r.text)  # one JSON document
    assert [item["creator_id"] for item in items] == expected
    header = r.text and next(csv.reader(io.StringIO(client.get(csv_url).text)), [])
    for columns in (header, list(items[0]) if items else header):
        assert {"creator_id", "handle", "followers", "er_followers_lc_median"} <= set(columns)
        assert all(re.fullmatch(r"[a-z_]+", c) for c in columns)  # ids, not labels


def test_export_values_are_the_workspace_values(client: TestClient, ws: Workspace) -> None:
    items = json.loads(client.get("/creators.json", params={"platform": "youtube"}).text)
    page = ws.search(CreatorFilter(platform="youtube"), limit=None, columns=list(items[0]))
    assert items == jsonable(page.rows.to_pylist())


BAD = [
    ({"min_followers": "lots"}, "min_followers", "is not a number"),
    ({"min_er": "-1"}, "min_er", "from 0"),
    ({"min_quality": "120"}, "min_quality", "from 0 to 100"),
    ({"min_posts": "2.5"}, "min_posts", "is not a whole number"),
    ({"tier": "bogus"}, "tier", "Nano, Micro"),
    ({"platform": "myspace"}, "platform", "Instagram, TikTok, YouTube"),
    ({"country": "Korea"}, "country", "ISO country code"),
    ({"niche": "astrology-ish"}, "niche", "is not one of"),
    ({"min_followers": "5000", "max_followers": "100"}, "max_followers", "must not be below"),
    ({"sort": "bio"}, "sort", "is not one of"),
    ({"size": "7"}, "size", "25, 50, 100, 200"),
    ({"page": "0"}, "page", "whole number"),
]


@pytest.mark.parametrize(("params", "field", "message"), BAD)
def test_bad_values_are_400_with_the_fields_message(
    client: TestClient, params: dict[str, str], field: str, message: str
) -> None:
    r = client.get("/creators", params=params)
    assert r.status_code == 400, r.text[:300]
    assert message in r.text
    assert 'id="filter-errors"' in r.text and 'id="creators-table"' not in r.text
    if field not in ("sort", "size", "page"):
        assert f'id="error-{field}"' in r.text  # beside its field
    for export in ("/creators.csv", "/creators.json"):
        r = client.get(export, params=params)
        assert r.status_code == 400 and message in r.text


def test_korean_labels_and_messages(client: TestClient, ws: Workspace) -> None:
    total = len(truth(ws, CreatorFilter()))
    try:
        r = client.get("/creators", params={"lang": "ko", "size": "25"})
        assert r.status_code == 200
        assert f"크리에이터 {total:,}명" in r.text and f"전체 {total:,}명 중 1–25번째" in r.text
        r = client.get("/creators", params={"lang": "ko", "min_er": "abc"})
        assert r.status_code == 400 and "숫자가 아닙니다" in r.text
    finally:
        client.cookies.clear()  # ?lang= is remembered in a cookie: the other tests read English


#: A ranking export with no posts: the ER is the reported average (er_source reported_averages),
#: laid out as the top-1000 exports are (name, followers, engagement average).
PROFILES_CSV = (
    'S.no,Instagram name, Name,Subscribers,Subscribers,Audience country,"Engagement average\n",'
    '"Engagement average Values\n",Category_1\n'
    "1.00,ana_cooks,Ana,1.2M,1200000.00,United States,40K,40000.00,Food\n"
    "2.00,ben_runs,Ben,800K,800000.00,India,8K,8000.00,Sports\n"
)


def test_a_reported_average_er_is_shown_where_the_er_filter_finds_it(tmp_path: Path) -> None:
    """The ER filters use the headline ER (the median, else the mean); the list shows that same
    value, marked as a mean, instead of "—" beside a creator the filter kept."""
    from typer.testing import CliRunner

    from creatorlens.cli import app

    (tmp_path / "profiles.csv").write_text(PROFILES_CSV, encoding="utf-8")
    db = tmp_path / "ws.duckdb"
    runner = CliRunner()
    ingest = ["ingest", str(tmp_path / "profiles.csv"), "--db", str(db), "--platform", "instagram"]
    assert runner.invoke(app, [*ingest, "--observed-at", "2022-09-01"]).exit_code == 0
    assert runner.invoke(app, ["score", "--db", str(db)]).exit_code == 0
    web = create_app(db)
    try:
        with TestClient(web, base_url="http://127.0.0.1") as c:
            page = c.get("/creators", params={"min_er": "2"})  # 2%: ana (40K / 1.2M = 3.33%)
    finally:
        web.state.pool.close()
    assert page.status_code == 200
    assert "ana_cooks" in page.text and "ben_runs" not in page.text  # ben: 8K / 800K = 1.00%
    assert re.search(r"3\.33%\s*<small class=\"muted\">\(mean\)</small>", page.text), page.text[-3000:]
