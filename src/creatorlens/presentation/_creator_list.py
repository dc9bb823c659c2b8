"""The dashboard's creators list (issue 17): its query parameters read and checked, one page of
``Workspace.search_at`` shaped for the template (count, "51–100 of 1,234", sortable headers,
previous/next links, export links), and the export of every matching row as CSV or JSON.

The filters are ``CreatorFilter``, the one filter of the CLI's ``creators``, the REST API and this
page (``apply_filters`` runs them). Shares are asked for in percent here, as the list shows them
(ER 2.5 means 0.025 to the CLI); every other value is in the CLI's unit. A bad value is an error
message per field, never an exception, so the page can show the form with the message beside it.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from creatorlens._search import ORDERS, Order
from creatorlens._workspace import CreatorFilter
from creatorlens.presentation._context import jsonable
from creatorlens.presentation._i18n import Catalog, _niche_labels, catalog

if TYPE_CHECKING:
    import pyarrow as pa

    from creatorlens._workspace import Workspace

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
#: Where the list lives; links are built on it.
LIST_PATH = "/creators"

#: (parameter, message key of its label): free text filters.
TEXT_FILTERS = (("q", "search"), ("category", "category"))
#: (parameter, CreatorFilter field, label key, lowest, highest, percent): number filters. A
#: percent filter is entered as the list shows it (2.5 %) and passed on as a fraction (0.025).
NUMBER_FILTERS: tuple[tuple[str, str, str, float, float | None, bool], ...] = (
    ("min_followers", "min_followers", "filter_min_followers", 0, None, False),
    ("max_followers", "max_followers", "filter_max_followers", 0, None, False),
    ("min_er", "min_er", "filter_min_er", 0, None, True),
    ("max_er", "max_er", "filter_max_er", 0, None, True),
    ("min_quality", "min_quality", "filter_min_quality", 0, 100, False),
    ("min_posts", "min_posts", "filter_min_posts", 0, 1_000_000, False),
    ("min_focus", "min_focus", "filter_min_focus", 0, 100, True),
    ("transparency_below", "transparency_below", "filter_transparency_below", 0, 100, True),
)
#: Number filters that need a column only some scoring steps compute.
NEEDS_COLUMN = {
    "min_quality": "audience_quality",
    "min_focus": "focus",
    "transparency_below": "transparency_us",
}
#: Every parameter the page keeps in its links (and only these: ``lang`` is the base's).
PARAMS = (
    "q", "platform", "tier", "country", "language", "category", "niche",
    *(p for p, *_ in NUMBER_FILTERS), "sort", "order", "size", "page",
)  # fmt: skip
MAX_TEXT = 200
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: The list's columns: (id, numeric, on the narrow card). Shown when the workspace has them.
TABLE_COLUMNS: tuple[tuple[str, bool, bool], ...] = (
    ("handle", False, True),
    ("platform", False, True),
    ("tier", False, True),
    ("followers", True, True),
    ("er_followers_lc_median", True, True),
    ("audience_quality", True, True),
    ("er_percentile_peers", True, False),
    ("n_posts", True, False),
    ("main_niche", False, False),
    ("country", False, False),
    ("language", False, False),
    ("categories", False, False),
)
#: Columns each row of the list and of its export carries (those the workspace has).
LIST_COLUMNS = (
    "creator_id", "handle", "platform", "display_name", "tier", "followers", "country",
    "categories", "main_niche", "n_posts", "er_followers_lc_median", "er_followers_lc_mean",
    "er_percentile_peers",
    "audience_quality", "er_rankable", "er_flags", "language",
)  # fmt: skip


@dataclass
class ListQuery:
    """The list's request, checked: the filter to run, the order, the page and, per parameter,
    what was asked (for the form and the links) and what is wrong with it."""

    values: dict[str, str]
    filter: CreatorFilter
    sort: str
    order: Order
    size: int
    page: int
    cursor: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def key(self) -> tuple[Any, ...]:
        return (tuple(sorted(self.values.items())), self.cursor)

    def url(self, path: str = LIST_PATH, **changes: Any) -> str:
        """This query's link, with ``changes`` (None drops a parameter); defaults are left out."""
        merged: dict[str, Any] = {**self.values, **changes}
        kept = [(k, str(merged[k])) for k in PARAMS if merged.get(k) not in (None, "")]
        kept = [(k, v) for k, v in kept if not _default(k, v)]
        return path + ("?" + urlencode(kept) if kept else "")


def _default(param: str, value: str) -> bool:
    return (param, value) in {
        ("sort", "followers"),
        ("order", "desc"),
        ("page", "1"),
        ("size", str(DEFAULT_PAGE_SIZE)),
    }


def parse_query(
    params: Mapping[str, str],
    *,
    lang: str,
    sortable: Sequence[str],
    tiers: Sequence[str],
    platforms: Sequence[str],
    columns: Sequence[str],
    languages: Sequence[str] = (),
) -> ListQuery:
    """The list's query parameters checked against what this workspace can do (``sortable``
    sort keys, ``tiers`` of the scheme, the view's ``columns``, the ``languages`` its creators
    have): each bad value gets a message in ``lang``; the filter holds only the good ones."""
    t = catalog(lang)
    raw = {k: str(params.get(k) or "").strip() for k in PARAMS}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        if len(value) > MAX_TEXT:
            errors[key] = t("too_long", field=_label(t, key), n=MAX_TEXT)
            raw[key] = ""
        elif _CONTROL.search(value):
            errors[key] = t("bad_control", field=_label(t, key))
            raw[key] = ""
    given: dict[str, Any] = {}
    for key, _ in TEXT_FILTERS:
        if raw[key]:
            given["search" if key == "q" else key] = raw[key]
    _codes(raw, errors, t, platforms, tiers, columns, given)
    _languages(raw, errors, t, columns, languages, given)
    _numbers(raw, errors, t, columns, given)
    sort, order, size, page = _paging(raw, errors, t, sortable)
    cursor = str(params.get("cursor") or "") or None
    values = {k: v for k, v in raw.items() if v}
    values["sort"], values["order"] = sort, order
    return ListQuery(values, CreatorFilter(**given), sort, order, size, page, cursor, errors)


def _codes(
    raw: dict[str, str],
    errors: dict[str, str],
    t: Catalog,
    platforms: Sequence[str],
    tiers: Sequence[str],
    columns: Sequence[str],
    given: dict[str, Any],
) -> None:
    """Platform, tier, niche and country: codes from a known list."""
    _choice(raw, errors, t, "platform", platforms, lambda c: t.value("platform", c), given)
    _choice(raw, errors, t, "tier", tiers, lambda c: t.value("tier", c), given)
    if "main_niche" in columns:
        _choice(raw, errors, t, "niche", niche_codes(), lambda c: t.value("niche", c), given)
    elif raw["niche"]:
        errors["niche"] = t("filter_not_computed", field=_label(t, "niche"))
    if raw["country"]:
        codes = [c.strip() for c in raw["country"].split(",") if c.strip()]
        if codes and all(_COUNTRY.match(c) for c in codes):
            given["country"] = ",".join(c.upper() for c in codes)
        else:
            errors["country"] = t("bad_country", field=_label(t, "country"), value=raw["country"])


def _languages(
    raw: dict[str, str],
    errors: dict[str, str],
    t: Catalog,
    columns: Sequence[str],
    languages: Sequence[str],
    given: dict[str, Any],
) -> None:
    """Language: one or more of the workspace's language codes (``ko`` or ``ko,en``)."""
    if not raw["language"]:
        return
    if "language" not in columns:
        errors["language"] = t("filter_not_computed", field=_label(t, "language"))
        return
    codes = [c.strip().lower() for c in raw["language"].split(",") if c.strip()]
    if codes and all(c in languages for c in codes):
        given["language"] = ",".join(codes)
    else:
        choices = ", ".join(f"{c} ({t.value('language', c)})" for c in languages) or "—"
        field = _label(t, "language")
        errors["language"] = t("bad_choice", field=field, value=raw["language"], choices=choices)


def _numbers(
    raw: dict[str, str], errors: dict[str, str], t: Catalog, columns: Sequence[str], given: dict[str, Any]
) -> None:
    """The number filters: a number, in range, a minimum not above its maximum."""
    for param, attr, _, low, high, percent in NUMBER_FILTERS:
        text = raw[param]
        if not text:
            continue
        if param in NEEDS_COLUMN and NEEDS_COLUMN[param] not in columns:
            errors[param] = t("filter_not_computed", field=_label(t, param))
            continue
        integer = param == "min_posts"
        number = _number(text, integer=integer)
        if number is None:
            errors[param] = t("bad_integer" if integer else "bad_number", field=_label(t, param), value=text)
        elif number < low or (high is not None and number > high):
            top = "∞" if high is None else f"{high:,g}"
            errors[param] = t("bad_range", field=_label(t, param), low=f"{low:,g}", high=top)
        else:
            given[attr] = int(number) if integer else number / 100 if percent else number
    for low_param, high_param in (("min_followers", "max_followers"), ("min_er", "max_er")):
        low_v, high_v = given.get(low_param), given.get(high_param)
        if low_v is not None and high_v is not None and low_v > high_v:
            errors[high_param] = t("bad_min_max", low=_label(t, low_param), high=_label(t, high_param))


def _paging(
    raw: dict[str, str], errors: dict[str, str], t: Catalog, sortable: Sequence[str]
) -> tuple[str, Order, int, int]:
    """Sort key, direction, page size and page number (defaults where a value is bad)."""
    sort = raw["sort"] or "followers"
    if sort not in sortable:
        errors["sort"] = t("bad_choice", field=_label(t, "sort"), value=sort, choices=", ".join(sortable))
        sort = "followers"
    order: Order = "desc"  # the CLI's and the API's default too
    if raw["order"] in ORDERS:
        order = "asc" if raw["order"] == "asc" else "desc"
    elif raw["order"]:
        errors["order"] = t("bad_choice", field=_label(t, "order"), value=raw["order"], choices="asc, desc")
    size = DEFAULT_PAGE_SIZE
    if raw["size"]:
        if raw["size"].isdigit() and int(raw["size"]) in PAGE_SIZES:
            size = int(raw["size"])
        else:
            sizes = ", ".join(str(s) for s in PAGE_SIZES)
            errors["size"] = t("bad_choice", field=_label(t, "size"), value=raw["size"], choices=sizes)
    page = 1
    if raw["page"]:
        if raw["page"].isdigit() and 1 <= int(raw["page"]) <= 1_000_000:
            page = int(raw["page"])
        else:
            errors["page"] = t("bad_integer", field=_label(t, "page"), value=raw["page"])
    return sort, order, size, page


def _choice(
    raw: dict[str, str],
    errors: dict[str, str],
    t: Catalog,
    param: str,
    allowed: Sequence[str],
    label: Any,
    given: dict[str, Any],
) -> None:
    value = raw[param]
    if not value:
        return
    if value.lower() in allowed:
        given[param] = value.lower()
    else:
        choices = ", ".join(label(c) for c in allowed)
        errors[param] = t("bad_choice", field=_label(t, param), value=value, choices=choices)


def _number(text: str, *, integer: bool) -> float | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None
    if not math.isfinite(number) or (integer and not number.is_integer()):
        return None
    return number


def _label(t: Catalog, param: str) -> str:
    """A parameter's name as the form shows it."""
    keys = {p: key for p, _, key, *_ in NUMBER_FILTERS} | dict(TEXT_FILTERS)
    keys |= {"size": "page_size", "page": "page_number"}
    return t(keys.get(param, param))


def niche_codes() -> list[str]:
    """The niches of the topic taxonomy (what ``main_niche`` holds)."""
    return sorted(_niche_labels("en"))


def workspace_languages(ws: Workspace) -> list[str]:
    """The language codes the workspace's creators have (lower case, sorted): what the language
    filter accepts. None when the scorecard predates its ``language`` column."""
    view = ws.scorecard()
    if "language" not in view.columns:
        return []
    found = view.select(code=view.language.lower().strip()).distinct().to_pyarrow()
    return sorted(str(c) for c in found.column("code").to_pylist() if c)


def check_language(language: str | None, languages: Sequence[str]) -> None:
    """The CLI's ``--language``: codes the workspace's creators have (OptionError naming them)."""
    from creatorlens.errors import OptionError

    if not language:
        return
    codes = [c.strip().lower() for c in language.split(",") if c.strip()]
    if not codes or any(c not in languages for c in codes):
        known = ", ".join(languages) or "none: no creator has a language"
        raise OptionError(f"--language {language!r}: use one of {known} (comma-separated for several)")


def check_codes(
    *, platform: str | None, tier: str | None, niche: str | None, country: str | None, scheme: str | None
) -> None:
    """The CLI's coded filters must name a known code (OptionError naming the valid ones): a
    typo would list nobody and exit 0 (issue 17)."""
    from creatorlens.errors import OptionError
    from creatorlens.store import PLATFORMS
    from creatorlens.tiers import DEFAULT_SCHEME, TierScheme

    known = (
        ("--platform", platform, PLATFORMS),
        ("--tier", tier, TierScheme.load(scheme or DEFAULT_SCHEME).names),
        ("--niche", niche, niche_codes()),
    )
    for option, value, allowed in known:
        if value and value.strip().lower() not in allowed:
            raise OptionError(f"{option} {value!r}: use one of {', '.join(allowed)}")
    codes = [c.strip() for c in (country or "").split(",") if c.strip()]
    if country and not (codes and all(len(c) == 2 and c.isascii() and c.isalpha() for c in codes)):
        raise OptionError(f"--country {country!r}: use two-letter ISO 3166 codes such as KR, or KR,US")


# -- one page -----------------------------------------------------------------------------------
def list_columns(available: Sequence[str], sort: str) -> list[str]:
    """The columns a list row (and its export) carries in this workspace, the sort key's too."""
    columns = [c for c in LIST_COLUMNS if c in available]
    if sort in available and sort not in columns:
        columns.append(sort)
    return columns


def creator_list(
    ws: Workspace,
    query: ListQuery,
    *,
    lang: str,
    available: Sequence[str],
    sortable: Sequence[str],
) -> dict[str, Any]:
    """What the list page shows for ``query`` (already checked: no errors): the page's rows, the
    count of every match, the range shown, the headers with their sort links, paging and export
    links."""
    t = catalog(lang)
    columns = list_columns(available, query.sort)
    start = None
    if query.cursor:  # a keyset cursor (from the API or an older link): no position to show
        page = ws.search(
            query.filter, query.sort, query.order, query.size, query.cursor, columns=columns, total=True
        )
    else:
        start = (query.page - 1) * query.size
        page = ws.search_at(query.filter, query.sort, query.order, query.size, start, columns=columns)
    total = page.total or 0
    shown = page.rows.num_rows
    next_url = prev_url = None
    if query.cursor:
        if page.next_cursor:
            base = query.url()
            next_url = base + ("&" if "?" in base else "?") + urlencode({"cursor": page.next_cursor})
    else:
        if start is not None and start + shown < total:
            next_url = query.url(page=query.page + 1)
        if query.page > 1:
            prev_url = query.url(page=query.page - 1)
    rows = jsonable(page.rows.to_pylist())
    indexed = ws.has_content_index()
    content = bool(query.filter.search) and indexed
    return {
        "rows": rows,
        "content_index": indexed,
        "content_search": content,
        "evidence": _evidence(ws, query, rows) if content else {},
        "search_url": "/search?" + urlencode({"q": query.filter.search}) if content else None,
        "total": total,
        "count_text": t("result_count", n=f"{total:,}"),
        "range_text": (
            t("showing_range", first=f"{start + 1:,}", last=f"{start + shown:,}", total=f"{total:,}")
            if start is not None and shown
            else None
        ),
        "headers": headers(query, t, available, sortable),
        "next_url": next_url,
        "prev_url": prev_url,
        "export_csv": query.url(LIST_PATH + ".csv", page=None, size=None),
        "export_json": query.url(LIST_PATH + ".json", page=None, size=None),
        "clear_url": LIST_PATH,
        "filtered": total > 0 or any(k not in ("sort", "order", "size", "page") for k in query.values),
    }


def _evidence(ws: Workspace, query: ListQuery, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The posts (and bio words) behind each listed creator's content match, by creator id:
    the content search's evidence, asked for the creators on this page only."""
    ids = tuple(str(r["creator_id"]) for r in rows)
    if not ids or not query.filter.search:
        return {}
    found = ws.content_search(query.filter.search, CreatorFilter(content_matches=ids), limit=len(ids))
    return {
        str(c["creator_id"]): {"posts": c.get("evidence") or [], "bio_terms": c.get("bio_terms") or []}
        for c in jsonable(found.creators)
        if c.get("evidence") or c.get("bio_terms")
    }


def headers(
    query: ListQuery, t: Catalog, available: Sequence[str], sortable: Sequence[str]
) -> list[dict[str, Any]]:
    """The table's header cells: short label, full label as the tooltip, and for a sortable
    column its link (the other direction when it is the active sort) and ``aria-sort``."""
    out = []
    shown = list(TABLE_COLUMNS)
    if query.sort in available and query.sort not in {c for c, *_ in shown}:
        # sorted by a column the table does not show (ER by views, growth...): show it, after the
        # follower ER, so the order can be read
        at = next((i + 1 for i, (c, *_) in enumerate(shown) if c == "er_followers_lc_median"), 4)
        shown.insert(at, (query.sort, query.sort != "handle", True))
    for column, numeric, key in shown:
        if column not in available:
            continue
        cell: dict[str, Any] = {
            "id": column,
            "label": t.short_column(column),
            "title": t.column(column),
            "numeric": numeric,
            "key": key,
            "url": None,
            "aria_sort": None,
            "arrow": "",
        }
        if column in sortable:
            active = column == query.sort
            if active:
                order = "asc" if query.order == "desc" else "desc"
                cell["aria_sort"] = "ascending" if query.order == "asc" else "descending"
                cell["arrow"] = "▲" if query.order == "asc" else "▼"
            else:
                order = "asc" if column in ("handle", "language") else "desc"
            cell["url"] = query.url(sort=column, order=order, page=None)
        out.append(cell)
    return out


# -- the export ---------------------------------------------------------------------------------
def export_rows(ws: Workspace, query: ListQuery, available: Sequence[str]) -> pa.Table:
    """Every creator matching ``query``'s filters, in its order, with the list's columns (ids
    as the column names): all pages, not only the one shown."""
    columns = list_columns(available, query.sort)
    return ws.search_at(query.filter, query.sort, query.order, None, 0, columns=columns).rows


def rows_csv(rows: pa.Table) -> bytes:
    import pyarrow.csv as pacsv

    buf = io.BytesIO()
    pacsv.write_csv(rows, buf)
    return buf.getvalue()


def rows_json(rows: pa.Table) -> bytes:
    """One JSON document: the array of rows (as ``creatorlens creators --format json`` writes)."""
    return json.dumps(jsonable(rows.to_pylist()), ensure_ascii=False, indent=1).encode("utf-8")
