"""One presentation path for a plan: the tables, totals, frontier and CSV that the CLI, the web
planner and the HTML report all show (docs/planner.md "Outputs").

Everything here reads the plan's JSON form (``Plan.model_dump(mode="json")``, also what
``creatorlens plan --out plan.json`` writes), so a plan made anywhere prints the same way. Values
are formatted from their units (money with its currency's minor units, small per-unit money with
significant digits), file cells are rounded (no float noise) and CSV cells that a spreadsheet
would run as a formula are quoted.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from creatorlens.planner._money import (
    clean_number,
    format_money,
    format_number,
    format_range,
    minor_units,
)
from creatorlens.presentation import _plan_notes as notes
from creatorlens.presentation._i18n import DEFAULT_LANG, Catalog, catalog

#: The plan table: (key, label). The same columns in the CLI, the web page and the report.
PLAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("handle", "handle"),
    ("platform", "platform"),
    ("tier", "tier"),
    ("followers", "followers"),
    ("deliverable", "deliverable"),
    ("fit", "fit"),
    ("fit_evidence", "fit evidence"),
    ("cost", "cost (low – high)"),
    ("cost_at_basis", "cost at basis"),
    ("target_reach", "target reach"),
    ("impressions", "impressions"),
)

#: Per-creator figures written as low / mid / high columns to CSV.
FIGURES = (
    "price",
    "cost",
    "impressions",
    "engagements",
    "target_reach",
    "clicks",
    "conversions",
    "earned_media_value",
)

#: Order and labels of the totals.
TOTALS = (
    ("cost", "cost"),
    ("unique_target_reach", "unique target reach"),
    ("impressions", "impressions"),
    ("engagements", "engagements"),
    ("clicks", "clicks"),
    ("conversions", "conversions"),
    ("earned_media_value", "earned media value"),
    ("cost_per_1k_impressions", "cost per 1K impressions"),
    ("cost_per_engagement", "cost per engagement"),
    ("cost_per_target_person", "cost per target person"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Spreadsheets run a text cell that starts with = + - @ (or a tab) as a formula: quote it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def figure_text(fig: Mapping[str, Any] | None) -> str:
    if not fig:
        return "—"
    return format_range(fig.get("low"), fig.get("mid"), fig.get("high"), str(fig.get("unit", "")))


def evidence_text(evidence: Sequence[Mapping[str, Any]]) -> str:
    """``age 61% (reported); country 84% (proxy: creator country KR)``."""
    parts = []
    for e in evidence:
        source = str(e.get("source", ""))
        detail = str(e.get("detail", ""))
        label = {
            "reported": "reported",
            "proxy": "proxy: " + detail.removeprefix("prior from ").removeprefix("creator "),
            "none": "no data: prior",
        }.get(source, source)
        share = e.get("share")
        pct = f"{float(share):.0%}" if isinstance(share, int | float) else "n/a"
        parts.append(f"{e.get('dimension')} {pct} ({label})")
    return "; ".join(parts) or "target is everyone"


def basis_label(plan: Mapping[str, Any]) -> str:
    basis = str(plan.get("cost_basis") or "p90")
    return "mid estimate" if basis == "mid" else basis.upper()


def _figure(fig: Mapping[str, Any] | None, t: Catalog) -> str:
    return figure_text(fig) if t.lang == DEFAULT_LANG else price_figure_text(fig, t)


def plan_table(plan: Mapping[str, Any], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Columns and formatted rows of the plan table (labels, evidence, units and reasons in
    ``lang``; English as it always was)."""
    t = catalog(lang)
    en = t.lang == DEFAULT_LANG
    currency = str(plan.get("currency", ""))
    columns = [
        (k, f"{label} ({currency})" if k in ("cost", "cost_at_basis") else label) for k, label in PLAN_COLUMNS
    ]
    columns = [(k, label.replace("at basis", "at " + basis_label(plan))) for k, label in columns]
    if plan.get("overlap"):
        # measured audience overlap (follower lists) for some picks: say which, per row
        columns.append(("overlap", "overlap"))
    if not en:
        columns = _translated_columns(columns, "col_", plan, t)
    rows = []
    for c in plan.get("creators") or []:
        deliverable = str(c.get("deliverable", ""))
        evidence = c.get("fit_evidence") or []
        why_notes = c.get("why_notes") or []
        rows.append(
            {
                "creator_id": c["creator_id"],
                "handle": c["handle"],
                "platform": c["platform"],
                "tier": c["tier"],
                "followers": format_number(c["followers"]),
                "deliverable": f"{c.get('posts', 1)} x {deliverable}".strip()
                if en
                else t(
                    "plan_deliverable",
                    posts=c.get("posts", 1),
                    deliverable=t.value("deliverable", deliverable),
                ),
                "fit": format_number(c["fit"], 2),
                "fit_evidence": evidence_text(evidence) if en else notes.evidence_text(evidence, t),
                "cost": _figure(c["cost"], t),
                "cost_at_basis": format_money(c["cost_at_basis"], currency),
                "target_reach": _figure(c["target_reach"], t),
                "impressions": _figure(c["impressions"], t),
                "overlap": c.get("overlap", "modelled"),
                "why": notes.notes_text(why_notes, t, "; ") if why_notes and not en else c.get("why", ""),
            }
        )
    return {"columns": columns, "rows": rows}


def totals_table(plan: Mapping[str, Any], lang: str = DEFAULT_LANG) -> list[tuple[str, str, str]]:
    """(key, label, text) lines: budget and cost at the basis first, then the totals."""
    t = catalog(lang)
    if t.lang != DEFAULT_LANG:
        return _totals_in(plan, t)
    currency = str(plan.get("currency", ""))
    lines = [
        ("budget", "budget", format_money(float(plan.get("budget") or 0), currency)),
        (
            "cost_at_basis",
            f"cost at {basis_label(plan)} (incl. overhead)",
            format_money(float(plan.get("cost_at_basis") or 0), currency)
            + (" — within budget" if plan.get("within_budget", True) else " — OVER BUDGET"),
        ),
    ]
    totals = plan.get("totals") or {}
    for key, label in TOTALS:
        if key in totals:
            lines.append((key, label, figure_text(totals[key])))
        if key == "unique_target_reach":
            lines += overlap_lines(plan)
    creators = plan.get("creators") or []
    lines.append(
        (
            "team",
            "team",
            f"{len(creators)} creators (max {plan.get('max_creators')}), "
            f"{format_number(float(plan.get('team_hours') or 0))} hours of briefing, contracting, "
            "shipping and review",
        )
    )
    rate = plan.get("exchange_rate") or {}
    if rate.get("note"):
        lines.append(("exchange_rate", "exchange rate", str(rate["note"])))
    return lines


def _totals_in(plan: Mapping[str, Any], t: Catalog) -> list[tuple[str, str, str]]:
    """The totals lines in a language other than English: labels from the catalogue."""
    currency = str(plan.get("currency", ""))
    lines = [
        ("budget", t("total_budget"), format_money(float(plan.get("budget") or 0), currency)),
        (
            "cost_at_basis",
            t("total_cost_at_basis"),
            format_money(float(plan.get("cost_at_basis") or 0), currency)
            + t("plan_within_budget" if plan.get("within_budget", True) else "plan_over_budget"),
        ),
    ]
    totals = plan.get("totals") or {}
    for key, _ in TOTALS:
        if key in totals:
            lines.append((key, t("total_" + key), _figure(totals[key], t)))
        if key == "unique_target_reach":
            lines += overlap_lines(plan, t.lang)
    creators = plan.get("creators") or []
    hours = format_number(float(plan.get("team_hours") or 0))
    lines.append(
        ("team", t("total_team"), t("plan_team", n=len(creators), max=plan.get("max_creators"), hours=hours))
    )
    rate = plan.get("exchange_rate") or {}
    if rate.get("note"):
        note = str(rate["note"])
        text = t("plan_no_conversion") if rate.get("currency") == "USD" else price_source_text(note, t)
        lines.append(("exchange_rate", t("total_exchange_rate"), text))
    return lines


def overlap_lines(plan: Mapping[str, Any], lang: str = DEFAULT_LANG) -> list[tuple[str, str, str]]:
    """Measured vs modelled audience overlap (docs/planner.md "Measured overlap"); none when no
    candidate has a follower list."""
    ov = plan.get("overlap")
    if not ov:
        return []
    if lang != DEFAULT_LANG:
        return _overlap_lines_in(ov, catalog(lang))
    measured, modelled = ov.get("measured") or [], ov.get("modelled") or []
    n = len(measured) + len(modelled)
    sample = float(ov.get("sampled_fraction") or 1.0)
    who = ", ".join(f"@{h}" for h in measured[:8]) + (" …" if len(measured) > 8 else "")
    text = (
        f"{len(measured)} of {n} picks from follower lists"
        + (f" ({who})" if who else "")
        + f"; {len(modelled)} modelled by segments; "
        f"{format_number(float(ov.get('candidates_measured') or 0))} candidates have a list, "
        f"{format_number(float(ov.get('follower_ids') or 0))} follower ids"
        + (f" (objective on a {sample:.1%} hash sample)" if sample < 1 else "")
    )
    fig = ov.get("unique_followers") or {}
    exact = fig.get("low") == fig.get("high")
    followers = format_number(float(fig.get("mid") or 0)) + (
        ""
        if exact
        else f" ({format_number(float(fig.get('low') or 0))} – {format_number(float(fig.get('high') or 0))})"
    )
    return [
        ("overlap_measured", "overlap measured", text),
        ("unique_followers", "distinct followers of the measured picks",
         f"{followers} ({ov.get('unique_followers_method', '')})"),
        ("reach_modelled", "unique target reach under the segment model alone",
         f"{format_number(float(ov.get('modelled_target_reach') or 0))} target people (vs "
         f"{format_number(float(ov.get('measured_target_reach') or 0))} with measured overlap)"),
    ]  # fmt: skip


def _overlap_lines_in(ov: Mapping[str, Any], t: Catalog) -> list[tuple[str, str, str]]:
    measured, modelled = ov.get("measured") or [], ov.get("modelled") or []
    sample = float(ov.get("sampled_fraction") or 1.0)
    who = ", ".join(f"@{h}" for h in measured[:8]) + (" …" if len(measured) > 8 else "")
    text = t(
        "plan_overlap_measured",
        measured=len(measured),
        n=len(measured) + len(modelled),
        who=f" ({who})" if who else "",
        modelled=len(modelled),
        candidates=format_number(float(ov.get("candidates_measured") or 0)),
        ids=format_number(float(ov.get("follower_ids") or 0)),
        sample=t("plan_overlap_sample", share=f"{sample:.1%}") if sample < 1 else "",
    )
    fig = ov.get("unique_followers") or {}
    exact = fig.get("low") == fig.get("high")
    followers = format_number(float(fig.get("mid") or 0)) + (
        ""
        if exact
        else f" ({format_number(float(fig.get('low') or 0))} – {format_number(float(fig.get('high') or 0))})"
    )
    reach = t(
        "plan_reach_modelled",
        modelled=format_number(float(ov.get("modelled_target_reach") or 0)),
        measured=format_number(float(ov.get("measured_target_reach") or 0)),
    )
    return [
        ("overlap_measured", t("total_overlap_measured"), text),
        ("unique_followers", t("total_unique_followers"),
         f"{followers} ({ov.get('unique_followers_method', '')})"),
        ("reach_modelled", t("total_reach_modelled"), reach),
    ]  # fmt: skip


def _translated_columns(
    columns: list[tuple[str, str]], prefix: str, plan: Mapping[str, Any], t: Catalog
) -> list[tuple[str, str]]:
    """The columns' headers in ``t``'s language (message ``prefix + key``): the cost at basis
    names its basis, and both costs their currency."""
    basis = notes.basis_text(plan.get("cost_basis"), t)
    currency = str(plan.get("currency", ""))
    return [
        (
            k,
            t(prefix + k)
            + (f" {basis}" if k == "cost_at_basis" else "")
            + (f" ({currency})" if k in ("cost", "cost_at_basis") else ""),
        )
        for k, _ in columns
    ]


def frontier_table(plan: Mapping[str, Any], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    t = catalog(lang)
    currency = str(plan.get("currency", ""))
    columns = [
        ("max_creators", "at most"),
        ("creators", "creators"),
        ("target_reach", "unique target reach (mid)"),
        ("objective", "effective reach (objective)"),
        ("cost_at_basis", f"cost at {basis_label(plan)} ({currency})"),
        ("cost", f"cost range ({currency})"),
    ]
    if t.lang != DEFAULT_LANG:
        columns = _translated_columns(columns, "frontier_", plan, t)
    rows = []
    for f in plan.get("frontier") or []:
        rows.append(
            {
                "max_creators": str(f["max_creators"]),
                "creators": str(f["creators"]),
                "target_reach": format_number(f["target_reach"]),
                "objective": format_number(f["objective"]),
                "cost_at_basis": format_money(f["cost_at_basis"], currency),
                "cost": _figure(f["cost"], t),
                "note": (
                    t("plan_frontier_kept") if f.get("note") and t.lang != DEFAULT_LANG else f.get("note", "")
                ),
            }
        )
    return {"columns": columns, "rows": rows}


def _round_money(value: Any, currency: str) -> Any:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    digits = minor_units(currency)
    if abs(value) >= 1:
        return round(float(value), digits) if digits else round(float(value))
    return clean_number(float(value), 3)


def plan_records(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dict per creator: the columns of every CSV export (rounded, no float noise)."""
    currency = str(plan.get("currency", ""))
    out = []
    for c in plan.get("creators") or []:
        row: dict[str, Any] = {
            "creator_id": c["creator_id"],
            "handle": c["handle"],
            "platform": c["platform"],
            "tier": c["tier"],
            "followers": c["followers"],
            "deliverable": c.get("deliverable", ""),
            "posts": c.get("posts", 1),
            "fit": clean_number(float(c["fit"]), 4),
            "fit_basis": c.get("fit_basis", ""),
            "fit_evidence": evidence_text(c.get("fit_evidence") or []),
            "niche": c.get("niche", ""),
            "currency": currency,
            "overhead": _round_money(c.get("overhead", 0.0), currency),
            "cost_at_basis": _round_money(c.get("cost_at_basis"), currency),
            "cost_basis": plan.get("cost_basis", ""),
            "overlap": c.get("overlap", "modelled"),
        }
        for name in FIGURES:
            fig = c.get(name) or {}
            money = name in ("price", "cost", "earned_media_value")
            for end in ("low", "mid", "high"):
                value = fig.get(end)
                row[f"{name}_{end}"] = (
                    _round_money(value, currency)
                    if money
                    else (clean_number(float(value), 4) if isinstance(value, int | float) else None)
                )
        row["cost_source"] = (c.get("price") or c.get("cost") or {}).get("mid_source", "")
        row["why"] = c.get("why", "")
        out.append(row)
    return out


def csv_columns() -> list[str]:
    """The CSV header, also when the plan is empty."""
    head = [
        "creator_id", "handle", "platform", "tier", "followers", "deliverable", "posts", "fit",
        "fit_basis", "fit_evidence", "niche", "currency", "overhead", "cost_at_basis", "cost_basis",
        "overlap",
    ]  # fmt: skip
    figures = [f"{name}_{end}" for name in FIGURES for end in ("low", "mid", "high")]
    return [*head, *figures, "cost_source", "why"]


def plan_csv(plan: Mapping[str, Any]) -> str:
    """The plan as CSV text: the same columns from the CLI, the web and the report."""
    buf = io.StringIO()
    columns = csv_columns()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in plan_records(plan):
        writer.writerow({k: safe_cell(record.get(k)) for k in columns})
    return buf.getvalue()


def plan_view(plan: Mapping[str, Any], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Everything a page or a terminal shows of a plan, formatted, in ``lang``: the planner's
    sentences from its notes (presentation._plan_notes), English as the planner wrote it."""
    t = catalog(lang)
    candidates = plan.get("candidates") or {}

    def said(note_key: str, text: Any, owner: Mapping[str, Any] = plan) -> str:
        note = owner.get(note_key)
        return notes.note_text(note, t) if note else str(text or "")

    def said_all(notes_key: str, texts: Any, owner: Mapping[str, Any] = plan) -> list[str]:
        items = owner.get(notes_key) or []
        return [notes.note_text(n, t) for n in items] if items else list(texts or [])

    shortfall = said_all("shortfall_notes", [plan.get("shortfall")] if plan.get("shortfall") else [])
    misses = [
        {
            "creator_id": n.get("creator_id", ""),
            "handle": n.get("handle", ""),
            "platform": n.get("platform", ""),
            "tier": n.get("tier", ""),
            "cost": _figure(n.get("cost"), t),
            "why_out": said("why_out_note", n.get("why_out"), n),
        }
        for n in plan.get("near_misses") or []
    ]
    return {
        "shortfall": " ".join(shortfall),
        "candidates": said("summary_note", candidates.get("summary", ""), candidates),
        "floor": said("floor_note", candidates.get("floor_basis", ""), candidates),
        "help": said_all("help_notes", candidates.get("help"), candidates),
        "table": plan_table(plan, t.lang),
        "totals": totals_table(plan, t.lang),
        "frontier": frontier_table(plan, t.lang),
        "guarantee": said("guarantee_note", plan.get("guarantee_text", "")),
        "assumptions": said_all("assumption_notes", plan.get("assumptions")),
        "near_misses": misses,
        "constraints": [
            {
                "name": c.get("name", ""),
                "status": c.get("status", ""),
                "detail": said("note", c.get("detail"), c),
            }
            for c in plan.get("constraints") or []
        ],
    }


#: The planner's cost-source labels (planner._costs, ._money), parsed so the page can say them in
#: its language; a label none of them matches is shown as the planner wrote it.
_SOURCE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("price_src_median", re.compile(r"median of estimates: (?P<estimate>.+)")),
    (
        "price_src_cpm",
        re.compile(
            r"(?P<source>.+) CPM (?P<bound>low|high) (?P<value>\S+) USD x expected views "
            r"\((?P<reliability>.+)\)"
        ),
    ),
    (
        "price_src_rate_card",
        re.compile(r"(?P<source>.+) (?P<year>\d{4}) rate card \((?P<reliability>.+)\)"),
    ),
    (
        "price_src_factor",
        re.compile(r"x (?P<factor>\S+) (?P<low>[\d.]+)-(?P<high>[\d.]+) \((?P<source>.+)\)"),
    ),
)
_FX = re.compile(
    r"converted from USD at (?P<rate>\S+) (?P<currency>[A-Z]{3}) per USD "
    r"\((?P<derivation>.+); (?P<source>[^;]+), (?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:; (?P<days>-?\d+) days old(?P<old> \(old: check a current rate\))?)?\)"
)
_FX_DERIVATION = re.compile(r"(?P<rate>\S+) (?P<currency>[A-Z]{3}) and (?P<usd>\S+) USD per EUR")
_PRICE_NOTE = (
    "estimates from published rate cards and CPMs x this creator's expected views "
    "(data/costs/*.csv), the same estimator the planner uses; a quote replaces them"
)
_UNIT_PATTERNS = (
    ("price_unit_cpm", re.compile(r"(?P<currency>[A-Z]{3}) per 1K impressions")),
    ("price_unit_cpe", re.compile(r"(?P<currency>[A-Z]{3}) per engagement")),
    ("plan_unit_per_target", re.compile(r"(?P<currency>[A-Z]{3}) per target person")),
)


def price_source_text(label: str, t: Catalog) -> str:
    """One planner cost-source label (``"; "``-joined parts) in the catalogue's language."""
    return "; ".join(_source_parts(label, t))


def price_sources_text(labels: Sequence[str], t: Catalog) -> str:
    """A deliverable's source labels, each part once (every estimate repeats the multiplier)."""
    return "; ".join(dict.fromkeys(part for label in labels for part in _source_parts(label, t)))


def _source_parts(label: str, t: Catalog) -> list[str]:
    # the exchange-rate note comes last and its parentheses hold "; ": it is one part
    head, fx_mark, fx = label.partition("converted from USD at ")
    parts = [p for p in head.removesuffix("; ").split("; ") if p] if head else []
    return [_source_part(p, t) for p in parts] + ([_source_part(fx_mark + fx, t)] if fx_mark else [])


def _source_part(part: str, t: Catalog) -> str:
    fx = _FX.fullmatch(part)
    if fx:
        return fx_text(fx, t)
    for key, pattern in _SOURCE_PATTERNS:
        m = pattern.fullmatch(part)
        if not m:
            continue
        values = m.groupdict()
        if key == "price_src_median":
            values["estimate"] = _source_part(values["estimate"], t)
        if "reliability" in values:
            values["reliability"] = t.value("reliability", values["reliability"])
        if "bound" in values:
            values["bound"] = t.value("price_bound", values["bound"])
        if "factor" in values:
            values["factor"] = t.value("price_factor", values["factor"])
        return t(key, **values)
    return part


def fx_text(m: re.Match[str], t: Catalog) -> str:
    derivation = _FX_DERIVATION.fullmatch(m["derivation"])
    age = ""
    if m["days"] is not None:
        age = t("price_fx_age", days=m["days"]) + (t("price_fx_old") if m["old"] else "")
    return t(
        "price_fx",
        rate=m["rate"],
        currency=m["currency"],
        derivation=t("price_fx_derivation", **derivation.groupdict()) if derivation else m["derivation"],
        source=m["source"],
        date=m["date"],
        age=age,
    )


def price_note_text(note: str, t: Catalog) -> str:
    """The price panel's footnote (``CreatorPrices.note``: the estimator, then the exchange rate)."""
    parts = []
    rest = note
    if rest.startswith(_PRICE_NOTE):
        parts.append(t("price_note"))
        rest = rest[len(_PRICE_NOTE) :].removeprefix("; ")
    if rest:
        parts.extend(_source_parts(rest, t))
    return "; ".join(parts)


def price_figure_text(fig: Mapping[str, Any] | None, t: Catalog) -> str:
    """``low – high (mid m) unit`` with the mid mark and the per-unit words in the language."""
    text = figure_text(fig)
    if not fig or t.lang == "en":
        return text
    unit = str(fig.get("unit") or "")
    mid = re.search(r"\(mid (?P<mid>[^)]*)\)", text)
    if mid:
        text = text.replace(mid[0], t("price_mid", mid=mid["mid"]))
    for key, pattern in _UNIT_PATTERNS:
        m = pattern.fullmatch(unit)
        if m and text.endswith(unit):
            text = text[: -len(unit)] + t(key, currency=m["currency"])
    plain = t.values.get("plan_unit", {}).get(unit)
    if plain and text.endswith(" " + unit):
        text = text[: -len(unit)] + plain
    return text


def price_rows(prices: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """A creator's price section (``CreatorPrices`` JSON): one formatted row per deliverable, with
    the sources and the footnote in ``lang``."""
    t = catalog(lang)
    columns = [
        ("deliverable", "deliverable"),
        ("price", "price (low – high)"),
        ("cpm", "implied CPM"),
        ("cpe", "implied cost per engagement"),
        ("sources", "sources"),
    ]
    rows = [
        {
            "deliverable": d["deliverable"],
            "price": price_figure_text(d["price"], t),
            "cpm": price_figure_text(d["cpm"], t),
            "cpe": price_figure_text(d["cpe"], t),
            "sources": price_sources_text(d.get("sources") or [], t),
        }
        for d in prices.get("deliverables") or []
    ]
    note = price_note_text(str(prices.get("note", "")), t)
    return {"columns": columns, "rows": rows, "note": note}
