"""The creator page of a creator the data says little about (a profile export with reported
averages only, as top1000-social-2022 gives for MrBeast): every empty section says what is
missing instead of "not computed yet" or an empty table, the ER percentile stands beside the ER
it ranks, and creators sharing nothing with it are not listed as lookalikes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import creatorlens
from creatorlens.web import create_app

pytestmark = pytest.mark.anyio

# Profiles only, no posts: youtube channels with reported average views, likes and comments.
PROFILES = """\
platform,handle,followers,country,category,avg_views,avg_likes,avg_comments
youtube,bigchannel,117000000,US,Video games,68500000,2900000,100000
youtube,gamer_two,58600000,US,Video games,20000000,800000,30000
youtube,gamer_three,91800000,US,Video games,30000000,900000,20000
youtube,cook_four,90000000,US,Food,25000000,700000,10000
"""


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    export = tmp_path / "profiles.csv"
    export.write_text(PROFILES, encoding="utf-8")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        report = ws.ingest(export)
        assert report.rows_quarantined == 0 and report.rows_loaded == 4
        ws.score()
    app = create_app(tmp_path / "ws.duckdb")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as c:
        yield c
    app.state.pool.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_empty_sections_say_what_is_missing(client: httpx.AsyncClient, lang: str) -> None:
    r = await client.get(f"/creator/youtube/bigchannel?lang={lang}")
    assert r.status_code == 200
    html = r.text
    for section in ("posts-none", "audience-none", "safety-none"):
        assert f'id="{section}"' in html, section
    assert "Not screened yet" not in html and "<tbody>\n    </tbody>" not in html
    if lang == "ko":
        assert "게시물이 없습니다" in html and "오디언스 분포 데이터가 없습니다" in html


async def test_the_percentile_stands_beside_the_ranked_er(client: httpx.AsyncClient) -> None:
    html = (await client.get("/creator/youtube/bigchannel")).text
    rows = re.findall(r'<tr><td title="(er_followers_lc_(?:median|mean))">.*?</tr>', html, re.S)
    assert rows == ["er_followers_lc_median", "er_followers_lc_mean"]
    median = re.search(r'<tr><td title="er_followers_lc_median">(.*?)</tr>', html, re.S)
    mean = re.search(r'<tr><td title="er_followers_lc_mean">(.*?)</tr>', html, re.S)
    assert median is not None and mean is not None
    # no posts: the median is unknown, the mean comes from the reported averages and is ranked
    assert not re.search(r"\bp\d+\b", median.group(1))
    assert re.search(r"\bp\d+\b", mean.group(1))


async def test_lookalikes_share_something_with_the_seed(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/creators/youtube/bigchannel/similar")
    if r.status_code == 404:  # the page's own endpoint
        r = await client.get("/creator/youtube/bigchannel/similar")
    assert r.status_code == 200
    handles = re.findall(r"gamer_two|gamer_three|cook_four", r.text)
    assert {"gamer_two", "gamer_three"} <= set(handles)
    assert "cook_four" not in handles  # same size band, no shared topic or term: not a lookalike


async def test_overview_top_lists_show_the_ranked_er(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    top = html[html.index('id="top-niche"') :]
    top = top[: top.index("</section>")]
    assert "bigchannel" in top
    # no posts: the listed ER is the mean of the reported averages, said so, not "—"
    item = re.search(r"bigchannel</a>(.*?)</li>", top, re.S)
    assert item is not None and "(mean)" in item.group(1) and "%" in item.group(1)
    headings = re.findall(r"<h3>([^<]+?) <small>", top)
    assert "Other" not in headings[:-1]  # "other" comes last when it is listed at all
