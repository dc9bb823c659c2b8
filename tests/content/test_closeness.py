"""Closeness: comment density, reply share, conversation depth, repeat commenters."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _frames import number
from creatorlens.content._closeness import closeness, comment_structure, engagement_density

POSTS = pd.DataFrame(
    {
        "post_id": ["ig:1", "ig:2", "ig:3"],
        "creator_id": ["instagram:nano", "instagram:nano", "instagram:big"],
        "likes": [100, 300, 10_000],
        "comments": [10, 6, 50],
    }
)
CREATORS = pd.DataFrame(
    {"creator_id": ["instagram:nano", "instagram:big"], "followers": [2_000, 1_000_000]}
)
COMMENTS = pd.DataFrame(
    [
        ("c1", "ig:1", "fan_a", None),
        ("c2", "ig:1", "Nano", "c1"),  # creator replies (case-insensitive handle)
        ("c3", "ig:1", "fan_a", "c2"),  # depth 3 thread
        ("c4", "ig:1", "fan_b", None),
        ("c5", "ig:2", "fan_a", None),
        ("c6", "ig:2", "fan_c", None),
        ("c7", "ig:3", "x", None),
    ],
    columns=["comment_id", "post_id", "author", "reply_to"],
)


def test_engagement_density() -> None:
    out = engagement_density(POSTS, CREATORS).set_index("creator_id")
    assert out.loc["instagram:nano", "comments_per_100_likes"] == pytest.approx(100 * 16 / 400)
    assert out.loc["instagram:nano", "comments_per_1k_followers"] == pytest.approx(1000 * 8 / 2000)
    assert out.loc["instagram:big", "comments_per_1k_followers"] == pytest.approx(0.05)


def test_comment_structure() -> None:
    out = comment_structure(COMMENTS, POSTS).set_index("creator_id")
    nano = out.loc["instagram:nano"]
    # top-level comments by others: c1, c4, c5, c6; the creator replied to c1.
    assert nano.reply_share == pytest.approx(1 / 4)
    # threads: c1 (depth 3), c4, c5, c6 (depth 1)
    assert nano.conversation_depth == pytest.approx((3 + 1 + 1 + 1) / 4)
    # others' comments: c1,c3,c4,c5,c6; fan_a commented on 2 posts -> c1,c3,c5 are by a regular
    assert nano.repeat_commenter_share == pytest.approx(3 / 5)
    assert out.loc["instagram:big", "repeat_commenter_share"] == 0


def test_closeness_score_range_and_components() -> None:
    out = closeness(POSTS, CREATORS, COMMENTS).set_index("creator_id")
    assert out["closeness"].between(0, 100).all()
    assert number(out, "instagram:nano", "closeness") > number(out, "instagram:big", "closeness")
    assert out.loc["instagram:nano", "closeness_components"] == 5
    without = closeness(POSTS, CREATORS).set_index("creator_id")
    assert (without["closeness_components"] == 2).all()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**5)), min_size=1, max_size=20),
    st.integers(1, 10**8),
)
def test_closeness_is_bounded_for_any_counts(counts: list[tuple[int, int]], followers: int) -> None:
    posts = pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(counts))],
            "creator_id": "c",
            "likes": [c[0] for c in counts],
            "comments": [c[1] for c in counts],
        }
    )
    out = closeness(posts, pd.DataFrame({"creator_id": ["c"], "followers": [followers]}))
    value = out["closeness"].iloc[0]
    assert pd.isna(value) or 0 <= value <= 100
