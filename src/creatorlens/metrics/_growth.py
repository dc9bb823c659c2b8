"""Follower growth from snapshots, as Ibis expressions.

``follower_growth_30d`` = (followers at the latest snapshot − followers at the earliest snapshot
within ``window_days`` before it) / days between them × 30. ``follower_growth_30d_pct`` divides
that by the earlier count. Needs two snapshots at least one day apart, else null.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

GROWTH_WINDOW_DAYS = 90


def follower_growth(snapshots: ir.Table, window_days: int = GROWTH_WINDOW_DAYS) -> ir.Table:
    s = snapshots.filter(snapshots.followers.notnull() & snapshots.observed_at.notnull())
    latest = s.group_by("creator_id").aggregate(last_at=s.observed_at.max())
    j = s.inner_join(latest, "creator_id")
    j = j.filter(j.observed_at >= j.last_at - ibis.interval(days=window_days))
    first_at = j.observed_at.min().over(group_by=j.creator_id)
    j = j.mutate(first_at=first_at)
    ends = j.group_by("creator_id").aggregate(
        first_at=j.first_at.max(),
        last_at=j.last_at.max(),
        f_first=j.followers.argmin(j.observed_at),
        f_last=j.followers.argmax(j.observed_at),
        n_snapshots=j.count(),
    )
    days = (ends.last_at.epoch_seconds() - ends.first_at.epoch_seconds()) / 86400.0
    growth = ibis.ifelse(days >= 1, (ends.f_last - ends.f_first) / days * 30.0, ibis.null("float64"))
    return ends.select(
        "creator_id",
        "n_snapshots",
        follower_growth_30d=growth,
        follower_growth_30d_pct=ibis.ifelse(
            ends.f_first > 0, growth / ends.f_first.cast("float64"), ibis.null("float64")
        ),
    )
