"""The layering of pyproject.toml's import-linter contracts holds: interfaces -> presentation ->
workspace -> ingest/demo -> domain -> store, and the domain imports no interface, no web or
terminal stack and no database driver (issue 12). Imports inside functions count too."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    configuration.configure()  # what the `lint-imports` command does before it lints
    kept = use_cases.lint_imports(config_filename=str(PYPROJECT), no_logo=True, cache_dir=None)
    report = capsys.readouterr().out
    assert kept, f"import-linter contracts broken:\n{report}"
    assert "3 kept, 0 broken" in report, report
