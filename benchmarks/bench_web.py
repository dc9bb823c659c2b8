"""Web load benchmark: 200 concurrent users searching creators over loopback.

The server is `creatorlens serve` in its own process on the demo workspace (`creatorlens demo`,
20,000 creators; built once into benchmarks/.data/). The load generator is an asyncio httpx
client in this process: each simulated user sends a creator search (text search, filters, sort,
a page of 20, sometimes the next page by cursor), waits for the answer, thinks for 0.5-1.5 s
(uniform; a person reading a result page) and searches again.

Baselines in the same run: one user searching with no think time (the latency of a search with
no contention) and 200 users hitting /api/v1/health (the framework's own cost under the same load).
Writes the "Web" section of BENCHMARKS.md. Target: p99 < 50 ms and no errors.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA_DIR, REPO, machine_facts, markdown_table, utc_now, write_section

USERS = int(os.environ.get("BENCH_WEB_USERS", "200"))
DURATION_S = float(os.environ.get("BENCH_WEB_SECONDS", "60"))
WARMUP_S = 10.0
THINK_S = (0.5, 1.5)
DEMO_SEED = 7
DEMO_CREATORS = 20_000
TARGET_P99_MS = 50.0
SEARCH_TERMS = [
    "a",
    "beauty",
    "kim",
    "fit",
    "food",
    "travel",
    "lee",
    "park",
    "game",
    "daily",
    "vlog",
    "style",
    "cook",
    "tech",
    "mom",
    "k",
    "jin",
    "seoul",
    "art",
    "run",
]
FILTERS: list[dict[str, Any]] = [
    {},
    {"tier": "micro"},
    {"tier": "nano", "country": "KR"},
    {"platform": "tiktok"},
    {"platform": "instagram", "tier": "micro", "country": "KR"},
    {"min_followers": 50_000},
    {"country": "US", "min_er": 0.02},
    {"platform": "youtube", "tier": "macro"},
]
SORTS = ["followers", "er_followers_lc_median", "er_percentile_peers", "handle"]


def demo_workspace() -> Path:
    path = DATA_DIR / f"web-demo-{DEMO_SEED}-{DEMO_CREATORS}.duckdb"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.duckdb")
        partial.unlink(missing_ok=True)
        print(f"building the demo workspace ({DEMO_CREATORS:,} creators) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from creatorlens.cli import main; main()",
                "demo",
                "--db",
                str(partial),
                "--seed",
                str(DEMO_SEED),
                "--creators",
                str(DEMO_CREATORS),
                "--top",
                "0",
            ],
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        partial.rename(path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from creatorlens.cli import main; main()",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 120 s")


def search_params(rng: random.Random) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": 20, "sort": rng.choice(SORTS)}
    params.update(rng.choice(FILTERS))
    if rng.random() < 0.5:
        params["q"] = rng.choice(SEARCH_TERMS)
    return params


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    requests: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def user(
    client: httpx.AsyncClient,
    path: str,
    seed: int,
    stop_at: float,
    measure_from: float,
    think: bool,
    result: Result,
) -> None:
    rng = random.Random(seed)
    if think:
        await asyncio.sleep(rng.uniform(0, THINK_S[1]))  # users arrive spread out, not in a burst
    while time.monotonic() < stop_at:
        params = search_params(rng) if path.endswith("/creators") else {}
        for _ in range(2 if rng.random() < 0.3 else 1):  # sometimes also the next page
            started = time.monotonic()
            try:
                r = await client.get(path, params=params)
                ok = r.status_code == 200
                if not ok:
                    result.error(f"HTTP {r.status_code}")
                cursor = r.json().get("next_cursor") if ok and "next_cursor" in r.text else None
            except httpx.HTTPError as exc:
                result.error(type(exc).__name__)
                ok, cursor = False, None
            elapsed = (time.monotonic() - started) * 1000
            if started >= measure_from:
                result.requests += 1
                result.latencies_ms.append(elapsed)
            if not cursor:
                break
            params = {**params, "cursor": cursor}
        if think:
            await asyncio.sleep(rng.uniform(*THINK_S))


async def load(
    base: str, path: str, users: int, seconds: float, think: bool
) -> tuple[Result, float]:
    result = Result()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        now = time.monotonic()
        measure_from, stop_at = now + WARMUP_S, now + WARMUP_S + seconds
        await asyncio.gather(
            *(user(client, path, i, stop_at, measure_from, think, result) for i in range(users))
        )
    return result, seconds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def row(name: str, result: Result, seconds: float) -> list[object]:
    lat = result.latencies_ms
    errors = sum(result.errors.values())
    return [
        name,
        f"{result.requests:,}",
        f"{result.requests / seconds:,.0f}",
        f"{statistics.median(lat):.1f}",
        f"{percentile(lat, 95):.1f}",
        f"{percentile(lat, 99):.1f}",
        f"{max(lat):.1f}",
        f"{errors}" + (f" {result.errors}" if errors else ""),
    ]


def main() -> int:
    db = demo_workspace()
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        runs = [
            ("1 user, no think time (baseline: no contention)", "/api/v1/creators", 1, 20.0, False),
            (
                f"{USERS} users, /api/v1/health (baseline: framework only)",
                "/api/v1/health",
                USERS,
                20.0,
                True,
            ),
            (f"{USERS} users searching creators", "/api/v1/creators", USERS, DURATION_S, True),
        ]
        table, verdict = [], ""
        for name, path, users, seconds, think in runs:
            print(f"-- {name}", flush=True)
            result, secs = asyncio.run(load(base, path, users, seconds, think))
            table.append(row(name, result, secs))
            print("   ", table[-1], flush=True)
            if path.endswith("/creators") and users == USERS:
                p99 = percentile(result.latencies_ms, 99)
                errors = sum(result.errors.values())
                met = p99 < TARGET_P99_MS and errors == 0
                verdict = (
                    f"Target p99 < {TARGET_P99_MS:.0f} ms with 0 errors: "
                    f"{'met' if met else 'NOT met'} (p99 {p99:.1f} ms, {errors} errors)."
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    body = "\n".join(
        [
            f"Run {utc_now()} on {machine_facts()}; `benchmarks/bench_web.py`.",
            "",
            f"Workspace: `creatorlens demo --seed {DEMO_SEED} --creators {DEMO_CREATORS}` "
            "(scored, with every capability step that is installed). "
            "Server: `creatorlens serve` (one uvicorn worker) in its own process; "
            "load: asyncio httpx client in another process on the same 2-core machine, over "
            "loopback. A search is GET /api/v1/creators with a random mix of text search, "
            "filters and sort keys, 20 per page; 30% of searches also fetch the "
            f"next page by cursor. Each user thinks {THINK_S[0]}-{THINK_S[1]} s between searches; "
            f"{WARMUP_S:.0f} s warm-up is not counted.",
            "",
            markdown_table(
                ["run", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"],
                table,
            ),
            "",
            verdict,
        ]
    )
    write_section("web", "Web", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
