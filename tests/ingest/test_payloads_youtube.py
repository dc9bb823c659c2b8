"""YouTube Data API v3 payloads (channels.list, videos.list) -> creator and post rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from creatorlens.ingest.payloads import PayloadError, detect_payload, payload_records

FIXTURES = Path(__file__).parent / "fixtures" / "api"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def test_channels_list_converts_string_counts() -> None:
    doc = load("youtube_channels.json")
    assert detect_payload(doc) == "youtube.channels"
    recs = payload_records(doc)
    mkbhd = recs.creators[0]
    assert {k: v for k, v in mkbhd.items() if k != "_extra"} == {
        "platform": "youtube",
        "handle": "mkbhd",  # customUrl without '@'
        "platform_id": "UCBJycsmduvYEL83R_U4JriQ",
        "display_name": "Marques Brownlee",
        "bio": "MKBHD: Quality Tech Videos | YouTuber | Geek | Consumer Electronics",
        "country": "US",
        "language": None,
        "followers": 19600000,
        "posts_count": 1684,
        "views_total": 4391823212,  # statistics.viewCount: the channel's lifetime views
        "categories": "Technology|Lifestyle (sociology)",
        "_record": 1,
        "_where": "$.items[0]",
    }
    assert "statistics.viewCount" not in mkbhd["_extra"]
    assert mkbhd["_extra"]["snippet.publishedAt"] == "2008-03-21T15:25:54Z"
    assert recs.record_numbers == [1, 2]


def test_hidden_subscriber_count_gives_unknown_followers_and_a_note() -> None:
    recs = payload_records(load("youtube_channels.json"))
    hidden = recs.creators[1]
    assert hidden["handle"] == "UCx1y2z3HiddenSubs0000aa"  # no customUrl: the channel id
    assert hidden["followers"] is None
    assert hidden["posts_count"] == 97
    assert hidden["language"] == "ko" and hidden["country"] == "KR"
    assert recs.notes == [
        "$.items[1]: hiddenSubscriberCount is true: the subscriber count is unknown"
    ]


def test_hidden_flag_wins_over_a_stated_count() -> None:
    doc = load("youtube_channels.json")
    doc["items"][1]["statistics"]["subscriberCount"] = "0"
    assert payload_records(doc).creators[1]["followers"] is None


def test_channel_limits_state_the_rounding() -> None:
    limits = " ".join(payload_records(load("youtube_channels.json")).limits)
    assert "three significant figures" in limits and "developers.google.com" in limits


def test_videos_list_converts_counts_and_durations() -> None:
    doc = load("youtube_videos.json")
    assert detect_payload(doc) == "youtube.videos"
    recs = payload_records(doc)
    review = recs.posts[3]
    assert {k: v for k, v in review.items() if k != "_extra"} == {
        "handle": "UCBJycsmduvYEL83R_U4JriQ",  # videos.list names only the channel id
        "platform_post_id": "LongRevDDDD",
        "posted_at": "2025-01-15T14:00:12",
        "kind": "video",
        "title": "The Best Smartphones of 2025!",
        "caption": "Thanks to @dbrand for sponsoring. #smartphones #review\nSee @MKBHD on X",
        "hashtags": "smartphones review",
        "mentions": "dbrand MKBHD",
        "duration_s": 1443.0,  # PT24M3S
        "views": 6600120,
        "likes": 210300,
        "comments": 15402,
        "is_paid": True,  # paidProductPlacementDetails.hasPaidProductPlacement
        "post_url": "https://www.youtube.com/watch?v=LongRevDDDD",
        "_record": 4,
        "_where": "$.items[3]",
    }
    assert review["_extra"]["snippet.tags"] == ["smartphones", "review"]
    assert review["_extra"]["statistics.favoriteCount"] == 0
    assert recs.creators == [
        {"platform": "youtube", "handle": "UCBJycsmduvYEL83R_U4JriQ",
         "platform_id": "UCBJycsmduvYEL83R_U4JriQ", "display_name": "Marques Brownlee",
         "_record": 1, "_where": "$.items[0]"}
    ]  # fmt: skip
    limits = " ".join(recs.limits)
    assert "2021-12-13" in limits and "2025-03-31" in limits


def test_shorts_follow_the_length_rule_of_the_upload_date() -> None:
    posts = payload_records(load("youtube_videos.json")).posts
    assert [(p["platform_post_id"], p["duration_s"], p["kind"]) for p in posts] == [
        ("Sh0rt45sAAA", 45.0, "short"),  # 45 s, 2024-06: <= 60 s
        ("Mid150sBBBB", 150.0, "video"),  # 150 s before 2024-10-15
        ("Mid150sCCCC", 150.0, "short"),  # 150 s after 2024-10-15: <= 180 s
        ("LongRevDDDD", 1443.0, "video"),
        ("LiveNowEEEE", 0.0, "video"),  # live broadcast, P0D
    ]


def test_short_video_before_shorts_existed_is_a_video() -> None:
    doc = load("youtube_videos.json")
    doc["items"][0]["snippet"]["publishedAt"] = "2015-05-01T00:00:00Z"
    assert payload_records(doc).posts[0]["kind"] == "video"


def test_videos_handle_argument_names_the_channel() -> None:
    recs = payload_records(load("youtube_videos.json"), handle="@mkbhd")
    assert {p["handle"] for p in recs.posts} == {"mkbhd"}
    assert recs.creators[0]["handle"] == "mkbhd"
    assert recs.creators[0]["platform_id"] == "UCBJycsmduvYEL83R_U4JriQ"


def test_unreadable_count_passes_through_for_the_ingest_to_quarantine() -> None:
    doc = load("youtube_videos.json")
    doc["items"][1]["statistics"]["viewCount"] = "n/a"
    assert payload_records(doc).posts[1]["views"] == "n/a"


def test_items_without_kind_are_still_recognised() -> None:
    doc = load("youtube_videos.json")
    del doc["kind"]
    for item in doc["items"]:
        del item["kind"]
    assert detect_payload(doc) == "youtube.videos"
    channels = load("youtube_channels.json")
    del channels["kind"]
    for item in channels["items"]:
        del item["kind"]
    assert detect_payload(channels) == "youtube.channels"


def test_a_single_video_resource() -> None:
    item = load("youtube_videos.json")["items"][0]
    assert detect_payload(item) == "youtube.videos"
    [post] = payload_records(item).posts
    assert post["_where"] == "$" and post["views"] == 5310442


def test_quota_error_raises() -> None:
    doc = load("youtube_error.json")
    assert detect_payload(doc) == "youtube.error"
    with pytest.raises(PayloadError, match="quotaExceeded") as info:
        payload_records(doc)
    assert "403" in str(info.value) and info.value.where == "$.error"
