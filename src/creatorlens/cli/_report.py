"""`creatorlens report`: one self-contained HTML file (charts inline), or its PDF, for a creator
or a plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    fail,
    open_workspace,
    user_errors,
)
from creatorlens.errors import MissingFileError, OptionError


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The file to write (.html or .pdf).")],
    creator: Annotated[str | None, typer.Option("--creator", help="Creator handle.")] = None,
    platform: Annotated[
        str | None, typer.Option(help="When the handle exists on several platforms.")
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="A plan JSON (`creatorlens plan ... --out plan.json`)."),
    ] = None,
    lang: Annotated[str, typer.Option(help="en | ko")] = "en",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="html | pdf (default: from the --out suffix, else html). PDF prints the HTML with "
            "a headless Chromium.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a report a marketer can email: one HTML file (no network needed to open it) or a PDF."""
    if (creator is None) == (plan is None):
        fail("give exactly one of --creator HANDLE or --plan plan.json")
    if lang not in ("en", "ko"):
        fail(f"--lang {lang!r}: choose en or ko")
    fmt = fmt or ("pdf" if out.suffix.lower() == ".pdf" else "html")
    if fmt not in ("html", "pdf"):
        fail(f"--format {fmt!r}: choose html or pdf")
    # the report stack (jinja2, altair) loads only when a report is written
    from creatorlens.presentation import _context as ctx
    from creatorlens.report import (
        PdfError,
        html_to_pdf,
        render_creator_report,
        render_plan_report,
    )

    with user_errors():
        if plan is not None:
            if not plan.exists():
                raise MissingFileError(f"{plan}: file not found")
            try:
                data = json.loads(plan.read_text("utf-8"))
            except json.JSONDecodeError as exc:
                raise OptionError(f"{plan}: not JSON ({exc.msg} at line {exc.lineno})") from exc
            if not isinstance(data, dict) or "creators" not in data:
                raise OptionError(
                    f"{plan}: not a plan (no 'creators'); "
                    "write one with `creatorlens plan --out plan.json`"
                )
            html = render_plan_report(ctx.plan(data, lang=lang), lang)
        else:
            assert creator is not None
            ws = open_workspace(db, must_exist=True)
            html = render_creator_report(ctx.creator(ws, creator, platform, lang=lang), lang)
            ws.close()
        if fmt == "pdf":
            try:
                html_to_pdf(html, out)
            except PdfError as exc:
                fail(f"{out}: {exc}")
        else:
            out.write_text(html, encoding="utf-8")
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained {fmt.upper()})")
