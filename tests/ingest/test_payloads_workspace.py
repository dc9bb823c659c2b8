"""End to end: every official-API fixture ingests into a DuckDB workspace with read = loaded +
quarantined, and the rows land in creators / posts / audience / comments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.ingest._files import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "api"
OBSERVED = datetime(2025, 4, 1)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ws.duckdb") as workspace:
        yield workspace


def ingest(ws: Workspace, name: str, handle: str | None = None) -> Any:
    report = ws.ingest(FIXTURES / name, handle=handle, observed_at=OBSERVED)
    [file_report] = report.files
    assert file_report.rows_read == file_report.rows_loaded + file_report.rows_quarantined
    return file_report


def rows(ws: Workspace, table: str, order: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = ws.store.table(table).order_by(order).to_pyarrow().to_pylist()
    return result


def test_business_discovery(ws: Workspace) -> None:
    report = ingest(ws, "instagram_business_discovery.json")
    assert report.api == "instagram_graph.business_discovery" and report.platform == "instagram"
    assert (report.rows_read, report.rows_quarantined, report.creators, report.posts) == (
        4,
        0,
        1,
        3,
    )
    assert any("Business or Creator" in lim for lim in report.limits)
    [creator] = rows(ws, "creators", "creator_id")
    assert creator["creator_id"] == "instagram:bluebottle"
    assert (creator["followers"], creator["following"], creator["posts_count"]) == (
        267793,
        190,
        1205,
    )
    assert creator["platform_id"] == "17841401441775531"
    posts = rows(ws, "posts", "posted_at")
    assert [(p["post_id"], p["kind"], p["likes"]) for p in posts] == [
        ("instagram:17858843269216389", "photo", 3120),
        ("instagram:17894403917186532", "reel", 15400),
        ("instagram:17941234567890123", "carousel", 2890),
    ]
    assert posts[0]["posted_at"] == datetime(2025, 2, 3, 16, 20, 5)
    assert posts[0]["mentions"] == "roaster.kim"


@pytest.mark.parametrize("name", ["instagram_media_pages.json", "instagram_media_pages.jsonl"])
def test_multi_page_media_list(ws: Workspace, name: str) -> None:
    report = ingest(ws, name)
    assert (report.rows_read, report.rows_loaded, report.posts) == (4, 4, 4)
    posts = rows(ws, "posts", "post_id")
    assert [p["kind"] for p in posts] == ["photo", "reel", "carousel", "story"]
    assert (posts[0]["likes"], posts[0]["likes_total"], posts[0]["comments_total"]) == (
        1875,
        2410,
        45,
    )
    assert {p["creator_id"] for p in posts} == {"instagram:hana.greens"}


def test_insights_complete_a_post_already_loaded(ws: Workspace) -> None:
    ingest(ws, "instagram_media_pages.json")
    report = ingest(ws, "instagram_media_insights.json", handle="hana.greens")
    assert (report.rows_read, report.posts) == (1, 1)
    reel = next(
        p for p in rows(ws, "posts", "post_id") if p["post_id"] == "instagram:18031234567000002"
    )
    assert (reel["views"], reel["reach"], reel["saves"], reel["shares"]) == (20412, 15230, 311, 87)
    assert (reel["kind"], reel["likes"], reel["comments"]) == ("reel", 960, 12)  # kept


def test_ig_user_and_audience_demographics(ws: Workspace) -> None:
    ingest(ws, "instagram_user.json")
    report = ingest(ws, "instagram_follower_demographics.json", handle="hana.greens")
    assert (report.rows_read, report.rows_loaded) == (11, 11)
    audience = ws.store.table("audience").to_pandas()
    assert set(audience["creator_id"]) == {"instagram:hana.greens"}
    sums = audience.groupby(["dimension", "source"])["share"].sum().round(12).to_dict()
    assert sums == {
        ("age", "instagram_graph.follower_demographics"): 1.0,
        ("city", "instagram_graph.engaged_audience_demographics"): 1.0,
        ("country", "instagram_graph.follower_demographics"): 1.0,
        ("gender", "instagram_graph.follower_demographics"): 1.0,
    }
    kr = audience[(audience.dimension == "country") & (audience.bucket == "KR")]
    assert kr["share"].tolist() == [0.75]
    [creator] = rows(ws, "creators", "creator_id")
    assert (creator["handle"], creator["followers"]) == ("hana.greens", 48210)


def test_tiktok_research(ws: Workspace) -> None:
    ingest(ws, "tiktok_research_user_info.json", handle="minacooks")
    report = ingest(ws, "tiktok_research_video_query.json")
    assert (report.posts, report.creators, report.rows_quarantined) == (3, 2, 0)
    creators = {c["creator_id"]: c for c in rows(ws, "creators", "creator_id")}
    mina = creators["tiktok:minacooks"]
    assert (mina["followers"], mina["country"], mina["display_name"]) == (
        184300,
        "KR",
        "Mina Cooks",
    )
    assert creators["tiktok:chef.joon"]["country"] == "US"
    posts = {p["post_id"]: p for p in rows(ws, "posts", "post_id")}
    first = posts["tiktok:7421456789012345678"]
    assert (first["views"], first["saves"], first["duration_s"]) == (1250000, 22100, 58.0)
    assert json.loads(first["transcript"]) == [
        [0, "Today we make kimchi jjigae with old kimchi and pork belly"]
    ]
    assert first["hashtags"] == "kimchi koreanfood easyrecipe"
    assert first["posted_at"] == datetime(2025, 1, 1, 12, 0)


def test_tiktok_research_comments(ws: Workspace) -> None:
    report = ingest(ws, "tiktok_research_video_comments.json")
    assert (report.rows_read, report.rows_loaded) == (2, 2)
    comments = rows(ws, "comments", "comment_id")
    assert [(c["comment_id"], c["post_id"], c["reply_to"]) for c in comments] == [
        ("tiktok:7421460000000000001", "tiktok:7421456789012345678", None),
        ("tiktok:7421460000000000002", "tiktok:7421456789012345678", "tiktok:7421460000000000001"),
    ]


def test_tiktok_display(ws: Workspace) -> None:
    ingest(ws, "tiktok_display_user_info.json")
    report = ingest(ws, "tiktok_display_video_list.json")
    assert report.posts == 2
    [creator] = rows(ws, "creators", "creator_id")
    assert (creator["creator_id"], creator["followers"], creator["verified"]) == (
        "tiktok:leo.runs", 25400, True,
    )  # fmt: skip
    posts = rows(ws, "posts", "post_id")
    assert [(p["title"], p["views"], p["duration_s"]) for p in posts] == [
        ("Long run Sunday", 30500, 45.0), (None, 9800, 72.0),
    ]  # fmt: skip


def test_youtube_channels_and_videos(ws: Workspace) -> None:
    report = ingest(ws, "youtube_channels.json")
    assert (report.rows_read, report.creators) == (2, 2)
    creators = {c["creator_id"]: c for c in rows(ws, "creators", "creator_id")}
    assert creators["youtube:mkbhd"]["followers"] == 19600000
    assert creators["youtube:mkbhd"]["categories"] == "Technology|Lifestyle (sociology)"
    hidden = creators["youtube:ucx1y2z3hiddensubs0000aa"]
    assert hidden["followers"] is None
    snapshots = rows(ws, "follower_snapshots", "creator_id")
    assert [s["creator_id"] for s in snapshots] == ["youtube:mkbhd"]  # no snapshot of an unknown

    report = ingest(ws, "youtube_videos.json", handle="mkbhd")
    assert report.posts == 5
    posts = rows(ws, "posts", "posted_at")
    assert [(p["post_id"], p["kind"], p["views"]) for p in posts] == [
        ("youtube:Sh0rt45sAAA", "short", 5310442),
        ("youtube:Mid150sBBBB", "video", 1904331),
        ("youtube:Mid150sCCCC", "short", 2500000),
        ("youtube:LongRevDDDD", "video", 6600120),
        ("youtube:LiveNowEEEE", "video", 40211),
    ]
    assert {p["creator_id"] for p in posts} == {"youtube:mkbhd"}
    assert posts[3]["is_paid"] is True


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("tiktok_error.json", "rate_limit_exceeded"),
        ("instagram_graph_error.json", "OAuthException"),
        ("youtube_error.json", "quotaExceeded"),
    ],
)
def test_api_error_responses_stop_with_the_api_message(
    ws: Workspace, name: str, message: str
) -> None:
    with pytest.raises(SourceError, match=message):
        ws.ingest(FIXTURES / name, observed_at=OBSERVED)
    assert ws.store.table("posts").count().to_pyarrow().as_py() == 0


def test_missing_handle_is_a_clear_error(ws: Workspace) -> None:
    with pytest.raises(SourceError, match="--handle"):
        ws.ingest(FIXTURES / "tiktok_research_user_info.json", observed_at=OBSERVED)


def test_ingesting_a_payload_twice_changes_nothing(ws: Workspace) -> None:
    ingest(ws, "tiktok_research_video_query.json")
    before = rows(ws, "posts", "post_id")
    again = ingest(ws, "tiktok_research_video_query.json")
    assert again.already_ingested
    assert rows(ws, "posts", "post_id") == before
