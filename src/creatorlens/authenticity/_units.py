"""Units of the scorecard columns this package reads (issue 18: the percentile defect).

``scorecard.er_percentile_peers`` and ``er_percentile_tier`` are written by the metrics step as
ibis ``percent_rank()`` values, a fraction in [0, 1]. The audience-quality code once divided them by
100 a second time, so every creator sat "at the 1st percentile" (fake share ~0.56 for all).

The unit is read from the one declaration of every result column (``store/_schema.py``,
``unit_of``): "percentile" is a fraction in [0, 1], "percentile100" a rank in [0, 100].
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from creatorlens.store import unit_of

Unit = Literal["fraction", "percent"]


def _unit(column: str) -> Unit:
    declared = unit_of("scorecard", column)
    if declared == "percentile":
        return "fraction"
    if declared == "percentile100":
        return "percent"
    raise ValueError(f"scorecard.{column} declares unit {declared!r}, not a percentile")


#: The unit each scorecard column this package reads is stored in, from the declaration.
SCORECARD_UNITS: dict[str, Unit] = {
    column: _unit(column) for column in ("er_percentile_peers", "er_percentile_tier")
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
