"""The interaction graph: edges from an edges file and from the comments and posts a workspace
keeps, summed into one weighted directed graph, and each node's graph features. Pure.

Direction: an edge ``source -> target`` means the source pays attention to the target (follows
it, comments on it, replies to it, mentions it). Attention, and so influence, flows back along
it: a node's audience is its in-neighbours (docs/communities.md).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import igraph as ig
import numpy as np
import pandas as pd

from creatorlens.store import creator_id

EDGE_COLUMNS = ("source_id", "target_id", "kind", "weight")


def interaction_edges(comments: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Edges the stored data implies, with ``EDGE_COLUMNS``:

    - comment: commenter -> the creator of the post (``comments.author``, ``posts.creator_id``);
    - reply: the replier -> the author of the comment replied to (``comments.reply_to``);
    - mention: the creator of a post -> each account its ``posts.mentions`` names (a mention of
      a creator in a post is how collaborations show in exports).

    ``comments``: comment_id, post_id, author, reply_to; ``posts``: post_id, creator_id,
    platform, mentions. Rows without an author or a known post give no edge."""
    frames: list[pd.DataFrame] = []
    if len(posts) and len(comments):
        on_post = comments.merge(posts[["post_id", "creator_id", "platform"]], on="post_id", how="inner")
        on_post = on_post[on_post["author"].notna() & (on_post["author"].astype(str) != "")]
        author_ids = [
            creator_id(str(p), str(a)) for p, a in zip(on_post["platform"], on_post["author"], strict=True)
        ]
        on_post = on_post.assign(author_id=author_ids)
        frames.append(
            pd.DataFrame(
                {"source_id": on_post["author_id"], "target_id": on_post["creator_id"],
                 "kind": "comment", "weight": 1.0}
            )
        )  # fmt: skip
        if "reply_to" in on_post.columns:
            parents = on_post[["comment_id", "author_id"]].rename(
                columns={"comment_id": "reply_to", "author_id": "parent_id"}
            )
            replies = on_post[on_post["reply_to"].notna()].merge(parents, on="reply_to")
            frames.append(
                pd.DataFrame(
                    {"source_id": replies["author_id"], "target_id": replies["parent_id"],
                     "kind": "reply", "weight": 1.0}
                )
            )  # fmt: skip
    if len(posts) and "mentions" in posts.columns:
        sources, targets = [], []
        for cid, platform, mentions in zip(
            posts["creator_id"], posts["platform"], posts["mentions"], strict=True
        ):
            if not isinstance(mentions, str) or not mentions.strip():
                continue
            for handle in mentions.split():
                if handle.strip("@"):
                    sources.append(cid)
                    targets.append(creator_id(str(platform), handle))
        frames.append(
            pd.DataFrame({"source_id": sources, "target_id": targets, "kind": "mention", "weight": 1.0})
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object if c != "weight" else float) for c in EDGE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(EDGE_COLUMNS)]


def without_brand_mentions(edges: pd.DataFrame, brand_accounts: Collection[str]) -> pd.DataFrame:
    """``edges`` less the ``mention`` edges whose target is one of ``brand_accounts``.

    Why: a creator naming a brand account is a commercial tie, not a social one. A brand that
    thousands of creators mention is a hub joining every community it sponsors in: on the
    20,000-creator demo, whose only mentions are of brands, the brands' mentions took Leiden from
    NMI 0.97 to 0.93 against the planted communities (docs/communities.md "Brand mentions")."""
    if not len(brand_accounts) or edges.empty:
        return edges
    drop = edges["kind"].eq("mention") & edges["target_id"].isin(list(brand_accounts))
    return edges[~drop.to_numpy()].reset_index(drop=True)


def build_graph(edges: pd.DataFrame, kind_weights: Mapping[str, float] | None = None) -> ig.Graph:
    """One directed graph, vertex attribute ``name`` = node id, edge attribute ``weight`` = the
    sum over the input rows of ``weight × kind_weights[kind]`` (an unlisted kind counts as
    ``interaction``, else 1). Self-loops are dropped: they say nothing about a tie."""
    kinds = dict(kind_weights or {})
    default = kinds.get("interaction", 1.0)
    frame = edges.loc[:, list(EDGE_COLUMNS)].dropna(subset=["source_id", "target_id"])
    frame = frame[frame["source_id"] != frame["target_id"]]
    weight = frame["weight"].fillna(1.0).astype(float)
    factor = frame["kind"].map(lambda k: kinds.get(str(k), default)).astype(float)
    frame = frame.assign(w=weight * factor)
    summed = frame.groupby(["source_id", "target_id"], sort=True)["w"].sum().reset_index()
    names = np.unique(np.concatenate([summed["source_id"].to_numpy(), summed["target_id"].to_numpy()]))
    index = pd.Index(names)
    graph = ig.Graph(
        n=len(names),
        edges=list(
            zip(index.get_indexer(summed["source_id"]), index.get_indexer(summed["target_id"]), strict=True)
        ),
        directed=True,
    )
    graph.vs["name"] = [str(n) for n in names]
    graph.es["weight"] = summed["w"].astype(float).tolist()
    return graph


def graph_features(graph: ig.Graph) -> pd.DataFrame:
    """Per node: ``in_degree`` / ``out_degree`` (distinct accounts pointing at it / it points
    at), ``reciprocity`` (share of its out-neighbours that point back; NaN, unknown, when it
    points at nobody) and ``k_core`` (its coreness in the undirected graph)."""
    n = graph.vcount()
    out_sets = [set(graph.successors(v)) for v in range(n)]
    in_sets = [set(graph.predecessors(v)) for v in range(n)]
    reciprocity = np.array(
        [len(o & i) / len(o) if o else np.nan for o, i in zip(out_sets, in_sets, strict=True)]
    )
    undirected = graph.as_undirected(mode="collapse")
    return pd.DataFrame(
        {
            "node": pd.Series(graph.vs["name"] if n else [], dtype=object),
            "in_degree": np.array([len(s) for s in in_sets], dtype=np.int64),
            "out_degree": np.array([len(s) for s in out_sets], dtype=np.int64),
            "reciprocity": reciprocity,
            "k_core": np.array(undirected.coreness(), dtype=np.int64) if n else np.array([], dtype=np.int64),
        }
    )


__all__ = ["EDGE_COLUMNS", "build_graph", "graph_features", "interaction_edges"]
