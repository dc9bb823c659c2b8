"""Compiled pattern databases, cached on disk between runs.

Compiling the disclosure vocabulary's hyperscan database takes seconds (17.7 s measured on a
loaded 2-core machine, about half of `creatorlens score` on a real export), and it is the same
database every run: the vocabulary is package data. The compiled bytes are kept in the user's
cache folder under a key that hashes everything that shapes them (hyperscan's version, the
expressions, their flags and ids), so a changed vocabulary or library compiles afresh and a stale
file is never used. A cache that cannot be read or written only costs the compile.

Location: ``$CREATORLENS_CACHE_DIR``, else ``$XDG_CACHE_HOME/creatorlens``, else
``~/.cache/creatorlens`` (docs/content.md, "Speed").
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import hyperscan

#: Bumped when the key or the file layout changes.
_FORMAT = b"creatorlens-hyperscan-1"


def cache_dir() -> Path:
    """The folder of creatorlens's caches (created on first write)."""
    explicit = os.environ.get("CREATORLENS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "creatorlens"


def _key(expressions: Sequence[bytes], flags: Sequence[int]) -> str:
    digest = hashlib.sha256(_FORMAT)
    digest.update(str(getattr(hyperscan, "__version__", "")).encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(len(expression).to_bytes(8, "little"))
        digest.update(expression)
        digest.update(int(flag).to_bytes(8, "little"))
    return digest.hexdigest()


def _compile(expressions: Sequence[bytes], flags: Sequence[int]) -> hyperscan.Database:
    database = hyperscan.Database()
    database.compile(
        expressions=list(expressions),
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=list(flags),
    )
    return database


def _load(path: Path) -> hyperscan.Database | None:
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)  # a loaded database comes without one
    except (OSError, hyperscan.error):
        return None
    return database


def _store(path: Path, database: hyperscan.Database) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(hyperscan.dumpb(database))
        os.replace(tmp.name, path)  # atomic: a reader sees the old file or the whole new one
    except (OSError, hyperscan.error):
        return


def hyperscan_database(expressions: Sequence[bytes], flags: Sequence[int]) -> hyperscan.Database:
    """A block-mode database of ``expressions`` (ids 0..n-1), from the cache when it holds one
    compiled from exactly these expressions and flags, else compiled and cached."""
    path = cache_dir() / "hyperscan" / f"{_key(expressions, flags)}.hsdb"
    cached = _load(path) if path.is_file() else None
    if cached is not None:
        return cached
    database = _compile(expressions, flags)
    _store(path, database)
    return database
