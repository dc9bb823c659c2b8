"""Only a UserError is the client's (4xx with its message); anything else is a bug: 500 with an
error id that heads the logged traceback, and no exception text (docs/errors.md)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from creatorlens import Workspace
from creatorlens.errors import OptionError

pytestmark = pytest.mark.anyio
API = "/api/v1"


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: Starlette re-raises a 500's exception after answering (for the
    # server's own log); a real server logs it, the test looks at the answer and at our log.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        yield c


def _bug(*args: object, **kwargs: object) -> None:
    raise ValueError("secret /srv/internal/path went wrong")


async def test_a_value_error_in_a_route_is_a_500_with_an_error_id(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(Workspace, "tiers", _bug)
    with caplog.at_level(logging.ERROR, logger="creatorlens.web"):
        r = await client.get(f"{API}/tiers")
    assert r.status_code == 500
    body = r.json()
    error_id = body["error_id"]
    assert len(error_id) == 12 and r.headers["X-Error-Id"] == error_id
    assert body["status"] == 500 and error_id in body["error"]
    assert "secret" not in r.text  # exception text may name server internals
    logged = [rec for rec in caplog.records if rec.name == "creatorlens.web"]
    assert len(logged) == 1
    assert error_id in logged[0].getMessage() and "/api/v1/tiers" in logged[0].getMessage()
    assert logged[0].exc_info is not None and isinstance(logged[0].exc_info[1], ValueError)


async def test_a_page_shows_the_error_id_of_a_bug(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(Workspace, "creator", _bug)
    with caplog.at_level(logging.ERROR, logger="creatorlens.web"):
        r = await client.get("/creator/instagram/glowkim")
    assert r.status_code == 500
    error_id = r.headers["X-Error-Id"]
    assert error_id in r.text and "secret" not in r.text
    assert any(error_id in rec.getMessage() for rec in caplog.records)


async def test_a_user_error_keeps_its_message_and_status(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mistake(*args: object, **kwargs: object) -> None:
        raise OptionError("scheme 'x': pick another")

    monkeypatch.setattr(Workspace, "tiers", mistake)
    r = await client.get(f"{API}/tiers")
    assert r.status_code == 400
    assert r.json() == {"error": "scheme 'x': pick another", "status": 400}
    assert "X-Error-Id" not in r.headers
