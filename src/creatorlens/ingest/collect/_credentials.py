"""The user's own API credentials: environment variables first, then a config file.

The file is ``$CREATORLENS_CONFIG_DIR/credentials.toml`` (default
``$XDG_CONFIG_HOME/creatorlens/credentials.toml``, i.e. ``~/.config/creatorlens/credentials.toml``),
written by ``creatorlens auth set PLATFORM`` with mode 0600. Values are never printed, logged,
archived or put in an error message: messages name the variable or the file, not the value.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path

from creatorlens.errors import CredentialError

__all__ = [
    "FIELDS",
    "CredentialError",
    "credentials_path",
    "env_name",
    "load_credentials",
    "save_credentials",
]

#: What each platform's collector needs. ``ig_user_id`` is the user's own professional account id
#: (business_discovery is called through it); it is no secret but lives beside the token.
FIELDS: dict[str, tuple[str, ...]] = {
    "youtube": ("api_key",),
    "instagram": ("access_token", "ig_user_id"),
    "tiktok": ("client_key", "client_secret"),
    # The Display API (the user's own account): the app's key and secret and the user's refresh
    # token from the OAuth authorisation; creatorlens refreshes the access token itself.
    "tiktok_display": ("client_key", "client_secret", "refresh_token"),
    # The Facebook app that `creatorlens auth login instagram` logs in through (Facebook Login).
    "facebook_app": ("app_id", "app_secret"),
}
#: Fields a collector writes back (a refreshed token and its expiry): read when present. The file
#: wins over the environment for them, since only the file can be updated after a refresh.
STORED_FIELDS: dict[str, tuple[str, ...]] = {
    "tiktok_display": ("access_token", "access_expires_at", "refresh_token"),
    "instagram": ("access_expires_at",),
}
#: Fields whose values are redacted wherever they could appear.
SECRET_FIELDS = frozenset(
    {"api_key", "access_token", "client_key", "client_secret", "refresh_token", "app_secret"}
)


def env_name(platform: str, name: str) -> str:
    return f"CREATORLENS_{platform.upper()}_{name.upper()}"


def credentials_path() -> Path:
    base = os.environ.get("CREATORLENS_CONFIG_DIR")
    if base:
        return Path(base) / "credentials.toml"
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "creatorlens" / "credentials.toml"


def _check_platform(platform: str) -> None:
    if platform not in FIELDS:
        raise CredentialError(f"platform {platform!r}: choose one of {', '.join(FIELDS)}")


def _read_file(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialError(f"{path}: readable by other users (mode {mode:o}); run `chmod 600 {path}`")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CredentialError(f"{path}: not valid TOML ({exc})") from None
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in doc.items() if isinstance(v, dict)}


def load_credentials(platform: str, *, required: bool = True) -> dict[str, str]:
    """Every field of ``platform``; an environment variable wins over the file."""
    _check_platform(platform)
    stored = _read_file(credentials_path()).get(platform, {})
    values: dict[str, str] = {}
    kept = STORED_FIELDS.get(platform, ())
    for name in dict.fromkeys((*FIELDS[platform], *kept)):
        env = os.environ.get(env_name(platform, name))
        value = (stored.get(name) or env) if name in kept else (env or stored.get(name))
        if value:
            values[name] = value
    missing = [n for n in FIELDS[platform] if n not in values]
    if missing and required:
        names = ", ".join(env_name(platform, n) for n in missing)
        raise CredentialError(
            f"{platform}: no {', '.join(missing)}; set {names} or run `creatorlens auth set {platform}` "
            f"(stored in {credentials_path()}, mode 0600)"
        )
    return values


def secret_values(values: Mapping[str, str]) -> list[str]:
    return [v for k, v in values.items() if k in SECRET_FIELDS]


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string for the characters a credential holds.
    return json.dumps(value, ensure_ascii=True)


def save_credentials(platform: str, values: Mapping[str, str]) -> Path:
    """Merge ``values`` into the file (created with mode 0600, never wider) and return its path."""
    _check_platform(platform)
    unknown = set(values) - set(FIELDS[platform]) - set(STORED_FIELDS.get(platform, ()))
    if unknown:
        raise CredentialError(f"{platform}: unknown field(s) {', '.join(sorted(unknown))}")
    path = credentials_path()
    doc = _read_file(path)
    doc.setdefault(platform, {}).update({k: v for k, v in values.items() if v})
    lines = ["# creatorlens API credentials (creatorlens auth set PLATFORM); keep this file private"]
    for section in sorted(doc):
        lines.append(f"\n[{section}]")
        lines.extend(f"{k} = {_toml_string(v)}" for k, v in sorted(doc[section].items()))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
