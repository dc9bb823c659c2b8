"""API keys (only a SHA-256 hash is stored), signed CSRF tokens and login sessions, bounded
uploads.

The key store itself is the core's (``creatorlens.store._keys``, table ``api_keys``), so that
``creatorlens keys`` works without the web package and while the server runs; it is re-exported
here for the web routes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from creatorlens.errors import BadUploadName as BadUploadName, UploadTooLarge as UploadTooLarge
from creatorlens.store import Store
from creatorlens.store._keys import (
    KEY_PREFIX as KEY_PREFIX,
    KeyInfo as KeyInfo,
    create_key as create_key,
    list_keys as list_keys,
    revoke_key as revoke_key,
    verify_key as verify_key,
)
from creatorlens.store._schema import API_KEYS as API_KEYS

CSRF_FIELD = "csrf_token"
#: Default upload limit (bytes) of POST /api/v1/ingest; create_app(max_upload_bytes=...) sets it.
DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024


def key_problem(store: Store, presented: str | None) -> str | None:
    """Why ``presented`` does not open a keyed route (a message for the 401), or None."""
    if not presented:
        return (
            "this endpoint needs an API key in the X-API-Key header "
            "(create one with `creatorlens keys create`)"
        )
    if not verify_key(store, presented):
        return "the API key is not valid or has been revoked"
    return None


def key_is_active(store: Store, key_id: str) -> bool:
    """True when ``key_id`` names a key that exists and is not revoked (a login session's key)."""
    if not store.has_table(API_KEYS.name):
        return False
    t = store.table(API_KEYS.name)
    rows = t.filter(t.revoked_at.isnull()).select("key_id").to_pyarrow().column("key_id").to_pylist()
    return key_id in rows


def key_id_of(key: str) -> str:
    """The key id part of ``clk_<key id>_<secret>`` (keys are not valid without one)."""
    return key.removeprefix(KEY_PREFIX).partition("_")[0]


# -- text from a request -----------------------------------------------------------------------
def has_control(text: str) -> bool:
    """True when ``text`` holds a control character (C0, DEL or C1), e.g. a NUL byte."""
    return any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in text)


# -- CSRF tokens and login sessions, signed with the server's secret ----------------------------
CLIENT_COOKIE = "creatorlens_client"
SESSION_COOKIE = "creatorlens_session"
#: A dashboard login lasts this long (seconds); the key's revocation ends it at once.
SESSION_SECONDS = 12 * 3600


class Signer:
    """HMAC-SHA256 with a secret only this server process knows (a restart forgets it).

    CSRF: each browser gets a random client id in a cookie; its form token is
    ``HMAC(secret, "csrf" | client id)``. An attacker can plant a cookie (cookies on 127.0.0.1
    are shared by every port) but cannot compute the token that goes with it.
    Sessions: ``<key id>.<expiry>.<HMAC(secret, "session" | key id | expiry)>``.
    """

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def _mac(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    @staticmethod
    def new_client_id() -> str:
        return secrets.token_urlsafe(18)

    def csrf_token(self, client_id: str) -> str:
        return self._mac("csrf", client_id)

    def csrf_ok(self, client_id: str | None, token: str | None) -> bool:
        if not client_id or not token:
            return False
        return hmac.compare_digest(self.csrf_token(client_id), token)

    def session(self, key_id: str, now: float, seconds: int = SESSION_SECONDS) -> str:
        expires = str(int(now) + seconds)
        return f"{key_id}.{expires}.{self._mac('session', key_id, expires)}"

    def session_key_id(self, cookie: str | None, now: float) -> str | None:
        """The key id a valid, unexpired session cookie was issued for; else None."""
        if not cookie or cookie.count(".") != 2:
            return None
        key_id, expires, mac = cookie.split(".")
        if not expires.isdigit() or int(expires) < now:
            return None
        return key_id if hmac.compare_digest(self._mac("session", key_id, expires), mac) else None


def form_token(request: Request) -> tuple[str, str]:
    """The client id (kept, or new) and the CSRF token a form on this page carries."""
    client_id = request.cookies.get(CLIENT_COOKIE)
    if not client_id or len(client_id) > 64 or has_control(client_id):
        client_id = Signer.new_client_id()
    signer: Signer = request.app.state.signer
    return client_id, signer.csrf_token(client_id)


def keep_client(response: Response, client_id: str) -> None:
    response.set_cookie(CLIENT_COOKIE, client_id, httponly=True, samesite="strict", path="/")


def form_post_ok(request: Request, token: str | None) -> bool:
    """A form post is accepted when it comes from this server's own page (Origin / Referer)
    and carries the token signed for the client id in its cookie."""
    signer: Signer = request.app.state.signer
    return same_origin(request.headers) and signer.csrf_ok(request.cookies.get(CLIENT_COOKIE), token)


def same_origin(headers: Mapping[str, str]) -> bool:
    """True when a form post comes from a page of this server: its Origin (or, without one, its
    Referer) names the host and port the request was sent to. The Host header itself has been
    checked against the allowed hosts before this runs."""
    host = (headers.get("host") or "").lower()
    origin = headers.get("origin")
    source = origin if origin and origin != "null" else headers.get("referer")
    if not host or not source:
        return False
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port or default
    except ValueError:
        return False
    expected = urlsplit(f"{parts.scheme}://{host}")
    try:
        expected_port = expected.port or default
    except ValueError:
        return False
    return (parts.hostname, port) == (expected.hostname, expected_port)


# -- uploads -----------------------------------------------------------------------------------
class _Readable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


def upload_name(filename: str | None) -> str:
    """The base name an upload is saved under: any folder part dropped; ``..``, ``.``, control
    characters and over-long names refused (ingest reads format, platform and date from it)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        return "upload"
    if name in (".", "..") or has_control(name) or len(name.encode("utf-8")) > 200:
        raise BadUploadName(
            "the uploaded file's name cannot be used: give it a plain file name "
            "(no '..', no control characters, at most 200 bytes)"
        )
    return name


async def save_upload(
    upload: _Readable, filename: str | None, *, max_bytes: int, directory: Path | None = None
) -> Path:
    """Stream an upload to a temporary file, stopping at ``max_bytes`` (then nothing is kept).

    The file keeps the upload's base name (without any folder part) because ingest reads the
    format, platform and observation date from the name. The name is checked before the
    temporary folder is made, so a refused name leaves nothing behind.
    """
    safe_name = upload_name(filename)
    folder = Path(tempfile.mkdtemp(prefix="creatorlens-upload-", dir=directory))
    path = folder / safe_name
    written = 0
    try:
        with path.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise UploadTooLarge(f"upload is larger than the limit of {max_bytes:,} bytes")
                out.write(chunk)
    except BaseException:
        remove_upload(path)
        raise
    return path


def remove_upload(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


# -- error messages ----------------------------------------------------------------------------
#: A saved upload's folder (the file name after it is what the user sent).
_UPLOAD_FOLDER = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s'\"]*?creatorlens-upload-[^\\/\s'\"]+[\\/]")
#: Absolute paths under the usual roots (whatever remains after the known folders are gone).
_ABSOLUTE = re.compile(
    r"(?<![\w.:/])(?:/(?:tmp|var|home|root|usr|opt|work|srv|mnt|private|Users|etc)|[A-Za-z]:\\)"
    r"[^\s'\"]*?([^\\/\s'\"]+)(?=$|[\s'\",;:)])"
)


def public_message(message: str, known: tuple[str, ...] = ()) -> str:
    """``message`` without server paths: an upload's temporary folder is dropped (its file name
    stays), ``known`` paths (the workspace file) become their base name, and any other absolute
    path is cut to its last part."""
    text = _UPLOAD_FOLDER.sub("", message)
    for path in sorted({p for p in known if p}, key=len, reverse=True):
        text = text.replace(path, os.path.basename(path.rstrip("/\\")))
    return _ABSOLUTE.sub(lambda m: m.group(1), text)


def key_info_dict(info: KeyInfo) -> dict[str, Any]:
    return {
        "key_id": info.key_id,
        "name": info.name,
        "created_at": info.created_at,
        "revoked_at": info.revoked_at,
    }


# -- the upload envelope (the guard in _guard.py limits bodies) ------------------------------
#: Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
