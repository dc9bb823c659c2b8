"""Leave-one-dataset-out (LODO) transfer of the fake-account classifier.

Cross-validation inside one data set says how the classifier does on more accounts *like* those; a
follower sample comes from a population the classifier never saw. LODO measures that: fit on every
labelled set but one, evaluate on the one left out, for each set in turn. The per-set sensitivity
and specificity of these transfers are the evidence of how much they move between populations;
``population_spread`` turns them into the spread the follower-sample interval carries
(``_intervals.PopulationSpread``). Pure: frames in, numbers out (``_training`` reads the files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit, logit
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from creatorlens.authenticity._accounts import FakeAccountClassifier
from creatorlens.authenticity._intervals import (
    PopulationSpread,
    ShareEstimate,
    corrected_share,
    interval_parts,
)
from creatorlens.authenticity._two_phase import simulate_two_phase

FloatArray = npt.NDArray[np.float64]

#: Platforms that get their own deviation from the shared weights.
PLATFORMS = ("instagram", "twitter")
#: Regularisation of the pooled logistic regression (shared weights and platform deviations).
POOLED_C = 0.3


@dataclass(frozen=True)
class LabelledSet:
    """One labelled profile set: canonical profile columns plus ``is_fake`` (1 = fake / bot)."""

    name: str
    platform: str
    profiles: pd.DataFrame
    note: str = ""

    @property
    def labels(self) -> npt.NDArray[np.int64]:
        return self.profiles["is_fake"].to_numpy(dtype=np.int64)

    @property
    def n(self) -> int:
        return len(self.profiles)

    @property
    def n_fake(self) -> int:
        return int(self.labels.sum())

    @property
    def two_class(self) -> bool:
        return 0 < self.n_fake < self.n


def pooled_training_frame(
    sets: Sequence[LabelledSet],
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], FloatArray]:
    """Profiles (with a ``platform`` column), labels and weights of the pooled training sets.

    Weights: every set weighs the same in total (a 5,000-row set does not drown a 500-row one),
    then fakes and reals are rescaled to equal totals, so the fitted log-odds are those of a
    balanced population and the 0.5 threshold does not depend on the sets' fake shares.
    """
    frames = [s.profiles.assign(platform=s.platform) for s in sets]
    profiles = pd.concat(frames, ignore_index=True)
    labels = profiles["is_fake"].to_numpy(dtype=np.int64)
    weights = np.concatenate([np.full(s.n, 1.0 / s.n) for s in sets])
    fake = labels == 1
    if fake.any() and (~fake).any():
        weights[fake] *= weights[~fake].sum() / weights[fake].sum()
    weights *= len(weights) / weights.sum()
    return profiles, labels, weights


def fit_pooled(
    sets: Sequence[LabelledSet],
    *,
    C: float = POOLED_C,
    features: Sequence[str] | None = None,
    threshold: float = 0.5,
) -> FakeAccountClassifier:
    """The platform-aware classifier fitted on the pooled sets (equal weight per set)."""
    profiles, labels, weights = pooled_training_frame(sets)
    platforms = [p for p in PLATFORMS if p in {s.platform for s in sets}]
    model = FakeAccountClassifier(features=features, C=C, threshold=threshold, platforms=platforms)
    return model.fit(profiles, labels, sample_weight=weights)


@dataclass(frozen=True)
class Transfer:
    """The classifier fitted without one set, evaluated on it at the operating threshold."""

    name: str
    platform: str
    n: int
    n_fake: int
    tp: int
    fn: int
    tn: int
    fp: int
    roc_auc: float | None
    threshold: float

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    @property
    def mcc(self) -> float | None:
        """Undefined (None) when the set has one class only (e.g. Botwiki: bots only)."""
        tp, fn, tn, fp = self.tp, self.fn, self.tn, self.fp
        denominator = float(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
        if tp + fn == 0 or tn + fp == 0:
            return None
        return (tp * tn - fp * fn) / np.sqrt(denominator) if denominator else 0.0

    @property
    def fake_share(self) -> float:
        return self.n_fake / self.n

    @property
    def apparent_share(self) -> float:
        return (self.tp + self.fp) / self.n

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "platform": self.platform,
            "n": self.n,
            "n_fake": self.n_fake,
            "confusion": {"tp": self.tp, "fn": self.fn, "tn": self.tn, "fp": self.fp},
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
            "mcc": self.mcc,
            "roc_auc": self.roc_auc,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> Transfer:
        counts = payload["confusion"]
        return cls(
            name=str(payload["name"]),
            platform=str(payload["platform"]),
            n=int(payload["n"]),
            n_fake=int(payload["n_fake"]),
            tp=int(counts["tp"]),
            fn=int(counts["fn"]),
            tn=int(counts["tn"]),
            fp=int(counts["fp"]),
            roc_auc=None if payload.get("roc_auc") is None else float(payload["roc_auc"]),
            threshold=float(payload["threshold"]),
        )


def evaluate_transfer(model: FakeAccountClassifier, held_out: LabelledSet) -> tuple[Transfer, FloatArray]:
    """Confusion counts of ``model`` on ``held_out`` (and its P(fake) per account)."""
    scores = model.predict_proba(held_out.profiles, held_out.platform)[:, 1]
    labels = held_out.labels
    predicted = scores >= model.threshold_
    auc = float(roc_auc_score(labels, scores)) if held_out.two_class else None
    transfer = Transfer(
        name=held_out.name,
        platform=held_out.platform,
        n=held_out.n,
        n_fake=held_out.n_fake,
        tp=int(np.sum(predicted & (labels == 1))),
        fn=int(np.sum(~predicted & (labels == 1))),
        tn=int(np.sum(~predicted & (labels == 0))),
        fp=int(np.sum(predicted & (labels == 0))),
        roc_auc=auc,
        threshold=float(model.threshold_),
    )
    return transfer, scores


Fitter = Callable[[Sequence[LabelledSet]], FakeAccountClassifier]

#: Hand labels in the two-phase column of the LODO table.
TWO_PHASE_LABELS = 50


def lodo_transfers(sets: Sequence[LabelledSet], fit: Fitter = fit_pooled) -> list[Transfer]:
    """One transfer per set: fitted on all the others, evaluated on it."""
    out = []
    for index, held_out in enumerate(sets):
        model = fit([s for i, s in enumerate(sets) if i != index])
        out.append(evaluate_transfer(model, held_out)[0])
    return out


#: Floor of the between-population sd on the logit scale: with a handful of sets an observed
#: spread can be near zero by chance; 0.25 on the logit scale is about +-2 points of
#: specificity around 0.95 (project choice, docs/authenticity.md).
MIN_LOGIT_SD = 0.25


def _jeffreys_logit(successes: int, trials: int) -> float:
    return float(logit((successes + 0.5) / (trials + 1.0)))


def population_spread(
    transfers: Sequence[Transfer],
    platform: str | None,
    *,
    centre: dict[str, int] | None = None,
) -> PopulationSpread:
    """Between-population distribution of Se and Sp for a new population on ``platform``.

    ``centre`` (tp, fn, tn, fp; the classifier's cross-validated counts on its own training sets
    of that platform, ``cross_validated_confusion``) replaces the centre when given: the
    transfers then only give the spread and say whether the classifier carries over at all
    (``transfer_youden``, the mean Se + Sp - 1 of the same-platform transfers).

    On the logit scale (Jeffreys-smoothed counts). Centre: the mean over the transfers to sets of
    the same platform (all transfers when there are none). Spread: the between-set standard
    deviation pooled over platforms (deviations from each platform's own mean; a platform with one
    set adds no degree of freedom), at least ``MIN_LOGIT_SD``; when no platform has two sets, the
    sd of all transfers. The predictive draw for one new population is
    ``mean + sd * sqrt(1 + 1/k) * t(df)``: Student t because the sd itself is estimated from a few
    sets. See docs/authenticity.md ('Intervals that transfer').
    """

    def part(kind: str) -> tuple[float, float, int, tuple[str, ...]]:
        rows: list[tuple[str, str, float]] = []
        for t in transfers:
            if kind == "se" and t.tp + t.fn:
                rows.append((t.name, t.platform, _jeffreys_logit(t.tp, t.tp + t.fn)))
            if kind == "sp" and t.tn + t.fp:
                rows.append((t.name, t.platform, _jeffreys_logit(t.tn, t.tn + t.fp)))
        if not rows:
            raise ValueError(f"no transfer measures {'sensitivity' if kind == 'se' else 'specificity'}")
        same = [r for r in rows if r[1] == platform]
        centre_rows = same or rows
        centre = float(np.mean([r[2] for r in centre_rows]))
        squares, df = 0.0, 0
        for name in {r[1] for r in rows}:
            values = np.array([r[2] for r in rows if r[1] == name])
            squares += float(np.sum((values - values.mean()) ** 2))
            df += len(values) - 1
        if df == 0:
            values = np.array([r[2] for r in rows])
            squares, df = float(np.sum((values - values.mean()) ** 2)), max(len(values) - 1, 1)
        sd = max(float(np.sqrt(squares / df)), MIN_LOGIT_SD)
        predictive = sd * float(np.sqrt(1.0 + 1.0 / len(centre_rows)))
        return centre, predictive, df, tuple(r[0] for r in centre_rows)

    se_mean, se_sd, se_df, se_sets = part("se")
    sp_mean, sp_sd, sp_df, sp_sets = part("sp")
    youden = float(expit(se_mean) + expit(sp_mean) - 1)
    centre_note = "LODO transfers"
    if centre is not None and centre["tp"] + centre["fn"] and centre["tn"] + centre["fp"]:
        se_mean = _jeffreys_logit(centre["tp"], centre["tp"] + centre["fn"])
        sp_mean = _jeffreys_logit(centre["tn"], centre["tn"] + centre["fp"])
        centre_note = f"cross-validated counts {centre}"
    return PopulationSpread(
        se_logit_mean=se_mean,
        se_logit_sd=se_sd,
        se_df=se_df,
        sp_logit_mean=sp_mean,
        sp_logit_sd=sp_sd,
        sp_df=sp_df,
        source=(
            f"centre: {centre_note}; spread: LODO transfers to {', '.join(se_sets)} (Se) and "
            f"{', '.join(sp_sets)} (Sp) for platform {platform or 'unknown'}, sd pooled within "
            f"platforms (df Se {se_df}, Sp {sp_df})"
        ),
        transfer_youden=youden,
    )


def cross_validated_confusion(
    sets: Sequence[LabelledSet],
    platform: str | None,
    fit: Fitter = fit_pooled,
    *,
    n_splits: int = 5,
    seed: int = 0,
) -> dict[str, int] | None:
    """Out-of-fold confusion counts of ``fit`` on the rows of ``sets`` on ``platform`` (all sets
    when none is on it); folds stratified by set x label."""
    strata = np.concatenate([[f"{i}:{y}" for y in s.labels] for i, s in enumerate(sets)])
    offsets = np.cumsum([0] + [s.n for s in sets])
    on_platform = [i for i, s in enumerate(sets) if s.platform == platform] or list(range(len(sets)))
    counts = {"tp": 0, "fn": 0, "tn": 0, "fp": 0}
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train_rows, _ in folds.split(strata, strata):
        train_mask = np.zeros(len(strata), dtype=bool)
        train_mask[train_rows] = True
        model = fit([_subset(s, train_mask[offsets[i] : offsets[i + 1]]) for i, s in enumerate(sets)])
        for i in on_platform:
            held = _subset(sets[i], ~train_mask[offsets[i] : offsets[i + 1]])
            if held.n:
                transfer, _ = evaluate_transfer(model, held)
                for key in counts:
                    counts[key] += int(getattr(transfer, key))
    return counts


def _subset(labelled: LabelledSet, mask: npt.NDArray[np.bool_]) -> LabelledSet:
    return LabelledSet(
        labelled.name, labelled.platform, labelled.profiles[mask].reset_index(drop=True)
    )


@dataclass(frozen=True)
class SplitResult:
    """One LODO split: per-account figures and the left-out set scored as one follower sample."""

    transfer: Transfer
    estimate: ShareEstimate | None  # None: withheld (the classifier is no better than chance)
    in_sample: ShareEstimate | None  # the interval from in-sample counts only, for comparison
    parts: dict[str, float] | None
    spread: PopulationSpread
    mixture: ShareEstimate | None = None  # the left-out set resampled to ``mixture_share`` fakes
    mixture_share: float | None = None
    mixture_n: int = 0
    #: Two-phase estimate with ``TWO_PHASE_LABELS`` hand labels simulated from the truth:
    #: median half-width and coverage over repeated random subsamples.
    two_phase: dict[str, float] | None = None

    @property
    def covers(self) -> bool:
        """Whether the interval holds the set's true fake share (a withheld estimate is [0, 1])."""
        low, high = (0.0, 1.0) if self.estimate is None else (self.estimate.low, self.estimate.high)
        return low <= self.transfer.fake_share <= high

    @property
    def width(self) -> float:
        return 1.0 if self.estimate is None else self.estimate.high - self.estimate.low

    @property
    def mixture_covers(self) -> bool | None:
        if self.mixture_share is None:
            return None
        if self.mixture is None:
            return True
        return self.mixture.low <= self.mixture_share <= self.mixture.high


def _estimate(
    count: int,
    n: int,
    confusion: dict[str, int],
    spread: PopulationSpread | None,
    *,
    confidence: float,
    draws: int,
    seed: int,
) -> ShareEstimate | None:
    try:
        return corrected_share(
            count, n, confusion, confidence=confidence, draws=draws, seed=seed, spread=spread
        )
    except ValueError:  # Se + Sp <= 1 at the centre: no correction is possible
        return None


def resample_to_share(
    held_out: LabelledSet, share: float, *, seed: int = 0
) -> tuple[npt.NDArray[np.int64], int] | None:
    """Row positions of a seeded subsample of ``held_out`` with ``share`` fakes (all its reals).

    ``None`` for a one-class set. When the set has too few fakes, reals are dropped instead.
    """
    if not held_out.two_class:
        return None
    labels = held_out.labels
    fakes, reals = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    n_fake = round(len(reals) * share / (1 - share))
    n_real = len(reals)
    if n_fake > len(fakes):
        n_fake = len(fakes)
        n_real = round(n_fake * (1 - share) / share)
    rng = np.random.default_rng(seed)
    rows = np.concatenate(
        [rng.choice(fakes, n_fake, replace=False), rng.choice(reals, n_real, replace=False)]
    )
    return np.sort(rows), n_fake


def lodo_evaluation(
    sets: Sequence[LabelledSet],
    fit: Fitter = fit_pooled,
    *,
    confidence: float = 0.95,
    draws: int = 4000,
    seed: int = 0,
    mixture_share: float | None = 0.10,
) -> list[SplitResult]:
    """Every LODO split measured in one run.

    For split j the classifier is fitted on the other sets; the spread of Se and Sp its interval
    carries comes from a nested LODO over those other sets only, so set j informs neither the
    classifier nor its interval.
    """
    results = []
    for index, held_out in enumerate(sets):
        others = [s for i, s in enumerate(sets) if i != index]
        model = fit(others)
        transfer, scores = evaluate_transfer(model, held_out)
        spread = population_spread(
            lodo_transfers(others, fit),
            held_out.platform,
            centre=cross_validated_confusion(others, held_out.platform, fit, seed=seed),
        )
        resubstitution = _pooled_confusion(model, others)
        predicted = scores >= model.threshold_
        count = int(predicted.sum())
        options = {"confidence": confidence, "draws": draws, "seed": seed}
        estimate = _estimate(count, held_out.n, resubstitution, spread, **options)  # type: ignore[arg-type]
        in_sample = _estimate(count, held_out.n, resubstitution, None, **options)  # type: ignore[arg-type]
        parts = (
            interval_parts(count, held_out.n, resubstitution, spread=spread, **options)  # type: ignore[arg-type]
            if estimate is not None
            else None
        )
        mixture: ShareEstimate | None = None
        mixed = resample_to_share(held_out, mixture_share, seed=seed) if mixture_share else None
        mixture_n = 0
        if mixed is not None:
            rows, _ = mixed
            mixture_n = len(rows)
            mixture = _estimate(
                int(predicted[rows].sum()), len(rows), resubstitution, spread, **options  # type: ignore[arg-type]
            )
        two_phase = simulate_two_phase(
            predicted, held_out.labels, (TWO_PHASE_LABELS,), repeats=100, draws=1000, seed=seed
        )[0]
        results.append(
            SplitResult(
                transfer=transfer,
                two_phase=two_phase,
                estimate=estimate,
                in_sample=in_sample,
                parts=parts,
                spread=spread,
                mixture=mixture,
                mixture_share=mixture_share if mixed is not None else None,
                mixture_n=mixture_n,
            )
        )
    return results


def _pooled_confusion(model: FakeAccountClassifier, sets: Sequence[LabelledSet]) -> dict[str, int]:
    """Confusion counts of ``model`` on its own training sets (what the old interval used)."""
    total = {"tp": 0, "fn": 0, "tn": 0, "fp": 0}
    for labelled in sets:
        transfer, _ = evaluate_transfer(model, labelled)
        for key in total:
            total[key] += int(getattr(transfer, key))
    return total


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def render_lodo_markdown(results: Sequence[SplitResult], header: str = "") -> str:
    """The LODO table written into BENCHMARKS.md and docs/authenticity.md."""
    lines = [header, ""] if header else []
    lines += [
        "| left out | platform | n | true fake share | ROC AUC | MCC | sensitivity | specificity "
        "| estimate [95% interval] | covers | width | of which sampling / classifier | "
        "in-sample interval covers | at 10% fakes: estimate [interval] | "
        f"two-phase, {TWO_PHASE_LABELS} labels: half-width, coverage |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        t = r.transfer
        estimate = (
            "withheld (Se + Sp ≤ 1)"
            if r.estimate is None
            else f"{_pct(r.estimate.value)} [{_pct(r.estimate.low)}, {_pct(r.estimate.high)}]"
        )
        parts = (
            f"{100 * r.parts['sampling']:.0f} / {100 * r.parts['classifier']:.0f}"
            if r.parts
            else "—"
        )
        in_sample = (
            "—"
            if r.in_sample is None
            else ("yes" if r.in_sample.low <= t.fake_share <= r.in_sample.high else "no")
            + f" ({_pct(r.in_sample.low)}–{_pct(r.in_sample.high)})"
        )
        if r.mixture_share is None:
            mixture = "— (one class)"
        elif r.mixture is None:
            mixture = "withheld"
        else:
            mixture = (
                f"{_pct(r.mixture.value)} [{_pct(r.mixture.low)}, {_pct(r.mixture.high)}], "
                f"n {r.mixture_n}"
            )
        two_phase = (
            "—"
            if r.two_phase is None
            else f"±{100 * r.two_phase['median_half_width']:.1f} pts, "
            f"{100 * r.two_phase['coverage']:.0f}%"
        )
        mcc = "undefined (bots only)" if t.mcc is None else f"{t.mcc:.3f}"
        auc = "—" if t.roc_auc is None else f"{t.roc_auc:.3f}"
        lines.append(
            f"| {t.name} | {t.platform} | {t.n} | {_pct(t.fake_share)} | {auc} | {mcc} | "
            f"{_pct(t.sensitivity)} | {_pct(t.specificity)} | {estimate} | "
            f"{'yes' if r.covers else 'no'} | {100 * r.width:.0f} pts | {parts} | {in_sample} | "
            f"{mixture} | {two_phase} |"
        )
    widths = [r.width for r in results]
    lines += [
        "",
        f"Covered in {sum(r.covers for r in results)} of {len(results)} splits; median width "
        f"{100 * float(np.median(widths)):.0f} points.",
    ]
    return "\n".join(lines) + "\n"
