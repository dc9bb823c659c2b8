"""Semantic and hybrid content search over a workspace (the Workspace calls this; docs/search.md
"Semantic search"): bringing the stored embeddings up to date with the posts and bios, and the
ranked creator list with the matching posts as evidence, shaped as the full-text search's."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from creatorlens.discovery._index_step import changed_documents, signature
from creatorlens.discovery._rank import BIO, Query
from creatorlens.discovery._semantic import (
    Encoder,
    SemanticSettings,
    bio_text,
    fuse_rankings,
    post_text,
    rank_semantic,
)
from creatorlens.discovery._service import _SNIPPET, ContentSearch, _creator_rows, _posts
from creatorlens.discovery._text import document_terms, terms
from creatorlens.store import Store
from creatorlens.store._vector_store import VectorStore

if TYPE_CHECKING:
    import ibis.expr.types as ir


@dataclass(frozen=True)
class EmbeddingUpdate:
    """What one update of the stored embeddings did."""

    added: int  # new or changed documents embedded
    removed: int  # documents dropped (gone, or replaced by a changed version)
    documents: int  # documents stored afterwards
    seconds: float
    up_to_date: bool = False


def update_embeddings(
    store: Store,
    vectors: VectorStore,
    encoder: Encoder,
    *,
    force: bool = False,
    settings: SemanticSettings | None = None,
) -> EmbeddingUpdate:
    """Embed the new and changed posts and bios (by content hash, decided in DuckDB as for the
    full-text index), drop the removed ones."""
    with vectors.lock:  # one embedding run at a time per store (a server's pooled workspaces)
        return _update(store, vectors, encoder, force, settings or SemanticSettings.load())


def _update(
    store: Store, vectors: VectorStore, encoder: Encoder, force: bool, s: SemanticSettings
) -> EmbeddingUpdate:
    started = time.perf_counter()
    sig = signature(store)
    if not force and vectors.signature == sig:
        return EmbeddingUpdate(0, 0, vectors.documents, time.perf_counter() - started, up_to_date=True)
    changed, gone = changed_documents(store, vectors.state, "_semantic_state", ordered=True)
    cols = [changed.column(i).to_pylist() for i in range(8)]
    texts = [
        bio_text(t1, t2, s.max_chars, s.min_letters)
        if kind == BIO
        else post_text(t1, t2, t3, s.max_chars, s.min_letters)
        for kind, t1, t2, t3 in zip(cols[2], cols[5], cols[6], cols[7], strict=True)
    ]
    new_vectors = encoder.encode(texts, s.batch) if texts else np.zeros((0, encoder.dim), np.float32)
    removed = [d for d, replaced in zip(cols[0], cols[4], strict=True) if replaced] + gone
    vectors.apply(removed, changed.select(["doc_id", "creator_id", "kind", "hash"]), new_vectors, sig)
    return EmbeddingUpdate(len(texts), len(removed), vectors.documents, time.perf_counter() - started)


def search_semantic(
    store: Store,
    vectors: VectorStore,
    encoder: Encoder,
    view: ir.Table,
    text: str,
    *,
    creator_ids: Sequence[str] | None = None,
    limit: int = 20,
    settings: SemanticSettings | None = None,
) -> ContentSearch:
    """The ``limit`` creators whose documents are nearest in meaning to ``text``, best first."""
    s = settings or SemanticSettings.load()
    query = Query.parse(text)
    out = ContentSearch(text, list(query.terms), mode="semantic")
    if not text.strip() or vectors.documents == 0 or (creator_ids is not None and not creator_ids):
        return out
    q = encoder.encode([text])[0]
    owners, bios = vectors.columns()
    rows = np.arange(vectors.documents)
    if creator_ids is not None:
        import pyarrow.compute as pc

        wanted = pa.array(list(creator_ids), pa.string())
        keep = pc.is_in(vectors.state.column("creator_id"), value_set=wanted)
        rows = np.flatnonzero(np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool))
    cos = _cosines(vectors.vectors, rows, q)
    ids, is_bio = owners[rows], bios[rows]
    out.matching_documents = int((cos >= s.match_cosine).sum())
    ranked = rank_semantic(ids, is_bio, cos, s, limit)
    doc_ids = vectors.state.column("doc_id")
    post_of = {int(i): str(doc_ids[int(rows[int(i)])]) for m in ranked for i, _ in m.evidence}
    posts = _posts(store, list(post_of.values()))
    found = _creator_rows(store, view, [m.creator_id for m in ranked])
    for m in ranked:
        row = found.get(m.creator_id) or {"creator_id": m.creator_id}
        row.update(score=round(m.score, 4), matching_posts=m.matching_posts, bio_matched=m.bio_matched)
        have = set(terms(row.get("display_name")) + terms(row.get("bio")))
        row["bio_terms"] = [t for t in query.terms if t in have]
        row["evidence"] = [
            _evidence(posts[post_of[int(i)]], cosine, query)
            for i, cosine in m.evidence
            if post_of[int(i)] in posts
        ]
        out.creators.append(row)
    return out


def _cosines(matrix: np.ndarray[Any, Any], rows: np.ndarray[Any, Any], q: np.ndarray[Any, Any]) -> Any:
    """Cosines of the stored unit vectors ``rows`` with the unit query vector (float32)."""
    q32 = q.astype(np.float32)
    if len(rows) == len(matrix):  # every document: no copy of the matrix
        return matrix @ q32
    return matrix[rows] @ q32


def _evidence(post: dict[str, Any], cosine: float, query: Query) -> dict[str, Any]:
    found = set(document_terms(post["title"], post["caption"], post["hashtags"]))
    text = " ".join(x for x in (post["title"], post["caption"]) if x) or post["hashtags"] or ""
    return {
        "post_id": post["post_id"],
        "posted_at": post["posted_at"],
        "kind": post["kind"],
        "score": round(cosine, 4),
        "similarity": round(cosine, 4),
        "text": text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…",
        "matched_terms": [t for t in query.terms if t in found],
    }


def fuse(
    text: ContentSearch, semantic: ContentSearch, *, limit: int, settings: SemanticSettings | None = None
) -> ContentSearch:
    """Hybrid: the two creator rankings fused by reciprocal rank fusion; each creator keeps the
    text search's row (its matched terms) with the semantic evidence added after it, and both
    ranks (``text_rank``, ``semantic_rank``; None where the creator is absent)."""
    s = settings or SemanticSettings.load()
    by_text = {c["creator_id"]: (n, c) for n, c in enumerate(text.creators, start=1)}
    by_meaning = {c["creator_id"]: (n, c) for n, c in enumerate(semantic.creators, start=1)}
    fused = fuse_rankings([list(by_text), list(by_meaning)], s.rrf_k)
    out = ContentSearch(text.query, text.terms, matching_documents=text.matching_documents, mode="hybrid")
    for creator_id, score in fused[:limit]:
        t, m = by_text.get(creator_id), by_meaning.get(creator_id)
        either = t or m
        assert either is not None  # every fused creator comes from one of the two rankings
        base = dict(either[1])
        evidence = list(t[1]["evidence"]) if t else []
        seen = {e["post_id"] for e in evidence}
        if m:
            evidence += [e for e in m[1]["evidence"] if e["post_id"] not in seen]
            if t:
                base["matching_posts"] = max(t[1]["matching_posts"], m[1]["matching_posts"])
        base.update(
            score=round(score, 6),
            text_rank=t[0] if t else None,
            semantic_rank=m[0] if m else None,
            evidence=evidence[: max(s.evidence_posts, 1) * 2],
        )
        out.creators.append(base)
    return out
