"""Per-creator authenticity assessment (pure): anomalies + audience quality -> one row / report."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.authenticity._anomalies import KIND_LABELS
from creatorlens.authenticity._audience_quality import (
    AudienceQuality,
    CreatorSignals,
    FollowerAudit,
    PerFollowerResidual,
    indirect_audience_quality,
)
from creatorlens.authenticity._config import audience_quality_config
from creatorlens.authenticity._intervals import ShareEstimate
from creatorlens.authenticity._plain import field_dict
from creatorlens.authenticity._units import as_fraction

SCORE_COLUMNS = (
    "creator_id",
    "audience_quality",
    "audience_quality_low",
    "audience_quality_high",
    "basis",
    "fake_share",
    "fake_share_low",
    "fake_share_high",
    "flags",
    "evidence",
)

GROWTH_FLAGS = {
    "bought": "possible_bought_followers",
    "purge": "follower_purge",
    "viral": "viral_growth",
    "promoted": "promoted_growth",
}


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def creator_signals(
    creator: Mapping[Any, Any],
    growth: pd.DataFrame,
    pods: Mapping[Any, Any] | None,
    has_snapshots: bool,
    *,
    n_snapshots: int = 0,
    snapshots_needed: int = 0,
    spreads: Mapping[str, Mapping[str, float]] | None = None,
    per_follower: PerFollowerResidual | None = None,
) -> CreatorSignals:
    """Collect what one creator's data shows (scorecard row, growth events, comment pods).

    Percentiles are read in the scorecard's declared unit (``_units``) and kept as fractions;
    ``spreads`` is ``er_log_spreads`` of the workspace (the peers' spread of log ER);
    ``per_follower`` the creator's ``per_follower_residuals`` entry.
    """
    bought = (
        float(growth.loc[growth["kind"] == "bought", "magnitude"].sum()) if len(growth) else 0.0
    )
    pod_share = _finite(pods.get("pod_evidence_share")) if pods else None
    n_posts = _finite(creator.get("n_posts"))
    platform_spread = (spreads or {}).get(str(creator.get("platform") or ""), {})
    return CreatorSignals(
        followers=_finite(creator.get("followers")),
        er_percentile_peers=as_fraction(
            _finite(creator.get("er_percentile_peers")), "er_percentile_peers"
        ),
        n_posts=int(n_posts) if n_posts is not None else 0,
        comments_per_100_likes=_finite(creator.get("comments_per_100_likes")),
        bought_followers=bought,
        has_snapshots=has_snapshots,
        pod_evidence_share=pod_share,
        n_comments=int(pods.get("n_comments", 0)) if pods else 0,
        er_percentile_tier=as_fraction(
            _finite(creator.get("er_percentile_tier")), "er_percentile_tier"
        ),
        er_log_sd=platform_spread.get("peers"),
        er_log_sd_tier=platform_spread.get("tier"),
        tier=str(creator["tier"]) if creator.get("tier") else None,
        n_snapshots=n_snapshots,
        snapshots_needed=snapshots_needed,
        per_follower_residual=per_follower.value if per_follower else None,
        per_follower_residual_sd=per_follower.sd if per_follower else None,
        per_follower_among=per_follower.among if per_follower else None,
        per_follower_signals=" and ".join(per_follower.signals) if per_follower else None,
    )


def score_row(
    creator_id: str,
    signals: CreatorSignals,
    growth: pd.DataFrame,
    engagement: pd.DataFrame,
) -> dict[str, Any]:
    """One ``authenticity_scores`` row: indirect score, fake share, flags, evidence (JSON)."""
    return score_row_from_records(creator_id, signals, _records(growth), _records(engagement))


def score_row_from_records(
    creator_id: str,
    signals: CreatorSignals,
    growth: list[dict[str, Any]],
    engagement: list[dict[str, Any]],
    follower_audit: FollowerAudit | None = None,
) -> dict[str, Any]:
    """``score_row`` from the creator's anomalies as records (``records_by_creator``), so a
    workspace is scored without one DataFrame per creator. A follower audit (the creator's
    stored follower sample), when it has a score, makes the basis ``follower_sample``."""
    fake: ShareEstimate | None
    quality: AudienceQuality | None
    fake, quality = indirect_audience_quality(signals)
    if follower_audit is not None and follower_audit.quality is not None:
        fake, quality = follower_audit.fake_share, follower_audit.quality
    flags = sorted({GROWTH_FLAGS[r["kind"]] for r in growth} | {r["kind"] for r in engagement})
    warning = float(audience_quality_config()["thresholds"]["credibility_warning"])
    if fake is None:
        flags.append("fake_share_unknown")
    elif 1 - fake.low < warning:
        flags.append("credibility_below_75pct_possible")
    evidence = {
        "quality": quality.as_dict() if quality else None,
        "fake_share": fake.as_dict() if fake else None,
        "growth_anomalies": growth,
        "engagement_anomalies": engagement,
        "missing": missing_evidence(signals),
        "follower_audit": follower_audit.as_dict() if follower_audit is not None else None,
    }
    return {
        "creator_id": creator_id,
        "audience_quality": quality.score if quality else None,
        "audience_quality_low": quality.low if quality else None,
        "audience_quality_high": quality.high if quality else None,
        "basis": quality.basis if quality else "unknown",
        "fake_share": fake.value if fake else None,
        "fake_share_low": fake.low if fake else None,
        "fake_share_high": fake.high if fake else None,
        "flags": json.dumps(flags),
        "evidence": json.dumps(evidence, default=_json_default),
    }


#: What an audit says about missing evidence, by code: the English sentence (the text of the
#: evidence JSON, the CLI and the API). Pages in another language render the code from the
#: i18n catalogue (``note_<code>`` in data/i18n), with the same values.
NOTE_TEXT: dict[str, str] = {
    "no_snapshots": (
        "No follower snapshots: growth anomalies (bought followers, purges) cannot be "
        "checked; they need {needed} or more dated follower counts."
    ),
    "few_snapshots": (
        "{n} follower snapshot{s}, {needed} needed: growth anomalies (bought followers, purges) "
        "are not checked."
    ),
    "no_engagement_posts": "No posts with engagement counts: no ER to compare with peers.",
    "no_er_percentile": (
        "{n} post{s} but no ER percentile: the ER is unknown (likes/comments or followers "
        "missing) or too few creators of this platform and size are in the workspace to rank it."
    ),
    "few_peers": (
        "Too few near-size peers on this platform: the ER is compared with its whole tier, "
        "so the engagement evidence is weaker."
    ),
    "no_comments": "No comments loaded: engagement-pod signals cannot be checked.",
    "quality_unknown": (
        "Audience quality and fake share unknown: there is no follower sample, no ER "
        "percentile, no usable follower snapshots and no comments for this creator. "
        "Provide a follower sample (`creatorlens audit HANDLE --followers FILE`), posts with "
        "likes and comments, or {needed} or more follower snapshots."
    ),
    "indirect_estimate": (
        "Indirect estimate (no follower sample): it rests on engagement versus near-size "
        "peers and follower jumps only, so its range is wide. Score a follower "
        "sample with `creatorlens audit HANDLE --followers FILE` for a direct estimate."
    ),
    "fake_share_unknown": (
        "Fake share unknown: no ER percentile and no usable follower snapshots "
        "(comments alone say nothing about fake followers)."
    ),
}


def note(code: str, **values: int) -> dict[str, Any]:
    """One audit note: its code, the values in it and its English text ({s}: the plural of n)."""
    plural = "" if values.get("n") == 1 else "s"
    return {"code": code, "values": values, "text": NOTE_TEXT[code].format(s=plural, **values)}


def missing_notes(signals: CreatorSignals) -> list[dict[str, Any]]:
    """What the creator's data lacks, each note stating the real condition (issue 18 §5)."""
    out: list[dict[str, Any]] = []
    needed = signals.snapshots_needed
    if signals.has_snapshots:
        pass
    elif signals.n_snapshots == 0:
        out.append(note("no_snapshots", needed=needed))
    else:
        out.append(note("few_snapshots", n=signals.n_snapshots, needed=needed))
    if signals.er_evidence() is None:
        if signals.n_posts == 0:
            out.append(note("no_engagement_posts"))
        else:
            out.append(note("no_er_percentile", n=signals.n_posts))
    elif signals.er_percentile_peers is None:
        out.append(note("few_peers"))
    if signals.n_comments == 0:
        out.append(note("no_comments"))
    return out


def missing_evidence(signals: CreatorSignals) -> list[str]:
    """The English sentences of ``missing_notes`` (the scores' evidence JSON)."""
    return [n["text"] for n in missing_notes(signals)]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame.empty:  # most creators have no anomaly: skip pandas' drop/to_dict machinery
        return []
    return [
        _json_ready(row)
        for row in frame.drop(columns=["creator_id"], errors="ignore").to_dict("records")
    ]


def _json_ready(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        str(k): _json_default(v) if isinstance(v, pd.Timestamp | np.generic) else v
        for k, v in row.items()
    }


def records_by_creator(frame: pd.DataFrame) -> dict[Any, list[dict[str, Any]]]:
    """Anomaly rows per creator_id as JSON-ready records (without creator_id), in row order:
    the same records ``_records`` gives for each creator's rows, from one pass over ``frame``."""
    out: dict[Any, list[dict[str, Any]]] = {}
    if frame.empty:
        return out
    owners = frame["creator_id"].tolist()
    rows = frame.drop(columns=["creator_id"]).to_dict("records")
    for owner, row in zip(owners, rows, strict=True):
        out.setdefault(owner, []).append(_json_ready(row))
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


@dataclass(frozen=True)
class AuthenticityReport:
    """Everything the audit of one creator shows, with evidence and uncertainty."""

    creator_id: str
    handle: str
    platform: str
    followers: float | None
    tier: str | None
    quality: AudienceQuality | None
    fake_share: ShareEstimate | None
    flags: list[str]
    growth_anomalies: list[dict[str, Any]]
    engagement_anomalies: list[dict[str, Any]]
    follower_audit: FollowerAudit | None = None
    notes: list[str] = field(default_factory=list)
    #: The notes as codes with their values (``note()``), for pages in other languages.
    note_codes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def basis(self) -> str:
        return self.quality.basis if self.quality is not None else "unknown"

    def as_dict(self) -> dict[str, Any]:
        return {**field_dict(self), "basis": self.basis}


def build_report(
    creator: dict[str, Any],
    signals: CreatorSignals,
    growth: pd.DataFrame,
    engagement: pd.DataFrame,
    follower_audit: FollowerAudit | None = None,
) -> AuthenticityReport:
    """The report for one creator; a follower audit, when given, replaces the indirect basis."""
    row = score_row_from_records(
        str(creator["creator_id"]), signals, _records(growth), _records(engagement), follower_audit
    )
    fake: ShareEstimate | None
    quality: AudienceQuality | None
    fake, quality = indirect_audience_quality(signals)
    coded: list[dict[str, Any]] = []
    if follower_audit is not None and follower_audit.quality is not None:
        fake, quality = follower_audit.fake_share, follower_audit.quality
    elif quality is None:
        coded.append(note("quality_unknown", needed=signals.snapshots_needed))
    else:
        coded.append(note("indirect_estimate"))
        if fake is None:
            coded.append(note("fake_share_unknown"))
    coded.extend(missing_notes(signals))
    notes = [n["text"] for n in coded]
    labelled = [
        {**event, "label": KIND_LABELS.get(str(event.get("kind")), event.get("kind"))}
        for event in _records(growth)
    ]
    return AuthenticityReport(
        creator_id=str(creator["creator_id"]),
        handle=str(creator.get("handle") or ""),
        platform=str(creator.get("platform") or ""),
        followers=_finite(creator.get("followers")),
        tier=creator.get("tier"),
        quality=quality,
        fake_share=fake,
        flags=json.loads(row["flags"]),
        growth_anomalies=labelled,
        engagement_anomalies=_records(engagement),
        follower_audit=follower_audit,
        notes=notes,
        note_codes=coded,
    )
