"""The workspace file: an Ibis connection to an embedded DuckDB database.

Reads go through Ibis so that metric code is backend-agnostic. Writes (ingest upserts and result
tables) are the one place that speaks the engine's SQL; they live here and nowhere else.

The DuckDB connection is opened first and the Ibis backend is made over it on first use
(``Store.ibis``): importing Ibis costs 0.4 s, which a command that reads a few rows through
``Store.rows`` (``creatorlens show``) does not pay. Both see the same session (time zone UTC,
no replacement scans), set once when the connection opens.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from creatorlens.errors import WorkspaceBusy as WorkspaceBusy, WorkspaceError as WorkspaceError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd
    from ibis.backends.duckdb import Backend

from creatorlens.store._migrations import MIGRATIONS
from creatorlens.store._schema import (
    _SQL_TYPES,
    CREATOR_ALIASES,
    CREATORS,
    SCHEMA_VERSION,
    SCORE_RUNS,
    TABLES,
    TABLES_BY_NAME,
    TableSpec,
)

DEFAULT_PATH = Path("creatorlens.duckdb")
#: The scorecard joined with the capability tables, materialised for fast reads (see Workspace).
CREATOR_VIEW = "creator_view"
#: The result tables the read view joins (scorecard first): replacing one makes the view stale.
CREATOR_VIEW_SOURCES = (
    "scorecard", "content_scores", "transparency_scores", "authenticity_scores", "graph_features",
)  # fmt: skip
#: Seconds a command waits for the workspace lock before giving up (env CREATORLENS_LOCK_TIMEOUT).
DEFAULT_LOCK_TIMEOUT = 120.0
#: Catalog name of the staging database a scoring run writes its new result tables into.
STAGE = "creatorlens_stage"
#: Name prefix of the temporary folders that hold a run's staging database (then its pid).
STAGE_PREFIX = "creatorlens-score-"
#: Set to a fault point ("after:<step>", "publish") to make the process stop there (tests).
FAULT_ENV = "CREATORLENS_FAULT_PAUSE"


def lock_timeout() -> float:
    """The lock wait of this process: CREATORLENS_LOCK_TIMEOUT seconds, else the default."""
    raw = os.environ.get("CREATORLENS_LOCK_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        raise WorkspaceError(f"CREATORLENS_LOCK_TIMEOUT={raw!r} is not a number of seconds") from None


def writer_marker(path: str | Path) -> Path:
    """The file a process waiting to write creates next to the workspace, so that a running
    ``creatorlens serve`` closes its read-only connections (see docs/concurrency.md)."""
    return Path(str(path) + ".write-wanted")


def writer_waiting(path: str | Path) -> bool:
    """True when a live process (not this one) announced that it waits to write ``path``."""
    marker = writer_marker(path)
    try:
        pid = int(marker.read_text().strip() or "0")
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False
    if not _alive(pid):
        with contextlib.suppress(OSError):
            marker.unlink()  # left behind by a killed writer
        return False
    return True


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fault_point(name: str) -> None:
    """Stop here when CREATORLENS_FAULT_PAUSE names this point: the crash tests SIGKILL a real
    process at known places of a scoring run. Without the variable this does nothing."""
    if os.environ.get(FAULT_ENV) != name:
        return
    print(f"creatorlens: paused at {name}", file=sys.stderr, flush=True)
    time.sleep(600)


class Store:
    """One workspace database. ``path=":memory:"`` gives an in-memory store for tests."""

    def __init__(
        self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False, wait: float = 0.0
    ) -> None:
        """Open the workspace. When another process holds its lock (DuckDB allows one
        read-write process or many read-only ones), retry for up to ``wait`` seconds."""
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.exists():
                raise WorkspaceError(f"{self.path}: folder {parent} does not exist")
        self._announced = False
        self._staged: list[str] | None = None
        self._stage_dir: Path | None = None
        self.read_only = read_only
        self._ibis: Backend | None = None
        self._ibis_lock = threading.Lock()  # one backend per connection, whichever thread asks
        self._con = self._connect(read_only, wait)
        if not read_only:
            self._migrate()

    def _connect(self, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + wait
        delay = 0.05
        database = self.path if self.path == ":memory:" else str(Path(self.path).absolute())
        while True:
            try:
                con = duckdb.connect(database, read_only=read_only)
                # what ibis.duckdb.connect sets on its connections (Backend._post_connect)
                con.execute("SET TimeZone = 'UTC'")
                con.execute("SET python_enable_replacements = false")
                return con
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise WorkspaceError(f"{self.path}: cannot open workspace ({exc})") from exc
                if time.monotonic() >= deadline:
                    self._withdraw()
                    raise WorkspaceBusy(_busy_message(self.path, exc, wait, read_only)) from exc
                if not read_only:
                    self._announce()
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _announce(self) -> None:
        """Ask readers that hold the file (a running server) to let go: see writer_marker."""
        marker = writer_marker(self.path)
        if self._announced and marker.exists():
            return
        if writer_waiting(self.path):
            return  # another writer asked first; the server lets go for it, then for us
        with contextlib.suppress(OSError):
            marker.write_text(str(os.getpid()))
            self._announced = True

    def _withdraw(self) -> None:
        if not self._announced:
            return
        marker = writer_marker(self.path)
        with contextlib.suppress(OSError, ValueError):
            if int(marker.read_text().strip() or "0") == os.getpid():
                marker.unlink()
        self._announced = False

    # -- connection ------------------------------------------------------------------------
    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        return self._con

    @property
    def ibis(self) -> Backend:
        """The Ibis backend over this store's connection, made on first use."""
        with self._ibis_lock:
            if self._ibis is None:
                import ibis

                self._ibis = ibis.duckdb.from_connection(self._con)
            return self._ibis

    def _reconnect(self, read_only: bool, wait: float) -> None:
        """Close the connection and open a new one (the Ibis backend follows on next use)."""
        self._disconnect()
        self._con = self._connect(read_only, wait)

    def _disconnect(self) -> None:
        self._ibis = None
        with contextlib.suppress(Exception):
            self._con.close()

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """A query's result as an Arrow table: the plain-SQL read path for the few hot reads
        that should not pay for Ibis (see the module docstring). ``params`` are bound."""
        table: pa.Table = self.raw.execute(sql, params or []).to_arrow_table()
        return table

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """A query's rows as dicts, read through Arrow (as ``expr.to_pyarrow().to_pylist()``)."""
        rows: list[dict[str, Any]] = self.arrow(sql, params).to_pylist()
        return rows

    def sql_name(self, name: str) -> str:
        """The quoted name of a table for plain SQL: the staged one inside ``staging()`` (as
        ``table`` reads it), else the workspace's."""
        if self._staged is not None and name in self._staged:
            return f"{STAGE}.main.{_quote(name)}"
        return _quote(name)

    def exec(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a statement to completion (DuckDB refuses new work while a result is unread)."""
        rows: list[tuple[Any, ...]] = self.raw.execute(sql, params or []).fetchall()
        return rows

    def close(self) -> None:
        self._disconnect()
        self._withdraw()
        self._drop_stage()

    def table(self, name: str) -> ir.Table:
        if self._staged is not None and name in self._staged:
            return self.ibis.table(name, database=(STAGE, "main"))
        return self.ibis.table(name)

    def has_table(self, name: str) -> bool:
        if self._staged is not None and name in self._staged:
            return True
        # the tables and views ibis's list_tables() lists (current catalog or temp, current schema)
        found = self.exec(
            "SELECT 1 FROM information_schema.tables WHERE table_catalog IN (current_database(), "
            "'temp') AND table_schema = current_schema() AND table_name = ? LIMIT 1",
            [name],
        )
        return bool(found)

    def frame(
        self, name: str, columns: Sequence[str] | None = None, creator_id: str | None = None
    ) -> pd.DataFrame | None:
        """The rows of an optional table as a DataFrame; None when the workspace has no such
        table yet (its step has not run). ``columns``: the wanted columns that exist, in that
        order (all when None). ``creator_id``: only that creator's rows, filtered in the engine;
        a table without ``creator_id`` (comments) is filtered through the creator's posts."""
        if not self.has_table(name):
            return None
        table = self.table(name)
        if creator_id is not None:
            if "creator_id" in table.columns:
                table = table.filter(table.creator_id == creator_id)
            elif "post_id" in table.columns and self.has_table("posts"):
                posts = self.table("posts")
                table = table.semi_join(posts.filter(posts.creator_id == creator_id), "post_id")
        if columns is not None:
            table = table.select(*[c for c in columns if c in table.columns])
        result: pd.DataFrame = table.to_pandas()
        return result

    # -- staged results (one scoring run publishes all of its tables at once) ----------------
    @contextlib.contextmanager
    def staging(self) -> Iterator[None]:
        """Inside the block, ``replace_table`` writes into a staging database and ``table`` /
        ``has_table`` see the staged versions first; nothing in the workspace changes until
        ``publish()``. Leaving the block without publishing discards the staged tables."""
        if self._staged is not None:
            raise RuntimeError("a scoring run is already staging tables in this store")
        _remove_stale_stages()
        self._stage_dir = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
        self._attach_stage(read_only=False)
        self._staged = []
        try:
            yield
        finally:
            self._drop_stage()

    def _stage_file(self) -> Path:
        assert self._stage_dir is not None
        return self._stage_dir / "stage.duckdb"

    def _attach_stage(self, *, read_only: bool) -> None:
        mode = "READ_ONLY" if read_only else "READ_WRITE"
        self.exec(f"ATTACH {_literal(str(self._stage_file()))} AS {STAGE} ({mode})")

    def _drop_stage(self) -> None:
        if self._stage_dir is None:
            return
        with contextlib.suppress(Exception):
            self.exec(f"DETACH DATABASE IF EXISTS {STAGE}")
        shutil.rmtree(self._stage_dir, ignore_errors=True)
        self._stage_dir = None
        self._staged = None

    def publish(self, *, wait: float = 0.0, note: str = "") -> str:
        """Replace the workspace's result tables by the staged ones in one transaction.

        A reader (or a crash) sees the old set of results or the new set, never a mixture. A
        read-only store takes the write lock only for the switch (waiting up to ``wait``
        seconds), then goes back to read-only. Returns the run id written to ``score_runs``.
        """
        if self._staged is None:
            raise RuntimeError("publish() outside staging()")
        names = list(self._staged)
        reopen = self.read_only
        if reopen:
            self.exec(f"DETACH DATABASE {STAGE}")
            try:
                self._reconnect(False, wait)
            except WorkspaceError:
                self._con = self._connect(True, 0.0)  # as it was: the caller may keep reading
                raise
            self.read_only = False
        try:
            if reopen:
                self._migrate()
                self._attach_stage(read_only=True)
            run_id = self._switch(names, note)
        finally:
            if reopen:
                self.exec(f"DETACH DATABASE IF EXISTS {STAGE}")
                self._disconnect()
                self._withdraw()
                self._con = self._connect(True, wait)
                self.read_only = True
                self._attach_stage(read_only=True)
        return run_id

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
            if spec.primary_key and "creator_id" not in spec.primary_key:
                # Keyed without the creator (posts by post_id): the rows keep their key and only
                # change owner. Copying them would conflict with themselves and lose them.
                self.exec(
                    f'UPDATE "{spec.name}" SET creator_id = ? WHERE creator_id = ?', [target, alias]
                )
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

    def replace_table(self, name: str, table: pa.Table | ir.Table) -> None:
        """Rebuild a derived result table (scorecard, score tables) from Arrow or an expression.

        An expression runs inside the engine (``CREATE OR REPLACE TABLE ... AS <its SQL>``), so the
        result never travels through Python; columns are cast to the declared schema either way.
        """
        spec = TABLES_BY_NAME.get(name)
        if not isinstance(table, pa.Table):  # an Ibis expression
            import ibis.expr.operations as ops

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

    def replace_sql(self, name: str, query: str) -> None:
        """Rebuild a derived result table from a plain SQL query (incremental steps merge the
        published rows they keep with the new ones this way); columns are cast to the declared
        schema as in ``replace_table``. The query reads the workspace's tables, not staged ones."""
        spec = TABLES_BY_NAME.get(name)
        if spec is not None:
            present = {
                str(r[0]) for r in self.raw.execute(f"DESCRIBE {query}").fetchall()
            }
            casts = ", ".join(
                f'CAST({_quote(c) if c in present else "NULL"} AS {_SQL_TYPES[t]}) AS {_quote(c)}'
                for c, t in spec.columns.items()
            )
            query = f"SELECT {casts} FROM ({query}) AS _result"
        self._create_or_replace(name, query)

    def _switch(self, names: list[str], note: str) -> str:
        run_id = uuid.uuid4().hex[:12]
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.transaction():
            self.exec(SCORE_RUNS.create_sql())
            for i, name in enumerate(names):
                self.exec(
                    f"CREATE OR REPLACE TABLE {_quote(name)} AS "
                    f"SELECT * FROM {STAGE}.main.{_quote(name)}"
                )
                rows = self.scalar(f"SELECT count(*) FROM {_quote(name)}")
                self.exec(
                    f"INSERT INTO {_quote(SCORE_RUNS.name)} VALUES (?, ?, ?, ?, ?)",
                    [run_id, now, name, rows, note],
                )
                if i == 0:
                    fault_point("publish")  # one table switched, the rest not yet
            if CREATOR_VIEW not in names:
                self.exec(f"DROP TABLE IF EXISTS {_quote(CREATOR_VIEW)}")
        return run_id

    def _create_or_replace(self, name: str, query: str) -> None:
        if self._staged is not None:
            self.exec(f"CREATE OR REPLACE TABLE {STAGE}.main.{_quote(name)} AS {query}")
            if name not in self._staged:
                self._staged.append(name)
            return
        self.exec(f"CREATE OR REPLACE TABLE {_quote(name)} AS {query}")
        if name in CREATOR_VIEW_SOURCES:
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


def _remove_stale_stages() -> None:
    """Staging folders of runs that were killed (their process is gone): nothing reads them."""
    for folder in Path(tempfile.gettempdir()).glob(f"{STAGE_PREFIX}*"):
        pid = folder.name.removeprefix(STAGE_PREFIX).partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _busy_message(path: str, exc: Exception, wait: float, read_only: bool) -> str:
    held = re.search(r"held in (.*?) \(PID (\d+)\)", str(exc))
    who = f" ({Path(held.group(1)).name}, PID {held.group(2)})" if held else ""
    want = "read" if read_only else "write"
    return (
        f"{path}: the workspace is locked by another process{who}; waited {wait:.0f} s to {want} "
        "it. Another command may still be writing (try again when it ends), or raise "
        "CREATORLENS_LOCK_TIMEOUT. A running `creatorlens serve` lets go by itself; see "
        "docs/concurrency.md"
    )
