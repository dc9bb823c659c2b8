"""A creator's follower (or total-view) history as Social Blade shows one: a row per day with the
day's gain, the gains over the last day, week and 30 days, and projections with a range.

Pure: the snapshots in (``observed_at``, a count: ``followers``, or the account's lifetime total
``views``), values out; the same rules apply to either count. An unknown count (None: a hidden
subscriber count, a platform that gives no view total) is skipped, never read as zero. A day's value is its
last snapshot (UTC day). A gain over N days compares the last day with the latest day on or before
N days earlier and says how many days that really spans (a missed watch run widens it); the
average daily gain divides by that span. A gain whose nearest earlier day is more than twice N days
back is unknown (``History.sparse``): with monthly snapshots a "1-day change" would be the month's.
Projections extend the 30-day average daily gain; their range is the slowest and the fastest 7-day
average daily gain seen in those 30 days (fewer than 7 days of history: the slowest and fastest
single day), extended as far. When those 30 days hold a single gain (sparse snapshots), the range
takes every gain of the whole history instead (``Projection.basis`` says which); with one gain in
all, there is no range (None), never a range of zero width. That range shows how uneven growth
was; it is not a confidence interval, and a trend that bends (a viral video, a purge of fake
followers) leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

__all__ = ["PROJECTION_DAYS", "RANGE_LAST_30_DAYS", "RANGE_WHOLE_HISTORY", "DailyCount", "Gain",
           "History", "Projection", "count_history", "follower_history"]  # fmt: skip

#: Horizons of the projections, in days.
PROJECTION_DAYS = (30, 90, 365)
_WEEK = 7


@dataclass(frozen=True)
class DailyCount:
    day: date
    count: int  # the day's followers (or total views)
    gain: int | None  # since the previous day in the series (None for the first)
    days: int | None  # days since that previous day (1 when no run was missed)

    @property
    def followers(self) -> int:
        return self.count


@dataclass(frozen=True)
class Gain:
    days: int  # asked for: 1, 7 or 30
    span: int  # the days really compared (>= days when a day is missing)
    since: date
    change: int
    pct: float | None  # of the count at ``since``
    per_day: float

    @property
    def followers(self) -> int:
        return self.change


#: ``Projection.basis``: which gains the range comes from.
RANGE_LAST_30_DAYS = "last_30_days"
RANGE_WHOLE_HISTORY = "whole_history"


@dataclass(frozen=True)
class Projection:
    days: int
    value: float
    low: float | None  # None: one gain in the whole history, so no range
    high: float | None
    basis: str | None = RANGE_LAST_30_DAYS  # RANGE_LAST_30_DAYS, RANGE_WHOLE_HISTORY or None

    @property
    def followers(self) -> float:
        return self.value


@dataclass(frozen=True)
class History:
    daily: tuple[DailyCount, ...]
    gains: dict[int, Gain | None] = field(default_factory=dict)
    projections: tuple[Projection, ...] = ()
    #: Horizons whose gain is unknown because the history is long enough but the nearest earlier
    #: day is more than twice the horizon back (sparse snapshots), not because it is too short.
    sparse: frozenset[int] = frozenset()

    @property
    def last(self) -> DailyCount | None:
        return self.daily[-1] if self.daily else None


def _day(when: datetime | date) -> date:
    if isinstance(when, datetime):
        return (when.astimezone(UTC) if when.tzinfo else when).date()
    return when


def daily_series(snapshots: Iterable[tuple[datetime | date, int | None]]) -> tuple[DailyCount, ...]:
    """The last snapshot of each UTC day that states the count, with the gain from the day before."""
    last_of_day: dict[date, tuple[datetime | date, int]] = {}
    for when, count in snapshots:
        if when is None or count is None:
            continue
        day = _day(when)
        seen = last_of_day.get(day)
        if seen is None or _order(when) >= _order(seen[0]):
            last_of_day[day] = (when, int(count))
    out: list[DailyCount] = []
    for day in sorted(last_of_day):
        count = last_of_day[day][1]
        if out:
            prev = out[-1]
            out.append(DailyCount(day, count, count - prev.count, (day - prev.day).days))
        else:
            out.append(DailyCount(day, count, None, None))
    return tuple(out)


def _order(when: datetime | date) -> datetime:
    if isinstance(when, datetime):
        return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    return datetime.combine(when, datetime.min.time())


def _gain(daily: Sequence[DailyCount], days: int) -> Gain | None:
    last = daily[-1]
    cutoff = last.day - timedelta(days=days)
    earlier = [d for d in daily if d.day <= cutoff]
    if not earlier:
        return None
    base = earlier[-1]
    span = (last.day - base.day).days
    if span > 2 * days:
        return None
    change = last.count - base.count
    return Gain(days, span, base.day, change, change / base.count if base.count else None,
                change / span)  # fmt: skip


def _rates(daily: Sequence[DailyCount], window: int) -> list[float]:
    """Average daily gains of the window's days: 7-day averages when there are 7 days or more."""
    last = daily[-1].day
    steps = [(d.gain, d.days) for d in daily if d.gain is not None and d.days
             and (last - d.day).days < window]  # fmt: skip
    if len(steps) < _WEEK:
        return [g / n for g, n in steps if g is not None and n]
    out = []
    for i in range(len(steps) - _WEEK + 1):
        chunk = steps[i : i + _WEEK]
        out.append(sum(g for g, _ in chunk if g is not None) / sum(n for _, n in chunk if n))
    return out


def count_history(
    snapshots: Iterable[tuple[datetime | date, int | None]], horizons: Sequence[int] = PROJECTION_DAYS
) -> History:
    """The daily series, 1/7/30-day gains and projections of one count (followers or views)."""
    daily = daily_series(snapshots)
    if not daily:
        return History(())
    gains = {n: _gain(daily, n) for n in (1, _WEEK, 30)}
    sparse = frozenset(
        n for n, g in gains.items() if g is None and (daily[-1].day - daily[0].day).days >= n
    )
    month = gains[30] or _longest(daily)
    projections: tuple[Projection, ...] = ()
    if month is not None:
        rates, basis = _rates(daily, 30), RANGE_LAST_30_DAYS
        if len(rates) < 2:
            rates, basis = _rates(daily, (daily[-1].day - daily[0].day).days + 1), RANGE_WHOLE_HISTORY
        now = daily[-1].count
        if len(rates) < 2:
            projections = tuple(
                Projection(h, now + month.per_day * h, None, None, None) for h in horizons
            )
        else:
            low, high = min(*rates, month.per_day), max(*rates, month.per_day)
            projections = tuple(
                Projection(h, now + month.per_day * h, now + low * h, now + high * h, basis)
                for h in horizons
            )
    return History(daily, gains, projections, sparse)


def follower_history(
    snapshots: Iterable[tuple[datetime | date, int | None]], horizons: Sequence[int] = PROJECTION_DAYS
) -> History:
    """``count_history`` of (observed_at, followers)."""
    return count_history(snapshots, horizons)


def _longest(daily: Sequence[DailyCount]) -> Gain | None:
    """The change over the whole series, for a history shorter than 30 days (or with no day
    within 60 days before the last)."""
    first, last = daily[0], daily[-1]
    span = (last.day - first.day).days
    if span < 1:
        return None
    change = last.count - first.count
    return Gain(span, span, first.day, change, change / first.count if first.count else None,
                change / span)  # fmt: skip
