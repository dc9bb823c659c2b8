"""Cases for the ingest equivalence test (test_equivalence.py): real shared exports and seeded
messy files, each ingested into a fresh workspace, reduced to one digest per stored table.

The expected digests in fixtures/ingest_equivalence.json were computed with the row-by-row
ingest (main before the columnar reader, issue 16 §4); a faster path must store exactly the same
rows. Regenerate them only when a change of results is intended:

    PYTHONPATH=src python tests/ingest/_equivalence.py tests/ingest/fixtures/ingest_equivalence.json

``--dump DIR`` also writes every table as Parquet, to diff two code versions row by row.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import random
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import creatorlens
from creatorlens.ingest._pipeline import observed_at_from_name

TABLES = ("creators", "posts", "follower_snapshots", "quarantine", "value_notes", "ingests",
          "creator_aliases", "audience", "comments")  # fmt: skip
#: Columns that differ between two runs of the same code (wall-clock times, a file's hash that
#: changes with the library writing an XLSX or Parquet file).
VOLATILE = {"started_at", "finished_at", "ingest_id", "sha256", "linked_at"}
#: Files without a date in their name are dated by their modification time, which a copy of the
#: shared data does not keep: such files get this observation time instead.
FALLBACK_OBSERVED = datetime(2025, 3, 1, 12, 0)

#: Shared exports by case name: (paths under shared/data, ingest options).
SHARED_CASES: dict[str, tuple[list[str], dict[str, Any]]] = {
    "tiktok-vn-2025": (["tiktok-vn-2025/raw_data.csv"], {}),
    "top1000-social-2022": (
        sorted(
            f"top1000-social-2022/{n}"
            for n in (
                "social media influencers - Tiktok sep 2022.csv",
                "social media influencers - Youtube sep-2022.csv",
                "social media influencers - instagram sep-2022.csv",
                "social media influencers - instagram.csv",
                "social media influencers - tiktok.csv",
                "social media influencers - youtube.csv",
                "social media influencers-INSTAGRAM - -DEC 2022.csv",
                "social media influencers-TIKTOK - ---DEC 2022.csv",
                "social media influencers-YOUTUBE - --DEC 2022.csv",
                "social media influencers-instagram - -nov 2022.csv",
                "social media influencers-instagram june 2022 - june 2022.csv",
                "social media influencers-tiktok - ---nov 2022.csv",
                "social media influencers-tiktok june 2022 - june 2022.csv",
                "social media influencers-youtube - --nov 2022.csv",
                "social media influencers-youtube june 2022 - june 2022.csv",
            )
        ),
        {},
    ),
    "instagram-reach": (
        ["instagram-reach/instagram_reach.csv"],
        {"platform": "instagram", "observed_at": datetime(2018, 7, 10)},
    ),
    "ig-influencers-kim2020": (
        ["ig-influencers-kim2020/influencers.txt"],
        {"platform": "instagram", "observed_at": datetime(2019, 1, 1)},
    ),
    "ig-fake-spammer-kaggle": (
        ["ig-fake-spammer-kaggle/train.csv", "ig-fake-spammer-kaggle/test.csv"],
        {"platform": "instagram"},
    ),
    "tiktok-trending-2020": (["tiktok-trending-2020/trending.json"], {}),
    "instafake": (["instafake/nonautomatedAccountData.json"], {"platform": "instagram"}),
}


# -- messy files ---------------------------------------------------------------------------------
COUNTS = ["123", "0", "1,234", "12.7K", "3.5만", "1억 2,000만", "#VALOR!", "N/A", "", " 42 ", "-5",
          "1e19", "abc", "12.5", "13.5", "NaN", "inf", "[1, 2]", "9007199254740993", "1.2M", "—",
          "304.9K", "7", "88", "1000", "2.5k", "1.234,5", "12,5", "~300", "12%", "0012"]  # fmt: skip
DATES = ["2025-01-02 10:00:00", "2025-01-02T10:00:00Z", "2025-01-02T10:00:00+09:00", "02/01/2025",
         "1735800000", "1735800000000", "3 days ago", "2 hours", "1주 전", "not a date", "",
         "31/02/2025", "2025-01-02", " 2025-01-02 10:00:00 ", "2025-13-01 00:00:00", "N/A", "12",
         "2024-12-31 23:59:59", "2024-02-29 00:00:00", "2023-02-29 00:00:00", "1e3",
         "2025-01-02 10:00", "20250102", "2025-1-2 3:04:05"]  # fmt: skip
HANDLES = ["ana", "@ben", " carl ", "", "----", "===", "가나다", "ana", "dora_x", "Eve.Z", "#", "  ",
           "frank", "gina", "hé", "ivan"]  # fmt: skip
CAPTIONS = ["hello #food #fyp", "no tags", "with @ben and @carl.x", 'a "quoted", cell', "line\nbreak",
            "", "  spaced  ", "한국어 #먹방 @가나", "emoji 🎉 #party,#fun", "tab\tinside", "#a#b#c",
            "comma, separated, words"]  # fmt: skip
BOOLS = ["yes", "no", "TRUE", "false", "", "1", "0", "maybe", "Y"]
KINDS = ["video", "Reel", "photo", "", "carousel", "unknown kind", "Shorts"]
DURATIONS = ["15", "PT1M5S", "01:05", "1:02:03", "", "abc", "12.5"]
PLATFORM_NAMES = ["tiktok", "TikTok", "IG", "instagram", "youtube", "yt", "", "myspace", "Tik Tok"]


def _posts_rows(rng: random.Random, n: int, *, with_platform: bool) -> list[list[str]]:
    rows = []
    for i in range(n):
        row = [
            rng.choice(HANDLES),
            rng.choice(COUNTS),
            str(rng.choice([i, i, i, 5, 7])) if rng.random() > 0.03 else "",
            rng.choice(DATES),
            rng.choice(CAPTIONS),
            rng.choice(["#x #y", "", "a,b", "fyp|viral", "#fyp #fyp"]) if rng.random() < 0.5 else "",
            rng.choice(COUNTS),
            rng.choice(COUNTS),
            rng.choice(COUNTS),
            rng.choice(COUNTS),
            rng.choice(DURATIONS),
            rng.choice(BOOLS),
            rng.choice(KINDS),
            rng.choice(["", "x", "keep me", "0"]),
            rng.choice(DATES),
        ]
        if with_platform:
            row.append(rng.choice(PLATFORM_NAMES))
        rows.append(row)
    return rows


POST_HEADER = ["username", "followers", "video_id", "create_time", "caption", "hashtags", "likes",
               "comments", "shares", "views", "duration", "is_ad", "type", "notes",
               "scraped_at"]  # fmt: skip


def _csv_text(header: list[str], rows: list[list[str]], rng: random.Random, delimiter: str = ",") -> str:
    """CSV by hand (quoting when needed) with ragged rows and blank lines mixed in."""

    def cell(v: str) -> str:
        if any(ch in v for ch in (delimiter, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = [delimiter.join(cell(h) for h in header)]
    for row in rows:
        roll = rng.random()
        if roll < 0.02:
            lines.append("")
        elif roll < 0.03:
            lines.append(delimiter * (len(header) - 1))
        elif roll < 0.04:
            row = row[: len(header) - 2]
        elif roll < 0.05:
            row = [*row, "surplus"]
        elif roll < 0.06:
            row = [*row, "", ""]
        lines.append(delimiter.join(cell(v) for v in row))
    return "\r\n".join(lines) + "\r\n"


def _bench_shaped(rng: random.Random, n: int) -> str:
    """The shape of benchmarks/bench_scoring.py's TikTok-scraper CSV (follower counts as "304.9K"
    on every tenth row), written like pyarrow.csv writes it (every text quoted)."""
    header = ["user_name", "user_nfollower", "vid_id", "vid_caption", "vid_postTime",
              "vid_scrapeTime", "vid_nview", "vid_nlike", "vid_ncomment", "vid_nshare", "vid_nsave",
              "vid_hashtags"]  # fmt: skip
    lines = [",".join(f'"{h}"' for h in header)]
    for i in range(n):
        followers = rng.randint(100, 5_000_000)
        shown = f"{round(followers / 1000, 1)}K" if i % 10 == 0 else str(followers)
        counts = [str(rng.randint(0, 10**6)) if rng.random() > 0.05 else "" for _ in range(5)]
        day = rng.randint(1, 28)
        lines.append(
            ",".join(
                [f'"creator{rng.randint(0, n // 20):06d}"', f'"{shown}"', f'"{7_000_000 + i}"',
                 f'"caption {i} #tag{i % 7}"', f'"2025-0{rng.randint(1, 9)}-{day:02d} 1{i % 10}:00:00"',
                 f'"2025-10-{day:02d} 08:00:00"', *counts, f'"tag{i % 7} fyp"']
            )
        )
    return "\n".join(lines) + "\n"


def write_messy_files(folder: Path) -> dict[str, tuple[list[Path], dict[str, Any]]]:
    """Seeded messy files, by case name (same bytes every run)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, tuple[list[Path], dict[str, Any]]] = {}

    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    rng = random.Random(16)
    text = _csv_text(POST_HEADER, _posts_rows(rng, 3000, with_platform=False), rng)
    cases["messy-utf8"] = ([write("messy_tiktok_posts.csv", text.encode())], {"platform": "tiktok"})
    text = _csv_text([*POST_HEADER, "platform"], _posts_rows(rng, 3000, with_platform=True), rng)
    cases["messy-platforms-bom"] = ([write("messy_posts.csv", codecs.BOM_UTF8 + text.encode())], {})
    text = _csv_text(POST_HEADER, _posts_rows(rng, 1500, with_platform=False), rng, "\t")
    cases["messy-tsv-utf16"] = (
        [write("messy_instagram_posts.tsv", text.encode("utf-16"))],
        {"platform": "instagram"},
    )
    korean = [[r[0] + "님" if r[0] else "", *r[1:4], "맛집 탐방 #먹방", *r[5:]]
              for r in _posts_rows(rng, 1500, with_platform=False)]  # fmt: skip
    text = _csv_text(POST_HEADER, korean, rng)
    cases["messy-cp949"] = (
        [write("messy_cp949_2025-02-01.csv", text.encode("cp949", errors="replace"))],
        {"platform": "instagram"},
    )
    # Mostly UTF-8 with a few broken bytes and U+FFFD cells: those rows are quarantined.
    lines = _csv_text(POST_HEADER, _posts_rows(rng, 2000, with_platform=False), rng).split("\r\n")
    raw = []
    for i, line in enumerate(lines):
        data = line.encode()
        if i > 0 and i % 97 == 0:
            data = data.replace(b",", b",\xff\xfe", 1)
        elif i > 0 and i % 101 == 0:
            data = data.replace(b",", ",\ufffd".encode(), 1)
        raw.append(data)
    cases["messy-broken-bytes"] = ([write("messy_broken_tiktok.csv", b"\r\n".join(raw))], {})
    # A creator export (no post ids) with a shifted numeric column and duplicate creators.
    rows = []
    for i in range(2000):
        rows.append([rng.choice(HANDLES) + (str(i % 300) if rng.random() < 0.9 else ""),
                     rng.choice(COUNTS), rng.choice(COUNTS), rng.choice(COUNTS),
                     rng.choice(PLATFORM_NAMES), rng.choice(["Beauty", "food, travel", "", "게임"]),
                     rng.choice(["text", "more text", "", "12"]), rng.choice(BOOLS)])  # fmt: skip
    header = ["handle", "followers", "following", "posts", "platform", "category", "engagement_rate",
              "verified"]  # fmt: skip
    text = _csv_text(header, rows, rng)
    cases["messy-creators"] = ([write("messy_creators_jan-2025.csv", text.encode())], {})
    # Two snapshots of the same creators, the later one partial.
    first = _csv_text(["handle", "followers", "following"],
                      [[f"acc{i}", str(1000 + i), str(i)] for i in range(500)], rng)  # fmt: skip
    second = _csv_text(["handle", "followers", "following"],
                       [[f"acc{i}", rng.choice(["", "2.5K", str(2000 + i)]), ""] for i in range(0, 500, 2)],
                       rng)  # fmt: skip
    cases["messy-snapshots"] = (
        [write("snap_tiktok_2025-01-01.csv", first.encode()), write("snap_tiktok_2025-02-01.csv", second.encode())],
        {},
    )
    cases["bench-shaped"] = ([write("bench_tiktok_posts.csv", _bench_shaped(rng, 20_000).encode())],
                             {"platform": "tiktok"})  # fmt: skip
    # One file larger than a read block, so that batches and row numbers cross block edges.
    text = _csv_text(POST_HEADER, _posts_rows(rng, 120_000, with_platform=False), rng)
    cases["messy-large"] = ([write("messy_large_tiktok.csv", text.encode())], {"platform": "tiktok"})
    return cases


# -- digests -------------------------------------------------------------------------------------
def _canonical(table: pa.Table) -> pa.Table:
    table = table.select([c for c in table.column_names if c not in VOLATILE])
    if table.num_rows == 0:
        return table
    keys = [(c, "ascending") for c in table.column_names if not pa.types.is_nested(table.column(c).type)]
    return table.take(pc.sort_indices(table, sort_keys=keys))


def _digest(table: pa.Table) -> str:
    rows = table.to_pylist()
    text = json.dumps([table.schema.names, [str(t) for t in table.schema.types], rows],
                      default=str, ensure_ascii=False, sort_keys=False)  # fmt: skip
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _report(report: Any) -> dict[str, Any]:
    out = {k: v for k, v in vars(report).items() if k not in ("observed_at",)}
    plain: dict[str, Any] = json.loads(json.dumps(out, default=str))
    return plain


def ingest_case(workspace: Path, files: list[tuple[Path, str]], options: dict[str, Any]) -> tuple[dict[str, pa.Table], list[dict[str, Any]]]:
    """Ingest ``files`` (path, label) one by one into a fresh workspace; its tables and reports."""
    reports: list[dict[str, Any]] = []
    with creatorlens.open(workspace) as ws:
        for path, label in files:
            kw = dict(options)
            if "observed_at" not in kw and observed_at_from_name(Path(label).name) is None:
                kw["observed_at"] = FALLBACK_OBSERVED
            result = ws.ingest(path, display_name=label, **kw)
            reports.extend(_report(r) for r in result.files)
        tables = {}
        for name in TABLES:
            if ws.store.has_table(name):
                tables[name] = _canonical(ws.store.table(name).to_pyarrow())
    return tables, reports


def case_files(shared: Path, messy: Path) -> dict[str, tuple[list[tuple[Path, str]], dict[str, Any]]]:
    out: dict[str, tuple[list[tuple[Path, str]], dict[str, Any]]] = {}
    for name, (rels, options) in SHARED_CASES.items():
        out[name] = ([(shared / r, r) for r in rels], options)
    for name, (paths, options) in write_messy_files(messy).items():
        out[name] = ([(p, f"messy/{p.name}") for p in paths], options)
    return out


def digests(tables: dict[str, pa.Table], reports: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {name: [t.num_rows, _digest(t)] for name, t in tables.items()}
    out["reports"] = hashlib.sha256(json.dumps(reports, sort_keys=True).encode()).hexdigest()
    return out


def main(argv: list[str]) -> int:
    import tempfile

    target = Path(argv[0])
    dump = Path(argv[argv.index("--dump") + 1]) if "--dump" in argv else None
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else None
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = case_files(shared, Path(tmp) / "messy")
        for name, (files, options) in cases.items():
            if only and name not in only:
                continue
            tables, reports = ingest_case(Path(tmp) / f"{name}.duckdb", files, options)
            results[name] = digests(tables, reports)
            print(name, {k: v[0] for k, v in results[name].items() if k != "reports"}, flush=True)
            if dump is not None:
                (dump / name).mkdir(parents=True, exist_ok=True)
                for t, table in tables.items():
                    pq.write_table(table, dump / name / f"{t}.parquet")
                (dump / name / "reports.json").write_text(json.dumps(reports, indent=1, sort_keys=True))
    if only and target.exists():
        results = json.loads(target.read_text()) | results
    target.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
