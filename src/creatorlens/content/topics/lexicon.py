"""The topic lexicon: text folding, the taxonomy and its label maps (``data/topics/``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from creatorlens.content._fold import fold_bases
from creatorlens.data import load_toml
from creatorlens.data._schemas import TaxonomyWeights

if TYPE_CHECKING:
    pass

OTHER = "other"

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def is_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


# Fold Latin diacritics (é -> e, ơ -> o, đ -> d), lower-cased, and hyphens to spaces; every other
# script is left alone.
_FOLD = {cp: base.lower() for cp, base in fold_bases("NFKD").items()} | {ord("-"): " "}


def normalize(text: str) -> str:
    """Lower-case, fold Latin diacritics, hyphen -> space. Hangul and other scripts are kept."""
    return text.lower().translate(_FOLD)


class FieldWeights(TaxonomyWeights):
    """Term and field weights of the taxonomy ([weights] of taxonomy.toml, its schema's fields)."""


@dataclass(frozen=True)
class Taxonomy:
    """The topics and their lexicons, loaded from package data."""

    version: str
    topics: tuple[str, ...]
    labels: Mapping[str, str]
    labels_ko: Mapping[str, str]
    #: normalised term -> ((topic index, weight), ...); words, phrases and Korean forms
    words: Mapping[str, tuple[tuple[int, float], ...]]
    #: hashtag-only entries (whole tags and tag parts), strong weight
    tags: Mapping[str, tuple[tuple[int, float], ...]]
    #: single emoji -> ((topic index, weak weight), ...)
    emoji: Mapping[str, tuple[tuple[int, float], ...]]
    glue: frozenset[str]
    feed_tags: frozenset[str]
    feed_topic: int | None
    feed_weight: float
    weights: FieldWeights
    max_phrase_words: int
    max_piece_len: int
    #: folded caption word -> the raw spellings it must have to count ([folding] exact)
    exact_spellings: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str = "taxonomy.toml") -> Taxonomy:
        return _load_taxonomy(name)

    @property
    def classes(self) -> tuple[str, ...]:
        """Topic names followed by "other" (the column order of ``predict_proba``)."""
        return (*self.topics, OTHER)

    def lexicon(self, topic: str) -> frozenset[str]:
        """Every normalised term of one topic (words, phrases, Korean forms and hashtags)."""
        idx = self.topics.index(topic)
        out = {t for t, hits in self.words.items() if any(i == idx for i, _ in hits)}
        out |= {t for t, hits in self.tags.items() if any(i == idx for i, _ in hits)}
        return frozenset(out)


@cache
def _load_taxonomy(name: str) -> Taxonomy:
    raw = load_toml(f"topics/{name}")
    weights = FieldWeights.model_validate(raw["weights"])
    topics = tuple(raw["topics"])
    words: dict[str, dict[int, float]] = {}
    tags: dict[str, dict[int, float]] = {}
    emoji: dict[str, dict[int, float]] = {}

    def add(index: dict[str, dict[int, float]], term: str, topic: int, weight: float) -> None:
        key = normalize(term).strip()
        if not key:
            return
        slot = index.setdefault(key, {})
        slot[topic] = max(slot.get(topic, 0.0), weight)
        if " " in key:  # "skin care" is also written "skincare"
            joined = key.replace(" ", "")
            slot = index.setdefault(joined, {})
            slot[topic] = max(slot.get(topic, 0.0), weight)

    for i, topic in enumerate(topics):
        spec = raw["topics"][topic]
        for key in ("terms", "ko", "intl"):
            for term in spec.get(key, []):
                add(words, term, i, weights.term)
        for term in spec.get("weak", []):
            add(words, term, i, weights.weak)
        for term in spec.get("hashtags", []):
            add(tags, term, i, weights.term)
        for char in spec.get("emoji", []):
            emoji.setdefault(char, {})[i] = weights.weak
    feed = raw.get("feed", {})
    feed_topic = feed.get("topic")

    def freeze(index: dict[str, dict[int, float]]) -> dict[str, tuple[tuple[int, float], ...]]:
        return {k: tuple(sorted(v.items())) for k, v in index.items()}

    all_keys = list(words) + list(tags)
    return Taxonomy(
        version=str(raw["release"]),
        topics=topics,
        labels={t: raw["topics"][t]["label"] for t in topics},
        labels_ko={t: raw["topics"][t].get("label_ko", t) for t in topics},
        words=freeze(words),
        tags=freeze(tags),
        emoji=freeze(emoji),
        glue=frozenset(normalize(g) for g in raw.get("glue", {}).get("parts", [])),
        feed_tags=frozenset(normalize(t) for t in feed.get("tags", [])),
        feed_topic=topics.index(feed_topic) if feed_topic in topics else None,
        feed_weight=float(feed.get("weight", 0.0)),
        weights=weights,
        max_phrase_words=max(k.count(" ") + 1 for k in words),
        max_piece_len=max(len(k) for k in all_keys if " " not in k),
        exact_spellings=_exact_spellings(raw.get("folding", {}).get("exact", [])),
    )


def _exact_spellings(terms: Sequence[str]) -> dict[str, frozenset[str]]:
    spellings: dict[str, set[str]] = {}
    for term in terms:
        spellings.setdefault(normalize(term), set()).add(term.lower())
    return {k: frozenset(v) for k, v in spellings.items()}


@cache
def label_map() -> dict[str, Any]:
    """The mapping of topics to external label sets (``data/topics/label_map.toml``)."""
    return load_toml("topics/label_map.toml")


def topic_from_categories(categories: str | None) -> str | None:
    """The topic of a creator's ``categories`` ("Sports with a ball|Family") via the label map.

    The first label that maps to a topic other than "other" wins; None when no label maps."""
    if not isinstance(categories, str) or not categories:
        return None
    mapping = label_map()
    known: dict[str, str] = {}
    for section in ("top1000", "kim2020"):
        for label, topic in mapping[section]["to_topic"].items():
            known.setdefault(label.strip().lower(), topic)
    for label in re.split(r"[|,;]", categories):
        topic = known.get(label.strip().lower())
        if topic and topic != OTHER:
            return topic
    return None



@cache
def content_constants() -> dict[str, Any]:
    """Constants of the content scores (``data/topics/content_scores.toml``)."""
    return load_toml("topics/content_scores.toml")
