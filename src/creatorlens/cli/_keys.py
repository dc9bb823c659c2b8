"""`creatorlens keys create|list|revoke`: API keys for the REST API (only hashes are stored).

The keys live in the workspace (the core's key store), so these commands need no web package
and work while `creatorlens serve` runs: the server lets go of the file for the moment of the
write and refuses a revoked key from its next request on."""

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
    with user_errors():
        ws = open_workspace(db, must_exist=True, write=True)
        key_id, key = ws.create_key(name)
        ws.close()
    console.print(
        f"key id {key_id} ({name}); send it as the X-API-Key header. It is shown only now:"
    )
    console.print(key, markup=False)


@keys_app.command("list")
def list_(db: DbOption = DEFAULT_DB) -> None:
    """List keys (ids, names, dates; never the keys)."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        keys = ws.keys()
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
    with user_errors():
        ws = open_workspace(db, must_exist=True, write=True)
        done = ws.revoke_key(key_id)
        ws.close()
    if not done:
        fail(f"no active key with id {key_id!r}; see `creatorlens keys list`")
    console.print(f"revoked {key_id}")
