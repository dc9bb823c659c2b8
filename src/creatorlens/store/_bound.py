"""Run an Ibis expression with its values bound as DuckDB parameters instead of SQL text.

Ibis compiles every literal into the SQL string. Quoting makes that safe against injection, but
not against text DuckDB's parser cannot read (a NUL byte ends the statement: "unterminated quoted
string"), and user-typed text has no business in SQL text at all. ``fetch_bound`` compiles the
expression to a sqlglot tree, swaps every string and number literal for a named placeholder
(``$p0``, ``$p1`` ...) and hands the values to DuckDB separately. LIMIT/OFFSET stay literal (they
are ours, never a user's).
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends.duckdb import Backend


def bound_sql(backend: Backend, expr: ir.Expr) -> tuple[str, dict[str, Any]]:
    """The SQL text of ``expr`` with placeholders, and the values they stand for."""
    tree = backend.compiler.to_sqlglot(expr)
    values: dict[str, Any] = {}

    def bind(node: sge.Expression) -> sge.Expression:
        if (
            isinstance(node, sge.Literal)
            and (node.is_string or node.is_number)
            and not isinstance(node.parent, sge.Limit | sge.Offset)
        ):
            name = f"p{len(values)}"
            values[name] = node.this if node.is_string else _number(node.this)
            return sge.Placeholder(this=name)
        return node

    sql = tree.transform(bind, copy=True).sql(dialect=backend.dialect)
    return sql, values


def fetch_bound(backend: Backend, expr: ir.Table | ir.Scalar) -> Any:
    """``expr.to_pyarrow()`` with bound parameters: a pyarrow Table (or Scalar for a scalar)."""
    backend._run_pre_execute_hooks(expr)  # registers memtables the expression refers to
    sql, values = bound_sql(backend, expr)
    table: pa.Table = backend.con.execute(sql, values).to_arrow_table()
    return expr.__pyarrow_result__(table)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)
