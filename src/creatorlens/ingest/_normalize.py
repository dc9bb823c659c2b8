"""Turn a batch of raw rows into workspace rows: creators, posts, snapshots, and the rejects.

The rules (each documented in docs/ingest.md):
- a row is loaded or quarantined, never dropped; a quarantined row has a reason and a column;
- a cell that does not parse becomes null in a loaded row and its reason goes to ``value_notes``;
- a numeric column whose values are mostly text is not loaded at all (a shifted header), with a
  warning, rather than silently filling a field with nulls.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from creatorlens.data import load_toml
from creatorlens.errors import IngestError as IngestError
from creatorlens.ingest._countries import COUNTRY_FIELDS, country_code
from creatorlens.ingest._dates import parse_datetime, parse_duration_seconds
from creatorlens.ingest._files import RawBatch, Reject
from creatorlens.ingest._mapping import (
    MULTI_FIELDS,
    NUMERIC_FIELDS,
    ColumnMapping,
    handle_likeness,
)
from creatorlens.ingest._numbers import MAX_COUNT, parse_count, parse_number_array, short
from creatorlens.store import PLATFORMS, creator_id

#: Share of non-empty cells that must fail to parse before a numeric column counts as misplaced.
MISPLACED_COLUMN_SHARE = 0.5
_COUNT_FIELDS = ("followers", "following", "posts_count", "views", "likes", "comments", "shares",
                 "saves", "reach", "likes_total", "comments_total", "views_total")  # fmt: skip
_HASHTAG = re.compile(r"#([^\s#@.,!?;:()\[\]{}\"'’]+)")
_MENTION = re.compile(r"@([A-Za-z0-9._]{1,40})")
_SPLIT_TAGS = re.compile(r"[\s,#;|]+")
#: Fields that per-account arrays (InstaFake) give one value per post for.
_PER_POST_ARRAY_FIELDS = ("likes", "comments", "views", "shares", "posted_at", "saves")
_URL_ID = re.compile(r"/(?:video|p|reel|shorts|watch\?v=)/?([A-Za-z0-9_-]+)")


@dataclass
class Context:
    file: str
    ingest_id: str
    platform: str | None
    observed_at: datetime
    file_stem: str


@dataclass
class Normalized:
    creators: pa.Table | None = None
    posts: pa.Table | None = None
    snapshots: pa.Table | None = None
    audience: pa.Table | None = None
    comments: pa.Table | None = None
    quarantine: list[Reject] = field(default_factory=list)
    notes: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    #: Loaded rows without an observation time of their own (dated by ``Context.observed_at``).
    rows_dated_by_context: int = 0


@cache
def _value_synonyms() -> dict[str, dict[str, str]]:
    doc = load_toml("value_synonyms.toml")
    return {
        section: {v.lower(): key for key, values in doc[section].items() for v in values}
        for section in ("platform", "kind", "boolean")
    }


def platform_from_name(name: str) -> str | None:
    lowered = name.lower()
    found = [p for p in PLATFORMS if p in lowered]
    return found[0] if len(found) == 1 else None


_Reject = Callable[..., None]


def _reject_unknown_platforms(
    platform: Sequence[str | None], values: Mapping[str, Any], ctx: Context, reject: _Reject
) -> None:
    """Rows whose platform column names no platform go to quarantine; a file with no platform
    column and no --platform cannot be read at all."""
    bad_platform = np.array([p is None for p in platform])
    if not bad_platform.any():
        return
    if "platform" not in values:
        raise IngestError(
            f"{ctx.file}: cannot tell which platform this file is from; pass --platform "
            f"({'|'.join(PLATFORMS)}) or add a platform column"
        )
    reject(
        bad_platform,
        f"platform is not one of {', '.join(PLATFORMS)}",
        "platform",
        values["platform"],
    )


def _reject_bad_handles(handles: Sequence[str], column: str, reject: _Reject) -> None:
    reject(np.array([not h for h in handles]), "no creator handle", column)
    invalid = np.array([bool(h) and (h.strip("=-_.#* ") == "") for h in handles])
    reject(invalid, "handle is not an account name (separator or decoration line)", column, handles)


def normalize(batch: RawBatch, mapping: ColumnMapping, ctx: Context) -> Normalized:
    out = Normalized(quarantine=list(batch.rejects))
    table = batch.table
    n = table.num_rows
    out.rows_read = n + len(batch.rejects)
    if n == 0:
        return out
    rows = np.asarray(batch.rows, dtype=np.int64)
    # Arrays in count columns are one value per post only in files without post ids (InstaFake's
    # mediaLikeNumbers); next to a post id, a list where one number belongs is a bad cell.
    per_post_arrays = not (mapping.has("platform_post_id") or mapping.has("post_url"))
    table = _lists_as_text(table, mapping, _PER_POST_ARRAY_FIELDS if per_post_arrays else ())
    values = _field_values(table, mapping, rows, out, ctx)
    _unmeasured_zero_averages(values, mapping, rows, out)
    keep = np.ones(n, dtype=bool)

    def reject(
        mask: np.ndarray, reason: str, column: str = "", raw: Sequence[Any] | None = None
    ) -> None:
        for i in np.flatnonzero(mask & keep).tolist():
            out.quarantine.append(
                Reject(int(rows[i]), reason, "" if raw is None else str(raw[i] or ""), column)
            )
        keep[mask] = False

    reject(_blank_rows(table), "blank row")

    platform = _platforms(values.get("platform"), ctx, n)
    _reject_unknown_platforms(platform, values, ctx, reject)

    handles = _handles(table, values, mapping, ctx, rows)
    if mapping.has("handle"):
        _reject_bad_handles(handles, mapping.columns["handle"][0], reject)
    creator_ids = _creator_ids(platform, handles)

    observed, undated = _observed(values.get("observed_at"), ctx, n)

    exploded = _list_columns(table, mapping) if per_post_arrays else {}
    if exploded:
        _reject_ragged_arrays(table, exploded, reject)
    is_post_level = mapping.is_post_level and batch.kind != "creators"
    post_ids: list[str | None] = [None] * n
    if is_post_level and not exploded:
        post_ids = _post_ids(values, mapping, platform, handles, rows, ctx, n)
        missing_id = np.array([p is None for p in post_ids])
        reject(missing_id, "no post id", (mapping.columns.get("platform_post_id") or [""])[0])
        _reject_duplicates(post_ids, rows, keep, out, "post id")
    elif not is_post_level:
        _reject_duplicates(creator_ids, rows, keep, out, "creator")

    out.rows_loaded = int(keep.sum())
    out.rows_dated_by_context = int((undated & keep).sum())
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return out
    extra = (
        [values["extra"][i] for i in idx] if "extra" in values else _extra_json(table, mapping, idx)
    )

    every = idx.size == n  # no row quarantined: columns are taken whole

    def col(name: str) -> list[Any]:
        v = values.get(name)
        kept: list[Any] = [None] * idx.size if v is None else _pick(v, idx, every)
        return kept

    creators: dict[str, Any] = {
        "creator_id": _pick(creator_ids, idx, every),
        "platform": _pick(platform, idx, every),
        "handle": [h.strip().lstrip("@") for h in _pick(handles, idx, every)],
        "observed_at": _pick(observed, idx, every),
        "source_file": [ctx.file] * idx.size,
    }
    for name in ("display_name", "platform_id", "bio", "followers", "following", "posts_count",
                 "verified", "country", "language", "categories", "avg_views_reported",
                 "avg_likes_reported", "avg_comments_reported", "avg_shares_reported",
                 "avg_engagement_reported"):  # fmt: skip
        creators[name] = col(name)
    creator_extra = _merge_extra(
        extra if not is_post_level else [None] * idx.size,
        {
            k: col(k)
            for k in ("authentic_engagement_reported", "audience_top_country")
            if k in values
        },
    )
    creators["extra"] = creator_extra
    if batch.kind == "posts":
        # An API post payload says who posted but not the creator's profile: only ensure the row exists.
        for name in list(creators):
            if name not in ("creator_id", "platform", "handle", "source_file"):
                creators[name] = [None] * idx.size
    out.creators = pa.table(creators)
    views = [None] * idx.size if batch.kind == "posts" else col("views_total")
    out.snapshots = _follower_snapshots(out.creators, _int64(views), ctx.file)
    if is_post_level:
        out.posts = (
            _exploded_posts(table, mapping, exploded, idx, creators, ctx, rows, out)
            if exploded
            else _posts(values, idx, creators, post_ids, platform, observed, extra, ctx)
        )
    return out


def _creator_ids(platform: Sequence[str | None], handles: Sequence[str]) -> list[str | None]:
    """Each row's creator id (None without platform or handle), computed once per creator."""
    ids: dict[tuple[str | None, str], str | None] = {}
    out = []
    for p, h in zip(platform, handles, strict=True):
        key = (p, h)
        if key not in ids:
            ids[key] = creator_id(p, h) if p and h else None
        out.append(ids[key])
    return out


def _pick(values: Any, idx: np.ndarray, every: bool) -> Any:
    """The kept rows' values of a list or Arrow array (itself when every row is kept)."""
    if every:
        return values
    if isinstance(values, pa.Array):
        return values.take(pa.array(idx))
    return [values[i] for i in idx]


def _observed(stated: pa.Array | None, ctx: Context, n: int) -> tuple[pa.Array, np.ndarray]:
    """Each row's observation time (the context's where the row states none) and which rows
    state none."""
    if stated is None:
        return pa.array([ctx.observed_at] * n, pa.timestamp("us")), np.ones(n, dtype=bool)
    undated = pc.is_null(stated).to_numpy(zero_copy_only=False)
    return pc.fill_null(stated, pa.scalar(ctx.observed_at, pa.timestamp("us"))), undated


def _follower_snapshots(
    creators: pa.Table, views: pa.Array, source_file: str
) -> pa.Table | None:
    """One snapshot per creator row that states its followers (None when none does), with the
    account's total views where the row states them (``views``; null: unknown). A row with views
    but no followers (a YouTube channel hiding its subscriber count) adds no snapshot: every
    reader of the snapshots counts on their followers."""
    keep = pc.is_valid(creators.column("followers"))
    count = pc.sum(keep).as_py() or 0
    if not count:
        return None
    columns = ["creator_id", "observed_at", "followers", "following", "posts_count"]
    data = creators.select(columns).append_column("views", views).filter(keep)
    data = data.append_column("source_file", pa.array([source_file] * count, pa.string()))
    return data.select([*columns, "source_file", "views"])


def _int64(values: Any) -> pa.Array:
    """A count field's values (a list or an Arrow array) as int64."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return pc.cast(values, pa.int64())
    return pa.array(values, pa.int64())


# -- field extraction ----------------------------------------------------------------------------
def _present(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    return True


#: What ``str.strip()`` strips (every character ``str.isspace`` accepts), for Arrow's ``utf8_trim``.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Timestamps Arrow parses exactly as ``datetime.fromisoformat`` does (the fast path; every other
#: cell goes through ``parse_datetime`` one distinct value at a time).
_ISO_PLAIN = r"^(?:19|20)\d\d-\d\d-\d\d(?:[ T]\d\d:\d\d:\d\d)?$"


def _memo(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` computed once per distinct value of a column (a Python value's type is part of the
    key, so that ``1``, ``1.0`` and ``True`` stay apart)."""
    cache: dict[Any, Any] = {}

    def get(value: Any) -> Any:
        key = value if type(value) is str or value is None else (type(value), value)
        try:
            return cache[key]
        except KeyError:
            result = cache[key] = fn(value)
            return result

    return get


def _stripped(column: pa.ChunkedArray | pa.Array) -> pa.Array | None:
    """A text column as ``_coalesce_text`` reads it: stripped, null where blank; None when the
    column is not text (numbers, lists: read cell by cell)."""
    if not pa.types.is_string(column.type):
        return None
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    trimmed = pc.utf8_trim(array, characters=_WHITESPACE)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _coalesce_array(table: pa.Table, columns: Sequence[str]) -> pa.Array | None:
    """``_coalesce_text`` on whole Arrow columns, when every column is text (else None)."""
    merged: pa.Array | None = None
    for column in columns:
        text = _stripped(table.column(column))
        if text is None:
            return None
        merged = text if merged is None else pc.coalesce(merged, text)
    return merged


def _datetime_values(
    table: pa.Table,
    columns: Sequence[str],
    rows: np.ndarray,
    out: Normalized,
    ctx: Context,
) -> pa.Array:
    """A timestamp field: plain ISO cells parsed by Arrow on the whole column, every other cell by
    ``parse_datetime`` (once per distinct text), whose reason goes to the notes when it fails."""
    text = _coalesce_array(table, columns)
    stamp = pa.timestamp("us")
    if text is None:
        raw_values = _coalesce_text(table, columns)
        todo: list[int] = list(range(len(raw_values)))
        good: pa.Array = pa.nulls(len(raw_values), stamp)
    else:
        plain = pc.fill_null(pc.match_substring_regex(text, _ISO_PLAIN), False)
        normal = pc.replace_substring(pc.if_else(plain, text, pa.scalar(None, pa.string())), "T", " ")
        whole = pc.if_else(
            pc.equal(pc.utf8_length(normal), 10),
            pc.binary_join_element_wise(normal, "00:00:00", " "),
            normal,
        )
        stamps = pc.strptime(whole, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
        # strptime rolls 2023-02-29 over to March 1st: only values that print back as written count.
        exact = pc.fill_null(
            pc.equal(pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S"), whole), False
        )
        good = pc.if_else(exact, pc.cast(stamps, stamp), pa.scalar(None, stamp))
        rest = pc.and_(pc.invert(exact), pc.is_valid(text)).to_numpy(zero_copy_only=False)
        todo = np.flatnonzero(rest).tolist()
        raw_values = text.to_pylist() if todo else []
    if not todo:
        return good
    parse = _memo(lambda raw: parse_datetime(raw, observed_at=ctx.observed_at))
    found = []
    for i in todo:
        raw = raw_values[i]
        result = parse(raw)
        if result.value is None and result.reason not in (None, "missing", "blank"):
            out.notes.append(Reject(int(rows[i]), str(result.reason), str(raw), columns[0]))
        found.append(result.value)
    mask = np.zeros(len(good), dtype=bool)
    mask[todo] = True
    return pc.replace_with_mask(good, pa.array(mask), pa.array(found, type=stamp))


def _field_values(
    table: pa.Table, mapping: ColumnMapping, rows: np.ndarray, out: Normalized, ctx: Context
) -> dict[str, Any]:
    """Each field's values per row: lists, but timestamp fields as Arrow arrays."""
    values: dict[str, Any] = {}
    for field_name, columns in list(mapping.columns.items()):
        columns = [c for c in columns if not pa.types.is_list(table.column(c).type)]
        if not columns:
            continue
        if field_name in NUMERIC_FIELDS:
            values[field_name] = _numeric_field(table, field_name, columns, mapping, rows, out)
        elif field_name in MULTI_FIELDS:
            lists = [table.column(c).to_pylist() for c in columns]
            joined = []
            for parts in zip(*lists, strict=True):
                seen = [str(p).strip() for p in parts if _present(p)]
                joined.append("|".join(dict.fromkeys(seen)) or None)
            values[field_name] = joined
        elif field_name == "duration_s":
            duration = _memo(parse_duration_seconds)
            values[field_name] = [duration(v) for v in _coalesce_text(table, columns)]
        elif field_name in ("posted_at", "observed_at"):
            values[field_name] = _datetime_values(table, columns, rows, out, ctx)
        elif field_name in ("verified", "is_paid"):
            flag = _memo(_boolean)
            values[field_name] = [flag(raw) for raw in _coalesce_text(table, columns)]
        elif field_name in COUNTRY_FIELDS:
            values[field_name] = _country_field(table, columns, rows, out)
        else:
            values[field_name] = _coalesce_text(table, columns)
    return values


#: The per-post averages a ranking export reports for an account.
_REPORTED_AVERAGES = ("avg_views_reported", "avg_likes_reported", "avg_comments_reported",
                      "avg_shares_reported", "avg_engagement_reported")  # fmt: skip


def _unmeasured_zero_averages(
    values: dict[str, Any], mapping: ColumnMapping, rows: np.ndarray, out: Normalized
) -> None:
    """A row of an account with followers whose every reported average (two or more) is 0 states
    no measurement: a placeholder. The Dec 2022 Top-1000 YouTube export has "0,0,0" for SET India
    (147M subscribers; 23.6K views and 314 likes a video in June), which read as a 0% ER ranked at
    p0. Those cells become null with a note; one real zero beside other numbers (comments turned
    off on a children's channel) is kept."""
    present = [f for f in _REPORTED_AVERAGES if f in values]
    if len(present) < 2 or "followers" not in values:
        return
    followers = np.array(values["followers"], dtype=float)
    zero = np.ones(followers.size, dtype=bool)
    for name in present:
        zero &= np.array(values[name], dtype=float) == 0
    for i in np.flatnonzero(zero & (followers > 0)).tolist():
        why = (
            f"every reported average of the row is 0 ({', '.join(present)}) for an account with "
            f"{followers[i]:,.0f} followers: read as not measured, not as zero engagement"
        )
        for name in present:
            values[name][i] = None
            out.notes.append(Reject(int(rows[i]), why, "0", mapping.columns[name][0]))


def _country_field(
    table: pa.Table, columns: Sequence[str], rows: np.ndarray, out: Normalized
) -> list[str | None]:
    """A country field's cells as ISO alpha-2 codes; a cell that names no country is null with a
    note naming its row and column (``value_notes`` keeps the text)."""
    code = _memo(lambda v: country_code(str(v)) if v is not None else (None, None))
    found: list[str | None] = []
    for i, raw in enumerate(_coalesce_text(table, columns)):
        value, why = code(raw)
        found.append(value)
        if why is not None:
            column = next(
                (c for c in columns if _present(v := table.column(c)[i].as_py()) and str(v).strip() == raw),
                columns[0],
            )
            out.notes.append(Reject(int(rows[i]), why, str(raw), column))
    return found


def _boolean(raw: Any) -> bool | None:
    if raw is None:
        return None
    booleans = _value_synonyms()["boolean"]
    text = str(raw).strip().lower()
    return booleans.get(text) == "true" if text in booleans else None


def _count_present(column: pa.ChunkedArray) -> int:
    """Cells that hold something: not null and, for text, not blank (what ``_present`` says)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        filled = pc.not_equal(pc.utf8_trim_whitespace(column), "")
        present: int = pc.sum(pc.fill_null(filled, False)).as_py() or 0
        return present
    return len(column) - int(column.null_count)


def _numeric_field(
    table: pa.Table,
    field_name: str,
    columns: Sequence[str],
    mapping: ColumnMapping,
    rows: np.ndarray,
    out: Normalized,
) -> list[Any]:
    """Parse a numeric field's columns; the first column with a usable value wins per row.

    Runs on whole Arrow columns; only the cells that become null with a reason (or negative counts)
    are visited one by one, to record them.
    """
    is_count = field_name in _COUNT_FIELDS
    merged: pa.Array = pa.nulls(table.num_rows, pa.float64())
    for column in list(columns):
        parsed, reasons = parse_number_array(table.column(column))
        non_empty = _count_present(table.column(column))
        # Only text that is no number at all marks a shifted header (not NaN, 1e400 or "N/A").
        texts = sum(1 for r in reasons.values() if r.startswith("not a number:"))
        if non_empty >= 5 and texts / non_empty > MISPLACED_COLUMN_SHARE:
            mapping.drop(
                field_name,
                column,
                f"column {column!r} was mapped to {field_name} but "
                f"{texts / non_empty:.0%} of its values are not numbers; not loaded "
                "(a shifted or mislabelled header?) — its values are kept in 'extra'",
            )
            out.warnings.append(mapping.notes[-1])
            continue
        if is_count:
            negative = pc.fill_null(pc.less(parsed, 0), False)
            too_big = pc.fill_null(pc.greater_equal(parsed, float(MAX_COUNT)), False)
            out_of_range = pc.or_(negative, too_big)
            if pc.any(out_of_range).as_py():
                raw_column = table.column(column)
                first = pc.and_(out_of_range, pc.is_null(merged)).to_numpy(zero_copy_only=False)
                for i in np.flatnonzero(first).tolist():
                    v = parsed[i].as_py()
                    if v < 0:
                        why, shown = f"negative count {v:g} for {field_name}", str(v)
                    else:
                        raw = raw_column[i].as_py()
                        why = (
                            f"count {short(raw)} for {field_name} is not below 2^53, the largest "
                            "count stored exactly"
                        )
                        shown = str(raw)
                    out.notes.append(Reject(int(rows[i]), why, shown, column))
                parsed = pc.if_else(out_of_range, pa.scalar(None, pa.float64()), parsed)
        merged = pc.coalesce(merged, parsed)
        if reasons:
            raw_column = table.column(column)
            filled = pc.is_valid(merged).to_numpy(zero_copy_only=False)
            for row, reason in reasons.items():
                if not filled[row]:
                    out.notes.append(Reject(int(rows[row]), reason, str(raw_column[row].as_py()), column))
    if is_count:
        # Python's round() (half to even) then int, as a person would count "12.5K" followers.
        counts: list[Any] = pc.cast(pc.round(merged, round_mode="half_to_even"), pa.int64()).to_pylist()
        return counts
    amounts: list[Any] = merged.to_pylist()
    return amounts


def _coalesce_text(table: pa.Table, columns: Sequence[str]) -> list[Any]:
    """Per row, the first column's value that is present (text stripped), else None."""
    text = _coalesce_array(table, columns)
    if text is not None:
        values: list[Any] = text.to_pylist()
        return values
    merged: list[Any] = [None] * table.num_rows
    for column in columns:
        arr = table.column(column)
        if pa.types.is_list(arr.type):
            py = [None if v is None else " ".join(str(x) for x in v) for v in arr.to_pylist()]
        else:
            py = arr.to_pylist()
        for i, v in enumerate(py):
            if merged[i] is None and _present(v):
                merged[i] = v.strip() if isinstance(v, str) else v
    return merged


def _platforms(raw: list[Any] | None, ctx: Context, n: int) -> list[str | None]:
    if raw is None:
        return [ctx.platform] * n
    names = _value_synonyms()["platform"]
    name = _memo(lambda v: names.get(str(v).strip().lower(), None) if _present(v) else ctx.platform)
    return [name(v) for v in raw]


def _blank_rows(table: pa.Table) -> np.ndarray:
    filled = np.zeros(table.num_rows, dtype=bool)
    for column in table.columns:
        valid = pc.is_valid(column)
        if pa.types.is_string(column.type):
            valid = pc.and_(valid, pc.not_equal(pc.utf8_trim_whitespace(column), ""))
        filled |= pc.fill_null(valid, False).to_numpy(zero_copy_only=False)
    return ~filled


def _handles(
    table: pa.Table,
    values: dict[str, list[Any]],
    mapping: ColumnMapping,
    ctx: Context,
    rows: np.ndarray,
) -> list[str]:
    """The handle column; when headers disagree about which name column is the handle, the one
    whose values look like account names wins (ranking exports swap them between snapshots)."""
    if not mapping.has("handle"):
        return [f"{ctx.file_stem}-{int(r)}" for r in rows]
    candidates = list(mapping.columns["handle"])
    if len(candidates) > 1 or mapping.has("display_name"):
        pool = candidates + [
            c for c in mapping.columns.get("display_name", []) if c not in candidates
        ]
        columns = {c: _coalesce_text(table, [c]) for c in pool}
        best = max(pool, key=lambda c: (handle_likeness(columns[c]), c in candidates))
        if best != candidates[0]:
            rest = [c for c in pool if c != best]
            mapping.columns["handle"] = [best]
            mapping.columns["display_name"] = rest[:1]
            mapping.notes.append(
                f"column {best!r} holds account handles (its values look like handles); "
                f"{rest[0]!r} is taken as the display name"
            )
            values["display_name"] = columns[rest[0]] if rest else [None] * table.num_rows
            return [str(v) if _present(v) else "" for v in columns[best]]
        if len(candidates) > 1 and not mapping.has("display_name"):
            # Two name columns both read as "handle" (`Youtube channel`, `youtuber name`): the
            # second is the display name, not a spare handle to drop (MrBeast6000 / MrBeast).
            mapping.columns["handle"] = [best]
            mapping.columns["display_name"] = [candidates[1]]
            mapping.notes.append(
                f"column {best!r} holds account handles (its values look like handles); "
                f"{candidates[1]!r} is taken as the display name"
            )
            values["display_name"] = columns[candidates[1]]
            return [str(v).strip() if _present(v) else "" for v in columns[best]]
    handles = values.get("handle") or [None] * table.num_rows
    # Text from _coalesce_text is already stripped and never blank.
    return ["" if v is None else v if type(v) is str else str(v).strip() for v in handles]


def _lists_as_text(table: pa.Table, mapping: ColumnMapping, keep: Sequence[str]) -> pa.Table:
    """List-typed columns mapped to number fields (but ``keep``), as JSON text, so that each
    cell is null with its reason instead of the column being skipped."""
    for field_name, columns in mapping.columns.items():
        if field_name not in NUMERIC_FIELDS or field_name in keep:
            continue
        for c in columns:
            column = table.column(c)
            if pa.types.is_list(column.type):
                text = [None if v is None else json.dumps(_whole(v)) for v in column.to_pylist()]
                i = table.column_names.index(c)
                table = table.set_column(i, c, pa.array(text, type=pa.string()))
    return table


def _whole(values: list[Any]) -> list[Any]:
    """``[100.0, 200.0]`` back to ``[100, 200]`` as the file wrote it (JSON lists pass float64)."""
    return [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v for v in values]


def _reject_ragged_arrays(table: pa.Table, exploded: dict[str, str], reject: Any) -> None:
    """Accounts whose per-post arrays disagree in length cannot be split into posts (an array
    that is missing or null does not count)."""
    lengths = {
        c: pc.fill_null(pc.list_value_length(table.column(c)), -1).to_numpy(zero_copy_only=False)
        for c in dict.fromkeys(exploded.values())
    }
    first, *others = lengths
    for other in others:
        a, b = lengths[first], lengths[other]
        ragged = (a >= 0) & (b >= 0) & (a != b)
        if ragged.any():
            reject(ragged, f"per-post arrays {first!r} and {other!r} have different lengths", other)


def _list_columns(table: pa.Table, mapping: ColumnMapping) -> dict[str, str]:
    """Post fields given as per-row arrays (InstaFake's mediaLikeNumbers ...): field -> column."""
    found = {}
    for field_name, columns in mapping.columns.items():
        for c in columns:
            if pa.types.is_list(table.column(c).type) and field_name in _PER_POST_ARRAY_FIELDS:
                found[field_name] = c
    return found


def _post_ids(
    values: dict[str, list[Any]],
    mapping: ColumnMapping,
    platform: list[str | None],
    handles: list[str],
    rows: np.ndarray,
    ctx: Context,
    n: int,
) -> list[str | None]:
    if mapping.has("platform_post_id"):
        raw = values.get("platform_post_id", [None] * n)
        # Text from _coalesce_text is already stripped and never blank: only other values need cleaning.
        ids = [v if type(v) is str else _clean_id(v) for v in raw]
    elif mapping.has("post_url"):
        urls = values.get("post_url", [None] * n)
        ids = [
            (m.group(1) if (m := _URL_ID.search(str(u))) else None) if _present(u) else None
            for u in urls
        ]
    else:
        # The export has no post identity at all: the row's place in this file is its identity.
        return [
            f"{p}:{ctx.file_stem}#{int(r)}" if p else None
            for p, r in zip(platform, rows, strict=True)
        ]
    return [f"{p}:{i}" if p and i else None for p, i in zip(platform, ids, strict=True)]


def _clean_id(value: Any) -> str | None:
    if not _present(value):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


def _reject_duplicates(
    keys: list[str | None], rows: np.ndarray, keep: np.ndarray, out: Normalized, what: str
) -> None:
    present = pa.array(keys, pa.string()).filter(pa.array(keep))
    if pc.count_distinct(present).as_py() == len(present) - present.null_count:
        return  # no key twice among the kept rows: nothing to quarantine
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key is None or not keep[i]:
            continue
        if key in first:
            out.quarantine.append(
                Reject(int(rows[i]), f"duplicate {what} (same as row {first[key]})", key)
            )
            keep[i] = False
        else:
            first[key] = int(rows[i])


def _extra_json(table: pa.Table, mapping: ColumnMapping, idx: np.ndarray) -> list[str | None]:
    if not mapping.unmapped:
        return [None] * idx.size
    cols = {c: table.column(c).take(pa.array(idx)).to_pylist() for c in mapping.unmapped}
    out = []
    for j in range(idx.size):
        rec = {c.strip(): v[j] for c, v in cols.items() if _present(v[j])}
        out.append(json.dumps(rec, ensure_ascii=False, default=str) if rec else None)
    return out


def _merge_extra(base: list[str | None], more: dict[str, list[Any]]) -> list[str | None]:
    if not more:
        return base
    out = []
    for j, text in enumerate(base):
        rec = json.loads(text) if text else {}
        for key, vals in more.items():
            if vals[j] is not None:
                rec[key] = vals[j]
        out.append(json.dumps(rec, ensure_ascii=False, default=str) if rec else None)
    return out


# -- posts ---------------------------------------------------------------------------------------
def _tags(raw: Any) -> str | None:
    if not _present(raw):
        return None
    parts = [p for p in _SPLIT_TAGS.split(str(raw)) if p]
    return " ".join(dict.fromkeys(parts)) or None


def _tag_lists(given: list[Any], captions: list[Any], pattern: re.Pattern[str]) -> list[str | None]:
    """Tags from their own column, else found in the caption (each distinct text parsed once)."""
    own = _memo(_tags)
    found = _memo(lambda c: _tags(" ".join(pattern.findall(c))) if _present(c) else None)
    return [own(h) if _present(h) else found(c) for h, c in zip(given, captions, strict=True)]


def _kind(raw: Any, platform: str | None, duration: float | None) -> str | None:
    if _present(raw):
        return _value_synonyms()["kind"].get(str(raw).strip().lower())
    if platform == "tiktok":
        return "video"
    return None


def _posts(
    values: dict[str, list[Any]],
    idx: np.ndarray,
    creators: dict[str, Any],
    post_ids: list[str | None],
    platform: list[str | None],
    observed: pa.Array,
    extra: list[str | None],
    ctx: Context,
) -> pa.Table:
    def col(name: str) -> list[Any]:
        v = values.get(name)
        return [None] * idx.size if v is None else [v[i] for i in idx]

    captions = col("caption")
    hashtags = _tag_lists(col("hashtags"), captions, _HASHTAG)
    mentions = _tag_lists(col("mentions"), captions, _MENTION)
    every = idx.size == len(observed)
    taken = None if every else pa.array(idx)
    obs = observed if taken is None else observed.take(taken)
    stated: pa.Array | None = values.get("posted_at")
    posted: pa.Array = (
        pa.nulls(idx.size, pa.timestamp("us"))
        if stated is None
        else stated if taken is None else stated.take(taken)
    )
    if "post_age" in values:
        ages = col("post_age")
        times, obs_times = posted.to_pylist(), obs.to_pylist()
        for j, (p, a) in enumerate(zip(times, ages, strict=True)):
            if p is None and _present(a):
                # Exports that only say "time since posted" usually dropped the unit: hours (docs/ingest.md).
                times[j] = parse_datetime(a, observed_at=obs_times[j], bare_number_unit="hours").value
        posted = pa.array(times, type=pa.timestamp("us"))
    durations = col("duration_s")
    known: dict[tuple[Any, ...], str | None] = {}
    kinds = []
    for k, i in zip(col("kind"), idx.tolist(), strict=True):
        key = (type(k), k, platform[i])  # the type keeps 1 and True apart
        if key not in known:
            known[key] = _kind(k, platform[i], None)
        kinds.append(known[key])
    kept_ids = post_ids if idx.size == len(post_ids) else [post_ids[i] for i in idx]
    return pa.table(
        {
            "post_id": kept_ids,
            "creator_id": creators["creator_id"],
            "platform": creators["platform"],
            "platform_post_id": [str(p).split(":", 1)[1] for p in kept_ids],
            "posted_at": posted,
            "kind": kinds,
            "title": col("title"),
            "caption": captions,
            "hashtags": hashtags,
            "mentions": mentions,
            "duration_s": pa.array(durations, type=pa.float64()),
            "views": col("views"),
            "likes": col("likes"),
            "comments": col("comments"),
            "shares": col("shares"),
            "saves": col("saves"),
            "reach": col("reach"),
            "likes_total": col("likes_total"),
            "comments_total": col("comments_total"),
            "is_paid": col("is_paid"),
            "transcript": col("transcript"),
            "on_image_text": col("on_image_text"),
            "observed_at": obs,
            "source_file": [ctx.file] * idx.size,
            "extra": extra,
        }
    )


def _exploded_posts(
    table: pa.Table,
    mapping: ColumnMapping,
    exploded: dict[str, str],
    idx: np.ndarray,
    creators: dict[str, Any],
    ctx: Context,
    rows: np.ndarray,
    out: Normalized,
) -> pa.Table:
    """One post per array element of per-account arrays (e.g. InstaFake's mediaLikeNumbers)."""
    kept = table.take(pa.array(idx))
    arrays = {name: kept.column(column).to_pylist() for name, column in exploded.items()}
    # An account's post count is its longest array; a missing array is that many unknowns
    # (accounts whose arrays disagree were quarantined by _reject_ragged_arrays).
    lengths = [max(len(a[i] or []) for a in arrays.values()) for i in range(kept.num_rows)]
    parents = np.repeat(np.arange(kept.num_rows), lengths).astype(np.int64)
    positions = np.concatenate([np.arange(n) for n in lengths]) if lengths else np.array([], np.int64)
    flat: dict[str, Any] = {
        name: [x for i, v in enumerate(values) for x in (v if v is not None else [None] * lengths[i])]
        for name, values in arrays.items()
    }
    creator_ids = [creators["creator_id"][p] for p in parents]
    platforms = [creators["platform"][p] for p in parents]
    posted = [
        parse_datetime(v).value if v is not None else None
        for v in flat.get("posted_at", [None] * len(parents))
    ]

    source_rows = rows[idx]

    def counts(name: str) -> list[int | None]:
        values: list[int | None] = []
        for parent, pos, v in zip(parents, positions, flat.get(name, [None] * len(parents)), strict=True):
            parsed = parse_count(v)
            if parsed.value is None and parsed.reason:
                where = f"{exploded[name]}[{int(pos)}]"
                out.notes.append(Reject(int(source_rows[parent]), parsed.reason, str(v), where))
            values.append(None if parsed.value is None else int(parsed.value))
        return values

    return pa.table(
        {
            "post_id": [
                f"{c}#{int(pos) + 1}" for c, pos in zip(creator_ids, positions, strict=True)
            ],
            "creator_id": creator_ids,
            "platform": platforms,
            "platform_post_id": [
                f"{c.split(':', 1)[1]}#{int(pos) + 1}"
                for c, pos in zip(creator_ids, positions, strict=True)
            ],
            "posted_at": pa.array(posted, type=pa.timestamp("us")),
            "views": counts("views"),
            "likes": counts("likes"),
            "comments": counts("comments"),
            "shares": counts("shares"),
            "saves": counts("saves"),
            "observed_at": pc.take(
                pa.array(creators["observed_at"], pa.timestamp("us")), pa.array(parents, pa.int64())
            ),
            "source_file": [ctx.file] * len(parents),
        }
    )


def file_stem(path: Path) -> str:
    return re.sub(r"[^0-9A-Za-z가-힣_-]+", "_", path.stem).strip("_").lower() or "file"
