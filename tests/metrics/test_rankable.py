"""When an ER may be ranked: minimum posts and plausibility bounds (data/engagement_rules.toml)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from creatorlens.metrics import EngagementRules, Window, creator_engagement, scorecard_expr
from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS, POSTS, conform
from creatorlens.tiers import TierScheme

OBSERVED = datetime(2025, 3, 1)
Post = tuple[int, int, int, int]  # likes, comments, shares, views


def frames(accounts: dict[str, tuple[str, int, list[Post]]]) -> tuple[pa.Table, pa.Table]:
    """accounts: handle -> (platform, followers, posts)."""
    creators = conform(
        pa.table(
            {
                "creator_id": [f"{p}:{h}" for h, (p, _, _) in accounts.items()],
                "platform": [p for p, _, _ in accounts.values()],
                "handle": list(accounts),
                "followers": pa.array([f for _, f, _ in accounts.values()], pa.int64()),
            }
        ),
        CREATORS,
    )
    rows = [
        (f"{p}:{h}", f"{p}:{h}:{i}", post, i)
        for h, (p, _, posts) in accounts.items()
        for i, post in enumerate(posts)
    ]
    posts = conform(
        pa.table(
            {
                "post_id": [r[1] for r in rows],
                "creator_id": [r[0] for r in rows],
                "posted_at": pa.array(
                    [OBSERVED - timedelta(days=10 + r[3]) for r in rows], pa.timestamp("us")
                ),
                "observed_at": pa.array([OBSERVED] * len(rows), pa.timestamp("us")),
                "likes": pa.array([r[2][0] for r in rows], pa.int64()),
                "comments": pa.array([r[2][1] for r in rows], pa.int64()),
                "shares": pa.array([r[2][2] for r in rows], pa.int64()),
                "views": pa.array([r[2][3] for r in rows], pa.int64()),
            }
        ),
        POSTS,
    )
    return creators, posts


def engagement(accounts: dict[str, tuple[str, int, list[Post]]], **rules: object) -> dict[str, dict[str, Any]]:
    c, p = frames(accounts)
    r = dataclasses.replace(EngagementRules.load(), **rules)  # type: ignore[arg-type]
    out = creator_engagement(ibis.memtable(c), ibis.memtable(p), Window(), r).to_pyarrow()
    return {row["handle"]: row for row in out.to_pylist()}


NORMAL: list[Post] = [(50, 5, 1, 1000), (40, 4, 2, 900), (60, 6, 0, 1200)]


def test_the_shipped_rules() -> None:
    rules = EngagementRules.load()
    assert rules.min_posts == 3
    assert rules.max_er_views == 1.0
    assert set(rules.max_er_followers) == {"instagram", "tiktok", "youtube"}


def test_too_few_posts_is_shown_flagged_and_not_rankable() -> None:
    rows = engagement({"one": ("tiktok", 100, [(50, 5, 1, 1000)]), "three": ("tiktok", 1000, NORMAL)})
    one, three = rows["one"], rows["three"]
    assert one["er_followers_lc_median"] == pytest.approx(0.55)  # shown
    assert one["er_flags"] == "too few posts (1 < 3)" and one["er_rankable"] is False
    assert three["er_flags"] is None and three["er_rankable"] is True


def test_plausibility_bounds_each_give_their_reason() -> None:
    rows = engagement(
        {
            "likes_over_views": ("instagram", 10_000, [(500, 5, 0, 100), *NORMAL[1:]]),
            "views_er": ("youtube", 1_000_000, [(900, 150, 50, 1000)] * 3),  # 110 % of views
            "ig_bound": ("instagram", 100, [(90, 5, 0, 0)] * 3),
            "tiktok_fine": ("tiktok", 100, [(90, 5, 0, 1000)] * 3),  # 95 % by followers: TikTok ok
        }
    )
    assert rows["likes_over_views"]["er_flags"] == "likes above views on 1 of 3 posts"
    assert rows["views_er"]["er_flags"] == "ER by views above 100%"
    assert rows["ig_bound"]["er_flags"] == "ER by followers above the instagram bound (80%)"
    assert rows["tiktok_fine"]["er_rankable"] is True
    assert not any(rows[h]["er_rankable"] for h in ("likes_over_views", "views_er", "ig_bound"))


def test_reasons_join_and_min_posts_is_a_setting() -> None:
    rows = engagement({"a": ("instagram", 100, [(90, 5, 0, 50)])}, min_posts=1)
    assert rows["a"]["er_flags"] == (
        "likes above views on 1 of 1 posts; ER by views above 100%; "
        "ER by followers above the instagram bound (80%)"
    )
    assert engagement({"b": ("tiktok", 1000, NORMAL[:1])}, min_posts=1)["b"]["er_rankable"] is True


def test_reported_averages_are_rankable_without_posts() -> None:
    creators, posts = frames({"x": ("instagram", 10_000, [])})
    creators = creators.set_column(
        creators.schema.get_field_index("avg_likes_reported"), "avg_likes_reported",
        pa.array([300.0]),
    ).set_column(
        creators.schema.get_field_index("avg_comments_reported"), "avg_comments_reported",
        pa.array([20.0]),
    )  # fmt: skip
    row = creator_engagement(ibis.memtable(creators), ibis.memtable(posts), Window()).to_pyarrow()
    rec = row.to_pylist()[0]
    assert rec["er_source"] == "reported_averages" and rec["er_rankable"] is True
    assert rec["er_followers_lc_mean"] == pytest.approx(320 / 10_000)
    assert rec["er_views_lc_mean"] is None  # no views reported: no ER by views


def test_reported_averages_with_views_give_an_er_by_views() -> None:
    creators, posts = frames({"x": ("youtube", 1_000_000, [])})
    for name, value in (("avg_likes_reported", 3_100.0), ("avg_comments_reported", 90.0),
                        ("avg_views_reported", 96_000.0)):  # fmt: skip
        creators = creators.set_column(creators.schema.get_field_index(name), name, pa.array([value]))
    rec = creator_engagement(ibis.memtable(creators), ibis.memtable(posts), Window()).to_pyarrow()
    row = rec.to_pylist()[0]
    assert row["er_views_lc_mean"] == pytest.approx(3_190 / 96_000)
    assert row["er_views_lcs_mean"] is None  # no shares reported
    assert row["er_views_lc_median"] is None  # an average says nothing about the median


def test_unrankable_creators_enter_no_percentile() -> None:
    accounts = {f"ok{i:02d}": ("tiktok", 1000 + i, [(10 + i, 1, 0, 500)] * 3) for i in range(25)}
    accounts["lucky"] = ("tiktok", 1010, [(900, 10, 0, 1000)])  # one post, the top ER
    c, p = frames(accounts)
    snaps = conform(pa.table({"creator_id": pa.array([], pa.string())}), FOLLOWER_SNAPSHOTS)
    card = scorecard_expr(
        ibis.memtable(c), ibis.memtable(p), ibis.memtable(snaps),
        scheme=TierScheme.load("seed"), window=Window(),
    ).to_pyarrow().to_pylist()  # fmt: skip
    rows = {r["handle"]: r for r in card}
    assert rows["lucky"]["er_percentile_tier"] is None and rows["lucky"]["er_percentile_peers"] is None
    assert rows["ok24"]["er_percentile_tier"] == pytest.approx(1.0)  # the best of the ranked


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 10_000)
        ),
        min_size=0,
        max_size=6,
    ),
    st.integers(1, 1_000_000),
)
def test_rankable_means_no_flag_and_enough_posts(posts: list[Post], followers: int) -> None:
    row = engagement({"h": ("instagram", followers, posts)})["h"]
    rules = EngagementRules.load()
    if row["er_rankable"]:
        assert row["er_flags"] is None and row["n_posts"] >= rules.min_posts
        assert all(likes <= views or views == 0 for likes, _, _, views in posts)
        assert row["er_followers_lc_median"] <= rules.max_er_followers["instagram"]
    elif 0 < len(posts) < rules.min_posts:
        assert row["er_flags"].startswith(f"too few posts ({len(posts)} < {rules.min_posts})")
