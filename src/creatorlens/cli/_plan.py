"""`creatorlens plan` and `creatorlens grow`: thin shells over Workspace.plan / Workspace.grow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    fail,
    open_workspace,
    user_errors,
)


@app.command("plan")
def plan_command(
    db: DbOption = DEFAULT_DB,
    brief: Annotated[
        Path | None, typer.Option(help="Brief TOML file (see docs/planner.md).")
    ] = None,
    budget: Annotated[float | None, typer.Option(help="Budget (in --currency).")] = None,
    goal: Annotated[
        str, typer.Option(help="awareness | trust | community | balanced")
    ] = "balanced",
    target: Annotated[str, typer.Option(help='e.g. "age=18-34 gender=female country=KR,JP"')] = "",
    niches: Annotated[str, typer.Option(help="Comma-separated niches to plan within.")] = "",
    platforms: Annotated[str, typer.Option(help="Comma-separated platforms.")] = "",
    currency: Annotated[str, typer.Option(help="Currency of --budget.")] = "USD",
    usd_per_unit: Annotated[
        float | None, typer.Option(help="USD per 1 unit of --currency.")
    ] = None,
    max_posts: Annotated[int, typer.Option(help="Max posts per creator.")] = 1,
    no_overlap: Annotated[
        bool, typer.Option("--no-overlap", help="Treat audiences as disjoint (exact knapsack).")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the plan to .json or .csv.")] = None,
) -> None:
    """Choose creators and posts for a budget and goal; explain the choice and its ranges."""
    with user_errors():
        from creatorlens.planner import Brief

        if brief is not None:
            the_brief = Brief.from_toml(brief)
        elif budget is not None:
            the_brief = Brief.build(
                budget=budget,
                goal=goal,
                target=target,
                niches=niches,
                platforms=platforms,
                currency=currency,
                usd_per_unit=usd_per_unit,
                overlap=not no_overlap,
                constraints={"max_posts_per_creator": max_posts},
            )
        else:
            fail("give --brief FILE or --budget AMOUNT (with --goal and --target)")
        ws = open_workspace(db, must_exist=True)
        try:
            result = ws.plan(the_brief)
        finally:
            ws.close()
        if out is not None:
            suffix = out.suffix.lower()
            if suffix == ".json":
                out.write_text(result.model_dump_json(indent=1), encoding="utf-8")
            elif suffix == ".csv":
                result.to_frame().to_csv(out, index=False)
            else:
                fail(f"--out {out}: use a .json or .csv file name")
        table = Table(
            title=f"Plan: {the_brief.goal}, budget {the_brief.budget:,.0f} {the_brief.currency}",
            header_style="bold",
        )
        for name in (
            "handle",
            "platform",
            "tier",
            "followers",
            "posts",
            "fit",
            "cost (low–high)",
            "target reach (mid)",
        ):
            table.add_column(
                name, justify="left" if name in ("handle", "platform", "tier") else "right"
            )
        for c in result.creators:
            table.add_row(
                c.handle,
                c.platform,
                c.tier,
                f"{c.followers:,}",
                str(c.posts),
                f"{c.fit:.2f}",
                f"{c.cost.low:,.0f}–{c.cost.high:,.0f}",
                f"{c.target_reach.mid:,.0f}",
            )
        console.print(table)
        for name, fig in result.totals.items():
            console.print(f"  {name}: {fig.text(2 if 'per' in name else 0)}")
        console.print(
            "  tier mix: "
            + ", ".join(
                f"{m.tier} {m.creators} ({m.spend_share:.0%} of spend)" for m in result.tier_mix
            )
        )
        console.print(f"  {result.guarantee_text}")
        for status in result.constraints:
            if status.status != "filter":
                console.print(f"  constraint {status.name}: {status.status} — {status.detail}")
        for miss in result.near_misses[:3]:
            console.print(f"  near miss {miss.handle} ({miss.tier}): {miss.why_out}")
        if out is not None:
            console.print(f"wrote {out}")


@app.command("grow")
def grow_command(
    handle: Annotated[str, typer.Argument(help="Creator handle.")],
    db: DbOption = DEFAULT_DB,
    target: Annotated[str, typer.Option(help='e.g. "age=18-24 country=KR"')] = "",
    budget: Annotated[float, typer.Option(help="Promotion budget (in --currency).")] = 100.0,
    platform: Annotated[
        str | None, typer.Option(help="Platform when the handle is on several.")
    ] = None,
    currency: Annotated[str, typer.Option(help="Currency of --budget.")] = "USD",
    usd_per_unit: Annotated[float, typer.Option(help="USD per 1 unit of --currency.")] = 1.0,
    out: Annotated[Path | None, typer.Option(help="Write the growth plan to a .json file.")] = None,
) -> None:
    """Project follower gain for promoting a creator to a target; suggest segments and partners."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:
            result = ws.grow(
                handle,
                target,
                budget,
                platform=platform,
                currency=currency,
                usd_per_unit=usd_per_unit,
            )
        finally:
            ws.close()
        if out is not None:
            out.write_text(result.model_dump_json(indent=1), encoding="utf-8")
        console.print(
            f"{result.handle} ({result.platform}), target: {result.target.describe()}, "
            f"fit {result.creator_fit:.2f}"
        )
        console.print(f"  impressions: {result.impressions.text()}")
        console.print(f"  follower gain: {result.follower_gain.text()}")
        console.print(f"  cost per follower: {result.cost_per_follower.text(2)}")
        console.print(f"  basis: {result.follow_through_basis}")
        for note in result.assumptions:
            console.print(f"  assumption: {note}")
        for seg in result.segments:
            console.print(f"  segment {seg.dimension}={seg.bucket} ({seg.share:.0%}): {seg.advice}")
        for partner in result.collaborators:
            console.print(f"  collaborate with {partner.handle}: {partner.why}")
