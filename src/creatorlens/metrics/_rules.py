"""The window of posts and the rankability rules of the engagement metrics (docs/metrics.md;
the numbers in data/engagement_rules.toml). Apart from the Ibis expressions of
``metrics._engagement``, so that the planner's price model reads them without importing Ibis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from creatorlens.data import load_toml
from creatorlens.errors import OptionError


@dataclass(frozen=True)
class Window:
    last_n: int = 30
    min_age_days: int = 7
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.last_n < 1:
            raise OptionError("the window needs at least 1 post (last_n >= 1)")
        if self.min_age_days < 0:
            raise OptionError("min_age_days cannot be negative")


@dataclass(frozen=True)
class EngagementRules:
    """When an ER may be ranked (data/engagement_rules.toml, docs/metrics.md). No defaults here:
    the numbers live in the data file (:meth:`load`)."""

    min_posts: int
    likes_above_views: bool
    max_er_views: float | None
    max_er_followers: Mapping[str, float] = field(default_factory=dict)
    version: int = 1

    def __post_init__(self) -> None:
        if self.min_posts < 0:
            raise OptionError("min_posts cannot be negative")

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> EngagementRules:
        plaus = dict(raw["plausibility"])  # type: ignore[call-overload]
        bounds = plaus.pop("max_er_followers", {})
        max_views = plaus.get("max_er_views")
        return cls(
            min_posts=int(raw["min_posts"]),  # type: ignore[call-overload]
            likes_above_views=bool(plaus["likes_above_views"]),
            max_er_views=None if max_views is None else float(max_views),
            max_er_followers={str(k): float(v) for k, v in dict(bounds).items()},
            version=int(raw.get("version", 1)),  # type: ignore[call-overload]
        )

    @classmethod
    def load(cls) -> EngagementRules:
        return _default_rules()


@cache
def _default_rules() -> EngagementRules:
    return EngagementRules.from_mapping(load_toml("engagement_rules.toml"))
