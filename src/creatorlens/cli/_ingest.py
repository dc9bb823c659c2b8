"""`creatorlens ingest` and `creatorlens quarantine`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    OutOption,
    app,
    console,
    open_workspace,
    print_rows,
    user_errors,
)
from creatorlens.errors import MissingFileError, OptionError

if TYPE_CHECKING:
    from creatorlens.ingest import FileReport

#: Files at least this large get a progress bar.
PROGRESS_MIN_BYTES = 5_000_000


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="CSV, TSV, JSON, JSONL, Parquet or XLSX files, or a fetch archive folder."),
    ],
    db: DbOption = DEFAULT_DB,
    platform: Annotated[
        str | None, typer.Option(help="instagram | tiktok | youtube, when the file does not say.")
    ] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD, repeatable.")
    ] = None,
    observed_at: Annotated[
        str | None,
        typer.Option(help="When the counts were observed (date), if the file does not say."),
    ] = None,
    handle: Annotated[
        str | None, typer.Option(help="Account handle, for API payloads that do not name it.")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Text encoding of CSV/TSV/JSON files (e.g. cp949, euc-kr, utf-16, latin-1); "
            "detected per file when not given."
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            help="rows: creator/post exports and API payloads; edges: an edge list of the "
            "interaction graph (source, target, kind, weight, time, platform)."
        ),
    ] = "rows",
) -> None:
    """Load files into the workspace; every row is loaded or quarantined with a reason."""
    from creatorlens.ingest import EDGE_FIELDS, parse_datetime, parse_map_options

    with user_errors():
        column_map = parse_map_options(map_ or [], EDGE_FIELDS if kind == "edges" else None)
        when: datetime | None = None
        if observed_at:
            parsed = parse_datetime(observed_at)
            if parsed.value is None:
                raise OptionError(f"--observed-at {observed_at!r}: {parsed.reason}")
            when = parsed.value
        for path in paths:
            if not path.exists():
                raise MissingFileError(f"{path}: file not found")
        ws = open_workspace(db, write=True)
        # An archive folder of `creatorlens fetch` is replayed response by response (issue 13).
        archives = [p for p in paths if p.is_dir()]
        paths = [p for p in paths if not p.is_dir()]
        for folder in archives:
            replay = ws.ingest_archive(folder)
            console.print(
                f"[green]ok[/] {folder} (archive): {replay.responses:,} responses = ingested "
                f"{replay.ingested:,} + not ingestible {replay.skipped:,} + quarantined "
                f"{replay.quarantined:,}; {replay.creators:,} creators, {replay.posts:,} posts"
            )
        if not paths:
            ws.close()
            return
        with Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            console=console, transient=True,
        ) as bar:  # fmt: skip

            def progress(path: Path, size: int):  # type: ignore[no-untyped-def]
                if size < PROGRESS_MIN_BYTES:
                    return lambda done: None
                task = bar.add_task(path.name, total=size)
                return lambda done: bar.update(task, completed=min(done, size))

            report = ws.ingest(
                paths, platform=platform, column_map=column_map, observed_at=when,
                handle=handle, progress=progress, encoding=encoding, kind=kind,
            )  # fmt: skip
        for file_report in report.files:
            _print_file(file_report)
        console.print(
            f"[bold]total[/]: read {report.rows_read:,} = loaded {report.rows_loaded:,} + "
            f"quarantined {report.rows_quarantined:,}  → workspace {db}"
        )
        ws.close()


def _print_file(r: FileReport) -> None:
    if r.already_ingested:
        # Nothing was read this time: say so, and what the earlier ingest of this content loaded.
        kind = ", ".join(x for x in (r.format, r.platform) if x)
        console.print(
            f"[yellow]unchanged[/] {r.file}{f' ({kind})' if kind else ''}: already in the workspace "
            f"— that ingest read {r.rows_read:,} = loaded {r.rows_loaded:,} + quarantined "
            f"{r.rows_quarantined:,}; {r.creators:,} creators, {r.posts:,} posts",
            soft_wrap=True,
        )
    else:
        encoding = f", {r.encoding} ({r.encoding_detected_by})" if r.encoding else ""
        console.print(
            f"[green]ok[/] {r.file} ({r.format}{encoding}{', ' + r.api if r.api else ''}, "
            f"{r.platform or 'platform unknown'}): read {r.rows_read:,} = loaded "
            f"{r.rows_loaded:,} + quarantined {r.rows_quarantined:,}; {r.creators:,} creators, "
            f"{r.posts:,} posts"
            + (f", {r.edges:,} edges" if r.edges else "")
            + (f", {r.null_cells:,} cells null with a reason" if r.null_cells else ""),
            soft_wrap=True,
        )
    for warning in r.warnings:
        console.print(f"  [yellow]note[/]: {warning}", soft_wrap=True)
    for limit in r.limits:
        console.print(f"  [cyan]API limit[/]: {limit}", soft_wrap=True)


@app.command()
def quarantine(
    db: DbOption = DEFAULT_DB,
    file: Annotated[
        str | None, typer.Option(help="Only rows of files whose path contains this.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0 = all).")] = 100,
    fmt: FormatOption = "table",
    out: OutOption = None,
    notes: Annotated[
        bool, typer.Option("--notes", help="List cells that became null instead.")
    ] = False,
) -> None:
    """List rejected input rows (file, row, column, reason)."""
    with user_errors():
        ws = open_workspace(db, must_exist=True)
        t = ws.value_notes() if notes else ws.quarantine(file)
        if notes and file:
            t = t.filter(t.file.contains(file))
        total = t.count().execute()
        rows = (t.limit(limit) if limit else t).to_pyarrow()
        title = f"{'null cells' if notes else 'quarantined rows'}: {total:,}"
        print_rows(rows, fmt, title=title, out=out)
        ws.close()
