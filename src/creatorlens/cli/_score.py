"""`creatorlens score`."""

from __future__ import annotations

from typing import Annotated

import typer

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    open_workspace,
    score_step_count,
    step_progress,
    user_errors,
)
from creatorlens.errors import OptionError


@app.command()
def score(
    db: DbOption = DEFAULT_DB,
    scheme: Annotated[str, typer.Option(help="Tier scheme name or TOML path.")] = "seed",
    last_n: Annotated[int, typer.Option(help="Measure the latest N posts.")] = 30,
    min_age_days: Annotated[
        int, typer.Option(help="Skip posts younger than this when observed.")
    ] = 7,
    since: Annotated[str | None, typer.Option(help="Only posts on or after this date.")] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Rescore every post, not only those whose inputs changed since the last run."
        ),
    ] = False,
) -> None:
    """Compute the scorecard: tiers, engagement, growth, percentiles, benchmarks, and capability scores."""
    with user_errors():
        from creatorlens.ingest import parse_datetime
        from creatorlens.metrics import Window

        start = parse_datetime(since).value if since else None
        if since and start is None:
            raise OptionError(f"--since {since!r} is not a date")
        ws = open_workspace(db, must_exist=True)
        window = Window(last_n=last_n, min_age_days=min_age_days, since=start)
        with step_progress(score_step_count()) as on_step:
            report = ws.score(scheme=scheme, window=window, on_step=on_step, full=full)
        console.print(
            f"scored {report.creators:,} creators (scheme {report.scheme}, latest {last_n} posts "
            f"≥ {min_age_days} days old)"
        )
        timings = ", ".join(f"{name} {sec:.1f}s" for name, sec in report.seconds.items())
        console.print(f"  steps: {timings}")
        for name, why in report.skipped_steps.items():
            console.print(f"  [yellow]skipped[/] {name}: {why}")
        ws.close()
