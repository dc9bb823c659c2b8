"""`fetch youtube --dry-run` prices the calls without calling; `auth set` stores credentials in a
0600 file that the collector reads; nothing prints a credential."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens.cli import app
from creatorlens.ingest.collect import credentials_path, load_credentials

from .emulator import CHANNEL_ID, Emulator


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CREATORLENS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CREATORLENS_YOUTUBE_API_KEY", raising=False)
    return tmp_path / "config"


def test_dry_run_prices_calls_and_calls_nothing(tmp_path: Path, emulator: Emulator) -> None:
    db = tmp_path / "ws.duckdb"
    result = CliRunner().invoke(
        app, ["fetch", "youtube", "--channel", CHANNEL_ID, "--max", "120", "--dry-run", "--db", str(db),
              "--base-url", emulator.base_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "playlistItems.list: 3 call(s) × 1 unit(s)" in result.output
    assert "at most 7 units; 10,000 of 10,000 left today" in result.output
    search = CliRunner().invoke(
        app, ["fetch", "youtube", "--search", "vegan", "--max", "200", "--dry-run", "--db", str(db)]
    )
    assert "search.list: 4 call(s) × 100 unit(s)" in search.output and "at most 404 units" in search.output
    assert emulator.state.log == [] and not db.exists()  # no call, no workspace, no credential needed


def test_auth_set_writes_a_private_file(config_dir: Path) -> None:
    secret = "AIzaTYPED-by-the-user-42"
    result = CliRunner().invoke(app, ["auth", "set", "youtube"], input=f"{secret}\n")
    assert result.exit_code == 0, result.output
    path = credentials_path()
    assert path.parent == config_dir and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_credentials("youtube") == {"api_key": secret}
    status = CliRunner().invoke(app, ["auth", "status"])
    assert f"youtube.api_key: {path}" in status.output
    assert secret not in result.output + status.output


def test_missing_credential_names_the_variable(tmp_path: Path, emulator: Emulator) -> None:
    result = CliRunner().invoke(
        app, ["fetch", "youtube", "--channel", CHANNEL_ID, "--db", str(tmp_path / "ws.duckdb"),
              "--base-url", emulator.base_url],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "CREATORLENS_YOUTUBE_API_KEY" in result.output and "auth set youtube" in result.output


def test_a_readable_credentials_file_is_refused(config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "credentials.toml"
    path.write_text('[youtube]\napi_key = "AIzaLEAKY-1234"\n')
    path.chmod(0o644)
    result = CliRunner().invoke(app, ["auth", "status"])
    assert result.exit_code == 2 and "chmod 600" in result.output and "AIzaLEAKY" not in result.output


def test_quota_stop_exits_3(tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from .emulator import API_KEY

    monkeypatch.setenv("CREATORLENS_YOUTUBE_API_KEY", API_KEY)
    result = CliRunner().invoke(
        app, ["fetch", "youtube", "--channel", CHANNEL_ID, "--budget", "2", "--db", str(tmp_path / "ws.duckdb"),
              "--base-url", emulator.base_url],
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "0 units left today" in result.output and "--resume" in result.output


def test_auth_set_tiktok_display_may_leave_the_refresh_token_to_auth_login(config_dir: Path) -> None:
    """Before `auth login tiktok` there is no refresh token yet: Enter leaves it out."""
    result = CliRunner().invoke(app, ["auth", "set", "tiktok_display"], input="awkey-typed\nsecret-typed\n\n")
    assert result.exit_code == 0, result.output
    assert load_credentials("tiktok_display", required=False) == {
        "client_key": "awkey-typed", "client_secret": "secret-typed",
    }  # fmt: skip
    assert "saved tiktok_display credentials (client_key, client_secret)" in result.output
    assert "secret-typed" not in result.output and "awkey-typed" not in result.output
    facebook = CliRunner().invoke(app, ["auth", "set", "facebook_app"], input="12345\nfb-secret-typed\n")
    assert facebook.exit_code == 0, facebook.output
    assert load_credentials("facebook_app") == {"app_id": "12345", "app_secret": "fb-secret-typed"}
    assert stat.S_IMODE(credentials_path().stat().st_mode) == 0o600
