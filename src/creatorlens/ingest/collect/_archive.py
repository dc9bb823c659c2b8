"""The archive of raw API responses, beside the workspace file (``NAME.archive/`` for ``NAME.duckdb``).

Every response is stored before it is ingested, as gzip'd JSON named by the SHA-256 of its
content: ``objects/ab/abcdef….json.gz`` holds ``{"request": …, "response": …}``. ``index.jsonl``
lists the objects in the order they were fetched, so ``creatorlens ingest ARCHIVE`` replays them
in that order and rebuilds the same workspace. A response that cannot be read (truncated or
malformed JSON, an unexpected shape) is kept the same way, marked quarantined with the reason and
the request it answered. Credentials never reach the archive: requests are stored without their
headers, and every known secret value is replaced by ``"[redacted]"`` wherever it appears (a
paging URL may repeat a token).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ARCHIVE_MARKER", "Archive", "ArchivedResponse", "archive_folder", "redact"]

#: The file that makes a folder an archive (``creatorlens ingest`` recognises it).
ARCHIVE_MARKER = "creatorlens-archive.json"
REDACTED = "[redacted]"


def archive_folder(db_path: str | Path) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.stem}.archive")


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


@dataclass(frozen=True)
class ArchivedResponse:
    sha256: str
    path: Path
    entry: dict[str, Any]

    @property
    def body(self) -> bytes:
        doc = json.loads(gzip.decompress(self.path.read_bytes()))
        return str(doc["response"]["body"]).encode("utf-8")

    @property
    def quarantined(self) -> bool:
        return bool(self.entry.get("quarantined"))


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.index_path = self.root / "index.jsonl"

    def ensure(self) -> None:
        marker = self.root / ARCHIVE_MARKER
        if not marker.exists():
            _write_atomic(marker, json.dumps({"format": "creatorlens-archive", "version": 1}).encode())

    def put(
        self,
        *,
        request: dict[str, Any],
        status: int,
        body: bytes,
        fetched_at: str,
        secrets: Iterable[str],
        meta: dict[str, Any],
        quarantine_reason: str | None = None,
    ) -> ArchivedResponse:
        """Store one response (secrets redacted) and append it to the index; returns its entry."""
        self.ensure()
        secrets = list(secrets)
        text = body.decode("utf-8", errors="replace")
        envelope = {
            "request": request,
            "response": {"status": status, "body": text},
            "fetched_at": fetched_at,
            **({"quarantined": quarantine_reason} if quarantine_reason else {}),
        }
        data = redact(json.dumps(envelope, ensure_ascii=False, sort_keys=True), secrets).encode()
        sha = hashlib.sha256(data).hexdigest()
        path = self.root / "objects" / sha[:2] / f"{sha}.json.gz"
        if not path.exists():
            _write_atomic(path, gzip.compress(data, mtime=0))
        entry = {
            "sha256": sha,
            "fetched_at": fetched_at,
            "status": status,
            "request": request,
            **meta,
            **({"quarantined": quarantine_reason} if quarantine_reason else {}),
        }
        line = redact(json.dumps(entry, ensure_ascii=False, sort_keys=True), secrets)
        with self.index_path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return ArchivedResponse(sha, path, entry)

    def entries(self) -> Iterator[ArchivedResponse]:
        """Every archived response in fetch order (a torn last line of a crash is skipped)."""
        if not self.index_path.exists():
            return
        for line in self.index_path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            sha = str(entry["sha256"])
            path = self.root / "objects" / sha[:2] / f"{sha}.json.gz"
            if path.exists():
                yield ArchivedResponse(sha, path, entry)

    def run_entries(self, run_id: str) -> dict[str, ArchivedResponse]:
        """The good responses of one fetch run by request key: what ``--resume`` does not fetch
        again. Error answers (a quota stop's 403, a refused call) are kept in the archive but asked
        again: serving them from the archive would replay the error, not the page."""
        return {
            str(e.entry["request_key"]): e
            for e in self.entries()
            if e.entry.get("run_id") == run_id and not e.quarantined and int(e.entry.get("status", 200)) < 400
        }
