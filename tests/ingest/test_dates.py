from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from creatorlens.ingest import parse_datetime, parse_duration_seconds

NOW = datetime(2025, 5, 29, 15, 38, 41)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-21 09:44:45", datetime(2025, 5, 21, 9, 44, 45)),
        ("2025-05-21T09:44:45Z", datetime(2025, 5, 21, 9, 44, 45)),
        ("2025-05-21T18:44:45+09:00", datetime(2025, 5, 21, 9, 44, 45)),
        ("1608214517", datetime(2020, 12, 17, 14, 15, 17)),
        (1608214517, datetime(2020, 12, 17, 14, 15, 17)),
        ("1608214517000", datetime(2020, 12, 17, 14, 15, 17)),
        ("21/05/2025", datetime(2025, 5, 21)),
        ("2 hours", NOW - timedelta(hours=2)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("1주 전", NOW - timedelta(weeks=1)),
    ],
)
def test_dates_exports_write(text: object, expected: datetime) -> None:
    assert parse_datetime(text, observed_at=NOW).value == expected


def test_bare_age_uses_the_columns_unit() -> None:
    assert parse_datetime(
        "11 ", observed_at=NOW, bare_number_unit="hours"
    ).value == NOW - timedelta(hours=11)


@pytest.mark.parametrize("text", ["", "N/A", "not a date", "99999"])
def test_unparseable_dates_have_a_reason(text: str) -> None:
    parsed = parse_datetime(text, observed_at=NOW)
    assert parsed.value is None and parsed.reason


def test_relative_age_without_observation_time_is_refused() -> None:
    assert parse_datetime("2 hours").value is None


@given(st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2099, 1, 1)))
def test_iso_round_trip(moment: datetime) -> None:
    assert parse_datetime(moment.isoformat()).value == moment


@given(
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_durations(h: int, m: int, s: int) -> None:
    total = h * 3600 + m * 60 + s
    assert parse_duration_seconds(f"PT{h}H{m}M{s}S") == total
    assert parse_duration_seconds(f"{h}:{m:02d}:{s:02d}") == total
