from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from _frames import number
from creatorlens.authenticity import (
    CreatorSignals,
    FakeAccountClassifier,
    ScoreComponent,
    audience_quality_score,
    audit_follower_sample,
    corrected_share,
    indirect_audience_quality,
    rogan_gladen,
    wilson_interval,
)


@given(n=st.integers(1, 5000), data=st.data())
def test_wilson_interval_is_inside_unit_and_contains_the_share(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


@given(truth=st.floats(0, 1), se=st.floats(0.55, 1), sp=st.floats(0.55, 1))
def test_rogan_gladen_inverts_the_apparent_share(truth: float, se: float, sp: float) -> None:
    apparent = truth * se + (1 - truth) * (1 - sp)
    assert rogan_gladen(apparent, se, sp) == pytest.approx(truth, abs=1e-9)


def test_rogan_gladen_refuses_a_chance_classifier() -> None:
    with pytest.raises(ValueError):
        rogan_gladen(0.3, 0.5, 0.5)


@pytest.mark.parametrize(("true_share", "n"), [(0.05, 100), (0.25, 200), (0.5, 400), (0.0, 150)])
def test_interval_covers_true_share_in_simulated_audits(true_share: float, n: int) -> None:
    """Classifier with known error (Se 0.85, Sp 0.95); its confusion counts are themselves
    estimated from a finite validation set, as in real use. Coverage must be >= 90%."""
    rng = np.random.default_rng(12345)
    se_true, sp_true, audits, covered = 0.85, 0.95, 300, 0
    for audit in range(audits):
        tp = int(rng.binomial(400, se_true))
        tn = int(rng.binomial(1200, sp_true))
        confusion = {"tp": tp, "fn": 400 - tp, "tn": tn, "fp": 1200 - tn}
        is_fake = rng.random(n) < true_share
        flagged = np.where(is_fake, rng.random(n) < se_true, rng.random(n) >= sp_true)
        estimate = corrected_share(int(flagged.sum()), n, confusion, draws=1500, seed=audit)
        assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0
        covered += estimate.low <= true_share <= estimate.high
    assert covered / audits >= 0.90


def test_interval_narrows_with_sample_size() -> None:
    confusion = {"tp": 430, "fn": 60, "tn": 1230, "fp": 50}
    small = corrected_share(30, 100, confusion)
    large = corrected_share(300, 1000, confusion)
    assert (large.high - large.low) < (small.high - small.low)


def _followers(rng: np.random.Generator, n_real: int, n_fake: int) -> pd.DataFrame:
    real = pd.DataFrame(
        {
            "follower_count": rng.integers(100, 3000, n_real),
            "following_count": rng.integers(50, 900, n_real),
            "media_count": rng.integers(5, 500, n_real),
            "has_profile_pic": 1,
            "is_private": rng.integers(0, 2, n_real),
            "biography_length": rng.integers(0, 120, n_real),
            "username": [f"person.{i}" for i in range(n_real)],
        }
    )
    fake = pd.DataFrame(
        {
            "follower_count": rng.integers(0, 60, n_fake),
            "following_count": rng.integers(1600, 7000, n_fake),
            "media_count": 0,
            "has_profile_pic": rng.integers(0, 2, n_fake),
            "is_private": 0,
            "biography_length": 0,
            "username": [f"user{rng.integers(10**7, 10**8)}" for _ in range(n_fake)],
        }
    )
    return pd.concat([real, fake], ignore_index=True)


def test_follower_audit_reports_shares_with_intervals_and_score() -> None:
    rng = np.random.default_rng(3)
    sample = _followers(rng, 300, 100)
    audit = audit_follower_sample(sample, FakeAccountClassifier.load())
    assert audit.n == 400
    assert audit.fake_share.low <= 0.25 <= audit.fake_share.high
    assert audit.mass_follower_share is not None
    assert audit.mass_follower_share.value == pytest.approx(0.25, abs=0.01)
    assert audit.inactive_share is not None and audit.inactive_share.value == pytest.approx(0.25)
    quality = audit.quality
    assert quality is not None and quality.basis == "follower_sample"
    assert quality.low <= quality.score <= quality.high
    assert {c.name for c in quality.components} == {
        "real_followers",
        "non_mass_followers",
        "active_followers",
    }
    assert all(c.evidence for c in quality.components)
    assert audit.as_dict()["fake_share"]["method"].startswith("rogan-gladen")


def test_indirect_estimate_is_labelled_and_wider_than_a_sample_audit() -> None:
    # Against the in-sample interval (the model without its leave-one-dataset-out spread): with
    # the between-population spread of fake_account_v2 a follower-sample interval on a population
    # the classifier never saw is far wider (docs/authenticity.md, 'Intervals that transfer').
    rng = np.random.default_rng(4)
    model = FakeAccountClassifier.load()
    model.metadata_ = {k: v for k, v in model.metadata_.items() if k != "transfer"}
    audit = audit_follower_sample(_followers(rng, 300, 100), model)
    fake, quality = indirect_audience_quality(
        CreatorSignals(followers=50_000, er_percentile_peers=0.10, n_posts=30)
    )
    assert fake is not None and quality is not None
    assert quality.basis == "indirect"
    assert fake.high - fake.low > audit.fake_share.high - audit.fake_share.low
    assert quality.low <= quality.score <= quality.high


def test_indirect_evidence_moves_the_estimate_the_right_way() -> None:
    healthy, _ = indirect_audience_quality(
        CreatorSignals(followers=10_000, er_percentile_peers=0.80, n_posts=30)
    )
    weak, _ = indirect_audience_quality(
        CreatorSignals(followers=10_000, er_percentile_peers=0.03, n_posts=30)
    )
    bought, _ = indirect_audience_quality(
        CreatorSignals(
            followers=10_000,
            er_percentile_peers=0.50,
            n_posts=30,
            bought_followers=6_000,
            has_snapshots=True,
        )
    )
    assert healthy is not None and weak is not None and bought is not None
    assert healthy.value < weak.value
    assert bought.low >= 0.6


def test_no_score_without_evidence() -> None:
    assert audience_quality_score([], "indirect") is None
    only = ScoreComponent("real_followers", 0.8, 0.7, 0.9, 0.4, "follower_sample")
    quality = audience_quality_score([only], "follower_sample")
    assert quality is not None
    assert (quality.score, quality.low, quality.high) == pytest.approx((80, 70, 90))


def _peers(n: int, seed: int, er_per_view: bool) -> pd.DataFrame:
    """Creators of one platform and size: views per follower ~ (1 - fake) x noise; ER per
    follower = that x ER per view (TikTok-like) or (1 - fake) x its own noise (Instagram-like)."""
    rng = np.random.default_rng(seed)
    real = 1 - rng.uniform(0.0, 0.06, n)
    views = real * 0.3 * rng.lognormal(0.0, 0.3, n)
    er = (
        views * 0.1 * rng.lognormal(0.0, 0.6, n)
        if er_per_view
        else real * 0.05 * rng.lognormal(0.0, 0.4, n)
    )
    return pd.DataFrame(
        {
            "creator_id": [f"c{i}" for i in range(n)],
            "platform": "tiktok" if er_per_view else "instagram",
            "peer_group": "micro",
            "tier": "micro",
            "er_followers_lc_median": er,
            "view_rate": views,
            "er_rankable": True,
        }
    )


def test_per_follower_residuals_weigh_the_signals_by_their_measured_covariance() -> None:
    from creatorlens.authenticity._audience_quality import per_follower_residuals

    tiktok = _peers(600, 1, er_per_view=True)
    # One creator with 40% fakes: views and ER per follower both fall by log(0.6).
    tiktok.loc[0, ["er_followers_lc_median", "view_rate"]] *= 0.6
    residuals = per_follower_residuals(tiktok)
    assert set(residuals) == set(tiktok["creator_id"])
    first = residuals["c0"]
    assert first.signals == ("er_per_follower", "views_per_follower") and first.among == "peers"
    # ER per follower is views per follower times noise: the combination is close to the views
    # residual alone, with its sd (about 0.3), not the ER's (about 0.67).
    views_residual = float(np.log(number(tiktok, 0, "view_rate")) - np.log(tiktok["view_rate"]).median())
    assert first.value == pytest.approx(views_residual, abs=0.1)
    assert 0.2 < first.sd < 0.4
    # Independent signals (Instagram-like) both count: the combined sd is below either one's.
    instagram = per_follower_residuals(_peers(600, 2, er_per_view=False))
    assert instagram["c1"].sd < 0.3
    # A creator whose ER may not be ranked (too few posts) contributes nothing.
    tiktok.loc[1, "er_rankable"] = False
    assert "c1" not in per_follower_residuals(tiktok)


def test_per_follower_evidence_moves_the_indirect_fake_share() -> None:
    low, _ = indirect_audience_quality(
        CreatorSignals(followers=10_000, per_follower_residual=-0.6, per_follower_residual_sd=0.3)
    )
    typical, _ = indirect_audience_quality(
        CreatorSignals(followers=10_000, per_follower_residual=0.0, per_follower_residual_sd=0.3)
    )
    assert low is not None and typical is not None
    assert low.value > typical.value + 0.15
