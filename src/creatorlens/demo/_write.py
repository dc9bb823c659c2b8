"""Writing a generated demo into a workspace store (the storage edge of the demo)."""

from __future__ import annotations

from creatorlens.demo._generator import DemoData
from creatorlens.store import (
    AUDIENCE,
    COMMENTS,
    CREATORS,
    EDGES,
    FOLLOWER_SAMPLES,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    Store,
)


def write_demo(store: Store, data: DemoData) -> None:
    """Source tables in one transaction (as an ingest would), then the truth tables.

    Writing the same demo twice changes nothing: counts are upserted by observation time and
    snapshots and comments are only inserted when their key is new, the demo's follow edges replaced.
    """
    with store.transaction():
        store.upsert_latest(CREATORS, data.creators)
        store.upsert_latest(POSTS, data.posts)
        store.insert_new(FOLLOWER_SNAPSHOTS, data.follower_snapshots)
        store.upsert_latest(AUDIENCE, data.audience)
        store.insert_new(COMMENTS, data.comments)
        store.upsert_latest(FOLLOWER_SAMPLES, data.follower_samples)
        # edges have no key (an edges file's repeated rows are kept): replace this demo's own
        # rows, so that writing it again adds nothing and ingested edges stay.
        store.exec('DELETE FROM "edges" WHERE source_file = ?', [f"demo:seed={data.seed}"])
        store.insert_new(EDGES, data.edges)
    for name, table in data.truth_tables().items():
        store.replace_table(name, table)
