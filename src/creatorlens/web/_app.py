"""The FastAPI application: the JSON API under /api/v1, the dashboard pages, static assets.

DuckDB connections are not safe to share between threads, and FastAPI runs sync routes in a
thread pool; so every worker thread opens its own read-only Workspace on the same file. The
server never holds the write lock while it idles: DuckDB lets one process write a file or many
read it, so a read-write server would lock every CLI command out (docs/concurrency.md).

``WorkspacePool`` is the gate: requests enter and leave it (the ``WorkspaceGate`` middleware);
a writer, this server's own (an upload) or another process's (which announces itself with the
``<db>.write-wanted`` file), makes new requests wait, and once the requests in flight are done the
pool closes every connection so that the writer gets the lock. Connections reopen afterwards,
so the next request reads the new data.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from creatorlens._bug_report import new_error_id
from creatorlens._workspace import Workspace
from creatorlens.errors import OptionError, UserError
from creatorlens.presentation._i18n import DEFAULT_LANG, SUPPORTED
from creatorlens.store._store import WorkspaceBusy, lock_timeout, writer_waiting
from creatorlens.web._guard import Guard
from creatorlens.web._search import DEFAULT_CACHE_SIZE, SearchIndex
from creatorlens.web._security import DEFAULT_MAX_UPLOAD_BYTES, Signer, public_message

API_PREFIX = "/api/v1"
#: Tracebacks of server errors, each headed by the error id the client got (docs/errors.md).
logger = logging.getLogger("creatorlens.web")
#: Host header values served by default: loopback names only (a DNS-rebinding defence).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: Uploads ingested at once; one more waits outside with 503 + Retry-After.
DEFAULT_MAX_CONCURRENT_UPLOADS = 2

#: Defence in depth besides autoescaping: no inline script runs on dashboard pages. Vega compiles
#: its expression language with `new Function`, hence 'unsafe-eval' (scripts still only from self).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class WorkspacePool:
    """Read-only Workspaces, one per thread, that let go of the file whenever a writer waits.

    ``enter()``/``leave()`` bracket every request; ``get()`` gives the calling thread its
    connection; ``writing()`` gives this server's own writes a read-write Workspace for as long
    as they take. ``busy_timeout`` is how long a request waits for a writer (then 503).
    """

    def __init__(self, db_path: str | Path, *, busy_timeout: float | None = None) -> None:
        self.db_path = db_path
        self.busy_timeout = lock_timeout() if busy_timeout is None else busy_timeout
        #: Bumped whenever the connections are closed for a writer: the data may have changed.
        self.generation = 0
        #: Called (without arguments) after each close, e.g. to drop caches of the old data.
        self.on_change: list[Callable[[], None]] = []
        self._write_lock = threading.Lock()  # this server's writes, one at a time
        self._open_lock = threading.Lock()
        self._cond = threading.Condition()
        self._active = 0
        self._writing = False
        self._opened: list[Workspace] = []
        self._local = threading.local()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="creatorlens-pool", daemon=True)
        self._watcher.start()

    # -- requests -------------------------------------------------------------------------------
    def blocked(self) -> bool:
        return self._writing or writer_waiting(self.db_path)

    def try_enter(self) -> bool:
        with self._cond:
            if self.blocked():
                return False
            self._active += 1
            return True

    def enter(self, timeout: float | None = None) -> None:
        """Count a request in, waiting while a writer works (WorkspaceBusy after the timeout)."""
        deadline = time.monotonic() + (self.busy_timeout if timeout is None else timeout)
        while not self.try_enter():
            if time.monotonic() >= deadline:
                raise WorkspaceBusy(BUSY_MESSAGE)
            time.sleep(0.02)

    def leave(self) -> None:
        with self._cond:
            self._active -= 1
            if self._active == 0:
                if self.blocked():
                    self._close_all()
                self._cond.notify_all()

    def get(self) -> Workspace:
        """This thread's read-only Workspace (opened on first use after each writer)."""
        ws: Workspace | None = getattr(self._local, "workspace", None)
        if ws is None or getattr(self._local, "generation", -1) != self.generation:
            generation = self.generation
            with self._open_lock:  # DuckDB's instance cache is not safe to fill concurrently
                ws = Workspace(self.db_path, read_only=True, wait=self.busy_timeout)
            with self._cond:  # (not held while opening: that may wait for another process)
                self._opened.append(ws)
            self._local.generation = generation
            self._local.workspace = ws
        return ws

    @contextlib.contextmanager
    def writing(self) -> Iterator[Workspace]:
        """A read-write Workspace for one of this server's writes (called inside a request).

        New requests wait; once those in flight are done every read connection is closed, the
        write runs, and reads reopen on the new data."""
        with self._cond:
            self._active -= 1  # this request stops reading, or two writers would wait forever
        try:
            with self._write_lock:
                with self._cond:
                    self._writing = True
                    deadline = time.monotonic() + self.busy_timeout
                    while self._active > 0:
                        if not self._cond.wait(timeout=max(0.0, deadline - time.monotonic())):
                            self._writing = False
                            self._cond.notify_all()
                            raise WorkspaceBusy(BUSY_MESSAGE)
                    self._close_all()
                try:
                    ws = Workspace(self.db_path, wait=self.busy_timeout)
                    try:
                        yield ws
                    finally:
                        ws.close()
                finally:
                    with self._cond:
                        self._writing = False
                        self._close_all()  # the writer's commits are what the next reads see
                        self._cond.notify_all()
        finally:
            with self._cond:
                self._active += 1

    # -- connections ------------------------------------------------------------------------------
    def _close_all(self) -> None:
        """Close every read connection (caller holds ``_cond`` and no request is active)."""
        for ws in self._opened:
            ws.close()
        self._opened.clear()
        self.generation += 1
        for callback in self.on_change:
            callback()

    def _watch(self) -> None:
        """Let go of the file soon after another process announces a write, even when idle."""
        while not self._stop.wait(0.05):
            if self._opened and self._active == 0 and writer_waiting(self.db_path):
                with self._cond:
                    if self._active == 0 and self._opened:
                        self._close_all()

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            for ws in self._opened:
                ws.close()
            self._opened.clear()
            self.generation += 1
        self._local = threading.local()


BUSY_MESSAGE = (
    "the workspace is busy: another creatorlens command is writing it; retry in a moment"
)


class WorkspaceGate:
    """ASGI middleware: every request (but static files) holds a place in the pool, so that a
    writer knows when the reads in flight are done; while a writer works requests wait (in the
    event loop, without blocking it) up to the pool's ``busy_timeout``, then get 503."""

    def __init__(self, app: Any, *, pool: WorkspacePool) -> None:
        self.app = app
        self.pool = pool

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static/"):
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.pool.busy_timeout
        while not self.pool.try_enter():
            if time.monotonic() >= deadline:
                await _busy(send)
                return
            await asyncio.sleep(0.02)
        try:
            await self.app(scope, receive, send)
        finally:
            self.pool.leave()


async def _busy(send: Any) -> None:
    body = json.dumps({"error": BUSY_MESSAGE, "status": 503}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"5"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class Settings:
    db_path: str
    api_keys_required_for_reads: bool = False
    lang: str = DEFAULT_LANG
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    max_concurrent_uploads: int = DEFAULT_MAX_CONCURRENT_UPLOADS
    #: The last plans made in the dashboard, by id, for the CSV/JSON export links.
    plans: dict[str, Any] = field(default_factory=dict)


def create_app(
    db_path: str | Path,
    *,
    api_keys_required_for_reads: bool = False,
    lang: str = DEFAULT_LANG,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    cors_origins: tuple[str, ...] = (),
    search_cache_size: int = DEFAULT_CACHE_SIZE,
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS,
    max_concurrent_uploads: int = DEFAULT_MAX_CONCURRENT_UPLOADS,
) -> FastAPI:
    """The web app for one workspace file. CORS stays off unless ``cors_origins`` names origins;
    ``search_cache_size`` pages of creator search results are kept (0 = none). Requests whose
    Host header is not in ``allowed_hosts`` (``"*"`` allows any) get 400."""
    if lang not in SUPPORTED:
        raise OptionError(f"--lang {lang!r}: choose one of {', '.join(SUPPORTED)}")
    # Open read-write once up front (migrate; score a workspace that never was), so that a bad
    # path fails at start-up, not on the first request; then only read-only connections stay.
    with Workspace(db_path, wait=lock_timeout()) as ws:
        if not ws.store.has_table("scorecard"):
            ws.score()
    pool = WorkspacePool(db_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="creatorlens",
        summary="Influencer-marketing intelligence: creators, scorecards, audits, plans.",
        version="1",
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served from vendored assets by _docs.py (the CSP allows no CDN)
        redoc_url=None,
    )
    app.state.pool = pool
    app.state.search = SearchIndex(search_cache_size)
    pool.on_change.append(app.state.search.invalidate)
    app.state.settings = Settings(
        str(db_path),
        api_keys_required_for_reads,
        lang,
        max_upload_bytes,
        tuple(cors_origins),
        tuple(allowed_hosts),
        max_concurrent_uploads,
    )
    app.state.signer = Signer()
    # Middleware added later runs earlier: Host check, then CORS, then the guard (_guard.py),
    # then the gate that holds requests while a CLI writer has the workspace (docs/concurrency.md):
    # the gate wraps the guard, so a connection is never closed under a request the guard runs.
    app.add_middleware(WorkspaceGate, pool=pool)
    app.add_middleware(Guard, settings=app.state.settings)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Content-Type"],
        )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    from creatorlens.web._api import declare_read_security, router as api_router
    from creatorlens.web._brands import api_router as brands_api_router, page_router as brands_page_router
    from creatorlens.web._communities import page_router as communities_pages, router as communities_router
    from creatorlens.web._discovery import api_router as discovery_api, page_router as discovery_pages
    from creatorlens.web._docs import router as docs_router
    from creatorlens.web._login import router as login_router
    from creatorlens.web._overlap import router as overlap_router
    from creatorlens.web._views import router as view_router

    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(brands_api_router, prefix=API_PREFIX)
    app.include_router(communities_router, prefix=API_PREFIX)
    app.include_router(docs_router, prefix=API_PREFIX)
    app.include_router(overlap_router, prefix=API_PREFIX)
    app.include_router(login_router)
    app.include_router(view_router)
    app.include_router(brands_page_router)
    app.include_router(communities_pages)
    app.include_router(discovery_api, prefix=API_PREFIX)
    app.include_router(discovery_pages)
    declare_read_security(app)
    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    _install_error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _install_error_handlers(app: FastAPI) -> None:
    from creatorlens.web._views import error_page

    def respond(
        request: Request, status: int, message: str, detail: Any = None, error_id: str | None = None
    ) -> Response:
        db = request.app.state.settings.db_path
        message = public_message(message, (db, str(Path(db).resolve())))
        if _wants_json(request):
            body: dict[str, Any] = {"error": message, "status": status}
            if detail is not None:
                body["detail"] = detail
            if error_id is not None:
                body["error_id"] = error_id
            return JSONResponse(body, status_code=status)
        return error_page(request, status, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = respond(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"where": "", "problem": "invalid request"}
        return respond(request, 422, f"{first['where']}: {first['problem']}", problems)

    @app.exception_handler(WorkspaceBusy)
    async def busy(request: Request, exc: WorkspaceBusy) -> Response:
        response = respond(request, 503, BUSY_MESSAGE)
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        # Only a UserError is the client's: its message is shown. A ValueError or any other
        # exception is a bug and goes to server_error (docs/errors.md).
        return respond(request, exc.http_status, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # No exception text: it may name server paths or internals. The log has the traceback,
        # headed by the error id the client is given, so a report can be matched to it.
        error_id = new_error_id()
        logger.error(
            "error id %s: %s %s", error_id, request.method, request.url.path, exc_info=exc
        )
        response = respond(
            request,
            500,
            f"internal error (error id {error_id}); the server log has the details",
            error_id=error_id,
        )
        response.headers["X-Error-Id"] = error_id
        return response
