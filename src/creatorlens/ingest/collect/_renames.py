"""A TikTok account renamed between two runs stays one creator, linked by its videos.

The Research API's user info carries no user id (shared/reference/api_fields.md), so TikTok
creators are keyed by username and a rename would start a new record. A video's id does not
change when its author renames the account, and ``video/query`` names each video's author: a
video the workspace holds under username A that now comes back under username B is B's, and A was
B before the rename. The link is made only when

- the videos come from a Research API ``video/query`` response (the author of a TikTok video is
  one account; an export's rows or an Instagram collab post, shown on two accounts, are not
  evidence of this kind), and
- every observation of A is older than this response (A is not an account seen alongside B).

It needs a video in both runs' windows: an account that posted nothing in the days a watch asks
for (``days``) cannot be linked, and stays two records until one of its videos is seen again.
The old record becomes an alias of the new one (``creator_aliases``, reason "same videos"), as
the other identity rules do (docs/ingest.md). The same happens when ``ingest NAME.archive``
replays the responses, so the archive rebuilds the same creators.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from creatorlens.ingest._identity import Link, merge_links, profiles_of
from creatorlens.store import Store

__all__ = ["link_renamed", "moved_videos"]

REASON = "same videos"


def _videos_by_author(body: bytes) -> dict[str, list[str]]:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    data = doc.get("data") if isinstance(doc, dict) else None
    videos = data.get("videos") if isinstance(data, dict) else None
    out: dict[str, list[str]] = {}
    for video in videos if isinstance(videos, list) else []:
        if isinstance(video, dict) and video.get("id") is not None and isinstance(video.get("username"), str):
            out.setdefault(video["username"], []).append(str(video["id"]))
    return out


def moved_videos(store: Store, body: bytes, request: dict[str, Any]) -> dict[str, tuple[str, str, int]]:
    """Before a video/query response is ingested: old creator_id -> (its handle, the author's
    new username, how many of its videos the response gives to that author)."""
    if request.get("api_method") != "video.query":
        return {}
    moves: dict[str, tuple[str, str, int]] = {}
    for username, ids in _videos_by_author(body).items():
        marks = ", ".join("?" * len(ids))
        rows = store.exec(
            "SELECT p.creator_id, c.handle, count(*) FROM posts p JOIN creators c USING (creator_id) "
            f"WHERE p.platform = 'tiktok' AND p.platform_post_id IN ({marks}) "
            "AND lower(c.handle) <> lower(?) GROUP BY 1, 2",
            [*ids, username],
        )
        for creator_id, handle, count in rows:
            moves[str(creator_id)] = (str(handle), username, int(count))
    return moves


def link_renamed(store: Store, moves: dict[str, tuple[str, str, int]], observed: datetime) -> list[Link]:
    """After the response is ingested: merge each old record into the author's record."""
    if not moves:
        return []
    profiles = profiles_of(store)
    by_id = profiles.set_index("creator_id")
    links = []
    for old, (handle, username, count) in sorted(moves.items()):
        found = store.exec(
            "SELECT creator_id FROM creators WHERE platform = 'tiktok' AND lower(handle) = lower(?)",
            [username],
        )
        if not found or old not in by_id.index or found[0][0] == old:
            continue
        last_seen = by_id.loc[old].last_seen
        if not pd.isna(last_seen) and last_seen >= observed:
            continue  # seen as late as B: two accounts, not one renamed
        links.append(
            Link(
                old,
                str(found[0][0]),
                REASON,
                f"{count} video(s) posted as {handle!r} came back from the Research API's "
                f"video query posted by {username!r}: the account was renamed",
            )
        )
    with store.transaction():
        merge_links(store, links, profiles)
    return links
