"""Content intelligence: niche and expertise, audience homogeneity, closeness, disclosure."""

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
