"""JSON API (mounted at /api/v1). Every route calls Workspace methods (through
``creatorlens.presentation._context``) and reshapes; filters go through CreatorFilter, sort keys are
checked against SORTABLE, and cursors are opaque."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field

from creatorlens._search import Order, Page
from creatorlens._sorting import SORTABLE
from creatorlens._workspace import CreatorFilter, Workspace
from creatorlens.metrics import published_benchmarks
from creatorlens.presentation import _context as ctx
from creatorlens.store import PLATFORMS
from creatorlens.tiers import DEFAULT_SCHEME
from creatorlens.web._search import SearchIndex, search_key
from creatorlens.web._security import UploadTooLarge, key_problem, remove_upload, save_upload

router = APIRouter()
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="creatorlens keys create")

#: Printable text only: control characters have no place in a search or a filter value.
_TEXT = r"^[^\x00-\x1f\x7f]*$"
Text = Annotated[str | None, Query(max_length=200, pattern=_TEXT)]
Number = Annotated[float | None, Query(allow_inf_nan=False, ge=0)]
Platform = Literal["instagram", "tiktok", "youtube"]
assert set(PLATFORMS) == {"instagram", "tiktok", "youtube"}

_Route = TypeVar("_Route", bound=Callable[..., Any])

MAX_PAGE = 200
#: Columns a list item shows (those the workspace has), besides the sort column.
LIST_COLUMNS = (
    "creator_id", "handle", "platform", "display_name", "tier", "followers", "country",
    "language", "categories", "n_posts", "er_followers_lc_median", "er_followers_lc_mean",
    "er_views_lcs_median", "er_percentile_tier", "er_percentile_peers", "follower_growth_30d_pct",
    "main_niche", "focus", "expertise", "audience_quality", "transparency_us", "er_rankable",
    "er_flags",
)  # fmt: skip


# -- auth ---------------------------------------------------------------------------------------
def _workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.pool.get()
    return ws


def _check_key(request: Request, key: str | None) -> None:
    problem = key_problem(_workspace(request).store, key)
    if problem:
        raise HTTPException(401, problem, headers={"WWW-Authenticate": "X-API-Key"})


async def read_access(request: Request) -> None:
    """Reads need a key only with --require-key-for-reads. The guard (_guard.py) checks that
    before routing; this repeats it. It does not use ``api_key_header``, so the spec declares no
    security on reads; ``declare_read_security`` adds it when reads need a key."""
    # Dependencies are async so that a cached search never leaves the event loop.
    if request.app.state.settings.api_keys_required_for_reads:
        await run_in_threadpool(_check_key, request, request.headers.get("x-api-key"))


async def write_access(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> None:
    await run_in_threadpool(_check_key, request, key)


Reader = Depends(read_access)


# -- models -------------------------------------------------------------------------------------
class Open(BaseModel):
    """Rows whose columns depend on which capabilities have run: known fields plus any others."""

    model_config = ConfigDict(extra="allow")


class CreatorItem(Open):
    creator_id: str
    handle: str
    platform: str
    display_name: str | None = None
    tier: str | None = None
    followers: int | None = None
    country: str | None = None
    language: str | None = Field(None, description="the creator's language code (ko, en ...)")
    categories: str | None = None
    n_posts: int | None = None
    er_followers_lc_median: float | None = None
    er_percentile_peers: float | None = None
    er_rankable: bool | None = None
    er_flags: str | None = Field(None, description="why the ER is not ranked (too few posts ...)")


class CreatorPage(BaseModel):
    items: list[CreatorItem]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null at the end")
    sort: str
    order: Literal["asc", "desc"]
    total: int | None = Field(None, description="matching creators (only with ?total=true)")


class Benchmark(BaseModel):
    label: str
    er_low: float
    er_high: float | None
    formula_differs: bool


class MetricRow(BaseModel):
    metric: str
    value: float | int | None
    percentile_tier: float | None
    percentile_peers: float | None
    benchmark: Benchmark | None


class Scorecard(BaseModel):
    creator: dict[str, Any]
    bio: str | None
    metrics: list[MetricRow]
    capabilities: dict[str, Any]
    prices: dict[str, Any] | None = Field(
        None,
        description="estimated price per deliverable, implied CPM and cost per engagement, "
        "sources (Workspace.prices; money in `currency`)",
    )


class Items(BaseModel):
    items: list[dict[str, Any]]


class Growth(BaseModel):
    snapshots: list[dict[str, Any]]
    anomalies: list[dict[str, Any]]
    anomalies_computed: bool


class Audit(BaseModel):
    authenticity: dict[str, Any] | None
    disclosure_verdicts: list[dict[str, Any]]
    disclosure_computed: bool


class FileResult(Open):
    file: str
    encoding: str | None = Field(None, description="text encoding the file was read in")
    rows_read: int
    rows_loaded: int
    rows_quarantined: int


class IngestResult(BaseModel):
    files: list[FileResult]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    scored_creators: int | None


class Health(BaseModel):
    status: Literal["ok"]
    search_version: int = Field(description="bumped whenever this server writes to the workspace")


class ErrorBody(BaseModel):
    error: str
    status: int
    detail: Any = None
    #: Only on a 500: the id that heads the traceback in the server log (docs/errors.md).
    error_id: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 501)
}
UPLOAD_ERRORS = ERRORS | {
    503: {"model": ErrorBody, "description": "every upload slot is busy; see Retry-After"}
}
#: Operations open even when reads need a key.
OPEN_OPERATIONS = frozenset({"/api/v1/health"})


def declare_read_security(app: FastAPI) -> None:
    """Make the spec say what the server does: with --require-key-for-reads every read under
    /api/v1 (but /health) requires X-API-Key and may answer 401; without it, reads declare no
    security (only the write routes, which always need a key, do)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        if app.state.settings.api_keys_required_for_reads:
            error = {"$ref": "#/components/schemas/ErrorBody"}
            for path, operations in schema.get("paths", {}).items():
                if path in OPEN_OPERATIONS:
                    continue
                for operation in operations.values():
                    operation.setdefault("security", [{"APIKeyHeader": []}])
                    operation["responses"].setdefault(
                        "401",
                        {"description": "no valid API key",
                         "content": {"application/json": {"schema": error}}},
                    )  # fmt: skip
            schema.setdefault("components", {}).setdefault("securitySchemes", {})["APIKeyHeader"] = {
                "type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "creatorlens keys create",
            }  # fmt: skip
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- the listing (Workspace.search, cached) -----------------------------------------------------
def view_columns(request: Request) -> tuple[str, ...]:
    """The columns of the workspace's creator view (which capabilities have run), kept per
    workspace version so that a cached search opens no table."""
    index: SearchIndex = request.app.state.search
    return index.get(("columns",), lambda: tuple(_workspace(request).scorecard().columns))


def view_languages(request: Request) -> list[str]:
    """The language codes of the workspace's creators (what the language filter accepts), kept
    per workspace version like the columns."""
    from creatorlens.presentation._creator_list import workspace_languages

    index: SearchIndex = request.app.state.search
    return list(index.get(("languages",), lambda: tuple(workspace_languages(_workspace(request)))))


def search_page(
    request: Request,
    f: CreatorFilter,
    sort: str,
    order: Order,
    limit: int,
    cursor: str | None,
    with_total: bool = False,
) -> bytes:
    """One page of creators from ``Workspace.search`` with the list columns (the API's and the
    dashboard's), as CreatorPage JSON. The page and its bytes are kept per workspace version (see
    _search.py), so that a repeated search is answered without serialising it again."""
    index: SearchIndex = request.app.state.search
    key = search_key(f, sort, order, limit, cursor, with_total)

    def page() -> Page:
        available = view_columns(request)
        columns = [c for c in LIST_COLUMNS if c in available]
        if sort in available and sort not in columns:
            columns.append(sort)
        return _workspace(request).search(
            f, sort, order, limit, cursor, columns=columns, total=with_total
        )

    def compute() -> bytes:
        found: Page = index.get(("page", key), page)
        body = {
            "items": ctx.jsonable(found.rows.to_pylist()),
            "next_cursor": found.next_cursor,
            "sort": found.sort,
            "order": found.order,
            "total": found.total,
        }
        return CreatorPage.model_validate(body).model_dump_json().encode("utf-8")

    return index.get(("json", key), compute)


async def creator_filter(
    request: Request,
    q: Text = None,
    platform: Platform | None = None,
    tier: Text = None,
    min_followers: Number = None,
    max_followers: Number = None,
    min_er: Number = None,
    max_er: Number = None,
    country: Text = None,
    category: Text = None,
    niche: Text = None,
    min_focus: Number = None,
    transparency_below: Number = None,
    min_quality: Number = None,
    min_posts: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    language: Annotated[
        str | None,
        Query(max_length=200, pattern=_TEXT, description="language code(s) of the creator: ko, or ko,en"),
    ] = None,
) -> CreatorFilter:
    """The CLI's `creators` filters as query parameters (``q`` searches handle, name and bio)."""
    if language:
        from creatorlens.errors import OptionError
        from creatorlens.presentation._creator_list import check_language

        known = await run_in_threadpool(view_languages, request)
        try:
            check_language(language, known)
        except OptionError as exc:
            raise HTTPException(400, str(exc).replace("--language", "language", 1)) from exc
    return CreatorFilter(
        platform=platform,
        tier=tier or None,
        min_followers=min_followers,
        max_followers=max_followers,
        min_er=min_er,
        max_er=max_er,
        country=country or None,
        category=category or None,
        niche=niche or None,
        min_focus=min_focus,
        transparency_below=transparency_below,
        min_quality=min_quality,
        search=q or None,
        min_posts=min_posts,
        language=language.lower() if language else None,
    )


# -- read routes --------------------------------------------------------------------------------
def _creators_route(path: str, model: type[BaseModel]) -> Callable[[_Route], _Route]:
    """A GET route of the creators API: for readers (``Reader``), with its response model and
    the common error responses."""
    return router.get(path, response_model=model, responses=ERRORS, dependencies=[Reader], tags=["creators"])


@router.get("/health", response_model=Health, tags=["meta"])
async def health(request: Request) -> dict[str, Any]:
    """Liveness, answered without touching the workspace."""
    return {"status": "ok", "search_version": request.app.state.search.version}


@_creators_route("/creators", CreatorPage)
async def list_creators(
    request: Request,
    f: Annotated[CreatorFilter, Depends(creator_filter)],
    sort: Annotated[str, Query(json_schema_extra={"enum": list(SORTABLE)})] = "followers",
    order: Order = "desc",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000, pattern=_TEXT)] = None,
    total: bool = False,
) -> Response:
    """Search and filter creators, sorted, in pages; follow ``next_cursor`` for the next page."""
    index: SearchIndex = request.app.state.search
    body: bytes | None = index.cached(("json", search_key(f, sort, order, limit, cursor, total)))
    if body is None:  # a miss queries DuckDB: off the event loop
        body = await run_in_threadpool(search_page, request, f, sort, order, limit, cursor, total)
    return Response(body, media_type="application/json")


def _creator(request: Request, platform: Platform, handle: str) -> tuple[Workspace, str, dict[str, Any]]:
    """The workspace, the creator's id and its row (a 404 when the workspace has no such creator)."""
    ws = _workspace(request)
    if not handle or len(handle) > 100 or any(ord(ch) < 32 for ch in handle):
        raise HTTPException(404, f"no creator with handle {handle!r} on {platform}")
    row = ws.creator(handle, platform)
    return ws, str(row["creator_id"]), row


@_creators_route("/creators/{platform}/{handle}", Scorecard)
def creator_scorecard(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """One creator's scorecard: each metric with its percentiles and the published benchmark."""
    ws, cid, row = _creator(request, platform, handle)
    clean: dict[str, Any] = ctx.jsonable(row)
    profile = ctx.optional_rows(ws, "creators", "creator_id", [cid])
    return {
        "creator": clean,
        "bio": profile[0].get("bio") if profile else None,
        "metrics": ctx.scorecard_metrics(clean),
        "capabilities": dict(ctx.capabilities(clean)),
        "prices": ctx.prices(ws, row),
    }


@_creators_route("/creators/{platform}/{handle}/posts", Items)
def creator_posts(
    request: Request,
    platform: Platform,
    handle: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Recent posts, newest first, each with its disclosure verdicts (when computed)."""
    ws, cid, _ = _creator(request, platform, handle)
    return {"items": ctx.posts(ws, cid, limit)}


@_creators_route("/creators/{platform}/{handle}/growth", Growth)
def creator_growth(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Follower snapshots and detected growth anomalies."""
    ws, cid, _ = _creator(request, platform, handle)
    g = ctx.growth(ws, cid)
    return {
        "snapshots": g["snapshots"],
        "anomalies": g["anomalies"],
        "anomalies_computed": g["computed"],
    }


@_creators_route("/creators/{platform}/{handle}/audience", Items)
def creator_audience(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Audience breakdown rows (dimension, bucket, share, source)."""
    ws, cid, _ = _creator(request, platform, handle)
    return {"items": ctx.audience(ws, cid)}


@_creators_route("/creators/{platform}/{handle}/audit", Audit)
def creator_audit(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Authenticity evidence and the disclosure verdicts of the creator's recent posts."""
    ws, cid, row = _creator(request, platform, handle)
    post_rows = ctx.posts(ws, cid, 100)
    return {
        "authenticity": ctx.authenticity(ws, str(row["handle"]), str(row["platform"])),
        "disclosure_verdicts": [v for p in post_rows for v in p["verdicts"]],
        "disclosure_computed": ws.store.has_table("disclosure_verdicts"),
    }


@router.get("/tiers", response_model=Items, responses=ERRORS, dependencies=[Reader], tags=["summaries"])
def tier_summary(
    request: Request,
    scheme: Annotated[str, Query(max_length=100, pattern=r"^[A-Za-z0-9_\-]+$")] = DEFAULT_SCHEME,
) -> dict[str, Any]:
    """Creators per platform and tier (packaged tier schemes by name)."""
    return {"items": ctx.rows(_workspace(request).tiers(scheme))}


@router.get("/benchmarks", response_model=Items, dependencies=[Reader], tags=["summaries"])
def benchmarks(platform: Platform | None = None) -> dict[str, Any]:
    """Published engagement-rate benchmarks (fractions), with source and formula."""
    items = [
        ctx.jsonable(asdict(b)) | {"label": b.label}
        for b in published_benchmarks()
        if platform is None or b.platform == platform
    ]
    return {"items": items}


# -- write routes -------------------------------------------------------------------------------
@router.post(
    "/ingest",
    response_model=IngestResult,
    responses=UPLOAD_ERRORS,
    dependencies=[Depends(write_access)],
    tags=["writes"],
)
async def ingest_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV, TSV, JSON, JSONL, Parquet or XLSX")],
    platform: Platform | None = None,
    score: bool = True,
) -> dict[str, Any]:
    """Ingest an uploaded file; every row is loaded or quarantined (read = loaded + quarantined).
    With ``score=true`` (default) the workspace is rescored so the new rows show at once."""
    settings = request.app.state.settings
    try:
        path = await save_upload(file, file.filename, max_bytes=settings.max_upload_bytes)
    except UploadTooLarge as exc:
        raise HTTPException(413, str(exc)) from exc

    def work() -> dict[str, Any]:
        with request.app.state.pool.writing() as ws:  # the pool drops the search cache after
            report = ws.ingest(path, platform=platform, display_name=path.name)
            scored = ws.score().creators if score else None
        files = []
        for f in report.files:
            item = ctx.jsonable(asdict(f))
            item["file"] = file.filename or path.name
            files.append(item)
        return {
            "files": files,
            "rows_read": report.rows_read,
            "rows_loaded": report.rows_loaded,
            "rows_quarantined": report.rows_quarantined,
            "scored_creators": scored,
        }

    try:
        return await run_in_threadpool(work)
    finally:
        remove_upload(path)


@router.post("/plans", responses=ERRORS, dependencies=[Depends(write_access)], tags=["writes"])
def make_plan(request: Request, brief: dict[str, Any]) -> dict[str, Any]:
    """A budget-optimal campaign plan for a brief (the fields of a `creatorlens plan` brief)."""
    ws = _workspace(request)
    result = run_plan(ws, brief)
    return result


def run_plan(ws: Workspace, brief: dict[str, Any]) -> dict[str, Any]:
    """Plan a brief's fields with Workspace.plan, which validates them with ``Brief.build`` (the
    one brief parser of the CLI and the web): a BriefError (a ValueError) names the field."""
    if not hasattr(ws, "plan"):
        raise HTTPException(501, "the planner is not installed in this build")
    data: dict[str, Any] = ctx.jsonable(ws.plan(brief).model_dump(mode="json"))
    return data
