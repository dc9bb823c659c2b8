"""Interval estimates for shares: Wilson score interval and the Rogan-Gladen correction.

Rogan & Gladen (1978): with a classifier of sensitivity Se and specificity Sp, the apparent
share p of positives estimates the true share pi = (p + Sp - 1) / (Se + Sp - 1). The interval
here propagates both the sampling error of p and the uncertainty of Se and Sp (they are themselves
estimated from a finite validation set) by a parametric bootstrap, and is widened to contain the
Wilson interval mapped through the correction, so it is never narrower than sampling error alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from scipy.stats import norm


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
        # Flat fields only: a shallow copy (dataclasses.asdict deep-copies, which dominated
        # scoring time over 20K creators).
        return {f.name: getattr(self, f.name) for f in fields(self)}


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
) -> ShareEstimate:
    """Rogan-Gladen-corrected share of true positives among ``n`` classified items.

    ``count`` items were classified positive; ``confusion`` (tp, fn, tn, fp) is the classifier's
    validation confusion matrix. Jeffreys Beta(x + 1/2, n - x + 1/2) draws stand in for the sampling
    distributions of the apparent share, Se and Sp.
    """
    if n <= 0:
        return ShareEstimate(float("nan"), 0.0, 1.0, 0, 0, confidence, "rogan-gladen (no sample)")
    tp, fn, tn, fp = (int(confusion[k]) for k in ("tp", "fn", "tn", "fp"))
    sensitivity = tp / (tp + fn)
    specificity = tn / (tn + fp)
    point = rogan_gladen(count / n, sensitivity, specificity)

    rng = np.random.default_rng(seed)
    apparent = rng.beta(count + 0.5, n - count + 0.5, draws)
    se = rng.beta(tp + 0.5, fn + 0.5, draws)
    sp = rng.beta(tn + 0.5, fp + 0.5, draws)
    youden = se + sp - 1
    valid = youden > 0
    corrected = np.clip((apparent[valid] + sp[valid] - 1) / youden[valid], 0.0, 1.0)
    tail = (1 - confidence) / 2
    low, high = (float(q) for q in np.quantile(corrected, [tail, 1 - tail]))

    wilson_low, wilson_high = wilson_interval(count, n, confidence)
    low = min(low, rogan_gladen(wilson_low, sensitivity, specificity), point)
    high = max(high, rogan_gladen(wilson_high, sensitivity, specificity), point)
    return ShareEstimate(
        point,
        low,
        high,
        n,
        count,
        confidence,
        "rogan-gladen + parametric bootstrap (Se, Sp, sample) + wilson",
    )
