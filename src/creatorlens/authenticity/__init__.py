"""Authenticity: fake accounts, audience quality with an interval, growth and engagement anomalies.

See docs/authenticity.md for every definition, formula and evaluation.
"""

from creatorlens.authenticity._accounts import FakeAccountClassifier, ModelFormatError
from creatorlens.authenticity._anomalies import (
    GrowthRules,
    PodRules,
    comment_pod_signals,
    detect_engagement_anomalies,
    detect_growth_anomalies,
)
from creatorlens.authenticity._audience_quality import (
    AudienceQuality,
    CreatorSignals,
    FollowerAudit,
    ScoreComponent,
    audience_quality_score,
    audit_follower_sample,
    indirect_audience_quality,
    indirect_fake_share,
)
from creatorlens.authenticity._features import (
    PROFILE_COLUMNS,
    canonical_profiles,
    feature_names,
    from_creators,
    from_instafake,
    from_kaggle,
    profile_features,
)
from creatorlens.authenticity._intervals import (
    ShareEstimate,
    corrected_share,
    rogan_gladen,
    wilson_interval,
)
from creatorlens.authenticity._io import FollowerFileError, read_follower_sample
from creatorlens.authenticity._report import AuthenticityReport, build_report

__all__ = [
    "PROFILE_COLUMNS",
    "AudienceQuality",
    "AuthenticityReport",
    "CreatorSignals",
    "FakeAccountClassifier",
    "FollowerAudit",
    "FollowerFileError",
    "GrowthRules",
    "ModelFormatError",
    "PodRules",
    "ScoreComponent",
    "ShareEstimate",
    "audience_quality_score",
    "audit_follower_sample",
    "build_report",
    "canonical_profiles",
    "comment_pod_signals",
    "corrected_share",
    "detect_engagement_anomalies",
    "detect_growth_anomalies",
    "feature_names",
    "from_creators",
    "from_instafake",
    "from_kaggle",
    "indirect_audience_quality",
    "indirect_fake_share",
    "profile_features",
    "read_follower_sample",
    "rogan_gladen",
    "wilson_interval",
]
