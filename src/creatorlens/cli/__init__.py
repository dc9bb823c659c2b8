"""Command-line interface: a thin shell over creatorlens.Workspace (one module per command group)."""

from __future__ import annotations

import sys

import click

from creatorlens.cli import _audit as _audit  # (registers commands)
from creatorlens.cli import _creators, _ingest, _keys, _report, _score, _serve  # noqa: F401  (register commands)  # noqa: F401  (web: keys, report, serve)
from creatorlens.cli import _demo as _demo  # (registers commands)
from creatorlens.cli import _plan as _plan  # (registers commands)
from creatorlens.cli import _train as _train  # (registers commands)
from creatorlens.cli._app import USER_ERRORS, app, fail

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: user errors print one line and exit 2; bugs keep their traceback."""
    command = typer_main()
    try:
        code = command.main(args=sys.argv[1:], prog_name="creatorlens", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(130)
    except USER_ERRORS as exc:
        try:
            fail(str(exc))
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)


def typer_main() -> click.Command:
    import typer.main

    return typer.main.get_command(app)
