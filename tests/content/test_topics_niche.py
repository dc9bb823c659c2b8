"""Per-creator niche, focus, consistency and expertise (pure functions over DataFrames)."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.content.topics import OTHER, Taxonomy, classify_posts, creator_niches
from creatorlens.content.topics.niches import _normalised_entropy

FOOD = ["Homemade pasta recipe with garlic and cheese", "Best ramen restaurant in town, the broth!",
        "Baking sourdough bread this morning", "Brunch: pancakes and coffee"]  # fmt: skip
FIT = ["Leg day squats and deadlifts", "Home workout with dumbbells"]


def _posts(
    creator: str, captions: list[str], start: str = "2024-01-01", freq: str = "15D"
) -> pd.DataFrame:
    dates = pd.date_range(start, periods=len(captions), freq=freq)
    return pd.DataFrame(
        {
            "post_id": [f"{creator}#{i}" for i in range(len(captions))],
            "creator_id": creator,
            "posted_at": dates,
            "caption": captions,
        }
    )


def _creators(*ids: str, **cols: list[Any]) -> pd.DataFrame:
    frame = pd.DataFrame({"creator_id": list(ids), "platform": "instagram"})
    for key, values in cols.items():
        frame[key] = values
    return frame


def test_single_topic_creator_is_fully_focused_and_consistent() -> None:
    posts = _posts("ig:chef", FOOD * 2)
    out = creator_niches(classify_posts(posts), _creators("ig:chef")).iloc[0]
    assert out.main_niche == "food" and out.niche_source == "posts"
    assert out.niche_share == 1.0
    assert out.focus == pytest.approx(1.0)
    assert out.consistency == 1.0 and out.consistency_windows >= 2
    assert json.loads(out.topic_mix) == {"food": 1.0}
    assert "×" in out.topic_evidence


def test_mixed_creator_focus_matches_entropy_formula() -> None:
    posts = _posts("ig:mix", FOOD + FIT)
    topics = classify_posts(posts)
    out = creator_niches(topics, _creators("ig:mix")).iloc[0]
    assert out.main_niche == "food"
    assert out.niche_share == pytest.approx(4 / 6, abs=1e-4)
    mix = json.loads(out.topic_mix)
    n = len(Taxonomy.load().topics)
    expected = 1 + sum(p * math.log(p) for p in mix.values()) / math.log(n)
    assert out.focus == pytest.approx(expected, abs=1e-3)
    assert 0 < out.focus < 1


def test_consistency_counts_months_whose_top_topic_is_the_main_niche() -> None:
    # Jan-Mar food, Apr fitness: 3 of 4 monthly windows agree with the main niche.
    captions = FOOD[:3] + FIT[:1]
    posts = _posts("ig:c", captions, start="2024-01-05", freq="31D")
    out = creator_niches(classify_posts(posts), _creators("ig:c")).iloc[0]
    assert out.consistency_windows == 4
    assert out.consistency == pytest.approx(0.75)


def test_creator_without_posts_gets_niche_from_categories_or_bio() -> None:
    creators = _creators(
        "ig:a", "ig:b", "ig:c",
        categories=["Sports with a ball|Family", None, None],
        bio=[None, "Food blogger and recipe developer", "hi"],
    )  # fmt: skip
    out = creator_niches(classify_posts(_posts("ig:x", [])), creators).set_index("creator_id")
    assert (
        out.loc["ig:a", "main_niche"] == "sports"
        and out.loc["ig:a", "niche_source"] == "categories"
    )
    assert out.loc["ig:b", "main_niche"] == "food" and out.loc["ig:b", "niche_source"] == "bio"
    assert out.loc["ig:c", "main_niche"] == OTHER
    assert out["expertise"].isna().all()


def test_expertise_uses_peer_percentile_within_platform_and_niche() -> None:
    ids = [f"ig:chef{i}" for i in range(6)]
    posts = pd.concat([_posts(c, FOOD) for c in ids])
    scorecard = pd.DataFrame(
        {"creator_id": ids, "er_followers_lc_median": [0.01 * (i + 1) for i in range(6)]}
    )
    out = creator_niches(classify_posts(posts), _creators(*ids), scorecard).set_index("creator_id")
    pct = out["peer_er_percentile"]
    assert pct.is_monotonic_increasing
    assert pct.iloc[0] == pytest.approx(100 * 0.5 / 6, abs=0.01)
    assert (out["expertise_components"] == 3).all()
    assert out["expertise"].is_monotonic_increasing
    assert out["expertise"].between(0, 100).all()
    # Without ER the percentile is null and expertise renormalises over focus and depth.
    alone = creator_niches(classify_posts(posts), _creators(*ids)).set_index("creator_id")
    assert alone["peer_er_percentile"].isna().all()
    assert (alone["expertise_components"] == 2).all()
    row = alone.iloc[0]
    assert row.expertise == pytest.approx(100 * (0.4 * row.focus + 0.3 * row.depth) / 0.7, abs=0.01)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0.001, max_value=10), min_size=1, max_size=18))
def test_normalised_entropy_is_between_zero_and_one(weights: list[float]) -> None:
    h = _normalised_entropy(weights, 18)
    assert -1e-9 <= h <= 1 + 1e-9
    if len(weights) == 1:
        assert h == 0
