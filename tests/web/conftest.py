"""Fixtures of the web tests. The workspace (webdata.py) is built and scored once per session;
each test gets its own copy of the file, so writes in one test never leak into another."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI

from creatorlens.web import create_app

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
