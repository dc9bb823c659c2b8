"""Communities through the Workspace, the REST API and the creator page (issue 15 §2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import creatorlens
from creatorlens.errors import NotFoundError
from creatorlens.web import create_app

from .graphdata import CREATORS_CSV, edges_csv

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


def test_mentions_of_a_brand_account_are_not_ties(tmp_path: Path) -> None:
    """A brand that creators of both groups are paid to mention would be a hub between them: its
    mentions are commercial ties and stay out of the graph (docs/communities.md "Brand mentions");
    the same workspace without those posts has the same communities."""
    (tmp_path / "creators.csv").write_text(CREATORS_CSV, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(edges_csv(), encoding="utf-8")
    rows = ["platform,handle,post_id,posted_at,caption,likes,comments"]
    for i, handle in enumerate(["amy", "ann", "bob", "bea"]):
        rows.append(f"instagram,{handle},p{i},2026-11-0{i + 1}T10:00:00,#ad thanks @glowbrand for the serum,120,4")
    (tmp_path / "posts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        ws.ingest(tmp_path / "creators.csv")
        ws.ingest(tmp_path / "edges.csv", platform="instagram", kind="edges")
        ws.ingest(tmp_path / "posts.csv")
        ws.score()
        assert "glowbrand" in ws.brands()["brand"].tolist()
        table = ws.communities().to_pyarrow().to_pylist()
    assert [(r["creators"], r["size"]) for r in table] == [(3, 9), (3, 9)]
    assert {r["leader"] for r in table} == {"instagram:hub_a", "instagram:hub_b"}


async def test_communities_pages_in_english_and_korean(client: httpx.AsyncClient) -> None:
    en = await client.get("/communities")
    assert en.status_code == 200
    assert "2 communities" in en.text and 'href="/communities/c1"' in en.text
    assert 'href="/creator/instagram/hub_a"' in en.text and 'href="/creator/instagram/hub_b"' in en.text
    assert "English <small>100" in en.text  # languages as labels, not codes
    ko = await client.get("/communities?lang=ko")
    assert "커뮤니티 2개" in ko.text and "내부 연결" in ko.text and "영어 <small>100" in ko.text
    assert "Ties inside" not in ko.text and "Accounts" not in ko.text and "Main niches" not in ko.text
    mine = (await client.get(f"{API}/creators/instagram/amy/community")).json()
    label = mine["features"]["community"]
    one = await client.get(f"/communities/{label}")
    assert one.status_code == 200 and 'id="community-members"' in one.text
    members = one.text.split('id="community-members"', 1)[1]
    assert members.index("@hub_a") < members.index("@amy") and "@bob" not in members
    assert (await client.get("/communities/c99")).status_code == 404


async def test_the_creator_pages_community_panel_in_korean(client: httpx.AsyncClient) -> None:
    r = await client.get("/creator/instagram/amy?lang=ko")
    panel = r.text.split('id="community"', 1)[1].split("</section>", 1)[0]
    assert "계정 9개, 크리에이터 3명" in panel and "상호성" in panel and "지역 리더" in panel
    for english in ("accounts", "main niches", "leader score", "reciprocity", "community reached", "unknown"):
        assert english not in panel


async def test_communities_page_of_a_workspace_without_a_graph(tmp_path: Path) -> None:
    (tmp_path / "creators.csv").write_text(CREATORS_CSV, encoding="utf-8")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        ws.ingest(tmp_path / "creators.csv")
        ws.score()
    app = create_app(tmp_path / "ws.duckdb")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
        r = await c.get("/communities")
    app.state.pool.close()
    assert r.status_code == 200 and 'id="no-communities"' in r.text and "creatorlens score" in r.text
