"""Render pages and self-contained HTML reports with Jinja2 (autoescaped: data is always text)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from creatorlens.store import column_unit, format_number
from creatorlens.web._i18n import catalog

#: Vendored scripts, in load order (creatorlens/web/static/vendor, see its README.md).
VENDOR_SCRIPTS = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js")
APP_SCRIPT = "charts.js"
STYLESHEET = "style.css"


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` and quotes are
    escaped as ``\\u00XX`` so no text in the data can close the script element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)


def format_value(value: Any, column: str = "") -> str:
    """How a metric reads on a page: fractions as %, percentiles as pNN, big counts with commas."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        declared = format_number(value, column_unit(column))  # the column's declared unit
        if declared is not None:
            return declared
        # Keys that are no result-table column (plan figures, chart rows): by name.
        if column.startswith("er_percentile") or column.startswith("percentile"):
            return f"p{value * 100:.0f}"
        if column.startswith(
            ("er_", "view_rate", "benchmark_er", "spend_share", "share")
        ) or column.endswith(("_pct", "_share")):
            return f"{value * 100:.2f}%"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v, str(k))}" for k, v in value.items())
    return str(value)


def format_range(figure: Mapping[str, Any] | None, digits: int = 0) -> str:
    """``low – high (mid m)`` formatted from the figure's unit (planner._money.format_value):
    money with its currency's minor units, small values with significant digits, never "0 – 0"."""
    if not figure:
        return "—"
    from creatorlens.planner._money import format_value as by_unit

    unit = str(figure.get("unit") or "")

    def one(v: Any) -> str:
        return by_unit(float(v), unit) if isinstance(v, int | float) and math.isfinite(v) else "n/a"

    return f"{one(figure.get('low'))} – {one(figure.get('high'))} (mid {one(figure.get('mid'))})"


def _static_text(name: str) -> str:
    return resources.files("creatorlens").joinpath(f"web/static/{name}").read_text("utf-8")


def inline_script(name: str) -> Markup:
    """A vendored or packaged script's text for an inline <script> (our own files, never data)."""
    text = _static_text(name)
    if "</script" in text.lower():
        text = text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return Markup(text)


def environment(extra: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("creatorlens.report", "templates")]
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
    env.filters["script_json"] = script_json
    return env


@cache
def _report_env() -> jinja2.Environment:
    return environment()


def _standalone(template: str, lang: str, **context: Any) -> str:
    env = _report_env()
    t = catalog(lang)
    return env.get_template(template).render(
        t=t,
        lang=t.lang,
        standalone=True,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stylesheet=Markup(_static_text(STYLESHEET)),
        scripts=[inline_script(s) for s in (*VENDOR_SCRIPTS, APP_SCRIPT)],
        **context,
    )


def render_creator_report(detail: Mapping[str, Any], lang: str = "en") -> str:
    """One self-contained HTML file for a creator (``report._context.creator`` output)."""
    return _standalone("report_creator.html", lang, d=detail)


def render_plan_report(plan_view: Mapping[str, Any], lang: str = "en") -> str:
    """One self-contained HTML file for a plan (``report._context.plan`` output)."""
    return _standalone("report_plan.html", lang, p=plan_view)
