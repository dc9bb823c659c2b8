"""`creatorlens auth login tiktok|instagram` as a user runs it (a subprocess), against the
loopback emulator's authorize page and token endpoints (official field names: TikTok Login Kit
for Desktop and token management; Facebook Login's manual flow). The test plays the browser:
it opens the printed loopback URL, which redirects to the emulator's login page, which redirects
back to the CLI's loopback server with the code.

Checked: a callback with a wrong state is refused (400) and the login goes on; the code is
exchanged once, with a PKCE verifier whose hex SHA-256 is the challenge the authorize page got
(TikTok); the tokens land in the 0600 credentials file `auth set` writes, and a fetch then works
from them; a refused consent is a clear error; no credential reaches the output or any other file."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest

from ._helpers import cli_env
from .social_emulator import (
    FB_APP_ID,
    FB_APP_SECRET,
    FB_SHORT_TOKEN,
    IG_TOKEN,
    IG_USER_ID,
    TT_CLIENT_KEY,
    TT_CLIENT_SECRET,
    SocialEmulator,
    TtUser,
)

START_LINE = re.compile(r"open (http://127\.0\.0\.1:(\d+)/start) ")


def env_for(social: SocialEmulator, tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in cli_env(social, tmp_path).items()
        if not k.startswith(("CREATORLENS_INSTAGRAM_ACCESS", "CREATORLENS_INSTAGRAM_IG_USER"))
    }
    return {
        **env,
        "PYTHONUNBUFFERED": "1",
        "CREATORLENS_TIKTOK_DISPLAY_CLIENT_KEY": TT_CLIENT_KEY,
        "CREATORLENS_TIKTOK_DISPLAY_CLIENT_SECRET": TT_CLIENT_SECRET,
        "CREATORLENS_TIKTOK_AUTHORIZE_URL": f"{social.root}/v2/auth/authorize/",
        "CREATORLENS_TIKTOK_TOKEN_URL": f"{social.root}/v2/oauth/token/",
        "CREATORLENS_FACEBOOK_APP_APP_ID": FB_APP_ID,
        "CREATORLENS_FACEBOOK_APP_APP_SECRET": FB_APP_SECRET,
        "CREATORLENS_FACEBOOK_AUTHORIZE_URL": f"{social.root}/v21.0/dialog/oauth",
        "CREATORLENS_FACEBOOK_TOKEN_URL": f"{social.instagram_url}/oauth/access_token",
        "CREATORLENS_FACEBOOK_ACCOUNTS_URL": f"{social.instagram_url}/me/accounts",
    }


def login_as_browser(
    env: dict[str, str], cwd: Path, platform: str, *, forge_first: bool = True
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Start `auth login PLATFORM --no-browser`, then act as the user's browser; returns the
    finished process and the HTTP statuses the browser saw (forged callback, final page)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "creatorlens", "auth", "login", platform, "--no-browser", "--timeout", "60"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
    )  # fmt: skip
    statuses = []
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = START_LINE.search(first)
        assert found, first + (proc.stderr.read() if proc.stderr else "")
        start, port = found.group(1), found.group(2)
        if forge_first:  # another page trying to slip its own code in: wrong state
            forged = httpx.get(f"http://127.0.0.1:{port}/callback/?code=evil&state=forged", timeout=10)
            statuses.append(forged.status_code)
        page = httpx.get(start, follow_redirects=True, timeout=30)
        statuses.append(page.status_code)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(proc.args, proc.returncode, first + out, err), statuses


def credentials(tmp_path: Path) -> tuple[dict[str, dict[str, str]], int]:
    path = tmp_path / "config" / "credentials.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")), stat.S_IMODE(path.stat().st_mode)


def no_secret_anywhere(tmp_path: Path, outputs: list[str], secrets: list[str]) -> None:
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "credentials.toml":
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, (path, secret[:6])
    for text in outputs:
        for secret in secrets:
            assert secret not in text, secret[:6]


def test_tiktok_login_stores_the_tokens_and_a_fetch_uses_them(tmp_path: Path, social: SocialEmulator) -> None:
    social.state.me = TtUser("veganglow.tt", 210_000, 5, region="KR")
    env = env_for(social, tmp_path)
    done, statuses = login_as_browser(env, tmp_path, "tiktok")
    assert done.returncode == 0, done.stdout + done.stderr
    assert statuses == [400, 200]  # the forged callback refused, the real one accepted
    assert "logged in to tiktok as -000emulatorOpenId0001" in done.stdout
    assert "saved access_expires_at, access_token, refresh_token (section tiktok_display)" in done.stdout
    assert "(mode 0600)" in done.stdout
    # one code exchange, with the verifier of the challenge the authorize page saw (checked there)
    [exchange] = social.state.exchanges
    assert exchange["grant_type"] == "authorization_code"
    assert 43 <= len(exchange["code_verifier"]) <= 128
    assert exchange["redirect_uri"].startswith("http://127.0.0.1:") and exchange["redirect_uri"].endswith("/callback/")
    [issued] = social.state.auth_codes.values()
    assert issued["used"] and issued["scope"] == "user.info.basic,user.info.profile,user.info.stats,video.list"
    stored, mode = credentials(tmp_path)
    assert mode == 0o600
    assert stored["tiktok_display"]["access_token"] == "act.emulator-user-token-0001"
    assert stored["tiktok_display"]["refresh_token"] == social.state.refresh_token
    # the Display API now answers with the stored token (the app key and secret from the env)
    db = str(tmp_path / "ws.duckdb")
    fetched = subprocess.run(
        [sys.executable, "-m", "creatorlens", "fetch", "tiktok", "--me", "--max", "5", "--db", db],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert social.state.refreshes == 1  # the stored access token was valid: no refresh needed
    secrets = [TT_CLIENT_KEY, TT_CLIENT_SECRET, "act.emulator-user-token-0001", social.state.refresh_token,
               *social.state.auth_codes, exchange["code_verifier"]]  # fmt: skip
    no_secret_anywhere(tmp_path, [done.stdout, done.stderr, fetched.stdout, fetched.stderr], secrets)


def test_instagram_login_through_facebook_stores_the_long_lived_token_and_account(
    tmp_path: Path, social: SocialEmulator
) -> None:
    env = env_for(social, tmp_path)
    done, statuses = login_as_browser(env, tmp_path, "instagram", forge_first=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert statuses == [200]
    assert f"logged in to instagram as {IG_USER_ID}" in done.stdout
    # code -> short-lived token -> long-lived token, no PKCE (a confidential client)
    assert [e.get("grant_type") for e in social.state.exchanges] == [None, "fb_exchange_token"]
    assert "code_verifier" not in social.state.exchanges[0]
    stored, mode = credentials(tmp_path)
    assert mode == 0o600
    assert stored["instagram"]["access_token"] == IG_TOKEN
    assert stored["instagram"]["ig_user_id"] == IG_USER_ID
    assert stored["instagram"]["access_expires_at"] > "2026"
    fetched = subprocess.run(
        [sys.executable, "-m", "creatorlens", "fetch", "instagram", "--username", "veganglow.kr", "--max", "0",
         "--db", str(tmp_path / "ws.duckdb")],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    secrets = [FB_APP_SECRET, FB_SHORT_TOKEN, IG_TOKEN, *social.state.auth_codes]
    no_secret_anywhere(tmp_path, [done.stdout, done.stderr, fetched.stdout, fetched.stderr], secrets)


def test_a_refused_consent_is_a_clear_error_and_stores_nothing(tmp_path: Path, social: SocialEmulator) -> None:
    social.state.consent = False
    done, statuses = login_as_browser(env_for(social, tmp_path), tmp_path, "tiktok", forge_first=False)
    assert done.returncode == 2 and statuses == [200]
    assert "the authorization was refused (access_denied: The user denied the request)" in done.stderr
    assert not (tmp_path / "config" / "credentials.toml").exists()
    assert social.state.exchanges == []


@pytest.mark.parametrize("platform", ["youtube", "nosuch"])
def test_only_oauth_platforms_log_in(tmp_path: Path, social: SocialEmulator, platform: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "creatorlens", "auth", "login", platform, "--no-browser"],
        env=env_for(social, tmp_path), capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "choose tiktok or instagram" in done.stderr


def test_missing_app_credentials_name_the_variables(tmp_path: Path, social: SocialEmulator) -> None:
    env = {k: v for k, v in env_for(social, tmp_path).items() if "DISPLAY_CLIENT" not in k}
    done = subprocess.run(
        [sys.executable, "-m", "creatorlens", "auth", "login", "tiktok", "--no-browser"],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "CREATORLENS_TIKTOK_DISPLAY_CLIENT_KEY" in done.stderr and "auth set tiktok_display" in done.stderr
    assert os.environ.get("CREATORLENS_TIKTOK_DISPLAY_CLIENT_KEY") is None
