"""Seeded simulator of follower snapshots and posts with injected events (test fixture).

Organic growth: a per-creator daily rate with a slow drift, a weekend lift (weekly seasonality) and
multiplicative noise. Injected events, each recorded in ``truth``:
  bought   — a jump of 3-30% of followers over 1-2 days, engagement unchanged;
  viral    — a post with 5-20x the usual engagement and views, then a 3-20% gain over 1-4 days;
  promoted — a post with paid reach (likes_total twice likes) and a 3-15% gain;
  purge    — a drop of 3-10% in one day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd


@dataclass
class Simulation:
    snapshots: pd.DataFrame
    posts: pd.DataFrame
    truth: pd.DataFrame


def simulate_workspace(
    n_creators: int = 120, days: int = 180, *, snapshot_every: int = 1, seed: int = 0
) -> Simulation:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    snapshot_rows, post_rows, truth_rows = [], [], []
    kinds = ["bought", "viral", "promoted", "purge", "none"]
    for index in range(n_creators):
        creator = f"instagram:sim{index:04d}"
        followers = float(np.exp(rng.uniform(np.log(2_000), np.log(2_000_000))))
        rate = rng.uniform(0.0002, 0.004)
        er = rng.uniform(0.01, 0.06)
        event_kind = kinds[index % len(kinds)]
        event_day = int(rng.integers(40, days - 30))
        gains = np.zeros(days)
        post_days = set(range(int(rng.integers(0, 3)), days, int(rng.integers(1, 4))))
        special_post: dict[int, tuple[float, bool]] = {}
        if event_kind == "bought":
            span = int(rng.integers(1, 3))
            gains[event_day : event_day + span] += followers * rng.uniform(0.03, 0.30) / span
        elif event_kind in {"viral", "promoted"}:
            span = int(rng.integers(1, 5))
            share = rng.uniform(0.03, 0.20 if event_kind == "viral" else 0.15)
            weights = 0.5 ** np.arange(span)
            gains[event_day : event_day + span] += followers * share * weights / weights.sum()
            post_days.add(event_day)
            special_post[event_day] = (rng.uniform(5, 20), event_kind == "promoted")
        elif event_kind == "purge":
            gains[event_day] -= followers * rng.uniform(0.03, 0.10)
        if event_kind != "none":
            truth_rows.append(
                {
                    "creator_id": creator,
                    "kind": event_kind,
                    "observed_at": start + pd.Timedelta(days=event_day),
                }
            )

        counts = np.zeros(days)
        drift = 0.0
        for day in range(days):
            date = start + pd.Timedelta(days=day)
            weekend = 1.5 if date.day_of_week >= 5 else 1.0
            drift += rng.normal(0, rate * 0.01)
            organic = followers * max(rate + drift, 0.0) * weekend * (1 + 0.3 * rng.normal())
            followers = max(followers + organic + gains[day], 10.0)
            counts[day] = followers
            if day in post_days:
                boost, promoted = special_post.get(day, (1.0, False))
                likes = followers * er * rng.lognormal(0, 0.3) * (1.0 if promoted else boost)
                likes_total = likes * (1 + boost) if promoted else np.nan
                post_rows.append(
                    {
                        "creator_id": creator,
                        "post_id": f"{creator}:{day}",
                        "posted_at": date + pd.Timedelta(hours=12),
                        "likes": round(likes),
                        "comments": round(likes * 0.03 * rng.lognormal(0, 0.3)),
                        "views": round(likes * 12 * rng.lognormal(0, 0.3)),
                        "likes_total": likes_total,
                        "is_paid": bool(promoted),
                    }
                )
        for day in range(0, days, snapshot_every):
            snapshot_rows.append(
                {
                    "creator_id": creator,
                    "observed_at": start + pd.Timedelta(days=day, hours=23),
                    "followers": round(counts[day]),
                }
            )
    return Simulation(
        pd.DataFrame(snapshot_rows), pd.DataFrame(post_rows), pd.DataFrame(truth_rows)
    )


def match_events(found: pd.DataFrame, truth: pd.DataFrame, tolerance_days: int) -> pd.DataFrame:
    """Truth events with the kind of the detected event nearest in time (None if none within)."""
    out = truth.copy()
    detected_kind: list[str | None] = []
    for row in truth.itertuples():
        candidates = found[found["creator_id"] == row.creator_id]
        if candidates.empty:
            detected_kind.append(None)
            continue
        gap = (candidates["observed_at"] - cast(pd.Timestamp, row.observed_at)).abs()
        nearest = gap.idxmin()
        detected_kind.append(
            cast(str, candidates.at[nearest, "kind"])
            if gap.min() <= pd.Timedelta(days=tolerance_days)  # the gap at `nearest`
            else None
        )
    out["detected"] = detected_kind
    return out
