"""`fetch tiktok --me`: the Display API for the user's own account with a user access token that
creatorlens refreshes itself. An expired token is refreshed once (the rotated refresh token and
the new access token written back to the credentials file, mode 0600), a token the API refuses is
refreshed once and the call repeated once, a refused refresh is a clear credential error; no
token reaches the archive, the workspace or an error message."""

from __future__ import annotations

import gzip
import stat
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.errors import CredentialError, OptionError, UserError
from creatorlens.ingest.collect import FetchSpec, credentials_path, save_credentials

from .emulator import Clock, Fault
from .social_emulator import (
    TT_CLIENT_SECRET,
    TT_DISPLAY_CREDENTIALS,
    TT_DISPLAY_REFRESH,
    SocialEmulator,
    TtUser,
    tiktok_error,
)

ME = FetchSpec("tiktok", own=True, max_items=45)
OLD_TOKEN = "act.emulator-user-token-OLD"


@pytest.fixture
def me(social: SocialEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SocialEmulator:
    """The emulator with the user's own account, and a credentials file in the test's folder."""
    monkeypatch.setenv("CREATORLENS_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("CLIENT_KEY", "CLIENT_SECRET", "REFRESH_TOKEN", "ACCESS_TOKEN"):
        monkeypatch.delenv(f"CREATORLENS_TIKTOK_DISPLAY_{name}", raising=False)
    social.state.me = TtUser("veganglow.tt", 210_000, 50, region="KR")
    return social


def stored() -> dict[str, str]:
    return dict(tomllib.loads(credentials_path().read_text(encoding="utf-8"))["tiktok_display"])


def run(ws: Workspace, emu: SocialEmulator, clock: Clock, **options: Any) -> Any:
    return ws.fetch(ME, base_url=emu.tiktok_url, clock=clock, sleep=clock.sleep, **options)


def secrets_on_disk(root: Path, secrets: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or path == credentials_path():
            continue
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        found += [(str(path), s[:8]) for s in secrets if s.encode() in text]
    return found


def test_an_expired_token_is_refreshed_once_and_stored_back(
    tmp_path: Path, me: SocialEmulator, clock: Clock
) -> None:
    save_credentials(
        "tiktok_display",
        {**TT_DISPLAY_CREDENTIALS, "access_token": OLD_TOKEN,
         "access_expires_at": (clock.now - timedelta(hours=1)).isoformat()},
    )  # fmt: skip
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, me, clock)
        assert report.results == [
            {"username": "veganglow.tt", "open_id": me.state.me_open_id, "followers": 210_000, "videos": 45}
        ]
        assert me.state.refreshes == 1
        # the rotated refresh token replaced the old one (which no longer works), with the new
        # access token and its expiry from expires_in; the file stays private
        kept = stored()
        assert kept["refresh_token"] == "rft.emulator-refresh-token-0002" != TT_DISPLAY_REFRESH
        assert kept["access_token"] == "act.emulator-user-token-0001"
        assert kept["access_expires_at"] == (clock.now + timedelta(days=1)).isoformat()
        assert stat.S_IMODE(credentials_path().stat().st_mode) == 0o600
        [creator] = ws.store.table("creators").to_pyarrow().to_pylist()
        assert (creator["handle"], creator["platform_id"], creator["followers"]) == (
            "veganglow.tt", me.state.me_open_id, 210_000,
        )  # fmt: skip
        assert int(ws.store.table("posts").count().execute()) == 45
        # video.list pages of 20 with the millisecond cursor: 20 + 20 + 5, each once
        pages = [p for e, p, _ in me.state.log if e == "display_video_list"]
        assert [p["max_count"] for p in pages] == [20, 20, 5] and "cursor" not in pages[0]
        assert set(me.state.served_pages("display_video_list").values()) == {1}
        # the next run within the token's lifetime uses the stored token: no refresh
        clock.now += timedelta(hours=2)
        again = run(ws, me, clock)
        assert again.status == "done" and me.state.refreshes == 1
    tokens = [OLD_TOKEN, TT_DISPLAY_REFRESH, kept["refresh_token"], kept["access_token"], TT_CLIENT_SECRET]
    assert secrets_on_disk(tmp_path, tokens) == []


def test_a_refused_token_is_refreshed_once_and_the_call_repeated(
    tmp_path: Path, me: SocialEmulator, clock: Clock
) -> None:
    """The stored token looks valid by its expiry but the API refuses it (revoked)."""
    save_credentials(
        "tiktok_display",
        {**TT_DISPLAY_CREDENTIALS, "access_token": OLD_TOKEN,
         "access_expires_at": (clock.now + timedelta(hours=5)).isoformat()},
    )  # fmt: skip
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, me, clock)
    assert report.status == "done" and me.state.refreshes == 1
    calls = [(e, s) for e, _, s in me.state.log]
    assert calls[:3] == [("display_user_info", 401), ("token", 200), ("display_user_info", 200)]
    assert stored()["access_token"] == "act.emulator-user-token-0001"


def test_refused_again_after_the_refresh_is_an_error_not_a_loop(
    tmp_path: Path, me: SocialEmulator, clock: Clock
) -> None:
    refused = Fault(401, body=tiktok_error("access_token_invalid", "The access token is invalid."))
    me.state.fail("display_user_info", refused, refused)
    save_credentials("tiktok_display", dict(TT_DISPLAY_CREDENTIALS))
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="access_token_invalid"):
        run(ws, me, clock)
    # no stored access token: one refresh before the first call, none after the refusals... but
    # the first refusal asked for one more, and the second ended the run
    assert me.state.refreshes == 2
    assert [e for e, _, _ in me.state.log].count("display_user_info") == 2


def test_a_refused_refresh_is_a_clear_credential_error(
    tmp_path: Path, me: SocialEmulator, clock: Clock
) -> None:
    save_credentials("tiktok_display", {**TT_DISPLAY_CREDENTIALS, "refresh_token": "rft.revoked-by-the-user"})
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(CredentialError) as caught:
        run(ws, me, clock)
    message = str(caught.value)
    assert (
        "the refresh token was refused (HTTP 400, invalid_grant: Refresh token is invalid or expired.)"
        in message
    )
    assert "creatorlens auth set tiktok_display" in message
    assert "rft.revoked" not in message and TT_CLIENT_SECRET not in message
    assert me.state.refreshes == 0 and [e for e, _, _ in me.state.log] == ["token"]
    assert stored()["refresh_token"] == "rft.revoked-by-the-user"  # nothing overwritten


def test_me_takes_no_username_and_is_tiktok_only() -> None:
    with pytest.raises(OptionError, match="your own account only"):
        FetchSpec("tiktok", own=True, usernames=("a",)).check()
    with pytest.raises(OptionError, match="TikTok's Display API only"):
        FetchSpec("instagram", own=True, usernames=("a",)).check()


def test_fetch_me_from_the_cli_and_from_a_watch_list(tmp_path: Path, me: SocialEmulator) -> None:
    """As a user runs it: `auth set tiktok_display` stored the refresh token, `fetch tiktok --me`
    refreshes and saves the rotated one (mode 0600), a watch list's `me = true` uses it the next
    time; a revoked refresh token exits 2 with the message. No token in any output."""
    import subprocess
    import sys

    from ._helpers import cli_env

    save_credentials("tiktok_display", dict(TT_DISPLAY_CREDENTIALS))
    env = {**cli_env(me, tmp_path), "CREATORLENS_CONFIG_DIR": str(credentials_path().parent)}
    db = str(tmp_path / "ws.duckdb")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "creatorlens", *args], env=env, capture_output=True, text=True
        )

    first = cli("fetch", "tiktok", "--me", "--max", "25", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "veganglow.tt" in first.stdout and me.state.refreshes == 1
    assert stored()["refresh_token"] == "rft.emulator-refresh-token-0002"
    assert stat.S_IMODE(credentials_path().stat().st_mode) == 0o600
    (tmp_path / "watch.toml").write_text("[tiktok]\nme = true\nmax = 5\n", encoding="utf-8")
    watched = cli("watch", "--list", str(tmp_path / "watch.toml"), "--db", db)
    assert watched.returncode == 0, watched.stderr
    assert "done: tiktok your own account" in watched.stdout and me.state.refreshes == 1  # token still valid
    me.state.refresh_token = "rft.rotated-elsewhere"  # e.g. another machine refreshed it
    save_credentials(
        "tiktok_display", {"access_token": "act.expired", "access_expires_at": "2020-01-01T00:00:00+00:00"}
    )
    refused = cli("fetch", "tiktok", "--me", "--db", db)
    assert refused.returncode == 2 and "the refresh token was refused" in refused.stderr
    tokens = [
        TT_DISPLAY_REFRESH,
        "rft.emulator-refresh-token-0002",
        "act.emulator-user-token-0001",
        TT_CLIENT_SECRET,
    ]
    for done in (first, watched, refused):
        assert not any(t in done.stdout + done.stderr for t in tokens)
    assert secrets_on_disk(tmp_path, tokens) == []
