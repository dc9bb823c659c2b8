"""Known limits of the official APIs and the YouTube Shorts length rule, read from
``creatorlens/data/api_limits.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from creatorlens.data import load_toml


@dataclass(frozen=True)
class ApiLimit:
    id: str
    apis: tuple[str, ...]
    text: str
    source: str
    since: date | None = None

    def applies_to(self, api: str) -> bool:
        return any(fnmatchcase(api, pattern) for pattern in self.apis)


@dataclass(frozen=True)
class ShortsRule:
    start: date
    max_seconds: float
    source: str


def _data() -> dict[str, Any]:
    return load_toml("api_limits.toml")


@cache
def api_limits() -> tuple[ApiLimit, ...]:
    return tuple(
        ApiLimit(
            id=str(item["id"]),
            apis=tuple(item["apis"]),
            text=str(item["text"]),
            source=str(item["source"]),
            since=item.get("since"),
        )
        for item in _data()["limit"]
    )


def limits_for(api: str) -> list[str]:
    """The limits to tell a user who ingests a payload of ``api``, each with its source."""
    return [f"{lim.text} [source: {lim.source}]" for lim in api_limits() if lim.applies_to(api)]


@cache
def shorts_rules() -> tuple[ShortsRule, ...]:
    rules = (
        ShortsRule(start=item["from"], max_seconds=float(item["seconds"]), source=item["source"])
        for item in _data()["youtube_short_max_duration"]
    )
    return tuple(sorted(rules, key=lambda r: r.start))


def youtube_short_max_seconds(published: datetime) -> float | None:
    """Longest duration YouTube filed as a Short for an upload at ``published``; None before
    Shorts existed."""
    day = published.date()
    current: float | None = None
    for rule in shorts_rules():
        if rule.start <= day:
            current = rule.max_seconds
    return current
