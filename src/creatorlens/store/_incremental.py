"""Incremental scoring: which posts' inputs changed since the last published scoring run.

A per-post step (topics, disclosure verdicts) keeps, next to its result tables, an *inputs
table* ``<step>_inputs`` with one row per post it scored: post_id, creator_id and ``input_hash``,
the MD5 of every column the step's verdict on that post depends on plus the step's *rules
digest* (the text of its data files and the source of its domain modules, so that a rule,
taxonomy, model or code change invalidates every post). The inputs table is a result table like
the others: staged during a run and published with them, so it always describes the published
results.

:func:`post_delta` compares the current hashes with the published ones: posts whose hash is new
or different are *changed* and are scored again; the others keep their published rows
(:func:`merge_post_rows`). Deleted posts drop out because only current posts are kept.
``touched`` creators are those of changed or removed posts (before and after), whose per-creator
aggregates must be recomputed. docs/concurrency.md "Incremental scoring" states which steps do this.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from creatorlens.store._store import Store

__all__ = ["PostDelta", "merge_post_rows", "post_delta", "rules_digest", "sql_part"]


def rules_digest(
    data_files: Sequence[str], modules: Sequence[str], extra: Sequence[str] = ()
) -> str:
    """MD5 over the text of the step's data files (through the data loader), the source files of
    its domain modules (a package: all of its ``.py`` files) and any further settings."""
    from creatorlens.data import read_text

    md5 = hashlib.md5(usedforsecurity=False)
    for name in sorted(data_files):
        md5.update(name.encode())
        md5.update(read_text(name).encode())
    for module in sorted(modules):
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise ValueError(f"rules_digest: no source for module {module}")
        origin = Path(spec.origin)
        files = sorted(origin.parent.glob("*.py")) if origin.name == "__init__.py" else [origin]
        for path in files:
            md5.update(f"{module}:{path.name}".encode())
            md5.update(path.read_bytes())
    for item in extra:
        md5.update(item.encode())
    return md5.hexdigest()


def sql_part(column: str) -> str:
    """One hashed input: the column as text, told apart from NULL."""
    return f"coalesce('v' || CAST({column} AS VARCHAR), 'n')"


@dataclass(frozen=True)
class PostDelta:
    #: temp table of every current post: post_id, creator_id, input_hash, changed (bool)
    table: str
    #: whether a published run's inputs were found (False: every post is changed)
    previous: bool
    posts: int
    changed: int
    #: temp table (creator_id) of creators whose aggregates must be recomputed
    touched: str

    def changed_ids_sql(self) -> str:
        return f"SELECT post_id FROM {self.table} WHERE changed"

    def kept_ids_sql(self) -> str:
        return f"SELECT post_id FROM {self.table} WHERE NOT changed"


def inputs_table(step: str) -> str:
    return f"{step}_inputs"


def post_delta(
    store: Store, step: str, hashes_sql: str, results: Sequence[str], *, full: bool = False
) -> PostDelta:
    """Compare the current per-post hashes (``hashes_sql`` selects post_id, creator_id,
    input_hash) with the published inputs of ``step``. ``results`` are the step's published
    per-post tables: when any is missing, or ``full``, every post counts as changed."""
    name = inputs_table(step)
    tmp = f"_delta_{step}"
    touched = f"_touched_{step}"
    previous = (
        not full
        and all(_published(store, t) for t in (name, *results))
        and "input_hash" in _columns(store, name)
    )
    store.exec(f"CREATE OR REPLACE TEMP TABLE _current_{step} AS {hashes_sql}")
    if previous:
        store.exec(
            f"CREATE OR REPLACE TEMP TABLE {tmp} AS SELECT c.post_id, c.creator_id, c.input_hash, "
            f'(p.post_id IS NULL) AS changed FROM _current_{step} c LEFT JOIN "{name}" p '
            "ON p.post_id = c.post_id AND p.input_hash = c.input_hash "
            "AND p.creator_id IS NOT DISTINCT FROM c.creator_id"
        )
        store.exec(
            f"CREATE OR REPLACE TEMP TABLE {touched} AS "
            f"SELECT DISTINCT creator_id FROM {tmp} WHERE changed AND creator_id IS NOT NULL "
            f'UNION SELECT DISTINCT p.creator_id FROM "{name}" p WHERE p.creator_id IS NOT NULL '
            f"AND p.post_id NOT IN (SELECT post_id FROM {tmp} WHERE NOT changed)"
        )
    else:
        store.exec(
            f"CREATE OR REPLACE TEMP TABLE {tmp} AS SELECT post_id, creator_id, input_hash, "
            f"TRUE AS changed FROM _current_{step}"
        )
        store.exec(
            f"CREATE OR REPLACE TEMP TABLE {touched} AS SELECT DISTINCT creator_id FROM {tmp} "
            "WHERE creator_id IS NOT NULL"
        )
    store.exec(f"DROP TABLE IF EXISTS _current_{step}")
    posts, changed = store.exec(f"SELECT count(*), count(*) FILTER (WHERE changed) FROM {tmp}")[0]
    return PostDelta(tmp, previous, int(posts), int(changed), touched)


def merge_post_rows(
    store: Store, name: str, new_rows: pa.Table | None, delta: PostDelta, *, key: str = "post_id"
) -> None:
    """Write ``name``: the published rows of kept (unchanged) posts plus ``new_rows`` (those of
    the changed posts). ``key`` is the column naming the post (or, for per-creator tables, the
    creator: then kept rows are those of untouched creators)."""
    if key == "post_id":
        keep = f"post_id IN ({delta.kept_ids_sql()})"
    else:
        keep = f"{key} NOT IN (SELECT creator_id FROM {delta.touched})"
    old = f'SELECT * FROM "{name}" WHERE {keep}' if delta.previous else None
    if new_rows is None:
        query = old or f'SELECT * FROM "{name}" WHERE FALSE'
        store.replace_sql(name, query)
        return
    view = f"_new_{name}"
    store.raw.register(view, new_rows)
    try:
        query = f"SELECT * FROM {view}" if old is None else f"{old} UNION ALL BY NAME SELECT * FROM {view}"
        store.replace_sql(name, query)
    finally:
        store.raw.unregister(view)


def _published(store: Store, name: str) -> bool:
    """Whether the workspace (not the staging database) holds the table."""
    found = store.exec(
        "SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = current_schema() AND table_name = ? LIMIT 1",
        [name],
    )
    return bool(found)


def _columns(store: Store, name: str) -> set[str]:
    rows = store.exec(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_schema = current_schema() AND table_name = ?",
        [name],
    )
    return {str(r[0]) for r in rows}
