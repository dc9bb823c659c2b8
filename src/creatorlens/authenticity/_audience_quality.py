"""Audience quality of a creator: fake / mass-follower / inactive shares and a 0-100 score.

Two bases, and the result always says which one it rests on:

* ``follower_sample`` — profiles of a sample of the creator's followers are scored by the
  fake-account classifier; the fake share is Rogan-Gladen corrected with an interval
  (see ``_intervals``).
* ``indirect`` — no follower profiles: the fake share is bracketed from the creator's own data
  (engagement versus near-size peers, follower jumps flagged as possibly bought, comment density).
  These ranges are deliberately wide; docs/authenticity.md defines every step.

No score is produced without at least one component, and every component carries its interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
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

Basis = Literal["follower_sample", "indirect"]


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
        # Shallow: dataclasses.asdict deep-copies the evidence, which dominated scoring time.
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["evidence"] = dict(self.evidence)
        return out


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
        return {
            "score": self.score,
            "low": self.low,
            "high": self.high,
            "basis": self.basis,
            "weights_source": self.weights_source,
            "components": [c.as_dict() for c in self.components],
        }


def audience_quality_score(components: list[ScoreComponent], basis: Basis) -> AudienceQuality | None:
    """Weighted mean of the components present, times 100; ``None`` when there is no evidence.

    The range combines every component's low (resp. high): it holds whenever all component
    intervals hold, so it is conservative.
    """
    usable = [c for c in components if c.weight > 0 and np.isfinite(c.value)]
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
        components=tuple(usable),
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
        return {
            "n": self.n,
            "fake_share": self.fake_share.as_dict(),
            "apparent_fake_share": self.apparent_fake_share,
            "mass_follower_share": self.mass_follower_share.as_dict() if self.mass_follower_share else None,
            "inactive_share": self.inactive_share.as_dict() if self.inactive_share else None,
            "credibility_warning": self.credibility_warning,
            "classifier": self.classifier,
            "imputed_inputs": self.imputed_inputs,
            "quality": self.quality.as_dict() if self.quality else None,
            "interval_parts": self.interval_parts,
            "withheld": self.withheld,
            "platform": self.platform,
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
        ScoreComponent(
            "real_followers",
            1 - fake.value,
            1 - fake.high,
            1 - fake.low,
            float(weights["real_followers"]),
            "follower_sample",
            {"fake_share": fake.as_dict(), "classifier": classifier_info},
        ),
    ]
    if mass is not None and mass.n:
        components.append(
            ScoreComponent(
                "non_mass_followers",
                1 - mass.value,
                1 - mass.high,
                1 - mass.low,
                float(weights["non_mass_followers"]),
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
            ScoreComponent(
                "active_followers",
                1 - inactive.value,
                1 - inactive.high,
                1 - inactive.low,
                float(weights["active_followers"]),
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
    """What a creator's own data shows, for the indirect estimate. Any field may be unknown."""

    followers: float | None = None
    er_percentile_peers: float | None = None
    n_posts: int = 0
    comments_per_100_likes: float | None = None
    bought_followers: float = 0.0
    has_snapshots: bool = False
    pod_evidence_share: float | None = None
    n_comments: int = 0


def creator_components(signals: CreatorSignals) -> list[ScoreComponent]:
    """Score components that come from the creator's own data (used by both bases)."""
    config = audience_quality_config()
    weights = config["weights"]
    growth_rules_min_jump = float(anomaly_config()["growth"]["min_relative_jump"])
    components: list[ScoreComponent] = []
    if signals.er_percentile_peers is not None and np.isfinite(signals.er_percentile_peers):
        value = float(signals.er_percentile_peers) / 100
        # Percentile of a mean over n posts: half-width 0.5/sqrt(n) (project choice, documented).
        half = min(0.5, 0.5 / np.sqrt(max(signals.n_posts, 1)))
        components.append(
            ScoreComponent(
                "engagement_vs_peers",
                value,
                max(0.0, value - half),
                min(1.0, value + half),
                float(weights["engagement_vs_peers"]),
                "creator_data",
                {
                    "er_percentile_peers": signals.er_percentile_peers,
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
            ScoreComponent(
                "organic_comments",
                1 - pod.value,
                1 - pod.high,
                1 - pod.low,
                float(weights["organic_comments"]),
                "creator_data",
                {"pod_like_comment_share": pod.as_dict()},
            )
        )
    return components


def indirect_fake_share(signals: CreatorSignals) -> ShareEstimate:
    """Fake share bracketed from the creator's own data, without any follower profile.

    point = max(bought share, prior midpoint x m), m = clip(1 + (50 - ER percentile) / 50, 0.5, 2)
    (ER below the near-size median raises it, above lowers it; m = 1 when unknown), then
    +/- ``extra_half_width``, the low end never below the bought share. docs/authenticity.md.
    """
    config = audience_quality_config()
    indirect = config["indirect"]
    prior_mid = (float(indirect["prior_low"]) + float(indirect["prior_high"])) / 2
    bought = 0.0
    if signals.followers:
        bought = min(1.0, signals.bought_followers / signals.followers)
    multiplier = 1.0
    if signals.er_percentile_peers is not None and np.isfinite(signals.er_percentile_peers):
        multiplier = float(np.clip(1 + (50 - signals.er_percentile_peers) / 50, 0.5, 2.0))
    density = signals.comments_per_100_likes
    if density is not None and np.isfinite(density) and density < float(indirect["comment_density_low"]):
        # Fewer comments than a healthy audience leaves (vendor range, weak): widen upwards.
        multiplier = min(2.0, multiplier + 0.25)
    point = float(min(1.0, max(bought, prior_mid * multiplier)))
    half = float(indirect["extra_half_width"])
    low = max(bought, point - half, 0.0)
    high = min(1.0, point + half)
    return ShareEstimate(
        point,
        low,
        high,
        0,
        0,
        float(config["thresholds"]["confidence"]),
        "indirect (creator data; no follower sample)",
    )


def indirect_audience_quality(signals: CreatorSignals) -> tuple[ShareEstimate, AudienceQuality]:
    """Fake share and score with ``basis="indirect"``: always wider than a follower-sample audit."""
    weights = audience_quality_config()["weights"]
    fake = indirect_fake_share(signals)
    components = [
        ScoreComponent(
            "real_followers",
            1 - fake.value,
            1 - fake.high,
            1 - fake.low,
            float(weights["real_followers"]),
            "indirect",
            {
                "fake_share": fake.as_dict(),
                "signals": {f.name: getattr(signals, f.name) for f in fields(signals)},
            },
        ),
        *creator_components(signals),
    ]
    quality = audience_quality_score(components, "indirect")
    assert quality is not None  # real_followers is always present
    return fake, quality
