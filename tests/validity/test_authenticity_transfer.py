"""Authenticity on real labelled data: leave-one-dataset-out (issue 18, section 1 and 2).

Fit on every labelled set but one (InstaFake, the Kaggle set, the four Twitter sets in
../shared/data/bots-twitter), evaluate on the one left out: per-account MCC, sensitivity and
specificity at the operating threshold, and the left-out set scored as one follower sample,
whose interval must cover the set's true fake share. All splits are measured in one run
(``lodo_evaluation``, ~15 s on 2 cores; the Social Honeypot set is subsampled deterministically).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from creatorlens.authenticity._training import read_labelled_sets
from creatorlens.authenticity._transfer import (
    LabelledSet,
    SplitResult,
    fit_pooled,
    lodo_evaluation,
    resample_to_share,
)
from creatorlens.authenticity._two_phase import simulate_two_phase

if TYPE_CHECKING:  # fixtures arrive by name; the types are the conftest's
    from .conftest import RecordFigure

SECTION = "authenticity (real labelled data)"
INSTAGRAM_SETS = ("instafake", "kaggle")
ALL_SETS = (
    "instafake",
    "kaggle",
    "botometer-feedback-2019",
    "botwiki-2019",
    "cresci-rtbust-2019",
    "caverlee-2011",
)


@pytest.fixture(scope="module")
def labelled_sets(shared_data: Path) -> list[LabelledSet]:
    sets, _ = read_labelled_sets(shared_data)
    return sets


@pytest.fixture(scope="module")
def lodo(labelled_sets: list[LabelledSet]) -> dict[str, SplitResult]:
    return {r.transfer.name: r for r in lodo_evaluation(labelled_sets)}


def test_every_labelled_set_is_a_split(lodo: dict[str, SplitResult]) -> None:
    assert tuple(lodo) == ALL_SETS
    # Conflicting labels are dropped (PROVENANCE.txt): 517 of 518 Botometer profiles remain.
    assert lodo["botometer-feedback-2019"].transfer.n == 517
    assert lodo["botwiki-2019"].transfer.n_fake == lodo["botwiki-2019"].transfer.n == 698


@pytest.mark.parametrize("name", ALL_SETS)
def test_interval_covers_the_left_out_true_share(
    name: str, lodo: dict[str, SplitResult], record_figure: RecordFigure
) -> None:
    result = lodo[name]
    t = result.transfer
    truth = f"{name} labels (left out)"
    if t.mcc is not None:
        record_figure(estimate="fake account (per account)", truth=truth, metric="MCC at threshold",
                      figure=round(t.mcc, 4), n=t.n, section=SECTION,
                      threshold=">= 0.60" if name in INSTAGRAM_SETS else "")
    else:
        # Botwiki is bots only: MCC and specificity are undefined; sensitivity is all it measures.
        assert t.specificity is None
    record_figure(estimate="fake account (per account)", truth=truth, metric="sensitivity",
                  figure=round(float(t.sensitivity or 0.0), 4), n=t.n_fake, section=SECTION)
    if t.specificity is not None:
        record_figure(estimate="fake account (per account)", truth=truth, metric="specificity",
                      figure=round(t.specificity, 4), n=t.n - t.n_fake, section=SECTION)
    record_figure(estimate="fake share (left-out set as one follower sample)", truth=truth,
                  metric="interval covers the true share (1 = yes)", figure=float(result.covers),
                  n=t.n, threshold="= 1 in every split", section=SECTION)
    record_figure(estimate="fake share (left-out set as one follower sample)", truth=truth,
                  metric="interval width (points)", figure=round(100 * result.width, 1), n=t.n,
                  section=SECTION)
    if result.mixture_share is not None:
        record_figure(estimate="fake share (left-out set resampled to 10% fakes)", truth=truth,
                      metric="interval covers the true share (1 = yes)",
                      figure=float(bool(result.mixture_covers)), n=result.mixture_n,
                      section=SECTION)
    assert result.two_phase is not None
    record_figure(estimate="fake share (two-phase, 50 hand labels)", truth=truth,
                  metric="coverage over 100 random label subsamples",
                  figure=result.two_phase["coverage"], n=100, threshold=">= 0.85",
                  section=SECTION)
    record_figure(estimate="fake share (two-phase, 50 hand labels)", truth=truth,
                  metric="median half-width (points)",
                  figure=round(100 * result.two_phase["median_half_width"], 1), n=100,
                  section=SECTION)
    assert result.covers
    if result.mixture_share is not None:
        assert result.mixture_covers
    # The two-phase estimate holds on every population, including those the classifier misses.
    assert result.two_phase["coverage"] >= 0.85


@pytest.mark.parametrize("name", INSTAGRAM_SETS)
def test_per_account_mcc_on_each_left_out_instagram_set(
    name: str, lodo: dict[str, SplitResult]
) -> None:
    mcc = lodo[name].transfer.mcc
    assert mcc is not None and mcc >= 0.60


@pytest.mark.xfail(
    strict=True,
    reason="issue 18 acceptance not met: measured median 100 points (all six splits 100 wide): "
    "Se/Sp move so much between the labelled sets (Twitter bots: AUC 0.11-0.68) that an "
    "interval that holds on every left-out set spans [0, 1]",
)
def test_median_interval_width_is_at_most_20_points(
    lodo: dict[str, SplitResult], record_figure: RecordFigure
) -> None:
    median = float(np.median([r.width for r in lodo.values()]))
    record_figure(estimate="fake share (left-out set as one follower sample)",
                  truth="all six left-out sets", metric="median interval width (points)",
                  figure=round(100 * median, 1), n=len(lodo), threshold="<= 20", section=SECTION)
    assert median <= 0.20


def test_the_in_sample_interval_would_not_cover(lodo: dict[str, SplitResult]) -> None:
    """The old interval (in-sample confusion counts only) misses the truth on the left-out sets:
    the reason for carrying the between-population spread."""
    missed = [
        name
        for name, r in lodo.items()
        if r.in_sample is not None
        and not r.in_sample.low <= r.transfer.fake_share <= r.in_sample.high
    ]
    assert len(missed) >= 4


def test_two_phase_reaches_5_points_with_a_few_hundred_labels(
    labelled_sets: list[LabelledSet], record_figure: RecordFigure
) -> None:
    """End to end on a real set: the user's hand labels simulated from InstaFake's truth, the
    classifier fitted without InstaFake, the population resampled to 10% fakes."""
    target = next(s for s in labelled_sets if s.name == "instafake")
    model = fit_pooled([s for s in labelled_sets if s.name != "instafake"])
    resampled = resample_to_share(target, 0.10)
    assert resampled is not None
    rows, _ = resampled
    predicted = model.predict_proba(target.profiles.iloc[rows], "instagram")[:, 1] >= 0.5
    table = simulate_two_phase(predicted, target.labels[rows], (50, 200), repeats=100, draws=1000)
    for row in table:
        record_figure(estimate="fake share (two-phase, hand labels)",
                      truth="instafake at 10% fakes (labels simulated from the truth)",
                      metric=f"coverage with {int(row['labels'])} labels",
                      figure=row["coverage"], n=100, threshold=">= 0.90", section=SECTION)
        record_figure(estimate="fake share (two-phase, hand labels)",
                      truth="instafake at 10% fakes (labels simulated from the truth)",
                      metric=f"median half-width with {int(row['labels'])} labels (points)",
                      figure=round(100 * row["median_half_width"], 1), n=100, section=SECTION)
        assert row["coverage"] >= 0.90
    assert table[-1]["median_half_width"] <= 0.05
