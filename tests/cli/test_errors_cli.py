"""Only a UserError is the user's (exit 2, one line); anything else is a bug: exit 1, an error
id, and the traceback in a log file (docs/errors.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import creatorlens.cli
from creatorlens import Workspace
from creatorlens._bug_report import LOG_DIR_ENV
from creatorlens.cli import app
from creatorlens.errors import OptionError

runner = CliRunner()


@pytest.fixture
def db(tiny_db: Path) -> Path:
    return tiny_db


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv(LOG_DIR_ENV, str(folder))
    return folder


def _one_log(folder: Path) -> str:
    logs = sorted(folder.glob("error-*.log"))
    assert len(logs) == 1, logs
    return logs[0].read_text(encoding="utf-8")


def test_a_value_error_inside_a_command_is_a_bug_not_bad_input(
    db: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Workspace, **kwargs: object) -> None:
        raise ValueError("an index went out of step")

    monkeypatch.setattr(Workspace, "score", broken)
    result = runner.invoke(app, ["score", "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "internal error" in result.output
    assert "ValueError: an index went out of step" in result.output
    error_id = result.output.split("error id ", 1)[1].split(")", 1)[0]
    assert len(error_id) == 12
    log = _one_log(log_dir)
    assert str(log_dir) in result.output.replace("\n", "")
    assert log.startswith(f"creatorlens error id {error_id}")
    assert "Traceback (most recent call last)" in log
    assert "ValueError: an index went out of step" in log
    assert "in broken" in log  # the frame that raised is in the file


def test_a_user_error_is_one_line_and_exit_2(db: Path, log_dir: Path) -> None:
    result = runner.invoke(app, ["score", "--db", str(db), "--since", "not a date"])
    assert result.exit_code == 2, result.output
    assert "error: --since 'not a date' is not a date" in result.output
    assert "internal error" not in result.output
    assert not log_dir.exists()  # no traceback written for the user's own mistake


def test_main_is_the_last_guard(monkeypatch: pytest.MonkeyPatch, log_dir: Path) -> None:
    def bug(**kwargs: object) -> None:
        raise KeyError("creator_id")

    def mistake(**kwargs: object) -> None:
        raise OptionError("--limit -1: must be at least 0")

    monkeypatch.setattr(sys, "argv", ["creatorlens", "creators"])
    monkeypatch.setattr(creatorlens.cli, "app", bug)
    with pytest.raises(SystemExit) as bug_exit:
        creatorlens.cli.main()
    assert bug_exit.value.code == 1
    assert "KeyError: 'creator_id'" in _one_log(log_dir)

    monkeypatch.setattr(creatorlens.cli, "app", mistake)
    with pytest.raises(SystemExit) as mistake_exit:
        creatorlens.cli.main()
    assert mistake_exit.value.code == 2
    assert len(list(log_dir.glob("error-*.log"))) == 1  # still only the bug's


def test_a_broken_scoring_step_fails_score_and_names_the_step(
    db: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``None`` in sys.modules makes the step's ``from ... import`` raise ImportError, as a
    # syntax error or a missing dependency in the step's module would.
    monkeypatch.setitem(sys.modules, "creatorlens.content._disclosure_step", None)
    result = runner.invoke(app, ["score", "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "scoring step 'disclosure' failed" in result.output
    log = _one_log(log_dir)
    assert "ModuleNotFoundError: import of creatorlens.content._disclosure_step halted" in log
    with Workspace(db, read_only=True) as ws:  # nothing of the failed run was published
        assert not ws.store.has_table("scorecard")
        assert not ws.store.has_table("content_scores")
