"""Store step: write ``authenticity_scores`` and ``growth_anomalies`` (Workspace.score)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from creatorlens.authenticity._accounts import FakeAccountClassifier
from creatorlens.authenticity._anomalies import (
    ENGAGEMENT_COLUMNS,
    GROWTH_COLUMNS,
    comment_pod_signals,
    detect_engagement_anomalies,
    detect_growth_anomalies,
    min_snapshots,
)
from creatorlens.authenticity._audience_quality import (
    CreatorSignals,
    FollowerAudit,
    PerFollowerResidual,
    audit_follower_sample,
    creator_components,
    er_log_spreads,
    per_follower_residuals,
)
from creatorlens.authenticity._report import (
    SCORE_COLUMNS,
    AuthenticityReport,
    build_report,
    creator_signals,
    records_by_creator,
    score_row_from_records,
)
from creatorlens.store import FOLLOWER_SAMPLES, Store

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
    "er_percentile_tier",
    "peer_group",
    "er_followers_lc_median",
    "er_followers_lc_mean",
    "view_rate",
    "er_rankable",
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

_SAMPLE_COLUMNS = tuple(c for c in FOLLOWER_SAMPLES.columns if c != "source_file")

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
    """``Store.frame``, an empty frame with ``columns`` when the table does not exist."""
    frame = store.frame(name, columns, creator_id)
    return pd.DataFrame(columns=list(columns)) if frame is None else frame


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
        "follower_samples": _frame(store, "follower_samples", _SAMPLE_COLUMNS, creator_id),
    }


def snapshot_counts(snapshots: pd.DataFrame) -> dict[str, int]:
    """Distinct snapshot dates per creator (what the growth detector can use)."""
    if snapshots.empty:
        return {}
    dated = snapshots.dropna(subset=["observed_at", "followers"])
    counts = dated.drop_duplicates(["creator_id", "observed_at"])["creator_id"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def assess(
    inputs: dict[str, pd.DataFrame],
    spreads: dict[str, dict[str, float]] | None = None,
    residuals: dict[str, PerFollowerResidual] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Growth anomalies, engagement anomalies, score rows and pod signals for the given tables.

    ``spreads`` (``er_log_spreads``) and ``residuals`` (``per_follower_residuals``) default to
    those of ``inputs["creators"]`` (the creators are their own peers)."""
    creators, snapshots, posts = inputs["creators"], inputs["snapshots"], inputs["posts"]
    spreads = er_log_spreads(creators) if spreads is None else spreads
    residuals = per_follower_residuals(creators) if residuals is None else residuals
    growth = detect_growth_anomalies(snapshots, posts)
    pods = (
        comment_pod_signals(inputs["comments"], posts)
        if len(inputs["comments"])
        else pd.DataFrame(columns=["creator_id"])
    )
    engagement = detect_engagement_anomalies(creators, pods)
    pods_by_creator = {str(r["creator_id"]): r for r in pods.to_dict("records")}
    n_snapshots = snapshot_counts(snapshots)
    growth_by = dict(tuple(growth.groupby("creator_id"))) if len(growth) else {}
    # One pass per anomaly table instead of one DataFrame (drop + to_dict) per creator.
    growth_records = records_by_creator(growth)
    engagement_records = records_by_creator(engagement)
    empty_growth = growth.iloc[0:0]
    samples = inputs.get("follower_samples")
    samples_by = (
        dict(tuple(samples.groupby("creator_id"))) if samples is not None and len(samples) else {}
    )
    model = FakeAccountClassifier.load() if samples_by else None
    rows = []
    for creator in creators.to_dict("records"):
        cid = str(creator["creator_id"])
        creator_growth = growth_by.get(cid, empty_growth)
        signals = _signals(
            creator,
            creator_growth,
            pods_by_creator.get(cid),
            n_snapshots.get(cid, 0),
            spreads,
            residuals.get(cid),
        )
        sample = samples_by.get(cid)
        audit = (
            _audit_sample(sample, signals, model, str(creator.get("platform") or "") or None)
            if sample is not None
            else None
        )
        rows.append(
            score_row_from_records(
                cid, signals, growth_records.get(cid, []), engagement_records.get(cid, []), audit
            )
        )
    scores = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    return growth, engagement, scores, pods_by_creator


def _signals(
    creator: Mapping[Any, Any],
    growth: pd.DataFrame,
    pods: Mapping[Any, Any] | None,
    n_snapshots: int,
    spreads: dict[str, dict[str, float]],
    per_follower: PerFollowerResidual | None = None,
) -> CreatorSignals:
    """``creator_signals`` with snapshots usable when there are as many as growth checks need."""
    needed = min_snapshots()
    return creator_signals(
        creator,
        growth,
        pods,
        n_snapshots >= needed,
        n_snapshots=n_snapshots,
        snapshots_needed=needed,
        spreads=spreads,
        per_follower=per_follower,
    )


def _audit_sample(
    sample: pd.DataFrame,
    signals: CreatorSignals,
    model: FakeAccountClassifier | None,
    platform: str | None = None,
) -> FollowerAudit:
    """The creator's stored follower sample through ``audit_follower_sample`` (the same audit
    as ``creatorlens audit --followers FILE``), with the creator's own components added."""
    profiles = sample.drop(columns=["creator_id"]).reset_index(drop=True)
    # "#<row>" keys a profile the file gave no handle (no platform handle starts with "#"):
    # it is not a username, so it must not feed the username features.
    keyed = profiles["handle"].astype(str).str.startswith("#")
    profiles["handle"] = profiles["handle"].where(~keyed, None)
    reference = pd.to_datetime(profiles["observed_at"]).max() if "observed_at" in profiles else None
    return audit_follower_sample(
        profiles,
        model,
        creator_components=creator_components(signals),
        reference_time=reference if reference is not None and pd.notna(reference) else None,
        platform=platform,
    )


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
    spreads, residuals = _platform_peers(store, creator)
    growth, engagement, _, pods = assess(inputs, spreads, residuals)
    stored = _stored_engagement(store, creator_id)
    if stored is not None:
        engagement = pd.concat(
            [engagement, stored[~stored["kind"].isin(set(engagement["kind"]))]],
            ignore_index=True,
        )
    count = snapshot_counts(inputs["snapshots"]).get(creator_id, 0)
    signals = _signals(
        creator, growth, pods.get(creator_id), count, spreads, residuals.get(creator_id)
    )
    audit = None
    if followers is not None:
        audit = audit_follower_sample(
            followers,
            creator_components=creator_components(signals),
            platform=str(creator.get("platform") or "") or None,
        )
    elif len(inputs["follower_samples"]):
        audit = _audit_sample(
            inputs["follower_samples"], signals, None, str(creator.get("platform") or "") or None
        )
    return build_report(creator, signals, growth, engagement, audit)


def _platform_peers(
    store: Store, creator: Mapping[str, Any]
) -> tuple[dict[str, dict[str, float]], dict[str, PerFollowerResidual]]:
    """``er_log_spreads`` and ``per_follower_residuals`` of the creator's platform in the
    workspace scorecard (one creator's audit ranks it against the same peers as ``score`` did).

    The creator's own values are those of ``creator`` (the row the audit was given), not its
    stored scorecard row; the peers give the group medians and the covariance."""
    platform = str(creator.get("platform") or "")
    if not platform or not store.has_table("scorecard"):
        return {}, {}
    table = store.table("scorecard")
    keep = [c for c in ("creator_id", "platform", "tier", "peer_group", "er_followers_lc_median",
                        "er_followers_lc_mean", "view_rate", "er_rankable")
            if c in table.columns]  # fmt: skip
    frame: pd.DataFrame = table.filter(table.platform == platform).select(*keep).to_pandas()
    if "creator_id" in frame.columns:
        own = pd.DataFrame([{c: creator.get(c) for c in frame.columns}])
        frame = pd.concat(
            [frame[frame["creator_id"] != str(creator.get("creator_id"))], own], ignore_index=True
        )
    return er_log_spreads(frame), per_follower_residuals(frame)


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
