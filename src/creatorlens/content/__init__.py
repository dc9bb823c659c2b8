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

#: The public names, by the module that defines them.
_HOME: dict[str, tuple[str, ...]] = {
    "creatorlens.content._closeness": ("closeness", "comment_structure", "engagement_density"),
    "creatorlens.content._content_step": ("content_scores_frame", "score_content"),
    "creatorlens.content._homogeneity": ("audience_homogeneity", "homogeneity_of_shares"),
    "creatorlens.content.disclosure": (
        "VERDICT_COLUMNS", "DisclosureChecker", "check_disclosure", "check_post", "disclosure_rules",
        "transparency_scores",
    ),
    "creatorlens.content.topics": (
        "Taxonomy", "TopicClassifier", "TopicResult", "classify_posts", "creator_niches", "label_map",
        "topic_from_categories",
    ),
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
