"""Incremental scoring: ``score`` after 1% new posts against a full ``score --full``.

Builds the deterministic demo workspace (``creatorlens.demo``, not scored) and holds back 1% of its
posts (with their comments). Then, each in its own process so that peak RSS is that run's own:

1. ``score(full=True)`` of the workspace without those posts (the full baseline, which also
   publishes the inputs tables an incremental run reuses);
2. the held-back posts are inserted and ``score()`` runs incrementally;
3. a copy of that workspace is scored with ``score(full=True)`` and every result table is compared
   with the incremental run's (sorted, floats within 1e-9, JSON columns parsed) before any time is
   reported.

Run: ``.venv/bin/python benchmarks/bench_incremental.py --creators 5000`` (``--no-write`` leaves
BENCHMARKS.md alone).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA_DIR,
    REPO,
    fmt_seconds,
    load_average,
    machine_facts,
    markdown_table,
    run_isolated,
    utc_now,
    write_section,
)

SEED = 7
POSTS_PER_CREATOR = 30

_SCORE = """
import json, sys, time
import creatorlens
ws = creatorlens.open(sys.argv[1])
if sys.argv[3] == "insert":
    ws.store.exec("INSERT INTO posts SELECT * FROM held_posts")
    ws.store.exec("INSERT INTO comments SELECT * FROM held_comments")
started, cpu = time.perf_counter(), time.process_time()
report = ws.score(full=sys.argv[2] == "full")
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
ws.store.close()
print("BENCH-RESULT " + json.dumps({"phases": {**report.seconds, "total": wall, "cpu": cpu}}))
"""


def _env() -> dict[str, str]:
    return {"PYTHONPATH": str(REPO / "src")}


def build(creators: int) -> Path:
    path = DATA_DIR / f"incremental_{creators}x{POSTS_PER_CREATOR}_seed{SEED}.duckdb"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, creatorlens\n"
        "ws = creatorlens.open(sys.argv[1])\n"
        f"ws.demo(seed={SEED}, creators={creators}, posts_per_creator={POSTS_PER_CREATOR}, score=False)\n"
        "ws.store.exec(\"CREATE TABLE held_posts AS SELECT * FROM posts WHERE hash(post_id) % 100 = 0\")\n"
        "ws.store.exec(\"CREATE TABLE held_comments AS SELECT * FROM comments WHERE post_id IN "
        "(SELECT post_id FROM held_posts)\")\n"
        "ws.store.exec(\"DELETE FROM comments WHERE post_id IN (SELECT post_id FROM held_posts)\")\n"
        "ws.store.exec(\"DELETE FROM posts WHERE post_id IN (SELECT post_id FROM held_posts)\")\n"
        "ws.store.close()\n"
    )
    print(f"building the demo workspace ({creators:,} creators) -> {path}", flush=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", code, str(partial)], check=True, env={**_env()}, cwd=REPO)
    partial.rename(path)
    return path


def _score(name: str, path: Path, mode: str, insert: bool) -> dict[str, float]:
    argv = [sys.executable, "-c", _SCORE, str(path), mode, "insert" if insert else "-"]
    m = run_isolated(name, argv, env=_env())
    print(f"{name}: {m.phases['total']:.1f}s, peak RSS {m.peak_rss_gb:.2f} GB", flush=True)
    return {**m.phases, "peak_rss_gb": m.peak_rss_gb}


def compare(first: Path, second: Path) -> int:
    """Every result table of the two workspaces equal; the number of tables compared."""
    sys.path.insert(0, str(REPO / "src"))
    import duckdb

    from creatorlens._steps import SCORING_STEPS

    names = ["scorecard", *[t for step in SCORING_STEPS for t in step.writes]]
    a, b = duckdb.connect(str(first), read_only=True), duckdb.connect(str(second), read_only=True)
    for name in names:
        columns = [r[0] for r in a.execute(f'DESCRIBE "{name}"').fetchall() if r[0] != "scored_at"]
        listed = ", ".join(f'"{c}"' for c in columns)
        query = f'SELECT {listed} FROM "{name}" ORDER BY ALL'
        rows_a, rows_b = a.execute(query).fetchall(), b.execute(query).fetchall()
        if len(rows_a) != len(rows_b):
            raise SystemExit(f"{name}: {len(rows_a)} rows incrementally, {len(rows_b)} in full")
        for r1, r2 in zip(rows_a, rows_b, strict=True):
            if not all(_same(x, y) for x, y in zip(r1, r2, strict=True)):
                raise SystemExit(f"{name} differs:\n{r1}\n{r2}")
    return len(names)


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or abs(x - y) <= 1e-9
    if isinstance(x, str) and isinstance(y, str) and x != y and x[:1] in "[{":
        try:
            return bool(json.loads(x) == json.loads(y))
        except ValueError:
            return False
    return bool(x == y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    source = build(args.creators)
    work = DATA_DIR / "incremental_work.duckdb"
    check = DATA_DIR / "incremental_check.duckdb"
    shutil.copy(source, work)
    load_before = load_average()
    full = _score("full score (99% of the posts)", work, "full", insert=False)
    incremental = _score("incremental score (+1% posts)", work, "incremental", insert=True)
    load_after = load_average()
    shutil.copy(work, check)
    same = _score("full score of the same data (for the comparison)", check, "full", insert=False)
    load_end = load_average()
    tables = compare(work, check)
    print(f"all {tables} result tables equal", flush=True)
    import duckdb

    con = duckdb.connect(str(work), read_only=True)
    posts = int(con.execute("SELECT count(*) FROM posts").fetchone()[0])  # type: ignore[index]
    added = int(con.execute("SELECT count(*) FROM held_posts").fetchone()[0])  # type: ignore[index]
    con.close()
    steps = [k for k in full if k not in ("total", "cpu", "peak_rss_gb")]
    rows = [
        [step, fmt_seconds(full[step]), fmt_seconds(same[step]), fmt_seconds(incremental.get(step, 0.0)),
         f"{100 * incremental.get(step, 0.0) / same[step]:.0f}%" if same[step] else "–"]
        for step in steps
    ]  # fmt: skip
    rows.append(
        [
            "**total**",
            fmt_seconds(full["total"]),
            fmt_seconds(same["total"]),
            fmt_seconds(incremental["total"]),
            f"**{100 * incremental['total'] / same['total']:.1f}%**",
        ]
    )
    rows.append(
        [
            "CPU time (all threads)",
            fmt_seconds(full["cpu"]),
            fmt_seconds(same["cpu"]),
            fmt_seconds(incremental["cpu"]),
            f"**{100 * incremental['cpu'] / same['cpu']:.1f}%**",
        ]
    )
    body = (
        f"Demo workspace, {args.creators:,} creators, {posts:,} posts after adding {added:,} "
        f"({100 * added / posts:.1f}%) held-back posts and their comments. `score(full=True)` "
        "of the workspace without them, then `score()` after inserting them; each run in its own "
        "process, then a full score of the same data as the incremental run's. Peak RSS: full "
        f"{same['peak_rss_gb']:.2f} GB, incremental "
        f"{incremental['peak_rss_gb']:.2f} GB. Before timing is reported, every one of the {tables} "
        "result tables of the incremental run equals a `score(full=True)` of the same data (sorted, "
        "floats within 1e-9, JSON parsed).\n\n"
        + markdown_table(
            ["step", "full (99% of posts)", "full (same data)", "incremental (+1% posts)",
             "incremental / full (same data)"],
            rows,
        )
        + f"\n\nLoad average {load_before:.2f} before the first run, {load_after:.2f} after the "
        f"incremental one, {load_end:.2f} at the end (2 cores shared with other sessions: the "
        f"timings carry that noise). {machine_facts()}; "
        f"{utc_now()}. `benchmarks/bench_incremental.py --creators {args.creators}`."
    )
    print(body)
    if not args.no_write:
        write_section("incremental", "Incremental scoring (+1% posts)", body)


if __name__ == "__main__":
    main()
