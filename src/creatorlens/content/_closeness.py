"""Closeness to followers: comment density, replies, conversation depth, regulars.

Definitions (docs/content.md, "Closeness"):
- comments_per_100_likes = 100 x sum(comments) / sum(likes) over the creator's posts with likes.
- comments_per_1k_followers = 1000 x median(comments per post) / followers.
- From the comments table (when given): the creator is the author whose name equals the handle.
  reply_share = share of other people's top-level comments that got a reply from the creator.
  conversation_depth = mean over top-level comments of the depth of their thread
  (1 = no replies, 2 = a reply, 3 = a reply to the reply ...).
  repeat_commenter_share = share of other people's comments written by authors who commented on
  at least two distinct posts of the creator.
- closeness (0..100) = 100 x mean of the available components, each min(1, value / reference)
  with the references of data/topics/content_scores.toml; closeness_components = how many.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creatorlens.content._topics import content_constants

__all__ = ["closeness", "comment_structure", "engagement_density"]


def engagement_density(posts: pd.DataFrame, creators: pd.DataFrame) -> pd.DataFrame:
    """comments_per_100_likes and comments_per_1k_followers per creator (posts frame only)."""
    cols = [
        "creator_id",
        "comments_per_100_likes",
        "comments_per_1k_followers",
        "n_posts_engagement",
    ]
    if posts is None or posts.empty:
        return pd.DataFrame(columns=cols)
    frame = posts[["creator_id", "likes", "comments"]].copy()
    frame["likes"] = pd.to_numeric(frame["likes"], errors="coerce")
    frame["comments"] = pd.to_numeric(frame["comments"], errors="coerce")
    frame = frame.dropna(subset=["comments"])
    followers = creators.set_index("creator_id")["followers"]
    rows = []
    for cid, group in frame.groupby("creator_id"):
        with_likes = group.dropna(subset=["likes"])
        likes = float(with_likes["likes"].sum())
        per100 = 100.0 * float(with_likes["comments"].sum()) / likes if likes > 0 else None
        fol = pd.to_numeric(pd.Series([followers.get(cid)]), errors="coerce").iloc[0]
        per1k = 1000.0 * float(group["comments"].median()) / fol if fol and fol > 0 else None
        rows.append(
            {
                "creator_id": cid,
                "comments_per_100_likes": None if per100 is None else round(per100, 4),
                "comments_per_1k_followers": None if per1k is None else round(per1k, 4),
                "n_posts_engagement": len(group),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _thread_depths(group: pd.DataFrame) -> list[int]:
    parent = dict(zip(group["comment_id"], group["reply_to"], strict=True))
    depth_cache: dict[str, int] = {}

    def depth(cid: str) -> int:
        seen = []
        node: Any = cid
        while node in parent and node not in depth_cache:
            seen.append(node)
            up = parent[node]
            if (
                up is None
                or (isinstance(up, float) and np.isnan(up))
                or up not in parent
                or up in seen
            ):
                depth_cache[node] = 1
                seen.pop()
                break
            node = up
        base = depth_cache.get(node, 1)
        for i, n in enumerate(reversed(seen)):
            depth_cache[n] = base + i + 1
        return depth_cache[cid]

    roots = [c for c, p in parent.items() if p is None or p not in parent]
    deepest: dict[str, int] = {r: 1 for r in roots}
    for cid in parent:
        d = depth(cid)
        root = cid
        hops = 0
        while parent.get(root) in parent and hops < len(parent):
            root = parent[root]
            hops += 1
        if root in deepest:
            deepest[root] = max(deepest[root], d)
    return list(deepest.values())


def comment_structure(comments: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """reply_share, conversation_depth and repeat_commenter_share per creator from comments."""
    cols = [
        "creator_id",
        "reply_share",
        "conversation_depth",
        "repeat_commenter_share",
        "n_comments",
        "n_commenters",
    ]
    if comments is None or comments.empty:
        return pd.DataFrame(columns=cols)
    owner = posts.set_index("post_id")["creator_id"]
    frame = comments.copy()
    frame["creator_id"] = frame["post_id"].map(owner)
    frame = frame.dropna(subset=["creator_id"])
    frame["reply_to"] = frame["reply_to"].where(
        frame["reply_to"].notna() & (frame["reply_to"] != "")
    )
    frame["author_key"] = (
        frame["author"].fillna("").astype(str).str.strip().str.lstrip("@").str.lower()
    )
    rows = []
    for cid, group in frame.groupby("creator_id"):
        handle = str(cid).split(":", 1)[-1]
        by_creator = group["author_key"] == handle
        others = group[~by_creator]
        top_level = others[
            others["reply_to"].isna() | ~others["reply_to"].isin(group["comment_id"])
        ]
        replied_to = set(group.loc[by_creator, "reply_to"].dropna())
        reply_share = (
            round(float(top_level["comment_id"].isin(replied_to).mean()), 4)
            if len(top_level)
            else None
        )
        depths = _thread_depths(group[["comment_id", "reply_to"]])
        posts_per_author = others.groupby("author_key")["post_id"].nunique()
        regulars = set(posts_per_author[posts_per_author >= 2].index)
        repeat = (
            round(float(others["author_key"].isin(regulars).mean()), 4) if len(others) else None
        )
        rows.append(
            {
                "creator_id": cid,
                "reply_share": reply_share,
                "conversation_depth": round(float(np.mean(depths)), 4) if depths else None,
                "repeat_commenter_share": repeat,
                "n_comments": len(group),
                "n_commenters": int(others["author_key"].nunique()),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def closeness(
    posts: pd.DataFrame, creators: pd.DataFrame, comments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """All closeness metrics and the 0..100 closeness score per creator."""
    refs = content_constants()["closeness"]
    base = creators[["creator_id"]].copy()
    density = engagement_density(posts, creators)
    structure = comment_structure(comments, posts) if comments is not None else None
    out = base.merge(density, on="creator_id", how="left")
    if structure is not None and not structure.empty:
        out = out.merge(structure, on="creator_id", how="left")
    else:
        for col in ("reply_share", "conversation_depth", "repeat_commenter_share"):
            out[col] = np.nan
        out["n_comments"] = 0
        out["n_commenters"] = 0
    components = [
        (out["comments_per_100_likes"], refs["comments_per_100_likes_reference"]),
        (out["comments_per_1k_followers"], refs["comments_per_1k_followers_reference"]),
        (out["reply_share"], refs["reply_share_reference"]),
        (out["conversation_depth"] - 1, refs["extra_depth_reference"]),
        (out["repeat_commenter_share"], refs["repeat_commenter_share_reference"]),
    ]
    scaled = pd.concat(
        [
            (pd.to_numeric(v, errors="coerce") / float(r)).clip(lower=0, upper=1)
            for v, r in components
        ],
        axis=1,
    )
    out["closeness_components"] = scaled.notna().sum(axis=1)
    out["closeness"] = (100 * scaled.mean(axis=1, skipna=True)).round(2)
    return out
