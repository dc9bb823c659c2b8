"""The word_of_mouth planner goal: seeds under the budget that spread furthest on the edge graph."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creatorlens.errors import PlanError
from creatorlens.planner import Brief, plan, synthetic_candidates
from creatorlens.planner._influence import influence_graph
from creatorlens.planner._monte_carlo import MonteCarlo


def _planted(candidates: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """30 fans follow each creator (fan -> creator); each fan of a 'connected' (nano or micro)
    creator has 5 followers of its own, so a cascade from those creators reaches 6 times as far."""
    small = candidates[candidates["tier"].isin(["nano", "micro"])]
    connected = set(small["creator_id"].head(5))
    rows = []
    for k, creator in enumerate(candidates["creator_id"]):
        fans = [f"fan{k}_{j}" for j in range(30)]
        rows += [(f, creator, "follow", 1.0) for f in fans]
        if creator in connected:
            rows += [(f"{f}_follower{i}", f, "follow", 1.0) for f in fans for i in range(5)]
    return pd.DataFrame(rows, columns=["source", "target", "kind", "weight"]), connected


def test_word_of_mouth_without_edges_says_what_it_needs() -> None:
    candidates = synthetic_candidates(30, seed=1)
    with pytest.raises(PlanError, match="needs an edge table"):
        plan(candidates, Brief.build(budget=10_000, goal="word_of_mouth"))
    with pytest.raises(PlanError, match="lacks column"):
        plan(candidates, Brief.build(budget=10_000, goal="word_of_mouth"), edges=pd.DataFrame({"a": [1]}))


def test_word_of_mouth_picks_the_creators_whose_fans_pass_it_on() -> None:
    candidates = synthetic_candidates(40, seed=2)
    edges, connected = _planted(candidates)
    brief = Brief.build(budget=50_000, goal="word_of_mouth", constraints={"max_creators": 5})
    result = plan(candidates, brief, edges=edges)
    chosen = {c.creator_id for c in result.creators}
    assert chosen, result.shortfall
    assert result.cost_at_basis <= brief.budget * (1 + 1e-9)
    assert chosen == connected  # the five creators whose fans pass it on
    spread = result.totals["word_of_mouth_spread"]
    assert spread.low <= spread.mid <= spread.high
    assert "1 - 1/sqrt(e)" in result.guarantee_text
    assert any("independent cascade" in note for note in result.assumptions)
    # the RR estimate agrees with a Monte-Carlo simulation of the same cascade
    graph = influence_graph(edges)
    index = graph.index()
    mc, se = MonteCarlo(graph).spread([index[c] for c in chosen], 20_000)
    assert abs(mc - spread.mid) <= 4 * np.hypot(se, (spread.high - spread.mid) / 1.96) + 1e-9


def test_other_goals_ignore_the_edge_table() -> None:
    candidates = synthetic_candidates(30, seed=3)
    edges, _ = _planted(candidates)
    brief = Brief.build(budget=5_000, goal="awareness")
    with_edges = plan(candidates, brief, edges=edges, frontier=False)
    without = plan(candidates, brief, frontier=False)
    assert [c.creator_id for c in with_edges.creators] == [c.creator_id for c in without.creators]


def test_word_of_mouth_refuses_constraints_it_cannot_honour() -> None:
    candidates = synthetic_candidates(30, seed=4)
    edges, _ = _planted(candidates)
    brief = Brief.build(
        budget=5_000, goal="word_of_mouth", constraints={"tier_shares": {"nano": {"min": 0.5}}}
    )
    with pytest.raises(PlanError, match="tier_shares"):
        plan(candidates, brief, edges=edges)
