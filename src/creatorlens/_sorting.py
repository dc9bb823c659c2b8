"""What creator lists can be sorted by: a constant the CLI needs for its help text, kept apart
from the workspace so that `creatorlens --help` does not import the query stack."""

from __future__ import annotations

#: Columns of the creator view a list may be sorted by.
SORTABLE = (
    "followers", "er_followers_lc_median", "er_followers_lc_mean", "er_views_lcs_median",
    "er_percentile_peers", "er_percentile_tier", "avg_views", "follower_growth_30d", "handle",
    "n_posts", "expertise", "focus", "audience_quality", "transparency_us", "language",
)  # fmt: skip
