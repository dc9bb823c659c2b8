"""The workspace's tables, declared once as data.

Every table is an ordered mapping of column name to a portable type name. The same declaration
creates the DuckDB tables, builds empty Arrow tables for the ingest pipeline, and documents the
data model (``docs/data-model.md`` is checked against it by a test).

Identifiers are readable strings so that joins work on every backend without sequences:
``creator_id = "<platform>:<handle lowercased>"`` and ``post_id = "<platform>:<platform post id>"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

#: Bump when a migration is added to ``_migrations.MIGRATIONS``.
SCHEMA_VERSION = 1

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}

_SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}

PLATFORMS = ("instagram", "tiktok", "youtube")
POST_KINDS = ("photo", "video", "carousel", "reel", "short", "story")
AUDIENCE_DIMENSIONS = ("age", "gender", "country", "city", "language", "interest")


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: Mapping[str, str]
    primary_key: tuple[str, ...] = ()
    doc: str = ""
    column_docs: Mapping[str, str] = field(default_factory=dict)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(c, _ARROW_TYPES[t]) for c, t in self.columns.items()])

    def empty(self) -> pa.Table:
        return self.arrow_schema().empty_table()

    def create_sql(self) -> str:
        cols = [f'"{c}" {_SQL_TYPES[t]}' for c, t in self.columns.items()]
        if self.primary_key:
            cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in self.primary_key) + ")")
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (' + ", ".join(cols) + ")"


CREATORS = TableSpec(
    "creators",
    {
        "creator_id": "string",
        "platform": "string",
        "handle": "string",
        "platform_id": "string",
        "display_name": "string",
        "bio": "string",
        "followers": "int64",
        "following": "int64",
        "posts_count": "int64",
        "verified": "bool",
        "country": "string",
        "language": "string",
        "categories": "string",
        "avg_views_reported": "float64",
        "avg_likes_reported": "float64",
        "avg_comments_reported": "float64",
        "avg_shares_reported": "float64",
        "avg_engagement_reported": "float64",
        "observed_at": "timestamp",
        "source_file": "string",
        "extra": "string",
    },
    primary_key=("creator_id",),
    doc="One row per creator account: the latest observation of its profile and counts.",
    column_docs={
        "categories": "category labels joined with '|', as the source gave them",
        "avg_*_reported": "per-post averages a ranking export states when it has no posts",
        "observed_at": "when the counts were observed (scrape time, file date or ingest time)",
        "extra": "JSON object of source columns that map to no field, so nothing is lost",
    },
)

POSTS = TableSpec(
    "posts",
    {
        "post_id": "string",
        "creator_id": "string",
        "platform": "string",
        "platform_post_id": "string",
        "posted_at": "timestamp",
        "kind": "string",
        "title": "string",
        "caption": "string",
        "hashtags": "string",
        "mentions": "string",
        "duration_s": "float64",
        "views": "int64",
        "likes": "int64",
        "comments": "int64",
        "shares": "int64",
        "saves": "int64",
        "reach": "int64",
        "likes_total": "int64",
        "comments_total": "int64",
        "is_paid": "bool",
        "transcript": "string",
        "on_image_text": "string",
        "observed_at": "timestamp",
        "source_file": "string",
        "extra": "string",
    },
    primary_key=("post_id",),
    doc="One row per post, video, reel, short or story.",
    column_docs={
        "hashtags": "space-separated, without '#', in the order they appear",
        "mentions": "space-separated, without '@'",
        "likes_total": "Instagram total_like_count (organic + promoted) when given",
        "is_paid": "platform paid-partnership / promotional flag when the source gives it",
        "transcript": "JSON list of [start_seconds, text] segments when a timed transcript is given",
    },
)

FOLLOWER_SNAPSHOTS = TableSpec(
    "follower_snapshots",
    {
        "creator_id": "string",
        "observed_at": "timestamp",
        "followers": "int64",
        "following": "int64",
        "posts_count": "int64",
        "source_file": "string",
    },
    primary_key=("creator_id", "observed_at"),
    doc="Every observation of a creator's counts, for growth and anomaly detection.",
)

AUDIENCE = TableSpec(
    "audience",
    {
        "creator_id": "string",
        "dimension": "string",
        "bucket": "string",
        "share": "float64",
        "source": "string",
        "observed_at": "timestamp",
    },
    primary_key=("creator_id", "dimension", "bucket", "source"),
    doc="Audience breakdown: share of a creator's audience in each bucket of a dimension.",
    column_docs={
        "dimension": "age | gender | country | city | language | interest | age_gender",
        "share": "fraction in [0, 1]; the shares of one dimension and source sum to about 1",
    },
)

COMMENTS = TableSpec(
    "comments",
    {
        "comment_id": "string",
        "post_id": "string",
        "author": "string",
        "text": "string",
        "created_at": "timestamp",
        "reply_to": "string",
        "source_file": "string",
    },
    primary_key=("comment_id",),
    doc="Comments on posts when a source provides them (closeness, engagement pods).",
)

INGESTS = TableSpec(
    "ingests",
    {
        "ingest_id": "string",
        "file": "string",
        "sha256": "string",
        "format": "string",
        "platform": "string",
        "started_at": "timestamp",
        "finished_at": "timestamp",
        "rows_read": "int64",
        "rows_loaded": "int64",
        "rows_quarantined": "int64",
        "creators": "int64",
        "posts": "int64",
        "warnings": "string",
    },
    primary_key=("ingest_id",),
    doc="One row per ingested file; re-ingesting identical content is recognised by sha256.",
)

QUARANTINE = TableSpec(
    "quarantine",
    {
        "ingest_id": "string",
        "file": "string",
        "row": "int64",
        "column": "string",
        "value": "string",
        "reason": "string",
    },
    doc="Input rows that were not loaded, with the reason. read = loaded + quarantined.",
    column_docs={"row": "row as a spreadsheet numbers it (header = 1) or record index in JSON"},
)

VALUE_NOTES = TableSpec(
    "value_notes",
    {
        "ingest_id": "string",
        "file": "string",
        "row": "int64",
        "column": "string",
        "value": "string",
        "reason": "string",
    },
    doc="Cells that became null in a loaded row (N/A, #VALUE!, unparseable), with the reason.",
)

SCORECARD = TableSpec(
    "scorecard",
    {
        "creator_id": "string",
        "platform": "string",
        "handle": "string",
        "display_name": "string",
        "bio": "string",
        "country": "string",
        "categories": "string",
        "followers": "int64",
        "tier": "string",
        "tier_scheme": "string",
        "peer_group": "int64",
        "n_posts": "int64",
        "er_source": "string",
        "er_followers_lc_mean": "float64",
        "er_followers_lc_median": "float64",
        "er_followers_lcs_mean": "float64",
        "er_followers_lcs_median": "float64",
        "er_followers_lcss_mean": "float64",
        "er_followers_lcss_median": "float64",
        "er_views_lc_mean": "float64",
        "er_views_lc_median": "float64",
        "er_views_lcs_mean": "float64",
        "er_views_lcs_median": "float64",
        "er_reach_lc_mean": "float64",
        "er_reach_lc_median": "float64",
        "avg_views": "float64",
        "avg_likes": "float64",
        "avg_comments": "float64",
        "avg_shares": "float64",
        "median_views": "float64",
        "view_rate": "float64",
        "comments_per_100_likes": "float64",
        "posts_per_week": "float64",
        "follower_growth_30d": "float64",
        "follower_growth_30d_pct": "float64",
        "er_percentile_tier": "float64",
        "er_percentile_peers": "float64",
        "benchmark_er": "float64",
        "benchmark_source": "string",
        "benchmark_formula_differs": "bool",
        "null_reasons": "string",
        "window_start": "timestamp",
        "window_end": "timestamp",
        "metric_spec_version": "string",
        "scored_at": "timestamp",
    },
    primary_key=("creator_id",),
    doc="One row per creator written by Workspace.score(); see docs/metrics.md for every column.",
)

SCORE_RUNS = TableSpec(
    "score_runs",
    {
        "run_id": "string",
        "published_at": "timestamp",
        "table_name": "string",
        "rows": "int64",
        "note": "string",
    },
    doc="Publish log of scoring runs: one row per result table a run switched in, all in the "
    "same transaction as the tables themselves (so each table's row names the run it came from).",
)

API_KEYS = TableSpec(
    "api_keys",
    {
        "key_id": "string",
        "name": "string",
        "sha256": "string",
        "created_at": "timestamp",
        "revoked_at": "timestamp",
    },
    primary_key=("key_id",),
    doc="API keys for the REST API: only the SHA-256 of each key is stored.",
)

TABLES: tuple[TableSpec, ...] = (
    CREATORS,
    POSTS,
    FOLLOWER_SNAPSHOTS,
    AUDIENCE,
    COMMENTS,
    INGESTS,
    QUARANTINE,
    VALUE_NOTES,
    SCORECARD,
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def creator_id(platform: str, handle: str) -> str:
    return f"{platform}:{handle.strip().lstrip('@').lower()}"


def post_id(platform: str, platform_post_id: str) -> str:
    return f"{platform}:{platform_post_id}"
