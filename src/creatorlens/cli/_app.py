"""The typer application and what every command shares (workspace option, errors, output)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from creatorlens.presentation._i18n import Catalog, catalog
from creatorlens.presentation._values import format_value

if TYPE_CHECKING:
    import pyarrow as pa

    from creatorlens._workspace import Workspace

# No pandas, ibis, duckdb or pyarrow at import: `creatorlens --help` and typer's parsing must not
# pay for them (benchmarks/bench_startup.py). Commands import the core inside their body.

app = typer.Typer(
    name="creatorlens",
    help="Influencer-marketing intelligence: ingest creator data, tier it, score it, plan campaigns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False)


def user_error_types() -> tuple[type[Exception], ...]:
    """Errors that are the user's to fix: printed as one line, exit status 2, no traceback.

    Only :class:`creatorlens.errors.UserError`: a ValueError, a FileNotFoundError or any other
    exception is a bug (exit status 1, traceback to a log file; docs/errors.md)."""
    from creatorlens.errors import UserError  # the standard library only: cheap at start-up

    return (UserError,)


def report_bug(exc: BaseException) -> NoReturn:
    """A failure that is no UserError: one short line, the error id and where its traceback
    went, exit status 1. The user learns it is not their input and what to send with a report."""
    from rich.markup import escape

    from creatorlens._bug_report import write_traceback

    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])  # the command line, for the log
    error_id, path = write_traceback(exc, command)
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if len(summary) > 200:
        summary = summary[:199] + "…"
    where = f"traceback in {path}" if path is not None else "no log file could be written"
    err_console.print(
        f"[bold red]internal error[/] (error id {error_id}): {escape(summary)}\n"
        f"  a bug in creatorlens, not in your input; {escape(where)}",
        markup=True,
        soft_wrap=True,
    )
    raise typer.Exit(1)


DbOption = Annotated[
    Path,
    typer.Option("--db", help="Workspace file (DuckDB).", envvar="CREATORLENS_DB", show_default=True),
]
#: Same as creatorlens.store.DEFAULT_PATH (tests/cli/test_startup.py checks they agree).
DEFAULT_DB = Path("creatorlens.duckdb")
SchemeOption = Annotated[
    str,
    typer.Option("--scheme", help="Tier scheme name (see `creatorlens tiers --list`) or TOML path."),
]
FormatOption = Annotated[str, typer.Option("--format", help="table | csv | json | parquet")]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write the rows to this file; the format is --format, else the suffix "
        "(.csv, .json, .parquet).",
    ),
]
#: The data formats a file suffix selects when --out is given without --format.
FORMAT_OF_SUFFIX = {".csv": "csv", ".json": "json", ".parquet": "parquet"}


def output_format(fmt: str, out: Path | None) -> str:
    """The format to write: --format, or the suffix of --out when --format was left at table."""
    fmt = fmt.lower()
    if out is None or fmt != "table":
        return fmt
    chosen = FORMAT_OF_SUFFIX.get(out.suffix.lower())
    if chosen is None:
        fail(f"--out {out}: give --format csv, json or parquet, or a .csv, .json or .parquet file")
    return chosen


def fail(message: str, code: int = 2) -> NoReturn:
    from rich.markup import escape  # a message is text: "creatorlens[semantic]" is not markup

    err_console.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def open_workspace(db: Path, *, must_exist: bool = False, write: bool = False) -> Workspace:
    """Open the workspace read-only (many processes at once, a running server included) or,
    with ``write``, read-write (one process; waits for the lock up to CREATORLENS_LOCK_TIMEOUT
    seconds). `score` opens read-only: it takes the write lock only to publish its results."""
    if must_exist and str(db) != ":memory:" and not Path(db).exists():
        fail(
            f"{db}: no workspace here; create one with "
            f"`creatorlens ingest FILE --db {db}` or `creatorlens demo`"
        )
    from creatorlens._workspace import Workspace
    from creatorlens.store._store import lock_timeout

    return Workspace(db, read_only=not write and str(db) != ":memory:", wait=lock_timeout())


#: How a value reads in a table: the one formatter of the CLI, the pages and the reports.
fmt_value = format_value


#: Columns a table never breaks inside a value (a folded handle reads as two creators).
_UNBROKEN = frozenset({"handle", "creator_id", "post_id"})


def table_lang() -> str:
    """The language of table headers and labels in the terminal: ``CREATORLENS_LANG`` (en, ko;
    README). CSV, JSON and Parquet keep the column ids whatever the language."""
    return os.environ.get("CREATORLENS_LANG", "en").strip().lower()[:2] or "en"


def header_label(column: str) -> str:
    """A table column's header: its short human label (data/i18n ``[short_columns]``)."""
    return catalog(table_lang()).short_column(column)


def print_rows(
    rows: pa.Table, fmt: str = "table", *, title: str | None = None, out: Path | None = None
) -> None:
    """Write a result table in the requested format (stdout, or ``out`` for files)."""
    fmt = output_format(fmt, out)
    if fmt == "table":
        table = Table(title=title, show_lines=False, header_style="bold")
        for name in rows.column_names:
            table.add_column(
                header_label(name),
                overflow="fold",
                no_wrap=name in _UNBROKEN,
                justify="right" if _numeric(rows, name) else "left",
            )
        labels = catalog(table_lang())
        for rec in rows.to_pylist():
            table.add_row(*[_cell(labels, c, rec[c]) for c in rows.column_names])
        console.print(table)
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        buf = io.BytesIO()
        pacsv.write_csv(rows, buf)
        emit(buf.getvalue(), out)
    elif fmt == "json":
        text = json.dumps(rows.to_pylist(), ensure_ascii=False, default=str, indent=1)
        emit(text.encode("utf-8"), out)
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        if out is None:
            fail("--format parquet needs --out FILE")
        pq.write_table(rows, out)
    else:
        fail(f"--format {fmt!r}: choose table, csv, json or parquet")


def _cell(labels: Catalog, column: str, value: Any) -> str:
    """A table cell: a coded value's label, else the value formatted by its column's unit."""
    if value is None:
        return fmt_value(value, column)
    label = labels.cell(column, value)
    return fmt_value(value, column) if label is None else label


def one_row_table(record: dict[str, Any]) -> pa.Table:
    """One record as a one-row table for CSV/Parquet: nested values (lists, mappings) become
    their JSON text, so every field survives in a flat file."""
    import pyarrow as pa

    flat = {
        key: json.dumps(value, default=str, ensure_ascii=False)
        if isinstance(value, (dict, list, tuple))
        else value
        for key, value in record.items()
    }
    return pa.Table.from_pylist([flat])


def emit(data: bytes, out: Path | None) -> None:
    """Bytes to ``out``, or to stdout with nothing else on it (JSON, CSV)."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)


def _numeric(rows: pa.Table, name: str) -> bool:
    import pyarrow as pa

    t = rows.schema.field(name).type
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def key_values(pairs: Iterable[tuple[str, Any]], title: str | None = None) -> Table:
    table = Table(title=title, show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in pairs:
        table.add_row(key, value if isinstance(value, str) else fmt_value(value, key))
    return table


@contextlib.contextmanager
def step_progress(total: int) -> Iterator[Callable[[str, float | None], None]]:
    """A ``Workspace.score(on_step=...)`` reporter. On a terminal: a rich progress bar with the
    running step and its elapsed time. Otherwise (a log, a pipe, CI): one plain line per finished
    step on stderr, so stdout stays the command's output."""
    if not err_console.is_terminal:

        def plain(name: str, seconds: float | None) -> None:
            if seconds is not None:
                err_console.print(f"  {name} {seconds:.1f}s", markup=False, highlight=False)

        yield plain
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("scoring", total=total)

        def update(name: str, seconds: float | None) -> None:
            if seconds is None:
                bar.update(task, description=f"scoring: {name}")
            else:
                bar.advance(task)
                bar.console.print(f"  {name} {seconds:.1f}s", markup=False, highlight=False)

        yield update


def score_step_count(steps: Iterable[str] | None = None) -> int:
    """How many progress events a full score run ends: engagement, each step, publish."""
    from creatorlens._steps import SCORING_STEPS

    return 2 + (len(list(steps)) if steps is not None else len(SCORING_STEPS))


def split_csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can fix into one clear line and exit status 2, and any other
    exception into a bug report (exit status 1, traceback in a log file)."""
    try:
        yield
    except (SystemExit, typer.Exit, typer.Abort):  # a command's own exit loads nothing
        raise
    except user_error_types() as exc:
        fail(str(exc))
    except Exception as exc:  # anything else is a bug
        report_bug(exc)
