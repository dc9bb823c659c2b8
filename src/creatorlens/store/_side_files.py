"""What the full-text index and the embeddings share in the folders they keep next to a workspace's
DuckDB file (``_text_index``, ``_vector_store``): the metadata file and the layout of the
per-document state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

#: The folder's metadata (layout version, signature of the tables last indexed, ...).
META_FILE = "creatorlens.json"
#: ``state.parquet``: each document and its content hash (the same hash in both folders).
DOC_STATE_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("creator_id", pa.string()), ("kind", pa.string()), ("hash", pa.string())]
)


def read_meta(folder: Path | None) -> dict[str, Any]:
    """The folder's metadata; empty when in memory, missing or unreadable."""
    if folder is None or not (folder / META_FILE).exists():
        return {}
    try:
        meta: dict[str, Any] = json.loads((folder / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta
