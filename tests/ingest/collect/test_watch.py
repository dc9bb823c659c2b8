"""`watch` over a simulated month: 31 daily runs (a 30-day change needs a day 30 days before the
last) against the three emulators, whose clock is the test's and whose follower and view counts
move every day by a rule the test knows. The stored snapshots must be the daily series the
emulators served (every day once, the served values), and the gains and 30-day change computed
from them must match the rule; a second run on the same day fetches nothing."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.errors import OptionError
from creatorlens.ingest.collect import WatchList, archive_folder
from creatorlens.ingest.collect._watch import parse_interval

from ._watch_truth import DAYS, START, TRUTH, VIEWS, run, sig3
from .emulator import API_KEY, CREDENTIALS, Clock, Emulator
from .social_emulator import SocialEmulator

WATCH_TOML = """
interval = "1d"

[youtube]
channels = ["@veganglow", "UCzyxwvutsrqponmlkjihgfe"]
max = 5
quota_share = 0.5

[instagram]
usernames = ["veganglow.kr", "greenbeauty"]
max = 25

[tiktok]
usernames = ["veganglow.tt", "greenbeauty.us"]
days = 1
max = 20
"""


def series(ws: Workspace, count: str = "followers") -> dict[tuple[str, str], list[tuple[date, int]]]:
    """Each creator's stored (day, count) series; ``count``: followers or views."""
    rows = ws.store.exec(
        f"SELECT c.platform, c.handle, s.observed_at, s.{count} FROM follower_snapshots s "
        "JOIN creators c USING (creator_id) ORDER BY 1, 2, 3"
    )
    out: dict[tuple[str, str], list[tuple[date, int]]] = {}
    for platform, handle, when, value in rows:
        out.setdefault((platform, handle), []).append((when.date(), value))
    return out


def test_a_month_of_daily_watch_runs_builds_the_served_daily_series(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    (tmp_path / "watch.toml").write_text(WATCH_TOML, encoding="utf-8")
    watch = WatchList.load(tmp_path / "watch.toml")
    assert [j.label for j in watch.jobs] == [
        "youtube @veganglow, UCzyxwvutsrqponmlkjihgfe",
        "instagram veganglow.kr, greenbeauty",
        "tiktok veganglow.tt, greenbeauty.us",
    ]
    assert watch.jobs[0].budget() == 5_000  # half of YouTube's 10,000 units
    yt, social = growing
    days = [START + timedelta(days=k) for k in range(DAYS)]
    with Workspace(tmp_path / "ws.duckdb") as ws:
        for k, day in enumerate(days):
            # cron fires at 06:00 UTC give or take a few minutes
            clock.now = datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(
                minutes=(k * 7) % 11 - 5
            )
            report = run(ws, watch, growing, clock)
            assert [(r.status, r.error) for r in report.ran] == [("done", "")] * 3, report.ran
            assert report.not_due == []
            assert report.next_due == datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
            # a second start the same day (a retried cron, a reboot) finds nothing due
            before = (len(yt.state.log), len(social.state.log))
            clock.now += timedelta(hours=3)
            again = run(ws, watch, growing, clock)
            assert again.ran == [] and len(again.not_due) == 3
            assert (len(yt.state.log), len(social.state.log)) == before
        got = series(ws)
        assert set(got) == set(TRUTH)
        for key, truth in TRUTH.items():
            # every day once, with the value the emulator served that day
            assert got[key] == [(d, truth(d)) for d in days], key
        # greenbeauty's channel answered byte-for-byte the same from day 20 on: still a row a day
        assert [f for _, f in got["youtube", "greenbeauty"][20:]] == [sig3(9_870 - 200)] * 11
        # the gains and the 30-day change, Social Blade's table, from the stored snapshots
        for (platform, handle), truth in TRUTH.items():
            cid = ws.creator(handle, platform)["creator_id"]
            history = ws.follower_history(cid)
            assert [(d.day, d.followers) for d in history.daily] == [(d, truth(d)) for d in days]
            assert [d.gain for d in history.daily[1:]] == [
                truth(b) - truth(a) for a, b in itertools.pairwise(days)
            ]
            last = days[-1]
            for n in (1, 7, 30):
                gain = history.gains[n]
                assert gain is not None and gain.span == n and gain.since == last - timedelta(days=n)
                assert gain.followers == truth(last) - truth(last - timedelta(days=n)), (handle, n)
            month = history.gains[30]
            assert month.pct == pytest.approx(month.followers / truth(days[0]))
            assert month.per_day == pytest.approx(month.followers / 30)
        # the channels' lifetime total views (statistics.viewCount, exact) a day, with their gains;
        # Instagram and TikTok give no account total: unknown on every day, never zero
        views = series(ws, "views")
        for (platform, handle), served in views.items():
            known = VIEWS.get(handle) if platform == "youtube" else None
            assert served == [(d, None if known is None else known(d)) for d in days], handle
        for name, truth in VIEWS.items():
            vh = ws.view_history(ws.creator(name, "youtube")["creator_id"])
            assert [(d.day, d.count) for d in vh.daily] == [(d, truth(d)) for d in days]
            assert [d.gain for d in vh.daily[1:]] == [truth(b) - truth(a) for a, b in itertools.pairwise(days)]
            for n in (1, 7, 30):
                gain = vh.gains[n]
                assert gain is not None and gain.span == n
                assert gain.change == truth(days[-1]) - truth(days[-1] - timedelta(days=n)), (name, n)
        assert vh.gains[1] is not None and vh.gains[1].change == 0  # greenbeauty: still since day 20
        assert ws.view_history(ws.creator("veganglow.kr", "instagram")["creator_id"]).daily == ()
        assert ws.view_history(ws.creator("veganglow.tt", "tiktok")["creator_id"]).daily == ()
        assert (archive_folder(ws.path) / "watch.json").is_file()
    # the archive holds every run's responses with their fetch times: it rebuilds the same series
    with Workspace(tmp_path / "rebuilt.duckdb") as rebuilt:
        rebuilt.ingest_archive(archive_folder(tmp_path / "ws.duckdb"))
        assert series(rebuilt) == got
        assert series(rebuilt, "views") == views


def test_projection_range_against_the_emulators_next_month(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    """The TikTok account's daily gain is uneven (400 either side of 900): the 30-day projection
    from the first month, and its range, against what the emulator's rule gives 30 days later."""
    from creatorlens.metrics import follower_history

    truth = TRUTH["tiktok", "veganglow.tt"]
    days = [START + timedelta(days=k) for k in range(DAYS)]
    history = follower_history((datetime(d.year, d.month, d.day, 6), truth(d)) for d in days)
    [p30, p90, _] = history.projections
    later = truth(days[-1] + timedelta(days=30))
    assert p30.basis == p90.basis == "last_30_days"  # a daily series: the last 30 days' gains
    assert p30.low is not None and p30.high is not None and p90.low is not None and p90.high is not None
    assert p30.low <= later <= p30.high
    assert p30.low < p30.followers < p30.high
    assert abs(p30.followers - later) < 0.02 * later  # the trend holds for a steady grower
    assert p90.high - p90.low == pytest.approx(3 * (p30.high - p30.low))


def test_missed_days_widen_the_span_not_the_series(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    """A machine off for two days: those days are absent (never filled in), the day after shows
    the gain over the gap with its span, and the 7-day gain compares with the day before the gap
    when the day 7 days back was missed."""
    (tmp_path / "watch.toml").write_text(
        '[instagram]\nusernames = ["veganglow.kr"]\nmax = 0\n', encoding="utf-8"
    )
    watch = WatchList.load(tmp_path / "watch.toml")
    truth = TRUTH["instagram", "veganglow.kr"]
    ran = [START + timedelta(days=k) for k in range(12) if k not in (3, 4)]
    with Workspace(tmp_path / "ws.duckdb") as ws:
        for day in ran:
            clock.now = datetime(day.year, day.month, day.day, 23, 50, tzinfo=UTC)
            assert [r.status for r in run(ws, watch, growing, clock).ran] == ["done"]
        history = ws.follower_history(ws.creator("veganglow.kr", "instagram")["creator_id"])
    assert [d.day for d in history.daily] == ran
    gap = history.daily[3]
    assert (gap.day, gap.days, gap.gain) == (ran[3], 3, truth(ran[3]) - truth(ran[2]))
    week = history.gains[7]
    # 7 days before the last day (day 11) is day 4, missed: the comparison is with day 2
    assert week is not None and (week.since, week.span) == (ran[2], 9)
    assert week.followers == truth(ran[-1]) - truth(ran[2])
    assert history.gains[30] is None  # 11 days of history: no 30-day change yet


def test_quota_stop_resumes_in_the_same_slot_and_starts_afresh_the_next(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    """A quota share too small for the job: the run stops on the quota, the next start the same
    day resumes it (and stops again, nothing left), the next day starts a new run."""
    (tmp_path / "watch.toml").write_text(
        '[tiktok]\nusernames = ["veganglow.tt", "greenbeauty.us"]\ndays = 1\nquota_share = 0.001\n',
        encoding="utf-8",
    )
    watch = WatchList.load(tmp_path / "watch.toml")
    assert watch.jobs[0].budget() == 1  # 0.1 % of 1,000 requests
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = run(ws, watch, growing, clock)
        assert [r.status for r in first.ran] == ["quota"]
        assert first.next_due == clock.now  # still due: it did not finish
        again = run(ws, watch, growing, clock)
        assert [r.status for r in again.ran] == ["quota"] and again.ran[0].report.resumed
        assert again.ran[0].report.run_id == first.ran[0].report.run_id
        clock.now += timedelta(days=1)
        fresh = run(ws, watch, growing, clock)
        assert fresh.ran[0].report.run_id != first.ran[0].report.run_id
        assert not fresh.ran[0].report.resumed


def test_loop_sleeps_until_the_next_slot(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    (tmp_path / "watch.toml").write_text(
        '[youtube]\nchannels = ["@veganglow"]\nmax = 0\ninterval = "12h"\n', encoding="utf-8"
    )
    yt, _social = growing
    reports: list[Any] = []
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.watch(
            tmp_path / "watch.toml", loop=True, runs=4, on_report=reports.append,
            base_urls={"youtube": yt.base_url}, credentials={"youtube": CREDENTIALS},
            clock=clock, sleep=clock.sleep,
        )  # fmt: skip
        snaps = ws.store.exec("SELECT observed_at FROM follower_snapshots ORDER BY 1")
    assert [len(r.ran) for r in reports] == [1, 1, 1, 1]
    # 09:00 on the first day, then the start of each 12-hour UTC slot
    assert [s[0] for s in snaps] == [
        datetime(2026, 3, 2, 9),
        datetime(2026, 3, 2, 12),
        datetime(2026, 3, 3, 0),
        datetime(2026, 3, 3, 12),
    ]
    assert yt.state.keys_seen and set(yt.state.keys_seen) == {API_KEY}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[youtube]\nchannels = ["@a"]\ninterval = "5m"\n', "at least 15m"),
        ('[youtube]\nchannels = ["@a"]\ninterval = "daily"\n', "a number and m, h, d or w"),
        ('[youtube]\nchannel = ["@a"]\n', "unknown key(s) channel"),
        ('[youtub]\nchannels = ["@a"]\n', "unknown platform(s) youtub"),
        ('[tiktok]\nusernames = ["a"]\nquota_share = 2\n', "quota_share must be a number in (0, 1]"),
        ("[instagram]\nusernames = []\n", "names nothing to watch"),
    ],
)
def test_watch_list_errors_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "w.toml").write_text(text, encoding="utf-8")
    with pytest.raises(OptionError, match=None) as caught:
        WatchList.load(tmp_path / "w.toml")
    assert message in str(caught.value)
    assert parse_interval("1w") == timedelta(days=7)


def test_the_documented_watch_list_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "collectors.md").read_text(encoding="utf-8")
    example = doc.split("# watch.toml", 1)[1].split("\n", 1)[1].split("```", 1)[0]
    (tmp_path / "watch.toml").write_text(example, encoding="utf-8")
    watch = WatchList.load(tmp_path / "watch.toml")
    assert [j.label for j in watch.jobs] == [
        "youtube @veganglow, UCzyxwvutsrqponmlkjihgfe",
        "instagram veganglow.kr",
        "tiktok veganglow.tt",
        "tiktok query 'vegan skincare'",
    ]
    assert [j.interval for j in watch.jobs] == [timedelta(days=1)] * 2 + [timedelta(hours=12)] * 2


def test_a_failed_job_resumes_at_the_next_start_without_fetching_a_page_twice(
    tmp_path: Path, growing: tuple[Emulator, SocialEmulator], clock: Clock
) -> None:
    """The API unreachable mid-run (500 on every retry of the first videos page): the job is
    reported failed, the other job still runs, and the next start the same day resumes it from
    the archive: every page served once."""
    from .emulator import Fault

    (tmp_path / "watch.toml").write_text(
        '[youtube]\nchannels = ["@veganglow"]\nmax = 60\n\n[instagram]\nusernames = ["greenbeauty"]\n',
        encoding="utf-8",
    )
    yt, _social = growing
    yt.state.fail("videos", *[Fault(500)] * 5)  # the collector's 5 attempts
    watch = WatchList.load(tmp_path / "watch.toml")
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = run(ws, watch, growing, clock)
        assert [r.status for r in first.ran] == ["failed", "done"]
        assert "after 5 attempts" in first.ran[0].error
        assert first.next_due == clock.now  # the failed job is still due
        clock.now += timedelta(minutes=20)
        second = run(ws, watch, growing, clock)
        assert [(r.job, r.status) for r in second.ran] == [("youtube @veganglow", "done")]
        assert second.ran[0].report.resumed and second.ran[0].report.stats.from_archive == 2
        assert second.not_due == ["instagram greenbeauty"]
    for endpoint in ("channels", "playlistItems", "videos"):
        assert set(yt.state.served_pages(endpoint).values()) == {1}, endpoint
