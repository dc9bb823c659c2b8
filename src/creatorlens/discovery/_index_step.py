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
import pyarrow.compute as pc

from creatorlens.discovery._rank import BIO, POST
from creatorlens.discovery._text import document_terms, terms
from creatorlens.store import Store
from creatorlens.store._text_index import IndexDoc, TextIndex

_SEP = "chr(31)"
# A document's content hash is DuckDB's 64-bit hash() of its fields (md5 cost 2.4 s more per update
# at 1M posts). Its value may change with the DuckDB version: every document then reads as changed
# and is re-indexed once, which is correct. Its text (t1..t3) is carried for the changed ones only.
_CURRENT = f"""
SELECT post_id AS doc_id, creator_id, '{POST}' AS kind,
       hash(concat_ws({_SEP}, creator_id, coalesce(title, ''), coalesce(caption, ''),
                      coalesce(hashtags, '')))::VARCHAR AS hash,
       title AS t1, caption AS t2, hashtags AS t3
FROM posts
UNION ALL
SELECT 'bio:' || creator_id, creator_id, '{BIO}',
       hash(concat_ws({_SEP}, creator_id, coalesce(display_name, ''), coalesce(bio, '')))::VARCHAR,
       display_name, bio, NULL
FROM creators
"""

#: Every document's id, as _CURRENT lists them (without hashing: to find what is gone).
_CURRENT_IDS = "SELECT post_id AS doc_id FROM posts UNION ALL SELECT 'bio:' || creator_id FROM creators"
_STATE_COLUMNS = ["doc_id", "creator_id", "kind", "hash"]


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


def changed_documents(
    store: Store, state: pa.Table, view: str, *, ordered: bool = False
) -> tuple[pa.Table, list[str]]:
    """The posts and bios that are new or changed against a saved ``state`` (its doc_id and hash
    columns), with a ``replaced`` flag and their text t1..t3, and the ids of the documents gone.

    ``state`` is registered in DuckDB as ``view`` while the queries run; ``ordered``: the changed
    documents come sorted by doc_id."""
    con = store.raw
    # Hashes are computed and compared inside DuckDB: only the changed rows come out (at 1M posts,
    # carrying every document's hash into Arrow cost more than computing it; BENCHMARKS.md).
    con.register(view, state)
    try:
        changed: pa.Table = con.execute(
            f"WITH c AS ({_CURRENT}) "
            "SELECT c.doc_id, c.creator_id, c.kind, c.hash, s.doc_id IS NOT NULL AS replaced, "
            "c.t1, c.t2, c.t3 "
            f"FROM c LEFT JOIN {view} s ON c.doc_id = s.doc_id "
            "WHERE s.hash IS DISTINCT FROM c.hash" + (" ORDER BY c.doc_id" if ordered else "")
        ).to_arrow_table()
        gone = [r[0] for r in con.execute(f"SELECT doc_id FROM {view} EXCEPT ({_CURRENT_IDS})").fetchall()]
    finally:
        con.unregister(view)
    return changed, gone


def update_index(store: Store, index: TextIndex, *, force: bool = False) -> IndexUpdate:
    """Re-index the new and changed documents, delete the removed ones."""
    started = time.perf_counter()
    sig = signature(store)
    if not force and index.signature == sig:
        return IndexUpdate(0, 0, index.documents, time.perf_counter() - started, up_to_date=True)
    changed_table, gone = changed_documents(store, index.state, "_text_index_state")
    changed = list(zip(*(changed_table.column(i).to_pylist() for i in range(8)), strict=True))
    texts: dict[str, str] = {}
    for doc_id, _, kind, _, _, t1, t2, t3 in changed:
        if kind == BIO:  # display name, bio
            texts[doc_id] = " ".join(terms(t1) + terms(t2))
        else:  # title, caption, hashtags
            texts[doc_id] = " ".join(document_terms(t1, t2, t3))
    added = [IndexDoc(d, c, k, texts.get(d, ""), h) for d, c, k, h, *_ in changed]
    removed = [r[0] for r in changed if r[4]] + gone
    # every document's hash afterwards: the saved state less what changed or went, plus the changed
    dropped = pc.is_in(index.state.column("doc_id"), value_set=pa.array(removed, pa.string()))
    kept = index.state.filter(pc.invert(dropped)).select(_STATE_COLUMNS)
    fresh = changed_table.select(_STATE_COLUMNS).cast(kept.schema)
    index.apply(added, removed, pa.concat_tables([kept, fresh]), sig)
    return IndexUpdate(len(added), len(removed), index.documents, time.perf_counter() - started)
