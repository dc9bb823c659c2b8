"""A plan's total engagements and impressions against the demo's next posts (docs/planner.md "Totals").

Scored on the posts before a cut-off, as a planner run then would be; each creator's first post
after it is the truth. The creators are dealt into random campaigns of CAMPAIGN_SIZE (several
deals); a campaign's total interval (planner/_totals.py) should hold the sum of its creators'
next posts at about its stated confidence. The old reading (lows added to lows, highs to highs)
is recorded next to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creatorlens.planner import expected_outcomes
from creatorlens.planner._outcomes import engagement_interval_confidence
from creatorlens.planner._totals import outcome_interval, simulate

from ._next_posts import COVERAGE_TOLERANCE, SECTION, scorecard_and_next_post
from .conftest import RecordFigure, ValidityDemo

CAMPAIGN_SIZE = 20
DEALS = 5
SEED = 11


def _next_posts(demo: ValidityDemo) -> tuple[pd.DataFrame, pd.DataFrame]:
    card, later = scorecard_and_next_post(demo.path)
    later = later.set_index("creator_id")
    card = card[card.creator_id.isin(later.index)].reset_index(drop=True)
    return card, later.loc[card.creator_id].reset_index()


def _coverage(
    ranges: pd.DataFrame, actual: np.ndarray, prefix: str, confidence: float
) -> tuple[float, float, int]:
    """Share of random campaigns whose total interval holds the realised total: the simulated
    interval, and the sum of lows..sum of highs."""
    rng = np.random.default_rng(SEED)
    usable = np.flatnonzero(np.isfinite(ranges[f"{prefix}_low"].to_numpy(dtype=float)) & np.isfinite(actual))
    inside_new, inside_old = [], []
    for _ in range(DEALS):
        order = rng.permutation(usable)
        for start in range(0, len(order) - CAMPAIGN_SIZE + 1, CAMPAIGN_SIZE):
            members = order[start : start + CAMPAIGN_SIZE]
            triple = tuple(
                ranges[f"{prefix}_{k}"].to_numpy(dtype=float)[members] for k in ("low", "mid", "high")
            )
            draws = simulate({"x": triple}, None, 0.0, {}, confidence)
            interval = outcome_interval(draws, "x")
            truth = float(actual[members].sum())
            inside_new.append(interval.low <= truth <= interval.high)
            inside_old.append(triple[0].sum() <= truth <= triple[2].sum())
    return float(np.mean(inside_new)), float(np.mean(inside_old)), len(inside_new)


@pytest.fixture(scope="module")
def scored_before_cut(validity_demo: ValidityDemo) -> tuple[pd.DataFrame, pd.DataFrame]:
    card, later = _next_posts(validity_demo)
    return expected_outcomes(card), later


def _check(scored: tuple[pd.DataFrame, pd.DataFrame], prefix: str, label: str, record: RecordFigure) -> float:
    ranges, later = scored
    nominal = engagement_interval_confidence()
    actual = later.likes + later.comments if prefix == "engagements" else later.views
    new, old, n = _coverage(ranges, actual.to_numpy(dtype=float), prefix, nominal)
    truth = f"sum of the next posts' {label} of {CAMPAIGN_SIZE} random creators"
    record(section=SECTION, estimate=f"plan total {label} ({nominal:.0%} interval)", truth=truth,
           metric=f"share of campaigns inside the stated {nominal:.0%} interval", figure=new, n=n,
           threshold=f"{nominal:.2f} +- {COVERAGE_TOLERANCE}")  # fmt: skip
    record(section=SECTION, estimate=f"plan total {label} (sum of lows to sum of highs)",
           truth=truth, metric="share of campaigns inside", figure=old, n=n)  # fmt: skip
    return new - nominal


def test_plan_total_engagements_hold_the_next_posts_at_their_confidence(
    scored_before_cut: tuple[pd.DataFrame, pd.DataFrame], record_figure: RecordFigure
) -> None:
    assert abs(_check(scored_before_cut, "engagements", "engagements", record_figure)) <= COVERAGE_TOLERANCE


def test_plan_total_impressions_hold_the_next_posts_at_their_confidence(
    scored_before_cut: tuple[pd.DataFrame, pd.DataFrame], record_figure: RecordFigure
) -> None:
    assert abs(_check(scored_before_cut, "views", "impressions", record_figure)) <= COVERAGE_TOLERANCE
