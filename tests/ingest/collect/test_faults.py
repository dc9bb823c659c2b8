"""What goes wrong on the way: 429 with Retry-After, 5xx, unreadable responses, quota stops (by
the budget and by the API's 403 quotaExceeded), and resuming the next day."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.errors import UserError
from creatorlens.ingest.collect import Archive, FetchSpec, RetryPolicy, archive_folder
from creatorlens.ingest.collect._http import retry_after_seconds

from .emulator import CHANNEL_ID, CREDENTIALS, Channel, Clock, Emulator, Fault


def run(ws: Workspace, emu: Emulator, clock: Clock, spec: FetchSpec, **options: Any) -> Any:
    return ws.fetch(
        spec, base_url=emu.base_url, credentials=CREDENTIALS, clock=clock, sleep=clock.sleep, **options
    )


CHANNEL = FetchSpec("youtube", channels=(CHANNEL_ID,))


def posts(ws: Workspace) -> int:
    return int(ws.store.table("posts").count().execute())


def test_retry_after_forms() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Mon, 02 Mar 2026 09:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 02 Mar 2026 08:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_backoff_is_bounded_full_jitter() -> None:
    import random

    policy, rng = RetryPolicy(base_seconds=1.0, cap_seconds=8.0), random.Random(1)
    for attempt in range(8):
        waits = [policy.backoff(attempt, rng) for _ in range(200)]
        assert min(waits) >= 0.0 and max(waits) <= min(8.0, 2.0**attempt)
        assert len(set(waits)) > 100  # jittered, not one fixed delay


def test_429_and_5xx_are_retried(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    emulator.state.fail("videos", Fault(429, retry_after="7"), Fault(500), Fault(503))
    emulator.state.fail("playlistItems", Fault(502))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, CHANNEL)
        assert report.status == "done" and posts(ws) == 120
        assert (report.stats.requests, report.stats.attempts) == (7, 7 + 4)
    # the 502 of the first playlist page, then the 429, 500 and 503 of the first videos call
    assert len(clock.slept) == 4
    assert clock.slept[1] >= 7.0  # Retry-After honoured (the backoff may be longer, never shorter)
    assert sorted(emulator.state.served_pages("playlistItems").values()) == [1, 1, 1]


def test_retries_run_out(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    emulator.state.fail("channels", *[Fault(500)] * 5)
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="HTTP 500 after 5 attempts"):
        run(ws, emulator, clock, CHANNEL)


def test_long_retry_after_is_not_waited_for(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    emulator.state.fail("channels", Fault(429, retry_after="3600"))
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="asks to wait 3,600 s"):
        run(ws, emulator, clock, CHANNEL)
    assert clock.slept == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"kind": "youtube#playlistItemListResponse", "items": [{"kind": "youtube#playl', "not valid JSON"),
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b'{"kind": "youtube#playlistItemListResponse", "items": {"a": 1}}', "no 'items' list"),
    ],
)
def test_malformed_is_quarantined_with_its_request(
    tmp_path: Path, emulator: Emulator, clock: Clock, body: bytes, reason: str
) -> None:
    emulator.state.fail("playlistItems", None, Fault(200, body=body))  # the second page is bad
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, CHANNEL)
        assert report.status == "done" and posts(ws) == 120  # asked again, nothing missed
    [quarantined] = report.stats.quarantined
    assert reason in quarantined
    [entry] = [e for e in Archive(archive_folder(tmp_path / "ws.duckdb")).entries() if e.quarantined]
    assert reason in entry.entry["quarantined"]
    request = entry.entry["request"]
    assert (request["api_method"], request["params"]["pageToken"]) == ("playlistItems.list", "CAUQ50")
    assert entry.body == body


def test_unreadable_every_time_fails_after_quarantining(
    tmp_path: Path, emulator: Emulator, clock: Clock
) -> None:
    emulator.state.fail("channels", *[Fault(200, body=b"{")] * 3)
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="3 responses in a row"):
        run(ws, emulator, clock, CHANNEL)
    entries = list(Archive(archive_folder(tmp_path / "ws.duckdb")).entries())
    assert len(entries) == 3 and all(e.quarantined for e in entries)


def test_budget_stop_then_resume_next_day(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = run(ws, emulator, clock, CHANNEL, budget=5)
        # channels, 2 x (playlistItems + videos) = 5 units; the third playlist page would exceed
        assert (first.status, first.stats.units, first.remaining, posts(ws)) == ("quota", 5, 0, 100)
        assert "0 units left today" in first.message and "--resume" in first.message
        assert first.resets_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # midnight Pacific (PST)
        same_day = run(ws, emulator, clock, CHANNEL, budget=5, resume=True)
        assert same_day.status == "quota" and same_day.stats.requests == 0
        clock.now += timedelta(days=1)
        second = run(ws, emulator, clock, CHANNEL, budget=5, resume=True)
        assert second.resumed and second.status == "done" and second.run_id == first.run_id
        assert (second.stats.requests, second.stats.from_archive, second.remaining) == (2, 5, 3)
        assert posts(ws) == 120
    for endpoint in ("channels", "playlistItems", "videos"):
        assert set(emulator.state.served_pages(endpoint).values()) == {1}


def test_search_stop_says_what_is_left(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    for i in range(60):
        emulator.state.add_channel(
            Channel(f"UCvegan{i:017d}", f"@vegan{i}", f"vegan {i}", 1000 + i, 5000, [])
        )
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, FetchSpec("youtube", search="vegan", max_items=100), budget=150)
    assert (report.status, report.stats.units, report.remaining) == ("quota", 101, 49)
    assert "search.list costs 100 units and 49 of 150 are left" in report.message


def test_api_quota_exceeded_stops(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    emulator.state.fail("videos", Fault(403))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, CHANNEL)
    assert report.status == "quota" and report.remaining == 0
    assert "quotaExceeded" in report.message
    quota = json.loads((archive_folder(tmp_path / "ws.duckdb") / "quota.json").read_text())
    assert quota["youtube"] == {"day": "2026-03-02", "used": 10_000}


def test_bad_key_is_a_user_error_without_the_key(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="keyInvalid") as caught:
        ws.fetch(
            CHANNEL, base_url=emulator.base_url, credentials={"api_key": "AIzaWRONG-key-9999"}, clock=clock
        )
    assert "AIzaWRONG" not in str(caught.value)
