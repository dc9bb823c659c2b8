"""SIGKILL a real `creatorlens score` at known and at timed points: afterwards every result table
comes from the run before or from the killed run, never a mixture; the workspace opens and a new
`score` gives the killed run's results.

Run A scores a demo; then a second demo is written on top (new sources) and run B is killed. A
reference copy scored to the end gives B's tables. Tables are compared by content (rows sorted,
floats rounded, the run timestamp left out), so the check does not trust the publish log; the log
(``score_runs``) is checked to agree with the content.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pytest

from creatorlens._workspace import Workspace
from creatorlens.demo import generate_demo, write_demo
from creatorlens.store._store import FAULT_ENV, STAGE

#: The installed `creatorlens` command of this interpreter's environment.
CLI = str(Path(sys.executable).with_name("creatorlens"))
#: Every table a full scoring run writes (the read view included).
RESULT_TABLES = (
    "scorecard",
    "content_scores",
    "post_topics",
    "disclosure_verdicts",
    "transparency_scores",
    "authenticity_scores",
    "growth_anomalies",
    "creator_view",
)
#: Columns that say when a run happened rather than what it computed.
RUN_TIME_COLUMNS = {"scored_at"}
#: Fault points inside `score` and whose tables a kill there must leave.
POINTS = {
    "after:engagement": "A",
    "after:content": "A",
    "after:disclosure": "A",
    "after:authenticity": "A",
    "publish": "A",  # inside the switching transaction, one table already replaced
    "published": "B",  # committed, the process not done yet
}
#: Two more runs are killed wherever they are, at these fractions of a full run's duration.
TIMED_KILLS = (0.5, 0.9)


def fingerprints(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for name in RESULT_TABLES:
            frame = con.execute(f'SELECT * FROM "{name}"').df()
            frame = frame.drop(columns=[c for c in frame.columns if c in RUN_TIME_COLUMNS])
            for col in frame.columns:
                if frame[col].dtype.kind == "f":
                    frame[col] = frame[col].round(9)
            frame = frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)
            out[name] = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
        return out
    finally:
        con.close()


def last_run(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, run_id FROM score_runs WHERE published_at = "
            "(SELECT max(published_at) FROM score_runs)"
        ).fetchall()
        return dict(rows)
    finally:
        con.close()


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    wal = Path(str(src) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, str(dst) + ".wal")
    return dst


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str], float]:
    folder = tmp_path_factory.mktemp("atomic")
    before = folder / "before.duckdb"
    with Workspace(before) as ws:
        ws.demo(seed=11, creators=40, posts_per_creator=6)
    a = fingerprints(before)
    with Workspace(before) as ws:  # new sources, not scored yet: what run B will score
        write_demo(ws.store, generate_demo(12, 40, 6))
    reference = copy_db(before, folder / "reference.duckdb")
    started = time.monotonic()
    proc = _start(reference, None)  # as the killed runs are: a `creatorlens score` process
    assert proc.wait() == 0
    b = fingerprints(reference)
    return before, a, b, time.monotonic() - started


def test_the_two_runs_differ_in_every_table(
    runs: tuple[Path, dict[str, str], dict[str, str], float],
) -> None:
    _, a, b, _ = runs
    assert [name for name in RESULT_TABLES if a[name] == b[name]] == []


def _start(db: Path, fault: str | None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.Popen(
        [CLI, "score", "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_pause(proc: subprocess.Popen[str], point: str) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if f"paused at {point}" in line:
            return
    raise AssertionError(f"score ended (status {proc.wait()}) without reaching {point}")


def test_sigkill_at_every_point_leaves_one_run_or_the_other(
    runs: tuple[Path, dict[str, str], dict[str, str], float], tmp_path: Path
) -> None:
    before, a, b, full_run = runs
    procs: dict[str, tuple[subprocess.Popen[str], Path]] = {}
    # all kills run at once (each on its own copy): the machine does them in parallel
    for i, point in enumerate([*POINTS, *(f"timed:{f}" for f in TIMED_KILLS)]):
        db = copy_db(before, tmp_path / f"kill{i}.duckdb")
        procs[point] = (_start(db, None if point.startswith("timed:") else point), db)
    timers = [
        threading.Timer(full_run * float(point.split(":")[1]), proc.send_signal, [signal.SIGKILL])
        for point, (proc, _) in procs.items()
        if point.startswith("timed:")
    ]
    for timer in timers:
        timer.start()
    for point, (proc, _) in procs.items():
        if not point.startswith("timed:"):
            _wait_for_pause(proc, point)
            proc.send_signal(signal.SIGKILL)
    for timer in timers:
        timer.join()
    outcomes = {}
    for point, (proc, db) in procs.items():
        status = proc.wait()
        if not point.startswith("timed:") or status != 0:
            assert status == -signal.SIGKILL, (point, status)
        seen = fingerprints(db)
        which = {name: "A" if seen[name] == a[name] else "B" if seen[name] == b[name] else "?"
                 for name in RESULT_TABLES}  # fmt: skip
        assert len(set(which.values())) == 1 and "?" not in which.values(), (point, which)
        outcomes[point] = next(iter(which.values()))
        runs_seen = set(last_run(db).values())
        assert len(runs_seen) == 1, (point, runs_seen)  # the log names one run for every table
        # the workspace opens read-write and a new score gives the killed run's results
        with Workspace(db) as ws:
            assert STAGE not in {r[0] for r in ws.store.exec("SELECT database_name FROM duckdb_databases()")}
            ws.score()
        assert fingerprints(db) == b, point
    assert {p: outcomes[p] for p in POINTS} == POINTS
    print("timed kills:", {p: o for p, o in outcomes.items() if p.startswith("timed:")})


def test_staged_tables_stay_invisible_until_one_publish(tmp_path: Path) -> None:
    import pyarrow as pa

    from creatorlens.store import Store
    from creatorlens.store._store import STAGE_PREFIX

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"{STAGE_PREFIX}{dead.pid}-left"
    stale.mkdir(exist_ok=True)
    store = Store(tmp_path / "s.duckdb")
    try:
        for name in ("r1", "r2"):
            store.replace_table(name, pa.table({"v": [1]}))
        other = store.raw.cursor()  # another connection to the same database
        with store.staging():
            assert not stale.exists()  # a killed run's staging folder is removed
            store.replace_table("r1", pa.table({"v": [2]}))
            store.replace_table("r2", pa.table({"v": [2, 3]}))
            assert store.table("r2").count().execute() == 2  # the run reads what it staged
            for con in (store.raw, other):  # the workspace itself still has the old set
                assert con.execute("SELECT sum(v) FROM r1").fetchone() == (1,)
                assert con.execute("SELECT sum(v) FROM r2").fetchone() == (1,)
            run_id = store.publish()
        for con in (store.raw, other):
            assert con.execute("SELECT sum(v) FROM r1").fetchone() == (2,)
            assert con.execute("SELECT sum(v) FROM r2").fetchone() == (5,)
        logged = store.exec("SELECT run_id, table_name, rows FROM score_runs ORDER BY table_name")
        assert logged == [(run_id, "r1", 1), (run_id, "r2", 2)]
        assert STAGE not in {r[0] for r in store.exec("SELECT database_name FROM duckdb_databases()")}
    finally:
        store.close()
