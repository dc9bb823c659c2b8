"""Topics of posts and niches of creators, split by concern:

- :mod:`.lexicon` — text folding, the taxonomy (``data/topics/taxonomy.toml``) and label maps;
- :mod:`.segmentation` — words, Korean morphemes (Kiwi) and hashtag parts matched to the lexicon;
- :mod:`.classifier` — :class:`TopicClassifier`, a scikit-learn estimator with evidence;
- :mod:`.niches` — per-creator niche, focus, consistency and expertise from post topics.
"""

from creatorlens.content.topics.classifier import TEXT_FIELDS, TopicClassifier, TopicResult
from creatorlens.content.topics.lexicon import (
    OTHER,
    FieldWeights,
    Taxonomy,
    content_constants,
    label_map,
    normalize,
    topic_from_categories,
)
from creatorlens.content.topics.niches import classify_posts, creator_niches, evidence_json

__all__ = [
    "OTHER",
    "TEXT_FIELDS",
    "FieldWeights",
    "Taxonomy",
    "TopicClassifier",
    "TopicResult",
    "classify_posts",
    "content_constants",
    "creator_niches",
    "evidence_json",
    "label_map",
    "normalize",
    "topic_from_categories",
]
