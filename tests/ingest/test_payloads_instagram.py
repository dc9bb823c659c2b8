"""Instagram Graph API payloads -> creator, post, audience and comment rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from creatorlens.ingest.payloads import PayloadError, detect_payload, payload_records

FIXTURES = Path(__file__).parent / "fixtures" / "api"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def without_extra(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "_extra"}


def test_business_discovery_gives_the_account_and_its_media() -> None:
    doc = load("instagram_business_discovery.json")
    assert detect_payload(doc) == "instagram_graph.business_discovery"
    recs = payload_records(doc)
    [creator] = recs.creators
    assert without_extra(creator) == {
        "platform": "instagram",
        "handle": "bluebottle",
        "platform_id": "17841401441775531",  # the account's id, not the caller's
        "display_name": "Blue Bottle Coffee",
        "bio": "Delicious coffee, sourced responsibly.",
        "followers": 267793,
        "following": 190,
        "posts_count": 1205,
        "_record": 1,
        "_where": "$.business_discovery",
    }
    assert creator["_extra"]["website"] == "https://bluebottlecoffee.com/"
    photo, reel, carousel = recs.posts
    assert without_extra(photo) == {
        "handle": "bluebottle",
        "platform_post_id": "17858843269216389",
        "posted_at": "2025-02-03T16:20:05",
        "kind": "photo",
        "caption": "New Bella Donovan blend ☕ #bluebottle #coffee w/ @roaster.kim",
        "hashtags": "bluebottle coffee",
        "mentions": "roaster.kim",
        "likes": 3120,
        "comments": 64,
        "likes_total": None,
        "comments_total": None,
        "post_url": "https://www.instagram.com/p/C1aBcDeFgHi/",
        "is_paid": None,
        "_record": 2,
        "_where": "$.business_discovery.media.data[0]",
    }
    assert photo["_extra"]["media_type"] == "IMAGE"
    assert reel["kind"] == "reel" and reel["likes"] == 15400 and reel["comments"] == 210
    assert carousel["kind"] == "carousel"
    assert carousel["hashtags"] == "블루보틀 seoul"
    assert recs.record_numbers == [1, 2, 3, 4]
    assert "Business or Creator accounts" in " ".join(recs.limits)


def test_ig_user() -> None:
    doc = load("instagram_user.json")
    assert detect_payload(doc) == "instagram_graph.user"
    [creator] = payload_records(doc).creators
    assert (creator["handle"], creator["platform_id"], creator["display_name"]) == (
        "hana.greens", "17841400008460056", "Hana Greens",
    )  # fmt: skip
    assert (creator["followers"], creator["following"], creator["posts_count"]) == (48210, 612, 803)
    assert creator["bio"] == "Plant-based recipes & studio vlogs. Seoul ✈️ LA"
    assert creator["_extra"] == {
        "ig_id": 1234567890,
        "profile_picture_url": "https://scontent.cdninstagram.com/v/t51.2885-19/hana.jpg",
        "website": "https://hanagreens.kr",
    }


def test_multi_page_media_list_numbers_records_across_pages() -> None:
    doc = load("instagram_media_pages.json")
    assert detect_payload(doc) == "instagram_graph.media"
    recs = payload_records(doc)
    assert recs.record_numbers == [1, 2, 3, 4]
    assert [(p["_record"], p["_where"]) for p in recs.posts] == [
        (1, "$[0].data[0]"), (2, "$[0].data[1]"), (3, "$[1].data[0]"), (4, "$[1].data[1]"),
    ]  # fmt: skip
    assert [p["kind"] for p in recs.posts] == ["photo", "reel", "carousel", "story"]
    photo = recs.posts[0]
    assert photo["likes"] == 1875 and photo["likes_total"] == 2410  # organic vs incl. promoted
    assert photo["comments"] == 41 and photo["comments_total"] == 45
    assert photo["hashtags"] == "vegan tofu" and photo["mentions"] == "seoul.market"
    assert recs.posts[1]["posted_at"] == "2025-03-05T18:45:30"
    story = recs.posts[3]
    assert story["caption"] is None and story["hashtags"] is None
    assert {p["handle"] for p in recs.posts} == {"hana.greens"}
    limits = " ".join(recs.limits)
    assert "organic only" in limits and "2025-04-21" in limits


def test_each_json_lines_page_reads_alone() -> None:
    lines = (FIXTURES / "instagram_media_pages.jsonl").read_text("utf-8").splitlines()
    pages = [json.loads(line) for line in lines]
    assert [detect_payload(p) for p in pages] == ["instagram_graph.media"] * 2
    assert [p["platform_post_id"] for p in payload_records(pages[1]).posts] == [
        "18031234567000003", "18031234567000004",
    ]  # fmt: skip


def test_media_list_without_usernames_needs_handle() -> None:
    doc = load("instagram_media_pages.json")
    for page in doc:
        for item in page["data"]:
            del item["username"]
    with pytest.raises(PayloadError, match="--handle") as info:
        payload_records(doc)
    assert info.value.where == "$[0].data[0]"
    assert {p["handle"] for p in payload_records(doc, handle="hana.greens").posts} == {
        "hana.greens"
    }


def test_ad_product_type_is_paid() -> None:
    doc = {"id": "1790000000001", "media_type": "VIDEO", "media_product_type": "AD",
           "username": "brand", "like_count": 5}  # fmt: skip
    assert detect_payload(doc) == "instagram_graph.media"
    [post] = payload_records(doc).posts
    assert post["is_paid"] is True and post["kind"] == "video" and post["_where"] == "$"


def test_media_insights_fill_views_reach_saves_shares() -> None:
    doc = load("instagram_media_insights.json")
    assert detect_payload(doc) == "instagram_graph.media_insights"
    recs = payload_records(doc, handle="hana.greens")
    assert recs.posts == [
        {
            "platform_post_id": "18031234567000002",
            "views": 20412,
            "reach": 15230,
            "saves": 311,
            "shares": 87,
            "handle": "hana.greens",
            "_extra": {"insights": {"total_interactions": 1370}},
            "_record": 1,
            "_where": "$.data",
        }
    ]
    with pytest.raises(PayloadError, match="--handle"):
        payload_records(doc)


def test_deprecated_plays_fill_views_with_a_note() -> None:
    doc = load("instagram_media_insights.json")
    doc["data"][0]["name"] = "plays"
    recs = payload_records(doc, handle="hana.greens")
    assert recs.posts[0]["views"] == 20412
    assert recs.notes == ["$.data: views taken from the deprecated 'plays' metric"]


def test_nested_insights_and_comments_on_media() -> None:
    doc = {
        "data": [
            {
                "id": "18000000000000009",
                "media_type": "IMAGE",
                "media_product_type": "FEED",
                "username": "hana.greens",
                "like_count": 100,
                "insights": {"data": [
                    {"name": "reach", "period": "lifetime", "values": [{"value": 900}],
                     "id": "18000000000000009/insights/reach/lifetime"},
                    {"name": "views", "total_value": {"value": 1500},
                     "id": "18000000000000009/insights/views/lifetime"},
                ]},
                "comments": {"data": [
                    {"id": "c1", "username": "fan_1", "text": "love it",
                     "timestamp": "2025-03-02T10:00:00+0000",
                     "replies": {"data": [{"id": "c2", "username": "hana.greens", "text": "thx!",
                                           "timestamp": "2025-03-02T11:00:00+0000"}]}},
                ]},
            }
        ],
        "paging": {"cursors": {"before": "a", "after": "b"}},
    }  # fmt: skip
    recs = payload_records(doc)
    [post] = recs.posts
    assert (post["reach"], post["views"], post["likes"]) == (900, 1500, 100)
    assert "insights" not in post.get("_extra", {})
    assert [(c["comment_id"], c["post_id"], c["author"], c["reply_to"]) for c in recs.comments] == [
        ("c1", "18000000000000009", "fan_1", None),
        ("c2", "18000000000000009", "hana.greens", "c1"),
    ]
    assert recs.comments[1]["_where"] == "$.data[0].comments.data[0].replies.data[0]"
    assert recs.comments[1]["created_at"] == "2025-03-02T11:00:00"
    assert recs.record_numbers == [1, 2, 3]


def test_audience_demographics_become_shares() -> None:
    doc = load("instagram_follower_demographics.json")
    assert detect_payload(doc) == "instagram_graph.audience_demographics"
    recs = payload_records(doc, handle="hana.greens")
    rows = [(a["dimension"], a["bucket"], a["share"], a["source"]) for a in recs.audience]
    follower = "instagram_graph.follower_demographics"
    engaged = "instagram_graph.engaged_audience_demographics"
    assert rows == [
        ("age", "18-24", 0.25, follower),
        ("age", "25-34", 0.5, follower),
        ("age", "35-44", 8000 / 48000, follower),
        ("age", "45-54", 4000 / 48000, follower),
        ("gender", "female", 0.6, follower),
        ("gender", "male", 0.3, follower),
        ("gender", "unknown", 0.1, follower),
        ("country", "KR", 0.75, follower),
        ("country", "US", 0.25, follower),
        ("city", "Seoul, Seoul", 0.75, engaged),
        ("city", "Busan, Busan", 0.25, engaged),
    ]
    assert {a["handle"] for a in recs.audience} == {"hana.greens"}
    assert recs.audience[4]["_where"] == "$[1].data[0].total_value.breakdowns[0].results[0]"
    assert recs.record_numbers == list(range(1, 12))
    assert "at least 100 people" in " ".join(recs.limits)
    with pytest.raises(PayloadError, match="--handle"):
        payload_records(doc)


def test_withheld_demographics_leave_a_note() -> None:
    doc = {"data": [{"name": "follower_demographics", "period": "lifetime",
                     "total_value": {"breakdowns": []},
                     "id": "1784/insights/follower_demographics/lifetime"}]}  # fmt: skip
    recs = payload_records(doc, handle="tiny")
    assert recs.audience == [] and recs.record_numbers == []
    assert "withheld" in recs.notes[0]


def test_age_gender_breakdown_and_legacy_audience_metric() -> None:
    doc = {"data": [
        {"name": "follower_demographics", "period": "lifetime", "id": "1/insights/x/lifetime",
         "total_value": {"breakdowns": [{"dimension_keys": ["age", "gender"], "results": [
             {"dimension_values": ["18-24", "F"], "value": 300},
             {"dimension_values": ["18-24", "M"], "value": 100}]}]}},
        {"name": "audience_gender_age", "period": "lifetime",
         "values": [{"value": {"F.25-34": 30, "M.25-34": 10},
                     "end_time": "2019-07-18T07:00:00+0000"}]},
    ]}  # fmt: skip
    recs = payload_records(doc, handle="acct")
    assert [(a["dimension"], a["bucket"], a["share"], a["source"]) for a in recs.audience] == [
        ("age_gender", "18-24|female", 0.75, "instagram_graph.follower_demographics"),
        ("age_gender", "18-24|male", 0.25, "instagram_graph.follower_demographics"),
        ("age_gender", "25-34|female", 0.75, "instagram_graph.audience_gender_age"),
        ("age_gender", "25-34|male", 0.25, "instagram_graph.audience_gender_age"),
    ]


def test_graph_api_error_raises() -> None:
    doc = load("instagram_graph_error.json")
    assert detect_payload(doc) == "instagram_graph.error"
    with pytest.raises(PayloadError, match="OAuthException") as info:
        payload_records(doc)
    assert "nonexisting field" in str(info.value) and info.value.where == "$.error"
