"""Brand safety: categories of unsafe content, matched in a post's own text and in the comments on
it, with the matched terms as evidence, and per creator the share of flagged posts by category
with a Wilson interval and a safety score (docs/brands.md "Brand safety").

Pure: tables in, tables out. The lexicons are data (data/safety/lexicon.toml for English and
Korean, lexicon_<lang>.toml for Vietnamese, Indonesian, Portuguese, Spanish, French, German and
Japanese), and so are the benign-context rules (data/safety/benign_rules.toml); a user's keyword
list extends the lexicon (``Lexicon.with_keywords``).
"""

from creatorlens.content.safety._lexicon import (
    CATEGORIES,
    CUSTOM,
    LANGUAGES,
    Lexicon,
    Term,
    default_lexicon,
    fold,
    term_regex,
)
from creatorlens.content.safety._match import Hit, SafetyMatcher
from creatorlens.content.safety._rules import BenignRule, benign_rules
from creatorlens.content.safety._scores import (
    FLAG_COLUMNS,
    post_texts,
    safety_scores,
    score_columns,
    screen,
    wilson,
)
from creatorlens.content.safety._segment import Segmenter

__all__ = [
    "CATEGORIES",
    "CUSTOM",
    "FLAG_COLUMNS",
    "LANGUAGES",
    "BenignRule",
    "Hit",
    "Lexicon",
    "SafetyMatcher",
    "Segmenter",
    "Term",
    "benign_rules",
    "default_lexicon",
    "fold",
    "post_texts",
    "safety_scores",
    "score_columns",
    "screen",
    "term_regex",
    "wilson",
]
