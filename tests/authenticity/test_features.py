from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from _frames import number
from creatorlens.authenticity import (
    canonical_profiles,
    feature_names,
    from_instafake,
    from_kaggle,
    profile_features,
)
from creatorlens.authenticity._config import feature_catalogue


def test_catalogue_groups_every_feature_by_data_cost_with_a_source() -> None:
    catalogue = feature_catalogue()
    assert set(catalogue["groups"]) == {"A", "B", "C"}
    for feature in catalogue["features"]:
        assert feature["group"] in {"A", "B", "C"}
        assert feature["source"]
    model_features = feature_names()
    groups = {f["name"]: f["group"] for f in catalogue["features"]}
    assert model_features and all(groups[name] == "A" for name in model_features)


def test_both_training_sets_map_to_the_same_model_features() -> None:
    instafake = pd.DataFrame(
        [
            {
                "userFollowerCount": 25,
                "userFollowingCount": 1937,
                "userBiographyLength": 0,
                "userMediaCount": 0,
                "userHasProfilPic": 1,
                "userIsPrivate": 1,
                "usernameDigitCount": 3,
                "usernameLength": 12,
                "isFake": 1,
            }
        ]
    )
    kaggle = pd.DataFrame(
        [
            {
                "profile pic": 1,
                "nums/length username": 0.25,
                "fullname words": 0,
                "nums/length fullname": 0,
                "name==username": 0,
                "description length": 0,
                "external URL": 0,
                "private": 1,
                "#posts": 0,
                "#followers": 25,
                "#follows": 1937,
                "fake": 1,
            }
        ]
    )
    a = profile_features(from_instafake(instafake))[feature_names()]
    b = profile_features(from_kaggle(kaggle))[feature_names()]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy())
    assert a.loc[0, "username_digit_share"] == 0.25
    assert number(a, 0, "mass_following_excess") > 0  # following 1937 > 1500


def test_text_columns_give_username_and_bio_features() -> None:
    profiles = pd.DataFrame(
        {
            "handle": ["@Anna_1987", "bob"],
            "display_name": ["anna 1987", "Bob"],
            "bio": ["hello", None],
            "followers": [10, 20],
        }
    )
    features = profile_features(profiles)
    assert features["username_digit_share"].tolist() == [4 / 9, 0.0]
    assert features["username_ends_with_digit"].tolist() == [1.0, 0.0]
    assert features["name_matches_username"].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(features["log_bio_length"], [np.log1p(5), 0.0])
    assert np.isnan(features["has_profile_pic"]).all()


def test_canonical_profiles_maps_api_spellings() -> None:
    frame = pd.DataFrame(
        {
            "Follower_Count": [1],
            "follows_count": [2],
            "media_count": [3],
            "is_private": ["true"],
            "username": ["x"],
        }
    )
    mapped = canonical_profiles(frame)
    assert {"followers", "following", "posts_count", "is_private", "handle"} <= set(mapped.columns)
    assert profile_features(mapped).loc[0, "is_private"] == 1.0


counts = st.integers(min_value=0, max_value=10**9)


@given(
    followers=counts,
    following=counts,
    posts=counts,
    handle=st.text(alphabet="abcxyz0123456789_.", min_size=1, max_size=30),
)
def test_features_are_finite_and_bounded_for_any_counts(
    followers: int, following: int, posts: int, handle: str
) -> None:
    frame = pd.DataFrame(
        {
            "followers": [followers],
            "following": [following],
            "posts_count": [posts],
            "handle": [handle],
            "bio": [""],
        }
    )
    features = profile_features(frame)
    model_inputs = features[
        [n for n in feature_names() if n not in ("has_profile_pic", "is_private")]
    ]
    assert np.isfinite(model_inputs.to_numpy()).all()
    assert 0.0 <= number(features, 0, "username_digit_share") <= 1.0
    assert number(features, 0, "mass_following_excess") >= 0
    assert features.loc[0, "log_following_per_follower"] == (
        number(features, 0, "log_following") - number(features, 0, "log_followers")
    )
