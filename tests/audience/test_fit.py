from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _frames import number
from creatorlens.audience import (
    Target,
    age_band,
    audience_fit,
    reachable_audience,
    split_age_gender,
)


def creators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "creator_id": ["a", "b", "c"],
            "country": ["KR", "US", "KR"],
            "language": ["ko", "en", "ko"],
            "main_niche": ["beauty", "gaming", "beauty"],
        }
    )


def rows(creator: str, dimension: str, shares: dict[str, float]) -> list[dict[str, object]]:
    return [
        {"creator_id": creator, "dimension": dimension, "bucket": b, "share": s, "source": "x"}
        for b, s in shares.items()
    ]


def test_joint_breakdown_is_used_directly() -> None:
    audience = pd.DataFrame(
        rows("a", "age_gender", {"female|18-24": 0.3, "female|25-34": 0.2, "male|18-24": 0.5})
        + rows("a", "age", {"18-24": 0.8, "25-34": 0.2})
        + rows("a", "gender", {"female": 0.5, "male": 0.5})
    )
    fit = audience_fit(Target.parse("age=18-34 gender=female"), creators(), audience)
    a = fit.set_index("creator_id").loc["a"]
    assert a["fit"] == pytest.approx(0.5)
    assert a["fit_basis"] == "measured"
    assert "joint age_gender" in a["assumption"]
    assert "independent marginals" not in a["assumption"]


def test_marginals_multiply_and_say_so() -> None:
    audience = pd.DataFrame(
        rows("a", "age", {"18-24": 0.6, "25-34": 0.2, "35-44": 0.2})
        + rows("a", "gender", {"female": 0.7, "male": 0.3})
        + rows("a", "country", {"KR": 0.9, "US": 0.1})
    )
    fit = audience_fit(Target.parse("age=18-34 gender=female country=KR"), creators(), audience)
    a = fit.set_index("creator_id").loc["a"]
    assert a["fit"] == pytest.approx(0.8 * 0.7 * 0.9)
    assert "independent marginals" in a["assumption"]


def test_creators_without_breakdowns_are_estimated_from_country_language_niche() -> None:
    fit = audience_fit(
        Target.parse("country=KR interest=beauty"),
        creators(),
        pd.DataFrame(columns=["creator_id", "dimension", "bucket", "share", "source"]),
    ).set_index("creator_id")
    assert set(fit["fit_basis"]) == {"estimated"}
    # home-country beauty creators must fit better than a US gaming creator
    assert number(fit, "a", "fit") > number(fit, "b", "fit")
    assert fit.loc["a", "fit"] == pytest.approx(fit.loc["c", "fit"])
    assert fit.loc["b", "estimated_dimensions"] == "country,interest"


def test_unconstrained_target_fits_everyone() -> None:
    fit = audience_fit(
        Target(),
        creators(),
        pd.DataFrame(columns=["creator_id", "dimension", "bucket", "share", "source"]),
    )
    assert (fit["fit"] == 1.0).all()
    assert set(fit["fit_basis"]) == {"everyone"}


@pytest.mark.parametrize(
    ("bucket", "band"), [("18-24", "18-24"), ("55-64", "55+"), ("65+", "55+"), ("13–17", "13-17")]
)
def test_age_buckets_map_to_ad_bands(bucket: str, band: str) -> None:
    assert age_band(bucket) == band


def test_age_gender_bucket_orders() -> None:
    assert split_age_gender("female|18-24") == ("female", "18-24")
    assert split_age_gender("25-34 M") == ("male", "25-34")
    assert split_age_gender("F_35-44") == ("female", "35-44")


@settings(deadline=None)
@given(st.lists(st.floats(0, 1), min_size=6, max_size=6), st.sets(st.integers(0, 5), min_size=1))
def test_fit_is_a_share_and_grows_with_the_target(shares: list[float], picks: set[int]) -> None:
    total = sum(shares) or 1.0
    bands = ["13-17", "18-24", "25-34", "35-44", "45-54", "55+"]
    audience = pd.DataFrame(
        rows("a", "age", {b: s / total for b, s in zip(bands, shares, strict=True)})
    )
    chosen = [bands[i] for i in sorted(picks)]
    narrow = audience_fit(Target(ages=tuple(chosen[:1])), creators()[:1], audience)["fit"].iloc[0]
    wide = audience_fit(Target(ages=tuple(chosen)), creators()[:1], audience)["fit"].iloc[0]
    assert 0.0 <= narrow <= wide + 1e-12 <= 1.0 + 1e-9


def test_reachable_caps_view_rate_at_one() -> None:
    reach = reachable_audience(
        np.array([1000.0, 1000.0]), np.array([0.5, 0.5]), np.array([0.2, 3.0])
    )
    assert reach.tolist() == [100.0, 500.0]
