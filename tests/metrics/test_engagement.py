"""Engagement metrics: a hand-computed example and properties (hypothesis)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypedDict

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from creatorlens.metrics import Window, creator_engagement, follower_growth, windowed_posts
from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS, POSTS, conform

OBSERVED = datetime(2025, 3, 1)


class _Post(TypedDict):
    post_id: str
    creator_id: str
    days_old: int


def tables(
    followers: int | None,
    posts: Sequence[tuple[int, int | None, int | None, int | None]],
    days_old: list[int] | None = None,
) -> tuple[ibis.Table, ibis.Table]:
    creators = conform(
        pa.table(
            {
                "creator_id": ["tiktok:a"],
                "platform": ["tiktok"],
                "handle": ["a"],
                "followers": pa.array([followers], pa.int64()),
            }
        ),
        CREATORS,
    )
    days_old = days_old or [10 + i for i in range(len(posts))]
    p = conform(
        pa.table(
            {
                "post_id": [f"tiktok:{i}" for i in range(len(posts))],
                "creator_id": ["tiktok:a"] * len(posts),
                "posted_at": pa.array(
                    [OBSERVED - timedelta(days=d) for d in days_old], pa.timestamp("us")
                ),
                "observed_at": pa.array([OBSERVED] * len(posts), pa.timestamp("us")),
                "likes": pa.array([x[0] for x in posts], pa.int64()),
                "comments": pa.array([x[1] for x in posts], pa.int64()),
                "shares": pa.array([x[2] for x in posts], pa.int64()),
                "views": pa.array([x[3] for x in posts], pa.int64()),
            }
        ),
        POSTS,
    )
    return ibis.memtable(creators), ibis.memtable(p)


def score(
    followers: int | None,
    posts: Sequence[tuple[int, int | None, int | None, int | None]],
    window: Window | None = None,
    days_old: list[int] | None = None,
) -> dict[str, Any]:
    c, p = tables(followers, posts, days_old)
    row: dict[str, Any] = creator_engagement(c, p, window or Window()).to_pyarrow().to_pylist()[0]
    return row


def test_hand_computed_example() -> None:
    row = score(1000, [(100, 10, 5, 1000), (50, 0, 0, 500), (30, 6, 1, 0)])
    assert row["n_posts"] == 3
    assert row["er_followers_lc_mean"] == pytest.approx((110 + 50 + 36) / 3 / 1000)
    assert row["er_followers_lc_median"] == pytest.approx(50 / 1000)
    assert row["er_followers_lcs_mean"] == pytest.approx((115 + 50 + 37) / 3 / 1000)
    # by views: only posts with views > 0 count
    assert row["er_views_lc_mean"] == pytest.approx((110 / 1000 + 50 / 500) / 2)
    assert row["comments_per_100_likes"] == pytest.approx(16 / 180 * 100)
    assert row["view_rate"] == pytest.approx(500 / 1000)


def test_young_posts_and_window_length() -> None:
    row = score(1000, [(100, 0, 0, 1)] * 5, window=Window(last_n=3), days_old=[1, 8, 9, 10, 11])
    assert row["n_posts"] == 3  # the 1-day-old post is excluded, then the latest 3
    row = score(1000, [(100, 0, 0, 1)] * 2, window=Window(min_age_days=0), days_old=[1, 2])
    assert row["n_posts"] == 2


def test_zero_or_missing_followers_give_null_with_a_reason() -> None:
    for followers, reason in ((0, "followers is 0"), (None, "followers unknown")):
        row = score(followers, [(10, 1, 0, 100)])
        assert row["er_followers_lc_mean"] is None
        assert reason in str(row["null_reasons"])


def test_missing_component_is_not_counted_as_zero() -> None:
    row = score(100, [(10, None, 1, 10), (20, 2, 1, 10)])
    assert row["er_followers_lc_mean"] == pytest.approx(22 / 100)


post_strategy = st.tuples(
    st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 10**5), st.integers(0, 10**7)
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 10**8), st.lists(post_strategy, min_size=1, max_size=12), st.randoms())
def test_er_is_invariant_to_row_order_and_median_within_range(
    followers: int, posts: list[tuple[int, int, int, int]], rnd: random.Random
) -> None:
    days = [8 + i for i in range(len(posts))]
    a = score(followers, posts, days_old=days)
    order = list(range(len(posts)))
    rnd.shuffle(order)
    b = score(followers, [posts[i] for i in order], days_old=[days[i] for i in order])
    for key in (
        "er_followers_lc_mean",
        "er_followers_lc_median",
        "er_views_lcs_mean",
        "er_views_lcs_median",
    ):
        assert a[key] == pytest.approx(b[key]) if a[key] is not None else b[key] is None
    engagements = [(likes + c) / followers for likes, c, _, _ in posts]
    assert min(engagements) - 1e-12 <= a["er_followers_lc_median"] <= max(engagements) + 1e-12
    for key, value in a.items():
        if isinstance(value, float):
            assert value == value and abs(value) != float("inf"), key


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=10))
def test_null_when_followers_is_zero(likes: list[int]) -> None:
    row = score(0, [(x, 1, 1, 10) for x in likes])
    assert row["er_followers_lc_mean"] is None and row["er_followers_lc_median"] is None


def test_follower_growth_per_30_days() -> None:
    snaps = conform(
        pa.table(
            {
                "creator_id": ["a", "a", "a", "b"],
                "observed_at": pa.array(
                    [
                        datetime(2025, 1, 1),
                        datetime(2025, 1, 16),
                        datetime(2025, 1, 31),
                        datetime(2025, 1, 1),
                    ],
                    pa.timestamp("us"),
                ),
                "followers": pa.array([1000, 1100, 1300, 50], pa.int64()),
            }
        ),
        FOLLOWER_SNAPSHOTS,
    )
    out = {
        r["creator_id"]: r for r in follower_growth(ibis.memtable(snaps)).to_pyarrow().to_pylist()
    }
    assert out["a"]["follower_growth_30d"] == pytest.approx(300.0)
    assert out["a"]["follower_growth_30d_pct"] == pytest.approx(0.3)
    assert out["b"]["follower_growth_30d"] is None  # one snapshot: no growth


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    per_creator=st.lists(
        st.lists(st.integers(min_value=0, max_value=12), min_size=0, max_size=9), min_size=1, max_size=5
    ),
    last_n=st.integers(min_value=1, max_value=6),
)
def test_window_is_latest_n_old_enough_posts_with_post_id_tie_break(
    per_creator: list[list[int]], last_n: int
) -> None:
    """Creators with fewer eligible posts than the window keep all of them (no ranking); the rest
    keep the latest N, ties in posted_at broken by post_id: both paths against a plain definition."""
    rows: list[_Post] = [
        {"post_id": f"p{c}-{i}", "creator_id": f"c{c}", "days_old": d}
        for c, ages in enumerate(per_creator)
        for i, d in enumerate(ages)  # few distinct ages: many tied timestamps
    ]
    posts = conform(
        pa.table(
            {
                "post_id": [r["post_id"] for r in rows],
                "creator_id": [r["creator_id"] for r in rows],
                "posted_at": pa.array(
                    [OBSERVED - timedelta(days=r["days_old"]) for r in rows], pa.timestamp("us")
                ),
                "observed_at": pa.array([OBSERVED] * len(rows), pa.timestamp("us")),
            }
        ),
        POSTS,
    )
    got = set(windowed_posts(ibis.memtable(posts), Window(last_n=last_n)).post_id.to_pyarrow().to_pylist())
    expected: set[str] = set()
    for c in {r["creator_id"] for r in rows}:
        eligible = [r for r in rows if r["creator_id"] == c and r["days_old"] >= 7]
        eligible.sort(key=lambda r: (r["days_old"], r["post_id"]))  # newest first, then post_id
        expected |= {r["post_id"] for r in eligible[:last_n]}
    assert got == expected
