from __future__ import annotations

import re
from typing import cast

import numpy as np
import pandas as pd
import pytest

from creatorlens.authenticity import (
    comment_pod_signals,
    detect_engagement_anomalies,
    detect_growth_anomalies,
)
from creatorlens.authenticity._anomalies import display_rounding

from .simulate import match_events, simulate_workspace


@pytest.mark.parametrize(
    ("snapshot_every", "tolerance", "min_recall"), [(1, 3, 0.90), (7, 10, 0.85)]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_bought_spikes_found_and_viral_bursts_not_called_bought(
    snapshot_every: int, tolerance: int, min_recall: float, seed: int
) -> None:
    sim = simulate_workspace(150, 180, snapshot_every=snapshot_every, seed=seed)
    found = detect_growth_anomalies(sim.snapshots, sim.posts)
    matched = match_events(found, sim.truth, tolerance)
    bought = matched[matched["kind"] == "bought"]
    viral = matched[matched["kind"] == "viral"]
    assert (bought["detected"] == "bought").mean() >= min_recall
    assert (viral["detected"] == "bought").mean() <= 0.10
    promoted = matched[matched["kind"] == "promoted"]
    assert (promoted["detected"] == "promoted").mean() >= 0.8
    purge = matched[matched["kind"] == "purge"]
    assert (purge["detected"] == "purge").mean() >= 0.8
    quiet = set(sim.snapshots["creator_id"]) - set(sim.truth["creator_id"])
    assert not found["creator_id"].isin(quiet).any()


def test_growth_events_are_explained() -> None:
    sim = simulate_workspace(20, 120, seed=5)
    found = detect_growth_anomalies(sim.snapshots, sim.posts)
    assert len(found)
    assert found["explanation"].str.len().gt(20).all()
    bought = found[found["kind"] == "bought"]
    assert (bought["magnitude"] > 0).all() and (bought["z"] >= 6).all()
    assert found[found["kind"] == "purge"]["magnitude"].lt(0).all()


def test_short_or_empty_series_yield_no_events() -> None:
    snapshots = pd.DataFrame(
        {
            "creator_id": ["a"] * 3,
            "observed_at": pd.date_range("2025-01-01", periods=3),
            "followers": [100, 5000, 100],
        }
    )
    assert detect_growth_anomalies(snapshots).empty
    assert detect_growth_anomalies(snapshots.iloc[0:0]).empty


def test_a_step_of_display_rounding_is_no_bought_followers() -> None:
    """tiktok-vn-2025 prints "1.6M" then "1.7M" (_ethandavidd): up to 1,649,999 -> 1,650,000, not
    +100,000 bought. The same jump in exact counts, or a rounded jump well past the rounding
    (3.4M -> 9.7M), is still found."""

    def series(values: list[float]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "creator_id": ["a"] * len(values),
                "observed_at": pd.date_range("2025-05-01", periods=len(values), freq="D"),
                "followers": values,
            }
        )

    rounded = [1.6e6] * 10 + [1.7e6] * 10
    assert display_rounding(np.array([1.6e6, 12_500, 483_100_000, 1_234_567, 999])).tolist() == [
        50_000, 50, 50_000, 0, 0
    ]  # fmt: skip
    assert detect_growth_anomalies(series(rounded)).empty
    exact = [1_600_003.0 + 11 * i for i in range(10)] + [1_700_007.0 + 11 * i for i in range(10)]
    assert detect_growth_anomalies(series(exact))["kind"].tolist() == ["bought"]
    big = [3.4e6] * 10 + [9.7e6] * 10
    assert detect_growth_anomalies(series(big))["kind"].tolist() == ["bought"]


def _pod_comments() -> tuple[pd.DataFrame, pd.DataFrame]:
    posts, comments = [], []
    pod = ["p1", "p2", "p3", "p4", "p5"]
    for i in range(10):
        for creator, podded in (("pod", True), ("organic", False)):
            post_id = f"{creator}:{i}"
            posts.append(
                {
                    "post_id": post_id,
                    "creator_id": creator,
                    "posted_at": pd.Timestamp("2025-01-01") + pd.Timedelta(days=i),
                }
            )
            authors = pod if podded else [f"fan{i}_{j}" for j in range(5)]
            texts = (
                ["Great post!", "🔥🔥", "love it", "Amazing!", "👏"]
                if podded
                else [f"the bit about topic {i} and detail {j} was useful" for j in range(5)]
            )
            for j, (author, text) in enumerate(zip(authors, texts, strict=True)):
                comments.append(
                    {
                        "post_id": post_id,
                        "author": author,
                        "text": text,
                        "created_at": pd.Timestamp("2025-01-01") + pd.Timedelta(days=i, minutes=j),
                    }
                )
    return pd.DataFrame(comments), pd.DataFrame(posts)


def test_pod_signals_separate_pods_from_organic_comments() -> None:
    comments, posts = _pod_comments()
    signals = comment_pod_signals(comments, posts).set_index("creator_id")
    assert signals.at["pod", "is_pod"] and not signals.at["organic", "is_pod"]
    assert signals.at["pod", "same_order_share"] == 1.0
    assert signals.at["pod", "duplicate_short_share"] == 1.0
    assert signals.at["organic", "duplicate_short_share"] == 0.0
    assert signals.at["pod", "emoji_only_share"] == pytest.approx(0.4)


def test_engagement_anomalies_from_peers_pods_and_ratios() -> None:
    comments, posts = _pod_comments()
    pods = comment_pod_signals(comments, posts)
    rows = [
        {
            "creator_id": f"c{i}",
            "platform": "instagram",
            "tier": "micro",
            "er_percentile_peers": 0.50,
            "avg_likes": 1000.0,
            "avg_comments": 14.0 + i * 0.4,
            "avg_views": 10000.0,
        }
        for i in range(30)
    ]
    rows += [
        {
            "creator_id": "pod",
            "platform": "instagram",
            "tier": "micro",
            "er_percentile_peers": 0.99,
            "avg_likes": 1000.0,
            "avg_comments": 20.0,
            "avg_views": 10000.0,
        },
        {
            "creator_id": "dead",
            "platform": "instagram",
            "tier": "micro",
            "er_percentile_peers": 0.01,
            "avg_likes": 1000.0,
            "avg_comments": 400.0,
            "avg_views": 10000.0,
        },
    ]
    flags = detect_engagement_anomalies(pd.DataFrame(rows), pods)
    kinds = cast(dict[str, set[str]], flags.groupby("creator_id")["kind"].apply(set).to_dict())
    assert "engagement_pod" in kinds["pod"]
    assert {"er_far_below_peers", "ratio_outlier_comments_per_like"} <= kinds["dead"]
    assert not any(k.startswith("c") for k in kinds)
    # every explanation is also data the pages word in Korean (presentation._i18n, [notes])
    from creatorlens.presentation._i18n import catalog

    korean = catalog("ko")
    codes = {f"anomaly_{k}" for k in ("er_far_below_peers", "er_far_above_peers", "engagement_pod", "pod_like_comments")}
    codes |= {f"anomaly_ratio_outlier_{k}_{d}" for k in ("comments_per_like", "likes_per_view") for d in ("above", "below")}
    assert codes <= set(korean.notes)
    for row in flags.to_dict("records"):
        note = row["note"]
        assert note["text"] == row["explanation"] and note["code"] in korean.notes
        worded = korean.note(note)
        assert worded != row["explanation"] and re.search("[가-힣]", worded)
        assert "{" not in worded and "micro" not in worded and "instagram" not in worded


def test_demo_workspace_bought_spikes_found_and_viral_bursts_not_called_bought() -> None:
    """Acceptance on the demo generator's ground truth (demo_truth_events, weekly snapshots)."""
    from creatorlens.demo import generate_demo

    demo = generate_demo(seed=7, creators=3000)
    found = detect_growth_anomalies(demo.follower_snapshots.to_pandas(), demo.posts.to_pandas())
    truth = demo.truth_events.to_pandas()
    matched = match_events(found, truth, tolerance_days=10)
    bought = matched[matched["kind"] == "bought"]
    viral = matched[matched["kind"] == "viral"]
    assert len(bought) >= 50 and len(viral) >= 50
    assert (bought["detected"] == "bought").mean() >= 0.90
    assert (viral["detected"] == "bought").mean() <= 0.10


def test_fans_repeating_short_comments_are_not_pod_evidence() -> None:
    """Different fans writing the same "wow" under many posts is flagged as duplicates, but the
    share the score counts as pod-made is the same-commenters-in-the-same-order signature."""
    rng = np.random.default_rng(5)
    posts = pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(8)],
            "creator_id": "fans",
            "posted_at": pd.date_range("2025-01-01", periods=8, freq="D"),
        }
    )
    rows = [
        {
            "post_id": f"p{i}",
            "author": f"fan{int(rng.integers(0, 400))}",
            "text": ["wow", "🔥🔥🔥", "love this!"][int(rng.integers(0, 3))],
            "created_at": pd.Timestamp("2025-01-01") + pd.Timedelta(days=i, minutes=j),
        }
        for i in range(8)
        for j in range(10)
    ]
    signals = comment_pod_signals(pd.DataFrame(rows), posts).set_index("creator_id")
    assert signals.at["fans", "duplicate_short_share"] == 1.0
    assert signals.at["fans", "pod_evidence_share"] == 0.0
