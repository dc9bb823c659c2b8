"""Content search and lookalike creators in the REST API and the dashboard (docs/search.md):
``GET /api/v1/search``, ``GET /api/v1/creators/{platform}/{handle}/similar``, the ``/search``
page and the "similar creators" panel of the creator page (loaded after the page by
static/similar.js from ``/creator/{platform}/{handle}/similar``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from creatorlens._workspace import CreatorFilter, Workspace
from creatorlens.presentation import _context as ctx
from creatorlens.web._api import ERRORS, ErrorBody, Platform, Reader
from creatorlens.web._views import render

api_router = APIRouter()
page_router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
#: text: full-text (BM25); semantic: by meaning (sentence embeddings, the `semantic` extra; 503
#: naming the install command without it); hybrid: both, fused by reciprocal rank.
SearchMode = Literal["text", "semantic", "hybrid"]


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.pool.get()
    return ws


def _filter(
    platform: str | None, country: str | None, tier: str | None, niche: str | None,
    min_followers: float | None, max_followers: float | None,
) -> CreatorFilter:  # fmt: skip
    return CreatorFilter(
        platform=platform or None, country=country or None, tier=tier or None, niche=niche or None,
        min_followers=min_followers, max_followers=max_followers,
    )  # fmt: skip


def _clean_handle(handle: str) -> str:
    if not handle or len(handle) > 100 or any(ord(ch) < 32 for ch in handle):
        raise HTTPException(404, f"no creator with handle {handle!r}")
    return handle


#: mode=semantic|hybrid on a server without the `semantic` extra (MissingExtraError)
SEARCH_ERRORS = ERRORS | {
    503: {"model": ErrorBody, "description": "semantic search needs the 'semantic' extra"}
}


@api_router.get("/search", responses=SEARCH_ERRORS, dependencies=[Reader], tags=["creators"])
def content_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words or #hashtags")],
    platform: Platform | None = None,
    country: Text = None,
    tier: Text = None,
    niche: Text = None,
    min_followers: Annotated[float | None, Query(ge=0)] = None,
    max_followers: Annotated[float | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    mode: SearchMode = "text",
) -> dict[str, Any]:
    """Creators whose captions, hashtags, video titles and bios match ``q`` (English or Korean),
    ranked, each with its matching posts as evidence; combined with the creator filters.
    ``mode=semantic`` ranks by meaning across languages (cosine of multilingual sentence
    embeddings; evidence posts carry their ``similarity``), ``mode=hybrid`` fuses both rankings."""
    f = _filter(platform, country, tier, niche, min_followers, max_followers)
    result = _ws(request).content_search(q, f, limit=limit, mode=mode)
    return {
        "query": result.query,
        "terms": result.terms,
        "mode": result.mode,
        "matching_documents": result.matching_documents,
        "items": ctx.jsonable(result.creators),
    }


@api_router.get(
    "/creators/{platform}/{handle}/similar", responses=ERRORS, dependencies=[Reader], tags=["creators"]
)
def similar_creators(
    request: Request, platform: Platform, handle: str, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    """Lookalikes: similar content and audience in a comparable size band, each with what the two
    share (topics, terms, audience dimensions) and its component scores."""
    seed, found = _ws(request).similar(_clean_handle(handle), platform, limit=limit)
    return {"creator": ctx.jsonable({k: seed.get(k) for k in ("creator_id", "platform", "handle")}),
            "items": ctx.jsonable(found)}  # fmt: skip


@page_router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    platform: Text = None,
    country: Text = None,
    niche: Text = None,
    mode: Text = None,
) -> HTMLResponse:
    if platform and platform not in ("instagram", "tiktok", "youtube"):
        platform = None
    if mode not in ("semantic", "hybrid"):
        mode = "text"
    result = None
    if q:
        f = _filter(platform, country, None, niche, None, None)
        result = _ws(request).content_search(q, f, mode=mode)
    form = {"q": q, "platform": platform, "country": country, "niche": niche, "mode": mode}
    return render(request, "search.html", q=form, result=result)


@page_router.get("/creator/{platform}/{handle}/similar", response_class=HTMLResponse)
def similar_panel(request: Request, platform: str, handle: str) -> HTMLResponse:
    """The creator page's panel, as an HTML fragment."""
    seed, found = _ws(request).similar(_clean_handle(handle), platform or None, limit=10)
    return render(request, "_similar.html", found=ctx.jsonable(found), seed=seed)
