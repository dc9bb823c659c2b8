"""Two-phase (double-sampling) fake share: the classifier on every follower, a person on a few.

Phase 1: the classifier flags k of the n sampled followers (apparent share p = k/n). Phase 2: a
simple random subsample of m of them is checked by hand. Among the labelled, PPV = share fake
among the flagged, FOR = share fake among the unflagged; the estimator (Tenenbein 1970, "A double
sampling scheme for estimating from binomial data with misclassifications", JASA 65:1350) is

    pi = p * PPV + (1 - p) * FOR

It uses the classifier only to stratify, so it stays unbiased on a population the classifier was
never fitted to, however badly it transfers; a weak classifier only costs labels. Se and Sp on the
user's own population follow as Se = p * PPV / pi, Sp = (1 - p) * (1 - FOR) / (1 - pi). Interval:
parametric bootstrap with Jeffreys Beta draws for p, PPV and FOR. Pure: no file is read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatorlens.errors import LabelError as LabelError


@dataclass(frozen=True)
class TwoPhaseEstimate:
    value: float
    low: float
    high: float
    n: int  # followers classified
    flagged: int  # of which the classifier flagged
    labelled: int  # checked by hand
    labelled_flagged: int
    labelled_flagged_fake: int
    labelled_unflagged_fake: int
    sensitivity: float | None
    specificity: float | None
    confidence: float
    method: str = "two-phase (Tenenbein 1970 double sampling) + parametric bootstrap"

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def draw_label_sample(n: int, size: int, *, seed: int = 0) -> npt.NDArray[np.int64]:
    """Positions of a seeded simple random subsample (without replacement) of ``n`` followers."""
    if size <= 0:
        raise ValueError("the subsample to label must have at least one account")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, min(size, n), replace=False)).astype(np.int64)


def two_phase_share(
    predicted: Sequence[bool] | npt.ArrayLike,
    labelled_positions: Sequence[int] | npt.ArrayLike,
    labels: Sequence[int] | npt.ArrayLike,
    *,
    confidence: float = 0.95,
    draws: int = 4000,
    seed: int = 0,
) -> TwoPhaseEstimate:
    """The double-sampling fake share from the classifier's flags and a random labelled subsample.

    ``labelled_positions`` index ``predicted``; ``labels`` (1 = fake) are the hand labels there.
    """
    flags = np.asarray(predicted, dtype=bool)
    positions = np.asarray(labelled_positions, dtype=np.int64)
    truth = np.asarray(labels, dtype=np.int64)
    if len(positions) != len(truth):
        raise LabelError("one label per labelled position")
    if len(positions) == 0:
        raise LabelError("no labelled accounts")
    n, k = len(flags), int(flags.sum())
    on_flagged = flags[positions]
    a = int(on_flagged.sum())  # labelled and flagged
    a_fake = int(truth[on_flagged].sum())
    b = len(positions) - a
    b_fake = int(truth[~on_flagged].sum())
    p = k / n
    # An empty stratum (nothing flagged among the labelled) has no PPV; its share of the point is
    # weighted by p, and the Jeffreys draw below spreads it over [0, 1].
    ppv = a_fake / a if a else 0.5
    for_ = b_fake / b if b else 0.5
    point = p * ppv + (1 - p) * for_

    rng = np.random.default_rng(seed)
    p_draw = rng.beta(k + 0.5, n - k + 0.5, draws)
    ppv_draw = rng.beta(a_fake + 0.5, a - a_fake + 0.5, draws)
    for_draw = rng.beta(b_fake + 0.5, b - b_fake + 0.5, draws)
    share = p_draw * ppv_draw + (1 - p_draw) * for_draw
    tail = (1 - confidence) / 2
    low, high = (float(q) for q in np.quantile(share, [tail, 1 - tail]))
    sensitivity = p * ppv / point if point > 0 else None
    specificity = (1 - p) * (1 - for_) / (1 - point) if point < 1 else None
    return TwoPhaseEstimate(
        value=float(point),
        low=min(low, point),
        high=max(high, point),
        n=n,
        flagged=k,
        labelled=len(positions),
        labelled_flagged=a,
        labelled_flagged_fake=a_fake,
        labelled_unflagged_fake=b_fake,
        sensitivity=sensitivity,
        specificity=specificity,
        confidence=confidence,
    )


_TRUE = {"1", "true", "yes", "y", "fake", "bot"}
_FALSE = {"0", "false", "no", "n", "real", "human", "genuine"}


def match_labels(
    handles: pd.Series, labels: pd.DataFrame, source: str = "labels"
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Positions in the follower sample and 0/1 labels from a (handle, is_fake) table.

    Handles match case-insensitively without a leading @. Every error names ``source``, the row
    (1 = first data row) and the column.
    """
    columns = {str(c).strip().lower(): c for c in labels.columns}
    for needed in ("handle", "is_fake"):
        if needed not in columns:
            raise LabelError(
                f"{source}: no '{needed}' column (columns: {', '.join(map(str, labels.columns))})"
            )
    keys = _normalise(handles)
    index: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key and key not in index:
            index[key] = position
    positions: list[int] = []
    values: list[int] = []
    seen: set[int] = set()
    for row, (handle, raw) in enumerate(
        zip(labels[columns["handle"]], labels[columns["is_fake"]], strict=True), start=1
    ):
        text = "" if pd.isna(raw) else str(raw).strip().lower()
        if text == "":
            continue  # not labelled (yet)
        if text not in _TRUE | _FALSE:
            raise LabelError(f"{source}: row {row}, column is_fake: {raw!r} is not 1/0 (fake/real)")
        key = _normalise(pd.Series([handle])).iloc[0]
        if key not in index:
            raise LabelError(f"{source}: row {row}, column handle: {handle!r} is not in the sample")
        position = index[key]
        if position in seen:
            raise LabelError(f"{source}: row {row}, column handle: {handle!r} is labelled twice")
        seen.add(position)
        positions.append(position)
        values.append(1 if text in _TRUE else 0)
    if not positions:
        raise LabelError(f"{source}: no labelled rows (fill is_fake with 1 = fake, 0 = real)")
    return np.asarray(positions, dtype=np.int64), np.asarray(values, dtype=np.int64)


def _normalise(handles: pd.Series) -> pd.Series:
    return handles.astype("string").str.strip().str.lstrip("@").str.lower().fillna("")


def simulate_two_phase(
    predicted: npt.ArrayLike,
    truth: npt.ArrayLike,
    sizes: Sequence[int],
    *,
    repeats: int = 200,
    confidence: float = 0.95,
    draws: int = 2000,
    seed: int = 0,
) -> list[dict[str, float]]:
    """How many labels it takes: for each subsample size, label ``repeats`` random subsamples
    from the truth and report the median half-width and the coverage of the true share."""
    flags = np.asarray(predicted, dtype=bool)
    labels = np.asarray(truth, dtype=np.int64)
    true_share = float(labels.mean())
    rows = []
    for size in sizes:
        halves, covered = [], 0
        for repeat in range(repeats):
            positions = draw_label_sample(len(flags), size, seed=seed + repeat)
            estimate = two_phase_share(
                flags, positions, labels[positions], confidence=confidence, draws=draws,
                seed=seed + repeat,
            )
            halves.append((estimate.high - estimate.low) / 2)
            covered += int(estimate.low <= true_share <= estimate.high)
        rows.append(
            {
                "labels": float(size),
                "median_half_width": float(np.median(halves)),
                "coverage": covered / repeats,
                "true_share": true_share,
            }
        )
    return rows
