"""Which engagement rate stands for a creator: the one rule every interface shows, filters and
ranks on (docs/metrics.md "Which ER is shown")."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: The median of the per-post ERs (robust to one viral post), else their mean (a creator whose
#: window has too few posts for a median). Both are scorecard columns.
HEADLINE_ER: tuple[str, str] = ("er_followers_lc_median", "er_followers_lc_mean")


def headline_er(t: ir.Table) -> ir.FloatingColumn:
    """The headline ER of every row of a scorecard-like table, as an expression."""
    median, mean = HEADLINE_ER
    column: ir.FloatingColumn = t[median].fill_null(t[mean])
    return column


def headline_er_value(row: Mapping[str, Any]) -> float | None:
    """The headline ER of one row (a dict of scorecard columns); None when neither is known."""
    for name in HEADLINE_ER:
        value = row.get(name)
        if isinstance(value, int | float) and math.isfinite(value):
            return float(value)
    return None
