"""Acceptance on real captions: tiktok-trending-2020 (1,000 videos, tiktok-scraper JSON)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from creatorlens.content.topics import OTHER, TopicClassifier

LABELS = Path(__file__).parent / "fixtures" / "topics_tiktok_labels.csv"


@pytest.fixture(scope="module")
def videos(shared_data: Path) -> list[dict[str, Any]]:
    data = json.loads((shared_data / "tiktok-trending-2020" / "trending.json").read_text("utf-8"))
    collector: list[dict[str, Any]] = data["collector"]
    return collector


def _record(video: dict[str, Any]) -> dict[str, str]:
    return {
        "caption": video.get("text") or "",
        "hashtags": " ".join(h["name"] for h in video.get("hashtags") or []),
        "bio": (video.get("authorMeta") or {}).get("signature") or "",
    }


def test_topic_other_than_other_for_80_percent_of_videos_with_hashtags(
    videos: list[dict[str, Any]],
) -> None:
    tagged = [v for v in videos if v.get("hashtags")]
    assert len(tagged) > 800
    results = TopicClassifier().fit().classify([_record(v) for v in tagged])
    topical = sum(r.topic != OTHER for r in results) / len(results)
    feed_only = sum(r.feed_only for r in results) / len(results)
    # Without the feed-tag vote (#fyp alone -> entertainment), for the record:
    strict = TopicClassifier(feed_weight=0).fit().classify([_record(v) for v in tagged])
    strict_share = sum(r.topic != OTHER for r in strict) / len(strict)
    print(
        f"\nnon-other {topical:.3f} of {len(tagged)} (feed-tag-only {feed_only:.3f}; "
        f"without the feed vote {strict_share:.3f})"
    )
    assert topical >= 0.8
    assert strict_share >= 0.75
    for result in results:
        if result.topic != OTHER:
            assert result.evidence and 0 < result.confidence <= 1


def test_hand_labelled_sample_agrees(videos: list[dict[str, Any]]) -> None:
    by_id = {v["id"]: v for v in videos}
    with LABELS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 30
    results = TopicClassifier().fit().classify([_record(by_id[r["id"]]) for r in rows])
    misses = [
        f"{r['id']}: expected {r['expected_topic']} ({r['note']}), got {res.topic} {res.evidence}"
        for r, res in zip(rows, results, strict=True)
        if res.topic != r["expected_topic"]
    ]
    agreement = 1 - len(misses) / len(rows)
    print(
        f"\nagreement {agreement:.3f} ({len(rows) - len(misses)}/{len(rows)})", *misses, sep="\n  "
    )
    assert agreement >= 0.8, misses
