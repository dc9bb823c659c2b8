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
    # Frozen as written: a later change to CREATOR_ALIASES needs a new migration, not an edit here.
    return [
        'CREATE TABLE IF NOT EXISTS "creator_aliases" ("alias_id" VARCHAR, "creator_id" VARCHAR, '
        '"platform" VARCHAR, "handle" VARCHAR, "display_name" VARCHAR, "first_seen" TIMESTAMP, '
        '"last_seen" TIMESTAMP, "reason" VARCHAR, "evidence" VARCHAR, "linked_at" TIMESTAMP, '
        'PRIMARY KEY ("alias_id"))'
    ]


def _v3() -> list[str]:
    """Issue 18: follower samples (profiles of a creator's followers) as a source table.

    Frozen as written: a later change to FOLLOWER_SAMPLES needs a new migration."""
    return [
        'CREATE TABLE IF NOT EXISTS "follower_samples" ("creator_id" VARCHAR, "handle" VARCHAR, '
        '"display_name" VARCHAR, "followers" BIGINT, "following" BIGINT, "posts_count" BIGINT, '
        '"has_profile_pic" BOOLEAN, "is_private" BOOLEAN, "has_external_url" BOOLEAN, '
        '"bio" VARCHAR, "last_post_at" TIMESTAMP, "observed_at" TIMESTAMP, "source_file" VARCHAR, '
        'PRIMARY KEY ("creator_id", "handle"))'
    ]


#: version -> statements that bring the schema from version - 1 to version.
MIGRATIONS: dict[int, Migration] = {1: _v1, 2: _v2, 3: _v3}
