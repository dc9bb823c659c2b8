"""Edges files (``ingest --kind edges``): one row per edge of the interaction graph.

Columns are recognised by ``data/edge_columns.csv`` (a user adds to it with ``--map COLUMN=FIELD``);
every other column is kept in ``extra`` so nothing of a row is lost. A row without a source or a
target, with a weight that is not a number >= 0, a time that does not parse or a platform
creatorlens does not know is quarantined with its file, row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from creatorlens.ingest._dates import parse_datetime
from creatorlens.ingest._files import RawBatch, Reject
from creatorlens.ingest._mapping import ColumnMapping, normalise, synonym_table
from creatorlens.ingest._normalize import Context
from creatorlens.ingest._numbers import parse_number, short
from creatorlens.store import EDGES, PLATFORMS, creator_id

EDGE_FIELDS = ("source", "target", "kind", "weight", "time", "platform")
#: The kinds docs/communities.md defines; another value is kept as written (lowercased).
KNOWN_KINDS = ("follow", "comment", "reply", "mention", "collaboration", "interaction")
DEFAULT_KIND = "interaction"
_SPACE = re.compile(r"\s+")


def edge_synonyms() -> dict[str, str]:
    """normalised column name -> edge field (data/edge_columns.csv)."""
    return synonym_table("edge_columns.csv")


def map_edge_columns(columns: Sequence[str], user_map: Mapping[str, str] | None = None) -> ColumnMapping:
    """The edge field of each column: the first column found for a field feeds it."""
    user_map = dict(user_map or {})
    user_norm = {normalise(k): v for k, v in user_map.items()}
    mapping = ColumnMapping()
    table = edge_synonyms()
    for col in columns:
        base = re.sub(r"\.\d+$", "", col)
        target = user_map.get(col) or user_map.get(base) or user_norm.get(normalise(base))
        target = target or table.get(normalise(base))
        if target not in EDGE_FIELDS or mapping.has(target):
            mapping.unmapped.append(col)
            continue
        mapping.columns[target] = [col]
    return mapping


def looks_like_edge_list(columns: Sequence[str], creator_mapping: ColumnMapping) -> bool:
    """Whether a file offered as a creator/post export is an edge list: its columns name a source
    and a target, and every column the creator mapping would use is one of the edge columns (or
    a kind/platform), so loading it as creators would invent a creator per row."""
    edges = map_edge_columns(columns)
    if not (edges.has("source") and edges.has("target")):
        return False
    edge_columns = {c for cols in edges.columns.values() for c in cols}
    used = {c for cols in creator_mapping.columns.values() for c in cols}
    return used <= edge_columns


@dataclass
class EdgeBatch:
    edges: pa.Table
    rows_read: int
    quarantine: list[Reject] = field(default_factory=list)


def _handle(raw: Any) -> str | None:
    if raw is None:
        return None
    text = _SPACE.sub(" ", str(raw)).strip()
    return text.lstrip("@").strip() or None


def _edge_row(rec: dict[str, Any], row: int, mapping: ColumnMapping, ctx: Context) -> dict[str, Any] | Reject:
    """One input row as an edge, or the reason it is quarantined."""

    def cell(name: str) -> Any:
        cols = mapping.columns.get(name)
        return rec.get(cols[0]) if cols else None

    values: dict[str, Any] = {}
    for end in ("source", "target"):
        handle = _handle(cell(end))
        if handle is None:
            col = (mapping.columns.get(end) or [end])[0]
            return Reject(row, f"edge without a {end}", "", col)
        values[end] = handle
    platform_raw = cell("platform")
    platform = str(platform_raw).strip().lower() if platform_raw not in (None, "") else ctx.platform
    if platform is None:
        return Reject(row, "no platform: pass --platform or add a platform column", "", "platform")
    if platform not in PLATFORMS:
        return Reject(
            row, f"unknown platform; choose one of {', '.join(PLATFORMS)}", short(platform_raw),
            (mapping.columns.get("platform") or ["platform"])[0],
        )  # fmt: skip
    weight_raw = cell("weight")
    weight = 1.0
    if weight_raw is not None and str(weight_raw).strip() != "":
        parsed = parse_number(weight_raw, percent_as_fraction=False)
        if parsed.value is None or not parsed.value >= 0:
            why = parsed.reason or "weight must be a number >= 0"
            return Reject(row, why, short(weight_raw), mapping.columns["weight"][0])
        weight = float(parsed.value)
    time_raw = cell("time")
    when = None
    if time_raw is not None and str(time_raw).strip() != "":
        parsed_time = parse_datetime(time_raw)
        if parsed_time.value is None:
            why = f"time: {parsed_time.reason or 'does not parse'}"
            return Reject(row, why, short(time_raw), mapping.columns["time"][0])
        when = parsed_time.value
    kind_raw = cell("kind")
    kind = _SPACE.sub(" ", str(kind_raw)).strip().lower() if kind_raw is not None else ""
    extra = {c: _jsonable(rec.get(c)) for c in mapping.unmapped if rec.get(c) not in (None, "")}
    return {
        "platform": platform,
        "source": values["source"],
        "target": values["target"],
        "source_id": creator_id(platform, values["source"]),
        "target_id": creator_id(platform, values["target"]),
        "kind": kind or DEFAULT_KIND,
        "weight": weight,
        "time": when,
        "ingest_id": ctx.ingest_id,
        "source_file": ctx.file,
        "row": row,
        "extra": json.dumps(extra, ensure_ascii=False, default=str) if extra else None,
    }


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else str(value)


def normalize_edges(batch: RawBatch, mapping: ColumnMapping, ctx: Context) -> EdgeBatch:
    """The edges of one raw batch and the rows it quarantines (read = loaded + quarantined)."""
    out: list[dict[str, Any]] = []
    rejects = list(batch.rejects)
    for rec, row in zip(batch.table.to_pylist(), batch.rows, strict=True):
        edge = _edge_row(rec, row, mapping, ctx)
        if isinstance(edge, Reject):
            rejects.append(edge)
        else:
            out.append(edge)
    table = pa.Table.from_pylist(out, schema=EDGES.arrow_schema()) if out else EDGES.empty()
    return EdgeBatch(table, batch.table.num_rows + len(batch.rejects), rejects)


__all__ = [
    "DEFAULT_KIND",
    "EDGE_FIELDS",
    "KNOWN_KINDS",
    "EdgeBatch",
    "edge_synonyms",
    "looks_like_edge_list",
    "map_edge_columns",
    "normalize_edges",
]
