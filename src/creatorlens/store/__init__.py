"""Storage edge: the workspace database, its schema and migrations."""

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports
from creatorlens.store._schema import (
    AUDIENCE,
    AUDIENCE_DIMENSIONS,
    COMMENTS,
    COMMUNITIES,
    CREATOR_ALIASES,
    CREATORS,
    EDGES,
    FOLLOWER_SAMPLES,
    FOLLOWER_SNAPSHOTS,
    GRAPH_FEATURES,
    INGESTS,
    PLATFORMS,
    POST_KINDS,
    POSTS,
    QUARANTINE,
    RESULT_TABLES,
    SCHEMA_VERSION,
    SCORECARD,
    TABLES,
    TABLES_BY_NAME,
    UNITS,
    VALUE_NOTES,
    TableSpec,
    column_unit,
    creator_id,
    is_unit,
    post_id,
    unit_of,
)
from creatorlens.store._store import CREATOR_VIEW, DEFAULT_PATH, Store, WorkspaceError, conform

if TYPE_CHECKING:
    from creatorlens.store._bound import bound_sql, fetch_bound

# Ibis-bound reads load Ibis on first use (`creatorlens show` reads without it).
__getattr__, __dir__ = lazy_exports(
    __name__, {"creatorlens.store._bound": ("bound_sql", "fetch_bound")}, globals()
)

__all__ = [
    "AUDIENCE",
    "AUDIENCE_DIMENSIONS",
    "COMMENTS",
    "COMMUNITIES",
    "CREATORS",
    "CREATOR_ALIASES",
    "CREATOR_VIEW",
    "DEFAULT_PATH",
    "EDGES",
    "FOLLOWER_SAMPLES",
    "FOLLOWER_SNAPSHOTS",
    "GRAPH_FEATURES",
    "INGESTS",
    "PLATFORMS",
    "POSTS",
    "POST_KINDS",
    "QUARANTINE",
    "RESULT_TABLES",
    "SCHEMA_VERSION",
    "SCORECARD",
    "TABLES",
    "TABLES_BY_NAME",
    "UNITS",
    "VALUE_NOTES",
    "Store",
    "TableSpec",
    "WorkspaceError",
    "bound_sql",
    "column_unit",
    "conform",
    "creator_id",
    "fetch_bound",
    "is_unit",
    "post_id",
    "unit_of",
]
