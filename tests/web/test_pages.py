"""Dashboard pages and the report download: escaping, CSRF, languages, security headers."""

from __future__ import annotations

import re

import httpx
import pytest

from creatorlens.web import create_app

from .webdata import CAPTION_XSS, XSS_IMG, XSS_SCRIPT, WebWorkspace

pytestmark = pytest.mark.anyio


def escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    )


async def test_overview_has_charts_and_freshness(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    assert r.status_code == 200
    html = r.text
    assert 'data-chart="chart-tiers"' in html and 'data-chart="chart-er_followers"' in html
    assert 'id="freshness"' in html and 'id="top-niche"' in html
    # the newest post the scores rest on and the newest follower count are two dates
    assert "Newest post scored" in html and "Latest follower count" in html
    assert "/static/vendor/vega.min.js" in html
    assert not re.search(
        r'(src|href)="(https?:)?//', html
    )  # nothing loaded from elsewhere (no CDN)


async def test_untrusted_text_is_escaped_everywhere(client: httpx.AsyncClient) -> None:
    pages = [
        "/creator/instagram/xssbio",
        "/creator/instagram/imgbio",
        "/creators?category=beauty",
        "/compare?c=instagram:imgbio&c=instagram:xssbio",
        "/",
    ]
    for url in pages:
        html = (await client.get(url)).text
        assert XSS_SCRIPT not in html and XSS_IMG not in html and CAPTION_XSS not in html, url
    creator = (await client.get("/creator/instagram/xssbio")).text
    assert escaped(XSS_SCRIPT) in creator
    assert escaped(CAPTION_XSS) in creator
    assert escaped(XSS_IMG) in (await client.get("/creator/instagram/imgbio")).text


async def test_chart_json_cannot_close_its_script_block(client: httpx.AsyncClient) -> None:
    html = (await client.get("/compare?c=instagram:imgbio&c=instagram:glowkim")).text
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert blocks
    assert all("<" not in b and ">" not in b for b in blocks)


async def test_filter_page_lists_micro_beauty_kr(client: httpx.AsyncClient) -> None:
    html = (
        await client.get(
            "/creators", params={"tier": "micro", "country": "KR", "category": "beauty"}
        )
    ).text
    handles = set(re.findall(r'href="/creator/instagram/([a-z]+)"', html))
    assert handles == {"glowkim", "xssbio", "imgbio"}


async def test_creator_page_sections(client: httpx.AsyncClient) -> None:
    html = (await client.get("/creator/instagram/glowkim")).text
    for section in ("scorecard", "growth", "posts", "audience", "authenticity"):
        assert f'id="{section}"' in html
    assert "Insense vetting thresholds 2024" in html  # the benchmark beside the ER metric
    assert 'data-chart="chart-growth"' in html and 'data-chart="chart-audience"' in html


async def test_compare_caps_at_five(client: httpx.AsyncClient) -> None:
    ids = ["glowkim", "xssbio", "imgbio", "seoulfood", "nanobeauty", "usmacro"]
    r = await client.get("/compare", params=[("c", f"instagram:{h}") for h in ids])
    html = r.text
    header = html.split('<table id="compare-table">')[1].split("</thead>")[0]
    assert header.count('href="/creator/') == 5
    assert "first 5" in html


async def test_missing_creator_page_is_404_html(client: httpx.AsyncClient) -> None:
    r = await client.get("/creator/instagram/nobody")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "nobody" in r.text


async def test_language_from_query_cookie_and_header(client: httpx.AsyncClient) -> None:
    r = await client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert '<html lang="ko">' in r.text and "개요" in r.text
    r = await client.get("/?lang=en", headers={"Accept-Language": "ko"})
    assert '<html lang="en">' in r.text
    assert r.cookies.get("creatorlens_lang") == "en"
    r = await client.get("/?lang=ko")
    r = await client.get("/")  # the cookie from ?lang=ko now applies
    assert '<html lang="ko">' in r.text


async def test_default_language_option(web_ws: WebWorkspace) -> None:
    korean = create_app(web_ws.path, lang="ko")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=korean), base_url="http://localhost"
    ) as c:
        assert '<html lang="ko">' in (await c.get("/")).text
    korean.state.pool.close()
    with pytest.raises(ValueError, match="lang"):
        create_app(web_ws.path, lang="fr")


async def test_security_headers(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    csp = r.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


async def test_plan_form_needs_csrf_token(client: httpx.AsyncClient) -> None:
    page = await client.get("/plan")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = await client.post("/plan", data={"budget": "3000", "csrf_token": "forged"})
    assert r.status_code == 403
    client.cookies.clear()
    r = await client.post("/plan", data={"budget": "3000", "csrf_token": token.group(1)})
    assert r.status_code == 403  # the cookie half is missing: a cross-site post


async def test_plan_form_makes_a_plan_with_exports(client: httpx.AsyncClient) -> None:
    page = await client.get("/plan")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = await client.post(
        "/plan", data={"budget": "3000", "goal": "balanced", "csrf_token": token.group(1)}
    )
    assert r.status_code == 200
    assert 'id="plan-table"' in r.text and 'id="optimality"' in r.text
    plan_id = re.search(r'href="/plan/([^"]+)\.csv"', r.text)
    assert plan_id is not None
    csv_text = (await client.get(f"/plan/{plan_id.group(1)}.csv")).text
    assert csv_text.splitlines()[0].startswith("creator_id,handle,platform,tier")
    plan = (await client.get(f"/plan/{plan_id.group(1)}.json")).json()
    assert len(csv_text.strip().splitlines()) == len(plan["creators"]) + 1
    assert (await client.get("/plan/unknown.json")).status_code == 404


async def test_plan_form_shows_brief_errors(client: httpx.AsyncClient) -> None:
    page = await client.get("/plan")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = await client.post("/plan", data={"budget": "lots", "csrf_token": token.group(1)})
    assert r.status_code == 200 and 'id="plan-error"' in r.text


async def test_report_download_is_self_contained(client: httpx.AsyncClient) -> None:
    r = await client.get("/report/instagram/xssbio.html")
    assert r.status_code == 200
    assert (
        r.headers["content-disposition"]
        == 'attachment; filename="creatorlens-instagram-xssbio.html"'
    )
    html = r.text
    assert "<script src=" not in html and 'rel="stylesheet"' not in html
    assert "vegaEmbed" in html and 'type="application/json"' in html
    assert XSS_SCRIPT not in html and escaped(XSS_SCRIPT) in html


async def test_pages_link_the_packaged_korean_font(client: httpx.AsyncClient) -> None:
    from creatorlens.presentation import _fonts

    html = (await client.get("/creator/instagram/glowkim?lang=ko")).text
    assert f'href="/static/{_fonts.STYLESHEET}"' in html
    css = await client.get(f"/static/{_fonts.STYLESHEET}")
    assert css.status_code == 200 and "Noto Sans KR" in css.text
    # every slice the stylesheet names is served (a missing file is a box where Hangul should be)
    files = sorted({s.file for s in _fonts.slices()})
    assert len(files) == 248  # 124 unicode-range slices x weights 400 and 700
    for name in files[:: len(files) // 8]:
        font = await client.get(f"/static/vendor/fonts/{name}")
        assert font.status_code == 200 and font.content[:4] == b"wOF2", name
