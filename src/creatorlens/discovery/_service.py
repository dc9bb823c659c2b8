"""Content search over a workspace: the index's scored documents turned into a ranked creator
list with the matching posts as evidence (the Workspace calls this; docs/search.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from creatorlens.discovery._rank import Query, SearchSettings, rank_hits
from creatorlens.discovery._text import document_terms, terms
from creatorlens.store import Store, fetch_bound
from creatorlens.store._text_index import TextIndex

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: Creator columns shown with a search result (those the view has).
RESULT_COLUMNS = (
    "creator_id", "platform", "handle", "display_name", "followers", "tier", "country",
    "main_niche", "bio",
)  # fmt: skip
_SNIPPET = 200


@dataclass
class ContentSearch:
    """A content search's answer: creators best first, each with its evidence."""

    query: str
    terms: list[str]
    #: One dict per creator: the RESULT_COLUMNS, ``score``, ``matching_posts``, ``bio_matched``,
    #: ``bio_terms`` and ``evidence`` (posts: post_id, posted_at, kind, text, matched_terms).
    creators: list[dict[str, Any]] = field(default_factory=list)
    #: Documents (posts and bios) matching any term in the whole index (semantic: documents
    #: whose cosine with the query reaches match_cosine, among the creators searched).
    matching_documents: int = 0
    #: "text", "semantic" or "hybrid" (docs/search.md "Semantic search").
    mode: str = "text"


def search_content(
    store: Store,
    index: TextIndex,
    view: ir.Table,
    query: Query,
    *,
    creator_ids: Sequence[str] | None = None,
    limit: int = 20,
    settings: SearchSettings | None = None,
) -> ContentSearch:
    """The ``limit`` best creators for ``query`` among ``creator_ids`` (every creator if None)."""
    s = settings or SearchSettings.load()
    out = ContentSearch(query.text, list(query.terms))
    if query.empty or (creator_ids is not None and not creator_ids):
        return out
    raw = index.search(
        query.terms, limit=s.max_post_hits, all_terms_boost=s.all_terms_boost, creator_ids=creator_ids
    )
    out.matching_documents = raw.total
    # rank_creators of Hit(cid, str(i), ...) for every hit with a creator, as columns
    ranked = rank_hits(raw.creator_ids, raw.is_bio, raw.scores, s, limit)
    if not ranked:
        return out
    positions = [int(doc) for m in ranked for doc, _ in m.evidence]
    post_ids = dict(zip(positions, index.doc_ids([raw.addresses[p] for p in positions]), strict=True))
    posts = _posts(store, list(post_ids.values()))
    rows = _creator_rows(store, view, [m.creator_id for m in ranked])
    for m in ranked:
        row = rows.get(m.creator_id)
        if row is None:  # indexed but no longer in the scorecard (not scored yet)
            row = {"creator_id": m.creator_id}
        row.update(score=round(m.score, 4), matching_posts=m.matching_posts, bio_matched=m.bio_matched)
        have = set(terms(row.get("display_name")) + terms(row.get("bio")))
        row["bio_terms"] = [t for t in query.terms if t in have]
        row["evidence"] = []
        for doc, score in m.evidence:
            post = posts.get(post_ids[int(doc)])
            if post is None:
                continue
            found = set(document_terms(post["title"], post["caption"], post["hashtags"]))
            text = " ".join(x for x in (post["title"], post["caption"]) if x) or post["hashtags"] or ""
            row["evidence"].append(
                {
                    "post_id": post["post_id"],
                    "posted_at": post["posted_at"],
                    "kind": post["kind"],
                    "score": round(score, 4),
                    "text": text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…",
                    "matched_terms": [t for t in query.terms if t in found],
                }
            )
        out.creators.append(row)
    return out


def _posts(store: Store, post_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not post_ids:
        return {}
    p = store.table("posts")
    q = p.filter(p.post_id.isin(post_ids)).select(
        "post_id", "posted_at", "kind", "title", "caption", "hashtags"
    )
    return {r["post_id"]: r for r in fetch_bound(store.ibis, q).to_pylist()}


def _creator_rows(store: Store, view: ir.Table, ids: list[str]) -> dict[str, dict[str, Any]]:
    cols = [c for c in RESULT_COLUMNS if c in view.columns]
    q = view.filter(view.creator_id.isin(ids)).select(*cols) if ids else None
    if q is None:
        return {}
    return {r["creator_id"]: r for r in fetch_bound(store.ibis, q).to_pylist()}
