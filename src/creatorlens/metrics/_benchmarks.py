"""Tiers, near-size peer groups, percentiles and the published benchmark beside each creator."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from creatorlens.data import load_csv
from creatorlens.metrics._headline import HEADLINE_ER, headline_er

if TYPE_CHECKING:  # the published figures are read without Ibis (the planner's price model)
    import ibis.expr.types as ir

    from creatorlens.tiers import PeerGroups, TierScheme

#: The ER a creator is ranked on: the headline ER (the median, else the mean; metrics._headline).
RANKING_METRIC = HEADLINE_ER[0]


@dataclass(frozen=True)
class PublishedBenchmark:
    source: str
    year: int
    platform: str
    tier: str
    er_low: float  # fraction, not percent
    er_high: float | None
    numerator: str
    denominator: str
    aggregation: str
    reliability: str
    reference: str
    compared_metric: str
    formula_differs: bool
    preferred: bool

    @property
    def label(self) -> str:
        hi = "" if self.er_high in (None, self.er_low) else f"–{self.er_high * 100:.2f}"
        return (
            f"{self.er_low * 100:.2f}{hi}% ({self.numerator}/{self.denominator}, {self.aggregation};"
            f" {self.source} {self.year})"
        )


@cache
def published_benchmarks() -> tuple[PublishedBenchmark, ...]:
    """Every row of data/er_benchmarks.csv (the one parser of that file), ERs as fractions."""
    out = []
    for r in load_csv("er_benchmarks.csv"):
        hi = r["er_high"].strip()
        out.append(
            PublishedBenchmark(
                r["source"], int(r["year"]), r["platform"], r["tier"], float(r["er_low"]) / 100,
                float(hi) / 100 if hi else None, r["numerator"], r["denominator"], r["aggregation"],
                r["reliability"], r["reference"], r["compared_metric"],
                r["formula_differs"] == "true", r["preferred"] == "true",
            )
        )  # fmt: skip
    return tuple(out)


def benchmark_for(platform: str, tier: str | None) -> PublishedBenchmark | None:
    """The preferred published figure for a platform and tier, else for the platform overall."""
    rows = [b for b in published_benchmarks() if b.platform == platform and b.preferred]
    for wanted in (tier, "all"):
        match = [b for b in rows if b.tier == wanted]
        if match:
            return max(match, key=lambda b: (b.reliability == "primary", b.year))
    return None


def benchmark_table(scheme: TierScheme) -> ir.Table:
    """platform × tier -> the published figure as a memtable, for a join."""
    import ibis

    records = []
    for platform in ("instagram", "tiktok", "youtube"):
        for tier in scheme.names:
            b = benchmark_for(platform, tier)
            if b is None:
                continue
            mid = b.er_low if b.er_high is None else (b.er_low + b.er_high) / 2
            records.append(
                {
                    "b_platform": platform,
                    "b_tier": tier,
                    "benchmark_er": mid,
                    "benchmark_source": b.label + ("" if b.tier == tier else " [all tiers]"),
                    "benchmark_metric": b.compared_metric,
                    "benchmark_formula_differs": b.formula_differs or b.tier != tier,
                }
            )
    return ibis.memtable(records)


def with_tiers_and_percentiles(t: ir.Table, scheme: TierScheme, peers: PeerGroups) -> ir.Table:
    import ibis

    t = t.mutate(
        tier=scheme.expr(t.followers),
        tier_scheme=ibis.literal(scheme.name),
        peer_group=peers.expr(t.followers),
    )
    t = t.mutate(coarse_group=(t.peer_group / 4).floor().cast("int64"))
    metric = headline_er(t)
    t = t.mutate(_rank_er=metric)
    # Rankable creators are ranked among themselves by putting the flag in every partition, not
    # by filtering and joining back: a self-join makes the SQL repeat the whole engagement
    # subquery (window over all posts + medians), which doubled the scoring time at 6M posts.
    rankable = t._rank_er.notnull() & t.tier.notnull()
    if "er_rankable" in t.columns:  # too few posts or implausible: shown, never ranked
        rankable = rankable & t.er_rankable.fill_null(False)
    t = t.mutate(_rankable=rankable)
    t = t.mutate(
        _pct_tier=ibis.percent_rank().over(
            group_by=[t._rankable, t.platform, t.tier], order_by=t._rank_er
        ),
        _pct_fine=ibis.percent_rank().over(
            group_by=[t._rankable, t.platform, t.peer_group], order_by=t._rank_er
        ),
        _pct_coarse=ibis.percent_rank().over(
            group_by=[t._rankable, t.platform, t.coarse_group], order_by=t._rank_er
        ),
        _fine_n=t.count().over(group_by=[t._rankable, t.platform, t.peer_group]),
        _coarse_n=t.count().over(group_by=[t._rankable, t.platform, t.coarse_group]),
    )
    no_value = ibis.null("float64")
    t = t.mutate(
        er_percentile_tier=ibis.ifelse(t._rankable, t._pct_tier, no_value),
        er_percentile_peers=ibis.ifelse(
            t._rankable,
            ibis.cases(
                (t._fine_n >= peers.min_group_size, t._pct_fine),
                (t._coarse_n >= peers.min_group_size, t._pct_coarse),
                else_=no_value,
            ),
            no_value,
        ),
    )
    return t.drop(
        "_rank_er", "coarse_group", "_rankable", "_pct_tier", "_pct_fine", "_pct_coarse",
        "_fine_n", "_coarse_n",
    )  # fmt: skip
