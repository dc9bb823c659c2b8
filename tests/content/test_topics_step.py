"""score_content(store): tables post_topics and content_scores, and the Workspace filters."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pyarrow as pa

import creatorlens
from creatorlens.content._content_step import CONTENT_SCORE_COLUMNS, score_content
from creatorlens.store import AUDIENCE, COMMENTS, CREATORS, POSTS

NOW = datetime(2024, 6, 1)


def _load(ws: creatorlens.Workspace) -> None:
    store = ws.store
    creators = [
        ("instagram:chef", "instagram", "chef", "Home cook and recipe developer", 5_000, "KR"),
        ("instagram:lifter", "instagram", "lifter", "", 50_000, "US"),
        ("tiktok:nobody", "tiktok", "nobody", None, 300, None),
    ]
    store.upsert_latest(
        CREATORS,
        pa.table(
            {
                "creator_id": [c[0] for c in creators],
                "platform": [c[1] for c in creators],
                "handle": [c[2] for c in creators],
                "bio": [c[3] for c in creators],
                "followers": [c[4] for c in creators],
                "country": [c[5] for c in creators],
                "observed_at": [NOW] * 3,
            }
        ),
    )
    captions = {
        "instagram:chef": [
            "오늘 저녁은 김치찌개 #집밥 #요리스타그램",
            "Pasta recipe with garlic",
            "Baking bread #homemade",
            "홍대 맛집 파스타 #먹스타그램",
        ],
        "instagram:lifter": [
            "Deadlift day",
            "Leg day squats #gym",
            "Home workout #fitness",
            "Pizza night",
        ],
    }
    rows = []
    for cid, caps in captions.items():
        for i, cap in enumerate(caps):
            rows.append((f"{cid}-{i}", cid, NOW - timedelta(days=40 * i), cap, 100 + i, 5 + i))
    store.upsert_latest(
        POSTS,
        pa.table(
            {
                "post_id": [r[0] for r in rows],
                "creator_id": [r[1] for r in rows],
                "platform": [r[1].split(":")[0] for r in rows],
                "posted_at": [r[2] for r in rows],
                "caption": [r[3] for r in rows],
                "likes": [r[4] for r in rows],
                "comments": [r[5] for r in rows],
                "observed_at": [NOW] * len(rows),
            }
        ),
    )
    store.insert_new(
        AUDIENCE,
        pa.table(
            {
                "creator_id": ["instagram:chef"] * 2,
                "dimension": ["country"] * 2,
                "bucket": ["KR", "US"],
                "share": [0.8, 0.2],
                "source": ["test"] * 2,
                "observed_at": [NOW] * 2,
            }
        ),
    )
    store.insert_new(
        COMMENTS,
        pa.table(
            {
                "comment_id": ["c1", "c2", "c3"],
                "post_id": ["instagram:chef-0", "instagram:chef-0", "instagram:chef-1"],
                "author": ["fan", "chef", "fan"],
                "text": ["yum", "thanks!", "recipe?"],
                "created_at": [NOW] * 3,
                "reply_to": [None, "c1", None],
            }
        ),
    )


def test_score_content_writes_both_tables(workspace: creatorlens.Workspace) -> None:
    _load(workspace)
    score_content(workspace.store)
    scores = workspace.store.table("content_scores").to_pandas().set_index("creator_id")
    assert list(scores.reset_index().columns) == list(CONTENT_SCORE_COLUMNS)
    assert len(scores) == 3
    chef = scores.loc["instagram:chef"]
    assert chef.main_niche == "food" and chef.niche_share == 1.0
    assert json.loads(chef.topic_mix) == {"food": 1.0}
    assert chef.audience_local_share == 0.8
    assert chef.reply_share == 0.5 and chef.repeat_commenter_share == 1.0
    assert 0 <= chef.closeness <= 100
    assert scores.loc["instagram:lifter", "main_niche"] == "fitness"
    assert scores.loc["instagram:lifter", "niche_share"] == 0.75
    assert scores.loc["tiktok:nobody", "main_niche"] == "other"
    topics = workspace.store.table("post_topics").to_pandas().set_index("post_id")
    assert len(topics) == 8
    assert topics.loc["instagram:lifter-3", "topic"] == "food"
    assert topics.loc["instagram:chef-0", "evidence"]


def test_workspace_score_runs_the_step_and_filters_by_niche(
    workspace: creatorlens.Workspace,
) -> None:
    _load(workspace)
    report = workspace.score(steps=["content"])
    assert "content" in report.steps
    rows = workspace.creators(niche="food", min_focus=0.9).to_pandas()
    assert list(rows["handle"]) == ["chef"]
    row = workspace.creator("lifter")
    assert row["main_niche"] == "fitness" and row["expertise"] is not None


def test_demo_creators_get_their_generated_niche() -> None:
    from creatorlens.content._content_step import content_scores_frame
    from creatorlens.demo import generate_demo, write_demo

    ws = creatorlens.open(":memory:")
    try:
        write_demo(ws.store, generate_demo(11, 300, 20))
        store = ws.store
        posts = store.table("posts").execute()
        creators = store.table("creators").execute()
        scores, _ = content_scores_frame(posts, creators)
        truth = store.table("demo_truth_creators").execute().set_index("creator_id")["niche"]
        joined = scores.set_index("creator_id")["main_niche"].to_frame().join(truth, how="inner")
        agreement = float((joined["main_niche"] == joined["niche"]).mean())
        print(f"\ndemo niche agreement {agreement:.3f} on {len(joined)} creators")
        assert len(joined) == 300
        assert agreement >= 0.9
    finally:
        ws.close()
