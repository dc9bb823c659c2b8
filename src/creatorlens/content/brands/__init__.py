"""Brands and competitors: brand mentions in posts (mentions, brand hashtags, paid-partnership
fields, disclosure evidence), resolved to brands through the user's brand book and what the data
shows; per creator the brands posted about, per brand its creators, posts, share of voice,
engagement and disclosure compliance (docs/brands.md).

Pure: tables in, tables out; the brand file's text is parsed here, read by the Workspace.
"""

from creatorlens.content.brands._book import Brand, BrandBook, BrandBookError, normalise
from creatorlens.content.brands._extract import (
    CANDIDATE_COLUMNS,
    MENTION_COLUMNS,
    brand_accounts,
    candidates,
    handle_stem,
    label_tag_brand,
    resolve,
)
from creatorlens.content.brands._summary import (
    BRAND_SUMMARY_COLUMNS,
    brand_creators,
    brand_summary,
    creator_brands,
)

__all__ = [
    "BRAND_SUMMARY_COLUMNS",
    "CANDIDATE_COLUMNS",
    "MENTION_COLUMNS",
    "Brand",
    "BrandBook",
    "BrandBookError",
    "brand_accounts",
    "brand_creators",
    "brand_summary",
    "candidates",
    "creator_brands",
    "handle_stem",
    "label_tag_brand",
    "normalise",
    "resolve",
]
