from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from creatorlens.audience import AGE_BANDS, Target, TargetError, parse_age_range

STARTS = [13, 18, 25, 35, 45, 55]
ENDS = [17, 24, 34, 44, 54]


def test_cli_string_parses_every_field() -> None:
    t = Target.parse("age=18-34 gender=female country=KR,JP interest=beauty")
    assert t.ages == ("18-24", "25-34")
    assert t.genders == ("female",)
    assert t.countries == ("KR", "JP")
    assert t.interests == ("beauty",)
    assert not t.is_everyone


def test_open_ended_and_single_band() -> None:
    assert parse_age_range("55+") == ("55+",)
    assert parse_age_range("35+") == ("35-44", "45-54", "55+")
    assert parse_age_range("13-17") == ("13-17",)
    assert parse_age_range("all") == AGE_BANDS


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("age=20-30", "not the start of a band"),
        ("age=18-30", "not the end of a band"),
        ("age=34-18", "below"),
        ("gender=robot", "female, male or any"),
        ("country=Korea", "two-letter ISO 3166"),
        ("language=korean", "ISO 639-1"),
        ("colour=red", "use age, gender"),
        ("age", "key=value"),
        ("age=", "has no value"),
    ],
)
def test_invalid_terms_say_how_to_fix(text: str, fragment: str) -> None:
    with pytest.raises(TargetError, match=fragment):
        Target.parse(text)


def test_both_genders_means_any_and_uk_is_gb() -> None:
    t = Target.parse("gender=female,male country=uk")
    assert t.genders == ()
    assert t.countries == ("GB",)


def test_toml_brief_target(tmp_path: Path) -> None:
    path = tmp_path / "brief.toml"
    path.write_text('[target]\nage = "18-34"\ngenders = ["f"]\ncountries = ["kr"]\n')
    t = Target.from_toml(path)
    assert t == Target.parse("age=18-34 gender=female country=KR")


@given(st.integers(0, 5), st.integers(0, 5))
def test_any_band_aligned_range_is_the_union_of_its_bands(i: int, j: int) -> None:
    lo, hi = min(i, j), max(i, j)
    text = f"{STARTS[lo]}+" if hi == 5 else f"{STARTS[lo]}-{ENDS[hi]}"
    assert parse_age_range(text) == AGE_BANDS[lo : hi + 1]


@given(st.integers(0, 120), st.integers(0, 120))
def test_misaligned_ranges_always_fail_cleanly(low: int, high: int) -> None:
    text = f"{low}-{high}"
    if low in STARTS and high in ENDS and high >= low:
        assert parse_age_range(text)
    else:
        with pytest.raises(TargetError):
            parse_age_range(text)
