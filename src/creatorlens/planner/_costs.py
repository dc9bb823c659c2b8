"""Price per deliverable as a range, from published rate cards and CPMs (package data with sources).

For one creator every rate-card source gives one estimate (its tier row that contains the follower
count, interpolated log-linearly between the row's low and high price across the row's follower
range; linear in followers outside it or above an open-ended row), and every CPM source gives two
(its low and its high CPM x the creator's expected views). low / high = the smallest / largest
estimate, mid = their median; each end names the estimate it came from. Multipliers (video,
carousel, story, usage rights, exclusivity, rush) scale low by their low and high by their high.
A user's quote replaces the estimate. Formulae: docs/planner.md "Cost".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from creatorlens.data import load_csv
from creatorlens.errors import CostError as CostError

DEFAULT_DELIVERABLE = {"instagram": "post", "tiktok": "video", "youtube": "video"}
OPTIONS = ("usage_rights", "exclusivity", "rush")


@dataclass(frozen=True)
class RateRow:
    source: str
    year: str
    platform: str
    format: str
    tier: str
    min_followers: float
    max_followers: float | None
    low: float
    high: float | None
    reliability: str

    @property
    def label(self) -> str:
        return f"{self.source} {self.year} rate card ({self.reliability})"


@dataclass(frozen=True)
class CpmRow:
    platform: str
    low: float
    high: float
    source: str
    reliability: str


@dataclass(frozen=True)
class Multiplier:
    option: str
    low: float
    high: float
    source: str


@cache
def rate_cards() -> tuple[RateRow, ...]:
    rows = []
    for r in load_csv("costs/rate_cards.csv"):
        rows.append(
            RateRow(
                source=r["source"],
                year=r["year"],
                platform=r["platform"],
                format=r["format"],
                tier=r["tier"],
                min_followers=float(r["tier_min_followers"]),
                max_followers=float(r["tier_max_followers"]) if r["tier_max_followers"] else None,
                low=float(r["low_usd"]),
                high=float(r["high_usd"]) if r["high_usd"] else None,
                reliability=r["reliability"],
            )
        )
    return tuple(rows)


@cache
def cpm_rows() -> tuple[CpmRow, ...]:
    return tuple(
        CpmRow(r["platform"], float(r["low"]), float(r["high"]), r["source"], r["reliability"])
        for r in load_csv("costs/cpm.csv")
        if r["kind"] == "cpm"
    )


@cache
def value_per_engagement() -> dict[str, tuple[float, str]]:
    return {
        r["platform"]: (float(r["low"]), f"{r['source']} ({r['reliability']})")
        for r in load_csv("costs/cpm.csv")
        if r["kind"] == "value_per_engagement"
    }


@cache
def multipliers() -> dict[str, Multiplier]:
    return {
        r["option"]: Multiplier(r["option"], float(r["low"]), float(r["high"]), r["source"])
        for r in load_csv("costs/multipliers.csv")
    }


@cache
def deliverables() -> dict[tuple[str, str], tuple[str, str]]:
    """(platform, deliverable) -> (rate-card base format or "", multiplier option or "")."""
    return {
        (r["platform"], r["deliverable"]): (r["base_format"], r["multiplier"])
        for r in load_csv("costs/formats.csv")
    }


@cache
def view_rate_priors() -> dict[str, tuple[float, float, float, str]]:
    return {
        r["platform"]: (
            float(r["low"]),
            float(r["mid"]),
            float(r["high"]),
            f"{r['source']} ({r['reliability']})",
        )
        for r in load_csv("costs/view_rates.csv")
    }


def _rate_card_estimate(rows: Sequence[RateRow], followers: np.ndarray) -> np.ndarray:
    """One source's price for each follower count (rows = that source's rows for one format)."""
    ordered = sorted(rows, key=lambda r: r.min_followers)
    price = np.full(followers.shape, np.nan)
    for idx, row in enumerate(ordered):
        lower_edge = -np.inf if idx == 0 else row.min_followers
        upper_edge = np.inf if row.max_followers is None else row.max_followers
        if idx == len(ordered) - 1:
            upper_edge = np.inf
        inside = (followers >= lower_edge) & (followers < upper_edge)
        f = followers[inside]
        if row.high is None or row.max_followers is None:
            est = row.low * f / row.min_followers
        else:
            span = np.log(row.max_followers / row.min_followers)
            pos = np.log(np.maximum(f, 1.0) / row.min_followers) / span
            interpolated = row.low * (row.high / row.low) ** np.clip(pos, 0.0, 1.0)
            est = np.where(
                f < row.min_followers,
                row.low * f / row.min_followers,
                np.where(f >= row.max_followers, row.high * f / row.max_followers, interpolated),
            )
        price[inside] = est
    return price


def _platform_estimates(
    platform: str, base_format: str, followers: np.ndarray, views: np.ndarray
) -> tuple[list[np.ndarray], list[str]]:
    """Every price estimate for one platform's creators: one per rate-card source, two per CPM."""
    estimates: list[np.ndarray] = []
    labels: list[str] = []
    if base_format:
        by_source: dict[str, list[RateRow]] = {}
        for row in rate_cards():
            if row.platform == platform and row.format == base_format:
                by_source.setdefault(row.label, []).append(row)
        for label, rows in by_source.items():
            estimates.append(_rate_card_estimate(rows, followers))
            labels.append(label)
    for cpm in cpm_rows():
        if cpm.platform != platform:
            continue
        for bound, value in (("low", cpm.low), ("high", cpm.high)):
            estimates.append(views * value / 1000.0)
            labels.append(f"{cpm.source} CPM {bound} {value:g} USD x expected views ({cpm.reliability})")
    return estimates, labels


def _multiplier_range(
    factors: Sequence[str], options: Sequence[str], mults: Mapping[str, Multiplier]
) -> tuple[float, float, str]:
    """Low and high product of the deliverable's and the options' price multipliers, labelled."""
    m_lo, m_hi = 1.0, 1.0
    suffix = ""
    for name in [*factors, *options]:
        factor = mults[name]
        m_lo *= factor.low
        m_hi *= factor.high
        suffix += f"; x {name} {factor.low:g}-{factor.high:g} ({factor.source})"
    return m_lo, m_hi, suffix


def price_deliverables(
    candidates: pd.DataFrame,
    *,
    deliverable: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    quotes: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Price one deliverable for each candidate.

    ``candidates`` needs creator_id, platform, followers and expected_views (views per post, mid).
    ``deliverable`` maps platform -> deliverable (default DEFAULT_DELIVERABLE). Returns cost_low,
    cost_mid, cost_high and cost_low_source / cost_mid_source / cost_high_source, index aligned.
    """
    chosen = {**DEFAULT_DELIVERABLE, **dict(deliverable or {})}
    for option in options:
        if option not in OPTIONS:
            raise CostError(f"unknown option {option!r}: use {', '.join(OPTIONS)}")
    n = len(candidates)
    low = np.full(n, np.nan)
    mid = np.full(n, np.nan)
    high = np.full(n, np.nan)
    low_src = np.full(n, "", dtype=object)
    mid_src = np.full(n, "", dtype=object)
    high_src = np.full(n, "", dtype=object)
    platforms = candidates["platform"].astype(str).to_numpy()
    followers = candidates["followers"].to_numpy(dtype=float)
    views = candidates["expected_views"].to_numpy(dtype=float)
    table = deliverables()
    mults = multipliers()
    for platform in np.unique(platforms):
        where = np.flatnonzero(platforms == platform)
        kind = chosen.get(str(platform))
        if kind is None or (str(platform), kind) not in table:
            known = sorted(d for p, d in table if p == platform)
            raise CostError(
                f"no price for {platform} {kind!r}: deliverables are {', '.join(known) or 'none'}"
            )
        base_format, extra = table[(str(platform), kind)]
        estimates, labels = _platform_estimates(
            str(platform), base_format, followers[where], views[where]
        )
        if not estimates:
            raise CostError(f"no rate card or CPM for {platform}")
        matrix = np.vstack(estimates)
        label_arr = np.array(labels, dtype=object)
        matrix = np.where(np.isfinite(matrix), matrix, np.nan)
        filled = np.where(np.isnan(matrix), np.inf, matrix)
        lo_idx = np.argmin(filled, axis=0)
        hi_idx = np.argmax(np.where(np.isnan(matrix), -np.inf, matrix), axis=0)
        order = np.argsort(filled, axis=0)
        counts = np.isfinite(filled).sum(axis=0)
        med_idx = order[np.maximum(counts - 1, 0) // 2, np.arange(len(where))]
        cols = np.arange(len(where))
        m_lo, m_hi, suffix = _multiplier_range([extra] if extra else [], options, mults)
        m_mid = float(np.sqrt(m_lo * m_hi))
        low[where] = matrix[lo_idx, cols] * m_lo
        mid[where] = matrix[med_idx, cols] * m_mid
        high[where] = matrix[hi_idx, cols] * m_hi
        low_src[where] = label_arr[lo_idx] + suffix
        mid_src[where] = "median of estimates: " + label_arr[med_idx] + suffix
        high_src[where] = label_arr[hi_idx] + suffix
    result = pd.DataFrame(
        {
            "cost_low": low,
            "cost_mid": mid,
            "cost_high": high,
            "cost_low_source": low_src,
            "cost_mid_source": mid_src,
            "cost_high_source": high_src,
        },
        index=candidates.index,
    )
    if quotes:
        ids = candidates["creator_id"].astype(str)
        handles = candidates.get("handle", ids).astype(str).str.lower()
        for key, price in quotes.items():
            if price <= 0:
                raise CostError(f"quote for {key!r} must be positive, got {price}")
            hit = (ids == key) | (handles == key.lower().lstrip("@"))
            result.loc[hit, ["cost_low", "cost_mid", "cost_high"]] = float(price)
            result.loc[hit, ["cost_low_source", "cost_mid_source", "cost_high_source"]] = "user quote"
    return result


def cost_quantile(
    low: np.ndarray | pd.Series,
    mid: np.ndarray | pd.Series,
    high: np.ndarray | pd.Series,
    q: float | np.ndarray,
) -> np.ndarray:
    """The ``q`` quantile of a triangular distribution over (low, mode = mid, high), elementwise
    (``q`` a number or an array that broadcasts against the ranges, e.g. draws x 1).

    Prices are published as ranges; the triangle is the least-information reading of a range with
    a most-likely value (docs/planner.md "Budget"). A degenerate range (low == high) is that price.
    """
    a = np.asarray(low, dtype=float)
    c = np.clip(np.asarray(mid, dtype=float), a, None)
    b = np.maximum(np.asarray(high, dtype=float), c)
    span = b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        split = np.where(span > 0, (c - a) / span, 1.0)
        left = a + np.sqrt(q * span * (c - a))
        right = b - np.sqrt((1.0 - q) * span * (b - c))
    out: np.ndarray = np.where(span > 0, np.where(q < split, left, right), a)
    return out
