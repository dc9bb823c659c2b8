"""Content intelligence: niche and expertise, audience homogeneity, closeness, disclosure.

The names below load on first use (PEP 562): importing one submodule, such as the brand or
safety step, must not pay for scikit-learn, which the topic classifier needs (`creatorlens show`
starts in well under two seconds; benchmarks/bench_startup.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens.content._closeness import closeness, comment_structure, engagement_density
    from creatorlens.content._content_step import content_scores_frame, score_content
    from creatorlens.content._homogeneity import audience_homogeneity, homogeneity_of_shares
    from creatorlens.content.disclosure import (
        VERDICT_COLUMNS,
        DisclosureChecker,
        check_disclosure,
        check_post,
        disclosure_rules,
        transparency_scores,
    )
    from creatorlens.content.topics import (
        Taxonomy,
        TopicClassifier,
        TopicResult,
        classify_posts,
        creator_niches,
        label_map,
        topic_from_categories,
    )

#: Where each public name lives.
_HOME: dict[str, str] = {
    "closeness": "creatorlens.content._closeness",
    "comment_structure": "creatorlens.content._closeness",
    "engagement_density": "creatorlens.content._closeness",
    "content_scores_frame": "creatorlens.content._content_step",
    "score_content": "creatorlens.content._content_step",
    "audience_homogeneity": "creatorlens.content._homogeneity",
    "homogeneity_of_shares": "creatorlens.content._homogeneity",
    "VERDICT_COLUMNS": "creatorlens.content.disclosure",
    "DisclosureChecker": "creatorlens.content.disclosure",
    "check_disclosure": "creatorlens.content.disclosure",
    "check_post": "creatorlens.content.disclosure",
    "disclosure_rules": "creatorlens.content.disclosure",
    "transparency_scores": "creatorlens.content.disclosure",
    "Taxonomy": "creatorlens.content.topics",
    "TopicClassifier": "creatorlens.content.topics",
    "TopicResult": "creatorlens.content.topics",
    "classify_posts": "creatorlens.content.topics",
    "creator_niches": "creatorlens.content.topics",
    "label_map": "creatorlens.content.topics",
    "topic_from_categories": "creatorlens.content.topics",
}


__getattr__, __dir__ = lazy_exports(__name__, _HOME, globals())


__all__ = [
    "VERDICT_COLUMNS",
    "DisclosureChecker",
    "Taxonomy",
    "TopicClassifier",
    "TopicResult",
    "audience_homogeneity",
    "check_disclosure",
    "check_post",
    "classify_posts",
    "closeness",
    "comment_structure",
    "content_scores_frame",
    "creator_niches",
    "disclosure_rules",
    "engagement_density",
    "homogeneity_of_shares",
    "label_map",
    "score_content",
    "topic_from_categories",
    "transparency_scores",
]
