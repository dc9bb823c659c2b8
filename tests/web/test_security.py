"""API keys (hash only), CSRF tokens, bounded uploads."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from creatorlens._workspace import Workspace
from creatorlens.web._security import (
    BadUploadName,
    Signer,
    UploadTooLarge,
    create_key,
    list_keys,
    public_message,
    remove_upload,
    revoke_key,
    same_origin,
    save_upload,
    upload_name,
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


def test_csrf_tokens_are_signed_by_the_server() -> None:
    server, other = Signer(), Signer()
    client = Signer.new_client_id()
    token = server.csrf_token(client)
    assert server.csrf_ok(client, token)
    # the old double-submit hole: cookie and field both set to a value the attacker chose
    assert not server.csrf_ok("guess", "guess")
    assert not server.csrf_ok(Signer.new_client_id(), token)  # bound to its client id
    assert not other.csrf_ok(client, token)  # and to this server's secret
    assert not server.csrf_ok(None, token) and not server.csrf_ok(client, "")


def test_sessions_are_signed_and_expire() -> None:
    server = Signer()
    cookie = server.session("k1", now=1_000, seconds=60)
    assert server.session_key_id(cookie, now=1_030) == "k1"
    assert server.session_key_id(cookie, now=1_061) is None  # expired
    assert Signer().session_key_id(cookie, now=1_030) is None  # another server's secret
    key_id, expires, mac = cookie.split(".")
    assert server.session_key_id(f"k2.{expires}.{mac}", now=1_030) is None  # key id swapped
    assert server.session_key_id(f"{key_id}.9999999999.{mac}", now=1_030) is None  # expiry moved
    for junk in (None, "", "a.b", "a.b.c.d", "k1.soon.x"):
        assert server.session_key_id(junk, now=1_030) is None


@pytest.mark.parametrize(
    ("headers", "ok"),
    [
        ({"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8000"}, True),
        ({"host": "127.0.0.1:8000", "referer": "http://127.0.0.1:8000/plan"}, True),
        ({"host": "localhost", "origin": "http://localhost:80"}, True),
        ({"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:9000"}, False),  # other port
        ({"host": "127.0.0.1:8000", "origin": "https://evil.example"}, False),
        ({"host": "127.0.0.1:8000", "origin": "null"}, False),
        ({"host": "127.0.0.1:8000", "referer": "http://evil.example/x"}, False),
        ({"host": "127.0.0.1:8000"}, False),  # neither Origin nor Referer
        ({"host": "127.0.0.1:8000", "origin": "javascript:alert(1)"}, False),
        ({"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:99999"}, False),
    ],
)
def test_same_origin(headers: dict[str, str], ok: bool) -> None:
    assert same_origin(headers) is ok


def test_upload_names() -> None:
    assert upload_name("../../etc/creators.csv") == "creators.csv"
    assert upload_name("C:\\Users\\me\\posts.json") == "posts.json"
    assert upload_name(None) == upload_name("") == "upload"
    for bad in ("..", ".", "a/..", "x\x00.csv", "tab\t.csv", "é" * 150):
        with pytest.raises(BadUploadName):
            upload_name(bad)


def test_refused_upload_name_leaves_no_folder(tmp_path: Path) -> None:
    with pytest.raises(BadUploadName):
        asyncio.run(save_upload(_Chunks(b"a", 1), "..", max_bytes=10, directory=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_public_messages_name_no_server_path() -> None:
    assert public_message("/tmp/creatorlens-upload-ab_1/my posts.csv: row 3") == "my posts.csv: row 3"
    assert (
        public_message('cannot open "/srv/x/ws.duckdb"', ("/srv/x/ws.duckdb",))
        == 'cannot open "ws.duckdb"'
    )
    assert public_message("see /api/v1/docs; /home/u/data/y.csv") == "see /api/v1/docs; y.csv"


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
