"""score_disclosure(store), Workspace.audit_disclosure and `creatorlens audit --disclosure`."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

import pyarrow as pa
from typer.testing import CliRunner

import creatorlens
from creatorlens.content._disclosure_step import score_disclosure
from creatorlens.store import COMMENTS, CREATORS, POSTS

NOW = datetime(2025, 3, 1)
POSTS_BY_CREATOR: dict[str, list[tuple[str, str | None]]] = {
    "instagram:jane": [
        ("#ad new @nike runners", None),
        ("Use code JANE20 for 20% off @gymshark", None),
        ("New @sephora haul", "#ad"),  # disclosed only in her own comment
        ("Sunny walk in the park", None),
    ],
    "instagram:minji": [
        ("[광고] @laneige 크림 후기", None),
        ("오늘은 @etude 립 리뷰 #데일리 #광고", None),
    ],
    "tiktok:plain": [("Leg day done #gym", None)],
}


def _load(ws: creatorlens.Workspace) -> None:
    store = ws.store
    ids = list(POSTS_BY_CREATOR)
    store.upsert_latest(
        CREATORS,
        pa.table(
            {
                "creator_id": ids,
                "platform": [i.split(":")[0] for i in ids],
                "handle": [i.split(":")[1] for i in ids],
                "followers": [20_000, 8_000, 500],
                "observed_at": [NOW] * 3,
            }
        ),
    )
    posts, comments = [], []
    for cid, items in POSTS_BY_CREATOR.items():
        for i, (caption, own_comment) in enumerate(items):
            post_id = f"{cid}-{i}"
            posts.append((post_id, cid, caption))
            if own_comment:
                comments.append((f"c-{post_id}", post_id, cid.split(":")[1], own_comment))
                comments.append((f"x-{post_id}", post_id, "a_fan", "is this #ad?"))
    store.upsert_latest(
        POSTS,
        pa.table(
            {
                "post_id": [p[0] for p in posts],
                "creator_id": [p[1] for p in posts],
                "platform": [p[1].split(":")[0] for p in posts],
                "posted_at": [NOW] * len(posts),
                "kind": ["photo"] * len(posts),
                "caption": [p[2] for p in posts],
                "likes": [100] * len(posts),
                "observed_at": [NOW] * len(posts),
            }
        ),
    )
    store.insert_new(
        COMMENTS,
        pa.table(
            {
                "comment_id": [c[0] for c in comments],
                "post_id": [c[1] for c in comments],
                "author": [c[2] for c in comments],
                "text": [c[3] for c in comments],
                "created_at": [NOW] * len(comments),
            }
        ),
    )


def test_score_disclosure_writes_verdicts_and_transparency(tmp_path: Path) -> None:
    ws = creatorlens.Workspace(tmp_path / "w.duckdb")
    _load(ws)
    score_disclosure(ws.store)
    verdicts = ws.store.table("disclosure_verdicts").to_pandas()
    assert len(verdicts) == 7 * 3
    jane_comment = verdicts[
        (verdicts.post_id == "instagram:jane-2") & (verdicts.jurisdiction == "us")
    ]
    assert jane_comment.iloc[0]["label_position"] == "comments_only"
    assert jane_comment.iloc[0]["verdict"] == "non_compliant"
    scores = ws.store.table("transparency_scores").to_pandas().set_index("creator_id")
    jane = scores.loc["instagram:jane"]
    assert (jane.posts_checked, jane.sponsored_posts, jane.compliant_posts_us) == (4, 3, 1)
    assert jane.transparency_us == 1 / 3
    minji = scores.loc["instagram:minji"]
    assert (minji.compliant_posts_us, minji.compliant_posts_kr, minji.compliant_posts_uk) == (
        2,
        1,
        1,
    )
    assert minji.transparency_kr == 0.5
    assert math.isnan(scores.loc["tiktok:plain"].transparency_us)
    ws.close()


def test_score_runs_the_disclosure_step_and_filters_work(tmp_path: Path) -> None:
    ws = creatorlens.Workspace(tmp_path / "w.duckdb")
    _load(ws)
    report = ws.score()
    assert "disclosure" in report.steps
    low = ws.creators(transparency_below=0.5).to_pandas()
    assert "instagram:jane" in set(low["creator_id"])
    ws.close()


def test_workspace_audit_disclosure_one_creator_and_all(tmp_path: Path) -> None:
    ws = creatorlens.Workspace(tmp_path / "w.duckdb")
    _load(ws)
    ws.score()
    one = ws.audit_disclosure("minji", ["kr"])
    assert set(one.verdicts["jurisdiction"]) == {"kr"}
    assert list(one.transparency["transparency"]) == [0.5]
    everyone = ws.audit_disclosure(None, ["us", "uk"])
    assert set(everyone.transparency["creator_id"]) == set(POSTS_BY_CREATOR)
    assert json.dumps(everyone.as_dict(), default=str)
    ws.close()


def test_cli_audit_disclosure(tmp_path: Path) -> None:
    from creatorlens.cli import app

    db = tmp_path / "w.duckdb"
    ws = creatorlens.Workspace(db)
    _load(ws)
    ws.score()
    ws.close()
    result = CliRunner().invoke(
        app, ["audit", "minji", "--db", str(db), "--disclosure", "--jurisdictions", "kr"]
    )
    assert result.exit_code == 0, result.output
    assert "Disclosure transparency" in result.output
    assert "KR-2020-POS-SNS" in result.output
    assert "50%" in result.output
