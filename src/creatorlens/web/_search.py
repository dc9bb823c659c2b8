"""The web's cache of creator searches.

The listing itself is ``Workspace.search`` (the same for the CLI, the REST API and the
dashboard); this module only keeps finished answers in a small LRU cache keyed by the workspace
version, so that a popular search repeated by many users never reaches DuckDB.

The version changes whenever the workspace may have changed: this server wrote (upload +
rescore), or it closed its read-only connections for another process's write
(``WorkspacePool.on_change``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from creatorlens._workspace import CreatorFilter

DEFAULT_CACHE_SIZE = 2048
T = TypeVar("T")


class SearchIndex:
    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self.version = 0
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()

    def invalidate(self) -> None:
        """Forget everything: the workspace changed."""
        with self._lock:
            self.version += 1
            self._cache.clear()

    def cached(self, key: Hashable) -> Any:
        with self._lock:
            full_key = (self.version, key)
            if full_key in self._cache:
                self._cache.move_to_end(full_key)
                self.hits += 1
                return self._cache[full_key]
            self.misses += 1
            return None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, else ``compute()``, kept unless a write happened
        meanwhile."""
        hit: T | None = self.cached(key)
        if hit is not None:
            return hit
        version = self.version
        value = compute()
        self.remember(key, value, version)
        return value

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
