"""Start-up: how long a fresh `creatorlens` process takes before it does the user's work.

Issue 12 (fast start) targets `creatorlens --help` < 0.5 s and `creatorlens show` < 1.5 s on the
demo; issue 11 targets `creatorlens plan` < 3 s per goal. Each command runs in a fresh process
(best and worst of 5), next to baselines measured in the same run: the bare interpreter, the CLI
framework alone (typer + rich), and the imports the core cannot avoid (pandas, the Ibis DuckDB
backend), so that the table says how much of each command is ours.

With ``BENCH_STARTUP_BEFORE=/path/to/other/src`` (another checkout's ``src``, e.g. the main
branch), the commands are also run with that code first on the path, alternating run by run with
this code, so that a loaded machine slows both alike: a before/after in the same run
(``BENCH_STARTUP_PAIRED=plan`` pairs only the ``plan`` rows, ``=help,show`` only those).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import DATA_DIR, machine_facts, markdown_table, utc_now, write_section

#: runs per command (best and worst reported); BENCH_STARTUP_REPEATS sets it on a busy machine
REPEATS = int(os.environ.get("BENCH_STARTUP_REPEATS", "5"))
DEMO_CREATORS = 2000
KR_BRIEF = ["--budget", "20000000", "--target", "age=18-34 country=KR interest=beauty"]
GOALS = ("awareness", "trust", "community", "balanced")


def _run(argv: list[str], src: str | None = None) -> float:
    env = {**os.environ, "COLUMNS": "200"}
    if src is not None:
        env["PYTHONPATH"] = src
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def timed(argv: list[str]) -> tuple[float, float]:
    times = [_run(argv) for _ in range(REPEATS)]
    return min(times), max(times)


def timed_pair(argv: list[str], before: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(best, worst) of this code and of ``before``'s, runs alternating."""
    now: list[float] = []
    then: list[float] = []
    for _ in range(REPEATS):
        now.append(_run(argv))
        then.append(_run(argv, before))
    return (min(now), max(now)), (min(then), max(then))


def demo_workspace() -> tuple[Path, str, str]:
    DATA_DIR.mkdir(exist_ok=True)
    db = DATA_DIR / f"startup-demo-{DEMO_CREATORS}.duckdb"
    exe = str(Path(sys.executable).with_name("creatorlens"))
    if not db.exists():
        subprocess.run(
            [exe, "demo", "--db", str(db), "--creators", str(DEMO_CREATORS), "--seed", "2026"],
            check=True, capture_output=True,
        )  # fmt: skip
    listed = subprocess.run(
        [exe, "creators", "--db", str(db), "--limit", "1", "--format", "json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    first = json.loads(listed.stdout)[0]
    return db, str(first["handle"]), str(first["platform"])


def main() -> int:
    started = utc_now()
    py = sys.executable
    exe = str(Path(py).with_name("creatorlens"))
    db, handle, platform = demo_workspace()
    baselines = [
        ("python -c pass (interpreter)", [py, "-c", "pass"]),
        ("import typer, rich (CLI framework)", [py, "-c", "import typer, rich.table"]),
        ("import pandas", [py, "-c", "import pandas"]),
        ("import ibis.backends.duckdb", [py, "-c", "import ibis.backends.duckdb"]),
    ]
    commands = [
        ("creatorlens --help", [exe, "--help"], "< 0.5 s"),
        ("creatorlens show (demo)", [exe, "show", handle, "--platform", platform, "--db", str(db)],
         "< 1.5 s"),
        *[
            (f"creatorlens plan --goal {g} (demo, KR brief)",
             [exe, "plan", "--db", str(db), "--goal", g, *KR_BRIEF], "< 3 s")
            for g in GOALS
        ],
    ]  # fmt: skip
    rows: list[list[object]] = []
    for name, argv in baselines:
        best, worst = timed(argv)
        rows.append([name, f"{best:.2f} s", f"{worst:.2f} s", "baseline"])
    before = os.environ.get("BENCH_STARTUP_BEFORE")
    paired = os.environ.get("BENCH_STARTUP_PAIRED", "help,show,plan").split(",")
    for name, argv, target in commands:
        if before and argv[1].lstrip("-") in paired:
            (best, worst), (best_b, worst_b) = timed_pair(argv, before)
            rows.append([name, f"{best:.2f} s", f"{worst:.2f} s", target])
            rows.append([f"{name}, before (BENCH_STARTUP_BEFORE)", f"{best_b:.2f} s", f"{worst_b:.2f} s", ""])
            continue
        best, worst = timed(argv)
        rows.append([name, f"{best:.2f} s", f"{worst:.2f} s", target])
    load = os.getloadavg()
    body = "\n\n".join(
        [
            f"Run {started} on {machine_facts()}; load average at the end "
            f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}. Fresh process per run, "
            f"best and worst of {REPEATS}; demo workspace of {DEMO_CREATORS} creators (seed 2026).",
            markdown_table(["command", "best", "worst", "target"], rows),
            "The baselines are what a command may pay before our code runs: a command that builds "
            "Ibis queries imports the Ibis DuckDB backend (it compiles every SQL dialect at "
            "import), and pandas. `--help` imports neither (a test checks that importing the CLI "
            "loads no pandas, ibis, duckdb or pyarrow). `show` imports no Ibis (a test checks): "
            "the store opens DuckDB itself and makes the Ibis backend on first use, and `show` "
            "reads its rows (the creator, former handles, contacts, brand candidates, post "
            "links) as plain SQL through the store; it still imports pandas (the brand "
            "resolution and the price model are pandas code) and pyarrow. `plan` on the demo "
            "plans with measured overlap (one candidate has a follower list): follower matrices "
            "that small run the overlap loops in plain Python, without importing numba.",
        ]
    )
    write_section("startup", "Start-up time of the CLI", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
