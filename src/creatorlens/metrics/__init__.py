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

#: The public names, by the module that defines them.
_HOME: dict[str, tuple[str, ...]] = {
    "creatorlens.metrics._benchmarks": (
        "RANKING_METRIC", "PublishedBenchmark", "benchmark_for", "published_benchmarks",
    ),
    "creatorlens.metrics._engagement": (
        "METRIC_SPEC_VERSION", "creator_engagement", "parse_null_reasons", "post_engagement_metrics",
        "windowed_posts",
    ),
    "creatorlens.metrics._rules": ("EngagementRules", "Window"),
    "creatorlens.metrics._growth": ("GROWTH_WINDOW_DAYS", "follower_growth"),
    "creatorlens.metrics._headline": ("HEADLINE_ER", "headline_er", "headline_er_value"),
    "creatorlens.metrics._history": ("PROJECTION_DAYS", "History", "count_history", "follower_history"),
    "creatorlens.metrics._scorecard": ("scorecard_expr",),
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
