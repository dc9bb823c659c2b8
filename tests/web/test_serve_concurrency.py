"""With `creatorlens serve` running on a workspace, the CLI works on the same file (real
processes: the server on a random loopback port, each command its own process).

Reads share the file with the server; writes announce themselves, the server lets go of its
read-only connections for the moment of the write, and its next request reads the new data.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .webdata import WebWorkspace

CLI = str(Path(sys.executable).with_name("creatorlens"))
API = "/api/v1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cli(*args: str, timeout: str = "60") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CREATORLENS_LOCK_TIMEOUT": timeout, "COLUMNS": "200"}
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def server(web_ws: WebWorkspace) -> Iterator[httpx.Client]:
    port = _free_port()
    env = {**os.environ, "CREATORLENS_LOCK_TIMEOUT": "60"}
    proc = subprocess.Popen(
        [CLI, "serve", "--db", str(web_ws.path), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                if client.get(f"{API}/health").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)


def handles(client: httpx.Client, q: str) -> list[str]:
    r = client.get(f"{API}/creators", params={"q": q})
    assert r.status_code == 200, r.text
    return [c["handle"] for c in r.json()["items"]]


def upload(client: httpx.Client, key: str, name: str, body: bytes) -> httpx.Response:
    return client.post(
        f"{API}/ingest",
        files={"file": (name, body)},
        params={"score": "false"},
        headers={"X-API-Key": key},
    )


def test_cli_reads_and_writes_while_serve_runs(
    server: httpx.Client, web_ws: WebWorkspace, tmp_path: Path
) -> None:
    db = str(web_ws.path)
    assert handles(server, "glowkim") == ["glowkim"]
    assert handles(server, "latecomer") == []  # now in the server's search cache, too

    # reads share the file with the server
    listed = cli("creators", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert "glowkim" in {r["handle"] for r in json.loads(listed.stdout)}
    shown = cli("show", "glowkim", "--db", db)
    assert shown.returncode == 0 and "glowkim" in shown.stdout, shown.stderr

    # writes wait for the server to let go, then the server reads what they wrote
    new = tmp_path / "latecomer.csv"
    new.write_text(
        "platform,handle,display_name,followers,country\ninstagram,latecomer,Late Comer,12345,KR\n"
    )
    ingested = cli("ingest", str(new), "--db", db)
    assert ingested.returncode == 0, ingested.stderr
    scored = cli("score", "--db", db)
    assert scored.returncode == 0 and "scored 7 creators" in scored.stdout, scored.stderr
    assert handles(server, "latecomer") == ["latecomer"]
    r = server.get(f"{API}/creators/instagram/latecomer")
    assert r.status_code == 200 and r.json()["creator"]["followers"] == 12345, r.text

    # a key made by the CLI works at once; the server's own write path (an upload) too
    made = cli("keys", "create", "--name", "second", "--db", db)
    assert made.returncode == 0, made.stderr
    second = made.stdout.split()[-1]
    assert second.startswith("clk_")
    assert (
        upload(server, second, "more.csv", b"platform,handle,followers\ninstagram,another,99\n").status_code
        == 200
    )
    listed = cli("creators", "--db", db, "--format", "json", "--search", "another")
    assert listed.returncode == 0, listed.stderr

    # a leaked key is revoked without stopping the server, and refused from then on
    old_id = web_ws.key.split("_")[1]
    assert upload(server, web_ws.key, "a.csv", b"platform,handle\ninstagram,a1\n").status_code == 200
    revoked = cli("keys", "revoke", old_id, "--db", db)
    assert revoked.returncode == 0 and f"revoked {old_id}" in revoked.stdout, revoked.stderr
    refused = upload(server, web_ws.key, "b.csv", b"platform,handle\ninstagram,b1\n")
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    assert upload(server, second, "c.csv", b"platform,handle\ninstagram,c1\n").status_code == 200
    keys = cli("keys", "list", "--db", db)
    assert keys.returncode == 0 and old_id in keys.stdout


def test_a_writer_that_cannot_get_the_lock_says_why(web_ws: WebWorkspace) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "time.sleep(120)", str(web_ws.path)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for args in (("keys", "revoke", "nope"), ("creators",), ("score",)):
            result = cli(*args, "--db", str(web_ws.path), timeout="1")
            assert result.returncode == 2, (args, result.stdout, result.stderr)
            message = " ".join(result.stderr.split())
            assert "locked by another process" in message and "waited 1 s" in message, message
            assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_the_server_lets_go_when_a_writer_waits_and_says_busy_meanwhile(web_ws: WebWorkspace) -> None:
    import asyncio

    from creatorlens.store._store import writer_marker
    from creatorlens.web import create_app

    app = create_app(web_ws.path)
    pool = app.state.pool
    pool.busy_timeout = 0.2
    waiting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(path)

    try:
        assert asyncio.run(get(f"{API}/creators")).status_code == 200
        assert pool._opened  # a read-only connection stays open between requests
        writer_marker(web_ws.path).write_text(str(waiting.pid))  # a live process waits to write
        deadline = time.monotonic() + 60
        while pool._opened and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not pool._opened  # the watcher closed the connections without any request
        busy = asyncio.run(get(f"{API}/creators"))
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert "busy" in busy.json()["error"]
        waiting.kill()
        waiting.wait()  # a writer that died no longer blocks anyone
        assert asyncio.run(get(f"{API}/creators")).status_code == 200
        assert not writer_marker(web_ws.path).exists()
    finally:
        waiting.kill()
        pool.close()
