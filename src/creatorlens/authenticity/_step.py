"""Store step: write ``authenticity_scores`` and ``growth_anomalies`` (Workspace.score)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa

from creatorlens.authenticity._anomalies import (
    ENGAGEMENT_COLUMNS,
    GROWTH_COLUMNS,
    comment_pod_signals,
    detect_engagement_anomalies,
    detect_growth_anomalies,
)
from creatorlens.authenticity._audience_quality import audit_follower_sample, creator_components
from creatorlens.authenticity._report import (
    SCORE_COLUMNS,
    AuthenticityReport,
    build_report,
    creator_signals,
    records_by_creator,
    score_row_from_records,
)
from creatorlens.store import Store

_SCORECARD_COLUMNS = (
    "creator_id",
    "platform",
    "handle",
    "tier",
    "followers",
    "n_posts",
    "er_percentile_peers",
    "comments_per_100_likes",
    "avg_likes",
    "avg_comments",
    "avg_views",
)
_POST_COLUMNS = (
    "post_id",
    "creator_id",
    "posted_at",
    "likes",
    "comments",
    "views",
    "likes_total",
    "comments_total",
    "is_paid",
)

SCORES_SCHEMA = pa.schema(
    [
        ("creator_id", pa.string()),
        ("audience_quality", pa.float64()),
        ("audience_quality_low", pa.float64()),
        ("audience_quality_high", pa.float64()),
        ("basis", pa.string()),
        ("fake_share", pa.float64()),
        ("fake_share_low", pa.float64()),
        ("fake_share_high", pa.float64()),
        ("flags", pa.string()),
        ("evidence", pa.string()),
    ]
)
ANOMALIES_SCHEMA = pa.schema(
    [
        ("creator_id", pa.string()),
        ("observed_at", pa.timestamp("us")),
        ("start_at", pa.timestamp("us")),
        ("kind", pa.string()),
        ("magnitude", pa.float64()),
        ("z", pa.float64()),
        ("explanation", pa.string()),
    ]
)


def _frame(
    store: Store, name: str, columns: tuple[str, ...], creator_id: str | None = None
) -> pd.DataFrame:
    if not store.has_table(name):
        return pd.DataFrame(columns=list(columns))
    table = store.table(name)
    keep = [c for c in columns if c in table.columns]
    if creator_id is not None:
        if "creator_id" in table.columns:
            table = table.filter(table.creator_id == creator_id)
        elif "post_id" in table.columns and store.has_table("posts"):
            posts = store.table("posts")
            table = table.semi_join(posts.filter(posts.creator_id == creator_id), "post_id")
    frame: pd.DataFrame = table.select(*keep).to_pandas()
    return frame


def load_inputs(store: Store, creator_id: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables the authenticity step reads (optionally one creator's rows only, filtered in
    the engine: a one-creator audit must not read every post and comment of the workspace)."""
    source = "scorecard" if store.has_table("scorecard") else "creators"
    return {
        "creators": _frame(store, source, _SCORECARD_COLUMNS, creator_id),
        "snapshots": _frame(
            store, "follower_snapshots", ("creator_id", "observed_at", "followers"), creator_id
        ),
        "posts": _frame(store, "posts", _POST_COLUMNS, creator_id),
        "comments": _frame(store, "comments", ("post_id", "author", "text", "created_at"), creator_id),
    }


def assess(
    inputs: dict[str, pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Growth anomalies, engagement anomalies, score rows and pod signals for the given tables."""
    creators, snapshots, posts = inputs["creators"], inputs["snapshots"], inputs["posts"]
    growth = detect_growth_anomalies(snapshots, posts)
    pods = (
        comment_pod_signals(inputs["comments"], posts)
        if len(inputs["comments"])
        else pd.DataFrame(columns=["creator_id"])
    )
    engagement = detect_engagement_anomalies(creators, pods)
    pods_by_creator = {str(r["creator_id"]): r for r in pods.to_dict("records")}
    with_snapshots = set(snapshots["creator_id"].value_counts().loc[lambda s: s >= 5].index)
    growth_by = dict(tuple(growth.groupby("creator_id"))) if len(growth) else {}
    # One pass per anomaly table instead of one DataFrame (drop + to_dict) per creator.
    growth_records = records_by_creator(growth)
    engagement_records = records_by_creator(engagement)
    empty_growth = growth.iloc[0:0]
    rows = []
    for creator in creators.to_dict("records"):
        cid = str(creator["creator_id"])
        creator_growth = growth_by.get(cid, empty_growth)
        signals = creator_signals(
            creator, creator_growth, pods_by_creator.get(cid), cid in with_snapshots
        )
        rows.append(
            score_row_from_records(
                cid, signals, growth_records.get(cid, []), engagement_records.get(cid, [])
            )
        )
    scores = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    return growth, engagement, scores, pods_by_creator


def score_authenticity(store: Store) -> None:
    """Write ``authenticity_scores`` (one row per creator) and ``growth_anomalies``."""
    growth, _, scores, _ = assess(load_inputs(store))
    store.replace_table(
        "authenticity_scores",
        pa.Table.from_pandas(scores, schema=SCORES_SCHEMA, preserve_index=False),
    )
    store.replace_table(
        "growth_anomalies",
        pa.Table.from_pandas(
            growth[list(GROWTH_COLUMNS)], schema=ANOMALIES_SCHEMA, preserve_index=False
        ),
    )


def audit_creator(
    store: Store,
    creator: dict[str, Any],
    followers: pd.DataFrame | None = None,
) -> AuthenticityReport:
    """The full authenticity report of one creator (its scorecard row as ``creator``).

    Growth anomalies are recomputed from the creator's snapshots and posts; engagement anomalies
    that need the whole workspace (ratios within platform x tier) come from ``authenticity_scores``
    when ``score`` has run. A follower sample, when given, makes the basis ``follower_sample``.
    """
    creator_id = str(creator["creator_id"])
    inputs = load_inputs(store, creator_id)
    inputs["creators"] = pd.DataFrame([creator])
    growth, engagement, _, pods = assess(inputs)
    stored = _stored_engagement(store, creator_id)
    if stored is not None:
        engagement = pd.concat(
            [engagement, stored[~stored["kind"].isin(set(engagement["kind"]))]],
            ignore_index=True,
        )
    has_snapshots = int((inputs["snapshots"]["creator_id"] == creator_id).sum()) >= 5
    signals = creator_signals(creator, growth, pods.get(creator_id), has_snapshots)
    audit = None
    if followers is not None:
        audit = audit_follower_sample(
            followers,
            creator_components=creator_components(signals),
            platform=str(creator.get("platform") or "") or None,
        )
    return build_report(creator, signals, growth, engagement, audit)


def _stored_engagement(store: Store, creator_id: str) -> pd.DataFrame | None:
    if not store.has_table("authenticity_scores"):
        return None
    table = store.table("authenticity_scores")
    rows = table.filter(table.creator_id == creator_id).select("evidence").to_pyarrow().to_pylist()
    if not rows or not rows[0]["evidence"]:
        return None
    records = json.loads(rows[0]["evidence"]).get("engagement_anomalies", [])
    frame = pd.DataFrame(records, columns=[c for c in ENGAGEMENT_COLUMNS if c != "creator_id"])
    return frame.assign(creator_id=creator_id)
