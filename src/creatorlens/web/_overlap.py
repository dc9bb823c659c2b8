"""REST: audience overlap of up to 100 creators (``GET /overlap``), through Workspace.overlap."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from creatorlens.web._api import _TEXT, ERRORS, Platform, Reader, _workspace

router = APIRouter()


@router.get("/overlap", responses=ERRORS, dependencies=[Reader], tags=["creators"])
def audience_overlap(
    request: Request,
    handle: Annotated[list[str], Query(min_length=2, max_length=100)],
    platform: Platform | None = None,
) -> dict[str, Any]:
    """Shared audience matrix (with ranges when sketched), exclusive audiences and unique reach
    of the creators named by repeated ``handle`` parameters."""
    for h in handle:
        if not h or len(h) > 100 or not re.fullmatch(_TEXT, h):
            raise HTTPException(422, f"handle {h!r}: printable text of 1 to 100 characters")
    result = _workspace(request).overlap(handle, platform)
    body: dict[str, Any] = result.model_dump()
    return body
