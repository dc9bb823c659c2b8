"""Platform-aware classifier, between-population spread and the interval that carries it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.authenticity import FakeAccountClassifier, corrected_share
from creatorlens.authenticity._intervals import PopulationSpread, interval_parts
from creatorlens.authenticity._transfer import Transfer, population_spread


def _profiles(n: int, seed: int, platform: str) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    fake = rng.random(n) < 0.4
    frame = pd.DataFrame(
        {
            "followers": np.where(fake, rng.integers(0, 60, n), rng.integers(100, 5000, n)),
            "following": np.where(fake, rng.integers(1000, 7000, n), rng.integers(50, 900, n)),
            "posts_count": np.where(fake, rng.integers(0, 3, n), rng.integers(5, 500, n)),
            "platform": platform,
        }
    )
    return frame, fake.astype(int)


def test_platform_deviation_round_trips_through_json() -> None:
    a, ya = _profiles(300, 1, "instagram")
    b, yb = _profiles(300, 2, "twitter")
    frame, labels = pd.concat([a, b], ignore_index=True), np.concatenate([ya, yb])
    model = FakeAccountClassifier(platforms=["instagram", "twitter"]).fit(frame, labels)
    again = FakeAccountClassifier.from_json(model.to_json())
    np.testing.assert_allclose(model.predict_proba(frame), again.predict_proba(frame))
    # The shared part alone for a platform without a deviation; contributions add up per row.
    shared = model.decision_function(frame, platform="tiktok")
    with_platform = model.decision_function(frame)
    assert not np.allclose(shared, with_platform)
    contributions = model.contributions(frame)
    offsets = frame["platform"].map(model.platform_intercept_).to_numpy()
    np.testing.assert_allclose(
        contributions.sum(axis=1) + model.intercept_ + offsets, with_platform
    )


def _transfer(name: str, platform: str, tp: int, fn: int, tn: int, fp: int) -> Transfer:
    return Transfer(name, platform, tp + fn + tn + fp, tp + fn, tp, fn, tn, fp, None, 0.5)


def test_population_spread_centres_on_the_platform_and_pools_the_sd() -> None:
    transfers = [
        _transfer("a", "instagram", 90, 10, 95, 5),
        _transfer("b", "instagram", 80, 20, 90, 10),
        _transfer("c", "twitter", 30, 70, 60, 40),
        _transfer("d", "twitter", 50, 50, 50, 50),
    ]
    spread = population_spread(transfers, "instagram")
    assert 0.8 < spread.sensitivity < 0.9 and 0.9 < spread.specificity < 0.95
    assert spread.se_df == 2 and spread.sp_df == 2
    other = population_spread(transfers, "youtube")
    assert other.sensitivity < spread.sensitivity
    round_trip = PopulationSpread.from_dict(spread.as_dict())
    assert round_trip == spread


def test_botwiki_like_set_adds_to_sensitivity_only() -> None:
    transfers = [
        _transfer("a", "instagram", 90, 10, 95, 5),
        _transfer("bots", "instagram", 40, 60, 0, 0),
    ]
    spread = population_spread(transfers, "instagram")
    assert spread.se_df == 1 and spread.sp_df == 1  # no Sp df: falls back to all transfers


def test_spread_widens_the_interval_and_parts_say_why() -> None:
    confusion = {"tp": 450, "fn": 50, "tn": 950, "fp": 50}
    narrow = corrected_share(120, 1000, confusion)
    spread = PopulationSpread(2.0, 0.6, 4, 3.0, 0.6, 4, "test")
    wide = corrected_share(120, 1000, confusion, spread=spread)
    assert wide.high - wide.low > narrow.high - narrow.low
    assert wide.low <= wide.value <= wide.high
    parts = interval_parts(120, 1000, confusion, spread=spread)
    assert parts["classifier"] > parts["sampling"] > 0
    assert parts["total"] == pytest.approx(wide.high - wide.low)


def test_chance_level_centre_withholds() -> None:
    spread = PopulationSpread(-1.0, 0.5, 4, -0.5, 0.5, 4, "no better than chance")
    with pytest.raises(ValueError, match="no better than chance"):
        corrected_share(100, 500, {"tp": 1, "fn": 1, "tn": 1, "fp": 1}, spread=spread)


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(0, 500),
    se=st.floats(-1.0, 4.0),
    sp=st.floats(0.5, 5.0),
    sd=st.floats(0.0, 3.0),
)
def test_spread_interval_is_a_share_interval(count: int, se: float, sp: float, sd: float) -> None:
    spread = PopulationSpread(se, sd, 3, sp, sd, 3)
    if spread.sensitivity + spread.specificity <= 1:
        return
    share = corrected_share(count, 500, {"tp": 1, "fn": 1, "tn": 1, "fp": 1}, spread=spread,
                            draws=500)
    assert 0.0 <= share.low <= share.value <= share.high <= 1.0


def test_a_platform_without_labelled_sets_is_centred_on_the_populations() -> None:
    """The packaged model's fallback ("other": TikTok, YouTube) is centred on the mean of its
    leave-one-dataset-out transfers, each population weighing the same, not on pooled counts
    that the largest set would dominate."""
    model = FakeAccountClassifier.load()
    stored = model.metadata_["transfer"]
    transfers = [Transfer.from_dict(t) for t in stored["transfers"]]
    expected = population_spread(transfers, "other")
    fallback = model.population_spread("tiktok")
    assert fallback is not None
    assert fallback.se_logit_mean == pytest.approx(expected.se_logit_mean)
    assert fallback.sp_logit_mean == pytest.approx(expected.sp_logit_mean)
    assert fallback.se_logit_sd == pytest.approx(expected.se_logit_sd)
    # Instagram keeps its own centre (cross-validated on the Instagram sets).
    instagram = model.population_spread("instagram")
    assert instagram is not None and instagram.source.startswith("centre: cross-validated")
