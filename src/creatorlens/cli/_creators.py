"""`creatorlens creators`, `show` and `tiers`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from creatorlens._sorting import SORTABLE
from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    OutOption,
    app,
    console,
    emit,
    err_console,
    fmt_value,
    key_values,
    one_row_table,
    open_workspace,
    output_format,
    print_rows,
    user_errors,
)
from creatorlens.cli._brands import render_creator_extras
from creatorlens.errors import OptionError

LIST_COLUMNS = [
    "handle", "platform", "tier", "followers", "er_followers_lc_median", "er_views_lcs_median",
    "er_percentile_peers", "n_posts", "country", "categories", "er_flags",
]  # fmt: skip


@app.command()
def creators(
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="instagram | tiktok | youtube")] = None,
    tier: Annotated[str | None, typer.Option(help="Tier name in the scored scheme, e.g. micro.")] = None,
    min_followers: Annotated[float | None, typer.Option()] = None,
    max_followers: Annotated[float | None, typer.Option()] = None,
    min_er: Annotated[
        float | None, typer.Option(help="Minimum ER by followers as a fraction (0.02 = 2%).")
    ] = None,
    max_er: Annotated[float | None, typer.Option(help="Maximum ER by followers as a fraction.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code(s), comma-separated.")] = None,
    language: Annotated[
        str | None,
        typer.Option(help="Creator language code(s) as the workspace has them (ko, or ko,en)."),
    ] = None,
    category: Annotated[str | None, typer.Option(help="Category label contains this text.")] = None,
    niche: Annotated[str | None, typer.Option(help="Main niche (after `score`), e.g. beauty.")] = None,
    min_focus: Annotated[float | None, typer.Option(help="Minimum niche focus 0..1.")] = None,
    transparency_below: Annotated[
        float | None, typer.Option(help="Transparency (US) below this share.")
    ] = None,
    min_quality: Annotated[float | None, typer.Option(help="Minimum audience quality 0..100.")] = None,
    search: Annotated[str | None, typer.Option(help="Handle, name or bio contains this text.")] = None,
    min_posts: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Only creators with at least this many eligible posts. Whatever it is, ERs from "
            "fewer posts than the scoring minimum (data/engagement_rules.toml) or flagged "
            "implausible are listed after the ranked ones when sorting by an ER.",
        ),
    ] = None,
    sort: Annotated[str, typer.Option(help=f"One of: {', '.join(SORTABLE)}.")] = "followers",
    ascending: Annotated[bool, typer.Option("--ascending", help="Sort ascending.")] = False,
    limit: Annotated[int, typer.Option(min=0, help="At most this many rows (0 = all).")] = 20,
    cursor: Annotated[
        str | None,
        typer.Option(help="Continue after a previous page: the cursor it printed (same --sort)."),
    ] = None,
    fmt: FormatOption = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of the terminal.")] = None,
    columns: Annotated[str | None, typer.Option(help="Comma-separated columns to show.")] = None,
    scheme: Annotated[
        str | None, typer.Option(help="Show and filter tiers under this scheme (name or TOML path).")
    ] = None,
) -> None:
    """List creators with filters, sorted; as a table, CSV, JSON or Parquet."""
    from creatorlens._search import UnknownColumnError
    from creatorlens._workspace import CreatorFilter

    with user_errors():
        from creatorlens.presentation._creator_list import check_codes

        check_codes(platform=platform, tier=tier, niche=niche, country=country, scheme=scheme)
        ws = open_workspace(db, must_exist=True)
        if language:
            from creatorlens.presentation._creator_list import check_language, workspace_languages

            try:
                check_language(language, workspace_languages(ws))
            except Exception:
                ws.close()
                raise
        f = CreatorFilter(
            platform=platform, tier=tier, min_followers=min_followers, max_followers=max_followers,
            min_er=min_er, max_er=max_er, country=country, category=category, niche=niche,
            min_focus=min_focus, transparency_below=transparency_below, min_quality=min_quality,
            search=search, min_posts=min_posts, language=language.lower() if language else None,
        )  # fmt: skip
        wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
        fmt = output_format(fmt, out)  # `--out x.parquet` writes every column, as --format does
        try:  # closed on every path, a user error included
            if wanted is None and fmt == "table":
                available = ws.scorecard(scheme).columns
                wanted = [c for c in (*LIST_COLUMNS, "main_niche") if c in available]
            page = ws.search(
                f, sort, "asc" if ascending else "desc", limit or None, cursor,
                columns=wanted, scheme=scheme,
            )  # fmt: skip
        except UnknownColumnError as exc:
            raise OptionError(f"--columns: {exc}") from exc
        finally:
            ws.close()
        print_rows(page.rows, fmt, title=f"{page.rows.num_rows} creators", out=out)
        if page.next_cursor:  # on stderr: stdout stays the rows (CSV, JSON) alone
            err_console.print(
                f"next page: --cursor {page.next_cursor}", markup=False, soft_wrap=True
            )


SCORE_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Reach",
        ["followers", "tier", "avg_views", "median_views", "view_rate", "follower_growth_30d",
         "follower_growth_30d_pct", "posts_per_week"],
    ),
    (
        "Engagement (mean / median)",
        ["er_followers_lc", "er_followers_lcs", "er_followers_lcss", "er_views_lc", "er_views_lcs",
         "er_reach_lc"],
    ),
    ("Interaction", ["avg_likes", "avg_comments", "avg_shares", "comments_per_100_likes"]),
]  # fmt: skip


@app.command()
def show(
    handle: Annotated[str, typer.Argument(help="Creator handle (with or without @).")],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="When the handle exists on several platforms.")] = None,
    fmt: FormatOption = "table",
    out: Annotated[
        Path | None, typer.Option(help="Write --format csv/json/parquet to this file (stdout if none).")
    ] = None,
    scheme: Annotated[str | None, typer.Option(help="Tier under this scheme (name or TOML path).")] = None,
) -> None:
    """One creator's scorecard: metrics with n, percentiles and the published benchmark beside them."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:  # closed on every path: a user error (an ambiguous handle) must not leak it
            row = ws.creator(handle, platform, scheme=scheme)
            prices = ws.prices(row).model_dump(mode="json")
            brands_of, contact_rows = ws.creator_brands(row), ws.contacts(row)
        finally:
            ws.close()
        fmt = output_format(fmt, out)
        if fmt == "json":
            extras = {"brands": brands_of, "contacts": contact_rows}
            text = json.dumps({**row, "prices": prices, **extras}, default=str, ensure_ascii=False, indent=1)
            emit(text.encode("utf-8"), out)
            return
        if fmt != "table":  # csv, parquet (or an unknown format, which print_rows names)
            print_rows(one_row_table({**row, "prices": prices}), fmt, out=out)
            return
        render_scorecard(row)
        render_prices(prices)
        render_creator_extras(brands_of, contact_rows)


def _former_handles(row: dict[str, Any]) -> list[tuple[str, str]]:
    former = row.get("former_handles") or []
    if not former:
        return []
    text = ", ".join(
        f"@{f['handle']} (until {f['until']:%Y-%m-%d}; {f['reason']})"
        if f.get("until")
        else f"@{f['handle']} ({f['reason']})"
        for f in former
    )
    return [("formerly", text)]

def render_prices(prices: dict[str, Any]) -> None:
    """The price section of `show`: the planner's estimate per deliverable (Workspace.prices)."""
    from creatorlens.presentation._plan import price_rows

    view = price_rows(prices)
    table = Table(title=f"Estimated prices ({prices['currency']})", header_style="bold")
    for _, label in view["columns"]:
        table.add_column(label)
    for item in view["rows"]:
        table.add_row(*[item[key] for key, _ in view["columns"]])
    console.print(table)
    console.print(f"  [dim]{view['note']}[/]", soft_wrap=True)


def render_scorecard(row: dict[str, Any]) -> None:
    from creatorlens.presentation._labels import capabilities, shown_er

    title = f"@{row['handle']} on {row['platform']}" + (
        f" — {row['display_name']}" if row.get("display_name") else ""
    )
    console.rule(title)
    console.print(
        key_values(
            [
                ("tier", f"{row.get('tier') or '—'} (scheme {row.get('tier_scheme')})"),
                ("country", row.get("country") or "—"),
                ("categories", row.get("categories") or "—"),
                (
                    "posts measured (n)",
                    f"{row.get('n_posts', 0)} ({row.get('er_source') or 'no data'})",
                ),
                (
                    "window",
                    f"{fmt_value(row.get('window_start'))} → {fmt_value(row.get('window_end'))}",
                ),
                *_former_handles(row),
            ]
        )
    )
    for title_, keys in SCORE_SECTIONS:
        table = Table(title=title_, title_justify="left", header_style="bold")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key in keys:
            if f"{key}_mean" in row:
                mean, median = row.get(f"{key}_mean"), row.get(f"{key}_median")
                value = f"{fmt_value(mean, key)} / {fmt_value(median, key)}"
            else:
                value = fmt_value(row.get(key), key)
            table.add_row(key, value)
        console.print(table)
    bench = Table(title="Benchmarks", title_justify="left", header_style="bold")
    for c in (
        "ER (median)",
        "percentile in platform × tier",
        "percentile among near-size peers",
        "published figure",
    ):
        bench.add_column(c)
    published = "—"
    if row.get("benchmark_er") is not None:
        published = f"{row['benchmark_source']}"
        if row.get("benchmark_formula_differs"):
            published += "  [yellow](formula differs from ours)[/]"
    bench.add_row(
        fmt_value(shown_er(row), "er_followers_lc_median"),
        fmt_value(row.get("er_percentile_tier"), "er_percentile"),
        fmt_value(row.get("er_percentile_peers"), "er_percentile"),
        published,
    )
    console.print(bench)
    extras = capabilities(row)  # the same columns as the creator page, the report and the API
    if extras:
        console.print(
            key_values(
                [(k, v if isinstance(v, str) else fmt_value(v, k)) for k, v in extras],
                title="Content, transparency, authenticity",
            )
        )
    reasons = json.loads(row.get("null_reasons") or "{}")
    for metric, why in reasons.items():
        console.print(f"  [dim]{metric} is empty: {why}[/]")


@app.command()
def tiers(
    db: DbOption = DEFAULT_DB,
    scheme: Annotated[str, typer.Option(help="Tier scheme name or TOML path.")] = "seed",
    list_: Annotated[bool, typer.Option("--list", help="List the packaged schemes.")] = False,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Creators per platform and tier under a scheme."""
    with user_errors():
        if list_:
            from creatorlens.tiers import TierScheme, available_schemes

            for name in available_schemes():
                s = TierScheme.load(name)
                console.print(f"[bold]{name}[/] ({s.source}): " + ", ".join(t.label for t in s.tiers))
            return
        ws = open_workspace(db, must_exist=True)
        print_rows(ws.tiers(scheme).to_pyarrow(), fmt, title=f"tiers ({scheme})", out=out)
        ws.close()
