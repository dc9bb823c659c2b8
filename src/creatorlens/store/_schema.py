"""The workspace's tables, declared once as data.

Every table is an ordered mapping of column name to a portable type name. The same declaration
creates the DuckDB tables, builds empty Arrow tables for the ingest pipeline, and documents the
data model (``docs/data-model.md`` is checked against it by a test).

Identifiers are readable strings so that joins work on every backend without sequences:
``creator_id = "<platform>:<handle lowercased>"`` and ``post_id = "<platform>:<platform post id>"``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

#: Bump when a migration is added to ``_migrations.MIGRATIONS``.
SCHEMA_VERSION = 6

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


#: The units a result-table column can declare (docs/metrics.md "Units"). Each says what a value
#: may be (checked on every result table by tests/validity/test_units.py) and how it reads
#: (presentation._values formats a value from its unit).
UNITS: dict[str, str] = {
    "id": "identifier (text)",
    "text": "free text",
    "category": "a label from a fixed vocabulary (platform, tier, verdict ...)",
    "json": "JSON text",
    "flag": "true / false",
    "timestamp": "a point in time (UTC, no zone)",
    "count": "integer >= 0",
    "amount": "real >= 0: an average of counts or a count per unit (per post, per 100 likes, per week)",
    "number": "any real: a signed change or a z-score",
    "fraction": "share in [0, 1]; shown as a percentage",
    "rate": "ratio >= 0 that may exceed 1 (an engagement rate); shown as a percentage",
    "change": "relative change >= -1 (growth); shown as a signed percentage",
    "percentile": "percentile rank as a fraction in [0, 1]; shown as pNN",
    "percentile100": "percentile rank in [0, 100]; shown as pNN",
    "percent": "percentage in [0, 100]",
    "score": "score in [0, 100]",
    "days": "duration in days, >= 0",
    "money:<ISO 4217>": "amount of money >= 0 in the named currency, e.g. money:USD",
}
_MONEY = re.compile(r"^money:[A-Z]{3}$")


def is_unit(unit: str) -> bool:
    return unit in UNITS or bool(_MONEY.match(unit))


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: Mapping[str, str]
    primary_key: tuple[str, ...] = ()
    doc: str = ""
    column_docs: Mapping[str, str] = field(default_factory=dict)
    #: column (or fnmatch pattern, for columns per jurisdiction) -> unit, see ``UNITS``. Every
    #: result table declares one for each column.
    units: Mapping[str, str] = field(default_factory=dict)

    def unit(self, column: str) -> str | None:
        """The declared unit of a column (exact name first, then the first matching pattern)."""
        if column in self.units:
            return self.units[column]
        for pattern, unit in self.units.items():
            if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(column, pattern):
                return unit
        return None

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
        "views": "int64",
    },
    primary_key=("creator_id", "observed_at"),
    doc="Every observation of a creator's counts, for growth and anomaly detection.",
    column_docs={
        "views": "the account's lifetime total views (YouTube statistics.viewCount, a file's "
        "total-views column); null where the source gives no account total (Instagram, TikTok)",
    },
)

FOLLOWER_SAMPLES = TableSpec(
    "follower_samples",
    {
        "creator_id": "string",
        "handle": "string",
        "display_name": "string",
        "followers": "int64",
        "following": "int64",
        "posts_count": "int64",
        "has_profile_pic": "bool",
        "is_private": "bool",
        "has_external_url": "bool",
        "bio": "string",
        "last_post_at": "timestamp",
        "observed_at": "timestamp",
        "source_file": "string",
    },
    primary_key=("creator_id", "handle"),
    doc="Profiles of a sample of a creator's followers (an export or collector), scored by the "
    "fake-account classifier (docs/authenticity.md, 'follower sample').",
    column_docs={
        "handle": "the follower's handle (one row per follower of the creator)",
        "last_post_at": "the follower's latest post; null when it never posted or it is unknown",
    },
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

EDGES = TableSpec(
    "edges",
    {
        "platform": "string",
        "source": "string",
        "target": "string",
        "source_id": "string",
        "target_id": "string",
        "kind": "string",
        "weight": "float64",
        "time": "timestamp",
        "ingest_id": "string",
        "source_file": "string",
        "row": "int64",
        "extra": "string",
    },
    doc="Edges of the interaction graph from an edges file (`ingest --kind edges`): who follows, "
    "comments on, replies to, mentions or collaborates with whom (docs/communities.md). One row "
    "per input row: repeated edges are kept and summed when the graph is built.",
    column_docs={
        "source": "the account that acts (follows, comments, mentions), as written (no leading @)",
        "target": "the account acted upon, as written (no leading @)",
        "source_id": "``<platform>:<handle lowercased>``, the creator_id the source would have",
        "target_id": "``<platform>:<handle lowercased>``, the creator_id the target would have",
        "kind": "follow | comment | reply | mention | collaboration | interaction (when unnamed)",
        "weight": "real >= 0; 1 when the file gives none",
        "time": "when the interaction happened; null when the file does not say",
        "row": "row as a spreadsheet numbers it (header = 1)",
        "extra": "JSON object of the file's other columns, so nothing of a row is lost",
    },
)

CREATOR_ALIASES = TableSpec(
    "creator_aliases",
    {
        "alias_id": "string",
        "creator_id": "string",
        "platform": "string",
        "handle": "string",
        "display_name": "string",
        "first_seen": "timestamp",
        "last_seen": "timestamp",
        "reason": "string",
        "evidence": "string",
        "linked_at": "timestamp",
    },
    primary_key=("alias_id",),
    doc="Older records of a creator merged into its current one (renamed handle, same platform id).",
    column_docs={
        "alias_id": "the creator_id the older record had; rows that still name it land on creator_id",
        "reason": "same platform id | renamed handle (rules in data/identity.toml) | same videos "
        "(a renamed TikTok account, docs/collectors.md)",
        "evidence": "what the data showed: handles, periods, shared name, follower continuity",
    },
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

#: A cell of an ingested file and what became of it: the columns of quarantine and value_notes.
_CELL_NOTE_COLUMNS = {
    "ingest_id": "string",
    "file": "string",
    "row": "int64",
    "column": "string",
    "value": "string",
    "reason": "string",
}

QUARANTINE = TableSpec(
    "quarantine",
    _CELL_NOTE_COLUMNS,
    doc="Input rows that were not loaded, with the reason. read = loaded + quarantined.",
    column_docs={"row": "row as a spreadsheet numbers it (header = 1) or record index in JSON"},
)

VALUE_NOTES = TableSpec(
    "value_notes",
    _CELL_NOTE_COLUMNS,
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
        "language": "string",
        "categories": "string",
        "followers": "int64",
        "tier": "string",
        "tier_scheme": "string",
        "peer_group": "int64",
        "n_posts": "int64",
        "er_source": "string",
        "er_rankable": "bool",
        "er_flags": "string",
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
        "eng_lc_log_mean": "float64",
        "eng_lc_log_sd": "float64",
        "n_posts_with_views": "int64",
        "views_log_mean": "float64",
        "views_log_sd": "float64",
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
    column_docs={
        "er_rankable": "the ER may be ranked: enough eligible posts and no plausibility flag",
        "er_flags": "why it may not: 'too few posts (1 < 3)', 'likes above views', ... ('; ')",
        "eng_lc_log_mean": "mean of ln(1 + likes + comments) over the window's posts",
        "eng_lc_log_sd": "sample SD of ln(1 + likes + comments) over the window's posts (null "
        "below 2 posts): the spread the planner's per-post engagement interval is built from",
        "n_posts_with_views": "the window's posts that have a view count",
        "views_log_mean": "mean of ln(1 + views) over the window's posts with a view count",
        "views_log_sd": "sample SD of ln(1 + views) over those posts (null below 2): the spread "
        "the planner's per-post impressions interval is built from",
    },
    units={
        "creator_id": "id", "platform": "category", "handle": "id", "display_name": "text",
        "bio": "text", "country": "category", "language": "category", "categories": "text",
        "followers": "count", "tier": "category", "tier_scheme": "category", "peer_group": "category",
        "n_posts": "count", "er_source": "category", "er_rankable": "flag", "er_flags": "text",
        "er_followers_lc_mean": "rate", "er_followers_lc_median": "rate",
        "er_followers_lcs_mean": "rate", "er_followers_lcs_median": "rate",
        "er_followers_lcss_mean": "rate", "er_followers_lcss_median": "rate",
        "er_views_lc_mean": "rate", "er_views_lc_median": "rate",
        "er_views_lcs_mean": "rate", "er_views_lcs_median": "rate",
        "er_reach_lc_mean": "rate", "er_reach_lc_median": "rate",
        "avg_views": "amount", "avg_likes": "amount", "avg_comments": "amount",
        "avg_shares": "amount", "median_views": "amount", "view_rate": "rate",
        "eng_lc_log_mean": "number", "eng_lc_log_sd": "number",
        "n_posts_with_views": "count", "views_log_mean": "number", "views_log_sd": "number",
        "comments_per_100_likes": "amount", "posts_per_week": "amount",
        "follower_growth_30d": "number", "follower_growth_30d_pct": "change",
        "er_percentile_tier": "percentile", "er_percentile_peers": "percentile",
        "benchmark_er": "rate", "benchmark_source": "text", "benchmark_formula_differs": "flag",
        "null_reasons": "json", "window_start": "timestamp", "window_end": "timestamp",
        "metric_spec_version": "category", "scored_at": "timestamp",
    },
)

# -- result tables the capability steps write (their writers build the rows; the columns, types and
# units are declared here so that every consumer reads one declaration) -------------------------

CONTENT_SCORES = TableSpec(
    "content_scores",
    {
        "creator_id": "string", "main_niche": "string", "niche_source": "string",
        "niche_share": "float64", "focus": "float64", "consistency": "float64",
        "consistency_windows": "int64", "expertise": "float64", "expertise_components": "int64",
        "niche_depth": "float64", "niche_er_percentile": "float64", "n_topical_posts": "int64",
        "topic_mix": "string", "topic_evidence": "string", "homogeneity_overall": "float64",
        "homogeneity_dimensions": "int64", "homogeneity_age": "float64",
        "homogeneity_gender": "float64", "homogeneity_country": "float64",
        "homogeneity_city": "float64", "homogeneity_language": "float64",
        "homogeneity_interest": "float64", "audience_local_share": "float64",
        "audience_local_city_share": "float64", "comments_per_1k_followers": "float64",
        "reply_share": "float64", "conversation_depth": "float64",
        "repeat_commenter_share": "float64", "n_comments": "int64", "closeness": "float64",
        "closeness_components": "int64", "taxonomy_version": "string",
    },
    primary_key=("creator_id",),
    doc="Niche, expertise, audience homogeneity and closeness per creator (docs/content.md).",
    units={
        "creator_id": "id", "main_niche": "category", "niche_source": "category",
        "niche_share": "fraction", "focus": "fraction", "consistency": "fraction",
        "consistency_windows": "count", "expertise": "score", "expertise_components": "count",
        "niche_depth": "fraction", "niche_er_percentile": "percentile100",
        "n_topical_posts": "count", "topic_mix": "json", "topic_evidence": "text",
        "homogeneity_overall": "fraction", "homogeneity_dimensions": "count",
        "homogeneity_age": "fraction", "homogeneity_gender": "fraction",
        "homogeneity_country": "fraction", "homogeneity_city": "fraction",
        "homogeneity_language": "fraction", "homogeneity_interest": "fraction",
        "audience_local_share": "fraction", "audience_local_city_share": "fraction",
        "comments_per_1k_followers": "amount", "reply_share": "fraction",
        "conversation_depth": "amount", "repeat_commenter_share": "fraction",
        "n_comments": "count", "closeness": "score", "closeness_components": "count",
        "taxonomy_version": "category",
    },
)

POST_TOPICS = TableSpec(
    "post_topics",
    {
        "post_id": "string", "topic": "string", "confidence": "float64", "evidence": "string",
        "feed_only": "bool", "taxonomy_version": "string",
    },
    doc="The topic of each post with the classifier's confidence (docs/content.md).",
    units={
        "post_id": "id", "topic": "category", "confidence": "fraction", "evidence": "text",
        "feed_only": "flag", "taxonomy_version": "category",
    },
)

DISCLOSURE_VERDICTS = TableSpec(
    "disclosure_verdicts",
    {
        "creator_id": "string", "post_id": "string", "jurisdiction": "string",
        "rule_set": "string", "sponsored": "bool", "sponsored_evidence": "string",
        "label": "string", "label_position": "string", "label_clarity": "string",
        "verdict": "string", "rule_ids": "string", "explanation_en": "string",
        "explanation_ko": "string",
    },
    doc="One row per post x jurisdiction: sponsorship and disclosure verdict (docs/disclosure.md).",
    units={
        "creator_id": "id", "post_id": "id", "jurisdiction": "category", "rule_set": "category",
        "sponsored": "flag", "sponsored_evidence": "text", "label": "text",
        "label_position": "category", "label_clarity": "category", "verdict": "category",
        "rule_ids": "text", "explanation_en": "text", "explanation_ko": "text",
    },
)

TRANSPARENCY_SCORES = TableSpec(
    "transparency_scores",
    {
        "creator_id": "string", "posts_checked": "int64", "sponsored_posts": "int64",
        "compliant_posts_us": "int64", "transparency_us": "float64",
        "compliant_posts_kr": "int64", "transparency_kr": "float64",
        "compliant_posts_uk": "int64", "transparency_uk": "float64",
    },
    primary_key=("creator_id",),
    doc="Per creator: compliant / sponsored posts per jurisdiction (docs/disclosure.md).",
    column_docs={"*_us|kr|uk": "one pair of columns per jurisdiction checked"},
    units={
        "creator_id": "id", "posts_checked": "count", "sponsored_posts": "count",
        "compliant_posts_*": "count", "transparency_*": "fraction",
    },
)

AUTHENTICITY_SCORES = TableSpec(
    "authenticity_scores",
    {
        "creator_id": "string", "audience_quality": "float64",
        "audience_quality_low": "float64", "audience_quality_high": "float64",
        "basis": "string", "fake_share": "float64", "fake_share_low": "float64",
        "fake_share_high": "float64", "flags": "string", "evidence": "string",
    },
    primary_key=("creator_id",),
    doc="Audience quality and fake-follower share with intervals (docs/authenticity.md).",
    units={
        "creator_id": "id", "audience_quality": "score", "audience_quality_low": "score",
        "audience_quality_high": "score", "basis": "category", "fake_share": "fraction",
        "fake_share_low": "fraction", "fake_share_high": "fraction", "flags": "text",
        "evidence": "json",
    },
)

GROWTH_ANOMALIES = TableSpec(
    "growth_anomalies",
    {
        "creator_id": "string", "observed_at": "timestamp", "start_at": "timestamp",
        "kind": "string", "magnitude": "float64", "z": "float64", "explanation": "string",
    },
    doc="Follower jumps and drops beyond the trend (docs/authenticity.md).",
    units={
        "creator_id": "id", "observed_at": "timestamp", "start_at": "timestamp",
        "kind": "category", "magnitude": "number", "z": "number", "explanation": "text",
    },
)

BRAND_CANDIDATES = TableSpec(
    "brand_candidates",
    {
        "creator_id": "string", "post_id": "string", "posted_at": "timestamp", "token": "string",
        "kind": "string", "sponsored": "bool",
    },
    doc="One row per post x account or hashtag that may name a brand (docs/brands.md); resolved to "
    "brands when read, with the user's brand file.",
    units={
        "creator_id": "id", "post_id": "id", "posted_at": "timestamp", "token": "text",
        "kind": "category", "sponsored": "flag",
    },
)

#: The brand-safety categories (content/safety; data/safety/lexicon.toml), in column order.
SAFETY_CATEGORIES = (
    "profanity", "adult", "violence", "drugs_alcohol", "gambling", "hate", "politics", "controversy",
)  # fmt: skip

SAFETY_FLAGS = TableSpec(
    "safety_flags",
    {
        "creator_id": "string", "post_id": "string", "source": "string", "category": "string",
        "terms": "string",
    },
    doc="One row per post x source (post text, comments) x brand-safety category matched, with "
    "the matched terms as evidence (docs/brands.md).",
    units={
        "creator_id": "id", "post_id": "id", "source": "category", "category": "category",
        "terms": "text",
    },
)

SAFETY_SCORES = TableSpec(
    "safety_scores",
    {
        "creator_id": "string", "posts_checked": "int64", "flagged_posts": "int64",
        "flagged_share": "float64", "flagged_low": "float64", "flagged_high": "float64",
        **{
            f"{c}_{part}": ("int64" if part == "posts" else "float64")
            for c in SAFETY_CATEGORIES
            for part in ("posts", "share", "low", "high")
        },
        "comment_posts_checked": "int64", "comment_flagged_posts": "int64",
        "safety_score": "float64", "safety_score_low": "float64", "safety_score_high": "float64",
        "top_category": "string",
    },
    primary_key=("creator_id",),
    doc="Per creator: share of posts flagged per brand-safety category with a 95% Wilson interval, "
    "and the safety score 100 x (1 - flagged share) (docs/brands.md).",
    units={
        "creator_id": "id", "posts_checked": "count", "flagged_posts": "count",
        "flagged_share": "fraction", "flagged_low": "fraction", "flagged_high": "fraction",
        # exact names, not patterns: "*_low" would also claim other tables' columns
        **{
            f"{c}_{part}": ("count" if part == "posts" else "fraction")
            for c in SAFETY_CATEGORIES
            for part in ("posts", "share", "low", "high")
        },
        "safety_score": "score", "safety_score_low": "score", "safety_score_high": "score",
        "comment_posts_checked": "count", "comment_flagged_posts": "count",
        "top_category": "category",
    },
)

GRAPH_FEATURES = TableSpec(
    "graph_features",
    {
        "creator_id": "string", "community": "string", "community_size": "int64",
        "in_degree": "int64", "out_degree": "int64", "reciprocity": "float64", "k_core": "int64",
        "local_pagerank": "float64", "reach_1hop": "float64", "reach_2hop": "float64",
        "leader_score": "float64",
    },
    primary_key=("creator_id",),
    doc="Per-creator graph features and community from the interaction graph (docs/communities.md); "
    "only creators that appear in the graph have a row.",
    units={
        "creator_id": "id", "community": "id", "community_size": "count", "in_degree": "count",
        "out_degree": "count", "reciprocity": "fraction", "k_core": "count",
        "local_pagerank": "fraction", "reach_1hop": "fraction", "reach_2hop": "fraction",
        "leader_score": "score",
    },
)

COMMUNITIES = TableSpec(
    "communities",
    {
        "community": "string", "size": "int64", "creators": "int64", "edges": "int64",
        "main_niches": "string", "countries": "string", "languages": "string",
        "top_creators": "string", "leader": "string",
    },
    primary_key=("community",),
    doc="Communities of the interaction graph found by Leiden (docs/communities.md).",
    units={
        "community": "id", "size": "count", "creators": "count", "edges": "count",
        "main_niches": "json", "countries": "json", "languages": "json", "top_creators": "json",
        "leader": "id",
    },
)

#: Every table a scoring step writes, by name: each declares a unit for every column.
RESULT_TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        SCORECARD,
        CONTENT_SCORES,
        POST_TOPICS,
        DISCLOSURE_VERDICTS,
        TRANSPARENCY_SCORES,
        AUTHENTICITY_SCORES,
        GROWTH_ANOMALIES,
        BRAND_CANDIDATES,
        SAFETY_FLAGS,
        SAFETY_SCORES,
        GRAPH_FEATURES,
        COMMUNITIES,
    )
}


def unit_of(table: str, column: str) -> str | None:
    """The declared unit of ``table.column`` (None when the table or column declares none)."""
    spec = RESULT_TABLES.get(table)
    return spec.unit(column) if spec is not None else None


def column_unit(column: str) -> str | None:
    """The unit of a column name in whichever result table has it (for joined views such as the
    creator view, where a column keeps its table's unit). None when no table declares it, or
    when two tables declare it with different units."""
    found = {u for t in RESULT_TABLES.values() if (u := t.unit(column)) is not None}
    return found.pop() if len(found) == 1 else None


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
    FOLLOWER_SAMPLES,
    AUDIENCE,
    COMMENTS,
    EDGES,
    CREATOR_ALIASES,
    INGESTS,
    QUARANTINE,
    VALUE_NOTES,
    API_KEYS,
    SCORECARD,
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def creator_id(platform: str, handle: str) -> str:
    return f"{platform}:{handle.strip().lstrip('@').lower()}"


def post_id(platform: str, platform_post_id: str) -> str:
    return f"{platform}:{platform_post_id}"
