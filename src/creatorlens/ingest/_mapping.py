"""Map source column names to creatorlens fields (synonyms as data, user overrides, known layouts)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from creatorlens.data import load_csv, load_toml
from creatorlens.errors import MappingError as MappingError

CREATOR_FIELDS = (
    "platform", "handle", "display_name", "platform_id", "bio", "followers", "following",
    "posts_count", "verified", "country", "language", "categories", "avg_views_reported",
    "avg_likes_reported", "avg_comments_reported", "avg_shares_reported",
    "avg_engagement_reported", "authentic_engagement_reported", "audience_top_country",
    "observed_at", "views_total",
)  # fmt: skip
POST_FIELDS = (
    "platform_post_id", "posted_at", "post_age", "kind", "title", "caption", "hashtags",
    "mentions", "duration_s", "views", "likes", "comments", "shares", "saves", "reach",
    "likes_total", "comments_total", "is_paid", "post_url", "transcript", "on_image_text",
)  # fmt: skip
#: Fields whose presence makes a row a post (rather than a creator profile row).
POST_MARKERS = ("platform_post_id", "posted_at", "post_age", "caption", "views", "likes",
                "comments", "post_url")  # fmt: skip
NUMERIC_FIELDS = frozenset(
    {
        "followers", "following", "posts_count", "avg_views_reported", "avg_likes_reported",
        "avg_comments_reported", "avg_shares_reported", "avg_engagement_reported",
        "authentic_engagement_reported", "views", "likes", "comments", "shares",
        "saves", "reach", "likes_total", "comments_total", "views_total",
    }
)  # fmt: skip
#: Fields a source may give several columns for; their values are joined, not coalesced.
MULTI_FIELDS = frozenset({"categories"})
ALL_FIELDS = frozenset(CREATOR_FIELDS) | frozenset(POST_FIELDS)


def normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z가-힣]", "", name.lower())


@cache
def synonym_table(name: str) -> dict[str, str]:
    """normalised source name -> field, from a data CSV of ``field`` and ``synonyms`` ('|')."""
    table: dict[str, str] = {}
    for row in load_csv(name):
        for syn in row["synonyms"].split("|"):
            table.setdefault(normalise(syn), row["field"])
    return table


def synonyms() -> dict[str, str]:
    """normalised source name -> field (data/column_synonyms.csv)."""
    return synonym_table("column_synonyms.csv")


@cache
def _layouts() -> list[dict[str, Any]]:
    layouts: list[dict[str, Any]] = load_toml("layouts.toml")["layout"]
    return layouts


def parse_map_options(
    options: Sequence[str], fields: Sequence[str] | frozenset[str] | None = None
) -> dict[str, str]:
    """``["Seguidores=followers", ...]`` -> {source column: field}, validated against ``fields``
    (the export fields by default; the edge fields for an edges file)."""
    known = ALL_FIELDS if fields is None else fields
    result: dict[str, str] = {}
    for opt in options:
        source, sep, target = opt.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise MappingError(
                f"--map {opt!r}: write it as COLUMN=FIELD, e.g. --map Seguidores=followers"
            )
        target = target.strip()
        if target not in known and target != "ignore":
            raise MappingError(
                f"--map {opt!r}: unknown field {target!r}; fields are {', '.join(sorted(known))}"
                " or 'ignore'"
            )
        result[source.strip()] = target
    return result


@dataclass
class ColumnMapping:
    """Which source column feeds which field. ``columns[field]`` lists columns in priority order."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layout: str | None = None

    def has(self, name: str) -> bool:
        return bool(self.columns.get(name))

    @property
    def is_post_level(self) -> bool:
        return any(self.has(f) for f in POST_MARKERS)

    def drop(self, field_name: str, column: str, why: str) -> None:
        cols = self.columns.get(field_name, [])
        if column in cols:
            cols.remove(column)
            self.unmapped.append(column)
            self.notes.append(why)


def map_columns(
    columns: Sequence[str],
    *,
    user_map: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> ColumnMapping:
    """Decide the field of every column. ``columns`` are unique names (duplicates already suffixed
    ``.1``, ``.2`` ... by the reader, the suffix is ignored when matching)."""
    user_map = dict(user_map or {})
    base_names = [re.sub(r"\.\d+$", "", c) for c in columns]
    normalised = [normalise(b) for b in base_names]
    layout_overrides, layout_id, layout_reason = _match_layout(normalised, platform)
    mapping = ColumnMapping(layout=layout_id)
    if layout_reason:
        mapping.notes.append(f"known layout {layout_id}: {layout_reason}")
    table = synonyms()
    user_norm = {normalise(k): v for k, v in user_map.items()}
    # Matched on the normalised name too: the Nov 2022 Top-1000 export heads its column "\nCountry".
    layout_norm = {normalise(k): v for k, v in layout_overrides.items()}
    for col, base, norm in zip(columns, base_names, normalised, strict=True):
        target = user_map.get(col) or user_map.get(base) or user_norm.get(norm)
        if target is None:
            target = layout_overrides.get(base) or layout_overrides.get(col) or layout_norm.get(norm)
        if target is None:
            target = table.get(norm)
        if target is None or target == "ignore":
            mapping.unmapped.append(col)
            continue
        mapping.columns.setdefault(target, []).append(col)
    for source in user_map:
        if (
            source not in columns
            and source not in base_names
            and normalise(source) not in normalised
        ):
            raise MappingError(f"--map {source}=...: the file has no column {source!r}")
    return mapping


def _match_layout(
    normalised: Sequence[str], platform: str | None
) -> tuple[dict[str, str], str | None, str | None]:
    for layout in _layouts():
        if layout.get("platform") and platform and layout["platform"] != platform:
            continue
        exact = layout.get("headers")
        contains = layout.get("headers_contain")
        if (exact and list(normalised) == exact) or (
            contains and all(h in normalised for h in contains)
        ):
            return dict(layout["overrides"]), str(layout["id"]), str(layout["reason"])
    return {}, None, None


_HANDLE_LIKE = re.compile(r"^@?[A-Za-z0-9._\-]{1,40}$")


def handle_likeness(values: Sequence[object]) -> float:
    """Share of values that look like account handles (no spaces, URL-safe)."""
    seen = [str(v) for v in values if v not in (None, "")]
    if not seen:
        return 0.0
    return sum(1 for v in seen if _HANDLE_LIKE.match(v)) / len(seen)
