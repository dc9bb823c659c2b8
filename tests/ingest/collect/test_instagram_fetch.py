"""`fetch instagram` against the loopback Graph API emulator: business_discovery by username with
media paging (``after`` cursors) to the end or --max; rate-limit errors (codes 4/17/32) stop on the
quota and resume the next day without a page twice; 429/5xx retried; unreadable pages quarantined
with their request; a renamed account stays one creator keyed by its IG user id."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.errors import OptionError, UserError
from creatorlens.ingest.collect import Archive, FetchSpec, archive_folder
from creatorlens.ingest.collect.instagram import parse_username

from .emulator import Clock, Fault
from .social_emulator import IG_CREDENTIALS, IG_TOKEN, IG_USER_ID, SocialEmulator, graph_error


def run(ws: Workspace, emu: SocialEmulator, clock: Clock, spec: FetchSpec, **options: Any) -> Any:
    return ws.fetch(
        spec,
        base_url=emu.instagram_url,
        credentials=IG_CREDENTIALS,
        clock=clock,
        sleep=clock.sleep,
        **options,
    )


def rows(ws: Workspace, name: str, order: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ws.store.table(name).order_by(order).to_pyarrow().to_pylist()
    return found


def posts(ws: Workspace) -> int:
    return int(ws.store.table("posts").count().execute())


def afters(emu: SocialEmulator) -> list[str | None]:
    """The media cursor of every business_discovery request the server answered, in order."""
    out = []
    for endpoint, params, _ in emu.state.log:
        if endpoint == "business_discovery":
            found = re.search(r"media\.after\(([^)]*)\)", params["fields"])
            out.append(found.group(1) if found else None)
    return out


VEGAN = FetchSpec("instagram", usernames=("veganglow.kr",))


@pytest.mark.parametrize(
    ("text", "name"),
    [("veganglow.kr", "veganglow.kr"), ("@veganglow.kr", "veganglow.kr"),
     ("https://www.instagram.com/veganglow.kr/", "veganglow.kr")],
)  # fmt: skip
def test_usernames(text: str, name: str) -> None:
    assert parse_username(text) == name


def test_bad_username_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="1-30 letters"):
        FetchSpec("instagram", usernames=("no spaces allowed",)).check()


def test_fetch_by_username_pages_every_media(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        assert report.status == "done"
        assert report.results == [
            {"ig_user_id": "17841405555555555", "username": "veganglow.kr", "media": 60}
        ]
        # 60 media = pages of 25/25/10, one business_discovery call each
        assert (report.stats.requests, report.stats.units, report.remaining) == (3, 3, 4800 - 3)
        [creator] = rows(ws, "creators", "creator_id")
        assert (creator["platform"], creator["platform_id"], creator["handle"], creator["followers"]) == (
            "instagram", "17841405555555555", "veganglow.kr", 45_600,
        )  # fmt: skip
        assert posts(ws) == 60
    assert set(social.state.served_pages("business_discovery").values()) == {1}
    assert len(social.state.served_pages("business_discovery")) == 3
    assert afters(social)[0] is None and None not in afters(social)[1:]
    # the token went in the header of every call, never in a URL the collector built
    assert set(social.state.auth_seen) == {f"Bearer {IG_TOKEN}"}
    assert all(IG_TOKEN not in p["fields"] for _, p, _ in social.state.log)


def test_max_limits_the_last_page(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, FetchSpec("instagram", usernames=("veganglow.kr",), max_items=30))
        assert report.results[0]["media"] == 30 and posts(ws) == 30
    limits = [re.search(r"limit\((\d+)\)", p["fields"]).group(1) for _, p, _ in social.state.log]  # type: ignore[union-attr]
    assert limits == ["25", "5"]


def test_two_accounts_and_a_profile_only_fetch(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(
            ws, social, clock, FetchSpec("instagram", usernames=("greenbeauty", "veganglow.kr"), max_items=0)
        )
        assert [r["media"] for r in report.results] == [0, 0] and report.stats.requests == 2
        assert {c["handle"] for c in rows(ws, "creators", "creator_id")} == {"greenbeauty", "veganglow.kr"}
        assert posts(ws) == 0
    assert all(".limit(" not in p["fields"] for _, p, _ in social.state.log)


def test_unknown_username_names_the_graph_error(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="code 110, subcode 2207013"):
        run(ws, social, clock, FetchSpec("instagram", usernames=("nobody.here",)))


def test_bad_token_is_refused_without_showing_it(
    tmp_path: Path, social: SocialEmulator, clock: Clock
) -> None:
    wrong = {"access_token": "EAAGwrong-token-99999", "ig_user_id": IG_USER_ID}
    with Workspace(tmp_path / "ws.duckdb") as ws, pytest.raises(UserError, match="code 190") as caught:
        ws.fetch(VEGAN, base_url=social.instagram_url, credentials=wrong, clock=clock, sleep=clock.sleep)
    assert "EAAGwrong" not in str(caught.value)


@pytest.mark.parametrize(("status", "code"), [(403, 4), (400, 17), (400, 32), (400, 80002)])
def test_rate_limit_is_a_quota_stop_then_resumes_next_day(
    tmp_path: Path, social: SocialEmulator, clock: Clock, status: int, code: int
) -> None:
    social.state.fail(
        "business_discovery", None, Fault(status, body=graph_error(code, f"(#{code}) limit reached"))
    )
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = run(ws, social, clock, VEGAN)
        assert (first.status, first.remaining, posts(ws)) == ("quota", 0, 25)
        assert f"error code {code}" in first.message and "0 units left today" in first.message
        assert "--resume" in first.message
        clock.now += timedelta(days=1)
        second = run(ws, social, clock, VEGAN, resume=True)
        assert second.resumed and second.status == "done" and second.run_id == first.run_id
        assert (second.stats.from_archive, second.stats.requests, second.remaining) == (1, 2, 4800 - 2)
        assert posts(ws) == 60
    served = social.state.served_pages("business_discovery")
    assert (len(served), set(served.values())) == (3, {1})


def test_budget_stop_says_what_is_left(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN, budget=2)
    assert (report.status, report.stats.units, report.remaining) == ("quota", 2, 0)
    assert "business_discovery costs 1 units and 0 of 2 are left" in report.message


def test_429_and_5xx_are_retried(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    social.state.fail("business_discovery", Fault(429, retry_after="9"), None, Fault(500), Fault(503))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        assert report.status == "done" and posts(ws) == 60
        assert (report.stats.requests, report.stats.attempts) == (3, 3 + 3)
    assert len(clock.slept) == 3 and clock.slept[0] >= 9.0
    assert set(social.state.served_pages("business_discovery").values()) == {1}


@pytest.mark.parametrize(
    ("body", "reason"),
    [(b'{"business_discovery": {"id": "1784', "not valid JSON"),
     (b'{"id": "17841400000000001"}', "no 'business_discovery' object"),
     (b'{"business_discovery": {"id": "1", "username": "x", "media": {"data": 3}}}', "no 'data' list")],
)  # fmt: skip
def test_malformed_is_quarantined_with_its_request(
    tmp_path: Path, social: SocialEmulator, clock: Clock, body: bytes, reason: str
) -> None:
    social.state.fail("business_discovery", None, Fault(200, body=body))  # the second page is bad
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, social, clock, VEGAN)
        assert report.status == "done" and posts(ws) == 60  # asked again, nothing missed
    [line] = report.stats.quarantined
    assert reason in line
    [entry] = [e for e in Archive(archive_folder(tmp_path / "ws.duckdb")).entries() if e.quarantined]
    request = entry.entry["request"]
    assert request["api_method"] == "business_discovery" and request["path"] == IG_USER_ID
    assert "media.after(" in request["params"]["fields"] and entry.body == body


def test_rename_between_runs_is_one_creator(tmp_path: Path, social: SocialEmulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        run(ws, social, clock, FetchSpec("instagram", usernames=("greenbeauty",)))
        account = social.state.ig[1]
        account.username, account.followers = "greenbeauty.kr", 9_100
        clock.now += timedelta(days=1)
        with pytest.raises(UserError, match="code 110"):  # the old name is gone
            run(ws, social, clock, FetchSpec("instagram", usernames=("greenbeauty",)))
        run(ws, social, clock, FetchSpec("instagram", usernames=("greenbeauty.kr",)))
        creators = rows(ws, "creators", "creator_id")
        assert [(c["handle"], c["platform_id"], c["followers"]) for c in creators] == [
            ("greenbeauty.kr", "17841406666666666", 9_100)
        ]
        assert [a["alias_id"] for a in rows(ws, "creator_aliases", "alias_id")] == ["instagram:greenbeauty"]
        assert posts(ws) == 7
