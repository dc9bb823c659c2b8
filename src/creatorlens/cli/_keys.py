"""`creatorlens keys create|list|revoke`: API keys for the REST API (only hashes are stored)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    fail,
    fmt_value,
    open_workspace,
    user_errors,
)

keys_app = typer.Typer(
    help="API keys for the REST API's write endpoints (and reads, if required).",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create(
    name: Annotated[
        str, typer.Option(help="What the key is for (shown by `keys list`).")
    ] = "default",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Make a key and print it once; the workspace keeps only its SHA-256 hash."""
    from creatorlens.web import create_key  # the web stack loads only when a key command runs

    with user_errors():
        ws = open_workspace(db, must_exist=True)
        key_id, key = create_key(ws.store, name)
        ws.close()
    console.print(
        f"key id {key_id} ({name}); send it as the X-API-Key header. It is shown only now:"
    )
    console.print(key, markup=False)


@keys_app.command("list")
def list_(db: DbOption = DEFAULT_DB) -> None:
    """List keys (ids, names, dates; never the keys)."""
    from creatorlens.web import list_keys

    with user_errors():
        ws = open_workspace(db, must_exist=True)
        keys = list_keys(ws.store)
        ws.close()
    table = Table(header_style="bold")
    for column in ("key id", "name", "created", "revoked"):
        table.add_column(column)
    for k in keys:
        table.add_row(k.key_id, k.name, fmt_value(k.created_at), fmt_value(k.revoked_at))
    console.print(table)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id `keys list` shows.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    from creatorlens.web import revoke_key

    with user_errors():
        ws = open_workspace(db, must_exist=True)
        done = revoke_key(ws.store, key_id)
        ws.close()
    if not done:
        fail(f"no active key with id {key_id!r}; see `creatorlens keys list`")
    console.print(f"revoked {key_id}")
