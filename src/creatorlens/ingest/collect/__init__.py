"""Collectors: fetch from the official APIs with the user's own credentials, archive every raw
response beside the workspace, then ingest it through the payload adapters
(:mod:`creatorlens.ingest.payloads`). docs/collectors.md describes what each API allows.

Nothing here is imported by ``creatorlens --help``: httpx loads with the first fetch.
"""

from __future__ import annotations

from creatorlens.ingest.collect._archive import ARCHIVE_MARKER, Archive, archive_folder
from creatorlens.ingest.collect._clock import CLOCK_FILE_ENV, WatchClock, watch_clock
from creatorlens.ingest.collect._credentials import (
    FIELDS,
    CredentialError,
    credentials_path,
    env_name,
    load_credentials,
    save_credentials,
)
from creatorlens.ingest.collect._fetcher import ApiError, FetchStats, QuotaStop
from creatorlens.ingest.collect._http import RetryPolicy, TransportFailure
from creatorlens.ingest.collect._oauth import LOGIN_PLATFORMS, LoginResult, login
from creatorlens.ingest.collect._run import (
    ArchiveIngestReport,
    FetchPlan,
    FetchReport,
    FetchSpec,
    fetch,
    ingest_archive,
    is_archive,
    plan,
)
from creatorlens.ingest.collect._watch import WatchList, WatchReport, WatchRun, watch

__all__ = [
    "ARCHIVE_MARKER",
    "CLOCK_FILE_ENV",
    "FIELDS",
    "LOGIN_PLATFORMS",
    "ApiError",
    "Archive",
    "ArchiveIngestReport",
    "CredentialError",
    "FetchPlan",
    "FetchReport",
    "FetchSpec",
    "FetchStats",
    "LoginResult",
    "QuotaStop",
    "RetryPolicy",
    "TransportFailure",
    "WatchClock",
    "WatchList",
    "WatchReport",
    "WatchRun",
    "archive_folder",
    "credentials_path",
    "env_name",
    "fetch",
    "ingest_archive",
    "is_archive",
    "load_credentials",
    "login",
    "plan",
    "save_credentials",
    "watch",
    "watch_clock",
]
