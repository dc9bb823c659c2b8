"""Issue 18: no evidence, no number; every "no X" message states the real condition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import creatorlens
from creatorlens.authenticity import CreatorSignals, indirect_audience_quality
from creatorlens.authenticity._anomalies import min_snapshots
from creatorlens.authenticity._report import build_report, missing_evidence
from creatorlens.authenticity._units import as_fraction
from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS

NEEDED = min_snapshots()
_EMPTY_GROWTH = pd.DataFrame(columns=["creator_id", "kind", "magnitude"])


def _report(signals: CreatorSignals) -> list[str]:
    creator = {"creator_id": "instagram:x", "handle": "x", "platform": "instagram"}
    return build_report(creator, signals, _EMPTY_GROWTH, pd.DataFrame()).notes


def test_no_evidence_gives_unknown_and_what_to_provide() -> None:
    signals = CreatorSignals(followers=12_000, snapshots_needed=NEEDED)
    fake, quality = indirect_audience_quality(signals)
    assert fake is None and quality is None
    notes = _report(signals)
    assert any("unknown" in n and "Provide a follower sample" in n for n in notes)
    assert not any("Indirect estimate" in n for n in notes)


def test_comments_alone_give_a_score_but_no_fake_share() -> None:
    signals = CreatorSignals(
        followers=12_000, pod_evidence_share=0.1, n_comments=80, snapshots_needed=NEEDED
    )
    fake, quality = indirect_audience_quality(signals)
    assert fake is None
    assert quality is not None and {c.name for c in quality.components} == {"organic_comments"}
    assert any("Fake share unknown" in n for n in _report(signals))


@pytest.mark.parametrize("count", [1, 4, NEEDED - 1])
def test_too_few_snapshots_says_how_many_and_how_many_are_needed(count: int) -> None:
    signals = CreatorSignals(followers=1_000, n_snapshots=count, snapshots_needed=NEEDED)
    messages = missing_evidence(signals)
    expected = f"{count} follower snapshot{'s' if count != 1 else ''}, {NEEDED} needed"
    assert any(m.startswith(expected) for m in messages)
    assert not any("No follower snapshots" in m for m in messages)


def test_no_snapshot_message_only_without_snapshots() -> None:
    none = missing_evidence(CreatorSignals(n_snapshots=0, snapshots_needed=NEEDED))
    assert any(m.startswith("No follower snapshots") for m in none)
    enough = missing_evidence(
        CreatorSignals(has_snapshots=True, n_snapshots=NEEDED, snapshots_needed=NEEDED)
    )
    assert not any("snapshot" in m for m in enough)


def test_engagement_messages_follow_the_posts() -> None:
    assert any(
        m.startswith("No posts with engagement counts") for m in missing_evidence(CreatorSignals())
    )
    some = missing_evidence(CreatorSignals(n_posts=12))
    assert any(m.startswith("12 posts but no ER percentile") for m in some)
    one = missing_evidence(CreatorSignals(n_posts=1))
    assert any(m.startswith("1 post but no ER percentile") for m in one)
    tier_only = missing_evidence(CreatorSignals(n_posts=30, er_percentile_tier=0.4))
    assert any(m.startswith("Too few near-size peers") for m in tier_only)
    ranked = missing_evidence(CreatorSignals(n_posts=30, er_percentile_peers=0.4))
    assert not any("percentile" in m or "peers" in m for m in ranked)


def test_comment_message_only_without_comments() -> None:
    assert any("No comments loaded" in m for m in missing_evidence(CreatorSignals()))
    assert not any(
        "No comments" in m for m in missing_evidence(CreatorSignals(n_comments=3))
    )


def test_percentile_is_read_in_the_scorecard_unit() -> None:
    """The scorecard stores percentiles as fractions; 0.5 is the median, not 0.5%."""
    assert as_fraction(0.5, "er_percentile_peers") == 0.5
    with pytest.raises(ValueError, match="outside its unit"):
        as_fraction(50.0, "er_percentile_peers")
    median, _ = indirect_audience_quality(CreatorSignals(er_percentile_peers=0.5, n_posts=30))
    low, _ = indirect_audience_quality(CreatorSignals(er_percentile_peers=0.01, n_posts=30))
    assert median is not None and low is not None
    assert median.value < 0.2 < low.value  # the defect put every creator at ~0.56


def test_workspace_message_agrees_with_the_stored_snapshots(
    workspace: creatorlens.Workspace,
) -> None:
    """The bug report: a creator page drew 4 snapshots while the box said 'No follower
    snapshots'. The audit must count what the workspace holds."""
    days = pd.date_range("2025-01-01", periods=4, freq="30D")
    workspace.store.upsert_latest(
        CREATORS,
        pa.Table.from_pandas(
            pd.DataFrame(
                {
                    "creator_id": ["youtube:fourpoints"],
                    "platform": ["youtube"],
                    "handle": ["fourpoints"],
                    "followers": [50_000],
                    "observed_at": [days[-1]],
                }
            ),
            preserve_index=False,
        ),
    )
    workspace.store.insert_new(
        FOLLOWER_SNAPSHOTS,
        pa.Table.from_pandas(
            pd.DataFrame(
                {
                    "creator_id": "youtube:fourpoints",
                    "observed_at": days,
                    "followers": [40_000, 44_000, 47_000, 50_000],
                }
            ),
            preserve_index=False,
        ),
    )
    workspace.score(steps=["authenticity"])
    stored = workspace.snapshots("youtube:fourpoints").to_pandas()
    report = workspace.audit("fourpoints", "youtube")
    assert len(stored) == 4
    assert f"4 follower snapshots, {NEEDED} needed" in " ".join(report.notes)
    assert not any("No follower snapshots" in n for n in report.notes)
    assert report.fake_share is None and report.basis == "unknown"


def test_a_stored_follower_sample_makes_the_basis_follower_sample(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    """A follower file stored with ``add_follower_sample`` is what ``score`` and ``audit`` use:
    the same numbers as ``audit --followers FILE``."""
    workspace.store.upsert_latest(
        CREATORS,
        pa.Table.from_pandas(
            pd.DataFrame(
                {
                    "creator_id": ["instagram:sampled"],
                    "platform": ["instagram"],
                    "handle": ["sampled"],
                    "followers": [20_000],
                    "observed_at": [pd.Timestamp("2025-05-01")],
                }
            ),
            preserve_index=False,
        ),
    )
    rng = np.random.default_rng(3)
    n = 240
    file = tmp_path / "followers.csv"
    pd.DataFrame(
        {
            "username": [f"person.{i}" if i % 5 else "" for i in range(n)],
            "follower_count": rng.integers(20, 3000, n),
            "following_count": rng.integers(20, 6000, n),
            "media_count": rng.integers(0, 400, n),
            "has_profile_pic": rng.choice(["true", "false"], n),
            "is_private": rng.integers(0, 2, n),
            "biography": rng.choice(["", "coffee first", "dm for collab"], n),
        }
    ).to_csv(file, index=False)
    assert workspace.add_follower_sample("sampled", file, "instagram") == n
    stored = workspace.store.table("follower_samples").to_pandas()
    assert len(stored) == n and stored["handle"].is_unique
    assert (stored.loc[stored["handle"].str.startswith("#"), "handle"] == "#2").any()
    workspace.score(steps=["authenticity"])
    row = workspace.store.table("authenticity_scores").to_pandas().iloc[0]
    direct = workspace.audit_followers(file, platform="instagram")
    assert row["basis"] == "follower_sample"
    assert row["fake_share"] == pytest.approx(direct.fake_share.value)
    report = workspace.audit("sampled", "instagram")
    assert report.basis == "follower_sample" and report.follower_audit is not None
    assert report.follower_audit.n == n
