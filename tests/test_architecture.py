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


def test_ruff_is_clean_including_the_complexity_limit() -> None:
    """`make test` is what CI runs, so the lint rules of pyproject.toml (C901 at 15 among them,
    issue 12) are checked here too, not only by `make lint`."""
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    repo = PYPROJECT.parent
    done = subprocess.run(
        [str(ruff), "check", "src", "tests", "benchmarks", "scripts"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean_over_src_tests_benchmarks_and_scripts() -> None:
    """What `make typecheck` runs, in `make test` too (issue 12, "mypy covers tests/"): mypy strict
    over the package and over tests/, benchmarks/ and scripts/, with unused `type: ignore`s
    reported. About a minute of CPU on a cold cache (.mypy_cache/), seconds after."""
    import subprocess
    import sys
    import tomllib

    repo = PYPROJECT.parent
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True and config["warn_unused_ignores"] is True
    assert set(config["files"]) >= {"src/creatorlens", "tests", "benchmarks", "scripts"}
    assert "overrides" not in config  # no module is checked less strictly than the rest
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=repo, capture_output=True, text=True, check=False
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found"), done.stdout


def _imported_modules(path: Path, tests: Path) -> set[str]:
    """Every module ``path`` imports (also inside functions), relative imports resolved to dotted
    names under tests/ (``ingest.collect._helpers``); ``from . import x`` counts as module x."""
    import ast

    package = path.relative_to(tests).parent.parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}".lstrip(".") for alias in node.names)
    return found


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in helper modules (``_helpers.py``, ``webdata.py``) or conftest
    fixtures, never in a ``test_*.py`` that others import: importing one collects its tests twice
    and ties one test file's edits to another's."""
    tests = Path(__file__).resolve().parent
    offenders = sorted(
        f"{path.relative_to(tests)} imports {module}"
        for path in tests.rglob("*.py")
        for module in _imported_modules(path, tests)
        if module.rsplit(".", 1)[-1].startswith("test_")
    )
    assert offenders == []
