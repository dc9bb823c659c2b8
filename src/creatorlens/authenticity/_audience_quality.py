"""Audience quality of a creator: fake / mass-follower / inactive shares and a 0-100 score.

Two bases, and the result always says which one it rests on:

* ``follower_sample`` — profiles of a sample of the creator's followers are scored by the
  fake-account classifier; the fake share is Rogan-Gladen corrected with an interval
  (see ``_intervals``).
* ``indirect`` — no follower profiles: the fake share is a posterior over a published prior,
  updated by the creator's own data (engagement versus near-size peers, follower jumps flagged
  as possibly bought). These ranges are deliberately wide; docs/authenticity.md defines every step.

No score is produced without at least one component, and every component carries its interval;
without any evidence the result is unknown (``None``), never a made-up number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatorlens.authenticity._accounts import FakeAccountClassifier
from creatorlens.authenticity._config import anomaly_config, audience_quality_config
from creatorlens.authenticity._features import canonical_profiles
from creatorlens.authenticity._intervals import (
    ShareEstimate,
    corrected_share,
    interval_parts,
    wilson_share,
)
from creatorlens.authenticity._io import FollowerFileError
from creatorlens.authenticity._plain import field_dict

Basis = Literal["follower_sample", "indirect"]
FloatArray = npt.NDArray[np.float64]
_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class ScoreComponent:
    """One input of the audience quality score: a value in [0, 1] (1 = best) and its interval."""

    name: str
    value: float
    low: float
    high: float
    weight: float
    basis: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**field_dict(self), "evidence": dict(self.evidence)}


def _complement(
    name: str, share: ShareEstimate, weights: Mapping[str, Any], basis: str, evidence: dict[str, Any]
) -> ScoreComponent:
    """The component ``1 - share`` (of fake, mass, inactive followers or pod-like comments), its
    interval flipped, weighted by ``weights[name]``."""
    return ScoreComponent(
        name, 1 - share.value, 1 - share.high, 1 - share.low, float(weights[name]), basis, evidence
    )


@dataclass(frozen=True)
class AudienceQuality:
    """Score 0-100 with its range; ``components`` hold the evidence for every point."""

    score: float
    low: float
    high: float
    basis: Basis
    components: tuple[ScoreComponent, ...]
    weights_source: str

    def as_dict(self) -> dict[str, Any]:
        return field_dict(self)


def audience_quality_score(components: list[ScoreComponent], basis: Basis) -> AudienceQuality | None:
    """Weighted mean of the components present, times 100; ``None`` when there is no evidence.

    The range combines every component's low (resp. high): it holds whenever all component
    intervals hold, so it is conservative. A component of weight 0 is shown with the others
    but not counted (its evidence is already inside another component).
    """
    shown = [c for c in components if np.isfinite(c.value)]
    usable = [c for c in shown if c.weight > 0]
    if not usable:
        return None
    weights = np.array([c.weight for c in usable])
    total = weights.sum()

    def weighted(values: list[float]) -> float:
        return float(100 * np.dot(weights, np.clip(values, 0, 1)) / total)

    return AudienceQuality(
        score=weighted([c.value for c in usable]),
        low=weighted([c.low for c in usable]),
        high=weighted([c.high for c in usable]),
        basis=basis,
        components=tuple(shown),
        weights_source=str(audience_quality_config()["weights"]["weights_source"]),
    )


@dataclass(frozen=True)
class FollowerAudit:
    """Result of scoring a follower sample."""

    n: int
    fake_share: ShareEstimate
    apparent_fake_share: float
    mass_follower_share: ShareEstimate | None
    inactive_share: ShareEstimate | None
    classifier: dict[str, Any]
    imputed_inputs: dict[str, float]
    quality: AudienceQuality | None
    followers: pd.DataFrame
    #: Width of the fake-share interval and the widths from sampling / classifier alone.
    interval_parts: dict[str, float] | None = None
    #: Why the fake share is withheld (``fake_share.value`` is NaN), or None.
    withheld: str | None = None
    platform: str | None = None

    @property
    def credibility_warning(self) -> bool:
        """Modash: follower credibility (1 - fake share) below 75% is often a sign of fraud."""
        threshold = float(audience_quality_config()["thresholds"]["credibility_warning"])
        return bool(1 - self.fake_share.value < threshold)

    def as_dict(self) -> dict[str, Any]:
        # The follower rows stay out: the audit's JSON is its summary.
        return {
            **field_dict(self, leave_out=("followers",)),
            "credibility_warning": self.credibility_warning,
        }


def _inactive_flags(profiles: pd.DataFrame, reference_time: pd.Timestamp | None) -> pd.Series | None:
    thresholds = audience_quality_config()["thresholds"]
    flags: pd.Series | None = None
    if "posts_count" in profiles.columns:
        posts = pd.to_numeric(profiles["posts_count"], errors="coerce")
        flags = (posts <= float(thresholds["inactive_max_posts"])).where(posts.notna())
    if "last_post_at" in profiles.columns:
        last = pd.to_datetime(profiles["last_post_at"], errors="coerce", utc=True)
        if reference_time is None and "observed_at" in profiles.columns:
            reference_time = pd.to_datetime(profiles["observed_at"], errors="coerce", utc=True).max()
        if reference_time is None or pd.isna(reference_time):
            reference_time = last.max()
        reference = pd.Timestamp(reference_time)
        reference = reference.tz_localize("UTC") if reference.tzinfo is None else reference
        stale = ((reference - last).dt.days > int(thresholds["inactive_days"])).where(last.notna())
        flags = (
            stale
            if flags is None
            else (flags.fillna(False) | stale.fillna(False)).where(flags.notna() | stale.notna())
        )
    return flags


def audit_follower_sample(
    profiles: pd.DataFrame,
    model: FakeAccountClassifier | None = None,
    *,
    creator_components: list[ScoreComponent] | None = None,
    reference_time: pd.Timestamp | None = None,
    seed: int = 0,
    platform: str | None = None,
    source: str = "follower sample",
) -> FollowerAudit:
    """Score a sample of follower profiles (any column spelling in ``PROFILE_SYNONYMS``).

    ``creator_components`` (engagement vs peers, organic growth, organic comments) from the
    creator's own data are added to the score when given. ``platform`` (the followers'
    platform) picks the classifier's platform weights and the between-population spread of its
    sensitivity and specificity the interval carries; the fake share is withheld (NaN, with the
    reason in ``withheld``) where that spread says the classifier is no better than chance.
    A sample that lacks most of the classifier's inputs raises ``FollowerFileError`` naming
    ``source`` and the missing columns (``check_follower_inputs``).
    """
    config = audience_quality_config()
    thresholds = config["thresholds"]
    weights: Mapping[str, float] = config["weights"]
    confidence = float(thresholds["confidence"])
    model = model or FakeAccountClassifier.load()
    sample = canonical_profiles(profiles).reset_index(drop=True)
    n = len(sample)

    if n:
        check_follower_inputs(sample, model, source)
    platform = platform.lower() if platform else None
    p_fake = model.predict_proba(sample, platform)[:, 1] if n else np.zeros(0)
    predicted = p_fake >= model.threshold_
    confusion = model.operating_point()
    spread = model.population_spread(platform)
    count = int(predicted.sum())
    options = {
        "confidence": confidence,
        "draws": int(thresholds["bootstrap_draws"]),
        "seed": seed,
        "spread": spread,
    }
    withheld: str | None = None
    parts: dict[str, float] | None = None
    try:
        fake = corrected_share(count, n, confusion, **options)  # type: ignore[arg-type]
        if n:
            parts = interval_parts(count, n, confusion, **options)  # type: ignore[arg-type]
    except ValueError as exc:
        if spread is None:
            raise
        withheld = (
            f"the classifier does not transfer to {platform or 'this platform'}: {exc}; label a "
            "random subsample by hand (audit --sample-to-label) to estimate the share"
        )
        fake = ShareEstimate(float("nan"), 0.0, 1.0, n, count, confidence, f"withheld: {withheld}")
    imputed = model.missing_inputs(sample).mean().to_dict() if n else {}

    scored = pd.DataFrame({"p_fake": p_fake, "predicted_fake": predicted})
    mass: ShareEstimate | None = None
    if "following" in sample.columns:
        following = pd.to_numeric(sample["following"], errors="coerce")
        known = following.notna()
        is_mass = following > float(thresholds["mass_following"])
        scored["mass_follower"] = is_mass.where(known)
        mass = wilson_share(int(is_mass[known].sum()), int(known.sum()), confidence)
    inactive: ShareEstimate | None = None
    inactive_flags = _inactive_flags(sample, reference_time)
    if inactive_flags is not None:
        known_inactive = inactive_flags.notna()
        scored["inactive"] = inactive_flags
        inactive = wilson_share(
            int(inactive_flags[known_inactive].astype(bool).sum()),
            int(known_inactive.sum()),
            confidence,
        )

    classifier_info = {
        "name": model.metadata_.get("name", "custom"),
        "threshold": model.threshold_,
        "sensitivity": (
            spread.sensitivity if spread else confusion["tp"] / (confusion["tp"] + confusion["fn"])
        ),
        "specificity": (
            spread.specificity if spread else confusion["tn"] / (confusion["tn"] + confusion["fp"])
        ),
        "confusion": confusion,
        "spread": spread.as_dict() if spread else None,
    }
    components = [
        _complement(
            "real_followers",
            fake,
            weights,
            "follower_sample",
            {"fake_share": fake.as_dict(), "classifier": classifier_info},
        ),
    ]
    if mass is not None and mass.n:
        components.append(
            _complement(
                "non_mass_followers",
                mass,
                weights,
                "follower_sample",
                {
                    "mass_follower_share": mass.as_dict(),
                    "definition": f"following > {thresholds['mass_following']}",
                    "source": thresholds["mass_following_source"],
                },
            )
        )
    if inactive is not None and inactive.n:
        components.append(
            _complement(
                "active_followers",
                inactive,
                weights,
                "follower_sample",
                {
                    "inactive_share": inactive.as_dict(),
                    "definition": f"posts_count <= {thresholds['inactive_max_posts']} "
                    f"or no post in "
                    f"{thresholds['inactive_days']} days",
                },
            )
        )
    components.extend(creator_components or [])
    quality = audience_quality_score(components, "follower_sample") if n else None
    return FollowerAudit(
        n=n,
        fake_share=fake,
        apparent_fake_share=float(predicted.mean()) if n else float("nan"),
        mass_follower_share=mass,
        inactive_share=inactive,
        classifier=classifier_info,
        imputed_inputs={str(k): float(v) for k, v in imputed.items()},
        quality=quality,
        followers=scored,
        interval_parts=parts,
        withheld=withheld,
        platform=platform,
    )


#: A follower sample must carry the inputs of at least this share of the classifier's features.
MIN_KNOWN_FEATURE_SHARE = 0.5


def check_follower_inputs(
    sample: pd.DataFrame, model: FakeAccountClassifier, source: str = "follower sample"
) -> None:
    """Refuse a sample that is not follower profiles: most model inputs missing in every row.

    "No evidence, no number": a file whose columns are not profile fields would otherwise be
    scored on imputed means alone ("100/100, fake 0.0%").
    """
    missing = model.missing_inputs(sample)
    imputed = [name for name in missing.columns if bool(missing[name].mean() > 0.5)]
    if len(imputed) / len(missing.columns) <= 1 - MIN_KNOWN_FEATURE_SHARE:
        return
    wanted = ["followers", "following", "posts_count", "has_profile_pic", "is_private", "bio", "handle"]
    absent = [c for c in wanted if c not in sample.columns or sample[c].isna().all()]
    raise FollowerFileError(
        f"{source}: not a follower sample: {len(imputed)} of {len(missing.columns)} classifier "
        f"inputs would be imputed ({', '.join(imputed)}); missing columns: {', '.join(absent)} "
        f"(accepted spellings: docs/authenticity.md); columns found: "
        f"{', '.join(map(str, sample.columns[:12]))}"
    )


@dataclass(frozen=True)
class CreatorSignals:
    """What a creator's own data shows, for the indirect estimate. Any field may be unknown.

    Percentiles are fractions in [0, 1] (the scorecard's unit, ``_units.SCORECARD_UNITS``).
    ``er_log_sd`` is the spread (robust SD) of log ER among the creator's peers on its platform,
    measured on the workspace (``er_log_spreads``) for the percentile that is used.
    """

    followers: float | None = None
    er_percentile_peers: float | None = None
    n_posts: int = 0
    comments_per_100_likes: float | None = None
    bought_followers: float = 0.0
    has_snapshots: bool = False
    pod_evidence_share: float | None = None
    n_comments: int = 0
    er_percentile_tier: float | None = None
    er_log_sd: float | None = None
    er_log_sd_tier: float | None = None
    tier: str | None = None
    n_snapshots: int = 0
    snapshots_needed: int = 0
    #: ``PerFollowerResidual`` of the creator (ER and views per follower against its peers).
    per_follower_residual: float | None = None
    per_follower_residual_sd: float | None = None
    per_follower_among: str | None = None
    per_follower_signals: str | None = None

    def er_evidence(self) -> tuple[float, float, str] | None:
        """(percentile, log-ER spread, "peers" | "tier") of the engagement evidence, if any:
        near-size peers first, the platform tier when the peer group was too small."""
        fallback = float(audience_quality_config()["indirect"]["er_log_sd_fallback"])
        if self.er_percentile_peers is not None and np.isfinite(self.er_percentile_peers):
            return float(self.er_percentile_peers), self.er_log_sd or fallback, "peers"
        if self.er_percentile_tier is not None and np.isfinite(self.er_percentile_tier):
            return float(self.er_percentile_tier), self.er_log_sd_tier or fallback, "tier"
        return None

    def has_evidence(self) -> bool:
        """Anything the indirect estimate can rest on: engagement, usable snapshots, comments."""
        return (
            self.er_evidence() is not None
            or self.per_follower_evidence() is not None
            or self.has_snapshots
            or self.n_comments > 0
        )

    def per_follower_evidence(self) -> tuple[float, float] | None:
        """(log residual, its sd) of the per-follower audience evidence, if any."""
        value, sd = self.per_follower_residual, self.per_follower_residual_sd
        if value is None or sd is None or not (np.isfinite(value) and np.isfinite(sd) and sd > 0):
            return None
        return float(value), float(sd)


def er_log_spreads(
    scorecard: pd.DataFrame, min_group: int = 5
) -> dict[str, dict[str, float]]:
    """Per platform, the robust SD of log ER around its group's median, pooled over groups:
    ``"peers"`` groups by ``peer_group`` (near-size peers), ``"tier"`` by ``tier``.

    ER is the ranking metric the percentiles are computed on (``metrics.RANKING_METRIC``, its mean
    when the median is null). 1.4826 x the median absolute deviation; groups with fewer than
    ``min_group`` creators are left out. Pure; docs/authenticity.md ('indirect estimate').
    """
    from creatorlens.metrics import RANKING_METRIC

    if RANKING_METRIC not in scorecard.columns or "platform" not in scorecard.columns:
        return {}
    er = pd.to_numeric(scorecard[RANKING_METRIC], errors="coerce")
    if "er_followers_lc_mean" in scorecard.columns:
        er = er.fillna(pd.to_numeric(scorecard["er_followers_lc_mean"], errors="coerce"))
    with np.errstate(all="ignore"):
        log_er = np.log(er.where(er > 0))
    out: dict[str, dict[str, float]] = {}
    for basis, column in (("peers", "peer_group"), ("tier", "tier")):
        if column not in scorecard.columns:
            continue
        frame = pd.DataFrame(
            {"platform": scorecard["platform"], "group": scorecard[column], "log_er": log_er}
        ).dropna()
        keys = [frame["platform"], frame["group"]]
        frame = frame[frame.groupby(keys)["log_er"].transform("size") >= min_group]
        if frame.empty:
            continue
        keys = [frame["platform"], frame["group"]]
        residual = (frame["log_er"] - frame.groupby(keys)["log_er"].transform("median")).abs()
        for platform, values in residual.groupby(frame["platform"]):
            spread = 1.4826 * float(values.median())
            if spread > 0:
                out.setdefault(str(platform), {})[basis] = spread
    return out


@dataclass(frozen=True)
class PerFollowerResidual:
    """How far a creator's audience that engages and views sits from its peers', on the log scale.

    Fake followers neither engage nor view, so both ER per follower and views per follower scale
    with 1 - fake share: each one's log residual from its peer group's median carries
    log(1 - f) - (the peers' typical log(1 - f)) plus noise. ``value`` is their generalised
    least-squares combination (weights Sigma^-1 1 / 1' Sigma^-1 1, Sigma the covariance of the
    residuals among the platform's peers, measured on the workspace) and ``sd`` its standard
    error (1 / sqrt(1' Sigma^-1 1)). Where one signal is the other times noise that says nothing
    about fakes (TikTok and YouTube: ER per follower = ER per view x views per follower), the
    measured covariance gives the noisier one no weight; where the two are independent
    (Instagram: likes per follower and reel views per follower) both count.
    """

    value: float
    sd: float
    among: str  # "peers" (near-size peers) | "tier"
    signals: tuple[str, ...]


#: Per-follower audience signals: name -> scorecard column (ER: metrics.RANKING_METRIC).
PER_FOLLOWER_SIGNALS = (("er_per_follower", ""), ("views_per_follower", "view_rate"))
_MAD_TO_SD = 1.4826
_MAX_CORRELATION = 0.95


def _robust_sd(values: FloatArray) -> float:
    return float(_MAD_TO_SD * np.median(np.abs(values - np.median(values)))) if len(values) else 0.0


def _robust_correlation(u: FloatArray, v: FloatArray) -> float:
    """Gnanadesikan-Kettenring correlation of two standardised residuals, from robust sds of
    their sum and difference (outliers, e.g. viral posts, do not set it)."""
    plus, minus = _robust_sd(u + v) ** 2, _robust_sd(u - v) ** 2
    if plus + minus <= 0:
        return 0.0
    return float(np.clip((plus - minus) / (plus + minus), -_MAX_CORRELATION, _MAX_CORRELATION))


def _log_signals(scorecard: pd.DataFrame) -> dict[str, pd.Series]:
    """Log of each per-follower signal the scorecard has; ERs that may not be ranked
    (``er_rankable`` false: too few posts, implausible) are left out of both signals."""
    from creatorlens.metrics import RANKING_METRIC

    usable = pd.Series(True, index=scorecard.index)
    if "er_rankable" in scorecard.columns:
        usable = scorecard["er_rankable"].astype("boolean").fillna(False).astype(bool)
    values: dict[str, pd.Series] = {}
    for name, column in PER_FOLLOWER_SIGNALS:
        if name == "er_per_follower":
            if RANKING_METRIC not in scorecard.columns:
                continue
            raw = pd.to_numeric(scorecard[RANKING_METRIC], errors="coerce")
            if "er_followers_lc_mean" in scorecard.columns:
                raw = raw.fillna(pd.to_numeric(scorecard["er_followers_lc_mean"], errors="coerce"))
        elif column in scorecard.columns:
            raw = pd.to_numeric(scorecard[column], errors="coerce")
        else:
            continue
        with np.errstate(all="ignore"):
            values[name] = np.log(raw.where((raw > 0) & usable))
    return values


def _group_residuals(
    scorecard: pd.DataFrame, values: dict[str, pd.Series], min_group: int
) -> dict[str, pd.DataFrame]:
    """Per basis (near-size peers, tier): each signal's log minus its group's median, where the
    group (platform x peer group or tier) has at least ``min_group`` creators with it."""
    platform = scorecard["platform"].astype("string")
    residuals: dict[str, pd.DataFrame] = {}
    for basis, column in (("peers", "peer_group"), ("tier", "tier")):
        if column not in scorecard.columns:
            continue
        group = scorecard[column].astype("string")
        frame = pd.DataFrame(index=scorecard.index)
        for name, log_value in values.items():
            log_value = log_value.where(group.notna() & platform.notna())
            grouped = log_value.groupby([platform, group])
            size = grouped.transform("count")
            frame[name] = (log_value - grouped.transform("median")).where(size >= min_group)
        residuals[basis] = frame
    return residuals


def _robust_covariance(
    part: pd.DataFrame, names: list[str], min_group: int
) -> tuple[list[str], FloatArray] | None:
    """Signals with spread and their covariance: robust sds and pairwise GK correlations."""
    sds = {n: _robust_sd(part[n].dropna().to_numpy()) for n in names}
    kept = [n for n in names if sds[n] > 0]
    if not kept:
        return None
    corr = np.eye(len(kept))
    for i, a in enumerate(kept):
        for j in range(i + 1, len(kept)):
            b = kept[j]
            both = part[[a, b]].dropna().to_numpy()
            rho = (
                _robust_correlation(both[:, 0] / sds[a], both[:, 1] / sds[b])
                if len(both) >= min_group
                else 0.0
            )
            corr[i, j] = corr[j, i] = rho
    scale = np.array([sds[n] for n in kept])
    covariance: FloatArray = corr * np.outer(scale, scale)
    return kept, covariance


def _gls_combination(
    row: FloatArray, covariance: FloatArray, kept: list[str], basis: str
) -> PerFollowerResidual | None:
    """Minimum-variance (GLS) combination of the known residuals of one creator."""
    known = np.isfinite(row)
    if not known.any():
        return None
    inverse = np.linalg.inv(covariance[np.ix_(known, known)])
    ones = np.ones(int(known.sum()))
    precision = float(ones @ inverse @ ones)
    if precision <= 0:
        return None
    weights = inverse @ ones / precision
    return PerFollowerResidual(
        value=float(weights @ row[known]),
        sd=float(1 / np.sqrt(precision)),
        among=basis,
        signals=tuple(n for n, k in zip(kept, known, strict=True) if k),
    )


def per_follower_residuals(
    scorecard: pd.DataFrame, min_group: int = 5
) -> dict[str, PerFollowerResidual]:
    """``PerFollowerResidual`` per creator id, from the workspace scorecard. Pure.

    Residual of each signal: log value minus the median of its group (platform x ``peer_group``,
    else platform x ``tier`` when the creator's peer group has fewer than ``min_group`` creators
    with that signal); ERs that may not be ranked (``er_rankable`` false: too few posts,
    implausible) are left out of both signals. Covariance per platform and basis: robust sds
    (1.4826 x MAD) and the Gnanadesikan-Kettenring correlation of the pooled residuals.
    docs/authenticity.md ('indirect estimate').
    """
    needed = {"creator_id", "platform"}
    if not needed <= set(scorecard.columns) or scorecard.empty:
        return {}
    values = _log_signals(scorecard)
    if not values:
        return {}
    names = list(values)
    platform = scorecard["platform"].astype("string")
    out: dict[str, PerFollowerResidual] = {}
    ids = scorecard["creator_id"].astype(str).to_numpy()
    for basis, frame in _group_residuals(scorecard, values, min_group).items():
        for plat in platform.dropna().unique().tolist():
            rows = (platform == plat).fillna(False).to_numpy()
            part = frame[rows]
            fitted = _robust_covariance(part, names, min_group)
            if fitted is None:
                continue
            kept, covariance = fitted
            matrix = part[kept].to_numpy(dtype=np.float64)
            for row, cid in zip(matrix, ids[rows], strict=True):
                if cid in out:  # near-size peers first; the tier only when they were too few
                    continue
                combined = _gls_combination(row, covariance, kept, basis)
                if combined is not None:
                    out[cid] = combined
    return out


def engagement_share(percentile: float, spread: float) -> float:
    """The creator's ER as a share of its peers' median ER, capped at 1: exp(s z), z the normal
    score of its percentile and s the peers' spread of log ER.

    A component is a share of the audience (1 = best); a percentile is a rank, uniform over the
    peers by construction, so as a component it would cost half of every group of real
    audiences up to half its weight. As a share of the peers' typical engagement it costs only
    the ER that falls short of that typical level (fake followers do not engage).
    """
    clip = float(audience_quality_config()["indirect"]["percentile_clip"])
    z = _STANDARD_NORMAL.inv_cdf(min(max(percentile, clip), 1 - clip))
    return float(min(1.0, np.exp(spread * z)))


def creator_components(signals: CreatorSignals) -> list[ScoreComponent]:
    """Score components that come from the creator's own data (used by both bases)."""
    config = audience_quality_config()
    weights = config["weights"]
    growth_rules_min_jump = float(anomaly_config()["growth"]["min_relative_jump"])
    components: list[ScoreComponent] = []
    evidence = signals.er_evidence()
    if evidence is not None:
        percentile, spread, basis = evidence  # a fraction in [0, 1]: the scorecard's unit
        # Percentile of a median over n posts: half-width 0.5/sqrt(n) (project choice, documented).
        half = min(0.5, 0.5 / np.sqrt(max(signals.n_posts, 1)))
        components.append(
            ScoreComponent(
                "engagement_vs_peers",
                engagement_share(percentile, spread),
                engagement_share(max(0.0, percentile - half), spread),
                engagement_share(min(1.0, percentile + half), spread),
                float(weights["engagement_vs_peers"]),
                "creator_data",
                {
                    "er_percentile": percentile,
                    "er_share_of_peers_median": engagement_share(percentile, spread),
                    "er_log_sd_among_peers": spread,
                    "percentile_among": "near-size peers" if basis == "peers" else "tier",
                    "n_posts": signals.n_posts,
                    "comments_per_100_likes": signals.comments_per_100_likes,
                },
            )
        )
    if signals.has_snapshots and signals.followers:
        bought = min(1.0, signals.bought_followers / signals.followers)
        components.append(
            ScoreComponent(
                "organic_growth",
                1 - bought,
                max(0.0, 1 - bought - growth_rules_min_jump),
                1 - bought,
                float(weights["organic_growth"]),
                "creator_data",
                {
                    "followers_in_possible_bought_jumps": signals.bought_followers,
                    "followers": signals.followers,
                    "note": "jumps below min_relative_jump are not detectable, hence the low end",
                },
            )
        )
    if signals.pod_evidence_share is not None and signals.n_comments > 0:
        pod = wilson_share(
            round(signals.pod_evidence_share * signals.n_comments),
            signals.n_comments,
            float(config["thresholds"]["confidence"]),
        )
        components.append(
            _complement(
                "organic_comments",
                pod,
                weights,
                "creator_data",
                {"pod_like_comment_share": pod.as_dict()},
            )
        )
    return components


def fake_share_prior(tier: str | None) -> tuple[FloatArray, FloatArray]:
    """Grid of base fake shares and their prior weights (sum 1), from published prevalence.

    A share ``affected_share`` of creators (HypeAuditor 2023: 36.28%; about 60% over 1M) has a
    fake share uniform on [clean_max, affected_max]; the others uniform on [0, clean_max)
    (Heepsy's "under 10% suspicious followers"). Numbers in audience_quality.toml [indirect].
    """
    grid, weights, _ = _prior(tier == "mega")
    return grid, weights


@cache
def _prior(mega: bool) -> tuple[FloatArray, FloatArray, float]:
    """(grid, prior weights, prior median of log(1 - f0)); arrays are read-only (cached)."""
    indirect = audience_quality_config()["indirect"]
    points = int(indirect["grid_points"])
    grid = (np.arange(points) + 0.5) / points
    clean_max, affected_max = float(indirect["clean_max"]), float(indirect["affected_max"])
    affected = float(indirect["affected_share_mega"] if mega else indirect["affected_share"])
    density = np.where(
        grid < clean_max,
        (1 - affected) / clean_max,
        np.where(grid <= affected_max, affected / (affected_max - clean_max), 0.0),
    )
    weights = density / density.sum()
    # log(1 - f0) falls as f0 rises: its median is at the prior median of f0.
    typical = float(np.log1p(-_quantiles(grid, weights, (0.5,))[0]))
    grid.flags.writeable = False
    weights.flags.writeable = False
    return grid, weights, typical


def _quantiles(values: FloatArray, weights: FloatArray, qs: tuple[float, ...]) -> list[float]:
    """Weighted quantiles of ``values`` (ascending) on a grid."""
    cdf = np.cumsum(weights)
    at = np.searchsorted(cdf, np.asarray(qs) * cdf[-1])
    return [float(values[min(int(i), len(values) - 1)]) for i in at]


def indirect_fake_share(signals: CreatorSignals) -> ShareEstimate | None:
    """Fake share from the creator's own data, without any follower profile; ``None`` (unknown)
    when the creator has no ER percentile and no usable follower snapshots.

    Posterior over a grid of base fake shares f0 with the published prior (``fake_share_prior``).
    Bought followers b (detected jumps / followers) add to it: f = 1 - (1 - f0)(1 - b). Fake
    followers do not engage, so ER per follower scales with 1 - f: with the creator's percentile
    p among peers (or its tier), z = Phi^-1(p) and the spread s of log ER among those peers,
    the likelihood of f is Normal(s z; log(1 - f) - m, s), m the peers' typical log(1 - f) (prior
    median). s is measured on the workspace and includes the peers' own fake shares, so the
    likelihood is deliberately flat (conservative). Where the workspace gives the creator a
    ``PerFollowerResidual`` (ER and views per follower against its peers, combined), that
    residual r with its sd s replaces s z: Normal(r; log(1 - f) - m, s). Point = posterior
    median, interval = the equal-tailed ``confidence`` interval. docs/authenticity.md,
    'indirect estimate'.
    """
    config = audience_quality_config()
    indirect = config["indirect"]
    confidence = float(config["thresholds"]["confidence"])
    evidence = signals.er_evidence()
    per_follower = signals.per_follower_evidence()
    if evidence is None and per_follower is None and not signals.has_snapshots:
        return None
    grid, weights, typical = _prior(signals.tier == "mega")
    bought = 0.0
    if signals.has_snapshots and signals.followers:
        bought = min(0.99, signals.bought_followers / signals.followers)
    fake = 1 - (1 - grid) * (1 - bought)
    used = ["published prior"]
    if bought > 0:
        used.append("follower jumps")
    if per_follower is not None:
        observed, spread = per_follower
        residual = observed - (np.log1p(-fake) - typical)
        log_likelihood = -0.5 * (residual / spread) ** 2
        weights = weights * np.exp(log_likelihood - log_likelihood.max())
        among = "near-size peers" if signals.per_follower_among == "peers" else "tier"
        used.append(f"{signals.per_follower_signals} among {among}")
    elif evidence is not None:
        percentile, spread, among = evidence
        clip = float(indirect["percentile_clip"])
        z = _STANDARD_NORMAL.inv_cdf(min(max(percentile, clip), 1 - clip))
        residual = spread * z - (np.log1p(-fake) - typical)
        log_likelihood = -0.5 * (residual / spread) ** 2
        weights = weights * np.exp(log_likelihood - log_likelihood.max())
        used.append(f"ER percentile among {'near-size peers' if among == 'peers' else 'tier'}")
    alpha = 1 - confidence
    # f rises with f0, so quantiles over the grid are quantiles of f.
    point, low, high = _quantiles(fake, weights, (0.5, alpha / 2, 1 - alpha / 2))
    return ShareEstimate(
        point,
        low,
        high,
        0,
        0,
        confidence,
        "indirect posterior (" + ", ".join(used) + "; no follower sample)",
    )


#: Components whose evidence the indirect fake share already rests on (``indirect_fake_share``).
_INSIDE_INDIRECT_FAKE_SHARE = frozenset({"engagement_vs_peers", "organic_growth"})
_COUNTED_IN_FAKE_SHARE = (
    "weight 0 on the indirect basis: the indirect fake share (real_followers) is the posterior "
    "given this same evidence"
)


def indirect_audience_quality(
    signals: CreatorSignals,
) -> tuple[ShareEstimate | None, AudienceQuality | None]:
    """Fake share and score with ``basis="indirect"``: always wider than a follower-sample audit.

    Both are ``None`` (unknown) without evidence (``CreatorSignals.has_evidence``); the fake share
    alone is ``None`` when only comments are known (they say nothing about fake followers).
    """
    if not signals.has_evidence():
        return None, None
    weights = audience_quality_config()["weights"]
    fake = indirect_fake_share(signals)
    components = creator_components(signals)
    if fake is not None:
        # The indirect fake share is the posterior given the creator's engagement and follower
        # jumps: counting them again as their own components would weigh the same data twice.
        components = [
            replace(
                c,
                weight=0.0,
                evidence={**c.evidence, "not_counted": _COUNTED_IN_FAKE_SHARE},
            )
            if c.name in _INSIDE_INDIRECT_FAKE_SHARE
            else c
            for c in components
        ]
        components.insert(
            0,
            _complement(
                "real_followers",
                fake,
                weights,
                "indirect",
                {
                    "fake_share": fake.as_dict(),
                    "signals": field_dict(signals),
                },
            ),
        )
    return fake, audience_quality_score(components, "indirect")
