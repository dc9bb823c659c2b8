"""`creatorlens communities`: the interaction graph's communities and their local leaders."""

from __future__ import annotations

from typing import Annotated

import typer

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    OutOption,
    app,
    open_workspace,
    print_rows,
    user_errors,
)


@app.command()
def communities(
    db: DbOption = DEFAULT_DB,
    community: Annotated[
        str | None, typer.Option(help="List this community's creators (e.g. c1), best local leader first.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0 = all).")] = 20,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Communities of the interaction graph (Leiden; docs/communities.md), or one community's creators."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        if community is None:
            t = ws.communities()
            total = t.count().execute()
            rows = (t.limit(limit) if limit else t).to_pyarrow()
            title = f"communities: {total:,}"
        else:
            rows = ws.community_members(community, limit or 1_000_000).to_pyarrow()
            title = f"community {community}: {rows.num_rows:,} creators shown"
        print_rows(rows, fmt, title=title, out=out)
        ws.close()
