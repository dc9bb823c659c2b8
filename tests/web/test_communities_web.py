"""Communities through the Workspace, the REST API and the creator page (issue 15 §2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import creatorlens
from creatorlens.errors import NotFoundError
from creatorlens.web import create_app

pytestmark = pytest.mark.anyio
API = "/api/v1"

def test_workspace_finds_the_two_groups_and_their_leaders(graph_db: Path) -> None:
    with creatorlens.open(graph_db, read_only=True) as ws:
        table = ws.communities().to_pyarrow().to_pylist()
        assert [(r["creators"], r["size"]) for r in table] == [(3, 9), (3, 9)]
        assert {r["leader"] for r in table} == {"instagram:hub_a", "instagram:hub_b"}
        found = ws.creator_community("amy", "instagram")
        assert found is not None
        assert found["features"]["community"] == ws.creator_community("hub_a")["features"]["community"]  # type: ignore[index]
        assert found["leaders"][0]["handle"] == "hub_a"
        assert found["features"]["out_degree"] == 3  # hub_a (follow and mention), ann, bob
        card = ws.creators().to_pyarrow().to_pylist()
        by_handle = {r["handle"]: r for r in card}
        assert by_handle["hub_a"]["in_degree"] == 8 and by_handle["hub_a"]["leader_score"] == 100.0
        with pytest.raises(NotFoundError):
            ws.community_members("c99")


@pytest.fixture
async def client(graph_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(graph_db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
        yield c
    app.state.pool.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_rest_routes(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/communities")
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == 2 and items[0]["countries"][0]["share"] == 1.0
    label = items[0]["community"]
    members = (await client.get(f"{API}/communities/{label}")).json()["items"]
    assert len(members) == 3 and members[0]["creator_id"] == items[0]["leader"]
    assert (await client.get(f"{API}/communities/c99")).status_code == 404
    assert (await client.get(f"{API}/communities/x;drop")).status_code == 422
    mine = (await client.get(f"{API}/creators/instagram/bea/community")).json()
    assert mine["features"]["creator_id"] == "instagram:bea" and mine["leaders"][0]["handle"] == "hub_b"


async def test_creator_page_shows_the_community_panel(client: httpx.AsyncClient) -> None:
    r = await client.get("/creator/instagram/amy")
    assert r.status_code == 200
    assert 'id="community"' in r.text and "@hub_a" in r.text and "leader score" in r.text
