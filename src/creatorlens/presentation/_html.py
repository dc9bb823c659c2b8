"""Render pages and self-contained HTML reports with Jinja2 (autoescaped: data is always text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from creatorlens.presentation._fonts import embedded_css
from creatorlens.presentation._i18n import catalog
from creatorlens.presentation._values import format_range, format_timestamp, format_value

#: Vendored scripts, in load order (creatorlens/web/static/vendor, see its README.md).
VENDOR_SCRIPTS = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js")
APP_SCRIPT = "charts.js"
STYLESHEET = "style.css"
#: Where the embedded @font-face rules go in a report (replaced once the text is known).
FONTS_PLACEHOLDER = "/*creatorlens-fonts*/"


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` and quotes are
    escaped as ``\\u00XX`` so no text in the data can close the script element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)


def _static_text(name: str) -> str:
    return resources.files("creatorlens").joinpath(f"web/static/{name}").read_text("utf-8")


def inline_script(name: str) -> Markup:
    """A vendored or packaged script's text for an inline <script> (our own files, never data)."""
    text = _static_text(name)
    if "</script" in text.lower():
        text = text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return Markup(text)


def environment(extra: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("creatorlens.presentation", "templates")]
    if extra is not None:
        loaders.insert(0, extra)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its name: bios and captions are untrusted
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = format_value
    env.filters["range"] = format_range
    env.filters["when"] = format_timestamp
    env.filters["script_json"] = script_json
    return env


@cache
def _report_env() -> jinja2.Environment:
    return environment()


def _standalone(template: str, lang: str, **context: Any) -> str:
    env = _report_env()
    t = catalog(lang)
    html = env.get_template(template).render(
        t=t,
        lang=t.lang,
        standalone=True,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stylesheet=Markup(_static_text(STYLESHEET)),
        fonts=Markup(FONTS_PLACEHOLDER),
        scripts=[inline_script(s) for s in (*VENDOR_SCRIPTS, APP_SCRIPT)],
        **context,
    )
    # the font is chosen from the finished text (names, captions and chart labels included), so
    # only the slices of the packaged Korean font this report uses are embedded
    return html.replace(FONTS_PLACEHOLDER, embedded_css(html), 1)


def render_creator_report(detail: Mapping[str, Any], lang: str = "en") -> str:
    """One self-contained HTML file for a creator (``presentation._context.creator`` output)."""
    return _standalone("report_creator.html", lang, d=detail)


def render_plan_report(plan_view: Mapping[str, Any], lang: str = "en") -> str:
    """One self-contained HTML file for a plan (``presentation._context.plan`` output)."""
    return _standalone("report_plan.html", lang, p=plan_view)
