"""What a creator's view shows and under which name: the headline ER, the capability columns
beside the scorecard, and each column's human label (English and Korean, ``data/i18n``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creatorlens.presentation._i18n import column_label

#: Columns of other capabilities shown beside the scorecard when they have a value: every one a
#: column of the creator view (content_scores, transparency_scores, authenticity_scores).
CAPABILITY_METRICS: tuple[str, ...] = (
    "main_niche",
    "niche_share",
    "focus",
    "expertise",
    "closeness",
    "homogeneity_overall",
    "transparency_us",
    "transparency_kr",
    "transparency_uk",
    "audience_quality",
    "audience_quality_low",
    "audience_quality_high",
    "fake_share",
    "flags",
)


def capabilities(row: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(column, value) of the capability columns this creator has a value for, in order."""
    return [(k, row[k]) for k in CAPABILITY_METRICS if row.get(k) is not None]


def shown_er(row: Mapping[str, Any]) -> float | None:
    """The ER that stands for a creator (the median, else the mean: metrics.HEADLINE_ER)."""
    from creatorlens.metrics._headline import headline_er_value

    return headline_er_value(row)


__all__ = ["CAPABILITY_METRICS", "capabilities", "column_label", "shown_er"]
