"""Fast creator search for the API and the list page.

A search asks the workspace for the same thing every time (the scorecard joined with the
capability tables, filtered, sorted), and building and compiling that Ibis join costs more than
running it. So the list columns of ``Workspace.scorecard()`` are materialised once per workspace
version as an Arrow table, registered on each worker thread's DuckDB connection, and searched
with the shared ``apply_filters`` (the same filter logic as the CLI). Finished pages are kept in
a small LRU cache keyed by the version.

The version changes whenever the workspace may have changed: this server wrote (upload +
rescore), or it closed its read-only connections for another process's write
(``WorkspacePool.on_change``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from creatorlens._sorting import SORTABLE
from creatorlens._workspace import CreatorFilter, Workspace, apply_filters
from creatorlens.errors import OptionError

#: Columns a list item shows, then the ones filters and sort keys read (when they exist).
LIST_COLUMNS = (
    "creator_id", "handle", "platform", "display_name", "tier", "followers", "country",
    "categories", "n_posts", "er_followers_lc_median", "er_followers_lc_mean",
    "er_views_lcs_median", "er_percentile_tier", "er_percentile_peers", "follower_growth_30d_pct",
    "main_niche", "focus", "expertise", "audience_quality", "transparency_us", "er_rankable",
    "er_flags",
)  # fmt: skip
_VIEW = "_creatorlens_web_search"
DEFAULT_CACHE_SIZE = 2048


class SearchIndex:
    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self.version = 0
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._snapshot: pa.Table | None = None
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._local = threading.local()

    def invalidate(self) -> None:
        """Forget everything: the workspace changed."""
        with self._lock:
            self.version += 1
            self._snapshot = None
            self._cache.clear()

    def table(self, ws: Workspace) -> ir.Table:
        """The searchable creators as an Ibis table on this thread's connection."""
        with self._lock:
            version = self.version
            if self._snapshot is None:
                card = ws.scorecard()
                wanted = {*LIST_COLUMNS, *SORTABLE}
                self._snapshot = card.select(*[c for c in card.columns if c in wanted]).to_pyarrow()
            snapshot = self._snapshot
        if getattr(self._local, "version", None) != version:
            ws.store.raw.register(_VIEW, snapshot)
            self._local.version = version
        return ws.store.ibis.table(_VIEW)

    def cached(self, key: Hashable) -> Any:
        with self._lock:
            full_key = (self.version, key)
            if full_key in self._cache:
                self._cache.move_to_end(full_key)
                self.hits += 1
                return self._cache[full_key]
            self.misses += 1
            return None

    def remember(self, key: Hashable, value: Any, version: int) -> None:
        if self.cache_size <= 0:
            return
        with self._lock:
            if version != self.version:
                return  # computed before a write: stale
            self._cache[(version, key)] = value
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)


def search_key(f: CreatorFilter, sort: str, order: str, limit: int, cursor: str | None,
               with_total: bool) -> Hashable:  # fmt: skip
    return (f, sort, order, limit, cursor, with_total)


def filtered(index: SearchIndex, ws: Workspace, f: CreatorFilter, sort: str) -> ir.Table:
    if sort not in SORTABLE:
        raise OptionError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTABLE)}")
    t = apply_filters(index.table(ws), f)
    if sort not in t.columns:
        raise OptionError(
            f"cannot sort by {sort!r} in this workspace (not computed); choose one of "
            + ", ".join(s for s in SORTABLE if s in t.columns)
        )
    return t
