"""The API's interactive docs (/api/v1/docs: Swagger UI; /api/v1/redoc: ReDoc) from vendored
assets in static/vendor (scripts/vendor_api_docs.sh refreshes them). FastAPI's own pages load
them from a CDN with an inline script, which the app's CSP blocks; these pages use only files
from this server, so they work offline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, csp: str | None = None) -> HTMLResponse:
    from creatorlens.web._views import _env

    spec_url = request.app.openapi_url or "/api/v1/openapi.json"
    html = _env().get_template(template).render(spec_url=spec_url, title=request.app.title)
    headers = {"Content-Security-Policy": csp} if csp else None
    return HTMLResponse(html, headers=headers)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, "api_docs.html")


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    from creatorlens.web._app import CONTENT_SECURITY_POLICY

    # ReDoc builds its search index in a Web Worker made from a blob: URL (its own bundled code).
    # Its sidebar also shows a Redocly logo from cdn.redoc.ly: the CSP blocks that image (nothing
    # leaves the machine) and ReDoc hides the broken image.
    return _page(request, "api_redoc.html", CONTENT_SECURITY_POLICY + "; worker-src 'self' blob:")
