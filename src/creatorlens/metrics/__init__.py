"""Engagement, growth and benchmark metrics (backend-agnostic Ibis expressions).

The names below load on first use (PEP 562): the planner's price model reads the published
benchmarks without importing the Ibis expressions of the scorecard (`creatorlens show`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
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
    from creatorlens.metrics._history import PROJECTION_DAYS, History, count_history, follower_history
    from creatorlens.metrics._scorecard import scorecard_expr

#: Where each public name lives.
_HOME: dict[str, str] = {
    "RANKING_METRIC": "creatorlens.metrics._benchmarks",
    "PublishedBenchmark": "creatorlens.metrics._benchmarks",
    "benchmark_for": "creatorlens.metrics._benchmarks",
    "published_benchmarks": "creatorlens.metrics._benchmarks",
    "METRIC_SPEC_VERSION": "creatorlens.metrics._engagement",
    "EngagementRules": "creatorlens.metrics._rules",
    "Window": "creatorlens.metrics._rules",
    "creator_engagement": "creatorlens.metrics._engagement",
    "parse_null_reasons": "creatorlens.metrics._engagement",
    "post_engagement_metrics": "creatorlens.metrics._engagement",
    "windowed_posts": "creatorlens.metrics._engagement",
    "GROWTH_WINDOW_DAYS": "creatorlens.metrics._growth",
    "follower_growth": "creatorlens.metrics._growth",
    "HEADLINE_ER": "creatorlens.metrics._headline",
    "headline_er": "creatorlens.metrics._headline",
    "headline_er_value": "creatorlens.metrics._headline",
    "PROJECTION_DAYS": "creatorlens.metrics._history",
    "History": "creatorlens.metrics._history",
    "count_history": "creatorlens.metrics._history",
    "follower_history": "creatorlens.metrics._history",
    "scorecard_expr": "creatorlens.metrics._scorecard",
}

__getattr__, __dir__ = lazy_exports(__name__, _HOME, globals())

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
