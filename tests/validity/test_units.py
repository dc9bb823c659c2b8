"""Every value of every result table against its column's declared unit (store/_schema.py).

Run on the scored demo and on a workspace built from the real exports: a percentile stored on the
wrong scale, a fraction above 1 or a negative count fails here, whichever step wrote it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from creatorlens.store import RESULT_TABLES, UNITS, TableSpec, is_unit, unit_of

from .conftest import RealWorkspace, RecordFigure, ValidityDemo

_EPS = 1e-9
_NOT_FINITE = "(isnan({c}) OR isinf({c}))"
#: unit -> SQL predicate true for a value that breaks it ({c} = the quoted column).
VIOLATION: dict[str, str] = {
    "count": "{c} < 0",
    "amount": f"{{c}} < 0 OR {_NOT_FINITE}",
    "days": f"{{c}} < 0 OR {_NOT_FINITE}",
    "number": _NOT_FINITE,
    "fraction": f"{{c}} < -{_EPS} OR {{c}} > 1 + {_EPS} OR {_NOT_FINITE}",
    "percentile": f"{{c}} < -{_EPS} OR {{c}} > 1 + {_EPS} OR {_NOT_FINITE}",
    "percent": f"{{c}} < -{_EPS} OR {{c}} > 100 + {_EPS} OR {_NOT_FINITE}",
    "percentile100": f"{{c}} < -{_EPS} OR {{c}} > 100 + {_EPS} OR {_NOT_FINITE}",
    "score": f"{{c}} < -{_EPS} OR {{c}} > 100 + {_EPS} OR {_NOT_FINITE}",
    "rate": f"{{c}} < 0 OR {_NOT_FINITE}",
    "change": f"{{c}} < -1 - {_EPS} OR {_NOT_FINITE}",
    "money": f"{{c}} < 0 OR {_NOT_FINITE}",
    "id": "{c} = ''",
    "json": "NOT json_valid({c})",
}
#: DuckDB types a unit's values may have.
TYPES: dict[str, set[str]] = {
    "count": {"BIGINT"},
    "flag": {"BOOLEAN"},
    "timestamp": {"TIMESTAMP"},
    **{u: {"DOUBLE"} for u in ("amount", "days", "number", "fraction", "percentile", "percent",
                               "percentile100", "score", "rate", "change", "money")},
    **{u: {"VARCHAR"} for u in ("id", "text", "json")},
    "category": {"VARCHAR", "BIGINT"},  # a label, or a bin index such as peer_group
}  # fmt: skip


def unit_violations(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> tuple[list[str], int]:
    """Problems of one stored result table (undeclared columns, wrong types, values out of their
    unit), and how many values were checked."""
    stored = {name: typ for name, typ, *_ in con.execute(f'DESCRIBE "{spec.name}"').fetchall()}
    problems = [f"{spec.name}.{c}: no unit declared" for c in stored if spec.unit(c) is None]
    problems += [
        f"{spec.name}.{c}: declared but not written"
        for c in spec.units
        if not any(ch in c for ch in "*?[") and c not in stored
    ]
    rows = int(con.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()[0])  # type: ignore[index]
    checked = 0
    for column, typ in stored.items():
        unit = spec.unit(column)
        if unit is None:
            continue
        kind = "money" if unit.startswith("money:") else unit
        if typ not in TYPES[kind]:
            problems.append(f"{spec.name}.{column}: {unit} stored as {typ}")
            continue
        checked += rows
        if kind not in VIOLATION:
            continue
        quoted = f'"{column}"'
        predicate = VIOLATION[kind].format(c=quoted)
        bad = con.execute(
            f'SELECT count(*), min({quoted}), max({quoted}) FROM "{spec.name}" '
            f"WHERE {quoted} IS NOT NULL AND ({predicate})"
        ).fetchone()
        assert bad is not None
        if bad[0]:
            problems.append(
                f"{spec.name}.{column} ({unit}): {bad[0]} of {rows} values out of range "
                f"(min {bad[1]!r}, max {bad[2]!r})"
            )
    return problems, checked


def _check_workspace(path: Path) -> tuple[list[str], int, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {name for (name,) in con.execute("SHOW TABLES").fetchall()}
        problems: list[str] = []
        checked = 0
        tables = 0
        for spec in RESULT_TABLES.values():
            if spec.name not in present:
                continue
            tables += 1
            found, n = unit_violations(con, spec)
            problems += found
            checked += n
        return problems, checked, tables
    finally:
        con.close()


def test_every_result_column_declares_a_known_unit() -> None:
    for spec in RESULT_TABLES.values():
        for column in spec.columns:
            assert spec.unit(column) is not None, f"{spec.name}.{column}"
        for column, unit in spec.units.items():
            assert is_unit(unit), f"{spec.name}.{column}: {unit!r} is not one of {sorted(UNITS)}"
            kind = "money" if unit.startswith("money:") else unit
            if column in spec.columns:
                sql = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE",
                       "bool": "BOOLEAN", "timestamp": "TIMESTAMP"}[spec.columns[column]]  # fmt: skip
                assert sql in TYPES[kind], f"{spec.name}.{column}: {unit} as {sql}"
    assert unit_of("scorecard", "er_percentile_peers") == "percentile"
    assert unit_of("transparency_scores", "transparency_kr") == "fraction"
    assert unit_of("scorecard", "no_such_column") is None


def test_checker_finds_a_value_off_its_scale(tmp_path: Path) -> None:
    """The check is not vacuous: a percentile on 0-100 where 0-1 is declared fails it."""
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    spec = RESULT_TABLES["authenticity_scores"]
    good: dict[str, list[str | float | None]] = {c: [None, None] for c in spec.columns}
    good.update(creator_id=["a", "b"], audience_quality=[40.0, 250.0], fake_share=[0.2, -0.1])
    table = pa.Table.from_pydict(good, schema=pa.schema(
        [(c, {"string": pa.string(), "float64": pa.float64()}[t]) for c, t in spec.columns.items()]
    ))  # fmt: skip
    con.register("frame", table)
    con.execute('CREATE TABLE "authenticity_scores" AS SELECT * FROM frame')
    problems, _ = unit_violations(con, spec)
    assert any("audience_quality (score): 1 of 2" in p for p in problems), problems
    assert any("fake_share (fraction): 1 of 2" in p for p in problems), problems


@pytest.mark.parametrize("which", ["demo", "real"])
def test_result_tables_hold_their_units(
    which: str, request: pytest.FixtureRequest, record_figure: RecordFigure
) -> None:
    if which == "demo":
        path = request.getfixturevalue("validity_demo").path
        assert isinstance(request.getfixturevalue("validity_demo"), ValidityDemo)
    else:
        real = request.getfixturevalue("real_workspace")
        assert isinstance(real, RealWorkspace)
        path = real.path
    problems, checked, tables = _check_workspace(path)
    record_figure(
        section="units",
        estimate=f"every result table ({which})",
        truth="the unit each column declares in store/_schema.py",
        metric="values outside their unit",
        figure=float(len(problems)),
        n=checked,
        threshold="= 0",
    )
    assert tables >= 6, f"only {tables} result tables in the {which} workspace"
    assert not problems, "\n".join(problems)
