"""Every REST endpoint, in-process through httpx's ASGITransport, on a real DuckDB file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from creatorlens._search import decode_cursor, encode_cursor
from creatorlens.web import create_app, revoke_key

from .webdata import CAPTION_XSS, CREATORS, MICRO_BEAUTY_KR, XSS_SCRIPT, WebWorkspace

pytestmark = pytest.mark.anyio
API = "/api/v1"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_app(ws: WebWorkspace, **options: Any) -> FastAPI:
    return create_app(ws.path, **options)


@pytest.fixture
async def app(web_ws: WebWorkspace) -> AsyncIterator[FastAPI]:
    application = make_app(web_ws)
    yield application
    application.state.pool.close()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
        yield c


async def test_health(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "search_version": 0}


async def test_filters_match_the_cli_filters(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators", params={"tier": "micro", "country": "KR", "category": "beauty"})
    assert r.status_code == 200
    assert {c["handle"] for c in r.json()["items"]} == MICRO_BEAUTY_KR
    r = await client.get(f"{API}/creators", params={"min_followers": 100_000})
    assert [c["handle"] for c in r.json()["items"]] == ["usmacro"]


async def test_search_by_handle_or_name(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators", params={"q": "glow"})
    assert [c["handle"] for c in r.json()["items"]] == ["glowkim"]
    r = await client.get(f"{API}/creators", params={"q": "seoul food"})
    assert [c["handle"] for c in r.json()["items"]] == ["seoulfood"]


async def test_sorted_descending_by_default(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators", params={"total": "true"})
    body = r.json()
    followers = [c["followers"] for c in body["items"]]
    assert followers == sorted(followers, reverse=True)
    assert body["total"] == len(CREATORS)
    r = await client.get(f"{API}/creators", params={"sort": "handle", "order": "asc"})
    handles = [c["handle"] for c in r.json()["items"]]
    assert handles == sorted(CREATORS)


@pytest.mark.parametrize("sort", ["followers", "er_followers_lc_median", "er_percentile_peers", "handle"])
async def test_cursor_pages_cover_everything_once(client: httpx.AsyncClient, sort: str) -> None:
    whole = (await client.get(f"{API}/creators", params={"sort": sort, "limit": 200})).json()["items"]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sort": sort, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = (await client.get(f"{API}/creators", params=params)).json()
        seen += [c["creator_id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [c["creator_id"] for c in whole]


async def test_cursor_is_stable_when_creators_are_added(
    client: httpx.AsyncClient, web_ws: WebWorkspace, tmp_path: Path
) -> None:
    first = (await client.get(f"{API}/creators", params={"limit": 3})).json()
    extra = tmp_path / "bigger.csv"
    extra.write_text("platform,handle,followers,country\ninstagram,hugeacct,9000000,KR\n")
    r = await client.post(
        f"{API}/ingest",
        files={"file": ("bigger.csv", extra.read_bytes())},
        headers={"X-API-Key": web_ws.key},
    )
    assert r.status_code == 200, r.text
    second = (await client.get(f"{API}/creators", params={"limit": 3, "cursor": first["next_cursor"]})).json()
    first_ids = {c["creator_id"] for c in first["items"]}
    assert not first_ids & {c["creator_id"] for c in second["items"]}
    assert "instagram:hugeacct" not in {c["creator_id"] for c in second["items"]}
    assert len(first["items"]) + len(second["items"]) == len(CREATORS)


async def test_bad_query_values_are_json_errors(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators", params={"sort": "followers; DROP TABLE creators"})
    assert r.status_code == 400
    assert "cannot sort by" in r.json()["error"]
    r = await client.get(f"{API}/creators", params={"cursor": "not-a-cursor"})
    assert r.status_code == 400 and "cursor" in r.json()["error"]
    other = encode_cursor(1000, "instagram:x", "handle", "asc")
    r = await client.get(f"{API}/creators", params={"cursor": other})
    assert r.status_code == 400 and "different sort" in r.json()["error"]
    r = await client.get(f"{API}/creators", params={"platform": "myspace"})
    assert r.status_code == 422 and r.json()["error"].startswith("query.platform")
    r = await client.get(f"{API}/creators", params={"limit": 0})
    assert r.status_code == 422
    r = await client.get(f"{API}/creators", params={"niche": "beauty"})
    assert r.status_code in (200, 400)  # 400 names the score step when niches are not computed
    if r.status_code == 400:
        assert "score" in r.json()["error"]


def test_cursor_round_trip() -> None:
    for value in (None, 0.1 + 0.2, 12345, "zoë", -0.0):
        cursor = encode_cursor(value, "tiktok:a:b", "followers", "desc")
        assert decode_cursor(cursor, "followers", "desc") == (value, "tiktok:a:b")


async def test_scorecard_has_percentiles_and_benchmark(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators/instagram/glowkim")
    assert r.status_code == 200
    body = r.json()
    assert body["creator"]["tier"] == "micro"
    metrics = {m["metric"]: m for m in body["metrics"]}
    # data/er_benchmarks.csv: Insense 2024, Instagram micro, 2–4% likes+comments / followers, mean
    bench = metrics["er_followers_lc_mean"]["benchmark"]
    assert bench["er_low"] == pytest.approx(0.02) and bench["er_high"] == pytest.approx(0.04)
    assert metrics["er_followers_lc_median"]["value"] == pytest.approx(
        body["creator"]["er_followers_lc_median"]
    )
    assert "er_percentile_peers" in body["creator"]


async def test_bio_is_returned_as_data(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators/instagram/xssbio")
    assert r.json()["bio"] == XSS_SCRIPT


async def test_unknown_creator_is_404(client: httpx.AsyncClient) -> None:
    for suffix in ("", "/posts", "/growth", "/audience", "/audit"):
        r = await client.get(f"{API}/creators/instagram/nobody{suffix}")
        assert r.status_code == 404
        assert "nobody" in r.json()["error"]
    r = await client.get(f"{API}/creators/tiktok/glowkim")
    assert r.status_code == 404


async def test_posts_newest_first_with_verdict_lists(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/creators/instagram/xssbio/posts", params={"limit": 3})
    items = r.json()["items"]
    assert len(items) == 3
    assert items[0]["caption"] == CAPTION_XSS
    assert [p["posted_at"] for p in items] == sorted((p["posted_at"] for p in items), reverse=True)
    assert all(isinstance(p["verdicts"], list) for p in items)


async def test_growth_has_both_snapshots(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"{API}/creators/instagram/glowkim/growth")).json()
    assert [s["followers"] for s in body["snapshots"]] == [40_000, 45_000]
    assert isinstance(body["anomalies"], list)


async def test_audience(client: httpx.AsyncClient) -> None:
    items = (await client.get(f"{API}/creators/instagram/glowkim/audience")).json()["items"]
    shares = {(i["dimension"], i["bucket"]): i["share"] for i in items}
    assert shares[("country", "KR")] == pytest.approx(0.8)


async def test_audit(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"{API}/creators/instagram/glowkim/audit")).json()
    assert set(body) == {"authenticity", "disclosure_verdicts", "disclosure_computed"}
    if body["authenticity"] is not None:
        assert body["authenticity"]["handle"] == "glowkim"


async def test_tiers_and_benchmarks(client: httpx.AsyncClient) -> None:
    tiers = (await client.get(f"{API}/tiers")).json()["items"]
    assert {(t["tier"], t["creators"]) for t in tiers} == {("nano", 1), ("micro", 4), ("macro", 1)}
    r = await client.get(f"{API}/tiers", params={"scheme": "nope"})
    assert r.status_code == 400 and "unknown tier scheme" in r.json()["error"]
    bench = (await client.get(f"{API}/benchmarks", params={"platform": "youtube"})).json()["items"]
    assert bench and all(b["platform"] == "youtube" for b in bench)
    assert all(b["source"] and b["label"] for b in bench)


async def test_ingest_needs_a_valid_key(client: httpx.AsyncClient, web_ws: WebWorkspace) -> None:
    files = {"file": ("x.csv", b"platform,handle,followers\ninstagram,newbie,1200\n")}
    r = await client.post(f"{API}/ingest", files=files)
    assert r.status_code == 401 and "API key" in r.json()["error"]
    r = await client.post(f"{API}/ingest", files=files, headers={"X-API-Key": "clk_bad_key"})
    assert r.status_code == 401


async def test_ingest_reports_read_loaded_quarantined(
    client: httpx.AsyncClient, web_ws: WebWorkspace
) -> None:
    data = b"platform,handle,followers\ninstagram,newbie,1200\ninstagram,,500\n"
    r = await client.post(
        f"{API}/ingest",
        files={"file": ("new_creators.csv", data)},
        headers={"X-API-Key": web_ws.key},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows_read"] == body["rows_loaded"] + body["rows_quarantined"] == 2
    assert body["rows_quarantined"] == 1
    assert body["files"][0]["file"] == "new_creators.csv"
    assert body["scored_creators"] == len(CREATORS) + 1
    r = await client.get(f"{API}/creators", params={"q": "newbie"})
    assert [c["handle"] for c in r.json()["items"]] == ["newbie"]


async def test_revoked_key_is_refused(client: httpx.AsyncClient, web_ws: WebWorkspace, app: FastAPI) -> None:
    key_id = web_ws.key.split("_")[1]
    app.state.pool.enter()  # as a request would: writing() is called from inside one
    try:
        with app.state.pool.writing() as ws:
            assert revoke_key(ws.store, key_id)
    finally:
        app.state.pool.leave()
    r = await client.post(
        f"{API}/ingest",
        files={"file": ("x.csv", b"handle\nx\n")},
        headers={"X-API-Key": web_ws.key},
    )
    assert r.status_code == 401 and "revoked" in r.json()["error"]


async def test_upload_size_limit(web_ws: WebWorkspace) -> None:
    small = make_app(web_ws, max_upload_bytes=1024)
    transport = httpx.ASGITransport(app=small)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        big = b"platform,handle,followers\n" + b"instagram,someone,1000\n" * 200  # ~4.6 KB
        r = await c.post(f"{API}/ingest", files={"file": ("big.csv", big)}, headers={"X-API-Key": web_ws.key})
        assert r.status_code == 413 and "limit" in r.json()["error"]
        huge = big * 20  # beyond the multipart allowance too: refused before it is read
        r = await c.post(
            f"{API}/ingest", files={"file": ("huge.csv", huge)}, headers={"X-API-Key": web_ws.key}
        )
        assert r.status_code == 413
        r = await c.get(f"{API}/creators", params={"q": "someone"})
        assert r.json()["items"] == []
    small.state.pool.close()


async def test_reads_can_require_a_key(web_ws: WebWorkspace) -> None:
    locked = make_app(web_ws, api_keys_required_for_reads=True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=locked), base_url="http://127.0.0.1") as c:
        assert (await c.get(f"{API}/creators")).status_code == 401
        r = await c.get(f"{API}/creators", headers={"X-API-Key": web_ws.key})
        assert r.status_code == 200 and r.json()["items"]
    locked.state.pool.close()


async def test_plan_endpoint(client: httpx.AsyncClient, web_ws: WebWorkspace) -> None:
    brief: dict[str, Any] = {"budget": 3000, "currency": "USD", "goal": "balanced"}
    r = await client.post(f"{API}/plans", json=brief)
    assert r.status_code == 401
    r = await client.post(f"{API}/plans", json={"budget": -5}, headers={"X-API-Key": web_ws.key})
    assert r.status_code == 400 and "budget" in r.json()["error"]
    r = await client.post(f"{API}/plans", json=brief, headers={"X-API-Key": web_ws.key})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert {"creators", "tier_mix", "upper_bound", "near_misses", "guarantee_text"} <= set(plan)
    spent = sum(c["cost"]["mid"] for c in plan["creators"])
    assert spent <= brief["budget"] + 1e-6


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    r = await client.options(
        f"{API}/creators",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = await client.get(f"{API}/creators", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get(f"{API}/openapi.json")).json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/creators",
        "/api/v1/creators/{platform}/{handle}",
        "/api/v1/ingest",
        "/api/v1/plans",
        "/api/v1/tiers",
        "/api/v1/benchmarks",
    } <= paths
    sort = next(p for p in spec["paths"]["/api/v1/creators"]["get"]["parameters"] if p["name"] == "sort")
    assert "followers" in sort["schema"]["enum"]
    assert not any(p.startswith("/creator/") or p == "/" for p in paths)  # pages are not API
    json.dumps(spec)


async def test_search_cache_is_dropped_when_the_server_writes(
    client: httpx.AsyncClient, app: FastAPI, web_ws: WebWorkspace
) -> None:
    index = app.state.search
    assert (await client.get(f"{API}/creators", params={"q": "newbie"})).json()["items"] == []
    hits = index.hits
    assert (await client.get(f"{API}/creators", params={"q": "newbie"})).json()["items"] == []
    assert index.hits == hits + 1  # the same search again came from the cache
    data = b"platform,handle,followers\ninstagram,newbie,1200\n"
    r = await client.post(
        f"{API}/ingest",
        files={"file": ("more.csv", data)},
        headers={"X-API-Key": web_ws.key},
    )
    assert r.status_code == 200
    items = (await client.get(f"{API}/creators", params={"q": "newbie"})).json()["items"]
    assert [c["handle"] for c in items] == ["newbie"]


async def test_overview_is_kept_until_the_server_writes(
    client: httpx.AsyncClient, app: FastAPI, web_ws: WebWorkspace
) -> None:
    index = app.state.search
    first = await client.get("/")
    assert first.status_code == 200 and index.cached(("overview", None, "en")) is not None
    assert (await client.get("/")).text == first.text
    data = b"platform,handle,followers\ninstagram,overviewnew,2500\n"
    r = await client.post(f"{API}/ingest", files={"file": ("o.csv", data)}, headers={"X-API-Key": web_ws.key})
    assert r.status_code == 200
    assert index.cached(("overview", None, "en")) is None  # the write dropped it
    assert (await client.get("/")).status_code == 200


async def test_uncached_search_gives_the_same_pages(web_ws: WebWorkspace) -> None:
    plain = make_app(web_ws, search_cache_size=0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=plain), base_url="http://localhost") as c:
        for _ in range(2):
            body = (
                await c.get(f"{API}/creators", params={"tier": "micro", "sort": "handle", "order": "asc"})
            ).json()
            assert [i["handle"] for i in body["items"]] == sorted(
                ["glowkim", "imgbio", "seoulfood", "xssbio"]
            )
        assert plain.state.search.hits == 0
    plain.state.pool.close()
