"""`creatorlens train ...`: reproducible training of the packaged models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creatorlens.cli._app import app, console, user_errors
from creatorlens.errors import MissingFileError

train_app = typer.Typer(help="Train and evaluate the packaged models.", no_args_is_help=True)
app.add_typer(train_app, name="train")

_PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "data" / "models" / "fake_account_v1.json"


@train_app.command("authenticity")
def train_authenticity(
    data: Annotated[
        Path | None,
        typer.Option(help="Folder holding instafake/ and ig-fake-spammer-kaggle/."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the model JSON.")] = _PACKAGED_MODEL,
    markdown: Annotated[
        list[Path] | None,
        typer.Option(help="Markdown file(s) whose generated evaluation block to refresh."),
    ] = None,
    repeats: Annotated[int, typer.Option(help="CV repeats (different fold seeds).")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the first CV repeat.")] = 0,
) -> None:
    """Train the fake-account model (InstaFake + Kaggle, stratified CV); write JSON + metrics."""
    with user_errors():
        from creatorlens.authenticity._training import (
            default_data_dir,
            read_training_sets,
            render_evaluation_markdown,
            train_fake_account_model,
            write_training_outputs,
        )

        folder = data or default_data_dir()
        if not (folder / "instafake").is_dir():
            raise MissingFileError(f"{folder}: no instafake/ folder here; pass --data DIR")
        result = train_fake_account_model(read_training_sets(folder), repeats=repeats, seed=seed)
        write_training_outputs(result, out, list(markdown or []))
        console.print(render_evaluation_markdown(result.report), markup=False)
        console.print(f"model written to {out}")
