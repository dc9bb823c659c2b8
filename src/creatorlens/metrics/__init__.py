"""Engagement, growth and benchmark metrics (backend-agnostic Ibis expressions).

The names below load on first use (PEP 562): the planner's price model reads the published
benchmarks without importing the Ibis expressions of the scorecard (`creatorlens show`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens.metrics._benchmarks import (
        RANKING_METRIC as RANKING_METRIC,
        PublishedBenchmark as PublishedBenchmark,
        benchmark_for as benchmark_for,
        published_benchmarks as published_benchmarks,
    )
    from creatorlens.metrics._engagement import (
        METRIC_SPEC_VERSION as METRIC_SPEC_VERSION,
        creator_engagement as creator_engagement,
        parse_null_reasons as parse_null_reasons,
        post_engagement_metrics as post_engagement_metrics,
        windowed_posts as windowed_posts,
    )
    from creatorlens.metrics._growth import (
        GROWTH_WINDOW_DAYS as GROWTH_WINDOW_DAYS,
        follower_growth as follower_growth,
    )
    from creatorlens.metrics._headline import (
        HEADLINE_ER as HEADLINE_ER,
        headline_er as headline_er,
        headline_er_value as headline_er_value,
    )
    from creatorlens.metrics._history import (
        PROJECTION_DAYS as PROJECTION_DAYS,
        History as History,
        count_history as count_history,
        follower_history as follower_history,
    )
    from creatorlens.metrics._rules import EngagementRules as EngagementRules, Window as Window
    from creatorlens.metrics._scorecard import scorecard_expr as scorecard_expr

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

#: Every public name (the names of _HOME), for `from ... import *` and the API test.
__all__ = sorted(name for names in _HOME.values() for name in names)
