"""Discovery: content search over captions, hashtags, titles and bios, and lookalike creators.

Pure domain code (docs/search.md): the tokeniser shared by documents and queries (``terms``), the
creator ranking built from the full-text index's scored documents (``rank_creators``), and the
lookalike similarity with its explanations (``similar_creators``). The index itself (tantivy) is
store code: creatorlens.store._text_index.
"""

from creatorlens.discovery._rank import (
    BIO,
    POST,
    CreatorMatch,
    Hit,
    Query,
    SearchSettings,
    matched_terms,
    rank_creators,
    rank_hits,
)
from creatorlens.discovery._text import document_terms, tag_terms, terms

__all__ = [
    "BIO",
    "POST",
    "CreatorMatch",
    "Hit",
    "Query",
    "SearchSettings",
    "document_terms",
    "matched_terms",
    "rank_creators",
    "rank_hits",
    "tag_terms",
    "terms",
]
