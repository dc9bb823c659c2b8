"""`creatorlens plan` and `creatorlens grow`: thin shells over Workspace.plan / Workspace.grow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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

#: --currency and --usd-per-unit, the same for `plan` and `grow`
CurrencyOption = Annotated[
    str, typer.Option(help="Currency of --budget (default: the target country's, KR -> KRW).")
]
UsdPerUnitOption = Annotated[
    float | None,
    typer.Option(help="USD per 1 unit of --currency (default: data/costs/exchange_rates.csv)."),
]


@app.command("plan")
def plan_command(
    db: DbOption = DEFAULT_DB,
    brief: Annotated[Path | None, typer.Option(help="Brief TOML file (see docs/planner.md).")] = None,
    budget: Annotated[float | None, typer.Option(help="Budget (in --currency).")] = None,
    goal: Annotated[
        str, typer.Option(help="awareness | trust | community | balanced | word_of_mouth")
    ] = "balanced",
    target: Annotated[str, typer.Option(help='e.g. "age=18-34 gender=female country=KR,JP"')] = "",
    niches: Annotated[str, typer.Option(help="Comma-separated niches to plan within.")] = "",
    platforms: Annotated[str, typer.Option(help="Comma-separated platforms.")] = "",
    currency: CurrencyOption = "",
    usd_per_unit: UsdPerUnitOption = None,
    max_posts: Annotated[int, typer.Option(help="Max posts per creator.")] = 1,
    max_creators: Annotated[
        int | None, typer.Option(help="Max creators in the plan (default 50, plan.toml).")
    ] = None,
    cost_basis: Annotated[
        str, typer.Option(help="Cost that must fit the budget: p90 (default), pNN or mid.")
    ] = "",
    allow_unknown_fit: Annotated[
        bool,
        typer.Option(
            "--allow-unknown-fit",
            help="Let in creators whose audience fit rests on no data (priors only).",
        ),
    ] = False,
    overhead: Annotated[
        float | None,
        typer.Option(help="Overhead per creator in --currency (default: plan.toml [team])."),
    ] = None,
    no_overlap: Annotated[
        bool, typer.Option("--no-overlap", help="Treat audiences as disjoint (exact knapsack).")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the plan to .json or .csv.")] = None,
) -> None:
    """Choose creators and posts for a budget and goal; explain the choice and its ranges."""
    with user_errors():
        from creatorlens.planner import Brief
        from creatorlens.presentation._plan import plan_csv

        if brief is not None:
            the_brief = Brief.from_toml(brief)
        elif budget is not None:
            constraints: dict[str, object] = {"max_posts_per_creator": max_posts}
            if max_creators is not None:
                constraints["max_creators"] = max_creators
            fields: dict[str, object] = {
                "budget": budget,
                "goal": goal,
                "target": target,
                "niches": niches,
                "platforms": platforms,
                "currency": currency,
                "usd_per_unit": usd_per_unit,
                "overlap": not no_overlap,
                "allow_unknown_fit": allow_unknown_fit,
                "overhead_per_creator": overhead,
                "constraints": constraints,
            }
            if cost_basis:
                fields["cost_basis"] = cost_basis
            the_brief = Brief.build(**fields)
        else:
            fail("give --brief FILE or --budget AMOUNT (with --goal and --target)")
        ws = open_workspace(db, must_exist=True)
        try:
            result = ws.plan(the_brief)
        finally:
            ws.close()
        data = result.model_dump(mode="json")
        if out is not None:
            suffix = out.suffix.lower()
            if suffix == ".json":
                out.write_text(result.model_dump_json(indent=1), encoding="utf-8")
            elif suffix == ".csv":
                out.write_text(plan_csv(data), encoding="utf-8")
            else:
                fail(f"--out {out}: use a .json or .csv file name")
        print_plan(data)
        if out is not None:
            console.print(f"wrote {out}")


def print_plan(data: dict[str, Any]) -> None:
    """The plan on the terminal, from the presentation path the web and the report share."""
    from creatorlens.presentation._plan import plan_view

    view = plan_view(data)
    brief = data["brief"]
    if view["shortfall"]:
        console.print(f"[bold]{view['shortfall']}[/bold]")
    if view["candidates"] not in view["shortfall"]:
        console.print(view["candidates"])
    table = Table(title=f"Plan: {brief['goal']}, budget {view['totals'][0][2]}", header_style="bold")
    left = {"handle", "platform", "tier", "deliverable", "fit_evidence"}
    for key, label in view["table"]["columns"]:
        table.add_column(label, justify="left" if key in left else "right")
    for row in view["table"]["rows"]:
        table.add_row(*[str(row[key]) for key, _ in view["table"]["columns"]])
    if view["table"]["rows"]:
        console.print(table)
    totals = data.get("totals") or {}
    for key, label, text in view["totals"]:
        confidence = (totals.get(key) or {}).get("confidence")
        # a total's range is an interval at a stated confidence (docs/planner.md "Totals")
        level = f" ({confidence:.0%} interval)" if confidence else ""
        console.print(f"  {label}{level}: {text}")
    if view["frontier"]["rows"]:
        frontier = Table(title="Frontier: the best plan with at most N creators", header_style="bold")
        for _, label in view["frontier"]["columns"]:
            frontier.add_column(label, justify="right")
        for row in view["frontier"]["rows"]:
            frontier.add_row(*[row[key] for key, _ in view["frontier"]["columns"]])
        console.print(frontier)
    console.print(f"  {view['guarantee']}")
    for status in data.get("constraints") or []:
        if status["status"] != "filter":
            console.print(f"  constraint {status['name']}: {status['status']} — {status['detail']}")
    for miss in (data.get("near_misses") or [])[:3]:
        console.print(f"  near miss {miss['handle']} ({miss['tier']}): {miss['why_out']}")


@app.command("grow")
def grow_command(
    handle: Annotated[str, typer.Argument(help="Creator handle.")],
    db: DbOption = DEFAULT_DB,
    target: Annotated[str, typer.Option(help='e.g. "age=18-24 country=KR"')] = "",
    budget: Annotated[float, typer.Option(help="Promotion budget (in --currency).")] = 100.0,
    platform: Annotated[str | None, typer.Option(help="Platform when the handle is on several.")] = None,
    currency: CurrencyOption = "",
    usd_per_unit: UsdPerUnitOption = None,
    out: Annotated[Path | None, typer.Option(help="Write the growth plan to a .json file.")] = None,
) -> None:
    """Project follower gain for promoting a creator to a target; suggest segments and partners."""
    with user_errors():
        from creatorlens.presentation._values import format_money

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
        console.print(f"  budget: {format_money(result.budget, result.currency)}")
        console.print(f"  exchange rate: {result.exchange_rate['note']}")
        console.print(f"  impressions: {result.impressions.text()}")
        console.print(f"  follower gain: {result.follower_gain.text()}")
        console.print(f"  cost per follower: {result.cost_per_follower.text()}")
        console.print(f"  basis: {result.follow_through_basis}")
        for note in result.assumptions:
            console.print(f"  assumption: {note}")
        for seg in result.segments:
            console.print(f"  segment {seg.dimension}={seg.bucket} ({seg.share:.0%}): {seg.advice}")
        for partner in result.collaborators:
            console.print(f"  collaborate with {partner.handle}: {partner.why}")
