"""What several collector tests share: the environment that points the CLI at the social emulator."""

from __future__ import annotations

import os
from pathlib import Path

from .social_emulator import IG_TOKEN, IG_USER_ID, TT_CLIENT_KEY, TT_CLIENT_SECRET, SocialEmulator

SRC = Path(__file__).resolve().parents[3] / "src"


def cli_env(emu: SocialEmulator, tmp_path: Path) -> dict[str, str]:
    """The environment of a `creatorlens` subprocess that fetches from the emulator, with its
    config and logs under ``tmp_path``."""
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "CREATORLENS_INSTAGRAM_ACCESS_TOKEN": IG_TOKEN,
        "CREATORLENS_INSTAGRAM_IG_USER_ID": IG_USER_ID,
        "CREATORLENS_INSTAGRAM_BASE_URL": emu.instagram_url,
        "CREATORLENS_TIKTOK_CLIENT_KEY": TT_CLIENT_KEY,
        "CREATORLENS_TIKTOK_CLIENT_SECRET": TT_CLIENT_SECRET,
        "CREATORLENS_TIKTOK_BASE_URL": emu.tiktok_url,
        "CREATORLENS_CONFIG_DIR": str(tmp_path / "config"),
        "CREATORLENS_LOG_DIR": str(tmp_path / "logs"),
    }
