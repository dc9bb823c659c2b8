"""Command-line interface: a thin shell over creatorlens.Workspace (one module per command group).

Each command module registers itself on ``app`` when imported below.
"""

from __future__ import annotations

import sys

import typer

from creatorlens.cli import (  # noqa: F401
    _audit,
    _brands,
    _communities,
    _creators,
    _demo,
    _discovery,
    _fetch,
    _ingest,
    _keys,
    _overlap,
    _plan,
    _report,
    _score,
    _serve,
    _train,
)
from creatorlens.cli._app import app, err_console, report_bug, user_error_types

__all__ = ["app", "main"]


def main() -> None:
    """Entry point. Commands turn user errors into one line and exit 2 themselves; this is the
    last guard for an error a command did not anticipate: a UserError still gets its one line,
    anything else is reported as a bug (exit 1, traceback in a log file; docs/errors.md)."""
    try:
        app(prog_name="creatorlens")
    except SystemExit:  # every normal end (typer exits); matched first, it loads nothing
        raise
    except user_error_types() as exc:
        err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(2)
    except Exception as exc:
        try:
            report_bug(exc)
        except typer.Exit as done:
            sys.exit(done.exit_code)
