"""REST routes of the interaction graph's communities (issue 15; docs/communities.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from creatorlens.presentation import _context as ctx
from creatorlens.web._api import ERRORS, Items, Platform, Reader, _creator, _workspace
from creatorlens.web._views import render

router = APIRouter()
page_router = APIRouter(include_in_schema=False)
#: Communities a page lists (largest first) and members a community's page lists.
PAGE_ROWS = 200

_JSON_COLUMNS = ("main_niches", "countries", "languages", "top_creators")
Community = Annotated[str, Path(max_length=20, pattern=r"^c[0-9]+$")]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    """A communities row with its JSON columns as lists."""
    return {k: json.loads(v) if k in _JSON_COLUMNS and isinstance(v, str) else v for k, v in row.items()}


@router.get(
    "/communities", response_model=Items, responses=ERRORS, dependencies=[Reader], tags=["communities"]
)
def communities(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Communities of the interaction graph (Leiden), largest first, with their main niches,
    countries, languages and best local leaders; empty before a scoring run computed them."""
    t = _workspace(request).communities(score_missing=False)
    return {"items": [_decoded(r) for r in ctx.rows(t.limit(limit))]}


@router.get(
    "/communities/{community}", response_model=Items, responses=ERRORS, dependencies=[Reader],
    tags=["communities"],
)  # fmt: skip
def community_members(
    request: Request, community: Community, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    """One community's creators with their graph features, best local leader first."""
    t = _workspace(request).community_members(community, limit, score_missing=False)
    return {"items": ctx.rows(t)}


@router.get(
    "/creators/{platform}/{handle}/community", responses=ERRORS, dependencies=[Reader],
    tags=["creators"],
)  # fmt: skip
def creator_community(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """A creator's graph features, community and its best local leaders (``null`` when the
    creator is not in the interaction graph)."""
    ws, _, _ = _creator(request, platform, handle)
    found = ws.creator_community(handle, platform, score_missing=False)
    if found is None:
        return {"community": None}
    return {
        "features": ctx.jsonable(found["features"]),
        "community": _decoded(ctx.jsonable(found["community"])) if found["community"] else None,
        "leaders": [ctx.jsonable(r) for r in found["leaders"]],
    }


@page_router.get("/communities", response_class=HTMLResponse)
def communities_page(request: Request) -> HTMLResponse:
    """Every community, largest first (the first ``PAGE_ROWS``), with its leader."""
    table = _workspace(request).communities(score_missing=False)
    total = int(table.count().execute())
    rows = [_decoded(r) for r in ctx.rows(table.limit(PAGE_ROWS))]
    return render(request, "communities.html", rows=rows, total=total, label=None, members=[])


@page_router.get("/communities/{community}", response_class=HTMLResponse)
def community_page(request: Request, community: Community) -> HTMLResponse:
    """One community's facts and its creators, best local leader first."""
    ws = _workspace(request)
    members = ctx.rows(ws.community_members(community, PAGE_ROWS, score_missing=False))
    table = ws.communities(score_missing=False)
    rows = [_decoded(r) for r in ctx.rows(table.filter(table.community == community))]
    return render(request, "communities.html", rows=rows, total=len(rows), label=community, members=members)
