"""Numbers as people write them in exports: "13.8M", "304.9K", "1,234", "12.5%", "3.5만", "1.2억".

``parse_number`` returns a :class:`Parsed` value: the number, or ``None`` with the reason, so the
ingest can record why a cell became null. Column-wise parsing (``parse_number_array``) takes the
fast path of a plain cast when a column is clean and parses each distinct messy string once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Spreadsheet and export placeholders that mean "no value" (compared case-insensitively).
MISSING_MARKERS = frozenset(
    {
        "", "-", "--", "—", "–", "n/a", "n/a'", "na", "nan", "none", "null", "nil", "?",
        "#valor!", "#value!", "#n/a", "#div/0!", "#ref!", "#name?", "#num!", "#null!", "#error!",
    }
)  # fmt: skip

_SUFFIX = {
    "k": 1e3, "thousand": 1e3, "천": 1e3,
    "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6, "백만": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "십억": 1e9,
    "만": 1e4, "억": 1e8, "조": 1e12,
}  # fmt: skip

# A number with optional thousands separators, optional decimal part and optional exponent.
_NUM = (
    r"[+-]?\d{1,3}(?:\.\d{3})+,\d+"  # European "1.234,5"
    r"|[+-]?(?:\d{1,3}(?:[,\s'’]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?|[+-]?[.,]\d+"
)
_SUFFIX_ALT = "|".join(sorted((re.escape(k) for k in _SUFFIX), key=len, reverse=True))
_PATTERN = re.compile(
    rf"^\s*(?P<num>{_NUM})\s*(?P<suffix>{_SUFFIX_ALT})?\s*(?P<unit>%|명|개|회|건|views?|"
    r"followers?|subscribers?|likes?|comments?|shares?|videos?|posts?)?\s*$",
    re.IGNORECASE,
)
# Korean compound amounts such as "1억 2,000만" (= 120,000,000).
_KOREAN_COMPOUND = re.compile(
    r"^\s*(?:(\d[\d,]*(?:\.\d+)?)\s*억)?\s*(?:(\d[\d,]*(?:\.\d+)?)\s*만)?\s*(\d[\d,]*)?\s*명?\s*$"
)


#: Counts must be below this: from 2**53 on, integers cannot be told apart in the float64 every
#: number passes through (and no follower, view or like count comes near 9 quadrillion).
MAX_COUNT = 2**53
_NON_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def short(raw: object, limit: int = 80) -> str:
    """A cell for a message: its repr, cut to ``limit`` characters."""
    text = repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Parsed:
    value: float | None
    reason: str | None = None  # why value is None; None when parsed or genuinely empty

    @property
    def ok(self) -> bool:
        return self.value is not None


def parse_number(text: object, *, percent_as_fraction: bool = True) -> Parsed:
    """Parse one cell. Percentages become fractions (12.5% -> 0.125) unless told otherwise."""
    if text is None:
        return Parsed(None, "missing")
    if isinstance(text, bool):
        return Parsed(float(text))
    if isinstance(text, int | float):
        try:
            value = float(text)
        except OverflowError:
            return Parsed(None, f"number too large: {short(text)}")
        if math.isnan(value):
            return Parsed(None, "not a number (NaN)")
        if math.isinf(value):
            return Parsed(None, f"not a finite number: {text!r}")
        return Parsed(value)
    return _parse_text(str(text), percent_as_fraction)


@lru_cache(maxsize=65536)
def _parse_text(raw: str, percent_as_fraction: bool) -> Parsed:
    s = raw.strip().strip("\"'").strip()
    lowered = s.lower()
    if lowered in MISSING_MARKERS or raw.strip().lower() in MISSING_MARKERS:
        return Parsed(None, f"placeholder {raw.strip()!r} means no value" if s else "blank")
    if lowered in _NON_FINITE:
        return Parsed(None, f"not a finite number: {raw.strip()!r}")
    if s[:1] in ("[", "{"):
        return Parsed(None, f"a list or object where one number is expected: {short(raw)}")
    s = s.replace("\u00a0", " ").replace("＋", "+")
    if s.startswith("~") or s.startswith("≈"):
        s = s[1:].strip()
    match = _PATTERN.match(s)
    if match:
        number = _to_float(match["num"])
        suffix = (match["suffix"] or "").lower()
        unit = (match["unit"] or "").lower()
        if number is None:
            return Parsed(None, f"not a number: {short(raw)}")
        if suffix:
            number *= _SUFFIX[suffix]
        if unit == "%" and percent_as_fraction:
            number /= 100.0
        if math.isinf(number):
            return Parsed(None, f"number too large: {short(raw)}")
        return Parsed(_tidy(number))
    korean = _KOREAN_COMPOUND.match(s)
    if korean and any(korean.groups()):
        eok, man, rest = korean.groups()
        total = 0.0
        for part, scale in ((eok, 1e8), (man, 1e4), (rest, 1.0)):
            if part:
                total += float(part.replace(",", "")) * scale
        if math.isinf(total):
            return Parsed(None, f"number too large: {short(raw)}")
        return Parsed(_tidy(total))
    return Parsed(None, f"not a number: {short(raw)}")


def _to_float(num: str) -> float | None:
    s = num.replace(" ", "").replace("'", "").replace("’", "")
    if "," in s and "." in s:
        # "1,234.5" (English) or "1.234,5" (European): the last separator is the decimal one.
        european = s.rfind(",") > s.rfind(".")
        s = s.replace(".", "").replace(",", ".") if european else s.replace(",", "")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        # "1,234" and "12,345,678" group thousands; "3,5" is a decimal comma.
        s = s.replace(",", "") if len(tail) == 3 and head.lstrip("+-") else s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def _tidy(value: float) -> float:
    # "13.8M" should be exactly 13_800_000, not 13_799_999.999999998.
    rounded = round(value, 6)
    return float(round(rounded)) if abs(rounded - round(rounded)) < 1e-6 else rounded


def parse_number_array(
    values: pa.Array | pa.ChunkedArray,
) -> tuple[pa.Array, dict[int, str]]:
    """Parse a column. Returns float64 values and {row index: reason} for cells that became null.

    Empty cells are null without a note (they carry no information to lose); anything else that
    does not parse is null with a reason.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        # Unsafe: integers beyond 2**53 round (and are then refused as counts, >= MAX_COUNT).
        out = pc.cast(values, pa.float64(), safe=False)
        reasons: dict[int, str] = {}
        if pa.types.is_floating(values.type):
            bad = pc.fill_null(pc.or_(pc.is_nan(out), pc.is_inf(out)), False)
            if pc.any(bad).as_py():
                for row in np.flatnonzero(bad.to_numpy(zero_copy_only=False)).tolist():
                    reason = parse_number(values[row].as_py()).reason
                    reasons[row] = reason or "not a finite number"
                out = pc.if_else(bad, pa.scalar(None, pa.float64()), out)
        return out, reasons
    if pa.types.is_boolean(values.type):
        return pc.cast(values, pa.float64()), {}
    strings = pc.cast(values, pa.string()) if not pa.types.is_string(values.type) else values
    try:  # fast path: a clean numeric column
        trimmed = pc.utf8_trim_whitespace(strings)
        blank = pc.equal(trimmed, "")
        cleaned = pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)
        out = pc.cast(cleaned, pa.float64())
        if not pc.any(pc.or_(pc.is_inf(out), pc.is_nan(out))).as_py():
            return out, {}
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    unique = pc.unique(strings)
    parsed = [parse_number(u) for u in unique.to_pylist()]
    lookup = pa.array([p.value for p in parsed], type=pa.float64())
    positions = pc.index_in(strings, value_set=unique)
    out = pc.take(lookup, positions)
    reasons = {}
    failed_unique = {i for i, p in enumerate(parsed) if p.value is None and p.reason != "blank"}
    if failed_unique:
        pos = positions.to_numpy(zero_copy_only=False)
        for row, u in enumerate(pos):
            if u == u and int(u) in failed_unique:  # u == u filters NaN for null cells
                reason = parsed[int(u)].reason
                if reason and reason != "missing":
                    reasons[row] = reason
    return out, reasons


def parse_count(value: object) -> Parsed:
    """One count (a per-post array element): a whole number in [0, MAX_COUNT], else None and why."""
    parsed = parse_number(value)
    if parsed.value is None:
        return parsed if parsed.reason not in ("missing", "blank") else Parsed(None)
    if parsed.value < 0:
        return Parsed(None, f"negative count {parsed.value:g}")
    if parsed.value >= MAX_COUNT:
        return Parsed(None, f"count {short(value)} is not below 2^53, the largest count stored exactly")
    return Parsed(float(round(parsed.value)))

