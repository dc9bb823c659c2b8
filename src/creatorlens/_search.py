"""How a creator list is ordered and paged: the one definition the CLI, the REST API and the
dashboard share (through ``Workspace.search``, which runs these expressions).

Order: the sort key, nulls last in both directions, then ``creator_id`` ascending, so that ties
always come out the same way. An engagement sort (``er_*``) ranks only rankable ERs
(``er_rankable``: enough posts, plausible; see data/engagement_rules.toml): the others get a null
key and so come after every ranked creator whichever the direction, listed but never ranked. A
NaN is no value either and sorts as a null.

Paging is by keyset: a cursor is the (sort key, creator_id) of the last row shown, with the sort
and direction it belongs to, as url-safe base64 JSON. The next page is the rows after that
position, so pages stay stable while creators are added. A cursor is a position in an order, not
a saved query: used with other filters it continues from the same position in their list. It is
user input like any other: one that does not decode, belongs to another sort or direction, or
holds a value that cannot be compared with the sort column is a ``CursorError``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from creatorlens._sorting import SORTABLE
from creatorlens.errors import (
    CursorError as CursorError,
    OptionError,
    UnknownColumnError as UnknownColumnError,
)

if TYPE_CHECKING:
    import ibis.expr.datatypes as dt
    import ibis.expr.types as ir
    import pyarrow as pa

Order = Literal["asc", "desc"]
ORDERS: tuple[Order, ...] = ("asc", "desc")
#: The sort key of each row, carried next to the requested columns to build the next cursor.
SORT_KEY = "_sort_key"
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Page:
    """One page of a creator listing."""

    #: The page's creators, in order, with the requested columns.
    rows: pa.Table
    #: Pass back as ``cursor`` for the next page; None on the last page.
    next_cursor: str | None
    sort: str
    order: Order
    #: Creators matching the filters over all pages (only when asked for: it costs a count).
    total: int | None = None


def check_sort(t: ir.Table, sort: str, order: str = "desc") -> None:
    """Refuse a sort key that is not sortable (or not computed in this workspace)."""
    if order not in ORDERS:
        raise OptionError(f"order {order!r}: choose asc or desc")
    if sort not in SORTABLE:
        raise OptionError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTABLE)}")
    if sort not in t.columns:
        raise OptionError(
            f"cannot sort by {sort!r} in this workspace (not computed); choose one of "
            + ", ".join(s for s in SORTABLE if s in t.columns)
        )


def sort_key(t: ir.Table, sort: str) -> ir.Value:
    """What a list is sorted by: the column, null where the row is not to be ranked (an
    unrankable ER under an ``er_*`` sort; a NaN)."""
    column = t[sort]
    unranked = None
    if sort.startswith("er_") and "er_rankable" in t.columns:
        unranked = ~t.er_rankable.fill_null(False)
    if column.type().is_floating():
        nan = column.isnan().fill_null(False)
        unranked = nan if unranked is None else unranked | nan
    elif column.type().is_string():
        # an empty text (a creator whose language is unknown) ranks with the nulls: last
        unranked = (column.strip() == "").fill_null(False)
    if unranked is None:
        return column
    import ibis  # here, not at import: `creatorlens show` reads no listing and loads no Ibis

    return ibis.ifelse(unranked, ibis.null(column.type()), column)


def ordered(t: ir.Table, sort: str, order: str) -> ir.Table:
    """``t`` with its sort key as column ``_sort_key``, in listing order."""
    import ibis

    t = t.mutate(**{SORT_KEY: sort_key(t, sort)})
    key = t[SORT_KEY]
    direction = ibis.desc(key, nulls_first=False) if order == "desc" else ibis.asc(key, nulls_first=False)
    return t.order_by([direction, ibis.asc(t.creator_id)])


def after(t: ir.Table, order: str, value: Any, creator_id: str) -> ir.Table:
    """The rows of ``t`` (with ``_sort_key``) that come after (value, creator_id) in listing
    order: beyond the value, or level with it and a later id; a null key comes after every
    value, and among nulls only the id decides."""
    key, tie = t[SORT_KEY], t.creator_id
    if value is None:
        return t.filter(key.isnull() & (tie > creator_id))
    beyond = key < value if order == "desc" else key > value
    return t.filter(beyond | ((key == value) & (tie > creator_id)) | key.isnull())


# -- cursors ------------------------------------------------------------------------------------
def encode_cursor(value: Any, creator_id: str, sort: str, order: str) -> str:
    raw = json.dumps([value, creator_id, sort, order], ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str, order: str, dtype: dt.DataType | None = None) -> tuple[Any, str]:
    """The (sort value, creator_id) a cursor continues after. ``dtype`` (the sort column's type)
    checks the value, so that a wrong type or an out-of-range number is a CursorError, never a
    query that fails."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, creator_id, c_sort, c_order = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise CursorError("cursor is not valid; start again without a cursor") from exc
    if (c_sort, c_order) != (sort, order):
        raise CursorError(
            f"cursor belongs to a different sort order ({c_sort} {c_order}, not {sort} {order}); "
            "start again without a cursor"
        )
    if not _clean_text(creator_id) or not _fits(value, dtype):
        raise CursorError("cursor is not valid; start again without a cursor")
    return value, creator_id


def _clean_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 1000 and not any(_control(ch) for ch in value)


def _control(ch: str) -> bool:
    return ch < " " or "\x7f" <= ch <= "\x9f"


def _fits(value: Any, dtype: dt.DataType | None) -> bool:
    """Whether a cursor's sort value can be compared with a column of type ``dtype``."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if dtype is None:
        return isinstance(value, int | float | str)
    if dtype.is_string():
        return _clean_text(value)
    if dtype.is_integer():
        return isinstance(value, int) and _INT64[0] <= value <= _INT64[1]
    if dtype.is_floating():
        if isinstance(value, int):
            return _INT64[0] <= value <= _INT64[1]
        return isinstance(value, float) and math.isfinite(value)
    return False


# -- a page -------------------------------------------------------------------------------------
def page_query(
    t: ir.Table,
    sort: str,
    order: str,
    limit: int | None,
    cursor: str | None,
    columns: Sequence[str] | None,
) -> ir.Table:
    """The query of one page of the (filtered) creators ``t``: the requested columns plus
    ``creator_id`` and ``_sort_key``, one row more than ``limit`` to tell whether a next page
    exists."""
    check_sort(t, sort, order)
    if limit is not None and limit < 1:
        raise OptionError(f"limit {limit}: at least 1 (or none for every row)")
    wanted = list(t.columns) if columns is None else list(dict.fromkeys(columns))
    unknown = [c for c in wanted if c not in t.columns]
    if unknown:
        raise UnknownColumnError(f"unknown column(s) {', '.join(unknown)}")
    q = ordered(t, sort, order)
    if cursor:
        value, creator_id = decode_cursor(cursor, sort, order, t.schema()[sort])
        q = after(q, order, value, creator_id)
    extra = [c for c in ("creator_id", SORT_KEY) if c not in wanted]
    q = q.select(*wanted, *extra)
    return q if limit is None else q.limit(limit + 1)


def make_page(
    fetched: pa.Table, columns: Sequence[str] | None, sort: str, order: Order, limit: int | None,
    total: int | None,
) -> Page:  # fmt: skip
    """The Page of the rows ``page_query`` fetched: at most ``limit`` rows, the next cursor
    from the last one shown when more follow, and only the requested columns."""
    next_cursor = None
    if limit is not None and fetched.num_rows > limit:
        fetched = fetched.slice(0, limit)
        last = fetched.slice(limit - 1, 1).select(["creator_id", SORT_KEY]).to_pylist()[0]
        next_cursor = encode_cursor(last[SORT_KEY], last["creator_id"], sort, order)
    if columns is None:
        keep = [c for c in fetched.column_names if c != SORT_KEY]
    else:
        keep = list(dict.fromkeys(columns))
    return Page(fetched.select(keep), next_cursor, sort, order, total)
