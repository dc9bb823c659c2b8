"""Lookalike creators: similar content, similar audience, comparable size (docs/search.md).

Each creator is a profile: its topic mix (the topics step's ``topic_mix``), its terms (hashtag
and bio terms, creatorlens.discovery._text) and its audience breakdowns. Against a seed creator,
every candidate in the seed's size band (followers within a factor ``size_ratio``,
data/discovery.toml [similar]) gets

- content similarity: cosine of TF-IDF vectors of the terms (scikit-learn; sublinear term
  frequency, a term must be used by ``min_creators_per_term`` creators to count);
- topic similarity: cosine of the topic-mix vectors;
- audience similarity: per dimension (age, gender, country, ...), 1 - Hellinger distance of the
  two breakdowns, averaged over the dimensions both creators have;

and the score is their weighted mean over the similarities known for both (an unknown one is
left out and the weights renormalised, never counted as zero or as a match). Each result names
what the two share: the topics, the terms with the largest joint TF-IDF weight, and the
audience dimensions at or above ``audience_shared_at``. A candidate whose score is not above
``min_score`` shares nothing with the seed (same size band only) and is not listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from creatorlens.data import load_toml


@dataclass(frozen=True)
class SimilarSettings:
    size_ratio: float
    content_weight: float
    topic_weight: float
    audience_weight: float
    audience_dimensions: tuple[str, ...]
    audience_shared_at: float
    min_creators_per_term: int
    explain_topics: int
    explain_terms: int
    min_score: float = 0.0

    @classmethod
    @cache
    def load(cls) -> SimilarSettings:
        doc: dict[str, Any] = dict(load_toml("discovery.toml")["similar"])
        doc["audience_dimensions"] = tuple(doc["audience_dimensions"])
        return cls(**{k: v for k, v in doc.items() if not k.endswith("source")})


@dataclass(frozen=True)
class Profile:
    creator_id: str
    followers: float | None
    terms: Sequence[str] = ()
    topics: Mapping[str, float] = field(default_factory=dict)
    #: dimension -> bucket -> share
    audience: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass
class Lookalike:
    creator_id: str
    score: float
    content: float | None
    topic: float | None
    audience: float | None
    shared_topics: list[str]
    shared_terms: list[str]
    shared_audience: list[str]


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    if not a or not b:
        return None
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else None


def hellinger_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """1 - Hellinger distance of two breakdowns (each normalised to sum 1): 1 = identical."""
    ta, tb = sum(a.values()) or 1.0, sum(b.values()) or 1.0
    keys = set(a) | set(b)
    bc = sum(math.sqrt(max(a.get(k, 0.0), 0) / ta * max(b.get(k, 0.0), 0) / tb) for k in keys)
    return 1.0 - math.sqrt(max(0.0, 1.0 - min(bc, 1.0)))


class LookalikeModel:
    """Profiles fitted once (the TF-IDF vocabulary of the whole pool); ask for any seed."""

    def __init__(self, profiles: Sequence[Profile], settings: SimilarSettings | None = None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.settings = s = settings or SimilarSettings.load()
        self.profiles = list(profiles)
        self.position = {p.creator_id: i for i, p in enumerate(self.profiles)}
        self.followers = np.array(
            [np.nan if p.followers is None else float(p.followers) for p in self.profiles]
        )
        vectorizer = TfidfVectorizer(
            analyzer=lambda terms: terms, min_df=s.min_creators_per_term, sublinear_tf=True
        )
        try:
            self.tfidf = vectorizer.fit_transform([list(p.terms) for p in self.profiles]).tocsr()
            self.vocabulary = vectorizer.get_feature_names_out()
        except ValueError:  # no term used by enough creators: content similarity unknown
            self.tfidf = None
            self.vocabulary = np.array([], dtype=object)
        self.has_terms = (
            np.asarray(self.tfidf.getnnz(axis=1) > 0) if self.tfidf is not None
            else np.zeros(len(self.profiles), dtype=bool)
        )

    def candidates(self, seed: int) -> np.ndarray:
        """Positions in the seed's size band (every other creator when its followers are unknown)."""
        f = self.followers[seed]
        idx = np.arange(len(self.profiles))
        mask = idx != seed
        if not np.isnan(f) and f > 0:
            r = self.settings.size_ratio
            mask &= (self.followers >= f / r) & (self.followers <= f * r)
        found: np.ndarray = idx[mask]
        return found

    def similar(self, creator_id: str, limit: int = 20) -> list[Lookalike]:
        s = self.settings
        seed = self.position[creator_id]
        cands = self.candidates(seed)
        if len(cands) == 0:
            return []
        content: np.ndarray | None = None
        if self.tfidf is not None and self.has_terms[seed]:
            content = np.asarray((self.tfidf[cands] @ self.tfidf[seed].T).toarray()).ravel()
        sp = self.profiles[seed]
        scored: list[tuple[float, int, float | None, float | None, float | None]] = []
        if not sp.topics and not sp.audience:  # content alone: the same score, vectorised
            if content is None:
                return []
            keep = self.has_terms[cands] & (content > s.min_score)
            scored = [(float(v), int(c), float(v), None, None)
                      for v, c in zip(content[keep], cands[keep], strict=True)]  # fmt: skip
            scored.sort(key=lambda x: (-x[0], self.profiles[x[1]].creator_id))
            return [self._explain(seed, c, sc, cs, ts, au) for sc, c, cs, ts, au in scored[:limit]]
        for j, c in enumerate(cands):
            p = self.profiles[c]
            parts: list[tuple[float, float]] = []
            cs = None
            if content is not None and self.has_terms[c]:
                cs = float(content[j])
                parts.append((s.content_weight, cs))
            ts = _cosine(sp.topics, p.topics)
            if ts is not None:
                parts.append((s.topic_weight, ts))
            aus = self._audience(sp, p)
            if aus is not None:
                parts.append((s.audience_weight, aus[0]))
            total_w = sum(w for w, _ in parts)
            if not parts or total_w == 0:
                continue
            score = sum(w * v for w, v in parts) / total_w
            if score <= s.min_score:
                continue
            scored.append((score, int(c), cs, ts, None if aus is None else aus[0]))
        scored.sort(key=lambda x: (-x[0], self.profiles[x[1]].creator_id))
        return [self._explain(seed, c, sc, cs, ts, au) for sc, c, cs, ts, au in scored[:limit]]

    def _audience(self, a: Profile, b: Profile) -> tuple[float, list[str]] | None:
        sims = {
            d: hellinger_similarity(a.audience[d], b.audience[d])
            for d in self.settings.audience_dimensions
            if a.audience.get(d) and b.audience.get(d)
        }
        if not sims:
            return None
        shared = [d for d, v in sims.items() if v >= self.settings.audience_shared_at]
        return sum(sims.values()) / len(sims), shared

    def _explain(
        self, seed: int, c: int, score: float, cs: float | None, ts: float | None, au: float | None
    ) -> Lookalike:
        s = self.settings
        a, b = self.profiles[seed], self.profiles[c]
        topics = sorted(
            (k for k in a.topics if b.topics.get(k, 0) > 0),
            key=lambda k: (-min(a.topics[k], b.topics[k]), k),
        )[: s.explain_topics]
        terms: list[str] = []
        if self.tfidf is not None and cs:
            joint = self.tfidf[seed].multiply(self.tfidf[c]).tocoo()
            order = np.argsort(-joint.data, kind="stable")[: s.explain_terms]
            terms = [str(self.vocabulary[joint.col[i]]) for i in order]
        aud = self._audience(a, b)
        return Lookalike(
            b.creator_id, round(score, 4),
            None if cs is None else round(cs, 4), None if ts is None else round(ts, 4),
            None if au is None else round(au, 4),
            topics, terms, [] if aud is None else aud[1],
        )  # fmt: skip


def precision_at_k(
    model: LookalikeModel, labels: Mapping[str, str], seeds: Sequence[str], k: int = 10
) -> tuple[float | None, int]:
    """Mean share of a seed's top-k lookalikes with the seed's label, over the seeds that get k
    lookalikes at all; returns (precision, seeds counted). None when no seed gets k."""
    shares = []
    for seed in seeds:
        found = model.similar(seed, k)
        if len(found) == k:
            shares.append(sum(labels.get(f.creator_id) == labels[seed] for f in found) / k)
    return (sum(shares) / len(shares) if shares else None), len(shares)
