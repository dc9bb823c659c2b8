"""Audience homogeneity (1 - normalised entropy) and local share."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _frames import number
from creatorlens.content._homogeneity import audience_homogeneity, homogeneity_of_shares, same_place


def test_one_bucket_is_fully_homogeneous_and_uniform_is_zero() -> None:
    assert homogeneity_of_shares({"KR": 1.0}, 10) == 1.0
    assert homogeneity_of_shares({"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25}, 4) == 0.0
    assert homogeneity_of_shares({}, 4) is None
    assert homogeneity_of_shares({"only": 1.0}, 1) is None


def test_known_value_and_residual_bucket() -> None:
    value = homogeneity_of_shares({"f": 0.8, "m": 0.2}, 2)
    entropy = -(0.8 * math.log(0.8) + 0.2 * math.log(0.2))
    assert value == pytest.approx(1 - entropy / math.log(2), abs=1e-4)
    # 60% reported: the 40% rest becomes one "unreported" bucket.
    assert homogeneity_of_shares({"KR": 0.6}, 5) == homogeneity_of_shares({"KR": 0.6, "x": 0.4}, 5)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0, 1), min_size=1, max_size=12),
    st.integers(0, 30),
)
def test_homogeneity_is_in_unit_interval(shares: dict[str, float], n: int) -> None:
    value = homogeneity_of_shares(shares, n)
    assert value is None or 0.0 <= value <= 1.0


def test_same_place_matches_codes_and_names() -> None:
    assert same_place("KR", "South Korea")
    assert same_place("us", "United States")
    assert not same_place("KR", "JP")
    assert not same_place(None, "KR")


def test_audience_frame_per_dimension_overall_and_local_share() -> None:
    audience = pd.DataFrame(
        [
            ("ig:a", "country", "KR", 0.9, "s", "2024-01-01"),
            ("ig:a", "country", "US", 0.1, "s", "2024-01-01"),
            ("ig:a", "gender", "female", 0.5, "s", "2024-01-01"),
            ("ig:a", "gender", "male", 0.5, "s", "2024-01-01"),
            ("ig:a", "city", "Seoul", 0.7, "s", "2024-01-01"),
            ("ig:b", "country", "US", 0.4, "s", "2024-01-01"),
            ("ig:b", "country", "KR", 0.3, "s", "2024-01-01"),
            ("ig:b", "country", "JP", 0.3, "s", "2024-01-01"),
            # an older observation from another source is ignored
            ("ig:b", "country", "US", 1.0, "old", "2023-01-01"),
        ],
        columns=["creator_id", "dimension", "bucket", "share", "source", "observed_at"],
    )
    creators = pd.DataFrame(
        {"creator_id": ["ig:a", "ig:b"], "country": ["South Korea", "US"], "city": ["seoul", None]}
    )
    out = audience_homogeneity(audience, creators).set_index("creator_id")
    assert out.loc["ig:a", "homogeneity_gender"] == 0.0
    assert number(out, "ig:a", "homogeneity_country") > number(out, "ig:b", "homogeneity_country")
    assert out.loc["ig:a", "homogeneity_dimensions"] == 3
    dims = [number(out, "ig:a", f"homogeneity_{d}") for d in ("country", "gender", "city")]
    assert out.loc["ig:a", "homogeneity_overall"] == pytest.approx(sum(dims) / 3, abs=1e-4)
    assert out.loc["ig:a", "audience_local_share"] == 0.9
    assert out.loc["ig:a", "audience_local_city_share"] == 0.7
    assert out.loc["ig:b", "audience_local_share"] == 0.4
    assert pd.isna(number(out, "ig:b", "audience_local_city_share"))
    assert audience_homogeneity(audience.iloc[0:0], creators).empty
