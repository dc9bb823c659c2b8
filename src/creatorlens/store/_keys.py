"""API keys of the REST API, kept in the workspace (table ``api_keys``; only SHA-256 hashes).

Keys look like ``clk_<key id>_<secret>``; the key itself is shown once, by ``creatorlens keys
create``. This lives in the core (not in the web package) so that ``creatorlens keys`` works in
a build without the web extra and while ``creatorlens serve`` runs (see docs/concurrency.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from creatorlens.store._schema import API_KEYS
from creatorlens.store._store import Store

KEY_PREFIX = "clk_"


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(store: Store, name: str) -> tuple[str, str]:
    """Store a new key's hash; returns ``(key_id, key)``. The key cannot be recovered later."""
    key_id = secrets.token_hex(4)  # the table is made by migration v4 (store._migrations)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(24)}"
    row = {
        "key_id": [key_id],
        "name": [name],
        "sha256": [_hash(key)],
        "created_at": [_now()],
        "revoked_at": [None],
    }
    store.insert_new(API_KEYS, pa.table(row))
    return key_id, key


def list_keys(store: Store) -> list[KeyInfo]:
    if not store.has_table(API_KEYS.name):
        return []
    rows = store.exec(
        'SELECT key_id, name, created_at, revoked_at FROM "api_keys" ORDER BY created_at, key_id'
    )
    return [KeyInfo(*r) for r in rows]


def revoke_key(store: Store, key_id: str) -> bool:
    """Mark a key revoked; False when no active key has that id."""
    if not store.has_table(API_KEYS.name):
        return False
    hit = store.exec(
        'UPDATE "api_keys" SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL '
        "RETURNING key_id",
        [_now(), key_id],
    )
    return bool(hit)


def verify_key(store: Store, presented: str | None) -> bool:
    """True when ``presented`` is an active key (compared by hash, in constant time)."""
    if not presented or not presented.startswith(KEY_PREFIX) or not store.has_table(API_KEYS.name):
        return False
    digest = _hash(presented)
    rows = store.exec(
        'SELECT sha256 FROM "api_keys" WHERE sha256 = ? AND revoked_at IS NULL', [digest]
    )
    return any(hmac.compare_digest(digest, str(h)) for (h,) in rows)
