"""Shared benchmark helpers: isolated runs, peak memory, machine facts, BENCHMARKS.md sections.

Each contender runs in its own child process so that its peak resident set size is its own: the
parent reaps the child with ``os.wait4`` and reads ``ru_maxrss`` for that one child (Linux reports
kilobytes). The child reports its phase timings as one JSON object on the last line of stdout.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / ".data"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
RESULT_PREFIX = "BENCH-RESULT "


@dataclass
class Measurement:
    """One contender run: phase timings (seconds) reported by the child and its peak RSS."""

    name: str
    phases: dict[str, float]
    peak_rss_bytes: int
    wall_seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def peak_rss_gb(self) -> float:
        return self.peak_rss_bytes / 1024**3


class ChildFailed(RuntimeError):
    """A contender's process exited non-zero or printed no result."""


def run_isolated(
    name: str, argv: Sequence[str], *, env: dict[str, str] | None = None
) -> Measurement:
    """Run ``argv`` as a child process and return its reported phases and its own peak RSS."""
    started = time.perf_counter()
    child_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, text=True, env=child_env, cwd=REPO)
    assert proc.stdout is not None
    output = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise ChildFailed(f"{name}: exit code {proc.returncode}\n{output[-2000:]}")
    lines = [ln for ln in output.splitlines() if ln.startswith(RESULT_PREFIX)]
    if not lines:
        raise ChildFailed(f"{name}: no result line\n{output[-2000:]}")
    payload = json.loads(lines[-1][len(RESULT_PREFIX) :])
    # ru_maxrss is in kilobytes on Linux.
    return Measurement(
        name=name,
        phases={k: float(v) for k, v in payload.pop("phases").items()},
        peak_rss_bytes=int(usage.ru_maxrss) * 1024,
        wall_seconds=wall,
        extra=payload,
    )


class PhaseTimer:
    """Collects named wall-clock phases inside a child; ``report`` prints the result line."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started

    def report(self, **extra: Any) -> None:
        payload = {"phases": self.phases, **extra}
        sys.stdout.write(RESULT_PREFIX + json.dumps(payload, default=str) + "\n")
        sys.stdout.flush()


def own_peak_rss_bytes() -> int:
    """This process's high-water RSS (VmHWM), for a child that wants to log it mid-run."""
    text = Path("/proc/self/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+)\s+kB", text, re.M)
    return int(match.group(1)) * 1024 if match else 0


def machine_facts() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        if match:
            cpu = match.group(1).strip()
    mem_gb = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"^MemTotal:\s+(\d+)\s+kB", meminfo.read_text(), re.M)
        if match:
            mem_gb = int(match.group(1)) / 1024**2
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def library_versions(names: Sequence[str]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in names:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(parts)


def load_average() -> float:
    return os.getloadavg()[0]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(key: str, title: str, body: str, *, at_top: bool = False) -> None:
    """Replace (or add) this benchmark's own section of BENCHMARKS.md, between its markers.

    Other scripts own other sections; everything outside this section's markers is kept as is.
    ``at_top`` places a new section right after the file's introduction (before the first ``##``).
    """
    begin, end = f"<!-- BEGIN {key} -->", f"<!-- END {key} -->"
    block = f"{begin}\n## {title}\n\n{body.strip()}\n{end}"
    text = BENCHMARKS_MD.read_text("utf-8") if BENCHMARKS_MD.exists() else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    elif not text:
        text = (
            "# Benchmarks\n\nEach section is written by its benchmark script; numbers are from one "
            "run on the 2-core build machine.\n\n" + block + "\n"
        )
    elif at_top and "\n## " in text:
        head, tail = text.split("\n## ", 1)
        text = head.rstrip("\n") + "\n\n" + block + "\n\n## " + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(text, "utf-8")


def fmt_seconds(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_rate(rows: float, seconds: float) -> str:
    if seconds <= 0:
        return "–"
    rate = rows / seconds
    if rate >= 1e6:
        return f"{rate / 1e6:.2f} M/s"
    if rate >= 1e3:
        return f"{rate / 1e3:.0f} K/s"
    return f"{rate:.0f} /s"


def child_main(contenders: Mapping[str, Callable[[list[str]], None]]) -> bool:
    """Dispatch ``--child NAME ARGS...`` to a contender; returns False when not a child call."""
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        contenders[sys.argv[2]](sys.argv[3:])
        return True
    return False
