"""Interaction graphs, communities (Leiden) and local leaders (issue 15; docs/communities.md).

Pure domain code: edge and profile tables in, result tables out. The scoring step that reads the
workspace and writes ``graph_features`` and ``communities`` is ``_step.score_graph``.
"""

from creatorlens.communities._analysis import (
    CommunityResult,
    CommunitySettings,
    analyse,
    community_label,
)
from creatorlens.communities._evaluate import PartitionAgreement, agreement
from creatorlens.communities._graph import (
    build_graph,
    graph_features,
    interaction_edges,
    without_brand_mentions,
)
from creatorlens.communities._leiden import (
    LeidenSettings,
    leiden_membership,
    local_influence,
    modularity,
    undirected_weighted,
)

__all__ = [
    "CommunityResult",
    "CommunitySettings",
    "LeidenSettings",
    "PartitionAgreement",
    "agreement",
    "analyse",
    "build_graph",
    "community_label",
    "graph_features",
    "interaction_edges",
    "leiden_membership",
    "local_influence",
    "modularity",
    "undirected_weighted",
    "without_brand_mentions",
]
