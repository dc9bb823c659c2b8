"""Versioned schema migrations for the source tables.

Source tables (creators, posts, snapshots, audience, comments, ingests, quarantine, value notes,
API keys) hold data a user loaded or made and are migrated in place. Result tables (the scorecard
and the per-capability score tables) are derived: each scoring run rebuilds them, so they never
need a migration.

A migration is a list of SQL statements in the portable subset (CREATE TABLE, ALTER TABLE ADD
COLUMN). Append new ones; never edit a released one.
"""

from __future__ import annotations

from collections.abc import Callable

Migration = Callable[[], list[str]]


def _v1() -> list[str]:
    """The first released schema, frozen as literal SQL: a change to a source table's spec needs a
    new migration, never an edit here (tests/store/test_migrations.py checks that the migrations
    together build exactly the live specs)."""
    return [
        'CREATE TABLE IF NOT EXISTS "creators" ("creator_id" VARCHAR, "platform" VARCHAR, '
        '"handle" VARCHAR, "platform_id" VARCHAR, "display_name" VARCHAR, "bio" VARCHAR, '
        '"followers" BIGINT, "following" BIGINT, "posts_count" BIGINT, "verified" BOOLEAN, '
        '"country" VARCHAR, "language" VARCHAR, "categories" VARCHAR, '
        '"avg_views_reported" DOUBLE, "avg_likes_reported" DOUBLE, '
        '"avg_comments_reported" DOUBLE, "avg_shares_reported" DOUBLE, '
        '"avg_engagement_reported" DOUBLE, "observed_at" TIMESTAMP, "source_file" VARCHAR, '
        '"extra" VARCHAR, PRIMARY KEY ("creator_id"))',
        'CREATE TABLE IF NOT EXISTS "posts" ("post_id" VARCHAR, "creator_id" VARCHAR, '
        '"platform" VARCHAR, "platform_post_id" VARCHAR, "posted_at" TIMESTAMP, "kind" VARCHAR, '
        '"title" VARCHAR, "caption" VARCHAR, "hashtags" VARCHAR, "mentions" VARCHAR, '
        '"duration_s" DOUBLE, "views" BIGINT, "likes" BIGINT, "comments" BIGINT, '
        '"shares" BIGINT, "saves" BIGINT, "reach" BIGINT, "likes_total" BIGINT, '
        '"comments_total" BIGINT, "is_paid" BOOLEAN, "transcript" VARCHAR, '
        '"on_image_text" VARCHAR, "observed_at" TIMESTAMP, "source_file" VARCHAR, '
        '"extra" VARCHAR, PRIMARY KEY ("post_id"))',
        'CREATE TABLE IF NOT EXISTS "follower_snapshots" ("creator_id" VARCHAR, '
        '"observed_at" TIMESTAMP, "followers" BIGINT, "following" BIGINT, "posts_count" BIGINT, '
        '"source_file" VARCHAR, PRIMARY KEY ("creator_id", "observed_at"))',
        'CREATE TABLE IF NOT EXISTS "audience" ("creator_id" VARCHAR, "dimension" VARCHAR, '
        '"bucket" VARCHAR, "share" DOUBLE, "source" VARCHAR, "observed_at" TIMESTAMP, '
        'PRIMARY KEY ("creator_id", "dimension", "bucket", "source"))',
        'CREATE TABLE IF NOT EXISTS "comments" ("comment_id" VARCHAR, "post_id" VARCHAR, '
        '"author" VARCHAR, "text" VARCHAR, "created_at" TIMESTAMP, "reply_to" VARCHAR, '
        '"source_file" VARCHAR, PRIMARY KEY ("comment_id"))',
        'CREATE TABLE IF NOT EXISTS "ingests" ("ingest_id" VARCHAR, "file" VARCHAR, '
        '"sha256" VARCHAR, "format" VARCHAR, "platform" VARCHAR, "started_at" TIMESTAMP, '
        '"finished_at" TIMESTAMP, "rows_read" BIGINT, "rows_loaded" BIGINT, '
        '"rows_quarantined" BIGINT, "creators" BIGINT, "posts" BIGINT, "warnings" VARCHAR, '
        'PRIMARY KEY ("ingest_id"))',
        'CREATE TABLE IF NOT EXISTS "quarantine" ("ingest_id" VARCHAR, "file" VARCHAR, '
        '"row" BIGINT, "column" VARCHAR, "value" VARCHAR, "reason" VARCHAR)',
        'CREATE TABLE IF NOT EXISTS "value_notes" ("ingest_id" VARCHAR, "file" VARCHAR, '
        '"row" BIGINT, "column" VARCHAR, "value" VARCHAR, "reason" VARCHAR)',
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


def _v4() -> list[str]:
    """Issue 12: the REST API's key store is the core's (``store._keys``): its table is a source
    table made by a migration, no longer created on the first ``keys create``. IF NOT EXISTS: a
    workspace that already made it then has the same columns.

    Frozen as written: a later change to API_KEYS needs a new migration."""
    return [
        'CREATE TABLE IF NOT EXISTS "api_keys" ("key_id" VARCHAR, "name" VARCHAR, '
        '"sha256" VARCHAR, "created_at" TIMESTAMP, "revoked_at" TIMESTAMP, '
        'PRIMARY KEY ("key_id"))'
    ]


def _v5() -> list[str]:
    """Issue 15: the interaction graph's edges (``ingest --kind edges``) as a source table.

    Frozen as written: a later change to EDGES needs a new migration."""
    return [
        'CREATE TABLE IF NOT EXISTS "edges" ("platform" VARCHAR, "source" VARCHAR, '
        '"target" VARCHAR, "source_id" VARCHAR, "target_id" VARCHAR, "kind" VARCHAR, '
        '"weight" DOUBLE, "time" TIMESTAMP, "ingest_id" VARCHAR, "source_file" VARCHAR, '
        '"row" BIGINT, "extra" VARCHAR)'
    ]


def _v6() -> list[str]:
    """Issue 13: the account's lifetime total views in each follower snapshot (YouTube's
    ``statistics.viewCount``), for the view-count history. Older rows keep null: unknown.

    Frozen as written: a later change to FOLLOWER_SNAPSHOTS needs a new migration."""
    return ['ALTER TABLE "follower_snapshots" ADD COLUMN IF NOT EXISTS "views" BIGINT']


#: version -> statements that bring the schema from version - 1 to version.
MIGRATIONS: dict[int, Migration] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6}
