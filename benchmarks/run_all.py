"""Run every ``benchmarks/bench_*.py`` in turn (one at a time: the build machine has 2 cores).

Usage: ``.venv/bin/python benchmarks/run_all.py [NAME_SUBSTRING ...]``; with arguments, only the
scripts whose file name contains one of them run. Each script writes its own section of
BENCHMARKS.md. Exits non-zero when any script failed, after running the rest.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def bench_scripts(filters: list[str]) -> list[Path]:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if filters:
        scripts = [s for s in scripts if any(f in s.name for f in filters)]
    return scripts


def main(argv: list[str]) -> int:
    scripts = bench_scripts(argv)
    if not scripts:
        print("no benchmark scripts matched", file=sys.stderr)
        return 2
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=BENCH_DIR.parent)
        elapsed = time.perf_counter() - started
        print(f"== {script.name}: exit {code} after {elapsed:.0f} s", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
