"""Detection of official API payloads (never confusing two APIs), robustness to damaged payloads,
the ISO 8601 duration parse the YouTube adapter relies on, and the limits data file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.ingest._dates import parse_duration_seconds
from creatorlens.ingest.payloads import (
    SUPPORTED_APIS,
    PayloadError,
    api_limits,
    detect_payload,
    limits_for,
    payload_records,
)
from creatorlens.ingest.payloads._limits import shorts_rules

FIXTURES = Path(__file__).parent / "fixtures" / "api"

counts = st.integers(min_value=0, max_value=10**10)
words = st.text(alphabet="abcdefghij klmnop#@_.가나다", max_size=30)
ids = st.integers(min_value=1, max_value=2**63 - 1)


def some_of(fields: dict[str, st.SearchStrategy[Any]], min_size: int = 0) -> st.SearchStrategy[Any]:
    """A dict holding a random subset of ``fields`` with generated values."""
    names = sorted(fields)
    return st.lists(st.sampled_from(names), min_size=min_size, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({n: fields[n] for n in chosen})
    )


def tiktok_wrap(data: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    error = st.fixed_dictionaries({"code": st.just("ok"), "message": st.just(""), "log_id": words})
    return st.fixed_dictionaries({"data": data, "error": error})


TT_USER = {
    "display_name": words, "bio_description": words, "avatar_url": words,
    "is_verified": st.booleans(), "follower_count": counts, "following_count": counts,
    "likes_count": counts, "video_count": counts, "bio_url": words,
}  # fmt: skip
TT_COMMON_VIDEO = {
    "video_description": words, "create_time": counts, "view_count": counts,
    "like_count": counts, "comment_count": counts, "share_count": counts,
}  # fmt: skip
TT_RESEARCH_VIDEO = {
    **TT_COMMON_VIDEO, "username": words.filter(str.strip), "region_code": st.just("US"),
    "music_id": ids, "hashtag_names": st.lists(words), "voice_to_text": words,
    "favorites_count": counts, "video_duration": counts, "video_mention_list": st.lists(words),
    "is_stem_verified": st.booleans(), "playlist_id": ids,
}  # fmt: skip
TT_DISPLAY_VIDEO = {
    **TT_COMMON_VIDEO, "cover_image_url": words, "share_url": st.just(
        "https://www.tiktok.com/@someone/video/123"), "duration": counts, "height": counts,
    "width": counts, "title": words, "embed_link": words,
}  # fmt: skip


def videos(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    return st.lists(st.builds(lambda i, rest: {"id": i, **rest}, ids, some_of(fields)), max_size=4)


IG_MEDIA = {
    "caption": words, "comments_count": counts, "like_count": counts, "permalink": words,
    "timestamp": st.just("2025-01-01T00:00:00+0000"), "username": words.filter(str.strip),
    "media_url": words, "total_like_count": counts,
}  # fmt: skip
ig_media_item = st.builds(
    lambda i, t, p, rest: {"id": str(i), **t, **p, **rest},
    ids,
    st.one_of(st.just({}), st.sampled_from(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]).map(
        lambda t: {"media_type": t})),
    st.sampled_from(["FEED", "REELS", "STORY", "AD"]).map(lambda p: {"media_product_type": p}),
    some_of(IG_MEDIA),
)  # fmt: skip
IG_USER_ONLY = {
    "follows_count": counts, "media_count": counts, "ig_id": ids, "biography": words,
    "profile_picture_url": words,
}  # fmt: skip
ig_user = st.builds(
    lambda i, u, only, rest: {"id": str(i), "username": u, **only, **rest},
    ids, words.filter(str.strip), some_of(IG_USER_ONLY, min_size=1),
    some_of({"followers_count": counts, "name": words, "website": words}),
)  # fmt: skip


def metric(name: str) -> st.SearchStrategy[Any]:
    return st.builds(
        lambda v: {"name": name, "period": "lifetime", "values": [{"value": v}],
                   "id": f"1790/insights/{name}/lifetime"},
        counts,
    )  # fmt: skip


def demographic(name: str) -> st.SearchStrategy[Any]:
    result = st.builds(lambda v, c: {"dimension_values": [v], "value": c}, words, counts)
    breakdown = st.builds(
        lambda k, rs: {"dimension_keys": [k], "results": rs},
        st.sampled_from(["age", "city", "country", "gender"]),
        st.lists(result, max_size=5),
    )
    return st.builds(
        lambda bs: {"name": name, "period": "lifetime", "total_value": {"breakdowns": bs},
                    "id": f"1784/insights/{name}/lifetime"},
        st.lists(breakdown, min_size=1, max_size=2),
    )  # fmt: skip


def yt_items(kind: str, make: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keep_kind = st.booleans()
    return st.builds(
        lambda items, k: {"kind": f"youtube#{kind}ListResponse", "items": items} if k
        else {"items": [{x: v for x, v in i.items() if x != "kind"} for i in items]},
        st.lists(make, min_size=1, max_size=3), keep_kind,
    )  # fmt: skip


yt_channel = st.builds(
    lambda i, c, s, h: {"kind": "youtube#channel", "id": i,
                        "snippet": {"title": "t", **({"customUrl": "@" + c} if c else {})},
                        "statistics": {"viewCount": s, "subscriberCount": s,
                                       "hiddenSubscriberCount": h, "videoCount": s}},
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=24, max_size=24), st.text("abc", max_size=8),
    counts.map(str), st.booleans(),
)  # fmt: skip
yt_video = st.builds(
    lambda i, s, d: {"kind": "youtube#video", "id": i,
                     "snippet": {"publishedAt": "2025-01-01T00:00:00Z", "channelId": "UC" + i,
                                 "title": "t"},
                     "contentDetails": {"duration": f"PT{d}S"},
                     "statistics": {"viewCount": s, "likeCount": s, "commentCount": s}},
    st.text("abcdefghijk", min_size=11, max_size=11), counts.map(str), counts,
)  # fmt: skip

EXPECTED: dict[str, st.SearchStrategy[Any]] = {
    "tiktok_research.user_info": tiktok_wrap(some_of(TT_USER, min_size=1)),
    "tiktok_research.video_query": tiktok_wrap(st.builds(
        lambda vs, c: {"videos": vs, "cursor": c, "has_more": True, "search_id": "72013882366"},
        videos(TT_RESEARCH_VIDEO), counts)),
    "tiktok_research.video_comments": tiktok_wrap(st.builds(
        lambda cs: {"comments": cs, "cursor": 0, "has_more": False},
        st.lists(st.builds(lambda i, v, t: {"id": i, "video_id": v, "text": t,
                                            "parent_comment_id": v}, ids, ids, words),
                 max_size=3))),
    "tiktok_display.user_info": tiktok_wrap(st.builds(
        lambda u: {"user": {"open_id": "-000abc", **u}},
        some_of({**TT_USER, "username": words, "union_id": words}))),
    "tiktok_display.video_list": tiktok_wrap(st.builds(
        lambda vs: {"videos": vs, "cursor": 0, "has_more": False}, videos(TT_DISPLAY_VIDEO))),
    "instagram_graph.business_discovery": st.builds(
        lambda u, ms: {"business_discovery": {**u, "media": {"data": ms}}, "id": "1784"},
        ig_user, st.lists(ig_media_item, max_size=3)),
    "instagram_graph.user": ig_user,
    "instagram_graph.media": st.builds(
        lambda ms: {"data": ms, "paging": {"cursors": {"before": "a", "after": "b"}}},
        st.lists(ig_media_item, min_size=1, max_size=4)),
    "instagram_graph.media_insights": st.builds(
        lambda ms: {"data": ms},
        st.lists(st.sampled_from(["views", "reach", "saved", "shares", "total_interactions"])
                 .flatmap(metric), min_size=1, max_size=5)),
    "instagram_graph.audience_demographics": st.builds(
        lambda ms: {"data": ms},
        st.lists(st.sampled_from(["follower_demographics", "engaged_audience_demographics"])
                 .flatmap(demographic), min_size=1, max_size=2)),
    "youtube.channels": yt_items("channel", yt_channel),
    "youtube.videos": yt_items("video", yt_video),
}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(data=st.data(), api=st.sampled_from(sorted(EXPECTED)))
def test_detection_never_confuses_two_apis(data: st.DataObject, api: str) -> None:
    doc = data.draw(EXPECTED[api])
    assert detect_payload(doc) == api
    # Saved as a list of pages, or round-tripped through JSON, it is still the same API.
    assert detect_payload([doc, doc]) == api
    assert detect_payload(json.loads(json.dumps(doc))) == api


@settings(max_examples=40, deadline=None)
@given(data=st.data(), apis=st.lists(st.sampled_from(sorted(EXPECTED)), min_size=2, max_size=2,
                                     unique=True))  # fmt: skip
def test_pages_of_two_apis_are_not_one_payload(data: st.DataObject, apis: list[str]) -> None:
    pages = [data.draw(EXPECTED[a]) for a in apis]
    assert detect_payload(pages) is None
    with pytest.raises(PayloadError):
        payload_records(pages, handle="someone")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_ordinary_exports_are_not_payloads() -> None:
    scraped = [  # tiktok-scraper / Apify style records and a plain ranking export
        {"id": "1", "text": "hi #fyp", "authorMeta": {"name": "u"}, "diggCount": 3},
        {"username": "cristiano", "followers_count": 600000000, "category": "Sports"},
        {"data": [{"Instagram name": "a", "Followers": "1.2M"}]},
        {"items": [{"title": "x", "views": 3}]},
    ]
    for doc in scraped:
        assert detect_payload(doc) is None
        assert detect_payload([doc]) is None
    assert detect_payload([]) is None and detect_payload("text") is None


@settings(max_examples=40, deadline=None)
@given(doc=json_values)
def test_arbitrary_json_is_never_an_error(doc: object) -> None:
    api = detect_payload(doc)
    assert api is None or api in SUPPORTED_APIS


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += _paths(value, (*prefix, i))
    return found


FIXTURE_DOCS = {p.name: json.loads(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.json"))}


@settings(max_examples=200, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(FIXTURE_DOCS)))
def test_damaged_payloads_fail_only_with_payload_error(data: st.DataObject, name: str) -> None:
    """Replace any one value of a fixture by arbitrary JSON: reading it returns rows or raises
    PayloadError (which names the place), never another exception."""
    doc = copy.deepcopy(FIXTURE_DOCS[name])
    target = data.draw(st.sampled_from(_paths(doc)))
    parent = doc
    for step in target[:-1]:
        parent = parent[step]
    parent[target[-1]] = data.draw(json_values)
    if detect_payload(doc) is None:
        return
    try:
        recs = payload_records(doc, handle="someone")
    except PayloadError as exc:
        assert exc.where.startswith("$")
        return
    numbered = recs.creators + recs.posts + recs.audience + recs.comments + recs.rejected
    assert all(row["_record"] in recs.record_numbers for row in numbered)
    assert recs.record_numbers == list(range(1, recs.records_read + 1))


# ------------------------------------------------------------------ ISO 8601 durations


def iso_duration(days: int, hours: int, minutes: int, seconds: int) -> str:
    date = f"{days}D" if days else ""
    clock = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v)
    return "P" + date + ("T" + clock if clock else "") if (date or clock) else "PT0S"


@given(
    days=st.integers(0, 40), hours=st.integers(0, 23), minutes=st.integers(0, 59),
    seconds=st.integers(0, 59),
)  # fmt: skip
def test_iso_duration_is_the_sum_of_its_parts(
    days: int, hours: int, minutes: int, seconds: int
) -> None:
    text = iso_duration(days, hours, minutes, seconds)
    assert parse_duration_seconds(text) == days * 86400 + hours * 3600 + minutes * 60 + seconds


@given(total=st.integers(0, 10**7))
def test_iso_duration_of_unnormalised_seconds(total: int) -> None:
    assert parse_duration_seconds(f"PT{total}S") == total
    assert parse_duration_seconds(f"PT{total // 60}M{total % 60}S") == total


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT4M13S", 253), ("PT1H", 3600), ("P1DT2H", 93600), ("P0D", 0), ("PT0.5S", 0.5)],
)
def test_iso_duration_examples(text: str, seconds: float) -> None:
    assert parse_duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "P", "PT", "4M13S", "PTXS"])
def test_not_a_duration(text: str) -> None:
    assert parse_duration_seconds(text) is None


# ------------------------------------------------------------------ limits data


def test_every_limit_has_a_source_and_matches_an_api() -> None:
    readable = [a for a in SUPPORTED_APIS if not a.endswith((".error", ".unknown_endpoint"))]
    for limit in api_limits():
        assert limit.source.strip() and limit.text.strip()
        assert any(limit.applies_to(api) for api in readable), limit.id
    for api in readable:
        assert limits_for(api), f"no stated limit for {api}"


def test_shorts_rules_are_dated_and_sourced() -> None:
    rules = shorts_rules()
    assert [(r.start.isoformat(), r.max_seconds) for r in rules] == [
        ("2020-09-14", 60.0), ("2024-10-15", 180.0),
    ]  # fmt: skip
    assert all(r.source for r in rules)


def test_data_sources_doc_lists_every_limit_and_payload() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "data-sources.md").read_text("utf-8")
    for limit in api_limits():
        assert f"`{limit.id}`" in doc, limit.id
    for api in SUPPORTED_APIS:
        if not api.endswith((".error", ".unknown_endpoint")):
            assert f"`{api}`" in doc, api
