"""JSON API (mounted at /api/v1). Every route calls Workspace methods (through
``creatorlens.presentation._context``) and reshapes; filters go through CreatorFilter, sort keys are
checked against SORTABLE, and cursors are opaque."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import asdict
from typing import Annotated, Any, Literal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field

from creatorlens._sorting import SORTABLE
from creatorlens._workspace import CreatorFilter, Workspace, sort_key
from creatorlens.errors import OptionError
from creatorlens.metrics import published_benchmarks
from creatorlens.presentation import _context as ctx
from creatorlens.store import PLATFORMS, fetch_bound
from creatorlens.tiers import DEFAULT_SCHEME
from creatorlens.web._search import LIST_COLUMNS, SearchIndex, filtered, search_key
from creatorlens.web._security import UploadTooLarge, key_problem, remove_upload, save_upload

router = APIRouter()
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="creatorlens keys create")

#: Printable text only: control characters have no place in a search or a filter value.
_TEXT = r"^[^\x00-\x1f\x7f]*$"
Text = Annotated[str | None, Query(max_length=200, pattern=_TEXT)]
Number = Annotated[float | None, Query(allow_inf_nan=False, ge=0)]
Platform = Literal["instagram", "tiktok", "youtube"]
assert set(PLATFORMS) == {"instagram", "tiktok", "youtube"}

MAX_PAGE = 200


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


# -- cursors ------------------------------------------------------------------------------------
def encode_cursor(value: Any, creator_id: str, sort: str, order: str) -> str:
    raw = json.dumps([value, creator_id, sort, order], ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str, order: str, dtype: dt.DataType | None = None) -> tuple[Any, str]:
    """The (sort value, creator_id) a cursor continues after. ``dtype`` (the sort column's type)
    checks the value: a cursor is user input, so a wrong type or an out-of-range number is a
    400, never a query that fails."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, creator_id, c_sort, c_order = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise OptionError("cursor is not valid; start again without ?cursor=") from exc
    if (c_sort, c_order) != (sort, order):
        raise OptionError("cursor belongs to a different sort order; start again without ?cursor=")
    if not _clean_text(creator_id) or not _fits(value, dtype):
        raise OptionError("cursor is not valid; start again without ?cursor=")
    return value, creator_id


_INT64 = (-(2**63), 2**63 - 1)


def _clean_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 1000 and not any(_control(ch) for ch in value)


def _control(ch: str) -> bool:
    return ch < " " or "\x7f" <= ch <= "\x9f"


def _fits(value: Any, dtype: dt.DataType | None) -> bool:
    """Whether a cursor's sort value can be compared with a column of type ``dtype``."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if dtype is None or dtype.is_string():
        return _clean_text(value) if dtype is not None else isinstance(value, int | float | str)
    if dtype.is_integer():
        return isinstance(value, int) and _INT64[0] <= value <= _INT64[1]
    if dtype.is_floating():
        if isinstance(value, int):
            return _INT64[0] <= value <= _INT64[1]
        return isinstance(value, float) and math.isfinite(value)
    return False


def after_cursor(t: ir.Table, sort: str, descending: bool, value: Any, creator_id: str) -> ir.Table:
    """Rows after (value, creator_id) in the order Workspace.creators sorts: sort key (nulls
    last), then creator_id ascending. Keyset paging: pages stay stable while data is added."""
    key, tie = sort_key(t, sort), t.creator_id
    if value is None:
        return t.filter(key.isnull() & (tie > creator_id))
    beyond = key < value if descending else key > value
    return t.filter(beyond | ((key == value) & (tie > creator_id)) | key.isnull())


def page_of_creators(
    request: Request,
    f: CreatorFilter,
    sort: str,
    order: str,
    limit: int,
    cursor: str | None,
    with_total: bool = False,
) -> dict[str, Any]:
    """One page of creators as a dict (the dashboard's list page)."""
    page: dict[str, Any] = json.loads(search_page(request, f, sort, order, limit, cursor, with_total))
    return page


def search_page(
    request: Request,
    f: CreatorFilter,
    sort: str,
    order: str,
    limit: int,
    cursor: str | None,
    with_total: bool = False,
) -> bytes:
    """One page of creators as CreatorPage JSON: filtered as the CLI filters, sorted, after
    ``cursor``. Pages are cached per workspace version (see _search.py)."""
    index: SearchIndex = request.app.state.search
    key = search_key(f, sort, order, limit, cursor, with_total)
    hit: bytes | None = index.cached(key)
    if hit is not None:
        return hit
    version = index.version
    ws = _workspace(request)
    descending = order == "desc"
    t = filtered(index, ws, f, sort)
    total = int(fetch_bound(ws.store.ibis, t.count()).as_py()) if with_total else None
    if cursor:
        value, creator_id = decode_cursor(cursor, sort, order, t.schema()[sort])
        t = after_cursor(t, sort, descending, value, creator_id)
    t = t.mutate(_sort_key=sort_key(t, sort))  # unrankable ERs: null key, listed last
    order_key = ibis.desc(t._sort_key) if descending else ibis.asc(t._sort_key)
    t = t.order_by([order_key, t.creator_id])
    columns = [c for c in LIST_COLUMNS if c in t.columns]
    if sort not in columns:
        columns.append(sort)
    # q, the filters and the cursor are user text: bound as parameters, never SQL text
    page_rows = fetch_bound(ws.store.ibis, t.select(*columns, "_sort_key").limit(limit + 1))
    items = ctx.jsonable(page_rows.to_pylist())
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(last["_sort_key"], last["creator_id"], sort, order)
    for item in items:
        del item["_sort_key"]
    page = CreatorPage.model_validate(
        {"items": items, "next_cursor": next_cursor, "sort": sort, "order": order, "total": total}
    )
    body = page.model_dump_json().encode("utf-8")
    index.remember(key, body, version)
    return body


async def creator_filter(
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
) -> CreatorFilter:
    """The CLI's `creators` filters as query parameters (``q`` searches handle, name and bio)."""
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
    )


# -- read routes --------------------------------------------------------------------------------
@router.get("/health", response_model=Health, tags=["meta"])
async def health(request: Request) -> dict[str, Any]:
    """Liveness, answered without touching the workspace."""
    return {"status": "ok", "search_version": request.app.state.search.version}


@router.get(
    "/creators",
    response_model=CreatorPage,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
async def list_creators(
    request: Request,
    f: Annotated[CreatorFilter, Depends(creator_filter)],
    sort: Annotated[str, Query(json_schema_extra={"enum": list(SORTABLE)})] = "followers",
    order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000, pattern=_TEXT)] = None,
    total: bool = False,
) -> Response:
    """Search and filter creators, sorted, in pages; follow ``next_cursor`` for the next page."""
    index: SearchIndex = request.app.state.search
    body: bytes | None = index.cached(search_key(f, sort, order, limit, cursor, total))
    if body is None:  # a miss queries DuckDB: off the event loop
        body = await run_in_threadpool(search_page, request, f, sort, order, limit, cursor, total)
    return Response(body, media_type="application/json")


def _creator_id(ws: Workspace, platform: Platform, handle: str) -> tuple[str, dict[str, Any]]:
    if not handle or len(handle) > 100 or any(ord(ch) < 32 for ch in handle):
        raise HTTPException(404, f"no creator with handle {handle!r} on {platform}")
    row = ws.creator(handle, platform)
    return str(row["creator_id"]), row


@router.get(
    "/creators/{platform}/{handle}",
    response_model=Scorecard,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
def creator_scorecard(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """One creator's scorecard: each metric with its percentiles and the published benchmark."""
    ws = _workspace(request)
    cid, row = _creator_id(ws, platform, handle)
    clean: dict[str, Any] = ctx.jsonable(row)
    profile = ctx.optional_rows(ws, "creators", "creator_id", [cid])
    return {
        "creator": clean,
        "bio": profile[0].get("bio") if profile else None,
        "metrics": ctx.scorecard_metrics(clean),
        "capabilities": dict(ctx.capabilities(clean)),
        "prices": ctx.prices(ws, row),
    }


@router.get(
    "/creators/{platform}/{handle}/posts",
    response_model=Items,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
def creator_posts(
    request: Request,
    platform: Platform,
    handle: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Recent posts, newest first, each with its disclosure verdicts (when computed)."""
    ws = _workspace(request)
    cid, _ = _creator_id(ws, platform, handle)
    return {"items": ctx.posts(ws, cid, limit)}


@router.get(
    "/creators/{platform}/{handle}/growth",
    response_model=Growth,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
def creator_growth(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Follower snapshots and detected growth anomalies."""
    ws = _workspace(request)
    cid, _ = _creator_id(ws, platform, handle)
    g = ctx.growth(ws, cid)
    return {
        "snapshots": g["snapshots"],
        "anomalies": g["anomalies"],
        "anomalies_computed": g["computed"],
    }


@router.get(
    "/creators/{platform}/{handle}/audience",
    response_model=Items,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
def creator_audience(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Audience breakdown rows (dimension, bucket, share, source)."""
    ws = _workspace(request)
    cid, _ = _creator_id(ws, platform, handle)
    return {"items": ctx.audience(ws, cid)}


@router.get(
    "/creators/{platform}/{handle}/audit",
    response_model=Audit,
    responses=ERRORS,
    dependencies=[Reader],
    tags=["creators"],
)
def creator_audit(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Authenticity evidence and the disclosure verdicts of the creator's recent posts."""
    ws = _workspace(request)
    cid, row = _creator_id(ws, platform, handle)
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
