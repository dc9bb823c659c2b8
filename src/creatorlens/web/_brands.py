"""REST routes and dashboard pages of brands, brand safety and contacts (docs/brands.md).

The brand file is the server's (``$CREATORLENS_BRANDS``); a request cannot name a file.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from creatorlens._workspace import Workspace
from creatorlens.presentation import _context as ctx
from creatorlens.web._api import ERRORS, Platform, Reader, _creator
from creatorlens.web._views import render

api_router = APIRouter()
page_router = APIRouter(include_in_schema=False)
_NAMES = Annotated[str | None, Query(max_length=400, description="Competing brands, comma-separated.")]


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.pool.get()
    return ws


def _split_names(text: str | None) -> list[str]:
    """The brand names of a comma-separated query parameter."""
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def _records(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ctx.jsonable(
        frame.astype(object).where(frame.notna(), None).to_dict("records")
    )
    return rows


def creator_panel(ws: Workspace, row: dict[str, Any]) -> dict[str, Any]:
    """What the creator page shows beside the scorecard: brands, brand safety, contacts."""
    handle, platform = str(row["handle"]), str(row["platform"])
    return {
        "brands": ws.creator_brands(row),
        "safety": ctx.jsonable(ws.safety(handle, platform)),
        "contacts": ws.contacts(row),
    }


@api_router.get("/brands", responses=ERRORS, dependencies=[Reader], tags=["brands"])
def brands_api(request: Request, brand: _NAMES = None) -> dict[str, Any]:
    """Every brand the posts name (or only those in ``brand``): creators, posts, share of voice,
    engagement and disclosure compliance of their sponsored posts."""
    names = _split_names(brand) or None
    return {"items": _records(_ws(request).brands(names=names))}


@api_router.get("/brands/{name}", responses=ERRORS, dependencies=[Reader], tags=["brands"])
def brand_api(request: Request, name: str, competitors: _NAMES = None) -> dict[str, Any]:
    """A brand beside its competitors, and the creators who post about each."""
    names = _split_names(competitors)
    result = _ws(request).brand(name, names)
    return {"brands": _records(result["brands"]), "creators": ctx.jsonable(result["creators"])}


@api_router.get(
    "/creators/{platform}/{handle}/brands", responses=ERRORS, dependencies=[Reader], tags=["brands"]
)
def creator_brands_api(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """The brands a creator posted about (past sponsors first), with dates and post links."""
    ws, _, _ = _creator(request, platform, handle)
    return {"items": ws.creator_brands(handle, platform)}


@api_router.get(
    "/creators/{platform}/{handle}/safety", responses=ERRORS, dependencies=[Reader], tags=["brands"]
)
def creator_safety_api(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Brand safety: flagged share per category with its interval, score, flagged posts."""
    ws, _, _ = _creator(request, platform, handle)
    result: dict[str, Any] = ctx.jsonable(ws.safety(handle, platform))
    return result


@api_router.get(
    "/creators/{platform}/{handle}/contacts", responses=ERRORS, dependencies=[Reader], tags=["brands"]
)
def creator_contacts_api(request: Request, platform: Platform, handle: str) -> dict[str, Any]:
    """Public contacts found in the bio and profile fields (never guessed)."""
    ws, _, _ = _creator(request, platform, handle)
    return {"items": ws.contacts(handle, platform)}


@page_router.get("/brands", response_class=HTMLResponse)
def brands_page(request: Request) -> HTMLResponse:
    return render(request, "brands.html", rows=_records(_ws(request).brands().head(200)))


@page_router.get("/brand/{name}", response_class=HTMLResponse)
def brand_page(request: Request, name: str, competitors: _NAMES = None) -> HTMLResponse:
    names = _split_names(competitors)
    result = _ws(request).brand(name, names)
    return render(
        request, "brand.html", name=name, competitors=competitors or "",
        rows=_records(result["brands"]), creators=result["creators"],
    )  # fmt: skip
