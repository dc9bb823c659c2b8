"""metrics._history (the Social Blade-style table) on hand-made snapshots whose answers are
worked out by hand in each test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from creatorlens.metrics import follower_history
from creatorlens.metrics._history import daily_series


def test_a_day_is_its_last_snapshot_in_utc_and_unknown_followers_are_skipped() -> None:
    seoul = timezone(timedelta(hours=9))
    snaps = [
        (datetime(2026, 3, 1, 8, tzinfo=UTC), 100),
        (datetime(2026, 3, 1, 20, tzinfo=UTC), 104),  # later the same UTC day: the day's value
        (datetime(2026, 3, 2, 8, tzinfo=seoul), 999),  # 23:00 UTC on 1 March, later still
        (datetime(2026, 3, 2, 12), None),  # hidden count: not a zero
        (datetime(2026, 3, 2, 12), 110),
    ]
    series = daily_series(snaps)
    assert [(d.day, d.followers, d.gain, d.days) for d in series] == [
        (date(2026, 3, 1), 999, None, None),
        (date(2026, 3, 2), 110, -889, 1),
    ]


def test_no_snapshot_no_history_and_one_day_no_projection() -> None:
    assert follower_history([]).daily == () and follower_history([]).projections == ()
    one = follower_history([(datetime(2026, 3, 1), 5)])
    assert one.gains == {1: None, 7: None, 30: None} and one.projections == ()


def test_short_history_projects_from_its_whole_span_with_daily_extremes() -> None:
    # gains +10, +30, +20 over three days: 60 in 3 days, 20 a day; slowest day 10, fastest 30
    snaps = [(datetime(2026, 3, d), f) for d, f in ((1, 1000), (2, 1010), (3, 1040), (4, 1060))]
    history = follower_history(snaps, horizons=(10,))
    assert history.gains[1] is not None and history.gains[1].followers == 20
    assert history.gains[7] is None
    [p] = history.projections
    assert (p.followers, p.low, p.high) == pytest.approx((1260, 1160, 1360))


def test_monthly_snapshots_give_no_short_changes_and_a_range_from_the_whole_history() -> None:
    # MrBeast's YouTube counts in top1000-social-2022 (June, September, November, December):
    # gains 6.8M over 92 days, 5.0M over 61 days, 7.9M over 30 days.
    snaps = [
        (datetime(2022, 6, 1), 97_300_000),
        (datetime(2022, 9, 1), 104_100_000),
        (datetime(2022, 11, 1), 109_100_000),
        (datetime(2022, 12, 1), 117_000_000),
    ]
    history = follower_history(snaps, horizons=(30,))
    # the nearest day before the last is 30 days back: no 1- or 7-day change, but a 30-day one
    assert history.gains[1] is None and history.gains[7] is None
    assert history.sparse == frozenset({1, 7})
    month = history.gains[30]
    assert month is not None and (month.change, month.span) == (7_900_000, 30)
    # the last 30 days hold one gain, so the range takes every interval's daily gain:
    # 6.8M/92 = 73,913 a day (the slowest) and 7.9M/30 = 263,333 a day (the fastest, = the trend)
    [p] = history.projections
    assert p.basis == "whole_history"
    assert (p.value, p.low, p.high) == pytest.approx(
        (117_000_000 + 263_333.33 * 30, 117_000_000 + 6_800_000 / 92 * 30, 117_000_000 + 263_333.33 * 30)
    )


def test_one_gain_in_all_gives_a_projection_without_a_range() -> None:
    history = follower_history([(datetime(2026, 3, 1), 1000), (datetime(2026, 3, 11), 1100)], horizons=(10,))
    [p] = history.projections
    assert p.value == pytest.approx(1200) and p.low is None and p.high is None and p.basis is None
    # ten days of history: no day 1-2 days back (sparse), the 7-day change spans the 10 days
    assert history.sparse == frozenset({1})
    week = history.gains[7]
    assert week is not None and (week.change, week.span) == (100, 10)
