"""Instagram and TikTok through the CLI: the archive rebuilds the same workspace, and no
credential (token, key, secret) reaches the archive, the logs, the workspace or the output, even
though Graph API paging links repeat the token."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.ingest.collect import archive_folder

from ._helpers import cli_env
from .emulator import Fault
from .social_emulator import IG_TOKEN, TT_CLIENT_KEY, TT_CLIENT_SECRET, TT_TOKEN, SocialEmulator

SECRETS = (IG_TOKEN, TT_TOKEN, TT_CLIENT_KEY, TT_CLIENT_SECRET)


def cli(emu: SocialEmulator, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(emu, tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "creatorlens", *args], env=env, capture_output=True, text=True
    )


def table(ws: Workspace, name: str, order: str) -> list[dict[str, Any]]:
    drop = ("ingested_at", "started_at", "finished_at")
    found: list[dict[str, Any]] = ws.store.table(name).order_by(order).to_pyarrow().to_pylist()
    return [{k: v for k, v in r.items() if k not in drop} for r in found]


def test_archive_rebuilds_and_no_credential_leaks(tmp_path: Path, social: SocialEmulator) -> None:
    social.state.fail("business_discovery", None, Fault(200, body=b"{broken"), Fault(500))
    social.state.fail("video_query", Fault(503))
    # the CLI runs on the real clock: the newest videos are of yesterday, as the collector asks
    social.state.tt_last_day = (datetime.now(UTC) - timedelta(days=1)).date()
    db = tmp_path / "ws.duckdb"
    runs = [
        ["fetch", "instagram", "--username", "veganglow.kr", "--username", "greenbeauty", "--db", str(db)],
        ["fetch", "tiktok", "--username", "veganglow.tt", "--days", "60", "--db", str(db)],
        ["fetch", "tiktok", "--query", "vegan", "--region", "US", "--db", str(db)],
        [
            "fetch",
            "tiktok",
            "--username",
            "veganglow.tt",
            "--max",
            "250",
            "--days",
            "60",
            "--dry-run",
            "--db",
            str(db),
        ],
        ["auth", "status"],
    ]
    outputs = []
    for args in runs:
        done = cli(social, tmp_path, *args)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    assert "video.query: 4 call(s)" in outputs[3]  # 3 pages of 100 + one more for the second window
    assert "quarantined 1" in " ".join(outputs[0].split())
    bad = cli(social, tmp_path, "fetch", "instagram", "--username", "greenbeauty", "--db", str(db))
    assert bad.returncode == 0  # a second run of the same account (a new snapshot)
    rebuilt = tmp_path / "rebuilt.duckdb"
    done = cli(social, tmp_path, "ingest", str(archive_folder(db)), "--db", str(rebuilt))
    assert done.returncode == 0, done.stderr
    outputs.append(bad.stdout + bad.stderr + done.stdout + done.stderr)
    with Workspace(db, read_only=True) as a, Workspace(rebuilt, read_only=True) as b:
        for name, order in (
            ("creators", "creator_id"),
            ("posts", "post_id"),
            ("creator_aliases", "alias_id"),
        ):
            assert table(a, name, order) == table(b, name, order), name
        assert len(table(a, "posts", "post_id")) == 60 + 7 + 250 + 12
        assert table(a, "ingests", "sha256") == table(b, "ingests", "sha256")
    # the token was really sent (the emulator refuses anything else), and is nowhere on disk
    assert f"Bearer {IG_TOKEN}" in social.state.auth_seen and f"Bearer {TT_TOKEN}" in social.state.auth_seen
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".gz" for p in files)
    for path in files:
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        for secret in SECRETS:
            assert secret.encode() not in text, (path, secret[:6])
    for output in outputs:
        assert not any(secret in output for secret in SECRETS)
    archived = b"".join(gzip.decompress(p.read_bytes()) for p in files if p.suffix == ".gz")
    assert b"access_token=[redacted]" in archived  # the paging.next links, redacted


@pytest.mark.slow
@pytest.mark.parametrize(
    ("endpoint", "args", "pages"),
    [
        ("business_discovery", ["fetch", "instagram", "--username", "veganglow.kr"], {"business_discovery": 3}),
        ("video_query", ["fetch", "tiktok", "--username", "veganglow.tt", "--days", "60"],
         {"user_info": 1, "video_query": 3}),
    ],
)  # fmt: skip
def test_sigkill_mid_fetch_then_resume_fetches_every_page_once(
    tmp_path: Path, social: SocialEmulator, endpoint: str, args: list[str], pages: dict[str, int]
) -> None:
    social.state.tt_last_day = (datetime.now(UTC) - timedelta(days=1)).date()
    social.state.hang_at[endpoint] = 2  # the second page never answers
    db = tmp_path / "ws.duckdb"
    command = [*args, "--db", str(db)]
    env = cli_env(social, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "creatorlens", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert social.state.hung.wait(120), "the fetch never reached the second page"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    social.state.hang_at.clear()
    social.state.release.set()
    done = cli(social, tmp_path, *command, "--resume")
    assert done.returncode == 0, done.stderr
    assert "(resumed)" in done.stdout
    for name, count in pages.items():
        served = social.state.served_pages(name)
        assert (len(served), set(served.values())) == (count, {1}), name
