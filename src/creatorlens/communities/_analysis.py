"""From edge tables to the two result tables: per creator (``graph_features``) and per community
(``communities``). Pure: tables in, tables out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from creatorlens.communities._graph import build_graph, graph_features
from creatorlens.communities._leiden import LeidenSettings, leiden_membership, local_influence
from creatorlens.data import load_toml

#: How many creators a community lists in ``top_creators``.
TOP_CREATORS = 5


@dataclass(frozen=True)
class CommunitySettings:
    leiden: LeidenSettings
    damping: float
    kind_weights: Mapping[str, float]
    top_values: int
    #: whether a mention of an account the data shows is a brand counts as a tie
    brand_mentions_are_ties: bool = False

    @classmethod
    def load(cls) -> CommunitySettings:
        """The packaged settings (data/communities.toml)."""
        doc = load_toml("communities.toml")
        return cls(
            LeidenSettings(int(doc["seed"]), float(doc["resolution"]), int(doc["iterations"])),
            float(doc["pagerank_damping"]),
            {str(k): float(v) for k, v in doc["edge_kinds"].items()},
            int(doc["top_values"]),
            bool(doc["brand_mentions_are_ties"]),
        )


def community_label(index: int) -> str:
    return f"c{index + 1}"


@dataclass
class CommunityResult:
    #: one row per creator in the graph (GRAPH_FEATURES' columns)
    creators: pd.DataFrame
    #: one row per community with at least one creator (COMMUNITIES' columns)
    communities: pd.DataFrame
    nodes: int
    edges: int


def analyse(
    edges: pd.DataFrame,
    profiles: pd.DataFrame,
    settings: CommunitySettings | None = None,
) -> CommunityResult:
    """``edges``: source_id, target_id, kind, weight (self-loops and repeats allowed);
    ``profiles``: creator_id, main_niche, country, language for each creator of the workspace
    (the nodes that are creators; other nodes are commenters, followers, mentioned accounts)."""
    settings = settings or CommunitySettings.load()
    graph = build_graph(edges, settings.kind_weights)
    membership = leiden_membership(graph, settings.leiden)
    creator_ids = set(profiles["creator_id"].astype(str))
    features = graph_features(graph)
    influence = local_influence(graph, membership, damping=settings.damping, focus=creator_ids)
    per_creator = influence.merge(features, on="node", how="left")
    per_creator = per_creator[per_creator["node"].isin(creator_ids)].rename(columns={"node": "creator_id"})
    per_creator["community"] = per_creator["community"].map(community_label)
    per_creator = per_creator.sort_values("creator_id", kind="stable").reset_index(drop=True)
    communities = _summaries(membership, graph, per_creator, profiles, settings.top_values)
    return CommunityResult(per_creator, communities, graph.vcount(), graph.ecount())


def _top(values: pd.Series, k: int) -> str:
    """The ``k`` most common known values with their share of the members that have one."""
    known = values.dropna().astype(str)
    known = known[known != ""]
    if known.empty:
        return "[]"
    counts = known.value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    top = [{"value": v, "share": round(int(n) / len(known), 4)} for v, n in counts.head(k).items()]
    return json.dumps(top, ensure_ascii=False)


def _summaries(
    membership: np.ndarray,
    graph: ig.Graph,
    per_creator: pd.DataFrame,
    profiles: pd.DataFrame,
    top_values: int,
) -> pd.DataFrame:
    sizes = np.bincount(membership) if len(membership) else np.array([], dtype=np.int64)
    ends = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    labels = np.asarray(membership, dtype=np.int64)
    a, b = labels[ends[:, 0]], labels[ends[:, 1]]
    inside = np.bincount(a[a == b], minlength=len(sizes)).astype(np.int64)
    joined = per_creator.merge(profiles, on="creator_id", how="left")
    rows = []
    for label, group in joined.groupby("community", sort=False):
        index = int(str(label)[1:]) - 1
        ranked = group.sort_values(["leader_score", "creator_id"], ascending=[False, True], kind="stable")
        ranked_known = ranked[ranked["leader_score"].notna()]
        rows.append(
            {
                "community": str(label),
                "size": int(sizes[index]),
                "creators": len(group),
                "edges": int(inside[index]),
                "main_niches": _top(group.get("main_niche", pd.Series(dtype=object)), top_values),
                "countries": _top(group.get("country", pd.Series(dtype=object)), top_values),
                "languages": _top(group.get("language", pd.Series(dtype=object)), top_values),
                "top_creators": json.dumps(ranked["creator_id"].head(TOP_CREATORS).tolist()),
                "leader": str(ranked_known["creator_id"].iloc[0]) if len(ranked_known) else None,
            }
        )
    out = pd.DataFrame(rows, columns=["community", "size", "creators", "edges", "main_niches",
                                      "countries", "languages", "top_creators", "leader"])  # fmt: skip
    if len(out):
        out = out.assign(_n=out["community"].str[1:].astype(int)).sort_values("_n").drop(columns="_n")
    return out.reset_index(drop=True)


__all__ = ["TOP_CREATORS", "CommunityResult", "CommunitySettings", "analyse", "community_label"]
