"""Authenticity against the demo's planted truth (issue 18, section 1 and the Acceptance).

Truth: ``demo_truth_creators`` (planted fake share, fraud / bought-spike flags, which creators have
a follower sample), ``demo_truth_events`` (injected follower jumps) and ``demo_truth_followers``
(which sampled followers are fake). Estimates: ``authenticity_scores`` and ``growth_anomalies``
written by ``score()``.

"Planted fake" creators carry fake followers on purpose (fraud affected: 10-40% base fakes, or a
bought spike); "clean" creators carry neither and are not in an engagement pod. Pod-only
creators are engagement fraud, not fake followers, and belong to neither group.

Acceptance bounds that the current estimators do not reach are ``xfail(strict=True)`` with the
measured figure in the reason: the figure is still recorded for docs/validity.md, and the test
turns red the day the bound is met so the marker is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import creatorlens

if TYPE_CHECKING:  # fixtures arrive by name; the types are the conftest's
    from .conftest import RecordFigure, ValidityDemo

SECTION = "authenticity (demo truth)"
TRUTH = "demo planted fake share"
AUC = "AUC planted-fake vs clean"
COVERAGE = "share of creators inside the 95% interval"


@pytest.fixture(scope="module")
def workspace(validity_demo: ValidityDemo) -> Iterator[creatorlens.Workspace]:
    ws = creatorlens.open(validity_demo.path, read_only=True)
    try:
        yield ws
    finally:
        ws.close()


def _table(ws: creatorlens.Workspace, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = ws.store.table(name).to_pandas()
    return frame


@pytest.fixture(scope="module")
def creators(workspace: creatorlens.Workspace) -> pd.DataFrame:
    truth = _table(workspace, "demo_truth_creators")
    scores = _table(workspace, "authenticity_scores")
    frame = truth.merge(scores, on="creator_id", how="left", suffixes=("_true", ""))
    frame["planted_fake"] = frame["fraud_affected"] | frame["has_bought_spike"]
    frame["clean"] = ~frame["planted_fake"] & ~frame["is_pod"]
    return frame


def _auc(frame: pd.DataFrame) -> tuple[float, int]:
    """AUC of (100 - audience quality) for planted-fake against clean creators with a score."""
    rated = frame[(frame["planted_fake"] | frame["clean"]) & frame["audience_quality"].notna()]
    assert rated["planted_fake"].any() and rated["clean"].any(), "both groups must be present"
    auc = float(roc_auc_score(rated["planted_fake"], -rated["audience_quality"]))
    return auc, len(rated)


def _coverage(frame: pd.DataFrame) -> tuple[float, int]:
    """Share of creators whose planted fake share lies inside the reported interval (creators
    without an estimate count as not covered: an estimate that is missing covers nothing)."""
    inside = (frame["fake_share_low"] <= frame["fake_share_true"]) & (
        frame["fake_share_true"] <= frame["fake_share_high"]
    )
    return float(inside.fillna(False).mean()), len(frame)


def _record(
    record_figure: RecordFigure,
    estimate: str,
    metric: str,
    figure: float,
    n: int,
    threshold: str = "",
    truth: str = TRUTH,
) -> float:
    record_figure(
        estimate=estimate,
        truth=truth,
        metric=metric,
        figure=round(figure, 3),
        n=n,
        threshold=threshold,
        section=SECTION,
    )
    return figure


def _basis(creators: pd.DataFrame, basis: str) -> pd.DataFrame:
    part = creators[creators["basis"] == basis]
    assert len(part) >= 100, f"too few creators on the {basis} basis: {len(part)}"
    return part


def test_every_sampled_creator_is_scored_on_its_follower_sample(creators: pd.DataFrame) -> None:
    sampled = creators[creators["has_follower_sample"]]
    assert len(sampled) >= 100
    assert (sampled["basis"] == "follower_sample").all()
    assert (creators.loc[~creators["has_follower_sample"], "basis"] != "follower_sample").all()


def test_fake_shares_follow_the_evidence_not_one_value(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    """The percentile defect: every creator sat at 0.56-0.57. The estimate must spread and its
    error against the planted share must be small on the creator's own data."""
    own = _basis(creators, "indirect")
    error = float((own["fake_share"] - own["fake_share_true"]).abs().median())
    _record(record_figure, "fake share (creator's own data)", "median absolute error (points)",
            100 * error, len(own), "<= 10")  # fmt: skip
    near_056 = float(own["fake_share"].between(0.55, 0.58).mean())
    assert near_056 < 0.25
    assert error <= 0.10


def test_audience_quality_auc_with_a_follower_sample(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    auc, n = _auc(_basis(creators, "follower_sample"))
    _record(record_figure, "audience quality (follower sample)", AUC, auc, n, ">= 0.90")
    assert auc >= 0.90


def test_fake_share_auc_with_a_follower_sample(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    part = _basis(creators, "follower_sample")
    rated = part[part["planted_fake"] | part["clean"]]
    auc = float(roc_auc_score(rated["planted_fake"], rated["fake_share"]))
    _record(record_figure, "fake share (follower sample)", AUC, auc, len(rated), ">= 0.90")
    assert auc >= 0.90


def test_audience_quality_auc_from_own_data(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    auc, n = _auc(_basis(creators, "indirect"))
    _record(record_figure, "audience quality (creator's own data)", AUC, auc, n, ">= 0.75")
    assert auc >= 0.75


def test_audience_quality_from_own_data_separates_at_all(creators: pd.DataFrame) -> None:
    """The percentile defect (percentile read as 1/100) gave 0.54; a floor far below the bound."""
    auc, _ = _auc(_basis(creators, "indirect"))
    assert auc >= 0.62


def test_interval_covers_planted_share_from_own_data(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    part = _basis(creators, "indirect")
    coverage, n = _coverage(part)
    width = float((part["fake_share_high"] - part["fake_share_low"]).median())
    _record(record_figure, "fake share interval (creator's own data)", COVERAGE, coverage, n,
            ">= 0.90")  # fmt: skip
    _record(record_figure, "fake share interval (creator's own data)", "median width (points)",
            100 * width, n)  # fmt: skip
    assert coverage >= 0.90


def test_interval_covers_planted_share_with_a_follower_sample(
    creators: pd.DataFrame, record_figure: RecordFigure
) -> None:
    part = _basis(creators, "follower_sample")
    coverage, n = _coverage(part)
    width = float((part["fake_share_high"] - part["fake_share_low"]).median())
    _record(record_figure, "fake share interval (follower sample)", COVERAGE, coverage, n,
            ">= 0.90")  # fmt: skip
    # Covered since the interval carries the classifier's transfer across populations (the
    # spread over the leave-one-dataset-out splits); the width says what that costs.
    _record(record_figure, "fake share interval (follower sample)", "median width (points)",
            100 * width, n)  # fmt: skip
    assert coverage >= 0.90


def test_classifier_on_the_demo_follower_population(
    workspace: creatorlens.Workspace, record_figure: RecordFigure
) -> None:
    """Per-account figures of the packaged classifier on the planted follower samples (the
    population the follower-sample interval must hold on)."""
    from creatorlens.authenticity import FakeAccountClassifier

    samples = _table(workspace, "follower_samples")
    truth = _table(workspace, "demo_truth_followers")
    frame = samples.merge(truth, on=["creator_id", "handle"], validate="one_to_one")
    assert len(frame) == len(samples) == len(truth)
    model = FakeAccountClassifier.load()
    flagged = model.predict_proba(frame)[:, 1] >= model.threshold_
    fake = frame["is_fake"].to_numpy(dtype=bool)
    sensitivity = float(flagged[fake].mean())
    specificity = float(1 - flagged[~fake].mean())
    for metric, value in (("sensitivity", sensitivity), ("specificity", specificity)):
        n = int(fake.sum() if metric == "sensitivity" else (~fake).sum())
        _record(record_figure, "fake-account classifier (demo followers)", metric, value, n,
                truth="demo planted fake followers")  # fmt: skip
    # Not an acceptance bound: the classifier must at least beat chance on both classes.
    assert sensitivity + specificity > 1.5


def test_bought_follower_events(
    workspace: creatorlens.Workspace, record_figure: RecordFigure
) -> None:
    """A detection matches a planted bought spike of the same creator within one weekly
    snapshot (7 days) of the snapshot that first shows it."""
    truth = _table(workspace, "demo_truth_events")
    truth = truth[truth["kind"] == "bought"].reset_index(drop=True)
    found = _table(workspace, "growth_anomalies")
    found = found[found["kind"] == "bought"].reset_index(drop=True)
    assert len(truth) >= 50
    pairs = found.reset_index().merge(
        truth.reset_index(), on="creator_id", suffixes=("_found", "_true")
    )
    gap = (pairs["observed_at_found"] - pairs["observed_at_true"]).abs()
    matched = pairs[gap <= pd.Timedelta(days=7)]
    precision = matched["index_found"].nunique() / max(len(found), 1)
    recall = matched["index_true"].nunique() / len(truth)
    for metric, value, n, bound in (
        ("precision", precision, len(found), ">= 0.80"),
        ("recall", recall, len(truth), ">= 0.90"),
    ):
        _record(record_figure, "bought-follower events", metric, float(value), n, bound,
                truth="demo injected bought spikes")  # fmt: skip
    assert recall >= 0.90
    assert precision >= 0.80


def test_no_evidence_no_number(workspace: creatorlens.Workspace) -> None:
    """A creator whose data were removed (no posts, snapshots, comments, sample) is unknown."""
    sample = _table(workspace, "scorecard").iloc[0].to_dict()
    bare = {
        **sample,
        "n_posts": 0,
        "er_percentile_peers": np.nan,
        "er_percentile_tier": np.nan,
        "er_followers_lc_median": np.nan,
        "er_followers_lc_mean": np.nan,
        "view_rate": np.nan,  # views per follower come from the posts too
        "avg_views": np.nan,
    }
    from creatorlens.authenticity._step import audit_creator

    class _Empty:
        """The workspace's store with this creator's posts, snapshots and comments gone."""

        def __init__(self, store: object) -> None:
            self._store = store

        def has_table(self, name: str) -> bool:
            if name in {"posts", "follower_snapshots", "comments", "follower_samples"}:
                return False
            return bool(self._store.has_table(name))  # type: ignore[attr-defined]

        def table(self, name: str) -> object:
            return self._store.table(name)  # type: ignore[attr-defined]

        def frame(self, name: str, columns: object = None, creator_id: object = None) -> object:
            if not self.has_table(name):
                return None
            return self._store.frame(name, columns, creator_id)  # type: ignore[attr-defined]

    report = audit_creator(_Empty(workspace.store), bare)  # type: ignore[arg-type]
    assert report.fake_share is None and report.quality is None
    assert report.basis == "unknown"
    assert any("Provide a follower sample" in note for note in report.notes)
