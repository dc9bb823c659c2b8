from __future__ import annotations

import math

import pyarrow as pa
import pytest
from hypothesis import given, strategies as st

from creatorlens.ingest import parse_number
from creatorlens.ingest._numbers import parse_number_array


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.8M", 13_800_000),
        ("304.9K", 304_900),
        ("1,234", 1234),
        ("1.2B", 1_200_000_000),
        ("12.5%", 0.125),
        ("3.5만", 35_000),
        ("1.2억", 120_000_000),
        ("1,200명", 1200),
        ("1억 2,000만", 120_000_000),
        ("348.5", 348.5),
        (" 11 ", 11),
        ("1.234,5", 1234.5),
        ("5 k", 5000),
        ("2,100,000", 2_100_000),
        (42, 42),
        (3.5, 3.5),
    ],
)
def test_numbers_people_write(text: object, expected: float) -> None:
    assert parse_number(text).value == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["", "N/A", "n/a", "-", "#VALOR!", "#VALUE!", "N/A'", "#DIV/0!", None]
)
def test_placeholders_are_null_with_a_reason(text: object) -> None:
    parsed = parse_number(text)
    assert parsed.value is None
    assert parsed.reason


def test_garbage_is_null_with_the_value_in_the_reason() -> None:
    parsed = parse_number("lots")
    assert parsed.value is None and "lots" in (parsed.reason or "")


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_integers_round_trip(n: int) -> None:
    assert parse_number(str(n)).value == n
    assert parse_number(f"{n:,}").value == n


@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from([("K", 1e3), ("M", 1e6), ("B", 1e9), ("만", 1e4), ("억", 1e8)]),
)
def test_suffixes_scale_exactly(tenths: int, suffix: tuple[str, float]) -> None:
    text = f"{tenths / 10:g}{suffix[0]}"
    assert parse_number(text).value == pytest.approx(tenths / 10 * suffix[1], rel=1e-12)


@given(st.text(max_size=20))
def test_never_raises_and_never_returns_nan_or_inf(text: str) -> None:
    parsed = parse_number(text)
    if parsed.value is None:
        assert parsed.reason
    else:
        assert math.isfinite(parsed.value)


@given(
    st.lists(
        st.one_of(
            st.none(), st.integers(0, 10**9).map(str), st.sampled_from(["1.5K", "N/A", "x", ""])
        ),
        max_size=50,
    )
)
def test_column_parse_agrees_with_cell_parse(cells: list[str | None]) -> None:
    values, reasons = parse_number_array(pa.array(cells, type=pa.string()))
    for i, cell in enumerate(cells):
        single = parse_number(cell)
        assert values[i].as_py() == single.value
        if single.value is None and cell not in (None, ""):
            assert i in reasons
