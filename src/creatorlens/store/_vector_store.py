"""The sentence embeddings of a workspace's posts and bios, next to the DuckDB file.

A workspace ``w.duckdb`` keeps them in the folder ``w.duckdb.semantic/`` (an in-memory workspace
keeps them in memory): ``state.parquet`` holds each document's doc_id, creator_id, kind and
content hash (the same hash as the full-text index, creatorlens.discovery._index_step), and
``vectors.npy`` the document's unit vector as float16 (float32 once read), row for row.
``creatorlens.json`` holds the layout version, the encoder's name and the signature of the
tables last embedded. An update keeps the rows whose hash did not change, drops the changed and
removed ones and appends the new vectors; the files are written to temporary names and renamed,
the vectors first, so a crash leaves the previous pair or a pair whose shapes disagree (read as
nothing embedded yet).

This module does I/O only; what is embedded and how is domain code (creatorlens.discovery).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from creatorlens.store._side_files import DOC_STATE_SCHEMA, META_FILE, read_meta

#: Bump when the layout changes: a folder of another version is rebuilt from scratch.
VECTORS_VERSION = 1


_OPEN: dict[tuple[str, str], VectorStore] = {}
_OPEN_LOCK = threading.Lock()


def open_vector_store(folder: Path | None, *, encoder: str, dim: int) -> VectorStore:
    """The embeddings of ``folder``, shared by every Workspace of this process (a server's pool):
    one copy in memory and one embedding run at a time. Read again from disk when another
    process (an ingest) wrote them since."""
    if folder is None:
        return VectorStore(None, encoder=encoder, dim=dim)
    key = (str(folder.resolve()), encoder)
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is None or found.stale():
            found = _OPEN[key] = VectorStore(folder, encoder=encoder, dim=dim)
        return found


def _as_saved(vectors: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float32]]:
    return vectors.astype(np.float16).astype(np.float32)


def vectors_folder(db_path: str) -> Path | None:
    """Where a workspace's embeddings live (None: in memory)."""
    return None if db_path == ":memory:" else Path(db_path + ".semantic")


class VectorStore:
    """One unit vector per document (post or bio) and the content hash it was computed from."""

    def __init__(self, folder: Path | None, *, encoder: str, dim: int) -> None:
        self.folder = folder
        self.encoder = encoder
        self.dim = dim
        #: Held by an update (creatorlens.discovery._semantic_service.update_embeddings).
        self.lock = threading.Lock()
        self._columns: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None = None
        self._mtime = self._meta_mtime()
        meta = read_meta(folder)
        if folder is not None and (
            meta.get("version") != VECTORS_VERSION or meta.get("encoder") != encoder
        ):
            shutil.rmtree(folder, ignore_errors=True)  # another layout or model: rebuilt
            meta = {}
        self.signature: Any = meta.get("signature")
        self.state: pa.Table = DOC_STATE_SCHEMA.empty_table()
        #: float32 in memory (a query's matrix product: 50 ms per 200K documents, 0.6 s from
        #: float16), float16 on disk (half the file).
        self.vectors: np.ndarray[Any, np.dtype[np.float32]] = np.zeros((0, dim), dtype=np.float32)
        if folder is not None and meta:
            try:
                state = pq.read_table(folder / "state.parquet").cast(DOC_STATE_SCHEMA)
                vectors = np.load(folder / "vectors.npy", allow_pickle=False)
            except (OSError, ValueError):
                state, vectors = None, None
            if state is not None and vectors is not None and vectors.shape == (state.num_rows, dim):
                self.state, self.vectors = state, vectors.astype(np.float32)
            else:  # an interrupted write: everything reads as new
                self.signature = None

    def _meta_mtime(self) -> int | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / META_FILE).stat().st_mtime_ns
        except OSError:
            return None

    def stale(self) -> bool:
        """Whether the files changed (or went) since this process read or wrote them."""
        return self.folder is not None and self._meta_mtime() != self._mtime

    @property
    def exists(self) -> bool:
        """Whether anything was ever embedded (in this process or on disk)."""
        return self.signature is not None

    @property
    def documents(self) -> int:
        return int(self.state.num_rows)

    def columns(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Each row's creator_id (object array) and whether it is a bio, computed once per
        state (a query reads them for every document)."""
        if self._columns is None or self._columns[0].shape[0] != self.documents:
            owners = np.asarray(self.state.column("creator_id").to_pylist(), dtype=object)
            bios = np.asarray(pc.equal(self.state.column("kind"), "bio").to_numpy(zero_copy_only=False))
            self._columns = (owners, bios.astype(bool))
        return self._columns

    def apply(
        self,
        removed: list[str],
        added: pa.Table,
        vectors: np.ndarray[Any, Any],
        signature: Any,
    ) -> None:
        """Drop the documents ``removed`` (gone, or replaced by a changed version), append
        ``added`` (doc_id, creator_id, kind, hash) with their ``vectors``, save."""
        if len(vectors) != added.num_rows:
            raise ValueError(f"{added.num_rows} documents but {len(vectors)} vectors")
        keep = pc.invert(pc.is_in(self.state.column("doc_id"), value_set=pa.array(removed, pa.string())))
        keep_np = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
        self.state = pa.concat_tables(
            [self.state.filter(keep), added.select(DOC_STATE_SCHEMA.names).cast(DOC_STATE_SCHEMA)]
        )
        self.vectors = np.concatenate(
            # rounded to float16 as saved: the writer ranks exactly as a process that reads them
            [self.vectors[keep_np], _as_saved(np.asarray(vectors).reshape(-1, self.dim))]
        )
        self.signature = signature
        self._columns = None
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # temporary names of this writer only: two server threads embedding the same new posts
        # each rename a whole file (the same content: rows are in doc_id order)
        tmp = f".{os.getpid()}.{threading.get_ident()}.tmp"
        vectors_tmp, state_tmp, meta_tmp = (
            self.folder / f"{name}{tmp}" for name in ("vectors.npy", "state.parquet", META_FILE)
        )
        with vectors_tmp.open("wb") as out:
            np.save(out, self.vectors.astype(np.float16), allow_pickle=False)
        pq.write_table(self.state, state_tmp, use_dictionary=["creator_id", "kind"])
        meta = {"version": VECTORS_VERSION, "encoder": self.encoder, "signature": signature}
        meta_tmp.write_text(json.dumps(meta), "utf-8")
        vectors_tmp.replace(self.folder / "vectors.npy")
        state_tmp.replace(self.folder / "state.parquet")
        meta_tmp.replace(self.folder / META_FILE)
        self._mtime = self._meta_mtime()
