"""Property-based fuzz of every ingest path (issue 10): Workspace.ingest for CSV, TSV, JSON, JSON
Lines, XLSX and Parquet, the CLI, the REST upload and the official API payload adapters.

Generated files mix encodings, ragged rows, quotes/newlines/separators in cells, huge cells, special
floats (NaN, inf, 1e19, 1e308, JSON 1e400), lists where a number belongs, broken bytes and truncated
files. Every example asserts: no traceback (a file that cannot be read at all is a SourceError
naming it), read = loaded + quarantined (and the quarantine table holds that many rows), no U+FFFD
or broken byte stored, and — unless the file was truncated — every loaded value equals what the
file holds (counts as the test's own reading of each cell, text exactly) and every other row is in
the quarantine. Seeded (derandomize=True); 2,000+ examples per run.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typer.testing import CliRunner

import creatorlens
from creatorlens.cli import app as cli_app
from creatorlens.ingest import IngestError, SourceError
from creatorlens.ingest.payloads import PayloadError, payload_records
from creatorlens.web import create_app, create_key

FIXTURES = Path(__file__).parent / "fixtures" / "api"
OBSERVED = datetime(2025, 1, 1)
MAX_COUNT = 2**53
_COUNTER = itertools.count()

# -- cells and what a careful reader makes of them ------------------------------------------------
#: Count cells as text (CSV/TSV/XLSX/Parquet strings) -> the count they hold (None: no count).
TEXT_COUNTS_OK = [
    ("123", 123), ("0", 0), ("1,234", 1234), ("12.5K", 12500), ("1.2M", 1_200_000),
    ("3.5만", 35000), ("12.5", 12), ("13.5", 14), (" 42 ", 42), ("", None),
    ("9007199254740991", MAX_COUNT - 1),
]  # fmt: skip
TEXT_COUNTS_BAD = [
    ("NaN", None), ("nan", None), ("inf", None), ("-inf", None), ("Infinity", None),
    ("1e19", None), ("99999999999999999999", None), ("1e308", None), ("1e400", None),
    ("-5", None), ("N/A", None), ("[100, 200]", None), ("{\"a\": 1}", None), ("abc", None),
    ("9007199254740992", None), ("9007199254740993", None),
]  # fmt: skip
#: Count values as raw JSON tokens -> the count they hold.
JSON_COUNTS_OK = [
    ("123", 123), ("0", 0), ("12.5", 12), ("13.5", 14), ('"1,234"', 1234), ('"12.5K"', 12500),
    ("null", None), ("9007199254740991", MAX_COUNT - 1), ("1.0", 1),
]  # fmt: skip
JSON_COUNTS_BAD = [
    ("NaN", None), ("Infinity", None), ("-Infinity", None), ("1e25", None), ("1e400", None),
    ("-1e400", None), ("1e19", None), ("99999999999999999999", None), ("-5", None),
    ('"NaN"', None), ("[100, 200]", None), ('{"a": 1}', None), ('"abc"', None),
    ("9007199254740992", None), ("9007199254740993", None), ("[]", None),
]  # fmt: skip
#: Parquet float64 count cells.
FLOAT_COUNTS = [
    (123.0, 123), (0.0, 0), (12.5, 12), (None, None), (math.nan, None), (math.inf, None),
    (-math.inf, None), (1e19, None), (1e308, None), (-5.0, None),
]  # fmt: skip

TRICKY = ['"', "'", ",", ";", "\t", "\n", "\r\n", "\r", "|", "\\", " ", "#", "@", "=", "김민지",
          "ção", "ü", "\u2028", "\u2029", "\u0085", "\x00", "\x0b", "😀", "\ufeff", "ÿ", "€"]  # fmt: skip
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # lone surrogates cannot be written as UTF-8


def counts(ok: list[Any], bad: list[Any]) -> st.SearchStrategy[Any]:
    # Mostly readable counts, so that files rarely look like a shifted header (>50% unreadable).
    return st.sampled_from(ok * 3 + bad)


text_tail = st.lists(
    st.one_of(
        st.sampled_from(TRICKY),
        st.text(st.characters(exclude_categories=SURROGATES, exclude_characters="\ufffd"), max_size=6),
    ),
    max_size=5,
).map("".join)
free_text = st.one_of(
    text_tail,
    st.just(""),
    st.builds(lambda t: "x" * 70_000 + t, text_tail),  # a huge cell
)


@dataclass
class Row:
    handle: str
    count: Any  # the cell as written (text, JSON token, float, or a list of JSON tokens)
    expected: Any  # int | None, or a list of them for per-post arrays
    text: str  # bio (creator files) or caption (post files)
    ragged: bool = False
    broken: bool = False  # holds a byte that is not valid in the file's encoding, or U+FFFD

    @property
    def quarantined(self) -> bool:
        return self.ragged or self.broken


@dataclass
class Case:
    fmt: str  # csv | tsv | json | jsonl | xlsx | parquet
    level: str  # creators | posts | arrays
    rows: list[Row]
    encoding: str = "utf-8"
    force: bool = False  # pass the encoding (else it is detected)
    truncate: float | None = None  # cut the file at this share of its bytes
    float_counts: bool = False  # Parquet: the count column is float64
    json_crlf: bool = False
    name: str = ""
    notes: list[str] = field(default_factory=list)


@st.composite
def cases(
    draw: st.DrawFn,
    formats: tuple[str, ...] = ("csv", "tsv", "json", "jsonl", "xlsx", "parquet"),
    detectable: bool = False,
) -> Case:
    """``detectable``: only encodings found without being told (the REST upload has no option)."""
    n = next(_COUNTER)
    fmt = draw(st.sampled_from(formats))
    level = draw(
        st.sampled_from(
            ["creators", "posts", "arrays"] if fmt in ("json", "jsonl") else ["creators", "posts"]
        )
    )
    json_like = fmt in ("json", "jsonl")
    float_counts = fmt == "parquet" and draw(st.booleans())
    rows = []
    for i in range(draw(st.integers(0, 12))):
        handle = f"e{n}u{i}x" + draw(text_tail)
        text = draw(free_text)
        if level == "arrays":
            tokens = draw(st.lists(st.sampled_from(JSON_COUNTS_OK[:5] + JSON_COUNTS_BAD[:9]), max_size=5))
            count: Any = [t for t, _ in tokens]
            expected: Any = [e for _, e in tokens]
        else:
            pool = (
                FLOAT_COUNTS
                if float_counts
                else (JSON_COUNTS_OK, JSON_COUNTS_BAD)
                if json_like
                else (TEXT_COUNTS_OK, TEXT_COUNTS_BAD)
            )
            count, expected = draw(st.sampled_from(FLOAT_COUNTS) if float_counts else counts(*pool))
        rows.append(Row(handle, count, expected, text))
    if fmt == "xlsx":
        for r in rows:  # what Excel can hold: no control characters, cells up to 32,767 characters
            r.handle = ILLEGAL_CHARACTERS_RE.sub("", r.handle).replace("\r", "")
            r.text = "t" + ILLEGAL_CHARACTERS_RE.sub("", r.text).replace("\r", "")[:30_000]  # not "=..."
    case = Case(fmt, level, rows, name=f"fuzz{n}", float_counts=float_counts)
    if fmt in ("csv", "tsv", "json", "jsonl"):
        by_mark = ["utf-8", "utf-8-sig", "utf-16"]
        told = ["utf-16-be", "cp949", "euc-kr", "latin-1"]
        case.encoding = draw(st.sampled_from(by_mark if detectable else by_mark + told))
        case.force = case.encoding in told or (not detectable and draw(st.booleans()))
        if case.encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-16-be"):
            for r in rows:  # keep what the encoding can hold
                r.handle = r.handle.encode(case.encoding, "ignore").decode(case.encoding)
                r.text = r.text.encode(case.encoding, "ignore").decode(case.encoding)
        if not _encodable(case):
            case.encoding, case.force = "utf-8", False
        if (
            rows
            and not detectable
            and case.encoding in ("utf-8", "utf-8-sig")
            and draw(st.integers(0, 4)) == 0
        ):
            # A broken byte (0xff: never valid UTF-8) in one row, read as UTF-8 as told.
            victim = draw(st.sampled_from(rows))
            victim.text += "\udcff"
            victim.broken = True
            case.force = True
        if fmt in ("csv", "tsv") and rows and draw(st.integers(0, 3)) == 0:
            draw(st.sampled_from(rows)).ragged = True
        case.json_crlf = draw(st.booleans())
    for r in rows:  # U+FFFD in the data itself: the row is quarantined, never stored
        if case.encoding.startswith("utf") and draw(st.integers(0, 30)) == 0:
            r.handle += "\ufffd"
            r.broken = True
    if draw(st.integers(0, 9)) == 0:
        case.truncate = draw(st.floats(0.0, 1.0))
    return case


def _encodable(case: Case) -> bool:
    texts = [
        r.handle + r.text + (json.dumps(r.count) if not isinstance(r.count, str) else r.count)
        for r in case.rows
    ]
    try:
        "".join(texts).encode(case.encoding)
    except UnicodeEncodeError:
        return False
    return True


# -- writing the files ----------------------------------------------------------------------------
def columns(case: Case) -> tuple[str, str, str]:
    if case.level == "posts":
        return "username", "likes", "caption"
    if case.level == "arrays":
        return "username", "mediaLikeNumbers", "biography"
    return "username", "followers", "bio"


def write(case: Case, folder: Path) -> Path:
    path = folder / f"{case.name}.{case.fmt}"
    hc, cc, tc = columns(case)
    header = [hc, "video_id", cc, tc] if case.level == "posts" else [hc, cc, tc]

    def cells(i: int, r: Row) -> list[Any]:
        body = [r.handle, r.count, r.text]
        return [r.handle, f"v{case.name}_{i}", r.count, r.text] if case.level == "posts" else body

    if case.fmt in ("csv", "tsv"):
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter="\t" if case.fmt == "tsv" else ",")
        writer.writerow(header)
        for i, r in enumerate(case.rows):
            row = cells(i, r)
            writer.writerow([*row, "extra"] if r.ragged else row)
        data = out.getvalue().encode(case.encoding, "surrogateescape")
    elif case.fmt in ("json", "jsonl"):
        records = []
        for i, r in enumerate(case.rows):
            values = cells(i, r)
            parts = []
            for name, value in zip(header, values, strict=True):
                if name == cc:
                    token = f"[{', '.join(value)}]" if isinstance(value, list) else value
                else:
                    token = json.dumps(value, ensure_ascii=i % 2 == 0)
                parts.append(f"{json.dumps(name)}: {token}")
            records.append("{" + ", ".join(parts) + "}")
        nl = "\r\n" if case.json_crlf else "\n"
        text = nl.join(records) + nl if case.fmt == "jsonl" else "[" + ("," + nl).join(records) + "]"
        data = text.encode(case.encoding, "surrogateescape")
    elif case.fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for i, r in enumerate(case.rows):
            sheet.append([c if c != "" else None for c in cells(i, r)])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    else:
        table_rows = [cells(i, r) for i, r in enumerate(case.rows)]
        arrays = {}
        for j, name in enumerate(header):
            values = [row[j] for row in table_rows]
            kind = pa.float64() if name == cc and case.float_counts else pa.string()
            arrays[name] = pa.array(values, type=kind, from_pandas=False)
        buffer = io.BytesIO()
        pq.write_table(pa.table(arrays), buffer)
        data = buffer.getvalue()
    if case.truncate is not None:
        data = data[: int(len(data) * case.truncate)]
    path.write_bytes(data)
    return path


# -- checking what was stored ---------------------------------------------------------------------
@dataclass
class Outcome:
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    warnings: list[str]


def _rows(ws: creatorlens.Workspace, table: str, column: str, label: str) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM {table} WHERE {column} = ?"
    rows: list[dict[str, Any]] = ws.store.raw.execute(sql, [label]).fetch_arrow_table().to_pylist()
    return rows


def _clean_text(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for value in row.values():
            if isinstance(value, str):
                assert "\ufffd" not in value, row
                assert not any(0xD800 <= ord(c) <= 0xDFFF for c in value), row


def check_stored(ws: creatorlens.Workspace, case: Case, label: str, outcome: Outcome) -> None:
    assert outcome.rows_read == outcome.rows_loaded + outcome.rows_quarantined
    quarantine = _rows(ws, "quarantine", "file", label)
    assert len(quarantine) == outcome.rows_quarantined
    creator_rows = _rows(ws, "creators", "source_file", label)
    post_rows = _rows(ws, "posts", "source_file", label)
    for rows in (quarantine, creator_rows, post_rows, _rows(ws, "value_notes", "file", label)):
        _clean_text(rows)
    if case.truncate is not None:
        return
    assert outcome.rows_read == len(case.rows)
    assert outcome.rows_quarantined == sum(r.quarantined for r in case.rows), quarantine
    dropped = any("of its values are not numbers" in w for w in outcome.warnings)
    platform = "tiktok" if case.level == "posts" else "instagram"
    creators = {c["creator_id"]: c for c in creator_rows}
    posts = {p["post_id"]: p for p in post_rows}
    for i, r in enumerate(case.rows):
        cid = f"{platform}:{r.handle.strip().lower()}"
        if r.quarantined:
            assert cid not in creators
            continue
        creator = creators[cid]
        assert creator["handle"] == r.handle.strip()
        text = r.text.strip() or None
        if case.level == "creators":
            assert creator["followers"] == (None if dropped else r.expected), (r, creator)
            assert creator["bio"] == text
        elif case.level == "arrays":
            assert creator["bio"] == text
            got = [posts[f"{cid}#{k + 1}"]["likes"] for k in range(len(r.expected))]
            assert got == r.expected
            assert f"{cid}#{len(r.expected) + 1}" not in posts
        else:
            post = posts[f"tiktok:v{case.name}_{i}"]
            assert post["likes"] == (None if dropped else r.expected), (r, post)
            assert post["caption"] == text
            assert post["creator_id"] == cid


def ingest_args(case: Case) -> dict[str, Any]:
    platform = "tiktok" if case.level == "posts" else "instagram"
    return {"platform": platform, "observed_at": OBSERVED, "encoding": case.encoding if case.force else None}


# -- the properties ---------------------------------------------------------------------------
FUZZ = settings(
    # 600 derandomized cases: every file shape, encoding and cell kind comes up many times, and
    # the suite stays inside CI's 30 minutes (1,200 cost ~8 min on 2 cores, the run's slowest file)
    max_examples=600,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[creatorlens.Workspace, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    ws = creatorlens.open(folder / "fuzz.duckdb")
    yield ws, folder
    ws.close()


@given(case=cases())
@FUZZ
def test_workspace_ingest_never_loses_or_garbles(
    fuzz_ws: tuple[creatorlens.Workspace, Path], case: Case
) -> None:
    ws, folder = fuzz_ws
    path = write(case, folder)
    try:
        report = ws.ingest(path, **ingest_args(case)).files[0]
    except (SourceError, IngestError) as exc:
        # Only a file that cannot be read at all, and the message names it.
        assert case.truncate is not None or (case.fmt in ("xlsx", "parquet") and not case.rows), exc
        assert path.name in str(exc)
        return
    if report.already_ingested:  # the same bytes came before (an empty or cut file, no rows)
        assert report.rows_read == report.rows_loaded + report.rows_quarantined
        assert case.truncate is not None or not case.rows
        return
    outcome = Outcome(report.rows_read, report.rows_loaded, report.rows_quarantined, report.warnings)
    check_stored(ws, case, str(path), outcome)
    if case.fmt in ("csv", "tsv", "json", "jsonl"):
        assert report.encoding == (case.encoding if case.force else report.encoding)
        if not case.force and case.truncate is None:
            assert report.encoding == {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}.get(
                case.encoding, case.encoding
            )


@given(case=cases(("csv", "json", "jsonl", "tsv")))
@settings(FUZZ, max_examples=120)
def test_cli_ingest_prints_counts_not_tracebacks(
    fuzz_ws: tuple[creatorlens.Workspace, Path], case: Case
) -> None:
    _, folder = fuzz_ws
    path = write(case, folder)
    db = folder / "cli.duckdb"
    args = ingest_args(case)
    command = [
        "ingest",
        str(path),
        "--db",
        str(db),
        "--platform",
        args["platform"],
        "--observed-at",
        "2025-01-01",
    ]
    if args["encoding"]:
        command += ["--encoding", args["encoding"]]
    result = CliRunner().invoke(cli_app, command)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert isinstance(result.exception, SystemExit) and case.truncate is not None, result.output
        assert "error" in result.output and path.name in result.output
        return
    assert "read " in result.output and " = loaded " in result.output
    if "unchanged" in result.output:  # the same bytes came before (an empty or cut file)
        assert case.truncate is not None or not case.rows
        return
    with creatorlens.open(db) as ws:
        t = ws.store.table("ingests")
        row = t.filter(t.file == str(path)).to_pyarrow().to_pylist()[0]
        outcome = Outcome(
            row["rows_read"], row["rows_loaded"], row["rows_quarantined"], json.loads(row["warnings"])
        )
        check_stored(ws, case, str(path), outcome)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, Path]]:
    folder = tmp_path_factory.mktemp("fuzz-api")
    with creatorlens.open(folder / "api.duckdb") as ws:
        _, key = create_key(ws.store, "fuzz")
    app = create_app(folder / "api.duckdb")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, key, folder
    app.state.pool.close()


@given(case=cases(detectable=True))
@settings(FUZZ, max_examples=300)
def test_rest_upload_answers_200_or_400_and_names_the_upload(
    api: tuple[TestClient, str, Path], case: Case
) -> None:
    client, key, folder = api
    path = write(case, folder)
    args = ingest_args(case)
    assert args["encoding"] is None  # the upload route has no encoding option: detected ones only
    r = client.post(
        "/api/v1/ingest",
        files={"file": (path.name, path.read_bytes())},
        params={"platform": args["platform"], "score": "false"},
        headers={"X-API-Key": key},
    )
    assert r.status_code in (200, 400), r.text
    assert str(folder) not in r.text and "creatorlens-upload-" not in r.text
    if r.status_code == 400:
        assert case.truncate is not None or (case.fmt in ("xlsx", "parquet") and not case.rows), r.text
        assert path.name in r.text
        return
    body = r.json()
    assert body["files"][0]["file"] == path.name
    ws = client.app.state.pool.get()  # type: ignore[attr-defined]
    f = body["files"][0]
    outcome = Outcome(f["rows_read"], f["rows_loaded"], f["rows_quarantined"], f["warnings"])
    # Uploads are dated by the upload's name or its arrival, not by OBSERVED: compare all but dates.
    check_stored(ws, case, path.name, outcome)


# -- official API payloads ------------------------------------------------------------------------
PAYLOADS = sorted(p for p in FIXTURES.glob("*.json") if "error" not in p.name)
WEIRD_VALUES = [None, "", "NaN", "1e400", "99999999999999999999", [1, 2], {"a": [1, {"b": 2}]}, -5,
                1e308, "김민지\u2028", "\x00", 12.5, True, "2025-13-45T99:99:99Z", "PT4M13S", 10**30,
                math.inf, -math.inf, math.nan, "\ufffd", "@", 2**63]  # fmt: skip


def _leaves(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _leaves(v, (*path, i))
    if path:
        yield path


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _json_text(value: Any) -> str:
    # Python's json writes inf as Infinity; the file keeps 1e400 as written.
    return json.dumps(value, ensure_ascii=False).replace("Infinity", "1e400")


@st.composite
def payloads(draw: st.DrawFn) -> tuple[str, Any]:
    fixture = draw(st.sampled_from(PAYLOADS))
    doc = json.loads(fixture.read_text("utf-8"))
    leaves = list(_leaves(doc))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 6))):
        _set(doc, rng.choice(leaves), copy.deepcopy(draw(st.sampled_from(WEIRD_VALUES))))
        leaves = list(_leaves(doc))
        if not leaves:
            break
    return fixture.name, doc


@given(payload=payloads())
@settings(FUZZ, max_examples=500)
def test_payload_adapters_and_ingest_survive_any_value(
    fuzz_ws: tuple[creatorlens.Workspace, Path], payload: tuple[str, Any]
) -> None:
    ws, folder = fuzz_ws
    name, doc = payload
    with contextlib.suppress(PayloadError):  # a payload whose structure is gone says where
        payload_records(doc)
    path = folder / f"p{next(_COUNTER)}_{name}"
    path.write_text(_json_text(doc), "utf-8")
    try:
        report = ws.ingest(path, observed_at=OBSERVED).files[0]
    except (SourceError, IngestError) as exc:
        assert path.name in str(exc)
        return
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    if report.already_ingested:  # two mutations gave the same document
        return
    store = ws.store
    assert (
        int(store.scalar("SELECT count(*) FROM quarantine WHERE file = ?", [str(path)]))
        == report.rows_quarantined
    )
    for table in ("creators", "posts"):
        t = store.table(table)
        for row in t.filter(t.source_file == str(path)).to_pyarrow().to_pylist():
            for column in ("followers", "views", "likes", "comments", "shares"):
                v = row.get(column)
                assert v is None or 0 <= v < MAX_COUNT, (table, column, v)
            assert not any(isinstance(v, str) and "\ufffd" in v for v in row.values())
