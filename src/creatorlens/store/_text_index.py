"""The full-text index of a workspace: tantivy (BM25) next to the DuckDB file.

A workspace ``w.duckdb`` keeps its index in the folder ``w.duckdb.search/`` (an in-memory
workspace keeps it in memory). Each document is one post or one creator's bio, already cut into
search terms by creatorlens.discovery (the index splits on whitespace only, so documents and
queries are tokenised by the same Python code). Beside tantivy's files, ``state.parquet`` holds
each document's content hash, so an update after an ingest re-indexes only the documents that are
new or changed and deletes those that are gone; ``creatorlens.json`` holds the signature of the tables
the index was last brought up to date with.

This module does I/O only: which documents changed is decided by comparing hashes computed in
DuckDB with the saved state; what the terms are and how hits become a ranking is domain code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import tantivy

from creatorlens.store._side_files import DOC_STATE_SCHEMA, META_FILE, read_meta

#: Bump when the document layout or the tokeniser changes: an index of another version is rebuilt.
INDEX_VERSION = 3  # 2: content hashes by DuckDB's hash() instead of md5; 3: brands in label tags


def creator_key(creator_id: str) -> int:
    """A creator's 64-bit key in the index (a fast field: hits are grouped without reading
    stored documents)."""
    digest = hashlib.blake2b(creator_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def index_folder(db_path: str) -> Path | None:
    """Where a workspace's index lives (None: in memory)."""
    return None if db_path == ":memory:" else Path(db_path + ".search")


@dataclass(frozen=True)
class IndexDoc:
    doc_id: str
    creator_id: str
    kind: str
    #: The document's search terms joined by spaces.
    text: str
    hash: str


@dataclass
class RawHits:
    """A query's matching documents, best first, without their stored fields."""

    creator_ids: list[str]
    is_bio: list[bool]
    scores: list[float]
    addresses: list[Any]
    #: Documents matching the query in the whole index (not only those fetched).
    total: int


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("creator_key", indexed=True, fast=True)
    sb.add_boolean_field("is_bio", indexed=False, fast=True)
    sb.add_text_field("text", stored=False, tokenizer_name="whitespace", index_option="freq")
    return sb.build()


class TextIndex:
    """A workspace's tantivy index and the content hashes of what it holds."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.schema = _schema()
        meta = read_meta(folder)
        if folder is not None and meta.get("version") != INDEX_VERSION:
            shutil.rmtree(folder, ignore_errors=True)  # another layout: rebuilt from scratch
            meta = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(folder), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self.signature: Any = meta.get("signature")
        self.state = self._read_state()
        self._keys = self._creator_keys(self.state.column("creator_id").unique().to_pylist())

    # -- state -------------------------------------------------------------------------------
    def _read_state(self) -> pa.Table:
        if self.folder is not None and (self.folder / "state.parquet").exists():
            return pq.read_table(self.folder / "state.parquet")
        return DOC_STATE_SCHEMA.empty_table()

    @staticmethod
    def _creator_keys(creator_ids: Iterable[str]) -> dict[int, str]:
        return {creator_key(c): c for c in set(creator_ids)}

    @property
    def documents(self) -> int:
        return int(self.state.num_rows)

    # -- update ------------------------------------------------------------------------------
    def apply(
        self, added: Sequence[IndexDoc], removed: Sequence[str], state: pa.Table, signature: Any
    ) -> None:
        """Delete ``removed`` (and the old version of each re-added document), add ``added``,
        commit, and save ``state`` (every document's doc_id, creator_id, kind and hash) and
        the signature. A crash before the commit leaves the previous index and state."""
        writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        for doc_id in removed:
            writer.delete_documents_by_term("doc_id", doc_id)
        for d in added:
            writer.add_document(
                tantivy.Document(
                    doc_id=d.doc_id,
                    creator_key=creator_key(d.creator_id),
                    is_bio=d.kind == "bio",
                    text=d.text,
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.state = state.select(DOC_STATE_SCHEMA.names).cast(DOC_STATE_SCHEMA)
        self.signature = signature
        self._keys = self._creator_keys(self.state.column("creator_id").unique().to_pylist())
        if self.folder is not None:
            # doc ids and hashes are unique: a dictionary of them only costs time (1M documents)
            pq.write_table(
                self.state, self.folder / "state.parquet.tmp", use_dictionary=["creator_id", "kind"]
            )
            (self.folder / "state.parquet.tmp").replace(self.folder / "state.parquet")
            meta = {"version": INDEX_VERSION, "signature": signature}
            (self.folder / META_FILE).write_text(json.dumps(meta), "utf-8")

    # -- search ------------------------------------------------------------------------------
    def search(
        self,
        terms: Sequence[str],
        *,
        limit: int,
        all_terms_boost: float = 1.0,
        creator_ids: Sequence[str] | None = None,
        every_term: bool = False,
    ) -> RawHits:
        """The best ``limit`` documents for the terms (BM25, any term matches; a document with
        every term scores ``all_terms_boost`` times more), only of ``creator_ids`` if given.
        ``every_term``: only documents with every term."""
        if not terms:
            return RawHits([], [], [], [], 0)
        each = [tantivy.Query.term_query(self.schema, "text", t) for t in terms]
        clauses = [(tantivy.Occur.Must if every_term else tantivy.Occur.Should, q) for q in each]
        if len(each) > 1 and all_terms_boost > 1:
            every = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in each])
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(every, all_terms_boost - 1)))
        query = tantivy.Query.boolean_query(clauses)
        if creator_ids is not None:
            keys = [creator_key(c) for c in creator_ids]
            only = tantivy.Query.term_set_query(self.schema, "creator_key", keys)
            unscored = tantivy.Query.const_score_query(only, 0.0)  # a filter: BM25 unchanged
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, unscored)]
            )
        searcher = self.index.searcher()
        result = searcher.search(query, limit, count=True)
        addresses = [addr for _, addr in result.hits]
        keys_found = searcher.fast_field_values("creator_key", addresses)
        bios = searcher.fast_field_values("is_bio", addresses)
        return RawHits(
            [self._keys.get(int(k), "") if k is not None else "" for k in keys_found],
            [bool(b) for b in bios],
            [float(score) for score, _ in result.hits],
            addresses,
            int(getattr(result, "count", 0) or 0),  # the stubs lack count
        )

    def doc_ids(self, addresses: Sequence[Any]) -> list[str]:
        """The doc_id of each document address (reads the stored field)."""
        searcher = self.index.searcher()
        return [str(searcher.doc(a)["doc_id"][0]) for a in addresses]
