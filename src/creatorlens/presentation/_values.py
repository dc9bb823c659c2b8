"""How one value reads, in the terminal, on a page, in a report or a PDF: formatted from the unit
its column declares (``store._schema``'s ``units``, docs/metrics.md "Units").

One function for every interface, so a fraction is a percentage, a percentile ``pNN``, money
carries its currency with that currency's minor units, a small value keeps significant digits
(never "0" or "0 – 0") and no float noise (``0.006999999999999998``) reaches a person.

Light at import (no pyarrow, ibis or pandas): the CLI imports it before a command runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from typing import Any

#: Shown when a value is missing (None, NaN, empty text).
MISSING = "—"
#: Units read as a percentage (value x 100) and as a percentile (value x scale, shown pNN).
PERCENT_UNITS = frozenset({"fraction", "rate", "change"})
PERCENTILE_SCALE: dict[str, float] = {"percentile": 100.0, "percentile100": 1.0}


@cache
def unit_for(column: str) -> str | None:
    """The unit a column's values read in: its declared unit in the result tables, else (for
    names that are no result-table column: sections of ``show``, plan figures, chart rows, the
    audience ``share``) the unit its name implies; None for a plain number."""
    if not column:
        return None
    from creatorlens.store._schema import column_unit  # pyarrow: only once a value is formatted

    declared = column_unit(column)
    if declared is not None:
        return declared
    if column.startswith(("er_percentile", "percentile")):
        return "percentile"
    if column.startswith(("er_", "view_rate", "benchmark_er", "share", "spend_share")) or column.endswith(
        ("_pct", "_share")
    ):
        return "fraction"
    return None


def significant(value: float, digits: int = 3) -> str:
    """``digits`` significant digits below 10**digits, thousands separators above, no float
    noise, a small value never shown as 0 (the planner's number format, ``planner._money``)."""
    from creatorlens.planner._money import format_number as by_digits

    return by_digits(value, digits) if math.isfinite(value) else MISSING


def _percent(points: float) -> str:
    """A percentage with two decimals; below 0.01% two significant digits (never "0.00%")."""
    if points != 0 and abs(points) < 0.01:
        return f"{significant(points, 2)}%"
    return f"{points:.2f}%"


def format_number(value: float, unit: str | None) -> str:
    """A float of a unit (see ``store.UNITS``); a plain number when the unit is None."""
    if not math.isfinite(value):
        return MISSING
    if unit in PERCENTILE_SCALE:
        return f"p{value * PERCENTILE_SCALE[unit]:.0f}"
    if unit == "change":  # a growth: signed, so that a drop and a gain read apart
        return ("+" if value > 0 else "") + _percent(value * 100)
    if unit in PERCENT_UNITS:
        return _percent(value * 100)
    if unit == "percent":
        return _percent(value)
    if unit is not None and unit.startswith("money:"):
        return format_money(value, unit.removeprefix("money:"))
    return significant(value, 3)


def format_money(value: float, currency: str) -> str:
    """``1,234,567 KRW``, ``12.50 USD``, ``0.0042 USD`` (small amounts keep 2 significant digits)."""
    from creatorlens.planner._money import format_money as money  # the currency's minor units

    return money(value, currency)


def format_value(value: Any, column: str = "") -> str:
    """How ``value`` of ``column`` reads: the one formatter of the CLI, the pages and the reports."""
    if value is None or (isinstance(value, str) and value == ""):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and column and unit_for(column) == "json":
        return _json_text(value)
    if isinstance(value, float):
        return format_number(value, unit_for(column))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v, column) for v in value) or MISSING
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {format_value(v, str(k))}" for k, v in value.items()) or MISSING
    return str(value)


def _json_text(text: str) -> str:
    """A JSON column (a community's main niches, countries, top creators) as a person reads it:
    ``{"value": "tech", "share": 0.1956}`` items as "tech 20%", other lists joined."""
    try:
        decoded = json.loads(text)
    except ValueError:
        return text
    items = decoded if isinstance(decoded, list) else [decoded]
    parts = []
    for item in items:
        if isinstance(item, Mapping) and set(item) == {"value", "share"}:
            share = item["share"]
            known = isinstance(share, int | float) and not isinstance(share, bool)
            parts.append(f"{item['value']} {_percent(100 * share)}" if known else str(item["value"]))
        else:
            parts.append(format_value(item))
    return ", ".join(parts) or MISSING


def format_timestamp(value: Any) -> str:
    """A time as a person reads it: ``2026-10-23 23:58`` (with the year, no seconds or
    microseconds; ``UTC`` when the value says so); a date stays a date; missing reads as —."""
    from datetime import date, datetime

    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        offset = value.utcoffset()
        zone = " UTC" if offset is not None and not offset else ""
        if value.hour == value.minute == value.second == value.microsecond == 0 and not zone:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M") + zone
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_range(figure: Mapping[str, Any] | None) -> str:
    """A planner figure (``{"low", "mid", "high", "unit"}``) as ``low – high (mid m) unit``, from
    its unit: money with its currency's minor units, small values with significant digits."""
    if not figure:
        return MISSING
    from creatorlens.planner._money import format_range as by_unit

    def end(key: str) -> float | None:
        value = figure.get(key)
        return float(value) if isinstance(value, int | float) and math.isfinite(value) else None

    return by_unit(end("low"), end("mid"), end("high"), str(figure.get("unit") or ""))
