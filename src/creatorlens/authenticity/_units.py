"""Units of the scorecard columns this package reads (issue 18: the percentile defect).

``scorecard.er_percentile_peers`` and ``er_percentile_tier`` are written by the metrics step as
ibis ``percent_rank()`` values, a fraction in [0, 1]. The audience-quality code once divided them by
100 a second time, so every creator sat "at the 1st percentile" (fake share ~0.56 for all).

Stand-in until ``store/_schema.py`` declares a unit per column (issue 18, section 1, helper
"validity"): when it does, ``SCORECARD_UNITS`` should be read from that declaration instead.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

Unit = Literal["fraction", "percent"]

#: The unit each scorecard column this package reads is stored in.
SCORECARD_UNITS: dict[str, Unit] = {
    "er_percentile_peers": "fraction",
    "er_percentile_tier": "fraction",
}


def as_fraction(value: float | None, column: str) -> float | None:
    """``value`` of scorecard ``column`` as a fraction in [0, 1] (``None`` when unknown)."""
    if value is None or not math.isfinite(value):
        return None
    unit = SCORECARD_UNITS[column]
    fraction = value / 100.0 if unit == "percent" else float(value)
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"scorecard.{column} = {value!r} is outside its unit ({unit})")
    return fraction


def fraction_series(values: pd.Series, column: str) -> pd.Series:
    """A scorecard column as fractions in [0, 1] (NaN where unknown), checked against its unit."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if SCORECARD_UNITS[column] == "percent":
        numbers = numbers / 100.0
    outside = numbers.notna() & ((numbers < 0.0) | (numbers > 1.0))
    if outside.any():
        raise ValueError(
            f"scorecard.{column} has values outside its unit ({SCORECARD_UNITS[column]}): "
            f"{numbers[outside].head(3).tolist()}"
        )
    return numbers
