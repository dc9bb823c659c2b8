"""The workspace file: an Ibis connection to an embedded DuckDB database.

Reads go through Ibis so that metric code is backend-agnostic. Writes (ingest upserts and result
tables) are the one place that speaks the engine's SQL; they live here and nowhere else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.operations as ops
import pyarrow as pa

from creatorlens.store._migrations import MIGRATIONS
from creatorlens.store._schema import (
    _SQL_TYPES,
    CREATOR_ALIASES,
    CREATORS,
    SCHEMA_VERSION,
    TABLES,
    TABLES_BY_NAME,
    TableSpec,
)

DEFAULT_PATH = Path("creatorlens.duckdb")
#: The scorecard joined with the capability tables, materialised for fast reads (see Workspace).
CREATOR_VIEW = "creator_view"


class WorkspaceError(Exception):
    """A workspace problem a user can fix (wrong path, newer schema, locked file)."""


class Store:
    """One workspace database. ``path=":memory:"`` gives an in-memory store for tests."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.exists():
                raise WorkspaceError(f"{self.path}: folder {parent} does not exist")
        try:
            self.ibis = ibis.duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(f"{self.path}: cannot open workspace ({exc})") from exc
        self.read_only = read_only
        if not read_only:
            self._migrate()

    # -- connection ------------------------------------------------------------------------
    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        con: duckdb.DuckDBPyConnection = self.ibis.con
        return con

    def exec(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a statement to completion (DuckDB refuses new work while a result is unread)."""
        rows: list[tuple[Any, ...]] = self.raw.execute(sql, params or []).fetchall()
        return rows

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ibis.disconnect()

    def table(self, name: str) -> ibis.Table:
        return self.ibis.table(name)

    def has_table(self, name: str) -> bool:
        return name in self.ibis.list_tables()

    # -- schema ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        self.exec(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT, applied_at TIMESTAMP)"
        )
        rows = self.exec("SELECT max(version) FROM schema_version")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{self.path}: workspace schema v{current} is newer than this creatorlens "
                f"(v{SCHEMA_VERSION}); upgrade creatorlens"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for stmt in MIGRATIONS[version]():
                    self.exec(stmt)
                self.exec(
                    "INSERT INTO schema_version VALUES (?, ?)",
                    [version, datetime.now(UTC).replace(tzinfo=None)],
                )

    # -- writes ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self.raw
        self.exec("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            self.exec("ROLLBACK")
            raise
        else:
            self.exec("COMMIT")

    def _register(self, name: str, table: pa.Table, spec: TableSpec) -> str:
        # _position (the row's place in the batch, i.e. in the file) makes "which duplicate wins"
        # a rule rather than the engine's choice.
        aligned = conform(table, spec)
        aligned = aligned.append_column("_position", pa.array(range(aligned.num_rows), pa.int64()))
        self.raw.register(name, aligned)
        return name

    def upsert_latest(
        self, spec: TableSpec, table: pa.Table, *, order_by: str = "observed_at"
    ) -> None:
        """Insert rows; an existing key is updated only by a newer (or equal) observation.

        Among equal observations the last row in file order wins, within a batch as across
        batches and files.

        Fields the newer observation leaves null keep their stored value, so a partial export
        never erases what a fuller one said.
        """
        if table.num_rows == 0:
            return
        key = spec.primary_key
        view = self._register("_incoming", table, spec)
        cols = list(spec.columns)
        quoted = ", ".join(f'"{c}"' for c in cols)
        partition = ", ".join(f'"{k}"' for k in key)
        updates = ", ".join(
            f'"{c}" = coalesce(excluded."{c}", "{spec.name}"."{c}")' for c in cols if c not in key
        )
        self.exec(
            f'INSERT INTO "{spec.name}" ({quoted}) '
            f"SELECT {quoted} FROM {view} "
            f'QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY "{order_by}" '
            f"DESC NULLS LAST, _position DESC) = 1 "
            f"ON CONFLICT ({partition}) DO UPDATE SET {updates} "
            f'WHERE excluded."{order_by}" >= "{spec.name}"."{order_by}" '
            f'OR "{spec.name}"."{order_by}" IS NULL'
        )
        self.raw.unregister(view)

    def merge_creator(self, alias: str, target: str) -> None:
        """Move every source row of creator ``alias`` to ``target`` and drop the alias's record.

        ``target`` keeps its own values; a field it lacks is taken from the alias. Rows whose key
        ``target`` already has (a snapshot at the same time) keep ``target``'s. Run inside a
        transaction.
        """
        cols = [c for c in CREATORS.columns if c != "creator_id"]
        fill = ", ".join(f'"{c}" = coalesce(t."{c}", a."{c}")' for c in cols)
        self.exec(
            f'UPDATE creators AS t SET {fill} FROM creators AS a '
            "WHERE t.creator_id = ? AND a.creator_id = ?",
            [target, alias],
        )
        for spec in TABLES:
            if spec.name in ("creators", CREATOR_ALIASES.name) or "creator_id" not in spec.columns:
                continue
            if not self.has_table(spec.name):
                continue
            quoted = ", ".join(f'"{c}"' for c in spec.columns)
            moved = ", ".join("?" if c == "creator_id" else f'"{c}"' for c in spec.columns)
            conflict = " ON CONFLICT DO NOTHING" if spec.primary_key else ""
            self.exec(
                f'INSERT INTO "{spec.name}" ({quoted}) SELECT {moved} FROM "{spec.name}" '
                f"WHERE creator_id = ?{conflict}",
                [target, alias],
            )
            self.exec(f'DELETE FROM "{spec.name}" WHERE creator_id = ?', [alias])
        self.exec("DELETE FROM creators WHERE creator_id = ?", [alias])
        # Aliases of the alias now point at the target (a chain of renames is one creator).
        self.exec(
            "UPDATE creator_aliases SET creator_id = ? WHERE creator_id = ?", [target, alias]
        )

    def aliases(self, platform: str | None = None) -> dict[str, str]:
        """Old creator_id -> current creator_id for every merged record."""
        sql = "SELECT alias_id, creator_id FROM creator_aliases"
        rows = self.exec(sql + " WHERE platform = ?", [platform]) if platform else self.exec(sql)
        return {str(a): str(c) for a, c in rows}

    def insert_new(self, spec: TableSpec, table: pa.Table) -> None:
        """Insert rows whose key is not stored yet (comments, quarantine); the first row wins."""
        if table.num_rows == 0:
            return
        view = self._register("_incoming", table, spec)
        quoted = ", ".join(f'"{c}"' for c in spec.columns)
        if spec.primary_key:
            partition = ", ".join(f'"{k}"' for k in spec.primary_key)
            self.exec(
                f'INSERT INTO "{spec.name}" ({quoted}) SELECT {quoted} FROM {view} '
                f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY _position) = 1 "
                "ON CONFLICT DO NOTHING"
            )
        else:
            self.exec(f'INSERT INTO "{spec.name}" ({quoted}) SELECT {quoted} FROM {view}')
        self.raw.unregister(view)

    def replace_table(self, name: str, table: pa.Table | ibis.Table) -> None:
        """Rebuild a derived result table (scorecard, score tables) from Arrow or an expression.

        An expression runs inside the engine (``CREATE OR REPLACE TABLE ... AS <its SQL>``), so the
        result never travels through Python; columns are cast to the declared schema either way.
        """
        spec = TABLES_BY_NAME.get(name)
        if isinstance(table, ibis.Table):
            # In-memory tables (small lookups such as the published benchmarks) are registered
            # under their Ibis names and stay registered, as Ibis itself leaves them: unregistering
            # would break a later Ibis execution that believes them registered.
            for op in table.op().find(ops.InMemoryTable):
                self.raw.register(op.name, op.data.to_pyarrow(op.schema))
            query = str(self.ibis.compile(table))
            if spec is not None:
                present = set(table.columns)
                casts = ", ".join(
                    f'CAST({_quote(c) if c in present else "NULL"} AS {_SQL_TYPES[t]}) AS {_quote(c)}'
                    for c, t in spec.columns.items()
                )
                query = f"SELECT {casts} FROM ({query}) AS _result"
            self._create_or_replace(name, query)
            return
        self.raw.register("_replacement", conform(table, spec) if spec else table)
        try:
            self._create_or_replace(name, "SELECT * FROM _replacement")
        finally:
            self.raw.unregister("_replacement")

    def _create_or_replace(self, name: str, query: str) -> None:
        self.exec(f"CREATE OR REPLACE TABLE {_quote(name)} AS {query}")
        if name != CREATOR_VIEW:
            # The joined read view is derived from every result table: a new result makes it stale.
            self.exec(f"DROP TABLE IF EXISTS {_quote(CREATOR_VIEW)}")

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self.exec(sql, params)
        return rows[0][0] if rows else None


def conform(table: pa.Table, spec: TableSpec | None) -> pa.Table:
    """Order, add (as nulls) and cast columns so a table matches its declared schema."""
    if spec is None:
        return table
    schema = spec.arrow_schema()
    arrays = []
    for fld in schema:
        if fld.name in table.column_names:
            col = table.column(fld.name)
            arrays.append(col if col.type == fld.type else col.cast(fld.type))
        else:
            arrays.append(pa.nulls(table.num_rows, type=fld.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
