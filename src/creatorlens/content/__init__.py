"""creatorlens.content"""

# -- niche, homogeneity, closeness (topics) --
from creatorlens.content._closeness import closeness, comment_structure, engagement_density
from creatorlens.content._content_step import content_scores_frame, score_content
from creatorlens.content._homogeneity import audience_homogeneity, homogeneity_of_shares
from creatorlens.content._topics import (
    Taxonomy,
    TopicClassifier,
    TopicResult,
    classify_posts,
    creator_niches,
    label_map,
    topic_from_categories,
)

__all__ = [
    "Taxonomy",
    "TopicClassifier",
    "TopicResult",
    "audience_homogeneity",
    "classify_posts",
    "closeness",
    "comment_structure",
    "content_scores_frame",
    "creator_niches",
    "engagement_density",
    "homogeneity_of_shares",
    "label_map",
    "score_content",
    "topic_from_categories",
]
# -- end niche, homogeneity, closeness --

# -- disclosure checker --
from creatorlens.content._disclosure import (  # noqa: E402
    VERDICT_COLUMNS,
    DisclosureChecker,
    check_disclosure,
    check_post,
    disclosure_rules,
    transparency_scores,
)

__all__ += [
    "VERDICT_COLUMNS",
    "DisclosureChecker",
    "check_disclosure",
    "check_post",
    "disclosure_rules",
    "transparency_scores",
]
# -- end disclosure checker --
