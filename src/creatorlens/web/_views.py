"""Dashboard pages (server-rendered HTML). Data comes from creatorlens.presentation._context, which
calls Workspace methods; templates autoescape everything, chart data travels as escaped JSON."""

from __future__ import annotations

import json
import secrets
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from creatorlens._sorting import SORTABLE
from creatorlens._workspace import Workspace
from creatorlens.errors import OptionError, UserError
from creatorlens.presentation import _context as ctx, _creator_list as cl
from creatorlens.presentation._html import VENDOR_SCRIPTS, environment, render_creator_report
from creatorlens.presentation._i18n import SUPPORTED, Catalog, catalog, negotiate
from creatorlens.store import PLATFORMS
from creatorlens.tiers import DEFAULT_SCHEME, TierScheme
from creatorlens.web._api import run_plan, view_columns, view_languages
from creatorlens.web._search import SearchIndex
from creatorlens.web._security import form_post_ok, form_token, has_control, keep_client

router = APIRouter(include_in_schema=False)
LANG_COOKIE = "creatorlens_lang"
PAGE_SIZE = cl.DEFAULT_PAGE_SIZE
#: Plans kept for the export links (the newest ones; a plan is re-made by posting the form again).
KEPT_PLANS = 20


@cache
def _env() -> jinja2.Environment:
    return environment(jinja2.PackageLoader("creatorlens.web", "templates"))


def _lang(request: Request) -> str:
    return negotiate(
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(LANG_COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=request.app.state.settings.lang,
    )


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.pool.get()
    return ws


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    t: Catalog = catalog(lang)
    other = next(code for code in SUPPORTED if code != lang)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch_url = request.url.path + "?" + urlencode([*params, ("lang", other)])
    html = (
        _env()
        .get_template(template)
        .render(
            t=t,
            lang=lang,
            other_lang=other,
            switch_url=switch_url,
            standalone=False,
            vendor_scripts=VENDOR_SCRIPTS,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in SUPPORTED:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 24 * 3600)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    t = catalog(_lang(request))
    title = t("not_found") if status == 404 else t("error_title")
    return render(request, "error.html", status=status, title=title, message=message)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, platform: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    # The overview reads the whole workspace (about a second on the 20K demo) and changes only
    # when the workspace does: kept per workspace version beside the search pages.
    index: SearchIndex = request.app.state.search
    lang = _lang(request)
    key = ("overview", platform, lang)
    data = index.cached(key)
    if data is None:
        version = index.version
        data = ctx.overview(_ws(request), platform, lang=lang)
        index.remember(key, data, version)
    return render(request, "overview.html", o=data)


def _list_query(request: Request) -> tuple[cl.ListQuery, tuple[str, ...], list[str]]:
    """The creators list's query, checked by the presentation layer against this workspace."""
    columns = view_columns(request)
    sortable = [s for s in SORTABLE if s in columns]
    query = cl.parse_query(
        dict(request.query_params),
        lang=_lang(request),
        sortable=sortable,
        tiers=TierScheme.load(DEFAULT_SCHEME).names,
        platforms=PLATFORMS,
        columns=columns,
        languages=view_languages(request),
    )
    return query, columns, sortable


@router.get("/creators", response_class=HTMLResponse)
def creators_page(request: Request) -> HTMLResponse:
    query, columns, sortable = _list_query(request)
    lang = _lang(request)
    form = {
        "platforms": PLATFORMS,
        "tiers": TierScheme.load(DEFAULT_SCHEME).names,
        "niches": cl.niche_codes() if "main_niche" in columns else [],
        "languages": view_languages(request),
        "sortable": sortable,
        "page_sizes": cl.PAGE_SIZES,
        "number_filters": [
            (param, label) for param, _, label, *_ in cl.NUMBER_FILTERS
            if param not in cl.NEEDS_COLUMN or cl.NEEDS_COLUMN[param] in columns
        ],
    }  # fmt: skip
    if query.errors:
        return render(
            request, "creators.html", status=400, q=query.values, errors=query.errors, form=form, data=None
        )
    index: SearchIndex = request.app.state.search
    data = index.get(
        ("creators-list", lang, query.key()),
        lambda: cl.creator_list(_ws(request), query, lang=lang, available=columns, sortable=sortable),
    )
    return render(request, "creators.html", q=query.values, errors={}, form=form, data=data)


@router.get("/creators.csv")
def creators_csv(request: Request) -> Response:
    """Every creator the list's filters match (all pages), as CSV with the column ids."""
    return _export(request, "csv")


@router.get("/creators.json")
def creators_json(request: Request) -> Response:
    """Every creator the list's filters match (all pages), as one JSON array."""
    return _export(request, "json")


def _export(request: Request, fmt: str) -> Response:
    query, columns, _ = _list_query(request)
    if query.errors:
        raise OptionError(" ".join(query.errors.values()))
    rows = cl.export_rows(_ws(request), query, columns)
    body = cl.rows_csv(rows) if fmt == "csv" else cl.rows_json(rows)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="creators.{fmt}"'}
    )


@router.get("/creator/{platform}/{handle}", response_class=HTMLResponse)
def creator_page(request: Request, platform: str, handle: str) -> HTMLResponse:
    from creatorlens.web._brands import creator_panel

    d = ctx.creator(_ws(request), handle, platform, lang=_lang(request))
    return render(request, "creator.html", d=d, panel=creator_panel(_ws(request), d["row"]))


@router.get("/report/{platform}/{handle}.html")
def creator_report(request: Request, platform: str, handle: str) -> Response:
    """The same self-contained HTML file `creatorlens report --creator` writes, as a download."""
    detail = ctx.creator(_ws(request), handle, platform, lang=_lang(request))
    html = render_creator_report(detail, _lang(request))
    name = f"creatorlens-{platform}-{detail['row']['handle']}.html"
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"'},
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, c: Annotated[list[str] | None, Query(max_length=200)] = None
) -> HTMLResponse:
    return render(request, "compare.html", c=ctx.compare(_ws(request), c or [], lang=_lang(request)))


# -- planner (form post with CSRF) --------------------------------------------------------------
def _planner(request: Request, **context: Any) -> HTMLResponse:
    available = hasattr(_ws(request), "plan")
    goals: tuple[str, ...] = ()
    if available:
        from creatorlens.planner import goal_names

        goals = goal_names()
    client_id, token = form_token(request)
    context.setdefault("form", {})
    response = render(request, "planner.html", available=available, goals=goals, csrf_token=token, **context)
    keep_client(response, client_id)
    return response


@router.get("/plan", response_class=HTMLResponse)
def planner_page(request: Request) -> HTMLResponse:
    return _planner(request)


@router.post("/plan", response_class=HTMLResponse)
async def planner_post(
    request: Request,
    budget: Annotated[str, Form(max_length=40)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    currency: Annotated[str, Form(max_length=10)] = "",
    goal: Annotated[str, Form(max_length=40)] = "balanced",
    target: Annotated[str, Form(max_length=300)] = "",
    niches: Annotated[str, Form(max_length=300)] = "",
    platforms: Annotated[str, Form(max_length=100)] = "",
    countries: Annotated[str, Form(max_length=100)] = "",
    max_creators: Annotated[str, Form(max_length=10)] = "",
    cost_basis: Annotated[str, Form(max_length=10)] = "p90",
    allow_unknown_fit: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    if not form_post_ok(request, csrf_token):  # signed token + Origin/Referer of this server
        raise HTTPException(403, catalog(_lang(request))("csrf_failed"))
    form = {
        "budget": budget,
        "currency": currency,
        "goal": goal,
        "target": target,
        "niches": niches,
        "platforms": platforms,
        "countries": countries,
        "max_creators": max_creators,
        "cost_basis": cost_basis,
        "allow_unknown_fit": allow_unknown_fit,
    }
    brief: dict[str, Any] = {
        "currency": currency.strip(),  # empty: the target country's currency (KR -> KRW)
        "goal": goal or "balanced",
        "cost_basis": cost_basis or "p90",
        "allow_unknown_fit": bool(allow_unknown_fit),
    }
    if any(has_control(v) for v in form.values()):
        raise HTTPException(400, "control characters (such as NUL) are not allowed in the form")
    constraints: dict[str, Any] = {}
    try:
        brief["budget"] = float(budget)
        if max_creators.strip():
            constraints["max_creators"] = int(max_creators)
    except ValueError:
        return _planner(
            request,
            form=form,
            error=f"budget {budget!r} / max creators {max_creators!r}: not a number",
        )
    for key, value in (("target", target), ("niches", niches), ("platforms", platforms)):
        if value.strip():
            brief[key] = value
    if countries.strip():
        constraints["countries"] = countries
    if constraints:
        brief["constraints"] = constraints
    try:
        plan = await run_in_threadpool(lambda: run_plan(_ws(request), brief))
    except UserError as exc:
        return _planner(request, form=form, error=str(exc))
    plans: dict[str, Any] = request.app.state.settings.plans
    plan_id = secrets.token_urlsafe(9)
    plans[plan_id] = plan
    while len(plans) > KEPT_PLANS:
        plans.pop(next(iter(plans)))
    return _planner(request, form=form, p=ctx.plan(plan, lang=_lang(request)), plan_id=plan_id)


@router.get("/plan/{plan_id}.json")
def plan_json(request: Request, plan_id: str) -> Response:
    plan = _kept_plan(request, plan_id)
    return Response(
        json.dumps(plan, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'},
    )


@router.get("/plan/{plan_id}.csv")
def plan_csv(request: Request, plan_id: str) -> Response:
    from creatorlens.presentation._plan import plan_csv as write_csv

    plan = _kept_plan(request, plan_id)
    return Response(
        write_csv(plan),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.csv"'},
    )


def _kept_plan(request: Request, plan_id: str) -> dict[str, Any]:
    plan: dict[str, Any] | None = request.app.state.settings.plans.get(plan_id)
    if plan is None:
        raise HTTPException(404, "this plan is no longer kept; make it again on the planner page")
    return plan


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
