"""API keys (only a SHA-256 hash is stored), CSRF tokens for form posts, bounded uploads.

The key store itself is the core's (``creatorlens.store._keys``, table ``api_keys``), so that
``creatorlens keys`` works without the web package and while the server runs; it is re-exported
here for the web routes.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from creatorlens.store._keys import KEY_PREFIX as KEY_PREFIX
from creatorlens.store._keys import KeyInfo as KeyInfo
from creatorlens.store._keys import create_key as create_key
from creatorlens.store._keys import list_keys as list_keys
from creatorlens.store._keys import revoke_key as revoke_key
from creatorlens.store._keys import verify_key as verify_key
from creatorlens.store._schema import API_KEYS as API_KEYS

CSRF_COOKIE = "creatorlens_csrf"
CSRF_FIELD = "csrf_token"
#: Default upload limit (bytes) of POST /api/v1/ingest; create_app(max_upload_bytes=...) sets it.
DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024


class UploadTooLarge(Exception):
    """The upload went past the configured size limit (HTTP 413)."""


# -- CSRF (double-submit: a random token in a SameSite cookie and in the form) -----------------
def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(cookie_token: str | None, form_token: str | None) -> bool:
    if not cookie_token or not form_token:
        return False
    return hmac.compare_digest(cookie_token, form_token)


# -- uploads -----------------------------------------------------------------------------------
class _Readable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


async def save_upload(
    upload: _Readable, filename: str, *, max_bytes: int, directory: Path | None = None
) -> Path:
    """Stream an upload to a temporary file, stopping at ``max_bytes`` (then nothing is kept).

    The file keeps the upload's base name (without any folder part) because ingest reads the
    format, platform and observation date from the name.
    """
    safe_name = Path(filename.replace("\\", "/")).name or "upload"
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


def key_info_dict(info: KeyInfo) -> dict[str, Any]:
    return {
        "key_id": info.key_id,
        "name": info.name,
        "created_at": info.created_at,
        "revoked_at": info.revoked_at,
    }


# -- request body limit (before multipart parsing spools anything) ------------------------------
#: Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 64 * 1024

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: POST bodies on ``paths`` larger than ``max_bytes`` get 413.

    A declared Content-Length is checked before anything is read; a chunked body is counted as
    it arrives and cut off once over the limit, so an upload never fills the disk.
    """

    def __init__(self, app: ASGIApp, *, paths: tuple[str, ...], max_bytes: int) -> None:
        self.app = app
        self.paths = paths
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {"error": f"request body is larger than the limit of {limit:,} bytes", "status": 413}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
