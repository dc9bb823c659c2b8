"""Workspace.overlap, `creatorlens overlap` and GET /api/v1/overlap on a small workspace."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import creatorlens
from creatorlens.cli import app as cli_app
from creatorlens.errors import NotFoundError
from creatorlens.planner import synthetic_candidates
from creatorlens.store import CREATORS, FOLLOWER_SAMPLES, SCORECARD, Store


def _workspace(path: Path) -> list[str]:
    cands = synthetic_candidates(6, seed=5)
    store = Store(path)
    creators = cands.assign(categories=cands["main_niche"], observed_at=pd.Timestamp("2025-01-01"))[
        ["creator_id", "platform", "handle", "followers", "country", "language", "categories", "observed_at"]
    ]
    store.upsert_latest(CREATORS, pa.Table.from_pandas(creators, preserve_index=False))
    scorecard = cands.assign(categories=cands["main_niche"])[
        [c for c in SCORECARD.columns if c in cands.columns or c == "categories"]
    ]
    store.replace_table("scorecard", pa.Table.from_pandas(scorecard, preserve_index=False))
    ids = cands["creator_id"].tolist()
    # creator 0: fans f0..f99; creator 1: f50..f149 (50 shared); creator 2: g0..g9 (none shared)
    members = {ids[0]: [f"f{i}" for i in range(100)], ids[1]: [f"f{i}" for i in range(50, 150)],
               ids[2]: [f"g{i}" for i in range(10)]}  # fmt: skip
    rows = [
        {"creator_id": cid, "handle": fan, "observed_at": pd.Timestamp("2025-01-01")}
        for cid, fans in members.items()
        for fan in fans
    ]
    store.upsert_latest(FOLLOWER_SAMPLES, pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False))
    store.close()
    return cands["handle"].tolist()


def test_workspace_overlap_from_follower_samples(tmp_path: Path) -> None:
    handles = _workspace(tmp_path / "ws.duckdb")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        result = ws.overlap(handles[:3])
        assert result.method == "exact"
        assert result.shared[0][1] == 50 and result.shared[0][2] == 0
        assert result.unique_reach.mid == 160
        assert [c.mid for c in result.exclusive] == [50, 50, 10]
        with pytest.raises(NotFoundError, match="no follower sample"):
            ws.overlap(handles[2:5])


def test_cli_overlap_prints_the_matrix_and_unique_reach(tmp_path: Path) -> None:
    handles = _workspace(tmp_path / "ws.duckdb")
    out = tmp_path / "overlap.json"
    result = CliRunner().invoke(
        cli_app, ["overlap", *handles[:2], "--db", str(tmp_path / "ws.duckdb"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "50.0%" in result.output  # 50 of the smaller audience of 100
    assert "unique reach of all 2: 150" in result.output
    assert json.loads(out.read_text())["unique_reach"]["mid"] == 150


@pytest.mark.anyio
async def test_rest_overlap(tmp_path: Path) -> None:
    from creatorlens.web import create_app

    handles = _workspace(tmp_path / "ws.duckdb")
    application = create_app(tmp_path / "ws.duckdb")
    try:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            response = await client.get("/api/v1/overlap", params=[("handle", h) for h in handles[:3]])
            assert response.status_code == 200, response.text
            assert response.json()["shared"][0][1] == 50
            missing = await client.get("/api/v1/overlap", params=[("handle", h) for h in handles[3:5]])
            assert missing.status_code == 404
            one = await client.get("/api/v1/overlap", params=[("handle", handles[0])])
            assert one.status_code == 422
    finally:
        application.state.pool.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
