"""The FastAPI application: the JSON API under /api/v1, the dashboard pages, static assets.

DuckDB connections are not safe to share between threads, and FastAPI runs sync routes in a
thread pool; so every worker thread opens its own Workspace on the same file (DuckDB shares one
database instance within a process, so all of them see each other's commits). Writes (ingest +
score) additionally take one lock, so two uploads never rescore at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
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

from creatorlens._workspace import NotFoundError, Workspace
from creatorlens.web._guard import Guard
from creatorlens.web._i18n import DEFAULT_LANG, SUPPORTED
from creatorlens.web._search import DEFAULT_CACHE_SIZE, SearchIndex
from creatorlens.web._security import DEFAULT_MAX_UPLOAD_BYTES, Signer, public_message

API_PREFIX = "/api/v1"
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
    """One Workspace per thread on one DuckDB file; ``close()`` closes them all."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Workspace] = []
        self._guard = threading.Lock()

    def get(self) -> Workspace:
        ws: Workspace | None = getattr(self._local, "workspace", None)
        if ws is None:
            with self._guard:  # DuckDB's instance cache is not safe to fill concurrently
                ws = Workspace(self.db_path)
                self._opened.append(ws)
            self._local.workspace = ws
        return ws

    def close(self) -> None:
        with self._guard:
            for ws in self._opened:
                ws.close()
            self._opened.clear()
        self._local = threading.local()


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
        raise ValueError(f"--lang {lang!r}: choose one of {', '.join(SUPPORTED)}")
    pool = WorkspacePool(db_path)
    # Open (and migrate) once up front, so a bad path fails at start-up, not on the first request.
    pool.get()

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
    # Middleware added later runs earlier: Host check, then CORS, then the guard (_guard.py).
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

    from creatorlens.web._api import declare_read_security
    from creatorlens.web._api import router as api_router
    from creatorlens.web._docs import router as docs_router
    from creatorlens.web._login import router as login_router
    from creatorlens.web._views import router as view_router

    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(docs_router, prefix=API_PREFIX)
    app.include_router(login_router)
    app.include_router(view_router)
    declare_read_security(app)
    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    _install_error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _install_error_handlers(app: FastAPI) -> None:
    from creatorlens.web._views import error_page

    def respond(request: Request, status: int, message: str, detail: Any = None) -> Response:
        db = request.app.state.settings.db_path
        message = public_message(message, (db, str(Path(db).resolve())))
        if _wants_json(request):
            body: dict[str, Any] = {"error": message, "status": status}
            if detail is not None:
                body["detail"] = detail
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

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return respond(request, 404, str(exc))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> Response:
        return respond(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # No exception text: it may name server paths or internals. The log has the traceback.
        return respond(request, 500, "internal error; the server log has the details")
