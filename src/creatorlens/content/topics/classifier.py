"""Topic (niche) classification of posts from caption, title, hashtags and bio.

A lexicon classifier: every topic of ``data/topics/taxonomy.toml`` has words and phrases in
English, Korean and other languages, plus hashtag stems. A post's score for a topic is the sum of
the weights of the *distinct* lexicon terms it uses (a term repeated ten times is one piece of
evidence), multiplied by a field weight (the bio counts less than the post). The pseudo-class
"other" always has a fixed evidence mass, so a post needs more than that to get a topic, and the
probabilities are the scores normalised over topics + "other".

Why a lexicon and not a model: it works offline on the CPU with no weights, the evidence for each
decision is the list of terms that made it, and the vocabulary is data that a marketer can read and
extend. Korean is tokenised with kiwipiepy (morphemes, so particles and verb endings do not hide
words); hashtags in any language are split into lexicon words (``homeworkout`` -> home|workout,
``제주카페투어`` -> 제주|카페투어) by a dynamic programme that explains as many characters as
possible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

if TYPE_CHECKING:
    pass

from creatorlens.content.topics.lexicon import OTHER, Taxonomy, is_hangul
from creatorlens.content.topics.segmentation import (
    TAG_SEPARATORS,
    kiwi_forms,
    kiwi_model,
    phrase_starts,
    read_tag,
    split_text,
    word_matches,
)

#: Columns of a posts frame the classifier reads (any subset).
TEXT_FIELDS = ("caption", "title", "hashtags", "bio")

#: (lexicon matches in order, word count, inline #tags) of one text field
_FieldReading = tuple[
    list[tuple[str, tuple[tuple[int, float], ...]]], int, list[str]
]


@dataclass(frozen=True)
class TopicResult:
    """The classification of one post."""

    topic: str
    confidence: float
    #: terms that decided the topic, strongest first ("#" marks a hashtag part)
    evidence: tuple[str, ...]
    #: topic -> score (only topics with evidence)
    scores: Mapping[str, float] = field(default_factory=dict)
    #: topic -> distinct matched terms
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: words in the post's caption + title
    n_words: int = 0
    #: True when the topic rests only on platform feed tags (#fyp, #foryou)
    feed_only: bool = False


def _as_records(X: Any) -> list[dict[str, str]]:
    """Accept a DataFrame (columns caption/title/hashtags/bio), a mapping list, or plain strings."""
    if isinstance(X, pd.DataFrame):
        cols = [c for c in TEXT_FIELDS if c in X.columns]
        frame = X[cols].astype(object).where(X[cols].notna(), "")
        values = []
        for c in cols:
            column = frame[c].tolist()
            if not all(type(v) is str for v in column):
                column = [str(v) for v in column]
            values.append(column)
        return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]
    if isinstance(X, str):
        raise TypeError("pass a sequence of captions, not a single string")
    records: list[dict[str, str]] = []
    for item in X:
        if isinstance(item, Mapping):
            records.append({c: str(item.get(c) or "") for c in TEXT_FIELDS})
        else:
            records.append({"caption": "" if item is None else str(item)})
    return records


class TopicClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Lexicon topic classifier with evidence (a scikit-learn estimator).

    ``fit`` loads the taxonomy (``taxonomy_``, ``classes_``, ``other_weight_``); with labelled
    posts it also tunes the "other" mass. Every other method raises ``NotFittedError`` before it.

    Parameters
    ----------
    taxonomy : name of a taxonomy file in ``creatorlens/data/topics``.
    other_weight : evidence mass of "other"; None takes the taxonomy's value. ``fit`` tunes it.
    bio_weight : field weight of the creator's bio; None takes the taxonomy's value.
    feed_weight : weight of the platform feed-tag vote (#fyp); None takes the taxonomy's value,
        0 disables it.
    korean : "auto" (default: Hangul words split by lexicon lookup first; posts with Korean text
        that this leaves undecided or below ``kiwi_below`` confidence are re-read with Kiwi),
        "kiwi" (Kiwi morphological analysis for every Korean text) or "lexicon" (never Kiwi;
        split Hangul words by lexicon lookup,
        no model load).
    max_evidence : how many terms ``evidence`` lists.
    """

    def __init__(
        self,
        taxonomy: str = "taxonomy.toml",
        *,
        other_weight: float | None = None,
        bio_weight: float | None = None,
        feed_weight: float | None = None,
        korean: str = "auto",
        kiwi_below: float = 0.6,
        max_evidence: int = 5,
    ) -> None:
        self.taxonomy = taxonomy
        self.other_weight = other_weight
        self.bio_weight = bio_weight
        self.feed_weight = feed_weight
        self.korean = korean
        self.kiwi_below = kiwi_below
        self.max_evidence = max_evidence

    # -- scikit-learn surface ----------------------------------------------------------------
    taxonomy_: Taxonomy
    classes_: np.ndarray
    other_weight_: float

    def fit(self, X: Any = None, y: Sequence[str] | None = None) -> TopicClassifier:
        """Load the taxonomy. With labelled posts (``X``, ``y``) also choose the "other" evidence
        mass that maximises accuracy (grid 0.1 .. 2.0); the lexicon itself is not learned.
        Without ``y`` the "other" mass is ``other_weight`` or the taxonomy's value."""
        if self.korean not in ("auto", "kiwi", "lexicon"):
            raise ValueError(f"korean must be 'auto', 'kiwi' or 'lexicon', not {self.korean!r}")
        self.taxonomy_ = Taxonomy.load(self.taxonomy)
        self.classes_ = np.array(self.taxonomy_.classes, dtype=object)
        weights = self.taxonomy_.weights
        self.other_weight_ = float(weights.other if self.other_weight is None else self.other_weight)
        if y is None:
            return self
        targets = column_or_1d(y, warn=True)  # a (n, 1) column warns, as in scikit-learn
        check_classification_targets(targets)  # class labels, not a continuous target
        labels = list(targets)
        if X is None or len(labels) == 0:
            raise ValueError("fit with labels needs the posts they label (X) and at least one label")
        scored = self._score_all(X)
        if len(scored) != len(labels):
            raise ValueError(f"X has {len(scored)} posts but y has {len(labels)} labels")
        best = (-1.0, self.other_weight_)
        for other in np.round(np.arange(0.1, 2.01, 0.1), 2):
            pred = [self._decide(s, float(other))[0] for s in scored]
            acc = float(np.mean([p == t for p, t in zip(pred, labels, strict=True)]))
            if acc > best[0] + 1e-12:
                best = (acc, float(other))
        self.other_weight_ = best[1]
        self.fit_accuracy_ = best[0]
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.array([r.topic for r in self.classify(X)], dtype=object)

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        classes = self.taxonomy_.classes
        other = self.other_weight_
        rows = []
        for scored in self._score_all(X):
            scores = scored[0]
            vec = np.array([scores.get(c, 0.0) for c in classes[:-1]] + [other])
            rows.append(vec / vec.sum())
        return np.vstack(rows) if rows else np.zeros((0, len(classes)))

    def score(self, X: Any, y: Sequence[str]) -> float:
        """Accuracy against labels."""
        pred = self.predict(X)
        truth = np.array(list(y), dtype=object)
        return float(np.mean(pred == truth)) if len(truth) else float("nan")

    def classify(self, X: Any) -> list[TopicResult]:
        """Topic, confidence and evidence for each post."""
        check_is_fitted(self)
        other = self.other_weight_
        out = []
        for scored in self._score_all(X):
            topic, confidence = self._decide(scored, other)
            scores, terms, n_words, feed_only = scored
            evidence: tuple[str, ...] = ()
            if topic != OTHER:
                evidence = terms.get(topic, ())[: self.max_evidence]
            out.append(
                TopicResult(
                    topic=topic,
                    confidence=confidence,
                    evidence=evidence,
                    scores=scores,
                    terms=terms,
                    n_words=n_words,
                    feed_only=feed_only and topic != OTHER,
                )
            )
        return out

    def classify_columns(self, X: Any) -> dict[str, list[Any]]:
        """``classify`` as columns (topic, confidence, evidence, feed_only, n_words, terms)
        without building one result object per post."""
        check_is_fitted(self)
        other = self.other_weight_
        columns: dict[str, list[Any]] = {
            k: [] for k in ("topic", "confidence", "evidence", "feed_only", "n_words", "terms")
        }
        for scored in self._score_all(X):
            topic, confidence = self._decide(scored, other)
            _, terms, n_words, feed_only = scored
            columns["topic"].append(topic)
            columns["confidence"].append(confidence)
            columns["evidence"].append(
                terms.get(topic, ())[: self.max_evidence] if topic != OTHER else ()
            )
            columns["feed_only"].append(feed_only and topic != OTHER)
            columns["n_words"].append(n_words)
            columns["terms"].append(terms)
        return columns

    def classify_frame(self, X: Any) -> pd.DataFrame:
        """``classify`` as a DataFrame: topic, confidence, evidence (comma-separated), feed_only."""
        results = self.classify(X)
        return pd.DataFrame(
            {
                "topic": [r.topic for r in results],
                "confidence": [r.confidence for r in results],
                "evidence": [", ".join(r.evidence) for r in results],
                "feed_only": [r.feed_only for r in results],
            }
        )

    # -- internals ---------------------------------------------------------------------------
    _Scored = tuple[dict[str, float], dict[str, tuple[str, ...]], int, bool]

    def _score_all(self, X: Any) -> list[_Scored]:
        check_is_fitted(self)
        records = _as_records(X)
        if self.korean == "kiwi":
            self._prime_kiwi(records)
            return [self._score_record(r, "kiwi") for r in records]
        scored = [self._score_record(r, "lexicon") for r in records]
        if self.korean == "auto":
            # Kiwi reads ~0.5-1K texts/s; the lexicon split decides most Korean posts on its own.
            other = self.other_weight_
            redo = [
                i
                for i, (record, result) in enumerate(zip(records, scored, strict=True))
                if any(is_hangul(record.get(f, "")) for f in ("caption", "title"))
                and self._undecided(result, other)
            ]
            if redo:
                self._prime_kiwi([records[i] for i in redo])
                for i in redo:
                    scored[i] = self._score_record(records[i], "kiwi")
        return scored

    def _prime_kiwi(self, records: list[dict[str, str]]) -> None:
        # Batch all Korean texts through Kiwi once (its batch mode is ~2x faster than one by one).
        texts = sorted(
            {
                r.get(f, "")
                for r in records
                for f in ("caption", "title", "bio")
                if is_hangul(r.get(f, ""))
            }
            - set(self._kiwi_cache)
        )
        if not texts:
            return
        if len(self._kiwi_cache) + len(texts) > 50_000:
            self._kiwi_cache.clear()
        for text, tokens in zip(texts, kiwi_model().tokenize(texts), strict=True):
            self._kiwi_cache[text] = kiwi_forms(tokens)

    @property
    def _kiwi_cache(self) -> dict[str, tuple[str, ...]]:
        cache_: dict[str, tuple[str, ...]] | None = self.__dict__.get("_kiwi_cache_store")
        if cache_ is None:
            cache_ = {}
            self.__dict__["_kiwi_cache_store"] = cache_
        return cache_

    def _undecided(self, scored: _Scored, other: float) -> bool:
        topic, confidence = self._decide(scored, other)
        return topic == OTHER or confidence < self.kiwi_below

    def _decide(self, scored: _Scored, other: float) -> tuple[str, float]:
        scores = scored[0]
        total = sum(scores.values()) + other
        if not scores:
            return OTHER, 1.0
        topic, best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if best <= other:
            return OTHER, other / total
        return topic, best / total

    def _score_record(self, record: Mapping[str, str], korean: str) -> _Scored:
        tax = self.taxonomy_
        w = tax.weights
        bio_w = w.bio if self.bio_weight is None else self.bio_weight
        feed_w = tax.feed_weight if self.feed_weight is None else self.feed_weight
        hits: dict[int, dict[str, float]] = {}
        n_words = 0
        feed_hit = False

        def credit(
            matches: Iterable[tuple[str, tuple[tuple[int, float], ...]]], mult: float
        ) -> None:
            for term, entries in matches:
                for topic, weight in entries:
                    slot = hits.get(topic)
                    if slot is None:
                        slot = hits[topic] = {}
                    value = weight * mult
                    previous = slot.get(term)
                    slot[term] = value if previous is None else max(previous, value)

        tag_fields: list[tuple[Sequence[str], float]] = []
        for name, mult in (("caption", w.caption), ("title", w.title), ("bio", bio_w)):
            text = record.get(name, "")
            if not text or mult <= 0:
                continue
            if name == "bio":
                # A creator's bio comes with every one of their posts: read it once.
                memo = self._bio_memo
                key = (text, korean)
                reading = memo.get(key)
                if reading is None:
                    if len(memo) >= 100_000:
                        memo.clear()
                    reading = memo[key] = self._read_field(text, korean)
                matches, _, inline_tags = reading
            else:
                matches, field_words, inline_tags = self._read_field(text, korean)
                n_words += field_words
            credit(matches, mult)
            tag_fields.append((inline_tags, w.hashtags * (1.0 if name != "bio" else bio_w)))
        raw_tags = record.get("hashtags", "")
        if raw_tags:
            tag_fields.append(([t for t in TAG_SEPARATORS.split(raw_tags) if t], w.hashtags))
        for tags, mult in tag_fields:
            for tag in tags:
                is_feed, tag_matches = read_tag(self.taxonomy, tag)
                if is_feed:
                    feed_hit = feed_hit or mult >= w.hashtags
                    continue
                credit(tag_matches, mult)
        scores = {tax.topics[i]: round(sum(v.values()), 6) for i, v in hits.items()}
        feed_only = False
        other = self.other_weight_
        # The feed vote only counts when the topical evidence cannot decide on its own.
        undecided = max(scores.values(), default=0.0) <= other
        if feed_hit and feed_w > 0 and tax.feed_topic is not None and undecided:
            slot = hits.setdefault(tax.feed_topic, {})
            slot["#feed"] = feed_w
            topic_name = tax.topics[tax.feed_topic]
            scores[topic_name] = round(scores.get(topic_name, 0.0) + feed_w, 6)
            feed_only = len(slot) == 1
        terms = {tax.topics[i]: _strongest_first(v) for i, v in hits.items()}
        return scores, terms, n_words, feed_only

    @property
    def _bio_memo(self) -> dict[tuple[str, str], _FieldReading]:
        memo: dict[tuple[str, str], _FieldReading] | None = self.__dict__.get("_bio_memo_store")
        if memo is None:
            memo = {}
            self.__dict__["_bio_memo_store"] = memo
        return memo

    def _read_field(self, text: str, korean: str) -> _FieldReading:
        """Lexicon matches of one text field (words, emoji, Kiwi forms, in that order), its word
        count and its inline #tags."""
        tax = self.taxonomy_
        words, inline_tags = split_text(text, tax.exact_spellings)
        matches = list(self._match_words(words, korean))
        emoji = tax.emoji
        matches.extend((c, emoji[c]) for c in set(text) if c in emoji)
        if korean == "kiwi" and is_hangul(text):
            matches.extend(self._match_korean(text))
        return matches, len(words), inline_tags

    def _match_words(
        self, words: list[str], korean: str
    ) -> Iterable[tuple[str, tuple[tuple[int, float], ...]]]:
        index = self.taxonomy_.words
        max_n = self.taxonomy_.max_phrase_words
        used = [False] * len(words)
        # Longest phrases first; their words are consumed so "room tour" is not also "tour".
        # Only positions whose word starts some lexicon phrase can start a match.
        starts = phrase_starts(self.taxonomy)
        candidates = [i for i, word in enumerate(words) if word in starts]
        if candidates:
            for n in range(max_n, 1, -1):
                for i in candidates:
                    if i + n > len(words):
                        break
                    if any(used[i : i + n]):
                        continue
                    gram = " ".join(words[i : i + n])
                    entries = index.get(gram)
                    if entries:
                        used[i : i + n] = [True] * n
                        yield gram, entries
        taxonomy = self.taxonomy
        for i, word in enumerate(words):
            if not used[i]:
                yield from word_matches(taxonomy, word, korean)

    def _match_korean(self, text: str) -> Iterable[tuple[str, tuple[tuple[int, float], ...]]]:
        forms = self._kiwi_cache.get(text)
        if forms is None:
            forms = kiwi_forms(kiwi_model().tokenize(text))
            self._kiwi_cache[text] = forms
        index = self.taxonomy_.words
        for form in forms:
            entries = index.get(form)
            if entries:
                yield form, entries


def _strongest_first(weights: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(weights, key=lambda term: (-weights[term], term)))
