"""Run an Ibis expression with its values bound as DuckDB parameters instead of SQL text.

Ibis compiles every literal into the SQL string. Quoting makes that safe against injection, but
not against text DuckDB's parser cannot read (a NUL byte ends the statement: "unterminated quoted
string"), and user-typed text has no business in SQL text at all. ``fetch_bound`` compiles the
expression to a sqlglot tree, swaps every string and number literal for a named placeholder
(``$p0``, ``$p1`` ...) and hands the values to DuckDB separately. LIMIT/OFFSET stay literal (they
are ours, never a user's).

Compiling is most of a query's cost (100-200 ms for a creator search against ~10 ms to run it), so
the SQL is cached per query *shape*: the expression with its bindable literals (strings, integers,
finite floats) standing for slots. A new shape is compiled twice with two different sets of
stand-in values; a placeholder whose value differs between the two is a slot and takes the
query's own literal, one that does not is a constant of the compiler. When the two compiles differ
in anything but the values (a compiler that reads a literal's value), the shape is not cached and
every query of it is compiled as before. docs/web.md "Search speed".
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends.duckdb import Backend
from ibis.common.graph import Graph, Node

#: Compiled shapes kept (least recently used dropped first).
CACHE_SIZE = 512


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
    sql, values = SHAPES.bound_sql(backend, expr)
    table: pa.Table = backend.con.execute(sql, values).to_arrow_table()
    return expr.__pyarrow_result__(table)


class ShapeCache:
    """Compiled SQL per query shape (see the module docstring); safe to share between threads."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        #: shape -> (sql, [(placeholder, literal index or None, constant)]), or None: not cacheable
        self._entries: OrderedDict[Hashable, tuple[str, list[tuple[str, int | None, Any]]] | None] = (
            OrderedDict()
        )

    def bound_sql(self, backend: Backend, expr: ir.Expr) -> tuple[str, dict[str, Any]]:
        """What ``bound_sql`` gives, from the cache when the shape was seen before."""
        found = _shape(expr.op())
        if found is None:
            return bound_sql(backend, expr)
        shape, literals = found
        with self._lock:
            known = shape in self._entries
            entry = self._entries.get(shape)
            if known:
                self._entries.move_to_end(shape)
                self.hits += 1
        if not known:
            entry = _template(backend, expr.op(), literals)
            with self._lock:
                self.misses += 1
                self._entries[shape] = entry
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        if entry is None:
            return bound_sql(backend, expr)
        sql, slots = entry
        return sql, {
            name: constant if index is None else literals[index].value for name, index, constant in slots
        }

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def _bindable(node: ops.Literal) -> bool:
    dtype = node.dtype
    if dtype.is_string():
        return isinstance(node.value, str)
    if dtype.is_integer():
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if dtype.is_floating():
        return isinstance(node.value, int | float) and math.isfinite(node.value)
    return False


def _shape(root: Node) -> tuple[Hashable, list[ops.Literal]] | None:
    """The shape of an expression graph and its bindable literals, in a fixed order (breadth
    first from the root). None when the graph holds in-memory data (a memtable), whose identity
    is not its shape."""
    nodes = list(Graph.from_bfs(root))
    index = {node: i for i, node in enumerate(nodes)}
    literals: list[ops.Literal] = []
    parts: list[Hashable] = []
    for node in nodes:
        if isinstance(node, ops.InMemoryTable):
            return None
        if isinstance(node, ops.Literal) and _bindable(node):
            literals.append(node)
            parts.append(("literal", node.dtype))
            continue
        parts.append((type(node), tuple(_arg(a, index) for a in node.__args__)))
    shape = tuple(parts)
    try:
        hash(shape)
    except TypeError:  # an argument of an unusual operation that cannot be a key
        return None
    return shape, literals


def _arg(value: Any, index: Mapping[Node, int]) -> Hashable:
    if isinstance(value, Node):
        return ("node", index[value])
    if isinstance(value, tuple):
        return tuple(_arg(v, index) for v in value)
    if isinstance(value, Mapping):
        return tuple((k, _arg(v, index)) for k, v in value.items())
    return value  # type: ignore[no-any-return]


def _stand_in(node: ops.Literal, k: int, variant: int) -> ops.Literal:
    """A value for literal ``k`` that no other literal and no compiler constant shares: the two
    variants differ in every literal."""
    dtype = node.dtype
    if dtype.is_string():
        return ops.Literal(f"\x00creatorlens-slot-{variant}-{k}\x00", dtype)
    if dtype.is_integer():
        upper = dtype.bounds.upper
        return ops.Literal(upper - 2 * k - variant, dtype)
    return ops.Literal(987_654_321.5 + 2 * k + variant, dtype)


def _template(
    backend: Backend, root: Node, literals: list[ops.Literal]
) -> tuple[str, list[tuple[str, int | None, Any]]] | None:
    """The SQL of a shape and where its literals go, or None when the shape cannot be cached."""
    try:
        compiled = []
        for variant in (0, 1):
            stand_ins = {lit: _stand_in(lit, k, variant) for k, lit in enumerate(literals)}
            tree = root.replace(stand_ins) if stand_ins else root
            compiled.append((bound_sql(backend, tree.to_expr()), stand_ins))
    except (TypeError, ValueError, OverflowError):  # a literal whose stand-in its type refuses
        return None
    ((sql_a, values_a), ins_a), ((sql_b, values_b), ins_b) = compiled
    if sql_a != sql_b or list(values_a) != list(values_b):
        return None
    slot_a = {(type(lit.value), lit.value): k for k, lit in enumerate(ins_a.values())}
    slot_b = {(type(lit.value), lit.value): k for k, lit in enumerate(ins_b.values())}
    slots: list[tuple[str, int | None, Any]] = []
    for name, a in values_a.items():
        b = values_b[name]
        if a == b and type(a) is type(b):
            slots.append((name, None, a))  # the compiler's own constant
            continue
        k = slot_a.get((type(a), a))
        if k is None or slot_b.get((type(b), b)) != k:
            return None  # a stand-in the compiler changed on its way into the SQL
        slots.append((name, k, None))
    return sql_a, slots


#: The process's shape cache (fetch_bound).
SHAPES = ShapeCache()


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)
