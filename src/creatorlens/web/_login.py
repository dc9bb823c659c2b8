"""The dashboard's login, for servers started with --require-key-for-reads: a browser posts an
API key once and gets a session cookie signed by the server (``Signer.session``: key id and
expiry, HMAC'd with the server's secret). Every page checks that the key is still active, so
`creatorlens keys revoke` ends its sessions; a server restart ends them all."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatorlens.presentation._i18n import Catalog, catalog
from creatorlens.web._security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    Signer,
    form_post_ok,
    form_token,
    has_control,
    keep_client,
    key_id_of,
    verify_key,
)

router = APIRouter(include_in_schema=False)


def safe_next(path: str | None) -> str:
    """Where to go after logging in: a path on this server only (no ``//host``, no scheme)."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")) or has_control(path):
        return "/"
    return path


def login_form(
    request: Request, *, status: int = 200, error: str | None = None, next_path: str | None = None
) -> HTMLResponse:
    from creatorlens.web._views import render

    if next_path is None:  # shown in place of a page: come back to it
        here = request.url.path
        next_path = here + ("?" + request.url.query if request.url.query else "")
        if here == "/login":
            next_path = request.query_params.get("next")
    client_id, token = form_token(request)
    response = render(
        request,
        "login.html",
        status=status,
        csrf_token=token,
        next_path=safe_next(next_path),
        error=error,
        logged_in=SESSION_COOKIE in request.cookies,
    )
    keep_client(response, client_id)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return login_form(request)


@router.post("/login")
async def login(
    request: Request,
    key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not form_post_ok(request, csrf_token):
        raise HTTPException(403, catalog_of(request)("csrf_failed"))
    store = request.app.state.pool.get().store
    if not await run_in_threadpool(verify_key, store, key.strip()):
        message = catalog_of(request)("login_failed")
        return login_form(request, status=401, error=message, next_path=next)
    signer: Signer = request.app.state.signer
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer.session(key_id_of(key.strip()), time.time()),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response


@router.post("/logout")
async def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    if not form_post_ok(request, csrf_token):
        raise HTTPException(403, catalog_of(request)("csrf_failed"))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def catalog_of(request: Request) -> Catalog:
    from creatorlens.web._views import _lang

    return catalog(_lang(request))
