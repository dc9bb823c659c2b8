"""API keys (hash only), CSRF tokens, bounded uploads."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from creatorlens._workspace import Workspace
from creatorlens.web._security import (
    UploadTooLarge,
    create_key,
    csrf_ok,
    list_keys,
    new_csrf_token,
    remove_upload,
    revoke_key,
    save_upload,
    verify_key,
)


def test_only_the_hash_is_stored(tmp_path: Path) -> None:
    with Workspace(tmp_path / "k.duckdb") as ws:
        key_id, key = create_key(ws.store, "ci")
        stored = ws.store.table("api_keys").to_pyarrow().to_pylist()
        assert [r["sha256"] for r in stored] == [hashlib.sha256(key.encode()).hexdigest()]
        assert key not in str(stored)
        assert verify_key(ws.store, key)
        assert not verify_key(ws.store, key + "x")
        assert not verify_key(ws.store, None)
        assert [k.key_id for k in list_keys(ws.store)] == [key_id]
        assert revoke_key(ws.store, key_id)
        assert not verify_key(ws.store, key)
        assert not revoke_key(ws.store, key_id)  # already revoked
        assert list_keys(ws.store)[0].revoked_at is not None


def test_keys_on_a_workspace_without_keys(tmp_path: Path) -> None:
    with Workspace(tmp_path / "k.duckdb") as ws:
        assert list_keys(ws.store) == []
        assert not verify_key(ws.store, "clk_x_y")
        assert not revoke_key(ws.store, "x")


def test_csrf() -> None:
    token = new_csrf_token()
    assert csrf_ok(token, token)
    assert not csrf_ok(token, new_csrf_token())
    assert not csrf_ok(None, token) and not csrf_ok(token, "")


class _Chunks:
    def __init__(self, data: bytes, size: int) -> None:
        self.parts = [data[i : i + size] for i in range(0, len(data), size)]

    async def read(self, size: int = -1) -> bytes:
        return self.parts.pop(0) if self.parts else b""


def test_save_upload_keeps_the_base_name_only(tmp_path: Path) -> None:
    path = asyncio.run(
        save_upload(
            _Chunks(b"a,b\n1,2\n", 3), "../../etc/creators.csv", max_bytes=100, directory=tmp_path
        )
    )
    assert path.name == "creators.csv" and path.parent.parent == tmp_path
    assert path.read_bytes() == b"a,b\n1,2\n"
    remove_upload(path)
    assert not path.parent.exists()


def test_save_upload_stops_at_the_limit(tmp_path: Path) -> None:
    with pytest.raises(UploadTooLarge):
        asyncio.run(save_upload(_Chunks(b"x" * 50, 10), "f.csv", max_bytes=25, directory=tmp_path))
    assert list(tmp_path.iterdir()) == []
