"""A small scored workspace built from seeded synthetic candidates (no demo generator needed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from creatorlens.planner import synthetic_candidates
from creatorlens.store import CREATORS, SCORECARD, Store


def build_workspace(path: Path, n: int = 300, seed: int = 7) -> pd.DataFrame:
    cands = synthetic_candidates(n, seed=seed)
    store = Store(path)
    creators = cands.assign(categories=cands["main_niche"], observed_at=pd.Timestamp("2025-01-01"))[
        [
            "creator_id",
            "platform",
            "handle",
            "followers",
            "country",
            "language",
            "categories",
            "observed_at",
        ]
    ]
    store.upsert_latest(CREATORS, pa.Table.from_pandas(creators, preserve_index=False))
    scorecard = cands.assign(
        categories=cands["main_niche"],
        avg_views=cands["followers"] * cands["view_rate_high"],
        median_views=cands["followers"] * cands["view_rate"],
    )[
        [
            c
            for c in SCORECARD.columns
            if c in cands.columns or c in ("avg_views", "median_views", "categories")
        ]
    ]
    store.replace_table("scorecard", pa.Table.from_pandas(scorecard, preserve_index=False))
    audience = []
    for cid, country in zip(cands["creator_id"][: n // 2], cands["country"][: n // 2], strict=True):
        audience += [
            {
                "creator_id": cid,
                "dimension": "country",
                "bucket": country,
                "share": 0.7,
                "source": "test",
            },
            {
                "creator_id": cid,
                "dimension": "country",
                "bucket": "US",
                "share": 0.3,
                "source": "test",
            }
            if country != "US"
            else {
                "creator_id": cid,
                "dimension": "country",
                "bucket": "GB",
                "share": 0.3,
                "source": "test",
            },
            {
                "creator_id": cid,
                "dimension": "age",
                "bucket": "18-24",
                "share": 0.5,
                "source": "test",
            },
            {
                "creator_id": cid,
                "dimension": "age",
                "bucket": "25-34",
                "share": 0.3,
                "source": "test",
            },
            {
                "creator_id": cid,
                "dimension": "age",
                "bucket": "35-44",
                "share": 0.2,
                "source": "test",
            },
        ]
    frame = pd.DataFrame(audience).assign(observed_at=pd.Timestamp("2025-01-01"))
    store.raw.register("_aud", frame)
    store.raw.execute(
        "INSERT INTO audience SELECT creator_id, dimension, bucket, share, source, observed_at "
        "FROM _aud"
    )
    store.raw.unregister("_aud")
    snaps = pd.DataFrame(
        {
            "creator_id": cands["creator_id"].iloc[0],
            "observed_at": pd.date_range("2025-01-01", periods=8, freq="7D"),
            "followers": [int(cands["followers"].iloc[0]) + 100 * k for k in range(8)],
        }
    )
    store.raw.register("_snaps", snaps)
    store.raw.execute(
        "INSERT INTO follower_snapshots (creator_id, observed_at, followers) "
        "SELECT creator_id, observed_at, followers FROM _snaps"
    )
    store.close()
    return cands


@pytest.fixture()
def workspace_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws.duckdb"
    build_workspace(path)
    return path
