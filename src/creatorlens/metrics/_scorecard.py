"""Compose the scorecard: one row per creator, from the workspace tables, as one Ibis expression."""

from __future__ import annotations

from datetime import UTC, datetime

import ibis
import ibis.expr.types as ir

from creatorlens.metrics._benchmarks import benchmark_table, with_tiers_and_percentiles
from creatorlens.metrics._engagement import (
    METRIC_SPEC_VERSION,
    EngagementRules,
    Window,
    creator_engagement,
)
from creatorlens.metrics._growth import follower_growth
from creatorlens.store import SCORECARD
from creatorlens.tiers import PeerGroups, TierScheme

#: Creator columns the scorecard shows but no metric reads.
_DESCRIPTIVE = ("handle", "display_name", "bio", "country", "language", "categories")


def scorecard_expr(
    creators: ir.Table,
    posts: ir.Table,
    snapshots: ir.Table,
    *,
    scheme: TierScheme,
    window: Window,
    peers: PeerGroups | None = None,
    scored_at: datetime | None = None,
    rules: EngagementRules | None = None,
) -> ir.Table:
    peers = peers or PeerGroups.load()
    # The metrics and their percentile windows run on the few columns they need; the descriptive
    # columns (bio, display name, ...) join back at the end, so the sorts carry no long strings.
    measured = creators.select(
        "creator_id", "platform", "followers", *[c for c in creators.columns if c.endswith("_reported")]
    )
    described = creators.select(
        "creator_id", *[c for c in _DESCRIPTIVE if c in creators.columns]
    ).rename(_described_id="creator_id")
    t = creator_engagement(measured, posts, window, rules)
    growth = follower_growth(snapshots)
    t = t.left_join(growth, t.creator_id == growth.creator_id).drop("creator_id_right")
    t = with_tiers_and_percentiles(t, scheme, peers)
    bench = benchmark_table(scheme)
    t = t.left_join(bench, (t.platform == bench.b_platform) & (t.tier == bench.b_tier))
    t = t.inner_join(described, t.creator_id == described._described_id)
    t = t.mutate(
        benchmark_formula_differs=t.benchmark_formula_differs,
        metric_spec_version=ibis.literal(METRIC_SPEC_VERSION),
        scored_at=ibis.literal(scored_at or datetime.now(UTC).replace(tzinfo=None)).cast("timestamp"),
    )
    types = SCORECARD.arrow_schema()
    return t.select(
        *[t[c].cast(_ibis_type(types.field(c).type)).name(c) for c in SCORECARD.columns]
    )


def _ibis_type(arrow_type: object) -> str:
    text = str(arrow_type)
    return {
        "string": "string",
        "int64": "int64",
        "double": "float64",
        "bool": "boolean",
        "timestamp[us]": "timestamp",
    }[text]
