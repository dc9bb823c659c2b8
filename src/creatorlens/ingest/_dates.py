"""Dates and durations as exports write them.

Timestamps: ISO 8601 (with or without zone; zoned values are converted to UTC and stored naive),
unix seconds or milliseconds, "2025-05-21 09:44:45", "21/05/2025", and relative ages ("2 hours",
"3 days ago", "1주 전") resolved against the time the data was observed. Durations: ISO 8601
("PT4M13S"), "01:05", "1:02:03", or seconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from creatorlens.ingest._numbers import MISSING_MARKERS

# Unix times outside this window are not plausible post or observation times.
_EPOCH_MIN = datetime(2004, 1, 1).timestamp()  # before any of the platforms existed
_EPOCH_MAX = datetime(2100, 1, 1).timestamp()

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "초": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "분": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "시간": 3600,
    "d": 86400, "day": 86400, "days": 86400, "일": 86400,
    "w": 604800, "wk": 604800, "week": 604800, "weeks": 604800, "주": 604800,
    "mo": 2629746, "month": 2629746, "months": 2629746, "개월": 2629746, "달": 2629746,
    "y": 31556952, "yr": 31556952, "year": 31556952, "years": 31556952, "년": 31556952,
}  # fmt: skip
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z가-힣]+)?\s*(?:ago|전)?\s*$", re.IGNORECASE)
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_ISO_DURATION = re.compile(
    r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE
)
_CLOCK_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class ParsedTime:
    value: datetime | None
    reason: str | None = None


def parse_datetime(
    raw: object, *, observed_at: datetime | None = None, bare_number_unit: str = "epoch"
) -> ParsedTime:
    """Parse one timestamp cell into a naive UTC datetime.

    ``bare_number_unit`` says what a plain number means in this column: ``"epoch"`` (unix
    seconds or milliseconds) or an age unit such as ``"hours"`` for exports whose "time since
    posted" column lost its unit.
    """
    if raw is None:
        return ParsedTime(None, "missing")
    if isinstance(raw, datetime):
        return ParsedTime(_naive_utc(raw))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and math.isnan(raw):
            return ParsedTime(None, "missing")
        return _from_number(float(raw), observed_at, bare_number_unit)
    text = str(raw).strip()
    if text.lower() in MISSING_MARKERS:
        return ParsedTime(None, "blank" if not text else f"placeholder {text!r} means no value")
    return _parse_text(text, observed_at, bare_number_unit)


@lru_cache(maxsize=65536)
def _parse_text(text: str, observed_at: datetime | None, bare_number_unit: str) -> ParsedTime:
    try:
        return _from_number(float(text), observed_at, bare_number_unit)
    except ValueError:
        pass
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        return ParsedTime(_naive_utc(datetime.fromisoformat(iso)))
    except ValueError:
        pass
    m = _DAY_FIRST.match(text)
    if m:
        day, month, year, hh, mm, ss = m.groups()
        try:
            return ParsedTime(
                datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
            )
        except ValueError:
            return ParsedTime(None, f"not a valid date: {text!r}")
    m = _RELATIVE.match(text)
    if m and (m.group(2) is None or m.group(2).lower() in _UNITS):
        unit = (m.group(2) or bare_number_unit).lower()
        if unit not in _UNITS:
            return ParsedTime(None, f"age {text!r} has no unit")
        if observed_at is None:
            return ParsedTime(None, f"relative age {text!r} needs the observation time")
        return ParsedTime(observed_at - timedelta(seconds=float(m.group(1)) * _UNITS[unit]))
    return ParsedTime(None, f"not a date: {text!r}")


def _from_number(value: float, observed_at: datetime | None, unit: str) -> ParsedTime:
    if unit != "epoch":
        if observed_at is None:
            return ParsedTime(None, f"age {value:g} {unit} needs the observation time")
        return ParsedTime(observed_at - timedelta(seconds=value * _UNITS[unit]))
    if value > 1e11:  # milliseconds
        value /= 1000.0
    if not (_EPOCH_MIN <= value <= _EPOCH_MAX):
        return ParsedTime(None, f"{value:g} is not a plausible unix time")
    return ParsedTime(datetime.fromtimestamp(value, UTC).replace(tzinfo=None))


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def parse_duration_seconds(raw: object) -> float | None:
    """Video duration in seconds from "PT4M13S", "01:05", "1:02:03" or a number."""
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return None if (isinstance(raw, float) and math.isnan(raw)) else float(raw)
    text = str(raw).strip()
    if not text:
        return None
    m = _ISO_DURATION.match(text)
    if m and any(m.groups()):
        d, h, mi, s = m.groups()
        return int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)
    m = _CLOCK_DURATION.match(text)
    if m:
        h, mi, s = m.groups()
        return int(h or 0) * 3600 + int(mi) * 60 + int(s)
    try:
        return float(text)
    except ValueError:
        return None
