"""The ``word_of_mouth`` goal: creators under the budget whose combined expected spread through
the interaction graph is largest (independent cascade; docs/word-of-mouth.md).

The candidates are filtered, priced and explained as for every goal (``prepare`` / ``explain``);
only the objective differs: the expected number of people activated when the chosen creators
start a cascade on the edge table's graph, maximised by budgeted IMM (``_influence``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.errors import PlanError
from creatorlens.planner._brief import Brief
from creatorlens.planner._figures import Figure
from creatorlens.planner._influence import InfluenceResult, budgeted_imm, influence_graph
from creatorlens.planner._money import format_number
from creatorlens.planner._optimizer import Selection, _blocked, _State
from creatorlens.planner._plan import (
    ConstraintStatus,
    Plan,
    PlanNote,
    _empty_plan,
    build_problem,
    explain,
    prepare,
)

GOAL = "word_of_mouth"
EDGE_COLUMNS = ("source", "target")


def _edge_frame(edges: Any) -> pd.DataFrame:
    if edges is None:
        raise PlanError(
            "goal word_of_mouth needs an edge table (columns source, target, kind, weight): "
            "ingest an edges file (comments, mentions, collaborations or follower lists) or pass "
            "edges=..., or plan with another goal"
        )
    frame = edges if isinstance(edges, pd.DataFrame) else edges.to_pandas()
    missing = [c for c in EDGE_COLUMNS if c not in frame]
    if missing:
        raise PlanError(f"the edge table lacks column(s) {', '.join(missing)}")
    if frame.empty:
        raise PlanError("goal word_of_mouth: the edge table is empty, so no spread can be computed")
    return frame


def _unsupported(brief: Brief) -> None:
    c = brief.constraints
    unsupported = [
        name
        for name, used in (
            ("tier_shares", bool(c.tier_shares)),
            ("platform_shares", bool(c.platform_shares)),
            ("include", bool(c.include)),
            ("max_posts_per_creator > 1", c.max_posts_per_creator > 1),
        )
        if used
    ]
    if unsupported:
        raise PlanError(
            f"goal word_of_mouth does not support {', '.join(unsupported)} (a seed set has no "
            "share or repeat-post constraints in budgeted IMM); drop them or use another goal"
        )


def _graph_nodes(frame: pd.DataFrame, index: Mapping[str, int]) -> np.ndarray:
    """The graph node of each candidate row (by creator_id, then handle, then @handle), or -1."""
    out = np.full(len(frame), -1, dtype=np.int64)
    for row, (cid, handle) in enumerate(
        zip(frame["creator_id"].astype(str), frame["handle"].astype(str), strict=True)
    ):
        bare = handle.lstrip("@")
        for key in (cid, handle, bare, "@" + bare, bare.lower()):
            if key in index:
                out[row] = index[key]
                break
    return out


def _spread_figure(result: InfluenceResult) -> Figure:
    source = (
        f"independent cascade, {result.rr_sets:,} RR sets; n x share of independent RR sets "
        "containing a chosen creator, 95% binomial interval"
    )
    return Figure.from_one_source(
        result.spread_low, result.spread, result.spread_high, "people activated (word of mouth)", source
    )


def plan_word_of_mouth(
    candidates: pd.DataFrame,
    brief: Brief,
    edges: Any,
    *,
    posts: Mapping[str, float] | None = None,
    near_misses: int = 5,
    seed: int = 0,
) -> Plan:
    """A plan for the word_of_mouth goal. ``edges``: the edge table (pandas or pyarrow);
    ``posts``: post counts per influencer node for interaction-rate probabilities."""
    edge_frame = _edge_frame(edges)
    _unsupported(brief)
    goal = brief.goal_weights()
    frame, statuses = prepare(candidates, brief)
    report = frame.attrs["candidate_report"]
    if frame.empty:
        return _empty_plan(brief, statuses, report, len(candidates), frame)
    graph = influence_graph(edge_frame, posts=posts)
    node_of_row = _graph_nodes(frame, graph.index())
    outside = int((node_of_row < 0).sum())
    statuses = [
        *statuses,
        ConstraintStatus(
            name="graph",
            status="filter",
            detail=f"candidates absent from the edge table (no spread beyond themselves): "
            f"removed {outside:,} candidates",
            note=PlanNote(
                code="filter_graph",
                values={"removed": outside},
                text=f"candidates absent from the edge table (no spread beyond themselves): "
                f"removed {outside:,} candidates",
            ),
        ),
    ]
    problem, rows = build_problem(frame, brief)
    item_of_row = {int(rows[i]): int(i) for i in np.flatnonzero(problem.post == 1)}
    node_cost = np.full(graph.n, np.inf)
    allowed = np.zeros(graph.n, dtype=bool)
    for row, node in enumerate(node_of_row):
        if node >= 0:
            price = float(problem.cost[item_of_row[row]])
            if price <= problem.creator_cap and price < node_cost[node]:
                node_cost[node], allowed[node] = price, True
    row_of_node = {int(node): row for row, node in enumerate(node_of_row) if node >= 0}
    result = budgeted_imm(
        graph,
        np.where(allowed, node_cost, 1.0),
        problem.budget,
        allowed=allowed,
        max_seeds=brief.constraints.max_creators,
        seed=seed,
    )
    singles = result.singles if result.singles is not None else np.zeros(graph.n)
    value = np.zeros(problem.n_items)
    for row, node in enumerate(node_of_row):
        if node >= 0:
            value[item_of_row[row]] = float(singles[node])
    chosen_items = [item_of_row[row_of_node[s]] for s in result.seeds]
    for item, gain in zip(chosen_items, result.gains, strict=True):
        value[item] = gain  # replay of the plan adds each seed's marginal spread
    problem = replace(problem, value=value, overlap=False, groups=[])
    state = _State(problem)
    for item in chosen_items:
        state.add(item)
    selection = Selection(
        items=chosen_items,
        objective=float(sum(result.gains)),
        upper_bound=max(result.upper_bound, float(sum(result.gains))),
        method=result.method,
        blocked_by=_blocked(state),
        unmet=[],
        seconds=result.seconds,
    )
    base = explain(
        frame, brief, goal, problem, rows, selection, statuses,
        candidates_total=len(candidates), near_misses=near_misses, report=report,
    )  # fmt: skip
    capped = len(result.seeds) >= brief.constraints.max_creators
    return _word_of_mouth_plan(base, result, graph.probability_basis, graph.n, capped)


def _word_of_mouth_plan(
    base: Plan, result: InfluenceResult, basis: str, nodes: int, capped: bool
) -> Plan:
    creators = []
    for rank, c in enumerate(base.creators, start=1):
        head = PlanNote(
            code="why_spread",
            values={"rank": rank, "currency": base.currency, "people": format_number(c.contribution)},
            text=f"#{rank} by expected word-of-mouth spread per {base.currency}: adds "
            f"~{format_number(c.contribution)} people to the cascade of the creators before it",
        )
        creators.append(
            c.model_copy(
                update={
                    "why": head.text + "; " + c.why.split("; ", 1)[-1],
                    "why_notes": [head, *c.why_notes[1:]],
                }
            )
        )
    values = {
        "probability": f"{result.probability:.4f}",
        "share": f"{result.guarantee:.1%}",
        "epsilon": f"{result.epsilon:g}",
        "reached": f"{base.guarantee:.1%}",
        "spread": format_number(result.spread),
        "spread_low": format_number(result.spread_low),
        "spread_high": format_number(result.spread_high),
        "bound": format_number(result.upper_bound),
        "capped": capped,
    }
    text = (
        f"budgeted IMM: with probability >= {result.probability:.4f} the expected spread is at "
        f"least {result.guarantee:.1%} of the best affordable seed set (1 - 1/sqrt(e) - eps, eps "
        f"{result.epsilon:g}; Nguyen, Dinh and Thai 2016 / Tang, Shi and Xiao 2015); on these "
        f"RR sets the plan reaches {base.guarantee:.1%} of the data-dependent bound "
        f"(spread {format_number(result.spread)} [{format_number(result.spread_low)}, "
        f"{format_number(result.spread_high)}] <= optimum <~ {format_number(result.upper_bound)})"
    )
    if capped:
        text += (
            "; the creator maximum binds: the a-priori factor is proved for the budget alone, "
            "the data-dependent bound covers both limits"
        )
    graph_note = PlanNote(
        code="assume_word_of_mouth",
        values={"nodes": nodes, "basis": basis},
        text=f"word of mouth: independent cascade on the edge table's graph ({nodes:,} people); "
        f"{basis} (data/planner/word_of_mouth.toml [directions] says which way each edge kind "
        "carries influence).",
    )
    notes = [*base.assumption_notes, graph_note]
    return base.model_copy(
        update={
            "creators": creators,
            "totals": {**base.totals, "word_of_mouth_spread": _spread_figure(result)},
            "guarantee_text": text,
            "guarantee_note": PlanNote(code="guarantee_imm", values=values, text=text),
            "assumptions": [*base.assumptions, graph_note.text],
            "assumption_notes": notes,
        }
    )
