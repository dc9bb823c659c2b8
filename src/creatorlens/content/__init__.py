"""Content intelligence: niche and expertise, audience homogeneity, closeness, disclosure.

The names below load on first use (PEP 562): importing one submodule, such as the brand or
safety step, must not pay for scikit-learn, which the topic classifier needs (`creatorlens show`
starts in well under two seconds; benchmarks/bench_startup.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens.content._closeness import (
        closeness as closeness,
        comment_structure as comment_structure,
        engagement_density as engagement_density,
    )
    from creatorlens.content._content_step import (
        content_scores_frame as content_scores_frame,
        score_content as score_content,
    )
    from creatorlens.content._homogeneity import (
        audience_homogeneity as audience_homogeneity,
        homogeneity_of_shares as homogeneity_of_shares,
    )
    from creatorlens.content.disclosure import (
        VERDICT_COLUMNS as VERDICT_COLUMNS,
        DisclosureChecker as DisclosureChecker,
        check_disclosure as check_disclosure,
        check_post as check_post,
        disclosure_rules as disclosure_rules,
        transparency_scores as transparency_scores,
    )
    from creatorlens.content.topics import (
        Taxonomy as Taxonomy,
        TopicClassifier as TopicClassifier,
        TopicResult as TopicResult,
        classify_posts as classify_posts,
        creator_niches as creator_niches,
        label_map as label_map,
        topic_from_categories as topic_from_categories,
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


#: Every public name (the names of _HOME), for `from ... import *` and the API test.
__all__ = sorted(name for names in _HOME.values() for name in names)
