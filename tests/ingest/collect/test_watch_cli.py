"""`creatorlens watch` and `creatorlens history` as a user runs them (a subprocess on the real
clock, the emulators' URLs and credentials in the environment, as cron would pass them): the first
start fetches every job, the second finds nothing due; `history` prints the daily table; and no
credential of any platform reaches the archive, the watch state, the logs, the workspace or the
output."""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ._helpers import cli_env
from .emulator import API_KEY, Emulator
from .social_emulator import IG_TOKEN, TT_CLIENT_KEY, TT_CLIENT_SECRET, TT_TOKEN, SocialEmulator

SECRETS = (API_KEY, IG_TOKEN, TT_TOKEN, TT_CLIENT_KEY, TT_CLIENT_SECRET)
WATCH = """
[youtube]
channels = ["@veganglow"]
max = 3

[instagram]
usernames = ["veganglow.kr"]
max = 25

[tiktok]
usernames = ["veganglow.tt"]
days = 2
"""


def test_watch_then_history_from_the_cli_and_no_credential_anywhere(
    tmp_path: Path, emulator: Emulator, social: SocialEmulator
) -> None:
    social.state.tt_last_day = (datetime.now(UTC) - timedelta(days=1)).date()
    env = {
        **cli_env(social, tmp_path),
        "CREATORLENS_YOUTUBE_API_KEY": API_KEY,
        "CREATORLENS_YOUTUBE_BASE_URL": emulator.base_url,
    }
    (tmp_path / "watch.toml").write_text(WATCH, encoding="utf-8")
    db = tmp_path / "ws.duckdb"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "creatorlens", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    first = cli("watch", "--db", str(db))  # --list defaults to ./watch.toml
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("done: ") == 3, first.stdout
    assert "done: youtube @veganglow — 3 requests, 3 units" in first.stdout
    served = len(emulator.state.log) + len(social.state.log)
    second = cli("watch", "--list", "watch.toml", "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert "done: " not in second.stdout and second.stdout.count("not due: ") == 3
    assert len(emulator.state.log) + len(social.state.log) == served  # nothing fetched
    history = cli("history", "veganglow.tt", "--platform", "tiktok", "--db", str(db))
    assert history.returncode == 0, history.stderr
    today = datetime.now(UTC).date().isoformat()
    assert today in history.stdout and "210,000" in history.stdout
    assert "30-day change" in history.stdout and "not enough history" in history.stdout
    bad = cli("watch", "--list", "missing.toml", "--db", str(db))
    assert bad.returncode == 2 and "no watch list" in bad.stderr
    # no credential anywhere on disk (gzip'd archive objects read uncompressed) or in any output
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "watch.json" for p in files) and any(p.suffix == ".gz" for p in files)
    for path in files:
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        for secret in SECRETS:
            assert secret.encode() not in text, (path, secret[:6])
    for done in (first, second, history, bad):
        assert not any(secret in done.stdout + done.stderr for secret in SECRETS)
