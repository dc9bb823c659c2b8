"""Shared fixtures: the real data sets beside the checkout, and a fresh workspace file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import creatorlens

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED_DATA


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[creatorlens.Workspace]:
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    yield ws
    ws.close()
