"""``fetch``: plan, run or resume one collector command against a workspace, and ``ingest`` an
archive back into a workspace (the same adapters, the same order, the same observation times)."""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from creatorlens.errors import OptionError, SourceError
from creatorlens.ingest.collect import instagram, tiktok, tiktok_display, youtube
from creatorlens.ingest.collect._archive import ARCHIVE_MARKER, Archive, ArchivedResponse, archive_folder
from creatorlens.ingest.collect._credentials import load_credentials, save_credentials, secret_values
from creatorlens.ingest.collect._fetcher import Fetcher, FetchStats, QuotaStop
from creatorlens.ingest.collect._http import HttpClient, RetryPolicy
from creatorlens.ingest.collect._renames import link_renamed, moved_videos
from creatorlens.ingest.collect._state import Checkpoint, QuotaLedger, job_key, quota_rules
from creatorlens.store import Store

__all__ = ["FetchPlan", "FetchReport", "FetchSpec", "fetch", "ingest_archive", "is_archive", "plan"]

PLATFORMS = ("youtube", "instagram", "tiktok")
BASE_URL_ENV = {p: f"CREATORLENS_{p.upper()}_BASE_URL" for p in PLATFORMS}
DEFAULT_BASE_URL = {
    "youtube": youtube.DEFAULT_BASE_URL,
    "instagram": instagram.DEFAULT_BASE_URL,
    "tiktok": tiktok.DEFAULT_BASE_URL,
}
_ERROR_KIND = {"youtube": youtube.error_kind, "instagram": instagram.error_kind, "tiktok": tiktok.error_kind}


@dataclass(frozen=True)
class FetchSpec:
    """One collector command. YouTube: ``channels`` or ``search`` (+ ``region``, ``kind``).
    Instagram: ``usernames``. TikTok: ``usernames`` or ``search`` (a keyword, + ``region``), over
    the last ``days`` days (default 30)."""

    platform: str
    channels: tuple[str, ...] = ()
    search: str | None = None
    region: str | None = None
    kind: str = "channel"
    max_items: int | None = None
    usernames: tuple[str, ...] = ()
    days: int | None = None
    #: TikTok: the user's own account through the Display API (credentials ``tiktok_display``).
    own: bool = False

    def params(self) -> dict[str, Any]:
        if self.platform == "youtube":  # unchanged, so that existing checkpoints keep their keys
            return {
                "channels": list(self.channels),
                "search": self.search,
                "region": self.region,
                "kind": self.kind,
                "max": self.max_items,
            }
        return {
            "usernames": list(self.usernames),
            "search": self.search,
            "region": self.region,
            "days": self.days,
            "max": self.max_items,
            **({"own": True} if self.own else {}),  # absent otherwise: checkpoint keys unchanged
        }

    def check(self) -> None:
        if self.platform not in PLATFORMS:
            raise OptionError(f"fetch {self.platform}: choose one of {', '.join(PLATFORMS)}")
        if self.max_items is not None and self.max_items < 0:
            raise OptionError("--max must be 0 or more")
        if self.platform == "tiktok" and self.own:
            if self.usernames or self.search or self.days is not None:
                raise OptionError("fetch tiktok --me: the Display API reads your own account only; "
                                  "no --username, --query or --days")  # fmt: skip
            return
        if self.own:
            raise OptionError(f"fetch {self.platform}: --me is for TikTok's Display API only")
        if self.platform == "instagram":
            if not self.usernames or self.search:
                raise OptionError("fetch instagram: give --username (one or more)")
            for name in self.usernames:
                instagram.parse_username(name)
            return
        if self.platform == "tiktok":
            if bool(self.usernames) == bool(self.search):
                raise OptionError("fetch tiktok: give --username (one or more) or --query, not both")
            for name in self.usernames:
                tiktok.parse_username(name)
            if self.days is not None and not 1 <= self.days <= 366:
                raise OptionError("--days: from 1 to 366")
            return
        if bool(self.channels) == bool(self.search):
            raise OptionError("fetch youtube: give --channel (one or more) or --search, not both")
        for channel in self.channels:
            youtube.parse_channel(channel)


@dataclass(frozen=True)
class FetchPlan:
    calls: list[tuple[str, str, int]]  # method, how many (a number or a rule), units per call
    units_max: int | None  # None: depends on what the API answers
    budget: int
    remaining: int


@dataclass
class FetchReport:
    platform: str
    status: str  # done | quota
    run_id: str
    archive: Path
    stats: FetchStats
    results: list[dict[str, Any]] = field(default_factory=list)
    budget: int = 0
    remaining: int = 0
    resets_at: datetime | None = None
    message: str = ""
    resumed: bool = False


def _utc_now() -> datetime:
    return datetime.now(UTC)


def plan(spec: FetchSpec, *, db_path: str | Path, budget: int | None = None,
         clock: Callable[[], datetime] = _utc_now) -> FetchPlan:  # fmt: skip
    """The calls a fetch makes and their quota cost, without calling anything."""
    spec.check()
    rules = quota_rules(spec.platform)
    ledger = QuotaLedger(archive_folder(db_path) / "quota.json", rules, clock, budget)
    if spec.platform == "instagram":
        calls = [c for _ in spec.usernames for c in instagram.plan_account(spec.max_items)]
    elif spec.platform == "tiktok" and spec.own:
        calls = tiktok_display.plan_own(spec.max_items)
    elif spec.platform == "tiktok":
        calls = tiktok.plan_tiktok(
            len(spec.usernames), bool(spec.search), spec.days or tiktok.MAX_WINDOW_DAYS, spec.max_items
        )
    elif spec.search:
        calls = youtube.plan_search(
            spec.kind, spec.max_items if spec.max_items is not None else youtube.PAGE_SIZE
        )
    else:
        calls = [c for _ in spec.channels for c in youtube.plan_channel(spec.max_items)]
    priced = [(m, n, rules.cost(m)) for m, n in calls]
    units: int | None = 0
    for _, n, cost in priced:
        units = None if units is None or not n.isdigit() else units + int(n) * cost
    return FetchPlan(priced, units, ledger.daily_budget, ledger.remaining())


def _ingest_entry(store: Store, entry: ArchivedResponse) -> tuple[int, int] | None:
    """(creators, posts) of the response; None when the workspace already holds it (a resumed
    run re-offers what it archived, and ingest skips content it has loaded)."""
    from creatorlens.ingest._pipeline import ingest_files

    observed = datetime.fromisoformat(str(entry.entry["fetched_at"])).astimezone(UTC).replace(tzinfo=None)
    label = f"archive/{entry.sha256}.json"
    moves = (
        moved_videos(store, entry.body, dict(entry.entry.get("request") or {}))
        if entry.entry.get("platform") == "tiktok"
        else {}
    )
    with tempfile.TemporaryDirectory(prefix="creatorlens-fetch-") as tmp:
        path = Path(tmp) / f"{entry.sha256[:16]}.json"
        path.write_bytes(entry.body)
        report = ingest_files(
            store, [path], observed_at=observed, handle=entry.entry.get("handle"), display_name=label
        )
    [file_report] = report.files
    if file_report.already_ingested:
        _repeat_snapshots(store, entry.body, observed)
        return None
    link_renamed(store, moves, observed)
    return file_report.creators, file_report.posts


def _repeat_snapshots(store: Store, body: bytes, observed: datetime) -> None:
    """A response identical to one already ingested (nothing moved since, not even a count) is
    still an observation: the counts it first gave are recorded again at this fetch's time, so
    a watched creator whose followers stand still keeps one snapshot per run. A resumed run that
    re-offers a page it archived brings its first fetch time: the row exists and nothing changes.
    The first ingest of the same content is found by its SHA-256 (the archive entry's own hash
    covers the fetch time, so it differs)."""
    store.exec(
        "INSERT INTO follower_snapshots SELECT creator_id, ?::TIMESTAMP, followers, following, "
        "posts_count, source_file, views FROM follower_snapshots WHERE source_file = "
        "(SELECT file FROM ingests WHERE sha256 = ?) "
        "QUALIFY row_number() OVER (PARTITION BY creator_id ORDER BY observed_at) = 1 "
        "ON CONFLICT DO NOTHING",
        [observed, hashlib.sha256(body).hexdigest()],
    )


def _saver(kind: str, given: dict[str, str] | None) -> Callable[[dict[str, str]], None]:
    """Where a refreshed token goes: the credentials file (mode 0600), or the caller's dict."""

    def save(update: dict[str, str]) -> None:
        if given is None:
            save_credentials(kind, update)
        else:
            given.update(update)

    return save


def fetch(
    store: Store,
    db_path: str | Path,
    spec: FetchSpec,
    *,
    resume: bool = False,
    base_url: str | None = None,
    budget: int | None = None,
    credentials: dict[str, str] | None = None,
    clock: Callable[[], datetime] = _utc_now,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    retry: RetryPolicy | None = None,
) -> FetchReport:
    spec.check()
    kind = tiktok_display.PLATFORM if spec.own else spec.platform
    creds = dict(credentials) if credentials is not None else load_credentials(kind)
    secrets = secret_values(creds)
    root = archive_folder(db_path)
    archive = Archive(root)
    archive.ensure()
    key = job_key(spec.platform, spec.params())
    checkpoint_path = root / "checkpoints" / f"{key}.json"
    previous = Checkpoint.load(checkpoint_path) if resume else None
    resumed = previous is not None and previous.status != "done"
    if previous is not None and resumed:
        checkpoint = previous
        checkpoint.status = "running"
    else:
        run_id = f"{clock().strftime('%Y%m%dT%H%M%S%fZ')}-{key}"
        checkpoint = Checkpoint(checkpoint_path, spec.platform, spec.params(), run_id)
    checkpoint.save()
    rules = quota_rules(spec.platform)
    ledger = QuotaLedger(root / "quota.json", rules, clock, budget)
    url = base_url or os.environ.get(BASE_URL_ENV[spec.platform]) or DEFAULT_BASE_URL[spec.platform]

    def client_for(headers: dict[str, str]) -> HttpClient:
        return HttpClient(
            url,
            headers=headers,
            sleep=sleep,
            clock=clock,
            rng=rng or random.Random(),
            retry=retry or RetryPolicy(),
            final=tiktok.is_final if spec.platform == "tiktok" else None,
        )

    keeper: tiktok_display.TokenKeeper | None = None
    if spec.own:
        headers = {}
        keeper = tiktok_display.TokenKeeper(
            client_for({}), creds, secrets, clock=clock, save=_saver(kind, credentials)
        )
    elif spec.platform == "youtube":
        headers = youtube.auth_headers(creds)
    elif spec.platform == "instagram":
        headers = instagram.auth_headers(creds)
    else:
        token_client = client_for({})
        try:
            headers = {"Authorization": f"Bearer {tiktok.client_token(token_client, creds, secrets)}"}
        finally:
            token_client.close()
    client = client_for(headers)
    fetcher = Fetcher(
        spec.platform, client, archive, ledger, checkpoint, secrets,
        ingest=lambda entry: _ingest_entry(store, entry), clock=clock,
        quota_error=_ERROR_KIND[spec.platform],
    )  # fmt: skip
    report = FetchReport(spec.platform, "done", checkpoint.run_id, root, fetcher.stats, resumed=resumed)

    def use(token: str) -> None:
        client.headers = {"Authorization": f"Bearer {token}"}
        client.close()  # the next call opens a connection with the new header

    try:
        _collect(spec, fetcher, creds, keeper, use, report.results)
        checkpoint.status = "done"
        checkpoint.save()
    except QuotaStop as stop:
        report.status = "quota"
        report.message = str(stop)
    except BaseException:
        checkpoint.status = "failed"
        checkpoint.save()
        raise
    finally:
        client.close()
    report.budget, report.remaining, report.resets_at = (
        ledger.daily_budget,
        ledger.remaining(),
        ledger.resets_at(),
    )
    return report


def _collect(
    spec: FetchSpec,
    fetcher: Fetcher,
    creds: dict[str, str],
    keeper: tiktok_display.TokenKeeper | None,
    use: Callable[[str], None],
    results: list[dict[str, Any]],
) -> None:
    """Every call of the command, in order; one result per channel, account or query is added to
    ``results`` as it finishes (a quota stop keeps the ones before it)."""
    if keeper is not None:
        try:
            results.append(tiktok_display.fetch_own(fetcher, keeper, use, max_videos=spec.max_items))
        finally:
            keeper.client.close()
    elif spec.platform == "instagram":
        for name in spec.usernames:
            results.append(
                instagram.fetch_account(
                    fetcher, creds["ig_user_id"], instagram.parse_username(name), max_media=spec.max_items
                )
            )
    elif spec.platform == "tiktok":
        days = spec.days or tiktok.MAX_WINDOW_DAYS
        for name in spec.usernames:
            results.append(
                tiktok.fetch_user(fetcher, tiktok.parse_username(name), days=days, max_videos=spec.max_items)
            )
        if spec.search:
            results.append(
                tiktok.fetch_query(
                    fetcher, spec.search, region=spec.region, days=days, max_videos=spec.max_items
                )
            )
    elif spec.search:
        max_results = spec.max_items if spec.max_items is not None else youtube.PAGE_SIZE
        results.append(
            youtube.fetch_search(
                fetcher, spec.search, region=spec.region, kind=spec.kind, max_results=max_results
            )
        )
    else:
        for channel in spec.channels:
            results.append(
                youtube.fetch_channel(fetcher, youtube.parse_channel(channel), max_videos=spec.max_items)
            )


def is_archive(path: str | Path) -> bool:
    return (Path(path) / ARCHIVE_MARKER).is_file()


@dataclass
class ArchiveIngestReport:
    archive: Path
    responses: int = 0
    ingested: int = 0
    quarantined: int = 0
    skipped: int = 0
    creators: int = 0
    posts: int = 0


def ingest_archive(store: Store, root: str | Path) -> ArchiveIngestReport:
    """Every ingestible response of the archive, in fetch order, as the collectors ingested it."""
    if not is_archive(root):
        raise SourceError(
            f"{root}: is a folder but no fetch archive (no {ARCHIVE_MARKER}); give the files inside it"
        )
    archive = Archive(Path(root))
    report = ArchiveIngestReport(Path(root))
    for entry in archive.entries():
        report.responses += 1
        if entry.quarantined:
            report.quarantined += 1
        elif not entry.entry.get("ingest"):
            report.skipped += 1
        else:
            counts = _ingest_entry(store, entry)
            report.ingested += 1
            if counts is not None:
                report.creators += counts[0]
                report.posts += counts[1]
    return report
