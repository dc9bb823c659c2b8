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

import numpy as np
import pandas as pd

from creatorlens.content.topics import content_constants

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
    with_likes = frame.dropna(subset=["likes"])
    sums = with_likes.groupby("creator_id")[["likes", "comments"]].sum()
    per100 = (100.0 * sums["comments"] / sums["likes"].where(sums["likes"] > 0)).round(4)
    grouped = frame.groupby("creator_id")["comments"]
    followers = pd.to_numeric(
        creators.drop_duplicates("creator_id").set_index("creator_id")["followers"], errors="coerce"
    )
    median = grouped.median()
    fol = median.index.map(followers.to_dict()).to_numpy(dtype=float)
    per1k = pd.Series(
        1000.0 * median.to_numpy() / np.where(fol > 0, fol, np.nan), index=median.index
    )
    out = pd.DataFrame(
        {
            "comments_per_100_likes": per100.reindex(median.index),
            "comments_per_1k_followers": per1k.round(4),
            "n_posts_engagement": grouped.size(),
        }
    )
    return out.reset_index()[cols]


def _thread_depths(comment_ids: list[str], reply_to: list[object]) -> tuple[list[str], list[int]]:
    """Root comment and depth of the deepest reply chain under it, for every root comment.

    Returns (roots, depths). A comment whose reply_to is missing or unknown is a root; cycles are
    cut where they close."""
    parent = {
        c: (r if isinstance(r, str) and r else None)
        for c, r in zip(comment_ids, reply_to, strict=True)
    }
    depth: dict[str, int] = {}
    root_of: dict[str, str] = {}
    for start in parent:
        chain = []
        node: str | None = start
        while node is not None and node not in depth and node not in chain:
            chain.append(node)
            up = parent.get(node)
            node = up if up in parent else None
        if node is not None and node in depth:
            base, root = depth[node], root_of[node]
        else:
            base, root = 0, chain[-1]
        for i, n in enumerate(reversed(chain)):
            depth[n] = base + i + 1
            root_of[n] = root
    deepest: dict[str, int] = {}
    for node, d in depth.items():
        r = root_of[node]
        deepest[r] = max(deepest.get(r, 1), d)
    roots = list(deepest)
    return roots, [deepest[r] for r in roots]


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
    owner = posts.drop_duplicates("post_id").set_index("post_id")["creator_id"]
    frame = comments[["comment_id", "post_id", "author", "reply_to"]].copy()
    frame["creator_id"] = frame["post_id"].map(owner)
    frame = frame.dropna(subset=["creator_id"])
    known = set(frame["comment_id"])
    frame["reply_to"] = frame["reply_to"].where(frame["reply_to"].isin(known))
    frame["author_key"] = (
        frame["author"].fillna("").astype(str).str.strip().str.lstrip("@").str.lower()
    )
    handle = frame["creator_id"].astype(str).str.split(":", n=1).str[-1].str.lower()
    frame["by_creator"] = frame["author_key"] == handle
    others = frame[~frame["by_creator"]]
    top_level = others[others["reply_to"].isna()]
    replied = set(frame.loc[frame["by_creator"], "reply_to"].dropna())
    reply_share = top_level["comment_id"].isin(replied).groupby(top_level["creator_id"]).mean()
    roots, depths = _thread_depths(frame["comment_id"].tolist(), frame["reply_to"].tolist())
    root_owner = frame.set_index("comment_id")["creator_id"]
    depth_frame = pd.DataFrame({"root": roots, "depth": depths})
    depth_frame["creator_id"] = depth_frame["root"].map(root_owner)
    conversation = depth_frame.groupby("creator_id")["depth"].mean()
    posts_per_author = others.groupby(["creator_id", "author_key"])["post_id"].transform("nunique")
    repeat = (posts_per_author >= 2).groupby(others["creator_id"]).mean()
    out = pd.DataFrame(
        {
            "reply_share": reply_share.round(4),
            "conversation_depth": conversation.round(4),
            "repeat_commenter_share": repeat.round(4),
            "n_comments": frame.groupby("creator_id").size(),
            "n_commenters": others.groupby("creator_id")["author_key"].nunique(),
        }
    )
    out["n_commenters"] = out["n_commenters"].fillna(0).astype(int)
    return out.rename_axis("creator_id").reset_index()[cols]


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
