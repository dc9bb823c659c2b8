"""`creatorlens brands`, `brand`, `safety` and `contacts` (issue 14; docs/brands.md)."""

from __future__ import annotations

import json
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
    fmt_value,
    key_values,
    open_workspace,
    print_rows,
    user_errors,
)

BrandsOption = Annotated[
    Path | None,
    typer.Option(
        "--brands",
        help="Brand file (TOML [[brand]] name/handles/hashtags, or CSV brand,kind,value); "
        "default: $CREATORLENS_BRANDS.",
    ),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write csv/json/parquet to this file.")]
SUMMARY_COLUMNS = [
    "brand", "source", "creators", "posts", "sponsored_posts", "share_of_voice", "median_er",
    "compliance_us", "compliance_us_low", "compliance_us_high", "last_post",
]  # fmt: skip


def _arrow(frame: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


@app.command()
def brands(
    db: DbOption = DEFAULT_DB,
    book: BrandsOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Brands shown (most posts first).")] = 50,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Brands the posts name (brand file, paid partners, disclosures, mentions): creators, posts,
    share of voice, engagement and disclosure compliance of their sponsored posts."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:
            table = ws.brands(book)
        finally:
            ws.close()
        if fmt == "table":
            table = table[[c for c in SUMMARY_COLUMNS if c in table.columns]]
        print_rows(_arrow(table.head(limit)), fmt, title="Brands", out=out)


@app.command()
def brand(
    name: Annotated[str, typer.Argument(help="Brand name (as `brands` lists it).")],
    competitors: Annotated[
        str | None, typer.Option(help="Competing brands, comma-separated, shown side by side.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    book: BrandsOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One brand beside its competitors: share of voice among them, engagement, disclosure
    compliance, and the creators who post about each."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:
            names = [c.strip() for c in (competitors or "").split(",") if c.strip()]
            result = ws.brand(name, names, book)
        finally:
            ws.close()
        summary = result["brands"]
        if fmt == "json":
            records = summary.astype(object).where(summary.notna(), None).to_dict("records")
            console.print_json(
                json.dumps(
                    {"brands": records, "creators": result["creators"]}, default=str, ensure_ascii=False
                )
            )
            return
        side = Table(title="Side by side", header_style="bold")
        side.add_column("")
        for b in summary["brand"]:
            side.add_column(str(b), justify="right")
        for column in summary.columns[1:]:
            side.add_row(column, *[fmt_value(v, column) for v in summary[column]])
        console.print(side)
        for b, people in result["creators"].items():
            rows = [
                (
                    f"@{p['handle']} ({p['platform']})",
                    f"{p['posts']} posts, {p['sponsored_posts']} sponsored, last {p['last_post']}",
                )
                for p in people
            ]
            console.print(key_values(rows, title=f"Creators posting about {b}"))


@app.command()
def safety(
    handle: Annotated[str, typer.Argument(help="Creator handle.")],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option()] = None,
    keywords: Annotated[
        Path | None,
        typer.Option(help="Your keyword list: one term per line, or 'category,term' lines."),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Brand safety of a creator: share of flagged posts per category (95% interval), the
    safety score and the flagged posts with the terms that matched."""
    with user_errors():
        words = _keywords(keywords) if keywords is not None else None
        ws = open_workspace(db, must_exist=True)
        try:
            result = ws.safety(handle, platform, keywords=words)
        finally:
            ws.close()
        if fmt == "json":
            console.print_json(json.dumps(result, default=str, ensure_ascii=False))
            return
        render_safety(result)


def _keywords(path: Path) -> dict[str, list[str]]:
    from creatorlens.errors import OptionError

    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise OptionError(f"--keywords {str(path)!r}: {exc.strerror or exc}") from exc
    groups: dict[str, list[str]] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        category, _, term = text.partition(",") if "," in text else ("custom", "", text)
        groups.setdefault(category.strip() or "custom", []).append(term.strip())
    return groups


def render_safety(result: dict[str, Any]) -> None:
    scores = result["scores"]
    if not scores:
        console.print("no posts screened (run `creatorlens score`)")
        return
    score = "—"
    if scores["safety_score"] is not None:
        low, high = scores["safety_score_low"], scores["safety_score_high"]
        score = f"{scores['safety_score']:.0f} (95% {low:.0f}–{high:.0f})"
    share = fmt_value(scores["flagged_share"], "flagged_share")
    pairs = [
        ("safety score", score),
        ("posts checked", str(scores["posts_checked"])),
        ("flagged posts", f"{scores['flagged_posts']} ({share})"),
    ]
    for key, value in scores.items():
        if key.endswith("_posts") and key not in ("flagged_posts", "comment_flagged_posts") and value:
            category = key[: -len("_posts")]
            unit_of = f"{category}_share"
            shown = [fmt_value(scores[f"{category}_{p}"], unit_of) for p in ("share", "low", "high")]
            pairs.append((category, f"{value} posts, {shown[0]} (95% {shown[1]}–{shown[2]})"))
    if scores.get("comment_posts_checked"):
        pairs.append(
            (
                "comments",
                f"flagged on {scores['comment_flagged_posts']} of {scores['comment_posts_checked']} posts",
            )
        )
    console.print(key_values(pairs, title="Brand safety"))
    for post in result["flagged"]:
        console.print(f"  [bold]{post['category']}[/] {post['posted_at']} {post['source']}: {post['terms']}"
                      + (f"  {post['url']}" if post.get("url") else ""))  # fmt: skip


@app.command()
def contacts(
    handle: Annotated[str | None, typer.Argument(help="One creator (default: every creator).")] = None,
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option()] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Public contact details (emails, link-in-bio and website URLs, phones) found in bios and
    profile fields; nothing is guessed."""
    import pandas as pd

    with user_errors():
        ws = open_workspace(db, must_exist=True)
        try:
            if handle is None:
                table = ws.contact_table()
            else:
                table = pd.DataFrame(ws.contacts(handle, platform), columns=["kind", "value", "source"])
        finally:
            ws.close()
        print_rows(_arrow(table), fmt, title="Contacts", out=out)


def render_creator_extras(brands_of: list[dict[str, Any]], contact_rows: list[dict[str, str]]) -> None:
    """`show`: past sponsors and brands posted about, and the public contacts."""
    if brands_of:
        rows = [
            (
                b["brand"],
                f"{b['sponsored_posts']} sponsored of {b['posts']} posts, "
                f"{b['first_post']} – {b['last_post']}",
            )
            for b in brands_of[:10]
        ]
        console.print(key_values(rows, title="Brands (past sponsors first)"))
    if contact_rows:
        console.print(
            key_values([(c["kind"], f"{c['value']} ({c['source']})") for c in contact_rows], title="Contacts")
        )
