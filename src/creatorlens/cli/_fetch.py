"""`creatorlens fetch youtube` and `creatorlens auth set|status`: collect from the official APIs
with the user's own credentials (docs/collectors.md).

Exit status: 0 done, 2 a user error (bad option, missing credential, the API refused), 3 stopped
by the quota (nothing lost: run the same command with --resume after the reset)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creatorlens.cli._app import DEFAULT_DB, DbOption, app, console, key_values, open_workspace, user_errors

#: A quota stop: the run is checkpointed and continues with --resume.
QUOTA_EXIT = 3

fetch_app = typer.Typer(help="Fetch creators and posts from the official APIs.", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
auth_app = typer.Typer(help="Store API credentials (a file of mode 0600).", no_args_is_help=True)
app.add_typer(auth_app, name="auth")


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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the calls and their quota cost; call nothing.")
    ] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the last unfinished run of this same command.")
    ] = False,
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
    from creatorlens.ingest.collect import FetchSpec, plan

    with user_errors():
        spec = FetchSpec(
            "youtube",
            channels=tuple(channel or ()),
            search=search,
            region=region,
            kind=kind,
            max_items=max_items,
        )
        if dry_run:
            planned = plan(spec, db_path=db, budget=budget)
            for method, count, cost in planned.calls:
                console.print(f"{method}: {count} call(s) × {cost} unit(s)")
            total = (
                "depends on the channel's videoCount"
                if planned.units_max is None
                else f"{planned.units_max:,}"
            )
            console.print(
                f"[bold]quota[/]: at most {total} units; "
                f"{planned.remaining:,} of {planned.budget:,} left today"
            )
            return
        ws = open_workspace(db, write=True)
        try:
            report = ws.fetch(spec, resume=resume, base_url=base_url, budget=budget)
        finally:
            ws.close()
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
                title="fetch youtube",
            )
        )
        for result in report.results:
            console.print("  " + ", ".join(f"{k} {v}" for k, v in result.items()), soft_wrap=True)
        for line in stats.quarantined:
            console.print(f"  [yellow]quarantined[/] {line}", soft_wrap=True)
        if report.status == "quota":
            console.print(f"[yellow]stopped[/]: {report.message}", soft_wrap=True)
            raise typer.Exit(QUOTA_EXIT)


@auth_app.command("set")
def auth_set(
    platform: Annotated[str, typer.Argument(help="youtube | instagram | tiktok")],
) -> None:
    """Ask for each credential (input hidden) and store it in the credentials file (mode 0600)."""
    from creatorlens.ingest.collect import FIELDS, CredentialError, save_credentials

    with user_errors():
        if platform not in FIELDS:
            raise CredentialError(f"platform {platform!r}: choose one of {', '.join(FIELDS)}")
        values = {name: typer.prompt(name, hide_input=True) for name in FIELDS[platform]}
        path = save_credentials(platform, values)
        console.print(f"saved {platform} credentials ({', '.join(values)}) to {path} (mode 0600)")


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
