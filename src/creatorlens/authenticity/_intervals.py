"""Interval estimates for shares: Wilson score interval and the Rogan-Gladen correction.

Rogan & Gladen (1978): with a classifier of sensitivity Se and specificity Sp, the apparent
share p of positives estimates the true share pi = (p + Sp - 1) / (Se + Sp - 1). The interval
here propagates both the sampling error of p and the uncertainty of Se and Sp (they are themselves
estimated from a finite validation set) by a parametric bootstrap, and is widened to contain the
Wilson interval mapped through the correction, so it is never narrower than sampling error alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit
from scipy.stats import norm

from creatorlens.authenticity._plain import field_dict


@dataclass(frozen=True)
class PopulationSpread:
    """Between-population distribution of a classifier's sensitivity and specificity.

    Logit-scale location and predictive scale with Student-t degrees of freedom, for Se and Sp of
    a population the classifier was not fitted to (from leave-one-dataset-out transfers,
    ``_transfer.population_spread``). ``source`` says how it was computed.
    """

    se_logit_mean: float
    se_logit_sd: float
    se_df: int
    sp_logit_mean: float
    sp_logit_sd: float
    sp_df: int
    source: str = ""
    #: Mean Se + Sp - 1 over the leave-one-dataset-out transfers of this platform; at or below
    #: zero the classifier does not carry over and no corrected share is given.
    transfer_youden: float | None = None

    @property
    def sensitivity(self) -> float:
        return float(expit(self.se_logit_mean))

    @property
    def specificity(self) -> float:
        return float(expit(self.sp_logit_mean))

    def draw(self, rng: np.random.Generator, draws: int) -> tuple[np.ndarray, np.ndarray]:
        se = expit(self.se_logit_mean + self.se_logit_sd * rng.standard_t(self.se_df, draws))
        sp = expit(self.sp_logit_mean + self.sp_logit_sd * rng.standard_t(self.sp_df, draws))
        return np.asarray(se, dtype=np.float64), np.asarray(sp, dtype=np.float64)

    def as_dict(self) -> dict[str, Any]:
        return field_dict(self)

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> PopulationSpread:
        return cls(
            se_logit_mean=float(payload["se_logit_mean"]),
            se_logit_sd=float(payload["se_logit_sd"]),
            se_df=int(payload["se_df"]),
            sp_logit_mean=float(payload["sp_logit_mean"]),
            sp_logit_sd=float(payload["sp_logit_sd"]),
            sp_df=int(payload["sp_df"]),
            source=str(payload.get("source", "")),
            transfer_youden=(
                None if payload.get("transfer_youden") is None else float(payload["transfer_youden"])
            ),
        )


@dataclass(frozen=True)
class ShareEstimate:
    """A share in [0, 1] with its interval and how it was obtained."""

    value: float
    low: float
    high: float
    n: int
    count: int
    confidence: float
    method: str

    def as_dict(self) -> dict[str, Any]:
        return field_dict(self)


def wilson_interval(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; (0, 1) when n == 0."""
    if n <= 0:
        return 0.0, 1.0
    z = float(norm.ppf(0.5 + confidence / 2))
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At k = 0 or k = n the exact bound is 0 or 1; rounding must not push it past p.
    low = 0.0 if count == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if count == n else min(1.0, max(p, centre + half))
    return low, high


def wilson_share(count: int, n: int, confidence: float = 0.95) -> ShareEstimate:
    low, high = wilson_interval(count, n, confidence)
    value = count / n if n else float("nan")
    return ShareEstimate(value, low, high, n, count, confidence, "wilson")


def rogan_gladen(apparent: float, sensitivity: float, specificity: float) -> float:
    """True-share estimate from an apparent share, clipped to [0, 1]."""
    youden = sensitivity + specificity - 1
    if youden <= 0:
        raise ValueError("classifier no better than chance (sensitivity + specificity <= 1)")
    return float(np.clip((apparent + specificity - 1) / youden, 0.0, 1.0))


def corrected_share(
    count: int,
    n: int,
    confusion: dict[str, int],
    *,
    confidence: float = 0.95,
    draws: int = 4000,
    seed: int = 0,
    spread: PopulationSpread | None = None,
) -> ShareEstimate:
    """Rogan-Gladen-corrected share of true positives among ``n`` classified items.

    ``count`` items were classified positive; ``confusion`` (tp, fn, tn, fp) is the classifier's
    validation confusion matrix. Jeffreys Beta(x + 1/2, n - x + 1/2) draws stand in for the sampling
    distributions of the apparent share, Se and Sp.

    With ``spread`` (the between-population distribution of Se and Sp, from leave-one-dataset-out
    transfers), Se and Sp are drawn from it instead and its centre is the point: the interval then
    holds for a population the classifier was not fitted to, not only for one like its training
    sets. ``interval_parts`` says how much of the width comes from where.
    """
    if n <= 0:
        return ShareEstimate(float("nan"), 0.0, 1.0, 0, 0, confidence, "rogan-gladen (no sample)")
    if spread is not None and spread.transfer_youden is not None and spread.transfer_youden <= 0:
        raise ValueError(
            "classifier no better than chance across its leave-one-dataset-out transfers "
            f"(mean sensitivity + specificity - 1 = {spread.transfer_youden:.2f})"
        )
    rng = np.random.default_rng(seed)
    sensitivity, specificity, se, sp = _se_sp(confusion, spread, rng, draws)
    point = rogan_gladen(count / n, sensitivity, specificity)
    apparent = rng.beta(count + 0.5, n - count + 0.5, draws)
    low, high = _corrected_quantiles(apparent, se, sp, confidence)

    wilson_low, wilson_high = wilson_interval(count, n, confidence)
    low = min(low, rogan_gladen(wilson_low, sensitivity, specificity), point)
    high = max(high, rogan_gladen(wilson_high, sensitivity, specificity), point)
    method = (
        "rogan-gladen + between-population Se/Sp (LODO transfers) + sample + wilson"
        if spread is not None
        else "rogan-gladen + parametric bootstrap (Se, Sp, sample) + wilson"
    )
    return ShareEstimate(point, low, high, n, count, confidence, method)


def _se_sp(
    confusion: dict[str, int],
    spread: PopulationSpread | None,
    rng: np.random.Generator,
    draws: int,
) -> tuple[float, float, np.ndarray, np.ndarray]:
    if spread is not None:
        se, sp = spread.draw(rng, draws)
        return spread.sensitivity, spread.specificity, se, sp
    tp, fn, tn, fp = (int(confusion[k]) for k in ("tp", "fn", "tn", "fp"))
    se = rng.beta(tp + 0.5, fn + 0.5, draws)
    sp = rng.beta(tn + 0.5, fp + 0.5, draws)
    return tp / (tp + fn), tn / (tn + fp), se, sp


def _corrected_quantiles(
    apparent: np.ndarray, se: np.ndarray, sp: np.ndarray, confidence: float
) -> tuple[float, float]:
    youden = se + sp - 1
    valid = youden > 0
    if not valid.any():
        return 0.0, 1.0
    # A draw where the classifier is no better than chance says nothing about the share: it
    # counts as the whole range (half low, half high), so such draws widen the interval.
    corrected = np.clip((apparent[valid] + sp[valid] - 1) / youden[valid], 0.0, 1.0)
    invalid = int((~valid).sum())
    corrected = np.concatenate([corrected, np.zeros(invalid - invalid // 2), np.ones(invalid // 2)])
    tail = (1 - confidence) / 2
    low, high = (float(q) for q in np.quantile(corrected, [tail, 1 - tail]))
    return low, high


def interval_parts(
    count: int,
    n: int,
    confusion: dict[str, int],
    *,
    confidence: float = 0.95,
    draws: int = 4000,
    seed: int = 0,
    spread: PopulationSpread | None = None,
) -> dict[str, float]:
    """Width of the corrected-share interval, and the widths from each source alone.

    ``sampling``: the apparent share's sampling error with Se and Sp fixed at their point values;
    ``classifier``: Se and Sp uncertain (between populations when ``spread`` is given, else their
    validation counts) with the apparent share fixed; ``total``: both (``corrected_share``). The
    parts do not add up (widths combine roughly in quadrature).
    """
    total = corrected_share(
        count, n, confusion, confidence=confidence, draws=draws, seed=seed, spread=spread
    )
    rng = np.random.default_rng(seed)
    sensitivity, specificity, se, sp = _se_sp(confusion, spread, rng, draws)
    apparent = rng.beta(count + 0.5, n - count + 0.5, draws)
    fixed_se, fixed_sp = np.full(draws, sensitivity), np.full(draws, specificity)
    s_low, s_high = _corrected_quantiles(apparent, fixed_se, fixed_sp, confidence)
    c_low, c_high = _corrected_quantiles(np.full(draws, count / n), se, sp, confidence)
    return {
        "total": total.high - total.low,
        "sampling": s_high - s_low,
        "classifier": c_high - c_low,
    }
