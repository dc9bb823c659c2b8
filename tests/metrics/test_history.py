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
