"""A figure is a range (low / mid / high) with the source behind each end: no bare numbers."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from creatorlens.planner._money import format_range


class Figure(BaseModel):
    """A money or outcome figure as a range; each end names where it comes from."""

    model_config = ConfigDict(frozen=True)

    low: float
    mid: float
    high: float
    unit: str
    low_source: str
    mid_source: str
    high_source: str
    #: the probability that low..high holds the value, where the range is an interval (plan
    #: totals, docs/planner.md "Totals"); None for a range of estimates or sources
    confidence: float | None = None

    @classmethod
    def from_one_source(cls, low: float, mid: float, high: float, unit: str, source: str) -> Figure:
        """A range whose three ends rest on the same source."""
        return cls(low=low, mid=mid, high=high, unit=unit,
                   low_source=source, mid_source=source, high_source=source)  # fmt: skip

    def text(self, digits: int | None = None) -> str:
        """``low – high (mid m) unit``, each value formatted from the unit (``digits`` is
        accepted for older callers and ignored: money uses its currency's minor units)."""
        return format_range(self.low, self.mid, self.high, self.unit)


def sum_figures(figures: list[Figure], unit: str, what: str) -> Figure:
    """Sum of ranges, adding lows to lows and highs to highs (errors taken as moving together)."""
    low = sum(f.low for f in figures)
    mid = sum(f.mid for f in figures)
    high = sum(f.high for f in figures)
    note = f"sum over {len(figures)} {what} (lows with lows, highs with highs)"
    return Figure(
        low=low, mid=mid, high=high, unit=unit, low_source=note, mid_source=note, high_source=note
    )


def ratio_figure(numerator: Figure, denominator: Figure, unit: str, scale: float = 1.0) -> Figure:
    """numerator / denominator as a range: low = low / high, high = high / low."""

    def div(a: float, b: float) -> float:
        return scale * a / b if b > 0 else math.inf

    source = f"{numerator.unit} range / {denominator.unit} range"
    return Figure(
        low=div(numerator.low, denominator.high),
        mid=div(numerator.mid, denominator.mid),
        high=div(numerator.high, denominator.low),
        unit=unit,
        low_source=f"low {source}",
        mid_source=f"mid {source}",
        high_source=f"high {source}",
    )
