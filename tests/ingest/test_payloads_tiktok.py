"""TikTok Research API and Display API payloads -> creator, post and comment rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from creatorlens.ingest.payloads import PayloadError, detect_payload, payload_records

FIXTURES = Path(__file__).parent / "fixtures" / "api"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def test_research_user_info_takes_the_handle_argument() -> None:
    doc = load("tiktok_research_user_info.json")
    assert detect_payload(doc) == "tiktok_research.user_info"
    recs = payload_records(doc, handle="@MinaCooks")
    assert recs.platform == "tiktok"
    assert recs.record_numbers == [1]
    [creator] = recs.creators
    assert {k: v for k, v in creator.items() if k != "_extra"} == {
        "platform": "tiktok",
        "handle": "MinaCooks",
        "platform_id": None,  # the Research API gives no account id
        "display_name": "Mina Cooks",
        "bio": "Seoul home cooking 🍜 | collabs: mina@example.com",
        "followers": 184300,
        "following": 412,
        "posts_count": 356,
        "verified": False,
        "_record": 1,
        "_where": "$.data",
    }
    assert creator["_extra"]["likes_count"] == 5120773
    assert creator["_extra"]["bio_url"] == "https://linktr.ee/minacooks"


def test_research_user_info_without_any_handle_asks_for_one() -> None:
    with pytest.raises(PayloadError, match="--handle") as info:
        payload_records(load("tiktok_research_user_info.json"))
    assert info.value.where == "$.data"


def test_research_user_info_uses_a_username_key_kept_in_the_file() -> None:
    doc = load("tiktok_research_user_info.json")
    doc["username"] = "minacooks"
    assert payload_records(doc).creators[0]["handle"] == "minacooks"


def test_research_video_query_maps_every_documented_field() -> None:
    doc = load("tiktok_research_video_query.json")
    assert detect_payload(doc) == "tiktok_research.video_query"
    recs = payload_records(doc)
    assert recs.record_numbers == [1, 2, 3]
    first = recs.posts[0]
    assert {k: v for k, v in first.items() if k != "_extra"} == {
        "handle": "minacooks",
        "platform_post_id": "7421456789012345678",  # int64 id kept exactly
        "posted_at": "2025-01-01T12:00:00",
        "kind": "video",
        "caption": "Kimchi jjigae in 10 minutes #kimchi #koreanfood with @chef.joon",
        "hashtags": "kimchi koreanfood easyrecipe",  # hashtag_names, not only the caption's
        "mentions": "chef.joon",
        "duration_s": 58,
        "views": 1250000,
        "likes": 98400,
        "comments": 1320,
        "shares": 5410,
        "saves": 22100,  # favorites_count
        "transcript": '[[0, "Today we make kimchi jjigae with old kimchi and pork belly"]]',
        "on_image_text": "Paid partnership with Ottogi",
        "post_url": "https://www.tiktok.com/@minacooks/video/7421456789012345678",
        "_record": 1,
        "_where": "$.data.videos[0]",
    }
    assert json.loads(first["transcript"]) == [
        [0, "Today we make kimchi jjigae with old kimchi and pork belly"]
    ]
    assert first["_extra"]["music_id"] == 7012345678901234567
    assert "sticker_info_list" not in first["_extra"]
    second = recs.posts[1]
    assert second["hashtags"] is None and second["mentions"] is None
    assert second["transcript"] is None and second["on_image_text"] is None
    assert second["posted_at"] == "2025-01-07T12:00:00"
    assert recs.posts[2]["handle"] == "chef.joon"
    assert recs.posts[2]["mentions"] == "minacooks"


def test_research_video_query_names_each_creator_once_with_region_as_country() -> None:
    recs = payload_records(load("tiktok_research_video_query.json"))
    assert recs.creators == [
        {"platform": "tiktok", "handle": "minacooks", "country": "KR", "_record": 1,
         "_where": "$.data.videos[0]"},
        {"platform": "tiktok", "handle": "chef.joon", "country": "US", "_record": 3,
         "_where": "$.data.videos[2]"},
    ]  # fmt: skip


def test_research_limits_are_stated() -> None:
    limits = " ".join(payload_records(load("tiktok_research_video_query.json")).limits)
    assert "18 and over" in limits and "Canada" in limits
    assert "30 days" in limits and "100 videos per page" in limits
    assert "developers.tiktok.com" in limits


def test_research_video_without_username_needs_handle() -> None:
    doc = load("tiktok_research_video_query.json")
    del doc["data"]["videos"][1]["username"]
    with pytest.raises(PayloadError) as info:
        payload_records(doc)
    assert info.value.where == "$.data.videos[1]"
    recs = payload_records(doc, handle="minacooks")
    assert recs.posts[1]["handle"] == "minacooks"
    assert (
        recs.posts[1]["post_url"] == "https://www.tiktok.com/@minacooks/video/7421999999912345678"
    )


def test_research_video_comments() -> None:
    doc = load("tiktok_research_video_comments.json")
    assert detect_payload(doc) == "tiktok_research.video_comments"
    recs = payload_records(doc)
    top, reply = recs.comments
    assert top["comment_id"] == "7421460000000000001"
    assert top["post_id"] == "7421456789012345678"
    assert top["reply_to"] is None  # its parent is the video itself
    assert top["author"] is None
    assert top["created_at"] == "2025-01-01T17:00:00"
    assert reply["reply_to"] == "7421460000000000001"
    assert reply["text"] == "@minacooks thank you!!"
    assert reply["_extra"] == {"like_count": 8, "reply_count": 0}
    assert recs.record_numbers == [1, 2]


def test_display_user_info() -> None:
    doc = load("tiktok_display_user_info.json")
    assert detect_payload(doc) == "tiktok_display.user_info"
    [creator] = payload_records(doc).creators
    assert creator["handle"] == "leo.runs"
    assert creator["platform_id"] == "-000NVZbjPw8Ljm0Ddd3q8YqiuV_cVfaK1hX"
    assert creator["followers"] == 25400 and creator["following"] == 301
    assert creator["posts_count"] == 214 and creator["verified"] is True
    assert creator["_where"] == "$.data.user"
    assert creator["_extra"]["union_id"] == "c6f2a4a8-3f1e-5b2c-9d0e-77a1b2c3d4e5"


def test_display_user_info_without_profile_scope_needs_handle() -> None:
    doc = load("tiktok_display_user_info.json")
    del doc["data"]["user"]["username"]
    with pytest.raises(PayloadError, match="--handle"):
        payload_records(doc)
    assert payload_records(doc, handle="leo.runs").creators[0]["handle"] == "leo.runs"


def test_display_video_list_takes_the_owner_from_share_url() -> None:
    doc = load("tiktok_display_video_list.json")
    assert detect_payload(doc) == "tiktok_display.video_list"
    recs = payload_records(doc)
    first, second = recs.posts
    assert first["handle"] == "leo.runs"
    assert first["platform_post_id"] == "7398765432109876543"
    assert first["posted_at"] == "2024-08-01T08:13:20"
    assert first["title"] == "Long run Sunday"
    assert first["hashtags"] == "marathontraining run"
    assert first["duration_s"] == 45
    assert (first["views"], first["likes"], first["comments"], first["shares"]) == (
        30500, 1900, 48, 12,
    )  # fmt: skip
    assert first["post_url"].startswith(
        "https://www.tiktok.com/@leo.runs/video/7398765432109876543"
    )
    # The second video has no share_url: the user's own list, so the same owner.
    assert second["handle"] == "leo.runs"
    assert second["mentions"] == "stridelab" and second["hashtags"] == "ad"
    assert second["title"] is None and second["post_url"] is None
    assert [c["handle"] for c in recs.creators] == ["leo.runs"]
    assert "consenting user's own" in " ".join(recs.limits)


def test_display_video_list_without_any_share_url_needs_handle() -> None:
    doc = load("tiktok_display_video_list.json")
    del doc["data"]["videos"][0]["share_url"]
    with pytest.raises(PayloadError, match="share_url"):
        payload_records(doc)
    assert {p["handle"] for p in payload_records(doc, handle="leo.runs").posts} == {"leo.runs"}


def test_error_wrapper_raises_with_the_api_message() -> None:
    doc = load("tiktok_error.json")
    assert detect_payload(doc) == "tiktok.error"
    with pytest.raises(PayloadError, match="rate_limit_exceeded") as info:
        payload_records(doc)
    assert "API rate limit was exceeded" in str(info.value)
    assert info.value.where == "$.error"


def test_error_code_beside_recognisable_data_still_raises() -> None:
    doc = load("tiktok_research_video_query.json")
    doc["error"] = {"code": "invalid_params", "message": "end_date is more than 30 days after"}
    with pytest.raises(PayloadError, match="invalid_params"):
        payload_records(doc)


def test_a_video_that_is_not_an_object_is_rejected_with_its_place() -> None:
    doc = load("tiktok_research_video_query.json")
    doc["data"]["videos"].insert(1, "garbage")
    recs = payload_records(doc)
    assert recs.record_numbers == [1, 2, 3, 4]
    assert recs.rejected == [
        {"_record": 2, "_where": "$.data.videos[1]", "reason": "a video must be a JSON object",
         "raw": "garbage"}
    ]  # fmt: skip
    assert [p["_record"] for p in recs.posts] == [1, 3, 4]


def test_unknown_tiktok_endpoint_is_named() -> None:
    doc = {"data": {"user_followers": [], "cursor": 0}, "error": {"code": "ok", "message": ""}}
    assert detect_payload(doc) == "tiktok.unknown_endpoint"
    with pytest.raises(PayloadError, match="user_followers"):
        payload_records(doc)
