"""Fixtures of the web tests. The workspace (webdata.py) is built and scored once per session;
each test gets its own copy of the file, so writes in one test never leak into another. The
browser tests' fixtures (`server`, `browser`, `session`) are built on the helpers of _browser.py."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from creatorlens.web import create_app

from ._browser import Session, chromium, open_session, serving
from .graphdata import build_graph_workspace
from .webdata import WebWorkspace, build_workspace


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> WebWorkspace:
    return build_workspace(tmp_path_factory.mktemp("web-template"))


@pytest.fixture
def web_ws(web_template: WebWorkspace, tmp_path: Path) -> WebWorkspace:
    copy = tmp_path / "web.duckdb"
    shutil.copyfile(web_template.path, copy)
    wal = web_template.path.with_name(web_template.path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return replace(web_template, path=copy)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def app(web_ws: WebWorkspace) -> AsyncIterator[FastAPI]:
    """The app on this test's copy of the workspace (a test module may define its own)."""
    application = create_app(web_ws.path)
    yield application
    application.state.pool.close()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of ``app`` that sends what a browser sends with a form post (a test module
    may define its own)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://127.0.0.1",
        headers={"Origin": "http://127.0.0.1"},
    ) as c:
        yield c


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the web workspace, served on loopback (one per test module)."""
    ws = build_workspace(tmp_path_factory.mktemp("browser"))
    with serving(create_app(ws.path)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium (one per test module)."""
    with chromium() as b:
        yield b


@pytest.fixture
def session(browser: Any, server: str) -> Iterator[Session]:
    with open_session(browser, server) as s:
        yield s


@pytest.fixture(scope="module")
def graph_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graphdata.py's workspace: two groups of creators with their fans (one per test module)."""
    return build_graph_workspace(tmp_path_factory.mktemp("communities"))
