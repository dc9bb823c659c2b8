"""The communities domain: graph building, features, Leiden and local influence (pure)."""

from __future__ import annotations

import json
import math
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _frames import number
from creatorlens.communities import (
    LeidenSettings,
    agreement,
    analyse,
    build_graph,
    graph_features,
    interaction_edges,
    leiden_membership,
    local_influence,
    modularity,
)


def _edges(pairs: list[tuple[str, str]], kind: str = "follow") -> pd.DataFrame:
    return pd.DataFrame(
        {"source_id": [a for a, _ in pairs], "target_id": [b for _, b in pairs], "kind": kind, "weight": 1.0}
    )


def planted(groups: int, size: int, p_in: float, p_out: float, seed: int) -> tuple[pd.DataFrame, list[int]]:
    """A directed planted-partition graph and the true group of each node n0..n{groups*size-1}."""
    rng = np.random.default_rng(seed)
    n = groups * size
    truth = [i // size for i in range(n)]
    pairs = [
        (f"n{i}", f"n{j}")
        for i in range(n)
        for j in range(n)
        if i != j and rng.random() < (p_in if truth[i] == truth[j] else p_out)
    ]
    return _edges(pairs), truth


def test_features_of_a_small_graph() -> None:
    # a <-> b, a -> c, c -> a, d -> a, self-loop d -> d dropped, b -> a twice summed
    edges = _edges([("a", "b"), ("b", "a"), ("b", "a"), ("a", "c"), ("c", "a"), ("d", "a"), ("d", "d")])
    graph = build_graph(edges)
    assert graph.vcount() == 4 and graph.ecount() == 5
    assert graph.es[graph.get_eid(graph.vs.find("b").index, graph.vs.find("a").index)]["weight"] == 2.0
    f = graph_features(graph).set_index("node")
    assert f.loc["a", "in_degree"] == 3 and f.loc["a", "out_degree"] == 2
    assert f.loc["a", "reciprocity"] == 1.0  # both accounts a points at point back
    assert f.loc["d", "reciprocity"] == 0.0
    # no b-c edge, so no triangle: the undirected graph is a star around a, every coreness 1
    assert f["k_core"].tolist() == [1, 1, 1, 1]


def test_k_core_of_a_clique_with_a_tail() -> None:
    clique = [(x, y) for x in "abcd" for y in "abcd" if x != y]
    f = graph_features(build_graph(_edges([*clique, ("e", "a")]))).set_index("node")
    assert f.loc[list("abcd"), "k_core"].tolist() == [3, 3, 3, 3]
    assert f.loc["e", "k_core"] == 1
    assert math.isnan(number(f, "b", "reciprocity")) is False
    assert f.loc["e", "out_degree"] == 1 and f.loc["e", "in_degree"] == 0


def test_node_pointing_at_nobody_has_unknown_reciprocity() -> None:
    f = graph_features(build_graph(_edges([("a", "b")]))).set_index("node")
    assert math.isnan(number(f, "b", "reciprocity"))


def test_kind_weights_scale_edges() -> None:
    edges = pd.concat([_edges([("a", "b")], "comment"), _edges([("a", "b")], "follow")])
    graph = build_graph(edges, {"comment": 3.0, "follow": 1.0})
    assert graph.es[0]["weight"] == 4.0


def test_leiden_recovers_planted_communities_and_is_reproducible() -> None:
    edges, truth = planted(groups=4, size=30, p_in=0.3, p_out=0.01, seed=3)
    graph = build_graph(edges)
    order = [int(name[1:]) for name in graph.vs["name"]]
    found = leiden_membership(graph, LeidenSettings(seed=1))
    score = agreement([truth[i] for i in order], found.tolist())
    assert score.nmi > 0.95 and score.ari > 0.95
    assert np.array_equal(found, leiden_membership(graph, LeidenSettings(seed=1)))
    assert modularity(graph, found) > 0.5
    # largest community is numbered 0
    assert np.bincount(found)[0] == np.bincount(found).max()


def test_local_influence_of_a_star() -> None:
    # every fan follows the hub; fan1 also follows fan2; a separate pair elsewhere
    pairs = [(f"fan{i}", "hub") for i in range(1, 6)] + [("fan1", "fan2"), ("x", "y"), ("y", "x")]
    graph = build_graph(_edges(pairs))
    membership = np.array([1 if name in ("x", "y") else 0 for name in graph.vs["name"]])
    infl = local_influence(graph, membership).set_index("node")
    hub = infl.loc["hub"]
    assert hub["community_size"] == 6
    assert hub["reach_1hop"] == 1.0 and hub["reach_2hop"] == 1.0 and hub["leader_score"] == 100.0
    assert infl.loc["fan2", "reach_1hop"] == pytest.approx(1 / 5)
    assert infl.loc["fan3", "reach_1hop"] == 0.0
    assert infl.loc["fan2", "leader_score"] < hub["leader_score"]
    # PageRank sums to 1 within each community
    assert infl.groupby("community")["local_pagerank"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_interaction_edges_from_comments_replies_and_mentions() -> None:
    posts = pd.DataFrame(
        {"post_id": ["tiktok:1", "tiktok:2"], "creator_id": ["tiktok:ana", "tiktok:ben"],
         "platform": ["tiktok", "tiktok"], "mentions": ["ben Cara", None]}
    )  # fmt: skip
    comments = pd.DataFrame(
        {"comment_id": ["tiktok:c1", "tiktok:c2", "tiktok:c3", "tiktok:c4"],
         "post_id": ["tiktok:1", "tiktok:1", "tiktok:2", "tiktok:9"],
         "author": ["Zed", "ana", "zed", "lost"], "reply_to": [None, "tiktok:c1", None, None]}
    )  # fmt: skip
    got = interaction_edges(comments, posts)
    rows = sorted(map(tuple, got[["source_id", "target_id", "kind"]].to_numpy().tolist()))
    assert rows == [
        ("tiktok:ana", "tiktok:ana", "comment"),  # the creator's own reply: a self-loop, dropped later
        ("tiktok:ana", "tiktok:ben", "mention"),
        ("tiktok:ana", "tiktok:cara", "mention"),
        ("tiktok:ana", "tiktok:zed", "reply"),
        ("tiktok:zed", "tiktok:ana", "comment"),
        ("tiktok:zed", "tiktok:ben", "comment"),
    ]


def test_analyse_summarises_communities_with_profiles() -> None:
    edges, _ = planted(groups=2, size=20, p_in=0.4, p_out=0.0, seed=5)
    profiles = pd.DataFrame(
        {"creator_id": ["n0", "n1", "n25"], "country": ["KR", "KR", "US"],
         "language": ["ko", "ko", "en"], "main_niche": ["food", "beauty", None]}
    )  # fmt: skip
    result = analyse(edges, profiles)
    assert sorted(result.creators["creator_id"]) == ["n0", "n1", "n25"]
    assert len(result.communities) == 2 and result.communities["size"].tolist() == [20, 20]
    community = cast(int, result.creators.set_index("creator_id").loc["n0", "community"])
    first = cast("pd.Series[Any]", result.communities.set_index("community").loc[community])  # one row
    assert first["creators"] == 2
    assert json.loads(first["countries"]) == [{"value": "KR", "share": 1.0}]
    assert {d["value"] for d in json.loads(first["main_niches"])} == {"food", "beauty"}
    assert first["leader"] in {"n0", "n1"}
    other = result.communities[result.communities["creators"] == 1].iloc[0]
    assert json.loads(other["main_niches"]) == []  # unknown niche: no made-up value


def test_analyse_of_no_edges_is_empty() -> None:
    empty = pd.DataFrame({"source_id": [], "target_id": [], "kind": [], "weight": []})
    result = analyse(empty, pd.DataFrame({"creator_id": ["a"], "country": ["KR"], "language": ["ko"]}))
    assert result.creators.empty and result.communities.empty and result.nodes == 0


@settings(max_examples=30, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 12)).map(lambda t: (f"v{t[0]}", f"v{t[1]}")),
        min_size=1, max_size=60,
    ),
    seed=st.integers(0, 1000),
)  # fmt: skip
def test_influence_values_stay_in_their_ranges(pairs: list[tuple[str, str]], seed: int) -> None:
    graph = build_graph(_edges(pairs))
    if graph.vcount() == 0:
        return
    membership = leiden_membership(graph, LeidenSettings(seed=seed))
    assert len(membership) == graph.vcount()
    infl = local_influence(graph, membership)
    assert len(infl) == graph.vcount()
    known = infl.dropna(subset=["reach_2hop"])
    assert ((known["reach_1hop"] >= 0) & (known["reach_1hop"] <= known["reach_2hop"] + 1e-12)).all()
    assert (known["reach_2hop"] <= 1).all()
    assert ((known["leader_score"] >= 0) & (known["leader_score"] <= 100 + 1e-9)).all()
    features = graph_features(graph)
    assert (features["k_core"] <= features["in_degree"] + features["out_degree"]).all()


def test_without_brand_mentions_drops_only_mentions_of_brand_accounts() -> None:
    from creatorlens.communities import without_brand_mentions

    edges = pd.DataFrame(
        {"source_id": ["ig:a", "ig:a", "ig:b", "ig:c"], "target_id": ["ig:brand", "ig:b", "ig:brand", "ig:brand"],
         "kind": ["mention", "mention", "follow", "mention"], "weight": 1.0}
    )  # fmt: skip
    kept = without_brand_mentions(edges, {"ig:brand"})
    rows = sorted(map(tuple, kept[["source_id", "target_id", "kind"]].to_numpy().tolist()))
    # a follow of the brand's account is still a tie; a mention of a creator is a collaboration
    assert rows == [("ig:a", "ig:b", "mention"), ("ig:b", "ig:brand", "follow")]
    assert without_brand_mentions(edges, set()).equals(edges)
