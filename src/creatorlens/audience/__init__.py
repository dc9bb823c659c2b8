"""Target audiences, audience fit and audience overlap between creators."""

from creatorlens.audience._fit import (
    FIT_COLUMNS,
    age_band,
    audience_fit,
    reachable_audience,
    split_age_gender,
)
from creatorlens.audience._overlap import (
    OverlapMatrix,
    coverage_reach,
    estimated_overlap,
    overlap_from_samples,
    segment_pools,
    unique_reach_from_samples,
)
from creatorlens.audience._overlap_scale import AudienceOverlap, Count, audience_overlap, theta_sketch
from creatorlens.audience._target import AGE_BANDS, GENDERS, Target, TargetError, parse_age_range

__all__ = [
    "AGE_BANDS",
    "FIT_COLUMNS",
    "GENDERS",
    "AudienceOverlap",
    "Count",
    "OverlapMatrix",
    "Target",
    "TargetError",
    "age_band",
    "audience_fit",
    "audience_overlap",
    "coverage_reach",
    "estimated_overlap",
    "overlap_from_samples",
    "parse_age_range",
    "reachable_audience",
    "segment_pools",
    "split_age_gender",
    "theta_sketch",
    "unique_reach_from_samples",
]
