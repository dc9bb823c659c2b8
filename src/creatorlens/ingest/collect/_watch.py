"""``watch``: run the fetches of a watch list that are due, then exit (for cron or a systemd
timer), or keep doing so (``--loop``). Each run appends a follower snapshot per watched creator,
so a daily history builds up (docs/collectors.md, "Watch").

The watch list is a TOML file the user writes::

    interval = "1d"                   # default for every section: once per UTC day

    [youtube]
    channels = ["@veganglow", "UC…"]
    max = 10                          # videos per channel refreshed with each run
    quota_share = 0.5                 # at most this share of the day's YouTube quota

    [instagram]
    usernames = ["veganglow.kr"]

    [tiktok]
    usernames = ["veganglow.tt"]
    queries = ["vegan skincare"]
    days = 7
    interval = "12h"

A job is *due* when it has not finished in the current interval slot: slots are counted from the
Unix epoch in UTC (a "1d" slot is a UTC day), so a cron line that fires a few seconds early or
late still runs once a day, and a missed day is simply run at the next start. What was run is
kept in ``NAME.archive/watch.json``; a job stopped by the quota resumes its run within the same
slot and starts afresh in the next one.
"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from creatorlens.errors import OptionError, SourceError, UserError
from creatorlens.ingest.collect._archive import archive_folder
from creatorlens.ingest.collect._run import PLATFORMS, FetchReport, FetchSpec, _utc_now, fetch
from creatorlens.ingest.collect._state import _read_json, _write_json, job_key, quota_rules
from creatorlens.store import Store

__all__ = [
    "WatchJob",
    "WatchList",
    "WatchReport",
    "WatchRun",
    "due_jobs",
    "parse_interval",
    "run_watch",
    "watch",
    "watch_loop",
]

DEFAULT_INTERVAL = "1d"
_INTERVAL = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SECTION_KEYS = {
    "youtube": {"channels", "searches", "region", "max", "interval", "quota_share"},
    "instagram": {"usernames", "max", "interval", "quota_share"},
    "tiktok": {"usernames", "queries", "me", "region", "days", "max", "interval", "quota_share"},
}


def parse_interval(text: str) -> timedelta:
    """``"30m"``, ``"12h"``, ``"1d"``, ``"1w"``; at least 15 minutes (a tighter schedule only
    spends quota on counts that have not moved)."""
    match = _INTERVAL.match(str(text))
    if match is None:
        raise OptionError(f"watch list: interval {text!r}: write a number and m, h, d or w (e.g. '1d')")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 15 * 60:
        raise OptionError(f"watch list: interval {text!r}: at least 15m")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class WatchJob:
    """One fetch of the watch list, with its schedule and its share of the platform's quota."""

    spec: FetchSpec
    interval: timedelta
    quota_share: float

    @property
    def key(self) -> str:
        return job_key(self.spec.platform, self.spec.params())

    @property
    def label(self) -> str:
        s = self.spec
        if s.own:
            return f"{s.platform} your own account"
        if s.search:
            return f"{s.platform} query {s.search!r}"
        names = s.channels or s.usernames
        return f"{s.platform} {', '.join(names)}"

    def slot(self, when: datetime) -> int:
        return int(when.astimezone(UTC).timestamp() // self.interval.total_seconds())

    def budget(self) -> int:
        return int(quota_rules(self.spec.platform).daily_budget * self.quota_share)


def _strings(section: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = section.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OptionError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _number(section: Mapping[str, Any], key: str, where: str) -> int | None:
    value = section.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OptionError(f"{where}: {key} must be a whole number, 0 or more")
    return value


def _share(section: Mapping[str, Any], default: Any, where: str) -> float:
    value = section.get("quota_share", default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise OptionError(f"{where}: quota_share must be a number in (0, 1]")
    return float(value)


def _platform_jobs(platform: str, section: Mapping[str, Any], top: Mapping[str, Any],
                   where: str) -> list[WatchJob]:  # fmt: skip
    unknown = set(section) - _SECTION_KEYS[platform]
    if unknown:
        raise OptionError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_SECTION_KEYS[platform]))}"
        )
    interval = parse_interval(str(section.get("interval", top.get("interval", DEFAULT_INTERVAL))))
    share = _share(section, top.get("quota_share", 1.0), where)
    max_items = _number(section, "max", where)
    specs: list[FetchSpec] = []
    if platform == "youtube":
        region = section.get("region")
        channels = _strings(section, "channels", where)
        if channels:
            specs.append(FetchSpec("youtube", channels=channels, max_items=max_items))
        specs += [
            FetchSpec("youtube", search=q, region=region, max_items=max_items)
            for q in _strings(section, "searches", where)
        ]
    elif platform == "instagram":
        names = _strings(section, "usernames", where)
        if names:
            specs.append(FetchSpec("instagram", usernames=names, max_items=max_items))
    else:
        days = _number(section, "days", where)
        names = _strings(section, "usernames", where)
        if names:
            specs.append(FetchSpec("tiktok", usernames=names, days=days, max_items=max_items))
        specs += [
            FetchSpec("tiktok", search=q, region=section.get("region"), days=days, max_items=max_items)
            for q in _strings(section, "queries", where)
        ]
        me = section.get("me", False)
        if not isinstance(me, bool):
            raise OptionError(f"{where}: me must be true or false")
        if me:  # your own account through the Display API (credentials tiktok_display)
            specs.append(FetchSpec("tiktok", own=True, max_items=max_items))
    for spec in specs:
        try:
            spec.check()
        except UserError as exc:
            raise OptionError(f"{where}: {exc}") from exc
    return [WatchJob(spec, interval, share) for spec in specs]


@dataclass(frozen=True)
class WatchList:
    path: Path
    jobs: tuple[WatchJob, ...]

    @classmethod
    def load(cls, path: str | Path) -> WatchList:
        where = str(path)
        try:
            doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SourceError(f"{where}: no watch list (docs/collectors.md shows one)") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SourceError(f"{where}: not valid TOML: {exc}") from exc
        unknown = {k for k, v in doc.items() if isinstance(v, dict)} - set(PLATFORMS)
        if unknown:
            raise OptionError(f"{where}: unknown platform(s) {', '.join(sorted(unknown))}")
        jobs = [
            job
            for platform in PLATFORMS
            if isinstance(doc.get(platform), dict)
            for job in _platform_jobs(platform, doc[platform], doc, f"{where} [{platform}]")
        ]
        if not jobs:
            raise OptionError(f"{where}: names nothing to watch (add channels, usernames or queries)")
        return cls(Path(path), tuple(jobs))


@dataclass
class WatchRun:
    job: str  # the job's label
    key: str
    status: str  # done | quota | failed
    report: FetchReport | None = None
    error: str = ""


@dataclass
class WatchReport:
    started_at: datetime
    ran: list[WatchRun] = field(default_factory=list)
    not_due: list[str] = field(default_factory=list)
    next_due: datetime | None = None

    @property
    def failed(self) -> bool:
        return any(r.status == "failed" for r in self.ran)


def _state_path(db_path: str | Path) -> Path:
    return archive_folder(db_path) / "watch.json"


def _load_state(db_path: str | Path) -> dict[str, Any]:
    doc = _read_json(_state_path(db_path))
    return doc if isinstance(doc, dict) else {}


def due_jobs(watch: WatchList, db_path: str | Path, now: datetime) -> list[tuple[WatchJob, bool]]:
    """The jobs due at ``now``, each with whether it resumes a run the quota stopped."""
    state = _load_state(db_path)
    out = []
    for job in watch.jobs:
        last = state.get(job.key) or {}
        slot = job.slot(now)
        if last.get("slot") == slot and last.get("status") == "done":
            continue
        # A run the quota stopped or a failure cut short (the API unreachable) continues where it
        # was within the same slot, reading what it fetched from the archive.
        out.append((job, last.get("slot") == slot and last.get("status") in ("quota", "failed")))
    return out


def _next_due(watch: WatchList, db_path: str | Path, now: datetime) -> datetime:
    state = _load_state(db_path)
    starts = []
    for job in watch.jobs:
        last = state.get(job.key) or {}
        if last.get("slot") != job.slot(now) or last.get("status") != "done":
            return now
        starts.append(datetime.fromtimestamp((job.slot(now) + 1) * job.interval.total_seconds(), UTC))
    return min(starts)


#: Runs one job: (spec, resume, budget) -> the fetch's report.
FetchOne = Callable[[FetchSpec, bool, int], FetchReport]


def run_watch(
    watch: WatchList, db_path: str | Path, fetch_one: FetchOne, *, clock: Callable[[], datetime]
) -> WatchReport:
    """Run every due job once, in the watch list's order; a job that fails (a renamed channel, a
    refused credential) is reported and the others still run."""
    now = clock()
    report = WatchReport(now)
    due = due_jobs(watch, db_path, now)
    due_keys = {job.key for job, _ in due}
    report.not_due = [job.label for job in watch.jobs if job.key not in due_keys]
    for job, resume in due:
        started = clock()
        try:
            fetched = fetch_one(job.spec, resume, job.budget())
        except UserError as exc:
            run = WatchRun(job.label, job.key, "failed", error=str(exc))
        else:
            run = WatchRun(job.label, job.key, "done" if fetched.status == "done" else "quota", fetched)
        report.ran.append(run)
        state = _load_state(db_path)
        state[job.key] = {
            "label": job.label,
            "slot": job.slot(started),
            "status": run.status,
            "run_id": run.report.run_id if run.report is not None else None,
            "finished_at": clock().isoformat(),
        }
        _write_json(_state_path(db_path), state)
    report.next_due = _next_due(watch, db_path, clock())
    return report


#: How long ``--loop`` waits before it tries again a job that failed or stopped on the quota.
RETRY_WAIT = timedelta(minutes=15)


def watch_loop(
    watch: WatchList,
    db_path: str | Path,
    fetch_one: FetchOne,
    *,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    on_report: Callable[[WatchReport], None],
    runs: int | None = None,
) -> int:
    """``watch --loop``: run what is due, sleep until the next job is due, again; ``runs`` bounds
    the passes (None: until interrupted). Returns the passes made."""
    done = 0
    while runs is None or done < runs:
        report = run_watch(watch, db_path, fetch_one, clock=clock)
        done += 1
        on_report(report)
        if runs is not None and done >= runs:
            break
        now = clock()
        wake = report.next_due or now + RETRY_WAIT
        if wake <= now:  # a job failed or waits for the quota: do not spin on it
            wake = now + RETRY_WAIT
        sleep((wake - now).total_seconds())
    return done


def watch(
    store: Store,
    db_path: str | Path,
    watch_list: str | Path | WatchList,
    *,
    loop: bool = False,
    runs: int | None = None,
    on_report: Callable[[WatchReport], None] | None = None,
    base_urls: Mapping[str, str] | None = None,
    credentials: Mapping[str, dict[str, str]] | None = None,
    clock: Callable[[], datetime] = _utc_now,
    sleep: Callable[[float], None] = time.sleep,
    **options: Any,
) -> WatchReport:
    """Run the due jobs of a watch list against the workspace (``loop``: keep going, ``runs``
    passes at most); returns the last pass's report. ``base_urls`` and ``credentials`` by
    platform (default: the settings ``fetch`` reads); ``options`` go to every fetch (rng, retry)."""
    plan = watch_list if isinstance(watch_list, WatchList) else WatchList.load(watch_list)

    def fetch_one(spec: FetchSpec, resume: bool, budget: int) -> FetchReport:
        return fetch(
            store,
            db_path,
            spec,
            resume=resume,
            budget=budget,
            base_url=(base_urls or {}).get(spec.platform),
            credentials=(credentials or {}).get(spec.platform),
            clock=clock,
            sleep=sleep,
            **options,
        )

    last: list[WatchReport] = []

    def keep(report: WatchReport) -> None:
        last.append(report)
        if on_report is not None:
            on_report(report)

    if not loop:
        keep(run_watch(plan, db_path, fetch_one, clock=clock))
    else:
        watch_loop(plan, db_path, fetch_one, clock=clock, sleep=sleep, on_report=keep, runs=runs)
    return last[-1]
