"""Engagement, growth and benchmark metrics (backend-agnostic Ibis expressions)."""

from creatorlens.metrics._benchmarks import (
    RANKING_METRIC,
    PublishedBenchmark,
    benchmark_for,
    published_benchmarks,
)
from creatorlens.metrics._engagement import (
    METRIC_SPEC_VERSION,
    EngagementRules,
    Window,
    creator_engagement,
    parse_null_reasons,
    post_engagement_metrics,
    windowed_posts,
)
from creatorlens.metrics._growth import GROWTH_WINDOW_DAYS, follower_growth
from creatorlens.metrics._headline import HEADLINE_ER, headline_er, headline_er_value
from creatorlens.metrics._history import (
    PROJECTION_DAYS,
    History,
    count_history,
    follower_history,
)
from creatorlens.metrics._scorecard import scorecard_expr

__all__ = [
    "GROWTH_WINDOW_DAYS",
    "HEADLINE_ER",
    "METRIC_SPEC_VERSION",
    "PROJECTION_DAYS",
    "RANKING_METRIC",
    "EngagementRules",
    "History",
    "PublishedBenchmark",
    "Window",
    "benchmark_for",
    "count_history",
    "creator_engagement",
    "follower_growth",
    "follower_history",
    "headline_er",
    "headline_er_value",
    "parse_null_reasons",
    "post_engagement_metrics",
    "published_benchmarks",
    "scorecard_expr",
    "windowed_posts",
]
