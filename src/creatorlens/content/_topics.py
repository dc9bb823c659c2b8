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

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creatorlens.data import load_toml

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

__all__ = [
    "OTHER",
    "TEXT_FIELDS",
    "Taxonomy",
    "TopicClassifier",
    "TopicResult",
    "label_map",
    "topic_from_categories",
]

OTHER = "other"
#: Columns of a posts frame the classifier reads (any subset).
TEXT_FIELDS = ("caption", "title", "hashtags", "bio")

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_TOKEN = re.compile(r"[#@]?[\w'’]+")
# Kiwi part-of-speech tags whose forms are looked up: nouns, roots, foreign words, verb/adjective
# stems (looked up as "<stem>다", the dictionary form).
_KIWI_NOUNS = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
_KIWI_VERBS = frozenset({"VV", "VA"})
_TAG_SEPARATORS = re.compile(r"[\s,#]+")
#: (lexicon matches in order, word count, inline #tags) of one text field
_FieldReading = tuple[
    list[tuple[str, tuple[tuple[int, float], ...]]], int, list[str]
]


def _is_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


# Fold Latin diacritics (é -> e, ơ -> o, đ -> d) but leave every other script alone: NFKD would
# decompose Hangul syllables into jamo.
def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if base and base != ch:
                table[cp] = base.lower()
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    table[ord("’")] = "'"
    table[ord("-")] = " "
    return table


_FOLD = _build_fold_table()


def normalize(text: str) -> str:
    """Lower-case, fold Latin diacritics, hyphen -> space. Hangul and other scripts are kept."""
    return text.lower().translate(_FOLD)


@dataclass(frozen=True)
class FieldWeights:
    term: float
    weak: float
    caption: float
    title: float
    hashtags: float
    bio: float
    other: float


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
    w = raw["weights"]
    weights = FieldWeights(
        term=float(w["term"]),
        weak=float(w["weak"]),
        caption=float(w["caption"]),
        title=float(w["title"]),
        hashtags=float(w["hashtags"]),
        bio=float(w["bio"]),
        other=float(w["other"]),
    )
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
def _kiwi() -> Kiwi:
    # Kiwi takes ~2 s to load its model: once per process, and only when Korean text appears.
    from kiwipiepy import Kiwi

    return Kiwi()


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


class TopicClassifier:
    """Lexicon topic classifier with evidence (scikit-learn style).

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
    @property
    def taxonomy_(self) -> Taxonomy:
        return Taxonomy.load(self.taxonomy)

    @property
    def classes_(self) -> np.ndarray:
        return np.array(self.taxonomy_.classes, dtype=object)

    def _other(self) -> float:
        if hasattr(self, "other_weight_"):
            return float(self.other_weight_)
        return self.taxonomy_.weights.other if self.other_weight is None else self.other_weight

    def fit(self, X: Any, y: Sequence[str]) -> TopicClassifier:
        """Optional calibration: choose the "other" evidence mass that maximises accuracy on
        labelled posts (grid 0.1 .. 2.0). The lexicon itself is not learned."""
        labels = list(y)
        scored = self._score_all(X)
        best = (-1.0, self._other())
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
        classes = self.taxonomy_.classes
        other = self._other()
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
        other = self._other()
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

    def _classify_columns(self, X: Any) -> dict[str, list[Any]]:
        """``classify`` as columns (topic, confidence, evidence, feed_only, n_words, terms)
        without building one result object per post."""
        other = self._other()
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
        records = _as_records(X)
        if self.korean not in ("auto", "kiwi", "lexicon"):
            raise ValueError(f"korean must be 'auto', 'kiwi' or 'lexicon', not {self.korean!r}")
        if self.korean == "kiwi":
            self._prime_kiwi(records)
            return [self._score_record(r, "kiwi") for r in records]
        scored = [self._score_record(r, "lexicon") for r in records]
        if self.korean == "auto":
            # Kiwi reads ~0.5-1K texts/s; the lexicon split decides most Korean posts on its own.
            other = self._other()
            redo = [
                i
                for i, (record, result) in enumerate(zip(records, scored, strict=True))
                if any(_is_hangul(record.get(f, "")) for f in ("caption", "title"))
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
                if _is_hangul(r.get(f, ""))
            }
            - set(self._kiwi_cache)
        )
        if not texts:
            return
        if len(self._kiwi_cache) + len(texts) > 50_000:
            self._kiwi_cache.clear()
        for text, tokens in zip(texts, _kiwi().tokenize(texts), strict=True):
            self._kiwi_cache[text] = _kiwi_forms(tokens)

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
            tag_fields.append(([t for t in _TAG_SEPARATORS.split(raw_tags) if t], w.hashtags))
        for tags, mult in tag_fields:
            for tag in tags:
                is_feed, tag_matches = _read_tag(self.taxonomy, tag)
                if is_feed:
                    feed_hit = feed_hit or mult >= w.hashtags
                    continue
                credit(tag_matches, mult)
        scores = {tax.topics[i]: round(sum(v.values()), 6) for i, v in hits.items()}
        feed_only = False
        other = self._other()
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
        words, inline_tags = _split_text(text, tax.exact_spellings)
        matches = list(self._match_words(words, korean))
        emoji = tax.emoji
        matches.extend((c, emoji[c]) for c in set(text) if c in emoji)
        if korean == "kiwi" and _is_hangul(text):
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
        starts = _phrase_starts(self.taxonomy)
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
                yield from _word_matches(taxonomy, word, korean)

    def _match_korean(self, text: str) -> Iterable[tuple[str, tuple[tuple[int, float], ...]]]:
        forms = self._kiwi_cache.get(text)
        if forms is None:
            forms = _kiwi_forms(_kiwi().tokenize(text))
            self._kiwi_cache[text] = forms
        index = self.taxonomy_.words
        for form in forms:
            entries = index.get(form)
            if entries:
                yield form, entries


def _strongest_first(weights: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(weights, key=lambda term: (-weights[term], term)))


def _kiwi_forms(tokens: Iterable[Any]) -> tuple[str, ...]:
    """Lookup keys from Kiwi tokens: nouns, verb stems as "<stem>다", adjacent-noun compounds."""
    forms: list[str] = []
    run: list[str] = []
    for tok in tokens:
        tag = str(tok.tag)
        if tag in _KIWI_NOUNS:
            form = normalize(tok.form)
            forms.append(form)
            if _is_hangul(form):
                run.append(form)
                if len(run) >= 2:
                    forms.append("".join(run[-2:]))
                if len(run) >= 3:
                    forms.append("".join(run[-3:]))
                continue
        elif tag in _KIWI_VERBS:
            forms.append(tok.form + "다")
        run = []
    return tuple(forms)


def _split_text(
    text: str, exact: Mapping[str, frozenset[str]] | None = None
) -> tuple[list[str], list[str]]:
    """Normalised words (without #tags and @mentions) and the inline #tags of a text.

    A word whose folded form is in ``exact`` keeps its folded form only when it is spelt one of
    the listed ways: folding must not turn Vietnamese "cho" (for) into "chó" (dog) or "sống"
    (to live) into "song".
    """
    words: list[str] = []
    tags: list[str] = []
    for raw in _TOKEN.findall(text):
        first = raw[0]
        if first == "#":
            tags.append(raw[1:])
        elif first != "@":
            parts = _word_parts(raw)
            if exact and any(part in exact for part in parts):
                spelt = raw.lower().replace("-", " ").split()
                if len(spelt) == len(parts):
                    parts = tuple(
                        "~" + own if part in exact and own not in exact[part] else part
                        for part, own in zip(parts, spelt, strict=True)
                    )
            words.extend(parts)
    return words, tags


# Captions repeat their vocabulary: tokens, words and hashtags are read once per process.
@lru_cache(maxsize=500_000)
def _word_parts(raw: str) -> tuple[str, ...]:
    return tuple(normalize(raw).split())


@cache
def _phrase_starts(taxonomy: str) -> frozenset[str]:
    """First words of the multi-word lexicon entries."""
    return frozenset(k.split(" ", 1)[0] for k in Taxonomy.load(taxonomy).words if " " in k)


@lru_cache(maxsize=500_000)
def _word_matches(
    taxonomy: str, word: str, korean: str
) -> tuple[tuple[str, tuple[tuple[int, float], ...]], ...]:
    """Lexicon terms of one word outside phrases (Hangul words unknown to the lexicon are left
    to Kiwi in "kiwi" mode and split by lexicon lookup in "lexicon" mode)."""
    index = Taxonomy.load(taxonomy).words
    if _is_hangul(word) and korean == "kiwi" and word not in index:
        return ()
    found = _lookup_word(index, word)
    if found:
        return (found,)
    if _is_hangul(word) and korean == "lexicon":
        return _match_tag(taxonomy, word)
    return ()


@lru_cache(maxsize=200_000)
def _read_tag(
    taxonomy: str, tag: str
) -> tuple[bool, tuple[tuple[str, tuple[tuple[int, float], ...]], ...]]:
    """(is a platform feed tag, lexicon terms) of one raw hashtag."""
    norm = normalize(tag).strip("#_")
    if not norm:
        return False, ()
    if norm in Taxonomy.load(taxonomy).feed_tags:
        return True, ()
    return False, _match_tag(taxonomy, norm)


def _lookup_word(
    index: Mapping[str, tuple[tuple[int, float], ...]], word: str
) -> tuple[str, tuple[tuple[int, float], ...]] | None:
    entries = index.get(word)
    if entries:
        return word, entries
    # Light English inflection: plurals, -ing, -ed (lexicon entries are base forms).
    candidates: list[str] = []
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        candidates.append(word[:-1])
        if word.endswith("es"):
            candidates.append(word[:-2])
        if word.endswith("ies"):
            candidates.append(word[:-3] + "y")
    if len(word) > 5 and word.endswith("ing"):
        candidates += [word[:-3], word[:-3] + "e", word[:-4]]
    if len(word) > 4 and word.endswith("ed"):
        candidates += [word[:-2], word[:-1], word[:-3]]
    for cand in candidates:
        entries = index.get(cand)
        if entries:
            return cand, entries
    return None


@lru_cache(maxsize=200_000)
def _match_tag(taxonomy: str, tag: str) -> tuple[tuple[str, tuple[tuple[int, float], ...]], ...]:
    """Lexicon terms in one normalised hashtag: the whole tag, else its best split into parts."""
    tax = Taxonomy.load(taxonomy)
    whole = tax.tags.get(tag) or tax.words.get(tag)
    if whole:
        return (("#" + tag, whole),)
    pieces = _segment(tax, tag)
    return tuple(("#" + p, tax.tags.get(p) or tax.words[p]) for p in pieces)


def _segment(tax: Taxonomy, tag: str) -> list[str]:
    """Split a concatenated hashtag into lexicon terms, maximising explained characters.

    Dynamic programme over positions: a step either skips one character or consumes a lexicon
    term / glue part. Best = most characters explained, then fewest parts. Topical parts of three
    letters or fewer are kept only when the whole tag is explained (``gymlife`` yes, ``scarf`` no).
    """
    n = len(tag)
    if n < 3:
        return []
    max_len = min(tax.max_piece_len, n)
    best: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    best[0] = (0, 0)
    for i in range(n):
        covered, parts = best[i]
        if covered < 0:
            continue
        if (covered, parts) > best[i + 1]:
            best[i + 1] = (covered, parts)
            back[i + 1] = (i, None)
        for length in range(1, min(max_len, n - i) + 1):
            piece = tag[i : i + length]
            topical = piece in tax.tags or piece in tax.words
            if not topical and piece not in tax.glue:
                continue
            if topical and length < 2:
                continue
            cand = (covered + length, parts - 1)
            if cand > best[i + length]:
                best[i + length] = cand
                back[i + length] = (i, piece)
    covered_total = best[n][0]
    pieces: list[str] = []
    pos = n
    while pos > 0:
        prev, step = back[pos]
        if step is not None and (step in tax.tags or step in tax.words):
            pieces.append(step)
        pos = prev
    pieces.reverse()
    fully_explained = covered_total >= n
    return [p for p in pieces if fully_explained or len(p) >= 4 or (_is_hangul(p) and len(p) >= 2)]


def evidence_json(terms: Mapping[str, Sequence[str]]) -> str:
    """Stable JSON for per-topic term lists."""
    return json.dumps({k: list(v) for k, v in sorted(terms.items())}, ensure_ascii=False)


@cache
def content_constants() -> dict[str, Any]:
    """Constants of the content scores (``data/topics/content_scores.toml``)."""
    return load_toml("topics/content_scores.toml")


def _normalised_entropy(weights: Sequence[float], n_classes: int) -> float:
    arr = np.asarray([w for w in weights if w > 0], dtype=float)
    if n_classes < 2 or arr.size == 0:
        return 0.0
    p = arr / arr.sum()
    return float(-(p * np.log(p)).sum() / np.log(n_classes))


def classify_posts(
    posts: pd.DataFrame,
    creators: pd.DataFrame | None = None,
    classifier: TopicClassifier | None = None,
) -> pd.DataFrame:
    """Classify every post; the creator's bio (from ``creators``) is a weak extra field.

    Returns one row per post: post_id, creator_id, posted_at, topic, confidence, evidence
    (comma-separated), feed_only, n_words and ``terms`` (topic -> matched terms, for depth).
    """
    clf = classifier or TopicClassifier()
    frame = posts.copy()
    if creators is not None and "bio" in creators.columns and "creator_id" in frame.columns:
        bios = creators.set_index("creator_id")["bio"]
        frame["bio"] = frame["creator_id"].map(bios)
    results = clf._classify_columns(frame)
    return pd.DataFrame(
        {
            "post_id": frame.get("post_id", pd.Series(range(len(frame)))).to_numpy(),
            "creator_id": frame.get("creator_id", pd.Series([None] * len(frame))).to_numpy(),
            "posted_at": pd.to_datetime(
                frame.get("posted_at", pd.Series([pd.NaT] * len(frame)))
            ).to_numpy(),
            "topic": results["topic"],
            "confidence": [round(c, 4) for c in results["confidence"]],
            "evidence": [", ".join(e) for e in results["evidence"]],
            "feed_only": results["feed_only"],
            "n_words": results["n_words"],
            "terms": results["terms"],
        }
    )


def _consistency(
    topical: pd.DataFrame, main_of: pd.Series, const: Mapping[str, Any]
) -> pd.DataFrame:
    """Per creator: share of monthly windows whose top topic (confidence-weighted) is the main
    niche, and the number of windows; null share with fewer than ``min_windows`` windows."""
    dated = topical.dropna(subset=["posted_at"])
    empty = pd.DataFrame(columns=["consistency", "consistency_windows"])
    if dated.empty:
        return empty
    frame = dated.assign(month=pd.to_datetime(dated["posted_at"]).dt.to_period("M"))
    per = frame.groupby(["creator_id", "month", "topic"], observed=True)["confidence"].agg(
        ["sum", "size"]
    )
    per = per.reset_index()
    sizes = per.groupby(["creator_id", "month"], observed=True)["size"].transform("sum")
    per = per[sizes >= int(const["min_posts_per_window"])]
    per["is_main"] = per["topic"] == per["creator_id"].map(main_of)
    # Top topic per window; a tie goes to the main niche.
    top = per.sort_values(["creator_id", "month", "sum", "is_main"]).drop_duplicates(
        ["creator_id", "month"], keep="last"
    )
    stats = top.groupby("creator_id")["is_main"].agg(["mean", "size"])
    out = pd.DataFrame(
        {
            "consistency": stats["mean"].where(stats["size"] >= int(const["min_windows"])),
            "consistency_windows": stats["size"],
        }
    )
    return out


def _peer_percentiles(frame: pd.DataFrame, min_group: int) -> pd.Series:
    """Mid-rank percentile (0..100) of ER within (platform, main_niche) groups of >= min_group."""
    out = pd.Series(np.nan, index=frame.index, dtype=float)
    valid = frame.dropna(subset=["er"])
    valid = valid[valid["main_niche"] != OTHER]
    for _, group in valid.groupby(["platform", "main_niche"], dropna=False):
        if len(group) < min_group:
            continue
        ranks = group["er"].rank(method="average")
        out.loc[group.index] = 100.0 * (ranks - 0.5) / len(group)
    return out


def creator_niches(
    post_topics: pd.DataFrame,
    creators: pd.DataFrame,
    scorecard: pd.DataFrame | None = None,
    *,
    taxonomy: str = "taxonomy.toml",
    classifier: TopicClassifier | None = None,
) -> pd.DataFrame:
    """Main niche, focus, consistency and expertise per creator (docs/content.md).

    ``post_topics`` is the output of :func:`classify_posts`; ``creators`` needs creator_id and
    optionally platform, bio, categories; ``scorecard`` (optional) supplies
    er_followers_lc_median for the peer-engagement component.
    """
    tax = Taxonomy.load(taxonomy)
    const = content_constants()
    niche_c, exp_c = const["niche"], const["expertise"]
    n_topics = len(tax.topics)
    order = {t: i for i, t in enumerate(tax.classes)}
    pt = post_topics[post_topics["creator_id"].isin(creators["creator_id"])]
    topical = pt[pt["topic"] != OTHER]
    n_posts = pt.groupby("creator_id").size()
    n_topical = topical.groupby("creator_id").size()
    weights = topical.groupby(["creator_id", "topic"])["confidence"].sum().rename("w").reset_index()
    weights["share"] = weights["w"] / weights.groupby("creator_id")["w"].transform("sum")
    weights["order"] = weights["topic"].map(order)
    weights = weights.sort_values(["creator_id", "share", "order"], ascending=[True, False, True])
    main_of = weights.drop_duplicates("creator_id").set_index("creator_id")["topic"]
    plogp = weights["share"] * np.log(weights["share"].clip(lower=1e-300))
    entropy = -plogp.groupby(weights["creator_id"]).sum() / np.log(n_topics)
    mixes: dict[str, dict[str, float]] = {}
    for cid, topic, share in zip(
        weights["creator_id"], weights["topic"], weights["share"], strict=True
    ):
        mixes.setdefault(str(cid), {})[str(topic)] = round(float(share), 4)
    in_main = (pt["topic"] == pt["creator_id"].map(main_of)).groupby(pt["creator_id"]).sum()
    vocab: dict[str, dict[str, int]] = {}
    main_lookup = main_of.to_dict()
    for cid, terms in zip(pt["creator_id"], pt["terms"], strict=True):
        main = main_lookup.get(cid)
        if main is None:
            continue
        counts = vocab.setdefault(cid, {})
        for term in terms.get(main, ()):
            if term != "#feed":
                key = term.lstrip("#")
                counts[key] = counts.get(key, 0) + 1
    consistency = _consistency(topical, main_of, niche_c)
    median_words = pt.groupby("creator_id")["n_words"].median()

    frame = creators[["creator_id"]].copy()
    frame["platform"] = creators["platform"] if "platform" in creators.columns else None
    cid_s = frame["creator_id"]
    has_posts = cid_s.isin(main_of.index)
    frame["main_niche"] = cid_s.map(main_of).astype(object)
    frame["niche_source"] = np.where(has_posts, "posts", "none")
    frame["n_posts"] = cid_s.map(n_posts).fillna(0).astype(int)
    frame["n_topical_posts"] = cid_s.map(n_topical).fillna(0).astype(int)
    # astype(float): with no creators at all, map() gives an empty column of strings
    frame["niche_share"] = (
        (cid_s.map(in_main).astype(float) / cid_s.map(n_posts).astype(float)).round(4).where(has_posts)
    )
    frame["focus"] = (1.0 - cid_s.map(entropy).astype(float)).round(4).where(has_posts)
    frame["consistency"] = cid_s.map(consistency["consistency"]).astype(float).round(4)
    frame["consistency_windows"] = (
        cid_s.map(consistency["consistency_windows"]).fillna(0).astype(int)
    )
    frame["topic_mix"] = [json.dumps(mixes.get(c, {})) for c in cid_s]
    frame["topic_evidence"] = [
        ", ".join(
            f"{t}×{n}"
            for t, n in sorted(vocab.get(c, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        )
        for c in cid_s
    ]
    frame["vocabulary_terms"] = [len(vocab.get(c, {})) for c in cid_s]
    frame["median_caption_words"] = cid_s.map(median_words).where(has_posts)

    # Creators without topical posts: their ranking categories, else their bio alone.
    missing = frame.index[~has_posts]
    if len(missing):
        clf = classifier or TopicClassifier(taxonomy)
        sub = creators.loc[missing]
        cats = [
            topic_from_categories(c) for c in sub.get("categories", pd.Series(None, index=missing))
        ]
        bios = sub.get("bio", pd.Series(None, index=missing))
        bio_text = [b if isinstance(b, str) else "" for b in bios]
        bio_topics = [r.topic for r in clf.classify([{"caption": b} for b in bio_text])]
        mains: list[str] = []
        sources: list[str] = []
        for cat, bio_topic in zip(cats, bio_topics, strict=True):
            main, source = (
                (cat, "categories")
                if cat
                else (bio_topic, "bio")
                if bio_topic != OTHER
                else (OTHER, "none")
            )
            mains.append(main)
            sources.append(source)
        frame.loc[missing, "main_niche"] = mains
        frame.loc[missing, "niche_source"] = sources
        frame.loc[missing, "topic_mix"] = [
            json.dumps({m: 1.0} if m != OTHER else {}) for m in mains
        ]
    if frame.empty:
        return frame
    er = pd.Series(np.nan, index=frame.index)
    if scorecard is not None and "er_followers_lc_median" in scorecard.columns:
        er = frame["creator_id"].map(scorecard.set_index("creator_id")["er_followers_lc_median"])
    frame["er"] = pd.to_numeric(er, errors="coerce")
    frame["peer_er_percentile"] = _peer_percentiles(frame, int(exp_c["min_peer_group"]))
    vocab_part = (frame["vocabulary_terms"] / float(exp_c["vocabulary_reference_terms"])).clip(
        upper=1
    )
    length_part = (
        pd.to_numeric(frame["median_caption_words"], errors="coerce")
        / float(exp_c["caption_reference_words"])
    ).clip(upper=1)
    frame["depth"] = ((vocab_part + length_part) / 2).where(frame["niche_source"] == "posts")
    parts = {
        "focus": (pd.to_numeric(frame["focus"], errors="coerce"), float(exp_c["weight_focus"])),
        "depth": (frame["depth"], float(exp_c["weight_depth"])),
        "peer": (frame["peer_er_percentile"] / 100.0, float(exp_c["weight_peer_er"])),
    }
    num = pd.Series(0.0, index=frame.index)
    den = pd.Series(0.0, index=frame.index)
    n_parts = pd.Series(0, index=frame.index)
    for values, weight in parts.values():
        present = values.notna()
        num += values.fillna(0) * weight
        den += present * weight
        n_parts += present.astype(int)
    expertise = (100 * num / den.where(den > 0)).round(2)
    frame["expertise"] = expertise.where((frame["niche_source"] == "posts") & (n_parts >= 2))
    frame["expertise_components"] = n_parts.where(frame["niche_source"] == "posts", 0)
    frame["depth"] = frame["depth"].round(4)
    frame["peer_er_percentile"] = frame["peer_er_percentile"].round(2)
    return frame.drop(columns=["er"])
