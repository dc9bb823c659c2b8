"""`fetch tiktok` against the loopback Research API emulator: a client token from the key and
secret, user info and video queries by username or keyword with cursor/search_id paging in 30-day
windows; the daily request cap stops before it is exceeded, the API's daily_quota_limit_exceeded
stops without retrying, and --resume the next day repeats the same window without a page twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.errors import CredentialError, OptionError, UserError
from creatorlens.ingest.collect import Archive, FetchSpec, archive_folder
from creatorlens.ingest.collect.tiktok import parse_username, windows

from .emulator import Clock, Fault
from .social_emulator import (
    TT_CLIENT_SECRET,
    TT_CREDENTIALS,
    TT_TOKEN,
    SocialEmulator,
    tiktok_error,
)


def run(ws: Workspace, emu: SocialEmulator, clock: Clock, spec: FetchSpec, **options: Any) -> Any:
    return ws.fetch(
        spec, base_url=emu.tiktok_url, credentials=TT_CREDENTIALS, clock=clock, sleep=clock.sleep, **options
    )


def rows(ws: Workspace, name: str, order: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ws.store.table(name).order_by(order).to_pyarrow().to_pylist()
    return found


def posts(ws: Workspace) -> int:
    return int(ws.store.table("posts").count().execute())


def queries(emu: SocialEmulator) -> list[dict[str, Any]]:
    return [p for e, p, _ in emu.state.log if e == "video_query"]


VEGAN = FetchSpec("tiktok", usernames=("veganglow.tt",))


def test_usernames_and_windows() -> None:
    assert (
        parse_username("@veganglow.tt")
        == parse_username("https://www.tiktok.com/@veganglow.tt")
        == "veganglow.tt"
    )
    with pytest.raises(OptionError):
        FetchSpec("tiktok", usernames=("a",), search="vegan").check()
    from datetime import date

    spans = windows(date(2026, 3, 1), 45)
    assert spans == [(date(2026, 1, 31), date(2026, 3, 1)), (date(2026, 1, 16), date(2026, 1, 30))]


def test_fetch_by_username(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        # the clock says 2026-03-02: the window is the 30 days up to yesterday, 6 videos a day
        assert report.status == "done"
        assert report.results == [{"username": "veganglow.tt", "followers": 210_000, "videos": 180}]
        assert (report.stats.requests, report.stats.units, report.remaining) == (3, 3, 1000 - 3)
        creators = rows(ws, "creators", "creator_id")
        assert [(c["handle"], c["followers"], c["posts_count"]) for c in creators] == [
            ("veganglow.tt", 210_000, 250)
        ]
        assert posts(ws) == 180
    first, second = queries(social)
    assert (first["start_date"], first["end_date"], first["max_count"]) == ("20260131", "20260301", 100)
    # the first page asks without a cursor; the next repeats the query with the answered cursor and search_id
    assert "cursor" not in first and "search_id" not in first
    assert second["cursor"] == 100 and second["search_id"].startswith("74")
    assert {k: v for k, v in second.items() if k not in ("cursor", "search_id")} == first
    assert set(social.state.served.values()) == {1}  # the token, the user, two pages
    # the key and secret went only to the token endpoint; the token in the header of every call
    assert [a for a in social.state.auth_seen[1:]] == [f"Bearer {TT_TOKEN}"] * 3


def test_days_split_into_30_day_windows(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, FetchSpec("tiktok", usernames=("veganglow.tt",), days=60))
        assert report.results[0]["videos"] == 250 and posts(ws) == 250
    spans = [(q["start_date"], q["end_date"], q.get("cursor")) for q in queries(social)]
    assert spans == [
        ("20260131", "20260301", None),
        ("20260131", "20260301", 100),
        ("20260101", "20260130", None),
    ]


def test_max_and_query_with_region(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, FetchSpec("tiktok", search="vegan", region="us", max_items=150))
        # only greenbeauty.us posts in the US: its 12 videos, one page
        assert report.results == [{"query": "vegan", "videos": 12}] and report.stats.requests == 1
        assert {c["handle"] for c in rows(ws, "creators", "creator_id")} == {"greenbeauty.us"}
        report = run(ws, social, clock, FetchSpec("tiktok", search="vegan", max_items=150))
        assert report.results == [{"query": "vegan", "videos": 150}]
    [_, first, second] = queries(social)
    assert first["query"]["and"] == [{"operation": "EQ", "field_name": "keyword", "field_values": ["vegan"]}]
    assert (first["max_count"], second["max_count"]) == (100, 50)


def test_daily_cap_stops_then_resumes_next_day_with_the_same_window(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = run(ws, social, clock, VEGAN, budget=2)
        assert (first.status, first.stats.units, first.remaining, posts(ws)) == ("quota", 2, 0, 100)
        assert "video.query costs 1 units and 0 of 2 are left" in first.message
        assert first.resets_at is not None and first.resets_at.isoformat() == "2026-03-03T00:00:00+00:00"
        clock.now += timedelta(days=1)  # a new day: "yesterday" moved, the run's window did not
        second = run(ws, social, clock, VEGAN, budget=2, resume=True)
        assert second.resumed and second.status == "done" and second.run_id == first.run_id
        assert (second.stats.requests, second.stats.from_archive) == (1, 2)
        assert posts(ws) == 180
    assert {q["end_date"] for q in queries(social)} == {"20260301"}
    assert social.state.served_pages("token") == {
        'token?{"grant_type": "client_credentials"}': 2
    }  # one a run
    assert set(social.state.served_pages("user_info").values()) == {1}
    served = social.state.served_pages("video_query")
    assert (len(served), set(served.values())) == (2, {1})


def test_api_daily_quota_is_not_retried(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    social.state.fail(
        "video_query",
        None,
        Fault(429, body=tiktok_error("daily_quota_limit_exceeded", "Daily quota limit exceeded")),
    )
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
    assert report.status == "quota" and report.remaining == 0 and clock.slept == []
    assert "daily_quota_limit_exceeded" in report.message and "--resume" in report.message


def test_rate_limit_429_and_5xx_are_retried(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    social.state.fail(
        "video_query",
        Fault(429, body=tiktok_error("rate_limit_exceeded", "too many requests"), retry_after="11"),
        Fault(500),
    )
    social.state.fail("user_info", Fault(502))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        assert report.status == "done" and posts(ws) == 180
        assert (report.stats.requests, report.stats.attempts) == (3, 3 + 3)
    assert len(clock.slept) == 3 and clock.slept[1] >= 11.0


def test_malformed_page_is_quarantined_with_its_request(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    social.state.fail("video_query", None, Fault(200, body=b'{"data": {"videos": [{"id": 73'))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        assert report.status == "done" and posts(ws) == 180
    [entry] = [e for e in Archive(archive_folder(tmp_path / "ws.duckdb")).entries() if e.quarantined]
    assert "not valid JSON" in entry.entry["quarantined"]
    request = entry.entry["request"]
    assert (request["api_method"], request["json"]["cursor"]) == ("video.query", 100)


def test_refused_client_secret_is_a_credential_error(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    wrong = {"client_key": "awwrongkey0000", "client_secret": "wrong-secret-123456"}
    with (
        Workspace(tmp_path / "ws.duckdb") as ws,
        pytest.raises(CredentialError, match="invalid_client") as caught,
    ):
        ws.fetch(VEGAN, base_url=social.tiktok_url, credentials=wrong, clock=clock, sleep=clock.sleep)
    assert "wrong-secret" not in str(caught.value) and TT_CLIENT_SECRET not in str(caught.value)


def test_unknown_user_names_the_api_error(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="invalid_params"):
        run(ws, social, clock, FetchSpec("tiktok", usernames=("nobody.here",)))


def test_a_rename_between_runs_is_one_creator_linked_by_its_videos(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    """The Research API gives no user id, but a video keeps its id when its author renames the
    account: the videos that come back under the new username link the old record to it."""
    db = tmp_path / "ws.duckdb"
    with Workspace(db) as ws:
        run(ws, social, clock, FetchSpec("tiktok", usernames=("greenbeauty.us",)))
        user = social.state.tt[1]
        user.username, user.followers = "greenbeauty.kr", 5_600
        clock.now += timedelta(days=1)
        with pytest.raises(UserError, match="invalid_params"):  # the old name is gone
            run(ws, social, clock, FetchSpec("tiktok", usernames=("greenbeauty.us",)))
        run(ws, social, clock, FetchSpec("tiktok", usernames=("greenbeauty.kr",)))
        creators = rows(ws, "creators", "creator_id")
        assert [(c["handle"], c["followers"]) for c in creators] == [("greenbeauty.kr", 5_600)]
        [alias] = rows(ws, "creator_aliases", "alias_id")
        assert (alias["alias_id"], alias["creator_id"], alias["handle"], alias["reason"]) == (
            "tiktok:greenbeauty.us", creators[0]["creator_id"], "greenbeauty.us", "same videos",
        )  # fmt: skip
        assert "12 video(s) posted as 'greenbeauty.us'" in alias["evidence"]
        assert posts(ws) == 12
        snaps = ws.store.exec("SELECT creator_id, followers FROM follower_snapshots ORDER BY observed_at")
        assert snaps == [(creators[0]["creator_id"], 5_400), (creators[0]["creator_id"], 5_600)]
        # the old handle finds the creator, with the whole history
        assert ws.creator("greenbeauty.us", "tiktok")["handle"] == "greenbeauty.kr"
    with Workspace(tmp_path / "rebuilt.duckdb") as rebuilt:
        rebuilt.ingest_archive(archive_folder(db))
        assert [c["handle"] for c in rows(rebuilt, "creators", "creator_id")] == ["greenbeauty.kr"]
        assert [a["alias_id"] for a in rows(rebuilt, "creator_aliases", "alias_id")] == [
            "tiktok:greenbeauty.us"
        ]


def test_a_rename_with_no_video_in_either_window_stays_two_records(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    """The limit that is left (docs/collectors.md): no shared video, nothing to link by."""
    with Workspace(tmp_path / "ws.duckdb") as ws:
        run(ws, social, clock, FetchSpec("tiktok", usernames=("greenbeauty.us",), max_items=0))
        social.state.tt[1].username = "greenbeauty.kr"
        clock.now += timedelta(days=1)
        run(ws, social, clock, FetchSpec("tiktok", usernames=("greenbeauty.kr",)))
        creators = rows(ws, "creators", "creator_id")
        assert sorted(c["handle"] for c in creators) == ["greenbeauty.kr", "greenbeauty.us"]
        assert all(c["platform_id"] is None for c in creators)
        assert rows(ws, "creator_aliases", "alias_id") == []
