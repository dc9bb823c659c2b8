"""Bring a workspace's full-text index up to date with its posts and bios.

Which documents changed is decided in DuckDB (a content hash per post and per bio against the
hashes the index saved); only those are cut into terms (creatorlens.discovery._text) and
re-indexed, and documents that are gone are deleted. The first update builds the whole index.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from creatorlens.discovery._rank import BIO, POST
from creatorlens.discovery._text import document_terms, terms
from creatorlens.store import Store
from creatorlens.store._text_index import IndexDoc, TextIndex

_SEP = "chr(31)"
_CURRENT = f"""
SELECT post_id AS doc_id, creator_id, '{POST}' AS kind,
       md5(concat_ws({_SEP}, creator_id, coalesce(title, ''), coalesce(caption, ''),
                     coalesce(hashtags, ''))) AS hash
FROM posts
UNION ALL
SELECT 'bio:' || creator_id, creator_id, '{BIO}',
       md5(concat_ws({_SEP}, creator_id, coalesce(display_name, ''), coalesce(bio, '')))
FROM creators
"""


@dataclass(frozen=True)
class IndexUpdate:
    """What one update did."""

    added: int  # new or changed documents (re)indexed
    removed: int  # documents deleted (gone, or replaced by a changed version)
    documents: int  # documents in the index afterwards
    seconds: float
    up_to_date: bool = False  # nothing had changed since the last update


def signature(store: Store) -> list[Any]:
    """A cheap fingerprint of the indexed tables: any ingest changes it (counts or the newest
    observation time), so a search notices an index that is behind without hashing every post."""
    rows = store.exec(
        "SELECT (SELECT count(*) FROM posts), (SELECT max(observed_at) FROM posts)::VARCHAR, "
        "(SELECT count(*) FROM creators), (SELECT max(observed_at) FROM creators)::VARCHAR"
    )
    return list(rows[0])


def update_index(store: Store, index: TextIndex, *, force: bool = False) -> IndexUpdate:
    """Re-index the new and changed documents, delete the removed ones."""
    started = time.perf_counter()
    sig = signature(store)
    if not force and index.signature == sig:
        return IndexUpdate(0, 0, index.documents, time.perf_counter() - started, up_to_date=True)
    con = store.raw
    current: pa.Table = con.execute(_CURRENT).arrow()
    if hasattr(current, "read_all"):  # newer DuckDB returns a RecordBatchReader
        current = current.read_all()
    con.register("_text_index_current", current)
    con.register("_text_index_state", index.state)
    try:
        changed = con.execute(
            "SELECT c.doc_id, c.creator_id, c.kind, c.hash, s.doc_id IS NOT NULL AS replaced "
            "FROM _text_index_current c LEFT JOIN _text_index_state s ON c.doc_id = s.doc_id "
            "WHERE s.hash IS DISTINCT FROM c.hash"
        ).fetchall()
        gone = [r[0] for r in con.execute(
            "SELECT doc_id FROM _text_index_state EXCEPT SELECT doc_id FROM _text_index_current"
        ).fetchall()]
        changed_ids = pa.table({"doc_id": [r[0] for r in changed]})
        con.register("_text_index_changed", changed_ids)
        post_text = con.execute(
            "SELECT p.post_id, p.title, p.caption, p.hashtags FROM posts p "
            "SEMI JOIN _text_index_changed c ON p.post_id = c.doc_id"
        ).fetchall()
        bio_text = con.execute(
            "SELECT 'bio:' || k.creator_id, k.display_name, k.bio FROM creators k "
            "SEMI JOIN _text_index_changed c ON 'bio:' || k.creator_id = c.doc_id"
        ).fetchall()
    finally:
        for name in ("_text_index_current", "_text_index_state", "_text_index_changed"):
            con.unregister(name)
    texts: dict[str, str] = {}
    for post_id, title, caption, hashtags in post_text:
        texts[post_id] = " ".join(document_terms(title, caption, hashtags))
    for doc_id, name, bio in bio_text:
        texts[doc_id] = " ".join(terms(name) + terms(bio))
    added = [IndexDoc(d, c, k, texts.get(d, ""), h) for d, c, k, h, _ in changed]
    removed = [r[0] for r in changed if r[4]] + gone
    index.apply(added, removed, current, sig)
    return IndexUpdate(len(added), len(removed), index.documents, time.perf_counter() - started)
