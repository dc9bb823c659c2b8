"""One fetch run: every request goes through :meth:`Fetcher.get`, which

1. answers from the archive when this run already has the response (``--resume``: no page twice);
2. checks the quota and stops *before* a call that would exceed it (:class:`QuotaStop`);
3. calls the API (retries in :mod:`._http`), archives the raw response *before* anything reads it,
   records it in the checkpoint, and then ingests it through the payload adapters;
4. quarantines a response it cannot read (with the request it answered) and asks again, a few times.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from creatorlens.errors import ApiError, QuotaStop
from creatorlens.ingest.collect._archive import Archive, ArchivedResponse
from creatorlens.ingest.collect._http import HttpClient
from creatorlens.ingest.collect._state import Checkpoint, QuotaLedger

__all__ = ["ApiError", "FetchStats", "Fetcher", "QuotaStop", "Request"]

#: A response that cannot be read is quarantined and asked for again at most this many times.
MALFORMED_RETRIES = 2


@dataclass(frozen=True)
class Request:
    """``api_method`` names the quota cost (``channels.list``); ``params`` never hold a secret."""

    api_method: str
    http_method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json_body: Any = None

    def key(self) -> str:
        text = json.dumps(
            [self.http_method, self.path, self.params, self.json_body], sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def shown(self) -> dict[str, Any]:
        return {
            "api_method": self.api_method,
            "method": self.http_method,
            "path": self.path,
            "params": self.params,
            **({"json": self.json_body} if self.json_body is not None else {}),
        }


@dataclass
class FetchStats:
    requests: int = 0  # calls that reached the API (retries inside one call not counted)
    attempts: int = 0  # HTTP attempts, retries included
    from_archive: int = 0  # answers --resume read from the archive instead
    units: int = 0
    quarantined: list[str] = field(default_factory=list)
    ingested: int = 0
    creators: int = 0
    posts: int = 0
    notes: list[str] = field(default_factory=list)


#: Reads a parsed response: None when it has the expected shape, else why not.
Validator = Callable[[Any], "str | None"]
#: Ingests one archived response (its body, with the handle the adapters need).
Ingest = Callable[[ArchivedResponse], "tuple[int, int] | None"]
#: Raises an ApiError (or QuotaStop) for an error answer of the platform; None for a good one.
ErrorCheck = Callable[[int, Any], "str | None"]


@dataclass
class Fetcher:
    platform: str
    client: HttpClient
    archive: Archive
    ledger: QuotaLedger
    checkpoint: Checkpoint
    secrets: Iterable[str]
    ingest: Ingest
    clock: Callable[[], datetime]
    quota_error: ErrorCheck
    stats: FetchStats = field(default_factory=FetchStats)
    _cached: dict[str, ArchivedResponse] | None = None

    def _cache(self) -> dict[str, ArchivedResponse]:
        if self._cached is None:
            self._cached = self.archive.run_entries(self.checkpoint.run_id)
        return self._cached

    def get(
        self,
        request: Request,
        *,
        validate: Validator,
        ingestible: bool = True,
        handle: str | None = None,
    ) -> Any:
        """The parsed response to ``request``."""
        key = request.key()
        cached = self._cache().get(key)
        if cached is not None:
            self.stats.from_archive += 1
            doc = json.loads(cached.body)
            self._ingest(cached)  # a crash may have come between archiving and ingesting
            return doc
        for _ in range(MALFORMED_RETRIES + 1):
            doc, entry = self._call(request, key, validate, ingestible, handle)
            if entry is not None:
                self._cache()[key] = entry
                self._ingest(entry)
                return doc
        raise ApiError(
            f"{self.platform} {request.api_method}: {MALFORMED_RETRIES + 1} responses in a row could "
            f"not be read; they are quarantined in {self.archive.root} (run again with --resume)"
        )

    def _call(
        self, request: Request, key: str, validate: Validator, ingestible: bool, handle: str | None
    ) -> tuple[Any, ArchivedResponse | None]:
        cost = self.ledger.rules.cost(request.api_method)
        if not self.ledger.can_spend(cost):
            raise self._quota_stop(request, cost)
        answer = self.client.call(
            request.http_method, request.path, params=request.params or None, json_body=request.json_body
        )
        # Google charges every request, failed ones included; a retried call is charged per attempt.
        self.ledger.spend(cost * answer.attempts)
        self.stats.requests += 1
        self.stats.attempts += answer.attempts
        self.stats.units += cost * answer.attempts
        fetched_at = self.clock().isoformat()
        meta = {
            "platform": self.platform,
            "run_id": self.checkpoint.run_id,
            "request_key": key,
            "ingest": ingestible and answer.status < 400,
            **({"handle": handle} if handle else {}),
        }
        try:
            doc = json.loads(answer.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = f"not valid JSON ({exc}); HTTP {answer.status}, {len(answer.body):,} bytes"
            self._quarantine(request, answer.status, answer.body, fetched_at, meta, reason)
            return None, None
        problem = self.quota_error(answer.status, doc)
        if problem is not None and (problem == "quota" or problem.startswith("quota: ")):
            self.archive.put(
                request=request.shown(), status=answer.status, body=answer.body, fetched_at=fetched_at,
                secrets=self.secrets, meta={**meta, "ingest": False},
            )  # fmt: skip
            self.ledger.exhaust()
            raise self._quota_stop(
                request, cost, said_by_api=self._redact(problem[7:]) or "the API answered quotaExceeded"
            )
        if problem is not None:
            self.archive.put(
                request=request.shown(), status=answer.status, body=answer.body, fetched_at=fetched_at,
                secrets=self.secrets, meta={**meta, "ingest": False},
            )  # fmt: skip
            raise ApiError(f"{self.platform} {request.api_method}: {self._redact(problem)}")
        invalid = validate(doc)
        if invalid is not None:
            self._quarantine(request, answer.status, answer.body, fetched_at, meta, invalid)
            return None, None
        entry = self.archive.put(
            request=request.shown(), status=answer.status, body=answer.body, fetched_at=fetched_at,
            secrets=self.secrets, meta=meta,
        )  # fmt: skip
        self.checkpoint.done[key] = entry.sha256
        self.checkpoint.save()
        return doc, entry

    def _redact(self, text: str) -> str:
        from creatorlens.ingest.collect._archive import redact

        return redact(text, self.secrets)

    def _quarantine(
        self, request: Request, status: int, body: bytes, fetched_at: str, meta: dict[str, Any], reason: str
    ) -> None:
        entry = self.archive.put(
            request=request.shown(), status=status, body=body, fetched_at=fetched_at,
            secrets=self.secrets, meta={**meta, "ingest": False}, quarantine_reason=reason,
        )  # fmt: skip
        self.stats.quarantined.append(f"{request.api_method} {entry.sha256[:12]}: {reason}")

    def _ingest(self, entry: ArchivedResponse) -> None:
        if not entry.entry.get("ingest"):
            return
        counts = self.ingest(entry)
        if counts is None:  # already in the workspace: loaded before the crash or quota stop
            return
        self.stats.ingested += 1
        self.stats.creators += counts[0]
        self.stats.posts += counts[1]

    def _quota_stop(self, request: Request, cost: int, *, said_by_api: str = "") -> QuotaStop:
        left, resets = self.ledger.remaining(), self.ledger.resets_at()
        self.checkpoint.status = "quota"
        self.checkpoint.note = f"stopped before {request.api_method} ({cost} units)"
        self.checkpoint.save()
        budget = self.ledger.daily_budget
        why = (
            said_by_api
            if said_by_api
            else f"{request.api_method} costs {cost} units and {left:,} of {budget:,} are left"
        )
        return QuotaStop(
            f"{self.platform} quota: {why}; {left:,} units left today, the quota resets at "
            f"{resets:%Y-%m-%d %H:%M} UTC; run the same command with --resume then",
            remaining=left,
            needed=cost,
            resets_at=resets,
        )
