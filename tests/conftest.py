"""Shared fixtures: the real data sets beside the checkout, and a fresh workspace file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import creatorlens

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def missing(what: str) -> None:
    """A dependency of a test is absent: a failure, never a skip (`make test` installs them all)."""
    pytest.fail(f"{what}; `make test` installs every test dependency (see the Makefile)", pytrace=False)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        missing("../shared/data is not beside this checkout (CI clones with ../shared beside it)")
    return SHARED_DATA


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[creatorlens.Workspace]:
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    yield ws
    ws.close()
