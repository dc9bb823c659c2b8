"""The ``graph`` scoring step: the workspace's edges (ingested edges files, comments, replies and
mentions) to ``graph_features`` (per creator, joined into the creator view) and ``communities``."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import pyarrow as pa

from creatorlens.communities._analysis import CommunityResult, CommunitySettings, analyse
from creatorlens.communities._graph import EDGE_COLUMNS, interaction_edges, without_brand_mentions
from creatorlens.store import COMMUNITIES, GRAPH_FEATURES, Store, conform


def _frame(store: Store, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = store.frame(name, columns)
    return pd.DataFrame(columns=list(columns)) if frame is None else frame


def load_edges(store: Store, brand_accounts: Collection[str] = ()) -> pd.DataFrame:
    """Every edge the workspace holds or implies, with ``EDGE_COLUMNS``, less the mentions of
    ``brand_accounts`` (node ids) that are not creators of the workspace (``without_brand_mentions``)."""
    stored = _frame(store, "edges", EDGE_COLUMNS)
    comments = _frame(store, "comments", ("comment_id", "post_id", "author", "reply_to"))
    posts = _frame(store, "posts", ("post_id", "creator_id", "platform", "mentions"))
    implied = interaction_edges(comments, posts)
    parts = [f for f in (stored, implied) if len(f)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EDGE_COLUMNS})
    edges = pd.concat(parts, ignore_index=True)
    if not brand_accounts:
        return edges
    creators = _frame(store, "creators", ("creator_id",))["creator_id"]
    return without_brand_mentions(edges, set(brand_accounts) - set(creators))


def load_profiles(store: Store) -> pd.DataFrame:
    """creator_id, main_niche, country, language of every creator."""
    creators = _frame(store, "creators", ("creator_id", "country", "language"))
    niches = _frame(store, "content_scores", ("creator_id", "main_niche"))
    return creators.merge(niches, on="creator_id", how="left")


def communities_of(
    store: Store, settings: CommunitySettings | None = None, brand_accounts: Collection[str] = ()
) -> CommunityResult:
    settings = settings or CommunitySettings.load()
    ignored = () if settings.brand_mentions_are_ties else brand_accounts
    return analyse(load_edges(store, ignored), load_profiles(store), settings)


def score_graph(store: Store, brand_accounts: Collection[str] = ()) -> None:
    """Write the two tables; ``brand_accounts``: node ids of the accounts the brands step found
    to be brands (their mentions are commercial ties, left out unless the settings say not)."""
    result = communities_of(store, brand_accounts=brand_accounts)
    store.replace_table(
        GRAPH_FEATURES.name,
        conform(pa.Table.from_pandas(result.creators, preserve_index=False), GRAPH_FEATURES),
    )
    store.replace_table(
        COMMUNITIES.name,
        conform(pa.Table.from_pandas(result.communities, preserve_index=False), COMMUNITIES),
    )


__all__ = ["communities_of", "load_edges", "load_profiles", "score_graph"]
