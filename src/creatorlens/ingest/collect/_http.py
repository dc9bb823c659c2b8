"""One HTTP call to an official API, with timeouts and retries (httpx does the HTTP).

429 and 5xx answers and transport failures (timeouts, resets) are retried with exponential backoff
and full jitter, waiting at least what ``Retry-After`` asks. The sleep, the clock and the random
source are injected so that tests never wait. Error messages name the method and the redacted URL,
never a credential: credentials travel in headers, which are never shown.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from creatorlens.errors import TransportFailure

__all__ = ["ApiResponse", "HttpClient", "RetryPolicy", "TransportFailure", "retry_after_seconds"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_seconds: float = 1.0
    cap_seconds: float = 60.0
    #: A Retry-After longer than this is not waited for: the call fails and --resume continues later.
    max_retry_after_seconds: float = 300.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in
        [0, min(cap, base * 2**attempt)], so many clients retrying at once spread out."""
        return rng.uniform(0.0, min(self.cap_seconds, self.base_seconds * 2**attempt))


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: bytes
    content_type: str
    attempts: int


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class HttpClient:
    """``base_url`` is a setting (an emulator in tests); ``headers`` carry the credentials."""

    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = _now
    rng: random.Random = field(default_factory=random.Random)
    transport: httpx.BaseTransport | None = None
    #: An answer with a retried status that the platform means as final (a spent daily cap).
    final: Callable[[int, bytes], bool] | None = None
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/") + "/",
                headers=dict(self.headers),
                timeout=httpx.Timeout(self.timeout_seconds, connect=min(10.0, self.timeout_seconds)),
                transport=self.transport,
                follow_redirects=False,
                trust_env=False,  # no proxy or netrc from the environment: the base URL is what is called
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """The final answer (any status but a retried one); retried ones are retried. Raises
        :class:`TransportFailure` when the API cannot be reached or retries run out."""
        shown = f"{method} {self.base_url.rstrip('/')}/{path.lstrip('/')}"
        last = "no attempt"
        for attempt in range(self.retry.attempts):
            wait: float | None = None
            try:
                answer = self._http().request(
                    method, path.lstrip("/"), params=params, json=json_body, data=form
                )
            except httpx.TransportError as exc:
                # The exception text may quote the request; only its class is shown.
                last = f"{type(exc).__name__}"
            else:
                if answer.status_code not in RETRY_STATUSES or (
                    self.final is not None and self.final(answer.status_code, answer.content)
                ):
                    return ApiResponse(
                        answer.status_code,
                        answer.content,
                        answer.headers.get("content-type", ""),
                        attempt + 1,
                    )
                last = f"HTTP {answer.status_code}"
                wait = retry_after_seconds(answer.headers.get("retry-after"), self.clock())
                if wait is not None and wait > self.retry.max_retry_after_seconds:
                    raise TransportFailure(
                        f"{shown}: {last}, the API asks to wait {wait:,.0f} s; run again later with --resume"
                    )
            if attempt + 1 < self.retry.attempts:
                backoff = self.retry.backoff(attempt, self.rng)
                self.sleep(max(backoff, wait or 0.0))
        raise TransportFailure(
            f"{shown}: {last} after {self.retry.attempts} attempts; run again with --resume"
        )
