"""Every packaged data file, the ``version`` this code reads and its schema (see ``creatorlens.data``).

TOML schemas check the document without its ``version`` key; CSV schemas check one row (all values
arrive as text, so a numeric column is a number written as text; empty = missing where optional).
Sections forbid unknown keys, except that a number's ``source`` / ``<name>_source`` sentence may sit
beside it (the charter's rule that every number carries its source), so a misspelt key is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Section(_Strict):
    """A TOML table whose numbers may each carry a ``*_source`` sentence."""

    @model_validator(mode="before")
    @classmethod
    def _drop_sources(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: v
                for k, v in data.items()
                if not ((k == "source" or k.endswith("_source")) and isinstance(v, str))
            }
        return data


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


OptFloat = Annotated[float | None, BeforeValidator(_blank_is_none)]
OptInt = Annotated[int | None, BeforeValidator(_blank_is_none)]
TrueFalse = Literal["true", "false"]
Table = dict[str, Any]


# ------------------------------------------------------------------------------------------ TOML
class ApiLimit(_Strict):
    id: str
    apis: list[str]
    text: str
    source: str
    since: dt.date | None = None


class ShortMaxDuration(_Strict):
    from_: dt.date = Field(alias="from")
    seconds: float
    source: str


class ApiLimits(_Strict):
    limit: list[ApiLimit]
    youtube_short_max_duration: list[ShortMaxDuration]


class CollectQuota(_Section):
    daily_budget: int
    reset_timezone: str
    cost: dict[str, Any]


class CollectQuotas(_Strict):
    youtube: CollectQuota
    tiktok: CollectQuota
    instagram: CollectQuota


class OAuthProvider(_Section):
    credentials: str
    app_credentials: str | None = None
    authorize_url: str
    authorize_url_env: str
    token_url: str
    token_url_env: str
    accounts_url: str | None = None
    accounts_url_env: str | None = None
    client_id_param: str
    scope: str
    pkce: Literal["", "S256", "hex"]
    redirect_path: str


class CollectOAuth(_Strict):
    tiktok: OAuthProvider
    instagram: OAuthProvider


class EngagementPlausibility(_Section):
    likes_above_views: bool
    max_er_views: float | None = None
    max_er_followers: dict[str, float]


class EngagementRules(_Section):
    min_posts: int = Field(ge=1)
    plausibility: EngagementPlausibility


class DiscoverySearch(_Section):
    max_post_hits: int = Field(ge=1)
    posts_counted: int = Field(ge=1)
    post_decay: float = Field(gt=0, le=1)
    bio_weight: float = Field(ge=0)
    evidence_posts: int = Field(ge=0)
    all_terms_boost: float = Field(ge=1)
    list_match_docs: int = Field(ge=1)


class DiscoverySimilar(_Section):
    size_ratio: float = Field(gt=1)
    content_weight: float = Field(ge=0)
    topic_weight: float = Field(ge=0)
    audience_weight: float = Field(ge=0)
    audience_dimensions: list[str]
    audience_shared_at: float = Field(ge=0, le=1)
    min_creators_per_term: int = Field(ge=1)
    explain_topics: int = Field(ge=0)
    explain_terms: int = Field(ge=0)
    min_score: float = Field(ge=0, lt=1)


class DiscoverySemantic(_Section):
    top_k: int = Field(ge=1)
    match_cosine: float = Field(ge=-1, le=1)
    max_chars: int = Field(ge=1)
    min_letters: int = Field(ge=0)
    evidence_posts: int = Field(ge=0)
    rrf_k: float = Field(ge=0)
    fusion_depth: int = Field(ge=1)
    batch: int = Field(ge=1)


class Discovery(_Strict):
    search: DiscoverySearch
    similar: DiscoverySimilar
    semantic: DiscoverySemantic


class IdentityPlatformId(_Section):
    enabled: bool


class IdentityRename(_Section):
    enabled: bool
    max_follower_ratio: float = Field(ge=1.0)
    min_name_length: int = Field(ge=1)


class Identity(_Section):
    platform_id: IdentityPlatformId
    rename: IdentityRename


class Layout(_Strict):
    id: str
    description: str
    reason: str
    overrides: dict[str, str]
    headers: list[str] | None = None
    headers_contain: list[str] | None = None
    platform: str | None = None


class Layouts(_Strict):
    layout: list[Layout]


class PeerGroups(_Section):
    bins_per_decade: int = Field(ge=1)
    min_followers: int
    min_group_size: int = Field(ge=1)


class ValueSynonyms(_Strict):
    platform: dict[str, list[str]]
    kind: dict[str, list[str]]
    boolean: dict[str, list[str]]
    country: dict[str, list[str]] = {}  # ISO 3166-1 alpha-2 code -> names ISO does not list


class I18n(_Strict):
    source: str
    language: str
    messages: dict[str, str]
    columns: dict[str, str] = {}  # human labels of result columns (presentation/_labels.py)
    # human labels of coded values, per kind (tier, platform, verdict, flag, ...): Catalog.value
    values: dict[str, dict[str, str]] = {}
    # short labels of result columns for narrow table headers: Catalog.short_column
    short_columns: dict[str, str] = {}
    # domain explanations by code (authenticity notes) in this language: Catalog.note; English
    # is the domain's own text, so en.toml has none
    notes: dict[str, str] = {}


class AnomaliesGrowth(_Section):
    rolling_window: int
    z_threshold: float
    min_relative_jump: float
    min_absolute_jump: float
    min_relative_drop: float
    min_scale: float
    min_weeks_for_weekday: int
    lookback_days: float
    engagement_spike_factor: float
    engagement_spike_z: float
    paid_reach_margin: float
    min_scale_points: int = Field(ge=3)


class AnomaliesEngagement(_Section):
    low_percentile: float
    high_percentile: float
    ratio_z_threshold: float
    min_group_size: int


class AnomaliesPods(_Section):
    short_comment_chars: int
    duplicate_share: float
    emoji_only_share: float
    same_order_share: float
    order_prefix: int
    min_comments: int


class AudienceQualityThresholds(_Section):
    mass_following: int
    inactive_days: int
    inactive_max_posts: int
    credibility_warning: float
    confidence: float
    bootstrap_draws: int


class AudienceQualityIndirect(_Section):
    affected_share: float
    affected_share_mega: float
    clean_max: float
    affected_max: float
    er_log_sd_fallback: float
    percentile_clip: float
    grid_points: int
    comment_density_low: float
    comment_density_high: float


class AudienceQualityWeights(_Section):
    real_followers: float
    non_mass_followers: float
    active_followers: float
    engagement_vs_peers: float
    organic_growth: float
    organic_comments: float


class AssumptionsFitEstimate(_Section):
    home_country_share: float
    other_country_share: float
    home_language_share: float
    other_language_share: float
    niche_match_interest_share: float
    niche_mismatch_interest_share: float
    uniform_age: bool


class AssumptionsOverlapEstimate(_Section):
    follows_per_person: float
    cross_segment_factor: float
    exact_set_max: int
    minhash_permutations: int
    hyperloglog_p: int
    theta_lg_k: int = Field(ge=4, le=26)
    bound_std_devs: int = Field(ge=1, le=3)
    overlap_max_creators: int = Field(ge=2)
    planner_max_ids: int = Field(ge=1000)
    planner_min_list_ids: int = Field(ge=1)


class AssumptionsOutcomes(_Section):
    engagement_interval_confidence: float
    ctr_low: float
    ctr_mid: float
    ctr_high: float
    cvr_low: float
    cvr_mid: float
    cvr_high: float


class AssumptionsGrowth(_Section):
    follow_per_engagement_low: float
    follow_per_engagement_mid: float
    follow_per_engagement_high: float
    paid_engagement_factor_low: float
    paid_engagement_factor_mid: float
    paid_engagement_factor_high: float


class PlanCandidates(_Section):
    floor_ratio: float
    allow_unknown_fit: bool


class PlanBudget(_Section):
    cost_basis: str


class PlanTeam(_Section):
    max_creators: int
    frontier: list[int]
    overhead_money_usd: int
    overhead_hours: int
    hourly_rate_usd: int


class ContentScoresNiche(_Section):
    min_posts_per_window: int
    min_windows: int


class ContentScoresExpertise(_Section):
    weight_focus: float
    weight_depth: float
    weight_peer_er: float
    vocabulary_reference_terms: int
    caption_reference_words: int
    min_peer_group: int


class ContentScoresCloseness(_Section):
    comments_per_100_likes_reference: float
    comments_per_1k_followers_reference: float
    reply_share_reference: float
    extra_depth_reference: float
    repeat_commenter_share_reference: float


class ContentScoresHomogeneity(_Section):
    dimensions: list[str]
    residual_threshold: float


class TaxonomyWeights(_Section):
    term: float
    weak: float
    caption: float
    title: float
    hashtags: float
    bio: float
    other: float


class TaxonomyFolding(_Section):
    exact: list[str]


class TaxonomyFeed(_Section):
    topic: str
    weight: float
    tags: list[str]


class TaxonomyGlue(_Section):
    parts: list[str]


class Anomalies(_Section):
    growth: AnomaliesGrowth
    engagement: AnomaliesEngagement
    pods: AnomaliesPods


class AudienceQuality(_Section):
    thresholds: AudienceQualityThresholds
    indirect: AudienceQualityIndirect
    weights: AudienceQualityWeights


class FeatureGroup(_Strict):
    name: str
    cost: str
    buys: str


class Feature(_Strict):
    name: str
    group: Literal["A", "B", "C"]
    inputs: list[str]
    formula: str
    in_model: bool
    source: str


class Features(_Section):
    groups: dict[str, FeatureGroup]
    features: list[Feature]


class Assumptions(_Section):
    fit_estimate: AssumptionsFitEstimate
    overlap_estimate: AssumptionsOverlapEstimate
    outcomes: AssumptionsOutcomes
    growth: AssumptionsGrowth


class Goal(_Strict):
    description: str
    tier_preference: dict[str, float]
    engagement: float = 0.0
    fit: float = 0.0
    expertise: float = 0.0
    audience_quality: float = 0.0
    transparency: float = 0.0
    repeat_post_reach: float = Field(ge=0.0, le=1.0)


class Goals(_Section):
    missing_score: float
    goals: dict[str, Goal]


class Plan(_Section):
    candidates: PlanCandidates
    budget: PlanBudget
    team: PlanTeam


class ContentScores(_Section):
    release: str
    niche: ContentScoresNiche
    expertise: ContentScoresExpertise
    closeness: ContentScoresCloseness
    homogeneity: ContentScoresHomogeneity


class Topic(_Strict):
    label: str
    label_ko: str
    terms: list[str] = []
    weak: list[str] = []
    emoji: list[str] = []
    ko: list[str] = []
    intl: list[str] = []
    hashtags: list[str] = []


class Taxonomy(_Section):
    release: str
    weights: TaxonomyWeights
    folding: TaxonomyFolding
    feed: TaxonomyFeed
    glue: TaxonomyGlue
    topics: dict[str, Topic]


class LabelMap(_Section):
    release: str
    kim2020: Table
    top1000: Table


class DemoCalibration(_Section):
    as_of: str
    platforms: Table
    tiers: Table
    engagement: Table
    views: Table
    interactions: Table
    content: Table
    sponsorship: Table
    authenticity: Table
    follower_samples: Table
    growth: Table
    audience: Table
    comments: Table
    communities: Table
    profile: Table


class DemoNiche(_Strict):
    en: list[str]
    ko: list[str]
    tags_en: list[str]
    tags_ko: list[str]
    label_en: str
    label_ko: str


class DemoVocabulary(_Section):
    templates: dict[str, list[str]]
    niches: dict[str, DemoNiche]
    brands: dict[str, list[str]]
    disclosure: Table
    people: Table
    cities: Table
    languages: Table
    comments: Table


# Disclosure files: read by content/_disclosure*.py through their own loader; checked here at the top.
class DisclosureJurisdiction(_Strict):
    jurisdiction: str
    name_en: str
    name_ko: str
    rules: list[Table]
    rule_sets: list[Table]


class DisclosureLexicon(_Strict):
    language: str
    source: str
    labels: list[Table]
    signals: list[Table] = []
    script: str | None = None


class DisclosureContextRules(_Strict):
    rules: list[Table]


class DisclosureMessages(_Strict):
    source: str
    templates: Table
    positions: Table


class DisclosureSignals(_Strict):
    source: str
    layout: Table
    language: Table
    transcript: Table
    media: Table
    labels: list[Table]
    negations: Table
    signals: list[Table]
    platform_flag: Table


class SafetyCategory(_Strict):
    what: str
    sources: list[str]
    en: list[str]
    ko: list[str]


class SafetyLexicon(_Strict):
    written: str
    date: str
    categories: dict[str, SafetyCategory]


class SafetyLanguageCategory(_Strict):
    terms: list[str]
    exact: list[str] = []


class SafetyLanguageLexicon(_Strict):
    language: str
    written: str
    date: str
    categories: dict[str, SafetyLanguageCategory]


class SafetyBenignRule(_Strict):
    id: str
    what: str
    source: str
    categories: list[str] = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)


class SafetyBenignRules(_Strict):
    date: str
    rules: list[SafetyBenignRule]


class BrandContactFields(_Strict):
    email_fields: list[str]
    url_fields: list[str]
    phone_fields: list[str]
    link_in_bio_domains: list[str]


class BrandFields(_Strict):
    source: str
    paid_partner_fields: list[str]
    label_brand_prefixes: list[str]
    label_brand_suffixes: list[str]
    contacts: BrandContactFields


# ------------------------------------------------------------------------------------- CSV rows
class ColumnSynonymRow(_Strict):
    field: str = Field(min_length=1)
    synonyms: str = Field(min_length=1)


class CommunitiesConfig(_Strict):
    """data/communities.toml: Leiden's settings and the local-leader score (docs/communities.md)."""

    seed: int
    resolution: float = Field(gt=0)
    iterations: int = Field(description="Leiden iterations; -1 runs until no improvement")
    pagerank_damping: float = Field(gt=0, lt=1)
    edge_kinds: dict[str, float] = Field(min_length=1)
    top_values: int = Field(ge=1)
    brand_mentions_are_ties: bool = Field(description="whether a mention of a brand account is a tie")


class TierSchemeRow(_Strict):
    scheme: str
    tier: str
    min_followers: int
    max_followers_exclusive: OptInt
    source: str = Field(min_length=1)
    note: str


class BenchmarkRow(_Strict):
    source: str
    year: int
    platform: str
    tier: str
    tier_range: str
    er_low: float
    er_high: OptFloat
    numerator: str
    denominator: str
    aggregation: str
    reliability: str
    reference: str
    compared_metric: str
    formula_differs: TrueFalse
    preferred: TrueFalse


class _PublishedRange(_Strict):
    """The columns cpm.csv and multipliers.csv share: a published low-high figure and its source."""

    item: str
    low: float
    high: float
    unit: str
    year: str
    reliability: str
    source: str


class CpmRow(_PublishedRange):
    kind: Literal["cpm", "value_per_engagement"]
    platform: str


class CurrencyRow(_Strict):
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)


class ExchangeRateRow(_Strict):
    currency: str = Field(min_length=3, max_length=3)
    base: str = Field(min_length=3, max_length=3)
    rate: float = Field(gt=0)
    date: dt.date
    source: str


class FormatRow(_Strict):
    platform: str
    deliverable: str
    base_format: str
    multiplier: str
    note: str


class MinorUnitRow(_Strict):
    currency: str = Field(min_length=3, max_length=3)
    minor_units: int = Field(ge=0)


class MultiplierRow(_PublishedRange):
    option: str


class RateCardRow(_Strict):
    source: str
    year: str
    platform: str
    format: str
    tier: str
    tier_min_followers: float
    tier_max_followers: OptFloat
    tier_range_basis: str
    low_usd: float
    high_usd: OptFloat
    reliability: str
    reference: str


class ViewRateRow(_Strict):
    platform: str
    tier: str
    low: float
    mid: float
    high: float
    year: str
    reliability: str
    source: str


class _Opaque(BaseModel):
    """A file parsed by its own reader (the JSON models check their own ``format``)."""


class WordOfMouth(_Section):
    """planner/word_of_mouth.toml: IC edge directions per edge kind and IMM sampling settings."""

    directions: dict[str, Literal["source_to_target", "target_to_source", "both"]]
    epsilon: float = Field(gt=0.0, lt=1.0)
    ell: float = Field(gt=0.0)
    evaluation_rr_min: int = Field(ge=100)


# ------------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Spec:
    version: int
    schema: type[BaseModel]


_LEXICONS = ("de", "en_ko_compound", "es", "fr", "id", "ja", "pt", "vi")
_SAFETY_LEXICONS = ("vi", "id", "pt", "es", "fr", "de", "ja")

SPECS: dict[str, Spec] = {
    "api_limits.toml": Spec(1, ApiLimits),
    "brands/fields.toml": Spec(1, BrandFields),
    "safety/lexicon.toml": Spec(1, SafetyLexicon),
    **{f"safety/lexicon_{lang}.toml": Spec(1, SafetyLanguageLexicon) for lang in _SAFETY_LEXICONS},
    "safety/benign_rules.toml": Spec(1, SafetyBenignRules),
    "authenticity/anomalies.toml": Spec(1, Anomalies),
    "authenticity/audience_quality.toml": Spec(1, AudienceQuality),
    "authenticity/features.toml": Spec(1, Features),
    "collect_quotas.toml": Spec(1, CollectQuotas),
    "collect_oauth.toml": Spec(1, CollectOAuth),
    "column_synonyms.csv": Spec(1, ColumnSynonymRow),
    "communities.toml": Spec(1, CommunitiesConfig),
    "edge_columns.csv": Spec(1, ColumnSynonymRow),
    "costs/cpm.csv": Spec(1, CpmRow),
    "costs/currencies.csv": Spec(1, CurrencyRow),
    "costs/exchange_rates.csv": Spec(1, ExchangeRateRow),
    "costs/formats.csv": Spec(1, FormatRow),
    "costs/minor_units.csv": Spec(1, MinorUnitRow),
    "costs/multipliers.csv": Spec(1, MultiplierRow),
    "costs/rate_cards.csv": Spec(1, RateCardRow),
    "costs/view_rates.csv": Spec(1, ViewRateRow),
    "demo/calibration.toml": Spec(1, DemoCalibration),
    "demo/vocabulary.toml": Spec(1, DemoVocabulary),
    "discovery.toml": Spec(1, Discovery),
    "disclosure/context_rules.toml": Spec(1, DisclosureContextRules),
    "disclosure/kr_kftc.toml": Spec(2, DisclosureJurisdiction),
    "disclosure/messages.toml": Spec(2, DisclosureMessages),
    "disclosure/signals.toml": Spec(2, DisclosureSignals),
    "disclosure/uk_asa_cma.toml": Spec(1, DisclosureJurisdiction),
    "disclosure/us_ftc.toml": Spec(1, DisclosureJurisdiction),
    **{f"disclosure/lexicon_{lang}.toml": Spec(1, DisclosureLexicon) for lang in _LEXICONS},
    "engagement_rules.toml": Spec(1, EngagementRules),
    "er_benchmarks.csv": Spec(1, BenchmarkRow),
    "i18n/en.toml": Spec(1, I18n),
    "i18n/ko.toml": Spec(1, I18n),
    "identity.toml": Spec(1, Identity),
    "layouts.toml": Spec(1, Layouts),
    "models/fake_account_v1.json": Spec(1, _Opaque),
    "models/fake_account_v2.json": Spec(1, _Opaque),
    "peer_groups.toml": Spec(1, PeerGroups),
    "planner/assumptions.toml": Spec(1, Assumptions),
    "planner/goals.toml": Spec(1, Goals),
    "planner/plan.toml": Spec(1, Plan),
    "planner/word_of_mouth.toml": Spec(1, WordOfMouth),
    "tier_schemes.csv": Spec(1, TierSchemeRow),
    "topics/content_scores.toml": Spec(1, ContentScores),
    "topics/label_map.toml": Spec(1, LabelMap),
    "topics/taxonomy.toml": Spec(1, Taxonomy),
    "value_synonyms.toml": Spec(1, ValueSynonyms),
}
