"""UI languages: the message catalogs are data (``data/i18n/<lang>.toml``), read here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from creatorlens.data import load_toml

SUPPORTED = ("en", "ko")
DEFAULT_LANG = "en"

#: Result columns that hold one code of a kind of ``[values.<kind>]`` (or a niche of the taxonomy).
CODED_COLUMNS: dict[str, str] = {
    "tier": "tier",
    "tier_scheme": "tier_scheme",
    "platform": "platform",
    "main_niche": "niche",
    "niche": "niche",
    "er_source": "er_source",
    "jurisdiction": "jurisdiction",
    "verdict": "verdict",
    "basis": "basis",
    "goal": "goal",
    "dimension": "dimension",
    "deliverable": "deliverable",
}
#: Result columns that hold a list of codes (a list, or its JSON or comma-separated text).
CODE_LIST_COLUMNS: dict[str, str] = {"flags": "flag", "er_flags": "flag"}


@dataclass(frozen=True)
class Catalog:
    """One language's messages; a key the language lacks falls back to English, then to the key."""

    lang: str
    messages: dict[str, str]
    fallback: dict[str, str]
    #: Human labels of metric columns (the ``[columns]`` table), with English as the fallback.
    columns: dict[str, str] = field(default_factory=dict)
    column_fallback: dict[str, str] = field(default_factory=dict)
    #: Human labels of coded values per kind (the ``[values.<kind>]`` tables), English fallback.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    value_fallback: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Short labels for narrow tables (the ``[short_columns]`` table), English as the fallback.
    short_columns: dict[str, str] = field(default_factory=dict)
    short_column_fallback: dict[str, str] = field(default_factory=dict)
    #: Domain explanations by code in this language (``[notes]``); none means the English text.
    notes: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, **values: object) -> str:
        text = self.messages.get(key) or self.fallback.get(key) or key
        return text.format(**values) if values else text

    __call__ = get

    def column(self, name: str) -> str:
        """The human label of a metric column; the column's own name when none is written."""
        return self.columns.get(name) or self.column_fallback.get(name) or name

    def short_column(self, name: str) -> str:
        """A column's short label for a narrow table header (CLI tables, list headers): the
        short label, else the full label, else the name in words (never a ``snake_case`` id)."""
        label = (
            self.short_columns.get(name)
            or self.short_column_fallback.get(name)
            or self.columns.get(name)
            or self.column_fallback.get(name)
        )
        return label or name.replace("_", " ").capitalize()

    def value(self, kind: str, code: Any) -> str:
        """The human label of a coded value (a tier, a verdict, a flag, a niche...): the
        language's label, else the English one, else the code with spaces for underscores
        (never a raw ``snake_case`` id); the missing mark for no value."""
        if code is None or code == "":
            return "—"
        text = str(code)
        if kind == "niche":
            niche = _niche_labels(self.lang).get(text)
            if niche:
                return niche
        label = self.values.get(kind, {}).get(text) or self.value_fallback.get(kind, {}).get(text)
        return label or text.replace("_", " ")

    def cell(self, column: str, value: Any) -> str | None:
        """A coded column's cell as its human label (tier, platform, niche, verdict, flags...),
        or None when ``column`` holds no codes (the caller formats the value by its unit)."""
        if column in CODED_COLUMNS:
            return self.value(CODED_COLUMNS[column], value)
        if column in CODE_LIST_COLUMNS:
            return self.values_of(CODE_LIST_COLUMNS[column], value)
        return None

    def note(self, item: Mapping[str, Any] | str) -> str:
        """An explanation built in the domain ({code, values, text}, e.g. an audit note): the
        language's ``note_<code>`` message with the note's values, else its English text."""
        if isinstance(item, str):
            return item
        template = self.notes.get(str(item.get("code")))
        if template:
            # a value that is a code (a platform, a tier...) is worded by its label
            values = {
                k: self.value(CODED_COLUMNS[k], v) if k in CODED_COLUMNS and isinstance(v, str) else v
                for k, v in (item.get("values") or {}).items()
            }
            return template.format(**values)
        return str(item.get("text") or item.get("code") or "")

    def benchmark(self, platform: Any, tier: Any) -> str:
        """The published ER benchmark for a platform and tier, in this language: the figure,
        its formula (numerator/denominator, aggregation), the source and year, and whether it
        is the platform's figure for all tiers (metrics.benchmark_for picks the row)."""
        from creatorlens.metrics import benchmark_for

        b = benchmark_for(str(platform), None if tier is None else str(tier))
        if b is None:
            return "—"
        high = "" if b.er_high in (None, b.er_low) else f"–{b.er_high * 100:.2f}"
        formula = (
            f"{self.value('er_part', b.numerator)}/{self.value('er_part', b.denominator)}, "
            f"{self.value('er_aggregation', b.aggregation)}"
        )
        scope = "" if b.tier == tier else f" [{self.get('all_tiers')}]"
        return f"{b.er_low * 100:.2f}{high}% ({formula}; {b.source} {b.year}){scope}"

    def values_of(self, kind: str, codes: Any) -> str:
        """Labels of a list of codes, comma separated: a list, or its JSON text (``flags``)."""
        return ", ".join(self.value(kind, c) for c in _codes(codes)) or "—"


def _codes(codes: Any) -> list[Any]:
    if codes is None or codes == "":
        return []
    if isinstance(codes, str):
        text = codes.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                return [text]
            return list(parsed) if isinstance(parsed, list) else [parsed]
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(codes, Iterable):
        return list(codes)
    return [codes]


@cache
def _niche_labels(lang: str) -> dict[str, str]:
    """Topic labels of the taxonomy (``topics/taxonomy.toml`` carries ``label`` and ``label_ko``)."""
    topics = load_toml("topics/taxonomy.toml").get("topics", {})
    key = "label" if lang == DEFAULT_LANG else f"label_{lang}"
    return {str(name): str(t.get(key) or t.get("label") or name) for name, t in topics.items()}


@cache
def _catalog_data(lang: str) -> dict[str, dict[str, str]]:
    data = load_toml(f"i18n/{lang}.toml")
    return {
        section: {str(k): str(v) for k, v in data.get(section, {}).items()}
        for section in ("messages", "columns", "short_columns", "notes")
    }


@cache
def _value_data(lang: str) -> dict[str, dict[str, str]]:
    values = load_toml(f"i18n/{lang}.toml").get("values", {})
    return {str(kind): {str(k): str(v) for k, v in table.items()} for kind, table in values.items()}


def catalog(lang: str) -> Catalog:
    lang = lang if lang in SUPPORTED else DEFAULT_LANG
    own, english = _catalog_data(lang), _catalog_data(DEFAULT_LANG)
    return Catalog(
        lang,
        own["messages"],
        english["messages"],
        own["columns"],
        english["columns"],
        _value_data(lang),
        _value_data(DEFAULT_LANG),
        own["short_columns"],
        english["short_columns"],
        own["notes"],
    )


def column_label(column: str, lang: str = DEFAULT_LANG) -> str:
    """The human label of a metric column in ``lang`` (English, then the column name, if none)."""
    return catalog(lang).column(column)


def negotiate(*, query: str | None, cookie: str | None, accept_language: str | None, default: str) -> str:
    """The language for a request: ``?lang=`` beats the cookie, which beats Accept-Language."""
    for choice in (query, cookie):
        if choice and choice.lower() in SUPPORTED:
            return choice.lower()
    for lang in _accepted(accept_language or ""):
        if lang in SUPPORTED:
            return lang
    return default if default in SUPPORTED else DEFAULT_LANG


def _accepted(header: str) -> list[str]:
    """Accept-Language entries by descending q (``ko-KR,ko;q=0.9,en;q=0.8`` -> ko, ko, en)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag:
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, index, tag.split("-")[0].lower()))
    return [lang for _, _, lang in sorted(ranked)]
