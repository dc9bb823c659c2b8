"""Web dashboard and REST API (FastAPI): `creatorlens serve`."""

from creatorlens.presentation._i18n import SUPPORTED as LANGUAGES
from creatorlens.web._app import API_PREFIX, WorkspacePool, create_app
from creatorlens.web._security import (
    API_KEYS,
    DEFAULT_MAX_UPLOAD_BYTES,
    KeyInfo,
    create_key,
    list_keys,
    revoke_key,
    verify_key,
)

__all__ = [
    "API_KEYS",
    "API_PREFIX",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "LANGUAGES",
    "KeyInfo",
    "WorkspacePool",
    "create_app",
    "create_key",
    "list_keys",
    "revoke_key",
    "verify_key",
]
