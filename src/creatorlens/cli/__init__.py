"""Command-line interface: a thin shell over creatorlens.Workspace (one module per command group).

Each command module registers itself on ``app`` when imported below.
"""

from __future__ import annotations

import sys

from creatorlens.cli import (  # noqa: F401
    _audit,
    _creators,
    _demo,
    _ingest,
    _keys,
    _plan,
    _report,
    _score,
    _serve,
    _train,
)
from creatorlens.cli._app import app, err_console, user_error_types

__all__ = ["app", "main"]


def main() -> None:
    """Entry point. Commands turn user errors into one line and exit 2 themselves; this is the
    last guard for an error a command did not anticipate, so that users never see a traceback
    for a problem they can fix."""
    try:
        app(prog_name="creatorlens")
    except SystemExit:  # every normal end (typer exits); matched first, it loads nothing
        raise
    except user_error_types() as exc:
        err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(2)
