"""Versioned schema migrations for the source tables.

Source tables (creators, posts, snapshots, audience, comments, ingests, quarantine, value notes) hold
data a user loaded and are migrated in place. Result tables (the scorecard and the per-capability
score tables) are derived: each scoring run rebuilds them, so they never need a migration.

A migration is a list of SQL statements in the portable subset (CREATE TABLE, ALTER TABLE ADD
COLUMN). Append new ones; never edit a released one.
"""

from __future__ import annotations

from collections.abc import Callable

from creatorlens.store._schema import (
    AUDIENCE,
    COMMENTS,
    CREATORS,
    FOLLOWER_SAMPLES,
    FOLLOWER_SNAPSHOTS,
    INGESTS,
    POSTS,
    QUARANTINE,
    VALUE_NOTES,
)

Migration = Callable[[], list[str]]


def _v1() -> list[str]:
    return [
        t.create_sql()
        for t in (
            CREATORS,
            POSTS,
            FOLLOWER_SNAPSHOTS,
            AUDIENCE,
            COMMENTS,
            INGESTS,
            QUARANTINE,
            VALUE_NOTES,
        )
    ]


def _v2() -> list[str]:
    """Issue 18: follower samples (profiles of a creator's followers) as a source table."""
    return [FOLLOWER_SAMPLES.create_sql()]


#: version -> statements that bring the schema from version - 1 to version.
MIGRATIONS: dict[int, Migration] = {1: _v1, 2: _v2}
