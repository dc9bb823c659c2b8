"""Ingest files into a workspace: read, map, normalise, and write each file in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from creatorlens.errors import OptionError
from creatorlens.ingest._decode import check_encoding
from creatorlens.ingest._edges import looks_like_edge_list, map_edge_columns, normalize_edges
from creatorlens.ingest._files import RawBatch, Reject, Source, SourceError, open_source
from creatorlens.ingest._identity import apply_aliases, link_identities
from creatorlens.ingest._mapping import ColumnMapping, map_columns
from creatorlens.ingest._normalize import (
    Context,
    Normalized,
    file_stem,
    normalize,
    platform_from_name,
)
from creatorlens.store import (
    AUDIENCE,
    COMMENTS,
    CREATORS,
    EDGES,
    FOLLOWER_SNAPSHOTS,
    INGESTS,
    PLATFORMS,
    POSTS,
    QUARANTINE,
    VALUE_NOTES,
    Store,
    creator_id,
)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_YEAR = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s_.\-]*(20\d\d)", re.I
)
_ISO_DATE = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")

ProgressFactory = Callable[[Path, int], Callable[[int], None]]

#: What a file holds: creator/post exports and API payloads (the default), or graph edges.
INGEST_KINDS = ("rows", "edges")


@dataclass
class FileReport:
    """What happened to one file. ``rows_read == rows_loaded + rows_quarantined`` always."""

    file: str
    format: str = ""
    api: str | None = None
    platform: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    creators: int = 0
    posts: int = 0
    snapshots: int = 0
    #: Edges loaded (``kind="edges"`` files).
    edges: int = 0
    null_cells: int = 0
    already_ingested: bool = False
    observed_at: datetime | None = None
    #: Loaded rows whose data holds no observation time: dated by ``observed_at`` above.
    rows_without_date: int = 0
    #: Text encoding the file was read in (None for Parquet/Excel) and how it was chosen.
    encoding: str | None = None
    encoding_detected_by: str | None = None
    mapping: dict[str, list[str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    #: records found to be one creator and merged ("old_id -> new_id: reason: evidence")
    links: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    files: list[FileReport]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def observed_at_from_name(name: str) -> datetime | None:
    """ "... DEC 2022.csv" -> 2022-12-01; "export-2025-05-29.csv" -> 2025-05-29."""
    m = _ISO_DATE.search(name)
    if m:
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _MONTH_YEAR.search(name)
    if m:
        return datetime(int(m[2]), _MONTHS[m[1][:3].lower()], 1)
    return None


def ingest_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    platform: str | None = None,
    column_map: Mapping[str, str] | None = None,
    observed_at: datetime | None = None,
    handle: str | None = None,
    progress: ProgressFactory | None = None,
    encoding: str | None = None,
    display_name: str | None = None,
    kind: str = "rows",
) -> IngestReport:
    """``encoding`` forces the text encoding of every file; ``display_name`` names a single file
    in the report, the stored rows and messages instead of its path (an upload's own name).
    ``kind="edges"`` reads each file as an edge list of the interaction graph (table ``edges``)."""
    if kind not in INGEST_KINDS:
        raise OptionError(f"--kind {kind!r}: choose one of {', '.join(INGEST_KINDS)}")
    if platform is not None and platform not in PLATFORMS:
        raise SourceError(f"--platform {platform!r}: choose one of {', '.join(PLATFORMS)}")
    if encoding is not None:
        try:
            check_encoding(encoding)
        except ValueError as exc:
            raise SourceError(str(exc)) from exc
    if display_name is not None and len(paths) != 1:
        raise OptionError("display_name names one file; ingest the files one by one")
    reports = []
    for raw_path in paths:
        path = Path(raw_path)
        options = _Options(platform, dict(column_map or {}), observed_at, handle, encoding, kind)
        reports.append(_ingest_one(store, path, options, progress, display_name or str(path)))
    return IngestReport(reports)


@dataclass
class _Options:
    platform: str | None
    column_map: dict[str, str]
    observed_at: datetime | None
    handle: str | None
    encoding: str | None
    kind: str = "rows"


def _ingest_one(
    store: Store, path: Path, options: _Options, progress: ProgressFactory | None, label: str
) -> FileReport:
    platform, column_map, handle = options.platform, options.column_map, options.handle
    report = FileReport(file=label)
    if not path.is_file():
        raise SourceError(f"{label}: file not found" if not path.exists() else f"{label}: not a file")
    name = Path(label).name
    sha = file_sha256(path)
    found = store.exec(
        "SELECT rows_read, rows_loaded, rows_quarantined, creators, posts, format, platform, file, "
        "finished_at FROM ingests WHERE sha256 = ?",
        [sha],
    )
    done = found[0] if found else None
    if done:
        report.already_ingested = True
        (
            report.rows_read,
            report.rows_loaded,
            report.rows_quarantined,
            report.creators,
            report.posts,
        ) = (int(x or 0) for x in done[:5])
        report.format, report.platform = done[5] or "", done[6]
        earlier = f" as {Path(str(done[7])).name!r}" if Path(str(done[7])).name != name else ""
        on = f" on {done[8]:%Y-%m-%d %H:%M} UTC" if isinstance(done[8], datetime) else ""
        report.warnings.append(
            f"identical content was ingested{on}{earlier}; nothing changed (the counts are "
            "that ingest's)"
        )
        return report
    ingest_id = sha[:16]
    when = options.observed_at or observed_at_from_name(name)
    dated_by_file_time = when is None
    if when is None:
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    report.observed_at = when
    plat = platform or platform_from_name(name) or platform_from_name(Path(label).parent.name)
    callback = progress(path, path.stat().st_size) if progress else None
    source = open_source(
        path, handle=handle, progress=callback, encoding=options.encoding, label=label
    )
    report.format, report.api, report.limits = source.format, source.api, list(source.limits)
    if source.decoding is not None:
        report.encoding = source.decoding.name
        report.encoding_detected_by = source.decoding.how
    ctx = Context(label, ingest_id, plat, when, file_stem(Path(name)))
    started = datetime.now(UTC).replace(tzinfo=None)
    creator_ids: set[str] = set()
    post_ids: set[str] = set()
    with store.transaction():
        aliases = store.aliases()
        mapping: ColumnMapping | None = None
        for batch in source.batches:
            if options.kind == "edges":
                _write_edges(store, batch, ctx, report, column_map)
                continue
            if batch.premapped:
                batch_map = _identity_mapping(batch)
                if report.platform is None and "platform" in batch.table.column_names:
                    report.platform = batch.table.column("platform")[0].as_py()
            else:
                mapping = mapping or _export_mapping(batch, column_map, plat, label)
                batch_map = mapping
            if batch.kind in ("audience", "comments"):
                _write_side_table(store, batch, ctx, report, aliases)
                continue
            normalized = normalize(batch, batch_map, ctx)
            _write(store, normalized, ctx, report, creator_ids, post_ids, aliases)
        if mapping is not None:
            report.mapping = {k: list(v) for k, v in mapping.columns.items() if v}
            report.unmapped = [c.strip() for c in mapping.unmapped]
            report.warnings.extend(n for n in mapping.notes if n not in report.warnings)
        report.platform = report.platform or plat
        if source.records_read is not None:
            # One API record can yield several rows (a video and its author): count records.
            report.rows_read = source.records_read
            report.rows_loaded = report.rows_read - report.rows_quarantined
        if dated_by_file_time and report.rows_without_date:
            undated = min(report.rows_without_date, report.rows_loaded)
            report.warnings.insert(
                0,
                f"{undated:,} loaded {'row has' if undated == 1 else 'rows have'} no observation "
                f"date in the data or the file name; they are dated by the file's modification "
                f"time {when:%Y-%m-%d} (pass --observed-at to set it)"
                + (
                    "; post dates given as an age (\"time since posted\") count back from it too, "
                    "and posts younger than the scoring window's minimum age get no ER: on an "
                    "old export, set --observed-at to when it was exported"
                    if post_ids
                    else ""
                ),
            )
        report.creators, report.posts = len(creator_ids), len(post_ids)
        if creator_ids:
            links = link_identities(store, touched=creator_ids)
            report.links = [f"{x.alias} -> {x.target}: {x.reason}: {x.evidence}" for x in links]
            if links:
                report.warnings.append(
                    f"{len(links)} record(s) found to be one creator and merged (renamed handle or "
                    f"same platform id), e.g. {links[0].alias} -> {links[0].target}; "
                    "the evidence is in table creator_aliases"
                )
        store.insert_new(
            INGESTS,
            pa.table(
                {
                    "ingest_id": [ingest_id],
                    "file": [label],
                    "sha256": [sha],
                    "format": [report.format],
                    "platform": [report.platform],
                    "started_at": [started],
                    "finished_at": [datetime.now(UTC).replace(tzinfo=None)],
                    "rows_read": [report.rows_read],
                    "rows_loaded": [report.rows_loaded],
                    "rows_quarantined": [report.rows_quarantined],
                    "creators": [report.creators],
                    "posts": [report.posts],
                    "warnings": [json.dumps(report.warnings, ensure_ascii=False)],
                }
            ),
        )
    return report


def _export_mapping(
    batch: RawBatch, column_map: dict[str, str], platform: str | None, label: str
) -> ColumnMapping:
    """The mapping of a creator/post export; an edge list offered as one is refused (issue 16:
    loaded as an export it would invent a creator per row)."""
    columns = batch.table.column_names
    mapping = map_columns(columns, user_map=column_map, platform=platform)
    if not column_map and looks_like_edge_list(columns, mapping):
        raise SourceError(
            f"{label}: looks like an edge list, not a creator export; use --kind edges "
            f"(columns {', '.join(columns)} name a source and a target and nothing of a creator)"
        )
    return mapping


def _write_edges(
    store: Store, batch: RawBatch, ctx: Context, report: FileReport, column_map: dict[str, str]
) -> None:
    """One batch of an edges file: its edges into ``edges``, its bad rows into quarantine."""
    if batch.premapped:
        raise SourceError(f"{ctx.file}: an API payload is not an edges file; ingest it without --kind")
    mapping = map_edge_columns(batch.table.column_names, column_map)
    missing = [f for f in ("source", "target") if not mapping.has(f)]
    if missing:
        raise SourceError(
            f"{ctx.file}: no {' and no '.join(missing)} column in an edges file (columns "
            f"{', '.join(batch.table.column_names)}); name them source and target or pass "
            "--map COLUMN=source --map COLUMN=target"
        )
    if not report.mapping:
        report.mapping = {k: list(v) for k, v in mapping.columns.items()}
        report.unmapped = list(mapping.unmapped)
        if mapping.unmapped:
            report.warnings.append(
                f"column(s) {', '.join(mapping.unmapped)} kept in edges.extra (not an edge field)"
            )
    edges = normalize_edges(batch, mapping, ctx)
    report.rows_read += edges.rows_read
    report.rows_loaded += edges.edges.num_rows
    report.rows_quarantined += len(edges.quarantine)
    report.edges += edges.edges.num_rows
    if report.platform is None and edges.edges.num_rows:
        report.platform = edges.edges.column("platform")[0].as_py()
    store.insert_new(EDGES, edges.edges)
    store.insert_new(QUARANTINE, _rejects_table(edges.quarantine, ctx))


def _identity_mapping(batch: RawBatch) -> ColumnMapping:
    return ColumnMapping(
        columns={c: [c] for c in batch.table.column_names if c != "platform"}
        | ({"platform": ["platform"]} if "platform" in batch.table.column_names else {})
    )


def _write(
    store: Store,
    normalized: Normalized,
    ctx: Context,
    report: FileReport,
    creator_ids: set[str],
    post_ids: set[str],
    aliases: dict[str, str],
) -> None:
    if aliases:  # rows naming an old handle of a merged creator land on the creator
        if normalized.creators is not None:
            _widen_alias_spans(store, normalized.creators, aliases)
        normalized.creators, normalized.snapshots, normalized.posts = (
            None if t is None else apply_aliases(t, aliases)
            for t in (normalized.creators, normalized.snapshots, normalized.posts)
        )
    report.rows_read += normalized.rows_read
    report.rows_loaded += normalized.rows_loaded
    report.rows_quarantined += len(normalized.quarantine)
    report.null_cells += len(normalized.notes)
    report.rows_without_date += normalized.rows_dated_by_context
    report.warnings.extend(w for w in normalized.warnings if w not in report.warnings)
    if normalized.creators is not None:
        store.upsert_latest(CREATORS, normalized.creators)
        creator_ids.update(normalized.creators.column("creator_id").to_pylist())
    if normalized.snapshots is not None:
        # One export can list a creator on several rows at the same time: the last row wins, as
        # it does for the creator's current counts.
        store.upsert_latest(FOLLOWER_SNAPSHOTS, normalized.snapshots)
        report.snapshots += normalized.snapshots.num_rows
    if normalized.posts is not None:
        store.upsert_latest(POSTS, normalized.posts)
        post_ids.update(normalized.posts.column("post_id").to_pylist())
    store.insert_new(QUARANTINE, _rejects_table(normalized.quarantine, ctx))
    store.insert_new(VALUE_NOTES, _rejects_table(normalized.notes, ctx))


def _widen_alias_spans(store: Store, creators: pa.Table, aliases: dict[str, str]) -> None:
    """A file that still names an old handle extends the period that handle was seen."""
    seen: dict[str, list[datetime]] = {}
    for cid, when in zip(
        creators.column("creator_id").to_pylist(),
        creators.column("observed_at").to_pylist(),
        strict=True,
    ):
        if cid in aliases and when is not None:
            seen.setdefault(cid, []).append(when)
    for cid, times in seen.items():
        store.exec(
            "UPDATE creator_aliases SET first_seen = least(first_seen, ?), "
            "last_seen = greatest(last_seen, ?) WHERE alias_id = ?",
            [min(times), max(times), cid],
        )


def _rejects_table(rejects: list[Reject], ctx: Context) -> pa.Table:
    return pa.table(
        {
            "ingest_id": [ctx.ingest_id] * len(rejects),
            "file": [ctx.file] * len(rejects),
            "row": pa.array([r.row for r in rejects], type=pa.int64()),
            "column": [r.column or None for r in rejects],
            "value": [r.value or None for r in rejects],
            "reason": [r.reason for r in rejects],
        }
    )


def _write_side_table(
    store: Store, batch: RawBatch, ctx: Context, report: FileReport, aliases: dict[str, str]
) -> None:
    """Audience breakdowns and comments from API payloads (already in field names)."""
    table = batch.table
    rows = batch.rows
    report.rows_read += table.num_rows + len(batch.rejects)
    quarantine = list(batch.rejects)
    if batch.kind == "audience":
        keep, out = [], []
        for i, rec in enumerate(table.to_pylist()):
            share = rec.get("share")
            if not rec.get("handle") or share is None or not (0 <= float(share) <= 1):
                quarantine.append(
                    Reject(rows[i], "audience row needs a handle and a share in [0, 1]")
                )
                continue
            keep.append(i)
            platform = rec.get("platform") or ctx.platform
            out.append(
                {
                    "creator_id": creator_id(str(platform), str(rec["handle"])),
                    "dimension": rec.get("dimension"),
                    "bucket": rec.get("bucket"),
                    "share": float(share),
                    "source": rec.get("source") or "api",
                    "observed_at": ctx.observed_at,
                }
            )
        rows_out = apply_aliases(pa.Table.from_pylist(out), aliases) if out else AUDIENCE.empty()
        store.upsert_latest(AUDIENCE, rows_out)
        report.rows_loaded += len(keep)
        report.rows_without_date += len(keep)
    else:
        out = []
        for i, rec in enumerate(table.to_pylist()):
            if not rec.get("comment_id"):
                quarantine.append(Reject(rows[i], "comment without an id"))
                continue
            platform = rec.get("platform") or ctx.platform
            created = rec.get("created_at")
            out.append(
                {
                    "comment_id": f"{platform}:{rec['comment_id']}",
                    "post_id": f"{platform}:{rec['post_id']}" if rec.get("post_id") else None,
                    "author": rec.get("author"),
                    "text": rec.get("text"),
                    "created_at": _as_datetime(created),
                    "reply_to": f"{platform}:{rec['reply_to']}" if rec.get("reply_to") else None,
                    "source_file": ctx.file,
                }
            )
        store.insert_new(COMMENTS, pa.Table.from_pylist(out) if out else COMMENTS.empty())
        report.rows_loaded += len(out)
    report.rows_quarantined += len(quarantine)
    store.insert_new(QUARANTINE, _rejects_table(quarantine, ctx))


def _as_datetime(value: object) -> datetime | None:
    from creatorlens.ingest._dates import parse_datetime

    return parse_datetime(value).value if value is not None else None


__all__ = [
    "INGEST_KINDS",
    "FileReport",
    "IngestReport",
    "Source",
    "SourceError",
    "file_sha256",
    "ingest_files",
]
