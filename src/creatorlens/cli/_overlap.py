"""`creatorlens overlap HANDLE...`: audience overlap matrix and unique reach (Workspace.overlap)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from creatorlens.cli._app import DEFAULT_DB, DbOption, app, console, open_workspace, user_errors


def _count(low: float, mid: float, high: float) -> str:
    if low == mid == high:
        return f"{mid:,.0f}"
    return f"{mid:,.0f} ({low:,.0f}-{high:,.0f})"


@app.command("overlap")
def overlap_command(
    handles: Annotated[list[str], typer.Argument(help="2 to 100 creator handles.")],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="Platform of the handles.")] = None,
    convention: Annotated[
        str, typer.Option(help="Matrix cells: shared | jaccard | over_smaller.")
    ] = "over_smaller",
    out: Annotated[Path | None, typer.Option(help="Write the full result as JSON.")] = None,
) -> None:
    """Shared audience between creators, each one's exclusive audience and their unique reach,
    from follower samples (exact) or large follower lists (Theta sketches, with ranges)."""
    with user_errors():
        if convention not in ("shared", "jaccard", "over_smaller"):
            raise typer.BadParameter("convention: shared, jaccard or over_smaller")
        ws = open_workspace(db, must_exist=True)
        result = ws.overlap(handles, platform)
        ws.close()
    if out is not None:
        out.write_text(json.dumps(result.model_dump(), indent=1), encoding="utf-8")
    labels = [f"@{h.lstrip('@')}" for h in handles]
    table = Table(header_style="bold", title=f"audience overlap ({convention}; {result.basis})")
    table.add_column("")
    for label in labels:
        table.add_column(label, justify="right")
    matrix = getattr(result, convention)
    for i, label in enumerate(labels):
        cells = [
            f"{v:,.0f}" if convention == "shared" else f"{v:.1%}" for v in matrix[i]
        ]
        table.add_row(label, *cells)
    console.print(table)
    for label, size, alone in zip(labels, result.audience, result.exclusive, strict=True):
        console.print(
            f"{label}: audience {_count(size.low, size.mid, size.high)}, exclusive "
            f"{_count(alone.low, alone.mid, alone.high)}"
        )
    u = result.unique_reach
    console.print(f"unique reach of all {len(labels)}: {_count(u.low, u.mid, u.high)}")
