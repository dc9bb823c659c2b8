"""The lookalike profiles of a workspace's creators, read from the store (hashtags and bio
terms, topic mix, audience breakdowns); the similarity itself is _lookalike (pure)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

from creatorlens.discovery._lookalike import Profile
from creatorlens.discovery._text import tag_terms, terms
from creatorlens.store import Store, fetch_bound

if TYPE_CHECKING:
    import ibis.expr.types as ir


def workspace_profiles(store: Store, view: ir.Table) -> list[Profile]:
    """One profile per scored creator."""
    cols = [c for c in ("creator_id", "followers", "bio", "topic_mix") if c in view.columns]
    creators = fetch_bound(store.ibis, view.select(*cols)).to_pylist()
    tags: dict[str, list[str]] = defaultdict(list)
    for cid, hashtags in store.exec(
        "SELECT creator_id, string_agg(hashtags, ' ') FROM posts WHERE hashtags IS NOT NULL "
        "GROUP BY creator_id"
    ):
        for tag in str(hashtags).replace(",", " ").replace("#", " ").split():
            tags[cid].extend(tag_terms(tag))
    audience: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    if store.has_table("audience"):
        for cid, dim, bucket, share in store.exec(
            "SELECT creator_id, dimension, bucket, avg(share) FROM audience "
            "WHERE share IS NOT NULL GROUP BY ALL"
        ):
            audience[cid][dim][bucket] = float(share)
    out = []
    for row in creators:
        cid = row["creator_id"]
        mix = row.get("topic_mix")
        topics = {k: float(v) for k, v in json.loads(mix).items()} if mix else {}
        out.append(
            Profile(
                cid,
                row.get("followers"),
                tags.get(cid, []) + terms(row.get("bio")),
                topics,
                {d: dict(b) for d, b in audience.get(cid, {}).items()},
            )
        )
    return out
