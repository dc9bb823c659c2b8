"""`creatorlens --help` must not pay for the data stack: importing the CLI loads no pandas, Ibis,
DuckDB or pyarrow (timings are measured in benchmarks/bench_startup.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

HEAVY = ("pandas", "ibis", "duckdb", "pyarrow", "altair", "fastapi", "sklearn")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_data_stack() -> None:
    loaded = _modules_after("import creatorlens.cli")
    assert "creatorlens.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_help_loads_no_data_stack() -> None:
    code = (
        "import sys\nsys.argv = ['creatorlens', '--help']\nfrom creatorlens.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code"
    )
    loaded = _modules_after(code)
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_the_cli_default_workspace_is_the_store_default() -> None:
    from creatorlens.cli._app import DEFAULT_DB
    from creatorlens.store import DEFAULT_PATH

    assert DEFAULT_DB == DEFAULT_PATH


def test_a_user_error_still_exits_2_with_one_line() -> None:
    from creatorlens.cli import app

    result = CliRunner().invoke(app, ["show", "nobody", "--db", "/nonexistent/ws.duckdb"])
    assert result.exit_code == 2
    assert "no workspace here" in result.output


def test_show_loads_no_machine_learning_stack(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`show` reads a scored workspace: it needs no scikit-learn, scipy or Altair (the topic
    classifier, the statistics and the charts are for scoring and pages), and of the planner
    only the price estimator (not the optimiser and HiGHS)."""
    import creatorlens

    db = tmp_path / "ws.duckdb"
    with creatorlens.open(db) as ws:
        ws.demo(creators=40, posts_per_creator=5)
        handle, platform = ws.search(limit=1).rows.select(["handle", "platform"]).to_pylist()[0].values()
    code = (
        f"import sys\nsys.argv = ['creatorlens', 'show', {handle!r}, '--platform', {platform!r},"
        f" '--db', {str(db)!r}]\nfrom creatorlens.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code"
    )
    loaded = _modules_after(code)
    assert "creatorlens._workspace" in loaded  # it did read the workspace
    assert not {m for m in loaded if m.split(".")[0] in ("sklearn", "scipy", "altair", "highspy")}
    assert "creatorlens.planner._prices" in loaded  # the price section was shown
    assert not {"creatorlens.planner._plan", "creatorlens.planner._optimizer"} & loaded
    # its rows are read as plain SQL through the store: no Ibis import, no query compiled
    assert "creatorlens.content._brand_safety_step" in loaded  # the brands section was read
    assert not {m for m in loaded if m.split(".")[0] in ("ibis", "sqlglot")}
