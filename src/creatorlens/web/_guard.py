"""The request guard: one ASGI middleware that runs before routing and before any body is read.

In order, for every HTTP request:

1. A NUL or other control character in the path or the query string: 400.
2. ``POST /api/v1/ingest`` needs a valid ``X-API-Key``: 401 before one byte of the body is read.
3. With ``require_key_for_reads`` every other route needs a key too (``X-API-Key``, or for the
   dashboard pages the signed session cookie ``/login`` sets): 401, as JSON under /api/v1 and as
   the login form on pages. Open always: /static, /login, /logout, /api/v1/health, and the API
   description (/api/v1/openapi.json, /api/v1/docs, /api/v1/redoc), which hold no data.
4. Body size: a declared Content-Length over the limit is refused at once, and the body is counted
   while it streams in (chunked bodies too), cut off with 413 once over the limit. Uploads may be
   ``max_upload_bytes`` plus the multipart envelope, every other request ``MAX_BODY_BYTES``.
5. At most ``max_concurrent_uploads`` uploads at a time; another gets 503 with Retry-After.

Host names are checked before this, by Starlette's TrustedHostMiddleware (DNS rebinding).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creatorlens.errors import BodyTooLarge as BodyTooLarge
from creatorlens.web._security import (
    MULTIPART_OVERHEAD,
    SESSION_COOKIE,
    has_control,
    key_is_active,
    key_problem,
)

if TYPE_CHECKING:
    from creatorlens.web._app import Settings

API_PREFIX = "/api/v1"
INGEST_PATH = f"{API_PREFIX}/ingest"
#: Paths that never need a key: assets, the login form, liveness and the API's own description.
OPEN_PATHS = frozenset(
    {
        "/login",
        "/logout",
        f"{API_PREFIX}/health",
        f"{API_PREFIX}/openapi.json",
        f"{API_PREFIX}/docs",
        f"{API_PREFIX}/redoc",
    }
)
OPEN_PREFIXES = ("/static/",)
#: Largest body of any request but an upload (a plan brief, a form): 1 MiB.
MAX_BODY_BYTES = 1024 * 1024
#: Seconds a client is asked to wait when every upload slot is taken.
RETRY_AFTER_SECONDS = 5


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class Guard:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.uploads = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"), errors="replace")
        if has_control(path) or has_control(query):
            await reply(scope, receive, send, 400, "control characters (such as NUL) are not allowed "
                        "in a path or a query")  # fmt: skip
            return
        headers = Headers(scope=scope)
        key = headers.get("x-api-key")
        upload = path == INGEST_PATH and scope["method"] == "POST"
        if upload:
            problem = await run_in_threadpool(_key_problem, scope, key)
            if problem:
                await reply(scope, receive, send, 401, problem, {"WWW-Authenticate": "X-API-Key"})
                return
        elif (
            self.settings.api_keys_required_for_reads
            and not is_open(path)
            and not await run_in_threadpool(_reader_ok, scope, key)
        ):
            await refuse_reader(scope, receive, send, key)
            return
        limit = self.settings.max_upload_bytes + MULTIPART_OVERHEAD if upload else MAX_BODY_BYTES
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(scope, receive, send, limit)
            return
        if not upload:
            await self._bounded(scope, receive, send, limit)
            return
        if self.uploads >= self.settings.max_concurrent_uploads:
            await reply(
                scope, receive, send, 503,
                f"all {self.settings.max_concurrent_uploads} upload slots are busy; try again "
                f"in {RETRY_AFTER_SECONDS} s",
                {"Retry-After": str(RETRY_AFTER_SECONDS)},
            )  # fmt: skip
            return
        self.uploads += 1
        try:
            await self._bounded(scope, receive, send, limit)
        finally:
            self.uploads -= 1

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the app with the body counted as it arrives; past ``limit`` answer 413 and drop
        whatever the app still tries to send (its parser fails on the cut-off body)."""
        seen = 0
        started = False
        answered = False

        async def counted() -> Message:
            nonlocal seen, answered
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if not started and not answered:
                        answered = True
                        await too_large(scope, receive, send, limit)
                    raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if answered:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started and not answered:
                await too_large(scope, receive, send, limit)


def _key_problem(scope: Scope, key: str | None) -> str | None:
    return key_problem(scope["app"].state.pool.get().store, key)


def _reader_ok(scope: Scope, key: str | None) -> bool:
    store = scope["app"].state.pool.get().store
    if key:
        return key_problem(store, key) is None
    if is_api(scope["path"]):
        return False
    cookie = Request(scope).cookies.get(SESSION_COOKIE)
    key_id = scope["app"].state.signer.session_key_id(cookie, time.time())
    return key_id is not None and key_is_active(store, key_id)


async def reply(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
) -> None:
    """An error answer before routing: JSON under /api/v1, the error page elsewhere."""
    response: Response
    if is_api(scope["path"]):
        body = json.dumps({"error": message, "status": status}).encode("utf-8")
        response = Response(body, status, headers, media_type="application/json")
    else:
        from creatorlens.web._views import error_page

        response = error_page(Request(scope), status, message)
        response.headers.update(headers or {})
    await response(scope, receive, send)


async def too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    await reply(scope, receive, send, 413, f"request body is larger than the limit of {limit:,} bytes")


async def refuse_reader(scope: Scope, receive: Receive, send: Send, key: str | None) -> None:
    """401 for a read without a key: JSON for the API (and any non-GET), the login form for a
    page a browser asked for."""
    challenge = {"WWW-Authenticate": "X-API-Key"}
    if is_api(scope["path"]) or key or scope["method"] not in ("GET", "HEAD"):
        message = (
            "the API key is not valid or has been revoked"
            if key
            else "this server needs an API key for reads: send it in the X-API-Key header "
            "(create one with `creatorlens keys create`), or log in at /login"
        )
        await reply(scope, receive, send, 401, message, challenge)
        return
    from creatorlens.web._login import login_form

    response = login_form(Request(scope), status=401)
    response.headers.update(challenge)
    await response(scope, receive, send)
