"""Demo follower samples against calibration.toml [follower_samples] and the published
descriptions of bought followers (shared/reference/authenticity.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creatorlens.authenticity import FakeAccountClassifier
from creatorlens.demo import DemoData, load_calibration


@pytest.fixture(scope="module")
def followers(demo: DemoData) -> pd.DataFrame:
    samples = demo.follower_samples.to_pandas()
    truth = demo.truth_followers.to_pandas()
    frame: pd.DataFrame = samples.merge(truth, on=["creator_id", "handle"], validate="one_to_one")
    assert len(frame) == len(samples) == len(truth)
    return frame


def test_some_creators_have_a_sample_of_a_few_hundred(
    demo: DemoData, followers: pd.DataFrame
) -> None:
    cal = load_calibration().section("follower_samples")
    creators = demo.truth_creators.to_pandas()
    sampled = creators[creators["has_follower_sample"]]
    eligible = creators["tier"] != "none"
    expected = min(float(cal["share_of_creators"]) * eligible.sum(), int(cal["max_creators"]))
    sd = np.sqrt(expected * (1 - float(cal["share_of_creators"])))
    assert len(sampled) <= int(cal["max_creators"])
    assert abs(len(sampled) - expected) <= 4 * sd
    assert (sampled["tier"] != "none").all()
    sizes = followers.groupby("creator_id").size()
    assert set(sizes.index) == set(sampled["creator_id"])
    low, high = cal["size"]
    assert sizes.between(low, high).all()


def test_fakes_follow_the_planted_fake_share(demo: DemoData, followers: pd.DataFrame) -> None:
    """Binomial(n, planted fake share) per creator: each creator's count within 4 SDs, and the
    pooled share equal to the size-weighted planted share."""
    creators = demo.truth_creators.to_pandas().set_index("creator_id")
    per = followers.groupby("creator_id").agg(n=("is_fake", "size"), fakes=("is_fake", "sum"))
    p = creators.loc[per.index, "fake_share"]
    sd = np.sqrt(per["n"] * p * (1 - p))
    assert ((per["fakes"] - per["n"] * p).abs() <= 4 * sd + 1).all()
    expected = float((per["n"] * p).sum() / per["n"].sum())
    assert per["fakes"].sum() / per["n"].sum() == pytest.approx(expected, abs=0.01)


def test_profiles_look_like_the_published_descriptions(followers: pd.DataFrame) -> None:
    by_kind = followers.assign(
        ratio=followers["following"] / followers["followers"].clip(lower=1)
    ).groupby("kind")
    ratio = by_kind["ratio"].median()
    # Cresci et al. 2015: median friends/followers 22.3 for bought fakes, 2.2 for humans.
    assert 12 <= ratio["bot"] <= 40
    assert 1.5 <= ratio["active"] <= 3.5
    # ... and bought fakes post far less than people (36 vs 992 statuses).
    posts = by_kind["posts_count"].median()
    assert posts["bot"] * 10 <= posts["active"]
    # SRF Data 2017: no profile picture and usernames with numbers mark fakes.
    pictures = by_kind["has_profile_pic"].mean()
    assert pictures["bot"] < 0.5 < pictures["active"]
    digits = followers["handle"].str.count(r"\d") / followers["handle"].str.len()
    share_digits = digits.groupby(followers["kind"]).mean()
    assert share_digits["bot"] > 2 * share_digits["active"]
    # HypeAuditor / infludata: mass followers are real accounts following more than 1,500.
    mass = followers[followers["kind"] == "mass"]
    assert (mass["following"] > 1500).all() and not mass["is_fake"].any()


def test_the_classifier_reads_every_field_it_needs(followers: pd.DataFrame) -> None:
    model = FakeAccountClassifier.load()
    imputed = model.missing_inputs(followers).mean()
    assert (imputed == 0).all(), imputed[imputed > 0].to_dict()
