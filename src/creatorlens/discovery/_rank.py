"""Content search: a query's terms, and creators ranked from the posts (and bios) that match.

The full-text index (creatorlens.store._text_index, tantivy's BM25) scores documents; this module
turns those document scores into a creator ranking with its evidence. A creator's score is

    bio_weight * bio score + sum over its best posts_counted posts of post_decay^(n-1) * score_n

(data/discovery.toml [search]; docs/search.md), so a creator who posts about the query often
ranks above one lucky post, with diminishing returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, Self

from creatorlens.data import load_toml
from creatorlens.discovery._text import terms

#: The kind of an indexed document: one post, or a creator's bio (with display name).
POST, BIO = "post", "bio"


class TomlSettings:
    """Settings read from one section of data/discovery.toml (its ``*_source`` notes aside)."""

    SECTION: ClassVar[str]

    @classmethod
    @cache
    def load(cls) -> Self:
        doc: dict[str, Any] = load_toml("discovery.toml")[cls.SECTION]
        return cls(**{k: v for k, v in doc.items() if not k.endswith("source")})


@dataclass(frozen=True)
class SearchSettings(TomlSettings):
    max_post_hits: int
    posts_counted: int
    post_decay: float
    bio_weight: float
    evidence_posts: int
    all_terms_boost: float
    list_match_docs: int

    SECTION: ClassVar[str] = "search"


@dataclass(frozen=True)
class Query:
    """What the index is asked: the distinct terms of the user's text, in order."""

    text: str
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        return cls(text, tuple(dict.fromkeys(terms(text))))

    @property
    def empty(self) -> bool:
        return not self.terms


@dataclass(frozen=True)
class Hit:
    """One matching document as the index scored it."""

    creator_id: str
    doc_id: str  # a post_id, or the creator_id for a bio
    kind: str  # POST or BIO
    score: float


@dataclass
class CreatorMatch:
    creator_id: str
    score: float
    #: Matching posts among the documents fetched (at most max_post_hits over all creators).
    matching_posts: int
    bio_matched: bool
    #: The best-scoring posts, best first: (post_id, score).
    evidence: list[tuple[str, float]] = field(default_factory=list)


def rank_creators(hits: Iterable[Hit], settings: SearchSettings | None = None) -> list[CreatorMatch]:
    """Creators of the hits, best first (ties by creator_id), with their best posts."""
    s = settings or SearchSettings.load()
    posts: dict[str, list[tuple[float, str]]] = defaultdict(list)
    bios: dict[str, float] = {}
    for h in hits:
        if h.kind == BIO:
            bios[h.creator_id] = max(h.score, bios.get(h.creator_id, 0.0))
        else:
            posts[h.creator_id].append((h.score, h.doc_id))
    out: list[CreatorMatch] = []
    for creator_id in set(posts) | set(bios):
        mine = sorted(posts.get(creator_id, []), key=lambda p: (-p[0], p[1]))
        score = s.bio_weight * bios.get(creator_id, 0.0)
        score += sum(sc * s.post_decay**n for n, (sc, _) in enumerate(mine[: s.posts_counted]))
        out.append(
            CreatorMatch(
                creator_id,
                score,
                len(mine),
                creator_id in bios,
                [(pid, sc) for sc, pid in mine[: s.evidence_posts]],
            )
        )
    out.sort(key=lambda m: (-m.score, m.creator_id))
    return out


def matched_terms(query: Query, text_terms: Sequence[str]) -> list[str]:
    """The query's terms found in a document's terms, in query order: the evidence shown."""
    have = set(text_terms)
    return [t for t in query.terms if t in have]


@cache
def _text_order(n: int) -> Any:
    """Rank of ``str(i)`` among ``str(0) .. str(n-1)`` for each i: the order of the doc ids that
    ``rank_creators`` breaks equal scores with (hits are numbered by position, as text)."""
    import numpy as np

    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=str)] = np.arange(n)
    return rank


def rank_hits(
    creator_ids: Sequence[str],
    is_bio: Sequence[bool],
    scores: Sequence[float],
    settings: SearchSettings | None = None,
    limit: int | None = None,
) -> list[CreatorMatch]:
    """``rank_creators`` of the hits given as columns, hit ``i`` being ``Hit(creator_ids[i],
    str(i), BIO if is_bio[i] else POST, scores[i])``; the best ``limit`` creators (all if None).

    The same ranking, scores and evidence to the last bit (the creator score is summed in the same
    order), computed with one sort of arrays instead of an object per hit and a sort per creator:
    a query's 2,000 hits are grouped in well under a millisecond (BENCHMARKS.md "Content search").
    Hits with an empty creator id are skipped (documents of a creator the index no longer maps).
    """
    import numpy as np

    s = settings or SearchSettings.load()
    n = len(scores)
    if n == 0:
        return []
    names, owner = np.unique(np.asarray(creator_ids, dtype=object), return_inverse=True)
    score = np.asarray(scores, dtype=np.float64)
    bio = np.asarray(is_bio, dtype=bool)
    named = np.asarray([bool(c) for c in names], dtype=bool)  # per creator
    keep = named[owner]  # per hit
    groups = len(names)
    bio_score = np.zeros(groups, dtype=np.float64)
    bio_hit = np.zeros(groups, dtype=bool)
    b = np.flatnonzero(bio & keep)
    np.maximum.at(bio_score, owner[b], score[b])  # max(score, 0.0) as rank_creators takes it
    bio_hit[owner[b]] = True
    # posts: by creator, then best score first, ties by the doc id's text
    p = np.flatnonzero(~bio & keep)
    text_rank = _text_order(1 << max(11, (n - 1).bit_length()))  # relative order = among 0..n-1
    p = p[np.lexsort((text_rank[p], -score[p], owner[p]))]
    post_owner = owner[p]
    counts = np.bincount(post_owner, minlength=groups)
    starts = np.zeros(groups, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    nth = np.arange(len(p)) - starts[post_owner]  # 0 for a creator's best post
    total = np.zeros(groups, dtype=np.float64)
    for k in range(s.posts_counted):  # sum() over the best posts, in rank_creators' order
        at = nth == k
        total[post_owner[at]] += score[p[at]] * s.post_decay**k
    creator_score = s.bio_weight * bio_score + total
    present = np.flatnonzero(((counts > 0) | bio_hit) & named)
    order = sorted(present.tolist(), key=lambda g: (-creator_score[g], names[g]))
    out: list[CreatorMatch] = []
    for g in order[:limit] if limit is not None else order:
        first = int(starts[g])
        best = p[first : first + min(int(counts[g]), s.evidence_posts)]
        out.append(
            CreatorMatch(
                str(names[g]),
                float(creator_score[g]),
                int(counts[g]),
                bool(bio_hit[g]),
                [(str(i), float(score[i])) for i in best.tolist()],
            )
        )
    return out
