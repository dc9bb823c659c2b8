"""Engagement, growth, niche, disclosure and planner outcomes against the demo's planted truth.

The seeded validity demo (conftest ``validity_demo``) is scored as a user would score it; each test
compares one estimate with what the generator planted (``demo_truth_*``), records the figure for
docs/validity.md and asserts its bar.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from creatorlens.planner import expected_outcomes
from creatorlens.planner._outcomes import engagement_interval_confidence, per_post_interval

from ._next_posts import COVERAGE_TOLERANCE, SECTION, scorecard_and_next_post
from .conftest import RecordFigure, ValidityDemo

#: Which scorecard column measures the planted er_level on each platform (demo er_formula).
ER_COLUMN = {
    "instagram": "er_followers_lc_median",  # (likes + comments) / followers
    "tiktok": "er_views_lcs_median",  # (likes + comments + shares) / views
    "youtube": "er_views_lc_median",  # (likes + comments) / views
}


def frame(demo: ValidityDemo, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(demo.path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.mark.parametrize("platform", sorted(ER_COLUMN))
def test_engagement_rate_against_planted_level(
    platform: str, validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    column = ER_COLUMN[platform]
    df = frame(
        validity_demo,
        f"SELECT t.er_level, t.fake_share, t.er_formula, s.{column} AS est "
        "FROM demo_truth_creators t JOIN scorecard s USING (creator_id) "
        f"WHERE t.platform = '{platform}'",
    )
    # Instagram's level is per engaging (real) follower; by followers the rate is level x real share.
    truth = df.er_level * (1 - df.fake_share) if platform == "instagram" else df.er_level
    ok = df.est.notna()
    rel = ((df.est - truth).abs() / truth)[ok]
    rho = float(spearmanr(df.est[ok], truth[ok]).statistic)
    n = int(ok.sum())
    truth_text = f"planted er_level ({df.er_formula.iloc[0]})"
    record_figure(section=SECTION, estimate=f"ER {platform} ({column})", truth=truth_text,
                  metric="median relative error", figure=float(rel.median()), n=n,
                  threshold="<= 0.15")  # fmt: skip
    record_figure(section=SECTION, estimate=f"ER {platform} ({column})", truth=truth_text,
                  metric="Spearman rank correlation", figure=rho, n=n, threshold=">= 0.90")  # fmt: skip
    assert n == len(df), f"{len(df) - n} {platform} creators without {column}"
    assert rel.median() <= 0.15
    assert rho >= 0.90


def test_growth_against_planted_drift(
    validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    """follower_growth_30d_pct against the planted organic drift, on creators without events (an
    event is growth that is not organic; authenticity's tests judge those)."""
    df = frame(
        validity_demo,
        "SELECT t.growth_weekly, s.follower_growth_30d_pct AS est FROM demo_truth_creators t "
        "JOIN scorecard s USING (creator_id) WHERE NOT (t.has_bought_spike OR t.has_purge OR "
        "t.has_viral_burst OR t.is_promoted)",
    )
    truth = np.expm1(df.growth_weekly * 30 / 7)
    ok = df.est.notna()
    err_pp = ((df.est - truth).abs() * 100)[ok]
    rho = float(spearmanr(df.est[ok], truth[ok]).statistic)
    n = int(ok.sum())
    truth_text = "planted organic drift, exp(30/7 x weekly log growth) - 1"
    record_figure(section=SECTION, estimate="follower growth 30d %", truth=truth_text,
                  metric="median absolute error (percentage points)", figure=float(err_pp.median()),
                  n=n, threshold="<= 1.0")  # fmt: skip
    record_figure(section=SECTION, estimate="follower growth 30d %", truth=truth_text,
                  metric="Spearman rank correlation", figure=rho, n=n, threshold=">= 0.80")  # fmt: skip
    assert n == len(df)
    assert err_pp.median() <= 1.0
    assert rho >= 0.80


def test_niche_against_planted_niche(
    validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    df = frame(
        validity_demo,
        "SELECT t.niche, c.main_niche FROM demo_truth_creators t "
        "JOIN content_scores c USING (creator_id)",
    )
    accuracy = float((df.niche == df.main_niche).mean())
    record_figure(section=SECTION, estimate="main niche", truth="planted niche",
                  metric="accuracy", figure=accuracy, n=len(df), threshold=">= 0.90")  # fmt: skip
    assert len(df) == 2000 and accuracy >= 0.90


def _disclosure(demo: ValidityDemo) -> pd.DataFrame:
    return frame(
        demo,
        "SELECT v.jurisdiction, v.verdict, t.sponsored, t.compliant, t.disclosure_style "
        "FROM disclosure_verdicts v JOIN demo_truth_posts t USING (post_id)",
    )


@pytest.mark.parametrize("jurisdiction", ["us", "kr", "uk"])
def test_disclosure_against_planted_labels(
    jurisdiction: str, validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    df = _disclosure(validity_demo)
    df = df[df.jurisdiction == jurisdiction]
    found = df.verdict != "not_sponsored"
    sponsored = df.sponsored.astype(bool)
    recall = float((found & sponsored).sum() / sponsored.sum())
    precision = float((found & sponsored).sum() / found.sum())
    # On planted sponsored posts: compliant styles (label early and clear) should be "compliant",
    # the others non-compliant (non_compliant or undisclosed_likely_ad).
    s = df[sponsored]
    agree = float(((s.verdict == "compliant") == s.compliant.astype(bool)).mean())
    truth = "demo_truth_posts sponsored / compliant"
    record_figure(section=SECTION, estimate=f"sponsorship detection ({jurisdiction})", truth=truth,
                  metric="recall", figure=recall, n=int(sponsored.sum()), threshold=">= 0.95")  # fmt: skip
    record_figure(section=SECTION, estimate=f"sponsorship detection ({jurisdiction})", truth=truth,
                  metric="precision", figure=precision, n=int(found.sum()), threshold=">= 0.95")  # fmt: skip
    record_figure(section=SECTION, estimate=f"disclosure verdict ({jurisdiction})", truth=truth,
                  metric="agreement on sponsored posts (compliant vs not)", figure=agree,
                  n=len(s), threshold=">= 0.80")  # fmt: skip
    assert recall >= 0.95
    assert precision >= 0.95
    assert agree >= 0.80


def test_planner_engagement_range_holds_the_next_post(
    validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    """Score on the posts before a cut-off, as a planner run then would, and check the range
    against the engagements (likes + comments) of each creator's first post after it."""
    card, later = scorecard_and_next_post(validity_demo.path)
    realised = (later.likes + later.comments).set_axis(later.creator_id)
    card = card[card.creator_id.isin(realised.index)].reset_index(drop=True)
    ranges = expected_outcomes(card)
    actual = realised.loc[card.creator_id].to_numpy(dtype=float)
    inside = (ranges.engagements_low.to_numpy() <= actual) & (actual <= ranges.engagements_high.to_numpy())
    coverage = float(inside.mean())
    nominal = engagement_interval_confidence()
    measured = ranges.engagements_low_source.str.contains("own posts").to_numpy()
    record_figure(section=SECTION, estimate="planner engagements per deliverable (low-high)",
                  truth="the creator's next post after the scoring cut-off (likes + comments)",
                  metric=f"share inside the stated {nominal:.0%} range", figure=coverage,
                  n=len(card), threshold=f"{nominal:.2f} +- {COVERAGE_TOLERANCE}")  # fmt: skip
    ratio = ranges.engagements_high.to_numpy()[measured] / np.maximum(
        ranges.engagements_low.to_numpy()[measured], 1.0
    )
    record_figure(section=SECTION, estimate="planner engagements per deliverable (low-high)",
                  truth="the creator's next post after the scoring cut-off (likes + comments)",
                  metric="median high / low", figure=round(float(np.median(ratio)), 2),
                  n=int(measured.sum()))  # fmt: skip
    # Calibration at a second level, from the same scorecard columns the planner reads.
    n_posts = card.n_posts.to_numpy(dtype=float)
    low50, high50 = per_post_interval(card.eng_lc_log_mean.to_numpy(dtype=float),
                                      card.eng_lc_log_sd.to_numpy(dtype=float), n_posts, 0.50)  # fmt: skip
    usable = np.isfinite(low50) & (n_posts >= 3)
    coverage50 = float(((low50 <= actual) & (actual <= high50))[usable].mean())
    record_figure(section=SECTION, estimate="per-post engagement interval at 50%",
                  truth="the creator's next post after the scoring cut-off (likes + comments)",
                  metric="share inside the 50% range", figure=coverage50, n=int(usable.sum()),
                  threshold=f"0.50 +- {COVERAGE_TOLERANCE}")  # fmt: skip
    assert len(card) >= 1900
    assert measured.mean() >= 0.9
    assert abs(coverage - nominal) <= COVERAGE_TOLERANCE
    assert abs(coverage50 - 0.50) <= COVERAGE_TOLERANCE


def test_planner_impressions_range_holds_the_next_post(
    validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    """The per-post impressions range against the views of each creator's first video after the
    cut-off (photos have no views), as the engagements range above."""
    card, later = scorecard_and_next_post(validity_demo.path)
    later = later[later.views.notna()]
    realised = later.views.set_axis(later.creator_id)
    card = card[card.creator_id.isin(realised.index)].reset_index(drop=True)
    ranges = expected_outcomes(card)
    actual = realised.loc[card.creator_id].to_numpy(dtype=float)
    measured = ranges.views_low_source.str.contains("own views").to_numpy()
    low, high = ranges.views_low.to_numpy(), ranges.views_high.to_numpy()
    coverage = float(((low <= actual) & (actual <= high))[measured].mean())
    nominal = engagement_interval_confidence()
    record_figure(section=SECTION, estimate="planner impressions per deliverable (low-high)",
                  truth="views of the creator's next video after the scoring cut-off",
                  metric=f"share inside the stated {nominal:.0%} range", figure=coverage,
                  n=int(measured.sum()), threshold=f"{nominal:.2f} +- {COVERAGE_TOLERANCE}")  # fmt: skip
    below = float((actual < low)[measured].mean())
    record_figure(section=SECTION, estimate="planner impressions per deliverable (low-high)",
                  truth="views of the creator's next video after the scoring cut-off",
                  metric="share below the range (should be about half of the misses)",
                  figure=below, n=int(measured.sum()))  # fmt: skip
    assert measured.sum() >= 1000
    assert abs(coverage - nominal) <= COVERAGE_TOLERANCE
    # misses on both sides, not a biased centre
    assert abs(below - (1 - coverage) / 2) <= COVERAGE_TOLERANCE
