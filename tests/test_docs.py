"""Documentation is part of the product: a command, a setting or a metric without docs fails here."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from creatorlens.cli import app
from creatorlens.store import SCORECARD

REPO = Path(__file__).resolve().parents[1]


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = typer.main.get_command(app)
    names = sorted(command.commands)  # type: ignore[attr-defined]
    assert names, "no commands registered"
    missing = [n for n in names if f"creatorlens {n}" not in readme]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_scorecard_column_is_defined_in_metrics_md() -> None:
    spec = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    missing = [c for c in SCORECARD.columns if f"`{c}`" not in spec and not _in_pair(c, spec)]
    assert not missing, f"scorecard columns without a definition in docs/metrics.md: {missing}"


def _in_pair(column: str, spec: str) -> bool:
    # "`er_followers_lcs_mean`, `er_followers_lcs_median`" rows define both
    return bool(re.search(rf"`{re.escape(column)}`", spec))


def test_readme_shows_the_two_commands_first() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("make demo") < readme.index("make test") < readme.index("Five-minute tour")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_errors_md_draws_the_error_tree_as_it_is() -> None:
    """docs/errors.md's tree names every class of creatorlens.errors under its real parent,
    with the HTTP status the web app answers with; its table says when each is raised."""
    import creatorlens.errors as errors

    doc = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    block = doc.split("## The tree", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    drawn: dict[str, tuple[str | None, list[str]]] = {}
    parents: list[str] = []
    for line in block.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 4
        name, *rest = line.split()
        parents[depth:] = [name]
        drawn[name] = (parents[depth - 1] if depth else None, rest)
    assert sorted(drawn) == sorted(errors.__all__)
    for name, (parent, notes) in drawn.items():
        cls = getattr(errors, name)
        ours = [b.__name__ for b in cls.__bases__ if issubclass(b, errors.CreatorlensError)]
        builtin = [b.__name__ for b in cls.__bases__ if b.__name__ not in (*ours, "Exception")]
        assert ours == ([parent] if parent else []), name
        status = [str(cls.http_status)] if issubclass(cls, errors.UserError) else []
        assert notes == status + (["also", *builtin] if builtin else []), name
        assert f"| `{name}` |" in doc, f"{name} has no row in the table of docs/errors.md"
