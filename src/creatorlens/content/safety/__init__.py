"""Brand safety: categories of unsafe content, matched in a post's own text and in the comments on
it, with the matched terms as evidence, and per creator the share of flagged posts by category
with a Wilson interval and a safety score (docs/brands.md "Brand safety").

Pure: tables in, tables out. The lexicon is data (data/safety/lexicon.toml); a user's keyword
list extends it (``Lexicon.with_keywords``).
"""

from creatorlens.content.safety._lexicon import CATEGORIES, CUSTOM, Lexicon, Term, default_lexicon, term_regex
from creatorlens.content.safety._match import Hit, SafetyMatcher
from creatorlens.content.safety._scores import (
    FLAG_COLUMNS,
    post_texts,
    safety_scores,
    score_columns,
    screen,
    wilson,
)

__all__ = [
    "CATEGORIES",
    "CUSTOM",
    "FLAG_COLUMNS",
    "Hit",
    "Lexicon",
    "SafetyMatcher",
    "Term",
    "default_lexicon",
    "post_texts",
    "safety_scores",
    "score_columns",
    "screen",
    "term_regex",
    "wilson",
]
