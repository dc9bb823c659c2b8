"""The server as an attacker meets it: each request of issue 10's "Server" list gets its exact
status (400/401/403/404/413/503, never 500). In-process over ASGI on a real workspace file."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given, settings, strategies as st

from creatorlens._workspace import CreatorFilter, Workspace, apply_filters
from creatorlens.store import bound_sql
from creatorlens.web import create_app, revoke_key
from creatorlens.web._security import CLIENT_COOKIE, SESSION_COOKIE

from .webdata import WebWorkspace

pytestmark = pytest.mark.anyio
API = "/api/v1"
ORIGIN = {"Origin": "http://127.0.0.1"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def uploads_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the server puts upload temp folders during the test (to see that none is left)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


class Server:
    def __init__(self, ws: WebWorkspace, **options: Any) -> None:
        self.app: FastAPI = create_app(ws.path, **options)
        self.key = ws.key

    def client(self, **headers: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers)


@pytest.fixture
def make(web_ws: WebWorkspace) -> Iterator[Any]:
    made: list[Server] = []

    def build(**options: Any) -> Server:
        made.append(Server(web_ws, **options))
        return made[-1]

    yield build
    for server in made:
        server.app.state.pool.close()


@pytest.fixture
async def client(make: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with make().client() as c:
        yield c


def cursor(value: Any, creator_id: Any = "instagram:glowkim", sort: str = "followers") -> str:
    raw = json.dumps([value, creator_id, sort, "desc"]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -- the 12 distinct 500s of the issue, and their neighbours: now 400 ----------------------------
BAD_REQUESTS = [
    # cursors whose decoded value has the wrong type or is out of range (API and the list page)
    *[
        (path, {"sort": sort, "cursor": cursor(value, sort=sort)})
        for path in (f"{API}/creators", "/creators")
        for sort, value in (
            ("followers", "abc"),  # text for a count
            ("followers", True),
            ("followers", 1e19),  # beyond int64, as a float
            ("followers", -1e19),
            ("followers", 10**19),  # beyond int64, as an integer
            ("handle", 5),  # a number for text
            ("handle", 1e19),
            ("er_followers_lc_median", "abc"),
            ("er_followers_lc_median", 10**19),
            ("followers", [1]),
        )
    ],
    (f"{API}/creators", {"cursor": cursor(5, creator_id=7)}),  # creator id not text
    (f"{API}/creators", {"cursor": cursor(5, creator_id="a\x00b")}),
    (f"{API}/creators", {"cursor": "not base64 json"}),
    # a NUL byte in q, c or a filter (it used to end DuckDB's statement)
    ("/creators", {"q": "a\x00b"}),
    ("/creators", {"country": "K\x00R"}),
    ("/creators", {"category": "beauty\x1f"}),
    (f"{API}/creators", {"q": "a\x00b"}),
    ("/compare", {"c": "instagram:a\x00b"}),
    ("/compare", {"c": "a\x7fb"}),
    ("/", {"platform": "insta\x00gram"}),
]
BAD_PATHS = [
    "/creator/instagram/a%00b",
    "/creator/a%00b/glowkim",
    "/report/instagram/a%00b.html",
    "/report/a%00b/glowkim.html",
    f"{API}/creators/instagram/a%00b",
    f"{API}/creators/instagram/a%0Ab/posts",
    "/plan/a%00b.json",
    "/static/a%00b.css",
]


@pytest.mark.parametrize(("path", "params"), BAD_REQUESTS)
async def test_bad_query_values_are_400(client: httpx.AsyncClient, path: str, params: dict[str, str]) -> None:
    r = await client.get(path, params=params)
    assert r.status_code == 400, (path, params, r.text[:200])
    if path.startswith(API):
        assert r.json()["status"] == 400


@pytest.mark.parametrize("path", BAD_PATHS)
async def test_control_characters_in_a_path_are_400(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 400, (path, r.text[:200])
    assert "control characters" in r.text


async def test_a_good_cursor_still_pages(client: httpx.AsyncClient) -> None:
    first = (await client.get(f"{API}/creators", params={"limit": 2})).json()
    r = await client.get(f"{API}/creators", params={"limit": 2, "cursor": first["next_cursor"]})
    assert r.status_code == 200 and r.json()["items"]
    r = await client.get(f"{API}/creators", params={"cursor": cursor(1.5e9)})  # in range: fine
    assert r.status_code == 400  # a float for an integer column is refused too
    r = await client.get(f"{API}/creators", params={"cursor": cursor(45_000)})
    assert r.status_code == 200


async def test_quotes_and_wildcards_are_plain_text(client: httpx.AsyncClient) -> None:
    for q in ("glow'", "' OR 1=1 --", "%", "_", "\\", "glow\u2028"):
        r = await client.get(f"{API}/creators", params={"q": q})
        assert r.status_code == 200 and r.json()["items"] == [], q
        assert (await client.get("/creators", params={"q": q})).status_code == 200
    r = await client.get(f"{API}/creators/instagram/glow'kim")
    assert r.status_code == 404


def test_user_text_reaches_duckdb_as_parameters(web_ws: WebWorkspace) -> None:
    with Workspace(web_ws.path, read_only=True) as ws:
        t = ws.scorecard()
        f = CreatorFilter(search="needle'x", country="KR,zz", category="beauty\x00")
        sql, values = bound_sql(ws.store.ibis, apply_filters(t, f))
        assert "needle" not in sql and "beauty" not in sql and "ZZ" not in sql
        assert {"needle'x", "ZZ", "beauty\x00"} <= set(values.values())
        with pytest.raises(Exception, match="no creator"):
            ws.creator("gl\x00owkim", "instagram")  # a NUL is only text now: not found


# -- keys for reads: every page, report, chart and export -------------------------------------
GUARDED = [
    "/",
    "/creators",
    "/creators?q=glow",
    "/creator/instagram/glowkim",
    "/report/instagram/glowkim.html",
    "/compare?c=instagram:glowkim",
    "/plan",
    "/plan/someplan.csv",
    "/plan/someplan.json",
    f"{API}/creators",
    f"{API}/creators/instagram/glowkim",
    f"{API}/creators/instagram/glowkim/growth",
    f"{API}/tiers",
    f"{API}/benchmarks",
    "/no-such-page",
]
OPEN = [f"{API}/health", f"{API}/openapi.json", f"{API}/docs", f"{API}/redoc", "/login", "/static/style.css"]


async def test_require_key_for_reads_covers_every_route(make: Any) -> None:
    server = make(api_keys_required_for_reads=True)
    async with server.client() as c:
        for path in GUARDED:
            r = await c.get(path)
            assert r.status_code == 401, path
            assert r.headers["www-authenticate"] == "X-API-Key"
            if path.startswith(API):
                assert "API key" in r.json()["error"]
            else:  # a browser gets the login form in place of the page
                assert 'id="login-form"' in r.text and "Glow Kim" not in r.text
                assert "content-disposition" not in r.headers
        for path in OPEN:
            assert (await c.get(path)).status_code == 200, path
        r = await c.get("/creators", headers={"X-API-Key": "clk_bad_key"})
        assert r.status_code == 401 and "not valid" in r.text
        keyed = {"X-API-Key": server.key}
        for path in GUARDED:
            r = await c.get(path, headers=keyed)
            gone = path.startswith("/plan/") or path == "/no-such-page"
            assert r.status_code == (404 if gone else 200), path
        assert (
            (await c.get("/report/instagram/glowkim.html", headers=keyed))
            .headers["content-disposition"]
            .startswith("attachment")
        )


async def test_login_session_opens_pages_until_the_key_is_revoked(make: Any) -> None:
    server = make(api_keys_required_for_reads=True)
    async with server.client(**ORIGIN) as c:
        form = await c.get("/login", params={"next": "/creators?q=glow"})
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        data = {"csrf_token": token.group(1), "next": "/creators?q=glow"}
        r = await c.post("/login", data={**data, "key": "clk_wrong_key"})
        assert r.status_code == 401 and 'id="login-error"' in r.text
        r = await c.post("/login", data={**data, "key": server.key})
        assert r.status_code == 303 and r.headers["location"] == "/creators?q=glow"
        assert SESSION_COOKIE in r.cookies
        page = await c.get("/creators", params={"q": "glow"})
        assert page.status_code == 200 and "glowkim" in page.text
        assert (await c.get(f"{API}/creators")).status_code == 401  # the API wants the header
        # a session cookie the server did not sign
        session = c.cookies[SESSION_COOKIE]
        key_id, expires, _ = session.split(".")
        c.cookies.set(SESSION_COOKIE, f"{key_id}.{expires}.{'0' * 64}")
        assert (await c.get("/creators")).status_code == 401
        c.cookies.set(SESSION_COOKIE, session)
        with server.app.state.pool.writing() as ws:  # the server's own writes take the lock
            assert revoke_key(ws.store, key_id)
        assert (await c.get("/creators")).status_code == 401  # revoked: the session ends


async def test_login_redirects_only_to_this_server(make: Any) -> None:
    server = make(api_keys_required_for_reads=True)
    async with server.client(**ORIGIN) as c:
        form = await c.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            data = {"csrf_token": token.group(1), "next": target, "key": server.key}
            r = await c.post("/login", data=data)
            assert r.status_code == 303 and r.headers["location"] == "/", target


async def test_plan_form_needs_the_key_when_keys_are_required(make: Any) -> None:
    server = make(api_keys_required_for_reads=True)
    async with server.client(**ORIGIN) as c:
        r = await c.post("/plan", data={"budget": "3000", "csrf_token": "x"})
        assert r.status_code == 401  # before CSRF is even looked at: no key, no planner
        keyed = {"X-API-Key": server.key}
        page = await c.get("/plan", headers=keyed)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        r = await c.post("/plan", data={"budget": "3000", "csrf_token": token.group(1)}, headers=keyed)
        assert r.status_code == 200 and 'id="plan-table"' in r.text


# -- CSRF: signed by the server, and from this server's pages only -----------------------------
async def test_csrf_token_cannot_be_chosen_by_an_attacker(make: Any) -> None:
    server, other = make(), make()
    async with server.client() as c:
        evil = {"Origin": "http://127.0.0.1:6666"}  # another port of 127.0.0.1 shares cookies
        c.cookies.set(CLIENT_COOKIE, "guess")
        r = await c.post("/plan", data={"budget": "3000", "csrf_token": "guess"}, headers=evil)
        assert r.status_code == 403
        r = await c.post("/plan", data={"budget": "3000", "csrf_token": "guess"}, headers=ORIGIN)
        assert r.status_code == 403  # same origin, but "guess" is not signed by this server
        page = await c.get("/plan")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        good = {"budget": "3000", "csrf_token": token.group(1)}
        assert (await c.post("/plan", data=good, headers=evil)).status_code == 403
        assert (await c.post("/plan", data=good)).status_code == 403  # no Origin, no Referer
        r = await c.post("/plan", data=good, headers={"Referer": "http://127.0.0.1/plan"})
        assert r.status_code == 200
        assert (await c.post("/plan", data=good, headers=ORIGIN)).status_code == 200
        nul = {**good, "target": "beauty\x00"}
        assert (await c.post("/plan", data=nul, headers=ORIGIN)).status_code == 400
    async with other.client(**ORIGIN) as c2:  # a token from one server is no good on another
        c2.cookies.set(CLIENT_COOKIE, "guess")  # the client id the token above was signed for
        assert (await c2.post("/plan", data=good)).status_code == 403


# -- Host header (DNS rebinding) ----------------------------------------------------------------
async def test_only_loopback_hosts_by_default(make: Any) -> None:
    server = make()
    transport = httpx.ASGITransport(app=server.app)
    for host, status in (
        ("127.0.0.1:8000", 200),
        ("localhost", 200),
        ("[::1]:8000", 200),
        ("LOCALHOST:1", 200),
        ("attacker.example", 400),
        ("127.0.0.1.nip.io", 400),
        ("", 400),
    ):
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            r = await c.get(f"{API}/health", headers={"Host": host})
            assert r.status_code == status, host
    named = make(allowed_hosts=("127.0.0.1", "dash.example.com"))
    transport = httpx.ASGITransport(app=named.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dash.example.com") as c:
        assert (await c.get("/creators")).status_code == 200
        assert (await c.get("/", headers={"Host": "evil.example"})).status_code == 400


def test_serve_allows_loopback_the_bound_address_and_named_hosts() -> None:
    from creatorlens.cli._serve import allowed_hosts

    assert allowed_hosts("127.0.0.1", []) == ("127.0.0.1", "localhost", "[::1]")
    assert allowed_hosts("0.0.0.0", ["Dash.Example.com"]) == (
        "127.0.0.1", "localhost", "[::1]", "dash.example.com",
    )  # fmt: skip
    assert allowed_hosts("192.168.1.5", [])[-1] == "192.168.1.5"
    assert allowed_hosts("fe80::1", [])[-1] == "[fe80::1]"


# -- uploads ------------------------------------------------------------------------------------
async def test_key_is_checked_before_the_upload_body_is_read(make: Any) -> None:
    server = make()
    reads = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    for key in (None, b"clk_bad_key"):
        reads, sent = 0, []
        headers = [(b"host", b"127.0.0.1"), (b"content-type", b"multipart/form-data; boundary=x")]
        headers += [(b"transfer-encoding", b"chunked")] + ([(b"x-api-key", key)] if key else [])
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
            "scheme": "http", "path": f"{API}/ingest", "raw_path": f"{API}/ingest".encode(),
            "query_string": b"", "headers": headers, "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80), "root_path": "",
        }  # fmt: skip
        await server.app(scope, receive, send)
        assert sent[0]["status"] == 401
        assert reads == 0  # not one chunk of the body was read


async def _chunks(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def _multipart(name: str, payload: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "creatorlens-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body = head + payload + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


async def test_chunked_upload_over_the_limit_is_413(make: Any, uploads_dir: Path) -> None:
    server = make(max_upload_bytes=1024)
    big = b"platform,handle,followers\n" + b"instagram,chunky,1000\n" * 10_000  # ~230 KB
    body, headers = _multipart("big.csv", big)
    async with server.client(**headers, **{"X-API-Key": server.key}) as c:
        r = await c.post(f"{API}/ingest", content=_chunks(body))  # no Content-Length: chunked
        assert "content-length" not in r.request.headers
        assert r.status_code == 413 and "limit" in r.json()["error"]
        # over the file limit but inside the multipart allowance: save_upload stops it
        body, _ = _multipart("mid.csv", big[:5000])
        r = await c.post(f"{API}/ingest", content=_chunks(body))
        assert r.status_code == 413
        r = await c.get(f"{API}/creators", params={"q": "chunky"})
        assert r.json()["items"] == []
    assert list(uploads_dir.iterdir()) == []


async def test_every_other_body_is_limited_too(client: httpx.AsyncClient, web_ws: WebWorkspace) -> None:
    huge = b'{"budget": 3000, "goal": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = await client.post(
        f"{API}/plans",
        content=_chunks(huge),
        headers={"X-API-Key": web_ws.key, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    r = await client.post(
        "/plan", content=huge, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413


async def test_concurrent_uploads_are_capped(make: Any, uploads_dir: Path) -> None:
    server = make(max_concurrent_uploads=1)
    release = asyncio.Event()
    body, headers = _multipart("slow_creators.csv", b"platform,handle,followers\ninstagram,slowpoke,1200\n")

    async def slow() -> AsyncIterator[bytes]:
        yield body[:10]
        await release.wait()
        yield body[10:]

    async with server.client(**headers, **{"X-API-Key": server.key}) as c:
        first = asyncio.create_task(c.post(f"{API}/ingest", content=slow()))
        while server.app.middleware_stack is None or _active_uploads(server.app) == 0:
            await asyncio.sleep(0.01)
        r = await c.post(f"{API}/ingest", content=body)
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        release.set()
        assert (await first).status_code == 200
        r = await c.post(f"{API}/ingest", content=body)  # the slot is free again
        assert r.status_code == 200 and r.json()["rows_loaded"] == 1
    assert list(uploads_dir.iterdir()) == []


def _active_uploads(app: FastAPI) -> int:
    layer: Any = app.middleware_stack
    while layer is not None:
        if type(layer).__name__ == "Guard":
            return int(layer.uploads)
        layer = getattr(layer, "app", None)
    return 0


@pytest.mark.parametrize("name", ["..", ".", "x\x01.csv", "a" * 300 + ".csv"])
async def test_bad_upload_names_are_400_and_leave_nothing(make: Any, uploads_dir: Path, name: str) -> None:
    server = make()
    body, headers = _multipart(name, b"platform,handle\ninstagram,a\n")  # the name as sent
    async with server.client(**headers, **{"X-API-Key": server.key}) as c:
        r = await c.post(f"{API}/ingest", content=body)
        assert r.status_code == 400 and "name" in r.json()["error"]
    assert list(uploads_dir.iterdir()) == []


async def test_upload_errors_show_no_server_path(make: Any, uploads_dir: Path) -> None:
    server = make()
    async with server.client(**{"X-API-Key": server.key}) as c:
        for name, data in (("bad.parquet", b"garbage"), ("broken.json", b"[{"), ("x.xlsx", b"no")):
            r = await c.post(f"{API}/ingest", files={"file": (name, data)})
            assert r.status_code == 400
            error = r.json()["error"]
            assert error.startswith(name) and str(uploads_dir) not in error
            assert "creatorlens-upload-" not in error and "/tmp" not in error


# -- the API description ----------------------------------------------------------------------
async def test_docs_pages_use_only_local_assets(client: httpx.AsyncClient) -> None:
    for path in (f"{API}/docs", f"{API}/redoc"):
        r = await client.get(path)
        assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
        sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
        assert sources and all(s.startswith("/static/") for s in sources), sources
        assert "<script>" not in r.text  # no inline script (the CSP would block it)
        for s in sources:
            assert (await client.get(s)).status_code == 200, s
    vendor = Path(__file__).parents[2] / "src/creatorlens/web/static/vendor"
    assert {"LICENSE", "NOTICE"} <= {p.name for p in (vendor / "swagger-ui").iterdir()}
    assert (vendor / "redoc" / "LICENSE").exists()
    assert "swagger-ui-dist" in (vendor / "API-DOCS-VERSION").read_text()


# -- property: no text and no cursor makes the search fail ------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def test_any_search_text_or_cursor_is_answered_200_or_400(web_ws: WebWorkspace) -> None:
    from fastapi.testclient import TestClient

    app = create_app(web_ws.path, allowed_hosts=("testserver",))
    sorts = ("followers", "handle", "er_followers_lc_median")
    try:
        with TestClient(app, raise_server_exceptions=True) as c:

            @given(
                q=st.text(max_size=40),
                value=JSON_VALUES,
                creator_id=JSON_VALUES,
                sort=st.sampled_from(sorts),
                page=st.booleans(),
            )
            @settings(max_examples=150, deadline=None, database=None)
            def check(q: str, value: Any, creator_id: Any, sort: str, page: bool) -> None:
                params = {"q": q, "sort": sort, "cursor": cursor(value, creator_id, sort)}
                r = c.get("/creators" if page else f"{API}/creators", params=params)
                assert r.status_code in (200, 400), (params, r.text[:200])

            check()
    finally:
        app.state.pool.close()
