from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from typer.testing import CliRunner

import creatorlens
from creatorlens.authenticity._step import score_authenticity
from creatorlens.cli import app
from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS, POSTS

from .simulate import simulate_workspace


def _load(ws: creatorlens.Workspace) -> pd.DataFrame:
    sim = simulate_workspace(25, 120, seed=11)
    last = sim.snapshots.sort_values("observed_at").groupby("creator_id").tail(1)
    creators = pd.DataFrame(
        {
            "creator_id": last["creator_id"],
            "platform": "instagram",
            "handle": last["creator_id"].str.split(":").str[1],
            "followers": last["followers"],
            "following": 300,
            "posts_count": 200,
            "observed_at": last["observed_at"],
        }
    )
    posts = sim.posts.assign(
        platform="instagram",
        platform_post_id=sim.posts["post_id"].str.split(":").str[-1],
        post_id=lambda f: f["creator_id"] + ":" + f["platform_post_id"],
        observed_at=pd.Timestamp("2025-05-01"),
        likes_total=sim.posts["likes_total"].round().astype("Int64"),
    )
    ws.store.upsert_latest(CREATORS, pa.Table.from_pandas(creators, preserve_index=False))
    ws.store.upsert_latest(POSTS, pa.Table.from_pandas(posts, preserve_index=False))
    ws.store.insert_new(
        FOLLOWER_SNAPSHOTS, pa.Table.from_pandas(sim.snapshots, preserve_index=False)
    )
    return sim.truth


def test_score_writes_authenticity_tables(workspace: creatorlens.Workspace) -> None:
    truth = _load(workspace)
    workspace.score(steps=["authenticity"])
    assert workspace.store.has_table("authenticity_scores")
    score_authenticity(workspace.store)  # idempotent: rebuilds the same tables
    scores = workspace.store.table("authenticity_scores").to_pandas()
    assert len(scores) == 25
    assert (scores["basis"] == "indirect").all()
    assert (scores["audience_quality_low"] <= scores["audience_quality"]).all()
    assert (scores["audience_quality"] <= scores["audience_quality_high"]).all()
    assert (scores["fake_share_low"] <= scores["fake_share_high"]).all()
    evidence = json.loads(scores["evidence"].iloc[0])
    assert evidence["quality"]["components"]
    anomalies = workspace.store.table("growth_anomalies").to_pandas()
    bought_truth = set(truth.loc[truth["kind"] == "bought", "creator_id"])
    bought_found = set(anomalies.loc[anomalies["kind"] == "bought", "creator_id"])
    assert bought_truth <= bought_found
    flagged = scores.set_index("creator_id")["flags"].map(json.loads)
    assert all("possible_bought_followers" in flagged[c] for c in bought_truth)
    card = workspace.scorecard().to_pandas()
    assert {"audience_quality", "flags"} <= set(card.columns)


def test_workspace_audit_and_follower_audit(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    truth = _load(workspace)
    workspace.score(steps=["authenticity"])
    creator_id = truth.loc[truth["kind"] == "bought", "creator_id"].iloc[0]
    report = workspace.audit(creator_id.split(":")[1])
    assert report.basis == "indirect"
    assert any(e["kind"] == "bought" for e in report.growth_anomalies)
    assert report.quality is not None
    assert report.quality.low <= report.quality.score <= report.quality.high
    assert report.notes and "Indirect" in report.notes[0]

    rng = np.random.default_rng(0)
    sample = pd.DataFrame(
        {
            "followers": rng.integers(0, 3000, 200),
            "following": rng.integers(0, 5000, 200),
            "posts_count": rng.integers(0, 300, 200),
        }
    )
    file = tmp_path / "followers.csv"
    sample.to_csv(file, index=False)
    audit = workspace.audit_followers(file)
    assert audit.n == 200 and audit.fake_share.low <= audit.fake_share.high
    with_sample = workspace.audit(creator_id.split(":")[1], followers=file)
    assert with_sample.basis == "follower_sample"
    assert with_sample.quality is not None
    assert {c.name for c in with_sample.quality.components} >= {"real_followers", "organic_growth"}


def test_cli_audit_commands(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    ws = creatorlens.open(db)
    truth = _load(ws)
    ws.score(steps=["authenticity"])
    ws.close()
    handle = truth.loc[truth["kind"] == "bought", "creator_id"].iloc[0].split(":")[1]
    runner = CliRunner()
    result = runner.invoke(app, ["audit", handle, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "audience quality" in result.output and "possible bought followers" in result.output

    result = runner.invoke(app, ["audit", handle, "--db", str(db), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["basis"] == "indirect"

    file = tmp_path / "followers.json"
    file.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "username": f"u{i}",
                        "followers_count": 10 * i,
                        "follows_count": 3000 - 10 * i,
                        "media_count": i % 3,
                    }
                    for i in range(100)
                ]
            }
        )
    )
    result = runner.invoke(app, ["audit", "--followers", str(file)])
    assert result.exit_code == 0, result.output
    assert "fake share (corrected)" in result.output and "mass followers" in result.output

    result = runner.invoke(app, ["audit"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["audit", "nobody", "--db", str(db)])
    assert result.exit_code == 2


def test_cli_train_authenticity(tmp_path: Path, shared_data: Path) -> None:
    out = tmp_path / "model.json"
    doc = tmp_path / "eval.md"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "authenticity",
            "--data",
            str(shared_data),
            "--out",
            str(out),
            "--markdown",
            str(doc),
            "--repeats",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["format"] == "creatorlens.logistic-regression/1"
    assert "CV, InstaFake fake vs real" in doc.read_text()
