"""`creatorlens plan` and `creatorlens grow`: thin shells over Workspace.plan / Workspace.grow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    app,
    console,
    emit,
    fail,
    one_row_table,
    open_workspace,
    output_format,
    print_rows,
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
    fmt: FormatOption = "table",
    out: Annotated[
        Path | None,
        typer.Option(help="Write the plan to this file (.json, .csv or .parquet, or --format)."),
    ] = None,
) -> None:
    """Choose creators and posts for a budget and goal; explain the choice and its ranges."""
    with user_errors():
        from creatorlens.planner import Brief

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
        fmt = output_format(fmt, out)
        if fmt != "table":
            write_plan(result, data, fmt, out)
            if out is None:  # the document alone on stdout
                return
        print_plan(data)
        if out is not None:
            console.print(f"wrote {out}")


def write_plan(result: Any, data: dict[str, Any], fmt: str, out: Path | None) -> None:
    """The plan as JSON (the whole plan), or its creators as CSV / Parquet: the columns and
    formula-safe cells of the web's and the report's export (presentation._plan)."""
    from creatorlens.presentation._plan import csv_columns, plan_csv, plan_records

    if fmt == "json":
        emit(result.model_dump_json(indent=1).encode("utf-8"), out)
    elif fmt == "csv":
        emit(plan_csv(data).encode("utf-8"), out)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out is None:
            fail("--format parquet needs --out FILE")
        columns = csv_columns()
        records = [{k: r.get(k) for k in columns} for r in plan_records(data)]
        empty = {k: pa.array([], pa.string()) for k in columns}
        table = pa.Table.from_pylist(records) if records else pa.table(empty)
        pq.write_table(table, out)
    else:
        fail(f"--format {fmt!r}: choose table, csv, json or parquet")


def print_plan(data: dict[str, Any]) -> None:
    """The plan on the terminal, from the presentation path the web and the report share, in the
    table language (``CREATORLENS_LANG``: en, ko)."""
    from creatorlens.cli._app import table_lang
    from creatorlens.presentation._i18n import catalog
    from creatorlens.presentation._plan import plan_view
    from creatorlens.presentation._plan_notes import constraint_label

    t = catalog(table_lang())
    view = plan_view(data, t.lang)
    brief = data["brief"]
    if view["shortfall"]:
        console.print(f"[bold]{view['shortfall']}[/bold]")
    if view["candidates"] not in view["shortfall"]:
        console.print(view["candidates"])
    goal = brief["goal"] if t.lang == "en" else t.value("goal", brief["goal"])
    table = Table(title=t("plan_cli_title", goal=goal, budget=view["totals"][0][2]), header_style="bold")
    left = {"handle", "platform", "tier", "deliverable", "fit_evidence"}
    for key, label in view["table"]["columns"]:
        table.add_column(label, justify="left" if key in left else "right")
    coded = set() if t.lang == "en" else {"platform", "tier", "overlap"}
    for row in view["table"]["rows"]:
        table.add_row(
            *[
                t.value(key, row[key]) if key in coded else str(row[key])
                for key, _ in view["table"]["columns"]
            ]
        )
    if view["table"]["rows"]:
        console.print(table)
    totals = data.get("totals") or {}
    for key, label, text in view["totals"]:
        confidence = (totals.get(key) or {}).get("confidence")
        # a total's range is an interval at a stated confidence (docs/planner.md "Totals")
        level = t("plan_cli_interval", confidence=f"{confidence:.0%}") if confidence else ""
        console.print(f"  {label}{level}: {text}")
    if view["frontier"]["rows"]:
        frontier = Table(title=t("frontier"), header_style="bold")
        for _, label in view["frontier"]["columns"]:
            frontier.add_column(label, justify="right")
        for row in view["frontier"]["rows"]:
            frontier.add_row(*[row[key] for key, _ in view["frontier"]["columns"]])
        console.print(frontier)
    console.print(f"  {view['guarantee']}")
    en = t.lang == "en"
    for status in view["constraints"]:
        if status["status"] != "filter":
            name = status["name"] if en else constraint_label(status["name"], t)
            state = status["status"] if en else t.value("plan_status", status["status"])
            console.print("  " + t("plan_cli_constraint", name=name, status=state, detail=status["detail"]))
    for miss in view["near_misses"][:3]:
        tier = miss["tier"] if en else t.value("tier", miss["tier"])
        console.print(
            "  " + t("plan_cli_near_miss", handle=miss["handle"], tier=tier, why=miss["why_out"])
        )


@app.command("grow")
def grow_command(
    handle: Annotated[str, typer.Argument(help="Creator handle.")],
    db: DbOption = DEFAULT_DB,
    target: Annotated[str, typer.Option(help='e.g. "age=18-24 country=KR"')] = "",
    budget: Annotated[float, typer.Option(help="Promotion budget (in --currency).")] = 100.0,
    platform: Annotated[str | None, typer.Option(help="Platform when the handle is on several.")] = None,
    currency: CurrencyOption = "",
    usd_per_unit: UsdPerUnitOption = None,
    fmt: FormatOption = "table",
    out: Annotated[
        Path | None,
        typer.Option(help="Write the growth plan to this file (.json, .csv or .parquet, or --format)."),
    ] = None,
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
        fmt = output_format(fmt, out)
        if fmt == "json":
            emit(result.model_dump_json(indent=1).encode("utf-8"), out)
        elif fmt in ("csv", "parquet"):  # one row; segments and partners as JSON text
            print_rows(one_row_table(result.model_dump(mode="json")), fmt, out=out)
        elif fmt != "table":
            fail(f"--format {fmt!r}: choose table, csv, json or parquet")
        if fmt != "table" and out is None:
            return
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
