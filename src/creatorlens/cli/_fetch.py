"""`creatorlens fetch youtube|instagram|tiktok` and `creatorlens auth set|status`: collect from the
official APIs with the user's own credentials (docs/collectors.md).

Exit status: 0 done, 2 a user error (bad option, missing credential, the API refused), 3 stopped
by the quota (nothing lost: run the same command with --resume after the reset)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    OutOption,
    app,
    console,
    key_values,
    open_workspace,
    output_format,
    print_rows,
    user_errors,
)

if TYPE_CHECKING:
    from creatorlens.ingest.collect import FetchReport, FetchSpec

#: A quota stop: the run is checkpointed and continues with --resume.
QUOTA_EXIT = 3

fetch_app = typer.Typer(help="Fetch creators and posts from the official APIs.", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
auth_app = typer.Typer(help="Store API credentials (a file of mode 0600).", no_args_is_help=True)
app.add_typer(auth_app, name="auth")


_DRY_RUN = Annotated[
    bool, typer.Option("--dry-run", help="Show the calls and their quota cost; call nothing.")
]
_RESUME = Annotated[
    bool, typer.Option("--resume", help="Continue the last unfinished run of this same command.")
]


@fetch_app.command("youtube")
def fetch_youtube(
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", help="Channel id (UC…), @handle or URL; repeatable."),
    ] = None,
    search: Annotated[str | None, typer.Option(help="Search query (discovery, 100 units a page).")] = None,
    region: Annotated[str | None, typer.Option(help="Region code for --search, e.g. KR.")] = None,
    kind: Annotated[str, typer.Option("--type", help="What --search finds: channel | video.")] = "channel",
    max_items: Annotated[
        int | None,
        typer.Option("--max", help="At most this many videos per channel (search: results; default 50)."),
    ] = None,
    dry_run: _DRY_RUN = False,
    resume: _RESUME = False,
    budget: Annotated[
        int | None, typer.Option(help="Daily quota in units (default: the API's 10,000).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="API base URL (default https://www.googleapis.com/youtube/v3).",
            envvar="CREATORLENS_YOUTUBE_BASE_URL",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Channels with their uploads and statistics, or a search; archived, then ingested."""
    from creatorlens.ingest.collect import FetchSpec

    with user_errors():
        spec = FetchSpec(
            "youtube",
            channels=tuple(channel or ()),
            search=search,
            region=region,
            kind=kind,
            max_items=max_items,
        )
        _run(spec, dry_run=dry_run, resume=resume, budget=budget, base_url=base_url, db=db)


def _run(spec: FetchSpec, *, dry_run: bool, resume: bool, budget: int | None, base_url: str | None,
         db: Path) -> None:  # fmt: skip
    """Price (``--dry-run``) or run one fetch and print its report; exit 3 on a quota stop."""
    from creatorlens.ingest.collect import plan

    if dry_run:
        planned = plan(spec, db_path=db, budget=budget)
        for method, count, cost in planned.calls:
            console.print(f"{method}: {count} call(s) × {cost} unit(s)")
        total = (
            "depends on what the API answers (e.g. the video count)"
            if planned.units_max is None
            else f"{planned.units_max:,}"
        )
        console.print(
            f"[bold]quota[/]: at most {total} units; {planned.remaining:,} of {planned.budget:,} left today"
        )
        return
    ws = open_workspace(db, write=True)
    try:
        report = ws.fetch(spec, resume=resume, base_url=base_url, budget=budget)
    finally:
        ws.close()
    _show(report)


def _show(report: FetchReport) -> None:
    stats = report.stats
    console.print(
        key_values(
            [
                ("status", report.status + (" (resumed)" if report.resumed else "")),
                ("run", report.run_id),
                ("requests", f"{stats.requests:,} ({stats.attempts:,} attempts)"),
                ("from archive", f"{stats.from_archive:,}"),
                ("quota units", f"{stats.units:,} spent, {report.remaining:,} of {report.budget:,} left"),
                (
                    "ingested",
                    f"{stats.ingested:,} responses: {stats.creators:,} creators, {stats.posts:,} posts",
                ),
                ("quarantined", f"{len(stats.quarantined):,}"),
                ("archive", str(report.archive)),
            ],
            title=f"fetch {report.platform}",
        )
    )
    for result in report.results:
        console.print("  " + ", ".join(f"{k} {v}" for k, v in result.items()), soft_wrap=True)
    for line in stats.quarantined:
        console.print(f"  [yellow]quarantined[/] {line}", soft_wrap=True)
    if report.status == "quota":
        console.print(f"[yellow]stopped[/]: {report.message}", soft_wrap=True)
        raise typer.Exit(QUOTA_EXIT)



@fetch_app.command("instagram")
def fetch_instagram(
    username: Annotated[
        list[str], typer.Option("--username", help="A Business or Creator account's username; repeatable.")
    ],
    max_items: Annotated[
        int | None, typer.Option("--max", help="At most this many media per account (default: all).")
    ] = None,
    dry_run: _DRY_RUN = False,
    resume: _RESUME = False,
    budget: Annotated[
        int | None, typer.Option(help="Calls a day (default 4,800: 200 an hour for a user token).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Graph API base URL (default https://graph.facebook.com/v21.0).",
            envvar="CREATORLENS_INSTAGRAM_BASE_URL",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Professional accounts by username (Graph API business_discovery, through your own
    professional account): profile and media; archived, then ingested."""
    from creatorlens.ingest.collect import FetchSpec

    with user_errors():
        spec = FetchSpec("instagram", usernames=tuple(username), max_items=max_items)
        _run(spec, dry_run=dry_run, resume=resume, budget=budget, base_url=base_url, db=db)


@fetch_app.command("tiktok")
def fetch_tiktok(
    username: Annotated[
        list[str] | None, typer.Option("--username", help="A public account's username; repeatable.")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Videos whose description holds this keyword.")
    ] = None,
    me: Annotated[
        bool,
        typer.Option(
            "--me", help="Your own account and videos (Display API; `creatorlens auth set tiktok_display`)."
        ),
    ] = False,
    region: Annotated[str | None, typer.Option(help="Region code for --query, e.g. KR.")] = None,
    days: Annotated[
        int | None, typer.Option(help="Videos of the last N days (default 30; split into 30-day queries).")
    ] = None,
    max_items: Annotated[
        int | None, typer.Option("--max", help="At most this many videos per username or query.")
    ] = None,
    dry_run: _DRY_RUN = False,
    resume: _RESUME = False,
    budget: Annotated[
        int | None, typer.Option(help="Requests a day (default the Research API's 1,000).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="API base URL (default https://open.tiktokapis.com).", envvar="CREATORLENS_TIKTOK_BASE_URL"
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Public profiles and their videos, or videos by keyword (TikTok Research API, approved
    researchers only); archived, then ingested."""
    from creatorlens.ingest.collect import FetchSpec

    with user_errors():
        spec = FetchSpec(
            "tiktok", usernames=tuple(username or ()), search=query, region=region, days=days,
            max_items=max_items, own=me,
        )  # fmt: skip
        _run(spec, dry_run=dry_run, resume=resume, budget=budget, base_url=base_url, db=db)


@auth_app.command("set")
def auth_set(
    platform: Annotated[
        str, typer.Argument(help="youtube | instagram | tiktok | tiktok_display | facebook_app")
    ],
) -> None:
    """Ask for each credential (input hidden) and store it in the credentials file (mode 0600)."""
    from creatorlens.ingest.collect import FIELDS, CredentialError, save_credentials

    with user_errors():
        if platform not in FIELDS:
            raise CredentialError(f"platform {platform!r}: choose one of {', '.join(FIELDS)}")
        # A refresh token that `auth login tiktok` will fetch may be left empty (Enter).
        optional = {"refresh_token"} if platform == "tiktok_display" else set()
        values = {
            name: typer.prompt(name, hide_input=True, default="" if name in optional else None,
                               show_default=False)
            for name in FIELDS[platform]
        }
        values = {k: v for k, v in values.items() if v}
        path = save_credentials(platform, values)
        console.print(f"saved {platform} credentials ({', '.join(values)}) to {path} (mode 0600)")


@auth_app.command("login")
def auth_login(
    platform: Annotated[
        str, typer.Argument(help="tiktok (Login Kit, Display API) | instagram (Facebook Login)")
    ],
    port: Annotated[int, typer.Option(help="Loopback port of the redirect (0: a free one).")] = 0,
    browser: Annotated[bool, typer.Option(help="Open the login page in the default browser.")] = True,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the browser's answer.")] = 300.0,
) -> None:
    """Log in through the platform's OAuth page and store the tokens in the credentials file
    (mode 0600): the redirect comes back to 127.0.0.1, its state is checked, PKCE where the
    platform takes it. Needs the app's key and secret first (`auth set tiktok_display` or
    `auth set facebook_app`). Prints no credential (docs/collectors.md, "Logging in")."""
    import webbrowser

    from creatorlens.ingest.collect import login

    def announce(url: str) -> None:
        console.print(f"open {url} in a browser on this machine and log in (waiting {timeout:,.0f} s)",
                      soft_wrap=True)  # fmt: skip

    with user_errors():
        result = login(platform, port=port, timeout=timeout, announce=announce,
                       open_browser=webbrowser.open if browser else None)  # fmt: skip
        until = f", the access token until {result.expires_at:%Y-%m-%d %H:%M} UTC" if result.expires_at else ""  # noqa: E501
        console.print(
            f"logged in to {result.platform} as {result.account or 'your account'}"
            f"{f' (scopes {result.scope})' if result.scope else ''}; saved {', '.join(result.saved)} "
            f"(section {result.credentials}) to {result.path} (mode 0600){until}",
            soft_wrap=True,
        )


@auth_app.command("status")
def auth_status() -> None:
    """Which credentials are set and where from (never their values)."""
    import os

    from creatorlens.ingest.collect import FIELDS, credentials_path, env_name, load_credentials

    with user_errors():
        path: Path = credentials_path()
        for platform, names in FIELDS.items():
            found = load_credentials(platform, required=False)
            for name in names:
                where = (
                    f"environment ({env_name(platform, name)})"
                    if os.environ.get(env_name(platform, name))
                    else (str(path) if name in found else "not set")
                )
                console.print(f"{platform}.{name}: {where}")


@app.command("watch")
def watch_command(
    watch_list: Annotated[
        Path, typer.Option("--list", help="The watch list (TOML; docs/collectors.md, 'Watch').")
    ] = Path("watch.toml"),
    loop: Annotated[
        bool, typer.Option("--loop", help="Keep running: sleep until the next job is due, again.")
    ] = False,
    max_runs: Annotated[
        int | None,
        typer.Option("--max-runs", min=1, help="With --loop: stop after N passes (default: until stopped)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Fetch what the watch list says is due, append the snapshots, and exit (for cron or a
    systemd timer); --loop for a foreground process, stopped by SIGTERM or Ctrl-C (SIGINT): a
    sleeping loop exits at once, a pass under way finishes first (a second signal aborts it;
    what it fetched is archived). Exit 3 when a job stopped on the quota (it resumes at the next
    start), 2 when one failed; a loop stopped by a signal exits 0."""
    import signal

    from creatorlens.errors import OptionError
    from creatorlens.ingest.collect import WatchList, watch_clock

    with user_errors():
        if max_runs is not None and not loop:
            raise OptionError("--max-runs needs --loop")
        plan = WatchList.load(watch_list)
        timer = watch_clock()
        received: list[str] = []

        def on_signal(number: int, _frame: object) -> None:
            if received:  # a second signal: abort the pass under way
                raise KeyboardInterrupt
            received.append(signal.Signals(number).name)
            timer.stop()

        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, on_signal)
        passes = 0
        while True:
            # The workspace is open only while a pass runs: a sleeping --loop holds no lock.
            ws = open_workspace(db, write=True)
            try:
                report = ws.watch(plan, clock=timer.clock, sleep=timer.pause)
            except KeyboardInterrupt:
                if not received:
                    raise
                console.print(f"aborted by a second {received[0]} during pass {passes + 1:,}")
                raise typer.Exit(130) from None
            finally:
                ws.close()
            passes += 1
            code = _show_watch(report)
            if not loop or (max_runs is not None and passes >= max_runs):
                if loop:
                    console.print(f"stopped after {passes:,} passes (--max-runs)")
                if code:
                    raise typer.Exit(code)
                return
            if not timer.stopping:
                now = timer.clock()
                wake = report.next_due if report.next_due and report.next_due > now else None
                seconds = (wake - now).total_seconds() if wake else 15 * 60
                console.print(f"next pass in {seconds / 60:,.0f} min", soft_wrap=True)
                timer.sleep(seconds)
            if timer.stopping:
                console.print(f"stopped by {received[0]} after {passes:,} passes")
                return


def _show_watch(report: object) -> int:
    from creatorlens.ingest.collect import WatchReport

    assert isinstance(report, WatchReport)
    for run in report.ran:
        if run.report is not None:
            stats = run.report.stats
            line = (
                f"{run.status}: {run.job} — {stats.requests:,} requests, {stats.units:,} units, "
                f"{stats.ingested:,} responses ingested; {run.report.remaining:,} of "
                f"{run.report.budget:,} units left today"
            )
            console.print(line, soft_wrap=True)
            if run.status == "quota":
                console.print(f"  [yellow]stopped[/]: {run.report.message}", soft_wrap=True)
        else:
            console.print(f"[red]failed[/]: {run.job}: {run.error}", soft_wrap=True)
    for label in report.not_due:
        console.print(f"not due: {label}", soft_wrap=True)
    if report.next_due is not None:
        console.print(f"next due: {report.next_due:%Y-%m-%d %H:%M} UTC")
    if report.failed:
        return 2
    return QUOTA_EXIT if any(r.status == "quota" for r in report.ran) else 0


@app.command("history")
def history_command(
    handle: Annotated[str, typer.Argument(help="The creator's handle (a former handle works too).")],
    platform: Annotated[str | None, typer.Option(help="youtube | instagram | tiktok | …")] = None,
    days: Annotated[int, typer.Option(help="Show the last N days of the daily series (0 = all).")] = 30,
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """A creator's follower and total-view history, Social Blade-style: a row a day with its
    gains, the changes over 1, 7 and 30 days, and projections with a range (docs/metrics.md).
    Views are the account's lifetime total (YouTube); 'unknown' where no snapshot gives it.
    CSV, JSON and Parquet hold the daily rows (views empty where unknown)."""
    from rich.table import Table

    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:
            row = ws.creator(handle, platform)
            history = ws.follower_history(str(row["creator_id"]))
            views = ws.view_history(str(row["creator_id"]))
        finally:
            ws.close()
        views_by_day = {d.day: d for d in views.daily}
        if output_format(fmt, out) != "table":
            print_rows(_daily_rows(history, views_by_day, days), fmt, out=out)
            return
        if not history.daily:
            console.print(f"@{row['handle']}: no follower snapshots yet (run `creatorlens watch`)")
            return
        table = Table(title=f"@{row['handle']} ({row['platform']}): followers and views a day")
        for name in ("date", "followers", "gain", "days", "views", "views gain"):
            table.add_column(name, justify="left" if name == "date" else "right")
        for d in history.daily[-days if days else 0 :]:
            v = views_by_day.get(d.day)
            table.add_row(
                d.day.isoformat(), f"{d.count:,}", _signed(d.gain), _gap(d.days),
                "unknown" if v is None else f"{v.count:,}",
                "unknown" if v is None else _signed(v.gain) + (f" ({v.days} d)" if _gap(v.days) else ""),
            )  # fmt: skip
        console.print(table)
        pairs = _changes(history, "")
        for p in history.projections:
            spread = (
                "no range: a single gain in the whole history"
                if p.low is None or p.high is None
                else f"range {p.low:,.0f} – {p.high:,.0f}"
                + (", from every gain of the whole history" if p.basis == "whole_history" else "")
            )
            pairs.append((f"in {p.days} days", f"{p.value:,.0f} ({spread})"))
        if views.daily:
            pairs.extend(_changes(views, "views "))
        else:
            pairs.append(("views", f"unknown: no snapshot of @{row['handle']} gives the account's total"))
        console.print(key_values(pairs, title="change and projection"))


def _daily_rows(history: Any, views_by_day: dict[Any, Any], days: int) -> Any:
    """The daily series as a table: day, followers, gain (over ``gain_days``), views, views_gain."""
    import pyarrow as pa

    shown = history.daily[-days if days else 0 :]
    views = [views_by_day.get(d.day) for d in shown]
    return pa.table(
        {
            "day": pa.array([d.day for d in shown], pa.date32()),
            "followers": pa.array([d.count for d in shown], pa.int64()),
            "gain": pa.array([d.gain for d in shown], pa.int64()),
            "gain_days": pa.array([d.days for d in shown], pa.int64()),
            "views": pa.array([None if v is None else v.count for v in views], pa.int64()),
            "views_gain": pa.array([None if v is None else v.gain for v in views], pa.int64()),
        }
    )


def _gap(days: int | None) -> str:
    """The days a gain spans, shown only when a day is missing."""
    return "" if days in (None, 1) else str(days)


def _signed(gain: int | None) -> str:
    return "—" if gain is None else f"{gain:+,}"


def _changes(history: Any, label: str) -> list[tuple[str, str]]:
    """The 1/7/30-day changes of a ``metrics.History`` as (label, text) pairs."""
    pairs = []
    for n, gain in history.gains.items():
        if gain is None:
            why = (
                f"unknown: no snapshot within {2 * n} days before the last"
                if n in history.sparse
                else "not enough history"
            )
            pairs.append((f"{label}{n}-day change", why))
            continue
        pct = "" if gain.pct is None else f" ({gain.pct:+.2%})"
        span = "" if gain.span == n else f", over {gain.span} days since {gain.since}"
        pairs.append((f"{label}{n}-day change", f"{gain.change:+,}{pct}, {gain.per_day:+,.1f} a day{span}"))
    return pairs
