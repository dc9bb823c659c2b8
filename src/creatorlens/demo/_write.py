"""Writing a generated demo into a workspace store (the storage edge of the demo)."""

from __future__ import annotations

from creatorlens.demo._generator import DemoData
from creatorlens.store import COMMENTS, EDGES, FOLLOWER_SNAPSHOTS, Store

#: Source tables written with ``insert_new`` (a stored row is never revised); the others are
#: upserted by observation time.
_INSERTED = frozenset({FOLLOWER_SNAPSHOTS.name, COMMENTS.name, EDGES.name})


def write_demo(store: Store, data: DemoData) -> None:
    """Source tables in one transaction (as an ingest would), then the truth tables.

    Writing the same demo twice changes nothing: counts are upserted by observation time and
    snapshots and comments are only inserted when their key is new, the demo's follow edges replaced.
    """
    with store.transaction():
        for spec, table in data.source_items():
            if spec.name == EDGES.name:
                # edges have no key (an edges file's repeated rows are kept): replace this demo's
                # own rows, so that writing it again adds nothing and ingested edges stay.
                store.exec('DELETE FROM "edges" WHERE source_file = ?', [f"demo:seed={data.seed}"])
            if spec.name in _INSERTED:
                store.insert_new(spec, table)
            else:
                store.upsert_latest(spec, table)
    for name, table in data.truth_tables().items():
        store.replace_table(name, table)
