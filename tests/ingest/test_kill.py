"""A killed ingest leaves the workspace as it was; re-running loads every row exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import creatorlens

ROWS = 400_000

SCRIPT = textwrap.dedent(
    """
    import sys
    import creatorlens
    ws = creatorlens.open(sys.argv[1])
    def progress(path, size):
        def report(done):
            print("progress", done, size, flush=True)
        return report
    ws.ingest(sys.argv[2], platform="tiktok", progress=progress)
    print("finished", flush=True)
    """
)


def write_big_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("username,followers,video_id,create_time,likes,comments,views\n")
        for i in range(ROWS):
            handle.write(
                f"user{i % 5000},{1000 + i % 5000},{i},2025-01-{1 + i % 28:02d} 10:00:00,{i % 997},{i % 31},{i % 9973}\n"
            )


@pytest.mark.slow
def test_sigkill_half_way_leaves_no_rows_and_rerun_loads_all_once(tmp_path: Path) -> None:
    db, csv = tmp_path / "ws.duckdb", tmp_path / "big.csv"
    write_big_csv(csv)
    ws = creatorlens.open(db)
    ws.ingest(_small(tmp_path), platform="tiktok")  # the workspace already holds other data
    ws.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(csv)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    killed_at = None
    for line in proc.stdout:
        if line.startswith("progress"):
            _, done, size = line.split()
            if int(done) >= int(size) // 3:
                os.kill(proc.pid, signal.SIGKILL)
                killed_at = int(done) / int(size)
                break
    proc.wait(timeout=60)
    assert killed_at is not None and killed_at < 1.0, (
        "the ingest finished before it could be killed"
    )
    assert proc.returncode == -signal.SIGKILL

    ws = creatorlens.open(db)
    assert ws.store.scalar("SELECT count(*) FROM posts WHERE source_file = ?", [str(csv)]) == 0
    assert ws.store.scalar("SELECT count(*) FROM ingests WHERE file = ?", [str(csv)]) == 0
    assert ws.store.scalar("SELECT count(*) FROM posts") == 2  # the earlier data is intact
    report = ws.ingest(csv, platform="tiktok").files[0]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (ROWS, ROWS, 0)
    assert ws.store.scalar("SELECT count(*) FROM posts WHERE source_file = ?", [str(csv)]) == ROWS
    assert ws.store.scalar("SELECT count(DISTINCT post_id) FROM posts") == ROWS + 2
    ws.close()


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text("username,video_id,likes\nold,a1,5\nold,a2,6\n", encoding="utf-8")
    return path
