"""`creatorlens watch --loop` end to end through the CLI (a subprocess, as a user or a systemd
service starts it) against the three emulators:

- on a simulated clock (``CREATORLENS_CLOCK_FILE``, which the emulators read too): five passes
  with ``--max-runs 5`` sleep from one UTC day to the next, and every pass appends one snapshot
  per watched creator with the counts the emulators served that day;
- on the real clock: SIGTERM or SIGINT while the loop sleeps ends it at once with exit 0, keeping
  what the pass stored and leaving the workspace unlocked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ._helpers import cli_env
from .emulator import API_KEY, CHANNEL_ID, Emulator
from .social_emulator import SocialEmulator

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
PASSES = 5
WATCH = """
[youtube]
channels = ["@veganglow"]
max = 2

[instagram]
usernames = ["veganglow.kr"]
max = 0

[tiktok]
usernames = ["veganglow.tt"]
days = 1
max = 0
"""


def n(day: date) -> int:
    return (day - START.date()).days


#: What the emulators serve on each day of the simulated clock: (platform, handle) -> counts.
FOLLOWERS: dict[tuple[str, str], Callable[[date], int]] = {
    ("youtube", "veganglow"): lambda d: 123_000 + 1_000 * n(d),  # 3 significant figures kept
    ("instagram", "veganglow.kr"): lambda d: 45_600 + 40 * n(d),
    ("tiktok", "veganglow.tt"): lambda d: 210_000 + 900 * n(d) + (n(d) % 2) * 17,
}


def views(d: date) -> int:
    return 4_560_000 + 21_000 * n(d)


def env_for(tmp_path: Path, emulator: Emulator, social: SocialEmulator) -> dict[str, str]:
    return {
        **cli_env(social, tmp_path),
        "CREATORLENS_YOUTUBE_API_KEY": API_KEY,
        "CREATORLENS_YOUTUBE_BASE_URL": emulator.base_url,
        "PYTHONUNBUFFERED": "1",
    }


def snapshots(db: Path) -> list[tuple[str, date, int, int | None]]:
    con = duckdb.connect(str(db), read_only=True)  # fails if the loop still held the workspace
    try:
        rows = con.execute(
            "SELECT creator_id, observed_at, followers, views FROM follower_snapshots ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.close()
    return [(cid, when.date(), followers, v) for cid, when, followers, v in rows]


def test_watch_loop_on_a_simulated_clock_appends_a_snapshot_per_creator_each_pass(
    tmp_path: Path, emulator: Emulator, social: SocialEmulator
) -> None:
    clock_file = tmp_path / "clock.txt"
    clock_file.write_text(START.isoformat(), encoding="utf-8")

    def file_time() -> datetime:  # the emulators read the CLI's simulated time
        return datetime.fromisoformat(clock_file.read_text(encoding="utf-8"))

    emulator.state.clock = social.state.clock = file_time
    emulator.state.channels[CHANNEL_ID].daily = lambda d: (FOLLOWERS["youtube", "veganglow"](d), views(d))
    for account in social.state.ig:
        account.daily = FOLLOWERS.get(("instagram", account.username))
    for user in social.state.tt:
        user.daily = FOLLOWERS.get(("tiktok", user.username))
    (tmp_path / "watch.toml").write_text(WATCH, encoding="utf-8")
    db = tmp_path / "ws.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "creatorlens", "watch", "--loop", "--max-runs", str(PASSES), "--db", str(db)],
        env={**env_for(tmp_path, emulator, social), "CREATORLENS_CLOCK_FILE": str(clock_file)},
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.count("done: ") == 3 * PASSES, out
    assert out.count("not due: ") == 0  # each pass ran on a new UTC day
    # the first pass at 06:00 sleeps 18 hours to the next UTC day, the others a whole day
    assert out.count("next pass in 1,080 min") == 1 and out.count("next pass in 1,440 min") == PASSES - 2
    assert f"stopped after {PASSES} passes (--max-runs)" in out
    # the simulated clock moved by the sleeps only: the last pass ran at midnight of day 4
    assert file_time() == datetime(2026, 3, 6, tzinfo=UTC)
    days = [START.date() + timedelta(days=k) for k in range(PASSES)]
    expected = sorted(
        (f"{platform}:{handle}", d, rule(d), views(d) if platform == "youtube" else None)
        for (platform, handle), rule in FOLLOWERS.items()
        for d in days
    )
    assert snapshots(db) == expected
    history = subprocess.run(
        [sys.executable, "-m", "creatorlens", "history", "veganglow", "--platform", "youtube", "--db", str(db)],
        env=env_for(tmp_path, emulator, social), capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert history.returncode == 0, history.stderr
    assert f"{views(days[-1]):,}" in history.stdout and "+21,000" in history.stdout
    assert "views 1-day change" in history.stdout
    # the daily rows as one JSON document, and as CSV and Parquet files that read back the same
    as_json = subprocess.run(
        [sys.executable, "-m", "creatorlens", "history", "veganglow", "--platform", "youtube", "--db", str(db),
         "--format", "json"],
        env=env_for(tmp_path, emulator, social), capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    rule = FOLLOWERS["youtube", "veganglow"]
    assert [(r["day"], r["followers"], r["views"]) for r in rows] == [
        (d.isoformat(), rule(d), views(d)) for d in days
    ]
    assert rows[-1]["views_gain"] == views(days[-1]) - views(days[-2])
    for suffix in ("csv", "parquet"):
        target = tmp_path / f"history.{suffix}"
        written = subprocess.run(
            [sys.executable, "-m", "creatorlens", "history", "veganglow", "--platform", "youtube", "--db",
             str(db), "--out", str(target)],
            env=env_for(tmp_path, emulator, social), capture_output=True, text=True, cwd=tmp_path, timeout=120,
        )  # fmt: skip
        assert written.returncode == 0, written.stderr
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        back = pacsv.read_csv(target) if suffix == "csv" else pq.read_table(target)
        assert back.column("followers").to_pylist() == [r["followers"] for r in rows], suffix
        assert back.column("views").to_pylist() == [r["views"] for r in rows], suffix


def test_max_runs_needs_loop(tmp_path: Path, emulator: Emulator, social: SocialEmulator) -> None:
    (tmp_path / "watch.toml").write_text(WATCH, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "creatorlens", "watch", "--max-runs", "2", "--db", str(tmp_path / "ws.duckdb")],
        env=env_for(tmp_path, emulator, social), capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and "--max-runs needs --loop" in done.stderr
    assert not (tmp_path / "ws.duckdb").exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_stops_a_sleeping_loop_cleanly(
    tmp_path: Path, emulator: Emulator, social: SocialEmulator, sig: signal.Signals
) -> None:
    (tmp_path / "watch.toml").write_text('[youtube]\nchannels = ["@veganglow"]\nmax = 1\n', encoding="utf-8")
    db = tmp_path / "ws.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "creatorlens", "watch", "--loop", "--db", str(db)],
        env=env_for(tmp_path, emulator, social), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:  # the pass, then the loop goes to sleep until the next UTC day
            lines.append(line)
            if line.startswith("next pass in"):
                break
        assert any(line.startswith("done: youtube @veganglow") for line in lines), lines
        os.kill(proc.pid, sig)
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"stopped by {sig.name} after 1 passes" in rest
    assert "Traceback" not in err
    [(cid, _, followers, total_views)] = snapshots(db)
    assert (cid, followers, total_views) == ("youtube:veganglow", 123_000, 4_560_000)
