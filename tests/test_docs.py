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
