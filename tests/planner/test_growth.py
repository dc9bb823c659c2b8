from __future__ import annotations

import pandas as pd
import pytest

from creatorlens.audience import Target
from creatorlens.planner import attribute_growth, growth_plan, synthetic_candidates

CANDIDATES = synthetic_candidates(400, seed=5)


def creator() -> dict[str, object]:
    return {str(k): v for k, v in CANDIDATES.iloc[0].items()}


def test_growth_without_history_names_its_assumptions() -> None:
    g = growth_plan(
        creator(), Target.parse("country=KR"), 500.0, currency="USD", candidates=CANDIDATES
    )
    assert 0 < g.follower_gain.low <= g.follower_gain.mid <= g.follower_gain.high
    assert g.impressions.low <= g.impressions.high
    # 500 USD at the dearest CPM (Inzpire) vs the cheapest (Influencer Hero) for the platform
    assert g.impressions.low == pytest.approx(500 / 61 * 1000, rel=0.5)
    assert "no usable history" in g.follow_through_basis
    assert any("proxy" in a for a in g.assumptions)
    assert g.collaborators and all(c.creator_id != g.creator_id for c in g.collaborators)
    assert g.cost_per_follower.low <= g.cost_per_follower.high


def test_growth_uses_history_when_snapshots_and_posts_exist() -> None:
    snaps = pd.DataFrame(
        {
            "observed_at": pd.date_range("2025-01-01", periods=5, freq="7D"),
            "followers": [10_000, 10_100, 10_200, 10_300, 10_400],
        }
    )
    posts = pd.DataFrame(
        {
            "posted_at": pd.date_range("2025-01-02", periods=4, freq="7D"),
            "views": [10_000, 10_000, 10_000, 10_000],
        }
    )
    g = growth_plan(creator(), Target(), 100.0, snapshots=snaps, posts=posts)
    assert g.follow_through_basis.startswith("history: 400 organic followers")
    # 400 followers / 40,000 views = 0.01 per view, x paid factor, x impressions
    assert g.follower_gain.mid == pytest.approx(g.impressions.mid * 0.01 * 0.5)


def test_growth_needs_a_positive_budget() -> None:
    with pytest.raises(ValueError, match="positive"):
        growth_plan(creator(), Target(), 0.0)


def test_attribution_splits_growth_into_organic_promoted_suspicious() -> None:
    days = pd.date_range("2025-01-01", periods=11, freq="D")
    followers = [1000 + 10 * i for i in range(11)]
    followers[5:] = [f + 500 for f in followers[5:]]  # a bought spike on day 5
    followers[8:] = [f + 200 for f in followers[8:]]  # a promotion on day 8
    snaps = pd.DataFrame({"creator_id": "x", "observed_at": days, "followers": followers})
    anomalies = pd.DataFrame(
        [
            {
                "creator_id": "x",
                "start_at": days[4],
                "observed_at": days[5],
                "kind": "bought",
                "magnitude": 500.0,
                "z": 9.0,
                "explanation": "test",
            }
        ]
    )
    result = attribute_growth(snaps, anomalies=anomalies, promotions=[(days[7], days[8])])
    assert result.total == followers[-1] - followers[0]
    assert result.suspicious.mid == 500
    assert result.promoted.mid == pytest.approx(200)
    assert result.organic.mid == pytest.approx(result.total - 700)
    assert result.organic.low <= result.organic.mid <= result.organic.high
