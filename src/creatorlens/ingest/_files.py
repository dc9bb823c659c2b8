"""Read CSV, TSV, JSON, JSON Lines, Parquet and Excel files into batches of raw rows.

Every batch keeps the source's own row numbers (as a spreadsheet counts them: header = row 1; in
JSON the 1-based record index) so a quarantined row can be found in the file. Rows a reader cannot
even split into cells (wrong number of fields, a blank line) are returned as ``rejects`` instead of
being dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from creatorlens.errors import SourceError as SourceError
from creatorlens.ingest._decode import (
    ERRORS,
    Decoding,
    bad_surrogates,
    bad_text,
    bad_text_reason,
    detect_encoding,
    open_text,
    read_text,
    shown,
)

BATCH_ROWS = 100_000
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

Progress = Callable[[int], None]  # called with bytes (approximately) consumed so far


@dataclass
class Reject:
    row: int
    reason: str
    value: str = ""
    column: str = ""


@dataclass
class RawBatch:
    """Rows of one source as columns. ``rows`` holds each row's number in the source."""

    table: pa.Table
    rows: list[int]
    rejects: list[Reject] = field(default_factory=list)
    premapped: bool = False  # columns already carry creatorlens field names (API payloads)
    kind: str = "rows"  # rows | creators | posts | audience | comments (premapped payload parts)


@dataclass
class Source:
    path: Path
    format: str
    batches: Iterator[RawBatch]
    api: str | None = None
    limits: list[str] = field(default_factory=list)
    #: For API payloads, how many source records were read (one record may give a post and a creator).
    records_read: int | None = None
    #: How a text file was decoded (None for Parquet and Excel).
    decoding: Decoding | None = None


def detect_format(path: Path, label: str | None = None) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(
            f"{label or path}: unknown file format {path.suffix or '(no extension)'!r}; creatorlens reads "
            "CSV, TSV, JSON, JSON Lines, Parquet and Excel (.xlsx)"
        )
    return fmt


def open_source(
    path: Path,
    *,
    handle: str | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    label: str | None = None,
) -> Source:
    """``encoding`` forces the text encoding; ``label`` names the file in messages (an upload's
    own name rather than the server's temporary path)."""
    name = label or str(path)
    if not path.exists():
        raise SourceError(f"{name}: file not found")
    if path.is_dir():
        raise SourceError(f"{name}: is a folder; give the files inside it")
    fmt = detect_format(path, name)
    if fmt == "parquet":
        return Source(path, fmt, _checked(_read_parquet(path, progress, name)))
    if fmt == "xlsx":
        return Source(path, fmt, _checked(_read_xlsx(path, name)))
    try:
        decoding = detect_encoding(path, encoding)
    except ValueError as exc:
        raise SourceError(str(exc)) from exc
    if fmt in ("csv", "tsv"):
        return Source(path, fmt, _read_delimited(path, fmt, progress, decoding), decoding=decoding)
    source = _read_json(path, fmt, handle, decoding, name)
    source.decoding = decoding
    source.batches = _checked(source.batches)
    return source


def _bad_cells(cells: list[str], columns: list[str], encoding: str | None) -> Reject | None:
    """The first cell of a row that holds undecodable bytes or U+FFFD, as a reject."""
    for i, cell in enumerate(cells):
        if bad_text(cell):
            column = columns[i] if i < len(columns) else f"column_{i + 1}"
            return Reject(0, f"{column}: {bad_text_reason(cell, encoding)}", shown(cell), column)
    return None


def _checked(batches: Iterator[RawBatch]) -> Iterator[RawBatch]:
    """Rows whose text holds U+FFFD move to the rejects (Parquet, Excel and JSON after parsing)."""
    for batch in batches:
        table = batch.table
        bad = pa.array([False] * table.num_rows, type=pa.bool_())
        for name in table.column_names:
            column = table.column(name)
            if pa.types.is_list(column.type) and pa.types.is_string(column.type.value_type):
                if not pc.any(pc.match_substring(pc.list_flatten(column), "\ufffd")).as_py():
                    continue
                found = pa.array([bad_text(_text_of(v)) for v in column.to_pylist()])
            elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                found = pc.fill_null(pc.match_substring(column, "\ufffd"), False)
            else:
                continue
            bad = pc.or_(bad, found)
        if not pc.any(bad).as_py():
            yield batch
            continue
        rejects = list(batch.rejects)
        keep = []
        for i, (flag, record) in enumerate(zip(bad.to_pylist(), table.to_pylist(), strict=True)):
            reject = _bad_cells([_text_of(v) for v in record.values()], list(record), None)
            if not flag or reject is None:
                keep.append(i)
                continue
            reject.row = batch.rows[i]
            rejects.append(reject)
        yield RawBatch(
            table.take(pa.array(keep, type=pa.int64())),
            [batch.rows[i] for i in keep],
            rejects,
            batch.premapped,
            batch.kind,
        )


def _text_of(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


# -- delimited text ------------------------------------------------------------------------------
#: Files up to this size are read whole by Arrow's CSV reader (the columnar path); larger ones,
#: and any file the columnar path cannot read exactly as ``csv.reader`` does, row by row.
COLUMNAR_MAX_BYTES = 1 << 30
#: Bytes that make an empty line (a blank row to report) or that ``csv.reader`` treats apart (NUL).
_EMPTY_LINES = (b"\n\n", b"\n\r", b"\r\r", b"\x00")
_UTF8_CODECS = ("utf-8", "utf-8-sig")


def _read_delimited(
    path: Path, fmt: str, progress: Progress | None, decoding: Decoding
) -> Iterator[RawBatch]:
    csv.field_size_limit(sys.maxsize)
    with open_text(path, decoding) as first:
        sample = first.read(65536)
    delimiter = "\t" if fmt == "tsv" or sample.split("\n", 1)[0].count("\t") > 0 else ","
    columnar = _read_columnar(path, delimiter, decoding)
    if columnar is not None:
        size = path.stat().st_size
        for k, batch in enumerate(columnar, start=1):
            yield batch
            if progress:  # the share of the file's rows done, in bytes
                progress(size * k // len(columnar))
        return
    yield from _read_rows(path, delimiter, progress, decoding)


def _read_columnar(path: Path, delimiter: str, decoding: Decoding) -> list[RawBatch] | None:
    """The file read by Arrow into string columns, in the batches ``_read_rows`` makes (same rows,
    row numbers and rejects); None when the file has something only the row reader reports as
    ``csv.reader`` reads it: a blank line, a ragged row, undecodable bytes, a NUL, one column."""
    import pyarrow.csv as pacsv

    if path.stat().st_size > COLUMNAR_MAX_BYTES:
        return None
    with open_text(path, decoding) as handle:
        header = next(csv.reader(handle, delimiter=delimiter), None)
    if header is None or len(header) < 2:
        return None
    columns = unique_columns([shown(h, 10_000) for h in header])
    data = _utf8_bytes(path, decoding)
    if data is None:
        return None
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeError):
        return None  # e.g. bytes that are not UTF-8 after a UTF-8 byte-order mark
    if invalid:
        return None
    table = table.combine_chunks()
    numbers = np.arange(2, table.num_rows + 2, dtype=np.int64)
    rejects: list[Reject] = []
    bad = None
    for name in columns:
        found = pc.match_substring(table.column(name), "\ufffd")
        bad = found if bad is None else pc.or_(bad, found)
    if bad is not None and pc.any(bad).as_py():
        flags = bad.to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(flags).tolist():
            cells = [table.column(c)[i].as_py() for c in columns]
            reject = _bad_cells(cells, columns, decoding.name)
            if reject is not None:
                reject.row = int(numbers[i])
                rejects.append(reject)
        table = table.filter(pa.array(~flags))
        numbers = numbers[~flags]
    return _batches(table, numbers, rejects)


def _utf8_bytes(path: Path, decoding: Decoding) -> bytes | None:
    """The file as UTF-8 without a byte-order mark; None when it holds undecodable bytes or
    a blank line (which only the row reader reports)."""
    data = path.read_bytes()[len(decoding.bom) :]
    if decoding.codec not in _UTF8_CODECS:
        text = data.decode(decoding.codec, errors=ERRORS)
        if bad_surrogates(text):
            return None
        data = text.encode("utf-8")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        if decoding.how != "valid UTF-8":
            # A broken byte in a ragged row would make Arrow drop that row unreported (its
            # invalid-row handler cannot be given text that is not UTF-8): the row reader reads it.
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return None
    if any(marker in data for marker in _EMPTY_LINES):
        return None
    return data


def _batches(table: pa.Table, numbers: np.ndarray, rejects: list[Reject]) -> list[RawBatch]:
    """Batches of BATCH_ROWS loaded rows, each with the rejects met while it was filled, as the
    row reader makes them (duplicates and misplaced columns are judged per batch)."""
    kept_before = np.searchsorted(numbers, [r.row for r in rejects]).tolist() if rejects else []
    batches: list[RawBatch] = []
    count = (table.num_rows + BATCH_ROWS - 1) // BATCH_ROWS
    by_batch: dict[int, list[Reject]] = {}
    for reject, before in zip(rejects, kept_before, strict=True):
        by_batch.setdefault(int(before) // BATCH_ROWS, []).append(reject)
    last = max([count - 1, *by_batch])
    for k in range(last + 1):
        part = table.slice(k * BATCH_ROWS, BATCH_ROWS)
        rows = numbers[k * BATCH_ROWS : (k + 1) * BATCH_ROWS].tolist()
        batches.append(RawBatch(part, rows, by_batch.get(k, [])))
    return batches


def _read_rows(
    path: Path, delimiter: str, progress: Progress | None, decoding: Decoding
) -> Iterator[RawBatch]:
    with open_text(path, decoding) as handle:
        counted = _CountingLines(handle)
        reader = csv.reader(counted, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        columns = unique_columns([shown(h, 10_000) for h in header])
        width = len(columns)
        rows: list[list[str]] = []
        numbers: list[int] = []
        rejects: list[Reject] = []
        row_number = 1
        for record in reader:
            row_number += 1
            if len(record) != width:
                if not any(cell.strip() for cell in record):
                    rejects.append(Reject(row_number, "blank row"))
                    continue
                if len(record) > width and not any(c.strip() for c in record[width:]):
                    record = record[:width]
                else:
                    rejects.append(
                        Reject(
                            row_number,
                            f"row has {len(record)} fields but the header has {width}",
                            value=shown(delimiter.join(record)),
                        )
                    )
                    continue
            broken = _bad_cells(record, columns, decoding.name)
            if broken is not None:
                broken.row = row_number
                rejects.append(broken)
                continue
            rows.append(record)
            numbers.append(row_number)
            if len(rows) >= BATCH_ROWS:
                yield _batch_from_rows(columns, rows, numbers, rejects)
                rows, numbers, rejects = [], [], []
                if progress:
                    progress(counted.consumed)
        if rows or rejects:
            yield _batch_from_rows(columns, rows, numbers, rejects)
        if progress:
            progress(counted.consumed)


class _CountingLines:
    """Line iterator that tracks roughly how many bytes were read (for the progress bar)."""

    def __init__(self, handle: io.TextIOBase) -> None:
        self._handle = handle
        self.consumed = 0

    def __iter__(self) -> _CountingLines:
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self.consumed += len(line)
        return line


def unique_columns(header: list[str]) -> list[str]:
    """Keep duplicate header names apart ("Subscribers", "Subscribers.1") and name blanks."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        name = name if name.strip() else f"column_{i + 1}"
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out


def _batch_from_rows(
    columns: list[str], rows: list[list[str]], numbers: list[int], rejects: list[Reject]
) -> RawBatch:
    if rows:
        cols = list(zip(*rows, strict=True))
        arrays = [pa.array(c, type=pa.string()) for c in cols]
    else:
        arrays = [pa.array([], type=pa.string()) for _ in columns]
    return RawBatch(pa.Table.from_arrays(arrays, names=columns), numbers, rejects)


# -- parquet and excel ---------------------------------------------------------------------------
def _read_parquet(path: Path, progress: Progress | None, label: str) -> Iterator[RawBatch]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceError(f"{label}: not a readable Parquet file ({exc})") from exc
    start = 1
    total = max(pf.metadata.num_rows, 1)
    size = path.stat().st_size
    for batch in pf.iter_batches(batch_size=BATCH_ROWS):
        table = pa.Table.from_batches([batch])
        numbers = list(range(start, start + table.num_rows))
        start += table.num_rows
        yield RawBatch(table, numbers)
        if progress:
            progress(int(size * (start - 1) / total))


def _read_xlsx(path: Path, label: str) -> Iterator[RawBatch]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for broken files
        raise SourceError(f"{label}: not a readable Excel file ({exc})") from exc
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        return
    columns = unique_columns(["" if h is None else str(h) for h in header])
    rows: list[list[str]] = []
    numbers: list[int] = []
    rejects: list[Reject] = []
    for number, record in enumerate(values, start=2):
        cells = ["" if v is None else _excel_text(v) for v in record][: len(columns)]
        cells += [""] * (len(columns) - len(cells))
        if not any(c.strip() for c in cells):
            rejects.append(Reject(number, "blank row"))
            continue
        rows.append(cells)
        numbers.append(number)
    book.close()
    yield _batch_from_rows(columns, rows, numbers, rejects)


def _excel_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# -- JSON ----------------------------------------------------------------------------------------
#: Keys under which exports put their list of records.
_RECORD_KEYS = (
    "collector",
    "data",
    "items",
    "records",
    "results",
    "rows",
    "users",
    "videos",
    "media",
)


def json_lines(text: str) -> list[str]:
    """JSON Lines split on ``\\n`` and ``\\r\\n`` only: U+2028, U+2029 and U+0085 are characters
    inside strings, not line ends (``str.splitlines`` would split on them)."""
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _parse_json(text: str) -> Any:
    """``json.loads``; every way it can fail is a ``json.JSONDecodeError`` or a ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ValueError(str(exc)) from None


def _read_json(
    path: Path, fmt: str, handle: str | None, decoding: Decoding, label: str
) -> Source:
    from creatorlens.ingest.payloads import detect_payload

    text = read_text(path, decoding)
    docs: list[tuple[int, Any]] = []
    if fmt == "jsonl":
        for number, line in enumerate(json_lines(text), start=1):
            if not line.strip():
                continue
            try:
                docs.append((number, _parse_json(line)))
            except ValueError as exc:
                docs.append((number, _BrokenLine(str(exc), line)))
    else:
        try:
            doc = _parse_json(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        except ValueError as exc:
            raise SourceError(f"{label}: not valid JSON ({exc})") from exc
        pages = doc if isinstance(doc, list) and doc and detect_payload(doc[0]) else [doc]
        docs = [(i, d) for i, d in enumerate(pages, start=1)]
    api = next((a for _, d in docs if (a := detect_payload(d))), None)
    if api is not None:
        return _payload_source(path, fmt, docs, handle, label)
    records: list[tuple[int, Any]] = []
    if fmt == "jsonl":
        records = docs
    else:
        body = docs[0][1]
        records = list(enumerate(_record_list(body, label), start=1))
    return Source(path, fmt, iter([_batch_from_records(records)]))


@dataclass
class _BrokenLine:
    error: str
    text: str


def _record_list(doc: Any, path: str) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in _RECORD_KEYS:
            if isinstance(doc.get(key), list):
                return list(doc[key])
        lists = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1:
            return lists[0]
        return [doc]
    raise SourceError(f"{path}: JSON holds a {type(doc).__name__}, not records")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted keys ("authorMeta.name"); lists stay lists."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _batch_from_records(records: list[tuple[int, Any]]) -> RawBatch:
    flat: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejects: list[Reject] = []
    for number, rec in records:
        if isinstance(rec, _BrokenLine):
            rejects.append(Reject(number, f"not valid JSON: {rec.error}", shown(rec.text)))
        elif not isinstance(rec, dict):
            rejects.append(Reject(number, f"record is a {type(rec).__name__}, not an object"))
        else:
            flat_record = flatten(rec)
            broken = _bad_json_text(flat_record)
            if broken is not None:
                broken.row = number
                rejects.append(broken)
                continue
            flat.append(flat_record)
            numbers.append(number)
    columns: list[str] = []
    seen: set[str] = set()
    for rec in flat:
        for key in rec:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    arrays = [json_column([rec.get(c) for rec in flat]) for c in columns]
    return RawBatch(pa.Table.from_arrays(arrays, names=columns), numbers, rejects)


def _bad_json_text(record: dict[str, Any]) -> Reject | None:
    """A record whose keys or text hold undecodable bytes, lone surrogates or U+FFFD."""
    for key, value in record.items():
        texts = value if isinstance(value, list) else [value]
        for text in [key, *texts]:
            if isinstance(text, dict | list):
                text = json.dumps(text, ensure_ascii=False)
            if isinstance(text, str) and bad_text(text):
                where = shown(key)
                return Reject(0, f"{where}: {bad_text_reason(text, 'JSON')}", shown(text), where)
    return None


#: Integers up to this size are exact in float64; larger JSON integers are kept as their digits.
_EXACT_FLOAT_INT = 2**53
_INT64 = 2**63 - 1


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _exact_float(v: Any) -> bool:
    return isinstance(v, float) or abs(v) <= _EXACT_FLOAT_INT


def json_column(values: list[Any]) -> pa.Array:
    """One Arrow column from JSON values: numbers stay numbers (exactly: big integers become
    int64 or, beyond it, their digits as text), lists stay lists, else text."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.array(values, type=pa.bool_())
    if present and all(_is_number(v) for v in present):
        if all(isinstance(v, int) for v in present) and all(abs(v) <= _INT64 for v in present):
            return pa.array(values, type=pa.int64())
        if all(_exact_float(v) for v in present):
            return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
        return pa.array([None if v is None else _number_text(v) for v in values], type=pa.string())
    if present and all(isinstance(v, list) for v in present):
        if all(all(_is_number(x) and _exact_float(x) for x in v) for v in present):
            return pa.array(
                [None if v is None else [float(x) for x in v] for v in values],
                type=pa.list_(pa.float64()),
            )
        return pa.array(
            [None if v is None else [_list_item_text(x) for x in v] for v in values],
            type=pa.list_(pa.string()),
        )
    return pa.array(
        [
            None if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for v in values
        ],
        type=pa.string(),
    )


def _number_text(value: float | int) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _list_item_text(item: Any) -> str:
    if isinstance(item, dict):  # tiktok-scraper hashtags: [{"name": "fyp", ...}]
        for key in ("name", "title", "text", "username", "id"):
            if key in item:
                return str(item[key])
        return json.dumps(item, ensure_ascii=False)
    return str(item)


def _payload_source(
    path: Path, fmt: str, docs: list[tuple[int, Any]], handle: str | None, label: str
) -> Source:
    from creatorlens.ingest.payloads import PayloadError, detect_payload, payload_records

    batches: list[RawBatch] = []
    limits: list[str] = []
    api_names: list[str] = []
    records_read = 0
    # A JSON list of pages is one document to the adapters, so records are numbered across pages.
    if fmt == "json" and len(docs) > 1:
        docs = [(1, [d for _, d in docs])]
    for number, doc in docs:
        if isinstance(doc, _BrokenLine):
            batches.append(
                RawBatch(pa.table({}), [], [Reject(number, f"not valid JSON: {doc.error}")])
            )
            records_read += 1
            continue
        probe = doc[0] if isinstance(doc, list) and doc else doc
        if detect_payload(probe) is None:
            batches.append(
                RawBatch(pa.table({}), [], [Reject(number, "not a payload of a supported API")])
            )
            records_read += 1
            continue
        try:
            recs = payload_records(doc, handle=handle)
        except PayloadError as exc:
            raise SourceError(f"{label}: document {number}: {exc}") from exc
        api_names.append(recs.api)
        limits.extend(x for x in recs.limits if x not in limits)
        limits.extend(x for x in getattr(recs, "notes", []) if x not in limits)
        records_read += int(getattr(recs, "records_read", 0)) + len(recs.rejected)
        rejects = [
            Reject(
                int(r.get("_record", 0)),
                str(r.get("reason", "not an object")),
                str(r.get("raw", ""))[:200],
                str(r.get("_where", "")),
            )
            for r in recs.rejected
        ]
        if rejects:
            batches.append(RawBatch(pa.table({}), [], rejects))
        for kind, items in (
            ("creators", recs.creators),
            ("posts", recs.posts),
            ("audience", recs.audience),
            ("comments", recs.comments),
        ):
            if not items:
                continue
            for item in items:
                item.setdefault("platform", recs.platform)
            numbers = [int(item.get("_record", i + 1)) for i, item in enumerate(items)]
            cleaned = []
            for item in items:
                row = {k: v for k, v in item.items() if not k.startswith("_")}
                if item.get("_extra"):
                    row["extra"] = json.dumps(item["_extra"], ensure_ascii=False, default=str)
                cleaned.append(row)
            batch = _batch_from_records(list(zip(numbers, cleaned, strict=True)))
            batch.premapped = True
            batch.kind = kind
            batches.append(batch)
    api = ",".join(sorted(set(api_names))) or None
    return Source(path, fmt, iter(batches), api=api, limits=limits, records_read=records_read)
