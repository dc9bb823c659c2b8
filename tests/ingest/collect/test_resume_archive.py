"""A fetch killed with SIGKILL resumes without fetching a page twice or missing one (counted on the
server); the archive rebuilds the same workspace; no credential reaches the archive, the logs, the
workspace or the output; a renamed handle stays one creator keyed by its channel id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app
from creatorlens.ingest.collect import FetchSpec, archive_folder

from .emulator import API_KEY, CHANNEL_ID, CREDENTIALS, OTHER_ID, Clock, Emulator, Fault

SRC = Path(__file__).resolve().parents[3] / "src"


def cli_env(emu: Emulator, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "CREATORLENS_YOUTUBE_API_KEY": API_KEY,
        "CREATORLENS_YOUTUBE_BASE_URL": emu.base_url,
        "CREATORLENS_CONFIG_DIR": str(tmp_path / "config"),
        "CREATORLENS_LOG_DIR": str(tmp_path / "logs"),
    }


def table(ws: Workspace, name: str, order: str, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ws.store.table(name).order_by(order).to_pyarrow().to_pylist()
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


@pytest.mark.slow
def test_sigkill_mid_fetch_then_resume_fetches_every_page_once(tmp_path: Path, emulator: Emulator) -> None:
    db = tmp_path / "ws.duckdb"
    emulator.state.hang_at["playlistItems"] = 2  # the second playlist page never answers
    command = [
        sys.executable,
        "-m",
        "creatorlens",
        "fetch",
        "youtube",
        "--channel",
        CHANNEL_ID,
        "--db",
        str(db),
    ]
    proc = subprocess.Popen(
        command, env=cli_env(emulator, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert emulator.state.hung.wait(120), "the fetch never reached the second playlist page"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    emulator.state.hang_at.clear()
    emulator.state.release.set()
    done = subprocess.run(
        [*command, "--resume"], env=cli_env(emulator, tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "(resumed)" in done.stdout
    for endpoint, pages in (("channels", 1), ("playlistItems", 3), ("videos", 3)):
        served = emulator.state.served_pages(endpoint)
        assert (len(served), set(served.values())) == (pages, {1}), endpoint
    with Workspace(db, read_only=True) as ws:
        assert ws.store.table("posts").count().execute() == 120


def test_archive_rebuilds_the_same_workspace(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    emulator.state.fail(
        "videos", None, Fault(200, body=b'{"kind": "youtube#videoListResp')
    )  # one quarantined
    first = tmp_path / "first.duckdb"
    with Workspace(first) as ws:
        for spec in (
            FetchSpec("youtube", channels=(CHANNEL_ID, OTHER_ID)),
            FetchSpec("youtube", search="vegan"),
        ):
            ws.fetch(
                spec, base_url=emulator.base_url, credentials=CREDENTIALS, clock=clock, sleep=clock.sleep
            )
            clock.now = clock.now.replace(hour=clock.now.hour + 1)
    rebuilt = tmp_path / "rebuilt.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(archive_folder(first)), "--db", str(rebuilt)])
    assert result.exit_code == 0, result.output
    assert "quarantined 1" in " ".join(result.output.split())  # the console may wrap the line
    ingest_times = ("ingested_at", "started_at", "finished_at")
    with Workspace(first, read_only=True) as a, Workspace(rebuilt, read_only=True) as b:
        for name, order in (
            ("creators", "creator_id"),
            ("posts", "post_id"),
            ("creator_aliases", "alias_id"),
        ):
            rows = table(a, name, order, ingest_times)
            assert rows == table(b, name, order, ingest_times), name
        assert len(table(a, "posts", "post_id")) == 127
        assert table(a, "ingests", "sha256", ingest_times) == table(b, "ingests", "sha256", ingest_times)


def test_no_credential_in_archive_logs_workspace_or_output(tmp_path: Path, emulator: Emulator) -> None:
    emulator.state.echo_key = True  # responses repeat the key in a URL: the archive must redact it
    emulator.state.fail("videos", Fault(200, body=b"{broken"), Fault(500))
    db = tmp_path / "ws.duckdb"
    env = cli_env(emulator, tmp_path)
    runs = [
        ["fetch", "youtube", "--channel", "@veganglow", "--db", str(db)],
        ["fetch", "youtube", "--search", "vegan", "--region", "KR", "--db", str(db)],
        ["fetch", "youtube", "--channel", CHANNEL_ID, "--dry-run", "--db", str(db)],
        ["auth", "status"],
    ]
    outputs = []
    for args in runs:
        done = subprocess.run(
            [sys.executable, "-m", "creatorlens", *args], env=env, capture_output=True, text=True
        )
        outputs.append(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr
    bad = subprocess.run(  # a refused key: the error names the reason, never the key
        [sys.executable, "-m", "creatorlens", "fetch", "youtube", "--channel", OTHER_ID, "--db", str(db)],
        env={**env, "CREATORLENS_YOUTUBE_API_KEY": "AIzaWRONG-key-9999"}, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "keyInvalid" in bad.stderr
    outputs.append(bad.stdout + bad.stderr)
    assert all(key == API_KEY for key in emulator.state.keys_seen[:-1])  # the key was really sent
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".gz" for p in files) and (archive_folder(db) / "index.jsonl").exists()
    import gzip

    for path in files:
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        for secret in (API_KEY, "AIzaWRONG-key-9999"):
            assert secret.encode() not in text, path
    for output in outputs:
        assert API_KEY not in output and "AIzaWRONG" not in output
    assert b"[redacted]" in b"".join(gzip.decompress(p.read_bytes()) for p in files if p.suffix == ".gz")


def test_handle_rename_between_runs_is_one_creator(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    spec = FetchSpec("youtube", channels=(OTHER_ID,))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.fetch(spec, base_url=emulator.base_url, credentials=CREDENTIALS, clock=clock, sleep=clock.sleep)
        emulator.state.channels[OTHER_ID].handle = "@greenbeautykr"
        emulator.state.channels[OTHER_ID].subscribers = 10_100
        clock.now = clock.now.replace(day=clock.now.day + 1)
        ws.fetch(spec, base_url=emulator.base_url, credentials=CREDENTIALS, clock=clock, sleep=clock.sleep)
        creators = table(ws, "creators", "creator_id")
        assert [(c["handle"], c["platform_id"], c["followers"]) for c in creators] == [
            ("greenbeautykr", OTHER_ID, 10_100)
        ]
        aliases = table(ws, "creator_aliases", "alias_id")
        assert [a["alias_id"] for a in aliases] == ["youtube:greenbeauty"]
        assert ws.store.table("posts").count().execute() == 7
