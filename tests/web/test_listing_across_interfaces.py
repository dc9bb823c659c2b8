"""The CLI, the REST API and the dashboard list the same creators in the same order, page 2
included (each follows its own next cursor), because all three list through Workspace.search."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from creatorlens.cli import app as cli_app
from creatorlens.web import create_app
from creatorlens.web._views import PAGE_SIZE

runner = CliRunner()

#: (filters, sort): every filter here is one the dashboard's form has too.
CASES: list[tuple[dict[str, str], str]] = [
    ({}, "followers"),
    ({"platform": "instagram"}, "er_followers_lc_median"),  # the few-post ERs listed last
    ({"country": "KR"}, "handle"),
    ({"tier": "nano"}, "n_posts"),  # mostly ties: broken by creator_id
    ({"niche": "food"}, "transparency_us"),  # nulls where no post was sponsored
    ({"q": "a", "platform": "tiktok"}, "er_percentile_peers"),
    ({"category": "beauty", "country": "KR"}, "followers"),
    ({"q": "nobody-is-called-this"}, "followers"),  # an empty list
    ({"language": "ko", "platform": "instagram"}, "followers"),
    ({"platform": "youtube"}, "language"),  # the language column's header sorts too (text)
]
#: The CLI's option for each query parameter of the web.
CLI_OPTION = {"q": "--search"}


class CreatorRows(HTMLParser):
    """The creator ids of the list page's rows (their compare checkboxes) and its next link."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.next_url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") == "c":
            self.ids.append(str(a["value"]))
        if tag == "a" and a.get("id") == "next-page":
            self.next_url = a.get("href")


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    web = create_app(demo_db)
    with TestClient(web, base_url="http://127.0.0.1") as c:
        yield c
    web.state.pool.close()


def cli_page(
    db: Path, filters: dict[str, str], sort: str, order: str, cursor: str | None
) -> tuple[list[str], str | None]:
    args = ["creators", "--db", str(db), "--format", "json", "--limit", str(PAGE_SIZE), "--sort", sort]
    for key, value in filters.items():
        args += [CLI_OPTION.get(key, f"--{key}"), value]
    if order == "asc":
        args.append("--ascending")
    if cursor:
        args += ["--cursor", cursor]
    result = runner.invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    found = re.search(r"next page: --cursor (\S+)", result.stderr)
    return [r["creator_id"] for r in rows], found.group(1) if found else None


def api_page(
    client: TestClient, filters: dict[str, str], sort: str, order: str, cursor: str | None
) -> tuple[list[str], str | None]:
    params: dict[str, Any] = {**filters, "sort": sort, "order": order, "limit": PAGE_SIZE}
    if cursor:
        params["cursor"] = cursor
    r = client.get("/api/v1/creators", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    return [item["creator_id"] for item in body["items"]], body["next_cursor"]


def dashboard_page(client: TestClient, url: str, params: dict[str, str] | None = None) -> CreatorRows:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text[:300]
    page = CreatorRows()
    page.feed(r.text)
    return page


@pytest.mark.parametrize(("filters", "sort"), CASES)
def test_cli_api_and_dashboard_list_the_same_creators(
    demo_db: Path, client: TestClient, filters: dict[str, str], sort: str
) -> None:
    cli_1, cli_next = cli_page(demo_db, filters, sort, "desc", None)
    api_1, api_next = api_page(client, filters, sort, "desc", None)
    web_1 = dashboard_page(client, "/creators", {**filters, "sort": sort})
    assert cli_1 == api_1 == web_1.ids
    assert (cli_next is None) == (api_next is None) == (web_1.next_url is None)
    if cli_next is None:
        return
    assert api_next is not None and web_1.next_url is not None
    cli_2, _ = cli_page(demo_db, filters, sort, "desc", cli_next)
    api_2, _ = api_page(client, filters, sort, "desc", api_next)
    web_2 = dashboard_page(client, web_1.next_url)
    assert cli_2 == api_2 == web_2.ids
    assert cli_2 and not set(cli_2) & set(cli_1)


def test_the_cases_reach_a_second_page_and_an_empty_list(demo_db: Path, client: TestClient) -> None:
    """The comparison above is not vacuous: some cases have a page 2, one lists nothing."""
    seconds = [api_page(client, f, s, "desc", None)[1] is not None for f, s in CASES]
    assert sum(seconds) >= 2
    assert any(not api_page(client, f, s, "desc", None)[0] for f, s in CASES)


@pytest.mark.parametrize(("filters", "sort"), CASES[:4])
def test_cli_and_api_agree_ascending(
    demo_db: Path, client: TestClient, filters: dict[str, str], sort: str
) -> None:
    cli_1, cli_next = cli_page(demo_db, filters, sort, "asc", None)
    api_1, api_next = api_page(client, filters, sort, "asc", None)
    assert cli_1 == api_1 and (cli_next is None) == (api_next is None)
    if cli_next and api_next:
        assert (
            cli_page(demo_db, filters, sort, "asc", cli_next)[0]
            == api_page(client, filters, sort, "asc", api_next)[0]
        )


def test_a_bad_cursor_is_exit_2_and_400(demo_db: Path, client: TestClient) -> None:
    _, cursor = api_page(client, {}, "followers", "desc", None)
    assert cursor is not None
    result = runner.invoke(
        cli_app, ["creators", "--db", str(demo_db), "--sort", "handle", "--cursor", cursor]
    )
    assert result.exit_code == 2 and "different sort order" in result.stderr
    result = runner.invoke(cli_app, ["creators", "--db", str(demo_db), "--cursor", "garbage"])
    assert result.exit_code == 2 and "cursor is not valid" in result.stderr
    r = client.get("/api/v1/creators", params={"sort": "handle", "cursor": cursor})
    assert r.status_code == 400 and "different sort order" in r.json()["error"]
    r = client.get("/creators", params={"sort": "handle", "cursor": cursor})
    assert r.status_code == 400 and "different sort order" in r.text


def test_a_nul_byte_in_a_cli_filter_is_plain_text(demo_db: Path) -> None:
    result = runner.invoke(
        cli_app, ["creators", "--db", str(demo_db), "--format", "json", "--search", "a\x00b"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_the_language_header_sorts_the_list(demo_db: Path, client: TestClient) -> None:
    """The list's language column links to its sort (ascending first, like the handle), and the
    sorted page lists languages in order with the unknown ones last."""
    page = client.get("/creators").text
    link = re.search(r'data-column="language"[^>]*><a href="([^"]+)"', page)
    assert link is not None and "sort=language" in link.group(1) and "order=asc" in link.group(1)
    r = client.get("/api/v1/creators", params={"sort": "language", "order": "asc", "limit": 200})
    assert r.status_code == 200, r.text
    languages = [str(item.get("language") or "") for item in r.json()["items"]]
    known = [x for x in languages if x]
    assert len(set(known)) >= 2, languages[:20]
    assert known == sorted(known) and languages[: len(known)] == known
