"""Turn candidates and a brief into an explained plan (docs/planner.md).

Steps: filter candidates by the brief's hard constraints; price one deliverable each and estimate
its outcomes (ranges with sources); weight reachable target audience by the goal preset; solve the
budgeted selection (lazy greedy with a stated bound when audiences overlap, exact HiGHS knapsack
when they do not); explain who is in, who nearly made it and which constraints bind.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from creatorlens.audience import coverage_reach, reachable_audience, segment_pools
from creatorlens.audience._data import assumptions
from creatorlens.planner._brief import TIERS, Brief, GoalWeights
from creatorlens.planner._costs import price_deliverables
from creatorlens.planner._figures import Figure, ratio_figure, sum_figures
from creatorlens.planner._optimizer import (
    GroupConstraint,
    Problem,
    Selection,
    _State,
    greedy_plan,
    milp_plan,
)
from creatorlens.planner._outcomes import RATE_KEYS, expected_outcomes

REQUIRED_COLUMNS = ("creator_id", "handle", "platform", "tier", "followers")
#: Knapsacks (no overlap) up to this many items go to HiGHS; larger ones use greedy + bound.
MILP_MAX_ITEMS = 50_000


class PlanError(ValueError):
    """A plan that cannot be made from these candidates and this brief; the message says why."""


class PlanCreator(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    tier: str
    followers: int
    posts: int
    fit: float
    fit_basis: str
    niche: str
    cost: Figure
    impressions: Figure
    engagements: Figure
    target_reach: Figure
    clicks: Figure
    conversions: Figure
    earned_media_value: Figure
    contribution: float
    why: str


class NearMiss(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    tier: str
    cost: Figure
    gain_per_cost: float
    why_out: str


class ConstraintStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    status: Literal["binding", "slack", "unmet", "filter"]
    detail: str


class TierMix(BaseModel):
    model_config = ConfigDict(frozen=True)

    tier: str
    creators: int
    posts: int
    spend_share: float
    spend: Figure


class Plan(BaseModel):
    """A campaign plan. JSON-serialisable (``plan.model_dump_json()``)."""

    model_config = ConfigDict(frozen=True)

    brief: Brief
    goal: GoalWeights
    currency: str
    creators: list[PlanCreator]
    near_misses: list[NearMiss]
    tier_mix: list[TierMix]
    totals: dict[str, Figure]
    objective: float
    upper_bound: float
    guarantee: float
    guarantee_text: str
    method: str
    constraints: list[ConstraintStatus]
    assumptions: list[str]
    candidates_total: int
    candidates_eligible: int
    seconds: float

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for c in self.creators:
            row: dict[str, Any] = {
                "creator_id": c.creator_id,
                "handle": c.handle,
                "platform": c.platform,
                "tier": c.tier,
                "followers": c.followers,
                "posts": c.posts,
                "fit": c.fit,
                "fit_basis": c.fit_basis,
                "niche": c.niche,
            }
            for name in (
                "cost",
                "impressions",
                "engagements",
                "target_reach",
                "clicks",
                "conversions",
                "earned_media_value",
            ):
                fig: Figure = getattr(c, name)
                row[f"{name}_low"], row[f"{name}_mid"], row[f"{name}_high"] = (
                    fig.low,
                    fig.mid,
                    fig.high,
                )
                row[f"{name}_source"] = fig.mid_source
            row["why"] = c.why
            rows.append(row)
        return pd.DataFrame(rows)


class PlanDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    change: str
    added: list[str]
    removed: list[str]
    totals_before: dict[str, Figure]
    totals_after: dict[str, Figure]
    tier_mix_before: dict[str, float]
    tier_mix_after: dict[str, float]


# -- preparation -----------------------------------------------------------------------------------


def _text_col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].fillna("").astype(str)
    return pd.Series("", index=frame.index)


def _filter(candidates: pd.DataFrame, brief: Brief) -> tuple[pd.DataFrame, list[ConstraintStatus]]:
    c = brief.constraints
    frame = candidates
    ids = frame["creator_id"].astype(str).str.lower()
    handles = frame["handle"].astype(str).str.lower().str.lstrip("@")
    included = ids.isin(c.include) | handles.isin(c.include)
    missing = set(c.include) - set(ids[included]) - set(handles[included])
    if missing:
        raise PlanError(f"include list: {', '.join(sorted(missing))} not among the candidates")
    keep = pd.Series(True, index=frame.index)
    statuses: list[ConstraintStatus] = []

    def apply(name: str, mask: pd.Series, detail: str) -> None:
        nonlocal keep
        removed = int((keep & ~mask & ~included).sum())
        keep &= mask | included
        statuses.append(
            ConstraintStatus(
                name=name, status="filter", detail=f"{detail}: removed {removed:,} candidates"
            )
        )

    tiers = frame["tier"].astype(str)
    apply("tier", tiers.isin(TIERS), "creators without a tier (below 100 followers)")
    if brief.platforms:
        apply(
            "platforms",
            frame["platform"].isin(brief.platforms),
            "platforms " + ",".join(brief.platforms),
        )
    if brief.niches:
        text = (_text_col(frame, "main_niche") + " " + _text_col(frame, "categories")).str.lower()
        mask = text.map(lambda t: any(n in t for n in brief.niches))
        apply("niches", mask.astype(bool), "niches " + ",".join(brief.niches))
    if c.countries:
        apply(
            "countries",
            _text_col(frame, "country").str.upper().isin(c.countries),
            "creator country in " + ",".join(c.countries),
        )
    if c.exclude:
        out = ids.isin(c.exclude) | handles.isin(c.exclude)
        keep &= ~out
        statuses.append(
            ConstraintStatus(
                name="exclude", status="filter", detail=f"excluded {int(out.sum())} listed creators"
            )
        )
    for name, column, bound in (
        ("min_fit", "fit", c.min_fit),
        ("min_audience_quality", "audience_quality", c.min_audience_quality),
        ("min_transparency", "transparency", c.min_transparency),
    ):
        if bound is None:
            continue
        if column not in frame:
            raise PlanError(
                f"{name} needs the {column!r} score, which these candidates do not have; "
                "run `creatorlens score` (or drop the constraint)"
            )
        values = frame[column].astype(float)
        apply(
            name,
            (values >= bound).fillna(False).astype(bool),
            f"{column} >= {bound:g} (missing score counts as below)",
        )
    return frame[keep].copy(), statuses


def _engagement_relative(frame: pd.DataFrame) -> np.ndarray:
    er = frame.get("er_followers_lc_median", pd.Series(np.nan, index=frame.index)).astype(float)
    peers = er.groupby([frame["platform"], frame["tier"]]).transform("median")
    rel = (er / peers).replace([np.inf, -np.inf], np.nan).fillna(1.0)
    clipped: np.ndarray = np.clip(rel.to_numpy(dtype=float), 0.1, 10.0)
    return clipped


def _quality(frame: pd.DataFrame, goal: GoalWeights) -> np.ndarray:
    """q_i = tier preference x product of feature^weight (goals.toml)."""
    q = frame["tier"].map(goal.tier_preference).fillna(0.0).to_numpy(dtype=float)
    features = {
        "engagement": _engagement_relative(frame),
        "fit": frame["fit"].to_numpy(dtype=float),
        "expertise": frame.get("expertise", pd.Series(np.nan, index=frame.index)).to_numpy(float),
        "audience_quality": frame.get(
            "audience_quality", pd.Series(np.nan, index=frame.index)
        ).to_numpy(float),
        "transparency": frame.get("transparency", pd.Series(np.nan, index=frame.index)).to_numpy(
            float
        ),
    }
    for name, values in features.items():
        weight = float(getattr(goal, name))
        if weight == 0:
            continue
        filled = np.where(np.isfinite(values), values, goal.missing_score)
        q = q * np.power(np.clip(filled, 1e-6, None), weight)
    return q


def _segment(frame: pd.DataFrame) -> pd.Series:
    niche = _text_col(frame, "main_niche")
    if (niche == "").all():
        niche = _text_col(frame, "categories").str.split("|").str[0]
    return (
        frame["platform"].astype(str)
        + "|"
        + niche.str.lower()
        + "|"
        + _text_col(frame, "country").str.upper()
    )


def prepare(candidates: pd.DataFrame, brief: Brief) -> tuple[pd.DataFrame, list[ConstraintStatus]]:
    """Filter, price and score candidates; one row per creator with every column the plan uses."""
    for column in REQUIRED_COLUMNS:
        if column not in candidates:
            raise PlanError(f"candidates lack column {column!r}")
    frame = candidates.reset_index(drop=True).copy()
    if "fit" not in frame:
        frame["fit"] = 1.0
    frame["fit"] = frame["fit"].astype(float).fillna(0.0)
    if "fit_basis" not in frame:
        frame["fit_basis"] = "not computed (fit = 1)"
    frame, statuses = _filter(frame, brief)
    frame = frame.reset_index(drop=True)
    if frame.empty:
        return frame, statuses
    outcomes = expected_outcomes(frame, ctr=brief.ctr, cvr=brief.cvr)
    frame = pd.concat([frame, outcomes], axis=1)
    frame["expected_views"] = frame["views_mid"]
    costs = price_deliverables(
        frame, deliverable=brief.deliverables, options=brief.options, quotes=brief.quotes
    )
    frame = pd.concat([frame, costs], axis=1)
    for key in RATE_KEYS:
        frame[f"reach_{key}"] = reachable_audience(
            frame["followers"], frame["fit"], frame[f"views_{key}"] / frame["followers"]
        )
    frame["quality"] = _quality(frame, brief.goal_weights())
    frame["segment"] = _segment(frame)
    frame = frame[np.isfinite(frame["cost_mid"]) & (frame["cost_mid"] > 0)].reset_index(drop=True)
    return frame, statuses


def build_problem(
    frame: pd.DataFrame, brief: Brief, pool_frame: pd.DataFrame | None = None
) -> tuple[Problem, np.ndarray]:
    """Items = (creator, k-th post) for k <= max_posts_per_creator; returns the problem and the
    row of ``frame`` behind each item."""
    goal = brief.goal_weights()
    c = brief.constraints
    posts = c.max_posts_per_creator
    n = len(frame)
    rows = np.repeat(np.arange(n), posts)
    post = np.tile(np.arange(1, posts + 1), n)
    effective = (frame["reach_mid"] * frame["quality"]).to_numpy(dtype=float)
    value = effective[rows] * goal.repeat_post_reach ** (post - 1)
    seg_codes, seg_labels = pd.factorize(frame["segment"])
    source = frame if pool_frame is None else pool_frame
    pools_by_label = segment_pools(
        _segment(source).to_numpy() if pool_frame is not None else source["segment"].to_numpy(),
        (source["followers"].astype(float) * source["fit"].astype(float)).to_numpy(),
    )
    pools = np.array([pools_by_label.get(str(s), 1.0) for s in seg_labels], dtype=float)
    budget = brief.budget_usd
    groups = []
    for name, column, bounds in (
        ("tier", "tier", c.tier_shares),
        ("platform", "platform", c.platform_shares),
    ):
        if not bounds:
            continue
        codes, labels = pd.factorize(frame[column].astype(str))
        label_list = [str(x) for x in labels]
        for extra in bounds:
            if extra not in label_list:
                label_list.append(extra)
        mins = np.array([bounds[x].min * budget if x in bounds else 0.0 for x in label_list])
        maxs = np.array([bounds[x].max * budget if x in bounds else np.inf for x in label_list])
        groups.append(GroupConstraint(name, codes[rows], label_list, mins, maxs))
    ids = frame["creator_id"].astype(str).str.lower()
    handles = frame["handle"].astype(str).str.lower().str.lstrip("@")
    included = (ids.isin(c.include) | handles.isin(c.include)).to_numpy()
    problem = Problem(
        cost=frame["cost_mid"].to_numpy(dtype=float)[rows],
        value=value,
        segment=seg_codes[rows],
        pools=pools,
        creator=rows,
        post=post,
        budget=budget,
        creator_cap=c.max_budget_share_per_creator * budget,
        max_creators=c.max_creators,
        groups=groups,
        forced=included[rows] & (post == 1),
        overlap=brief.overlap,
    )
    return problem, rows


# -- explanation -----------------------------------------------------------------------------------


def _money(
    values: tuple[float, float, float],
    sources: tuple[str, str, str],
    unit: str,
    fx: float,
    fx_note: str,
) -> Figure:
    return Figure(
        low=values[0] / fx,
        mid=values[1] / fx,
        high=values[2] / fx,
        unit=unit,
        low_source=sources[0] + fx_note,
        mid_source=sources[1] + fx_note,
        high_source=sources[2] + fx_note,
    )


def _figure(
    row: pd.Series, prefix: str, unit: str, times: float = 1.0, source: str | None = None
) -> Figure:
    def src(key: str) -> str:
        if source is not None:
            return source
        return str(row.get(f"{prefix}_{key}_source", ""))

    return Figure(
        low=float(row[f"{prefix}_low"]) * times,
        mid=float(row[f"{prefix}_mid"]) * times,
        high=float(row[f"{prefix}_high"]) * times,
        unit=unit,
        low_source=src("low"),
        mid_source=src("mid"),
        high_source=src("high"),
    )


def _posts_factor(goal: GoalWeights, posts: int) -> float:
    return float(sum(goal.repeat_post_reach**k for k in range(posts)))


def _why(row: pd.Series, rank: int, ratio: float, goal: GoalWeights) -> str:
    pieces = [
        f"#{rank} by effective target reach per dollar ({ratio:,.2f} per USD)",
        f"reaches ~{row['reach_mid']:,.0f} target people per post (fit {row['fit']:.2f}, "
        f"{row['fit_basis']})",
        f"{row['tier']} preference {goal.tier_preference.get(str(row['tier']), 0):g} for goal "
        f"{goal.name}",
    ]
    er = row.get("er_followers_lc_median")
    if er is not None and isinstance(er, float) and math.isfinite(er):
        pieces.append(f"ER {er:.2%}")
    return "; ".join(pieces)


def _totals(
    chosen: pd.DataFrame,
    posts: dict[int, int],
    brief: Brief,
    goal: GoalWeights,
    pools: dict[str, float],
    unique_reach_mid: float,
) -> dict[str, Figure]:
    fx = brief.usd_per_unit or 1.0
    fx_note = "" if fx == 1.0 else f"; converted at {fx:g} USD per {brief.currency} (brief)"
    if chosen.empty:
        zero = Figure(
            low=0,
            mid=0,
            high=0,
            unit="",
            low_source="empty plan",
            mid_source="empty plan",
            high_source="empty plan",
        )
        return {"cost": zero}
    factors = np.array([posts[i] for i in chosen.index], dtype=float)
    reach_factors = np.array([_posts_factor(goal, posts[i]) for i in chosen.index])

    def total(prefix: str, unit: str, mult: np.ndarray, what: str, money: bool = False) -> Figure:
        values = tuple(float((chosen[f"{prefix}_{k}"] * mult).sum()) for k in RATE_KEYS)
        note = f"sum over {len(chosen)} creators of per-deliverable {what} (lows with lows)"
        if money:
            return _money(
                (values[0], values[1], values[2]), (note, note, note), brief.currency, fx, fx_note
            )
        return Figure(
            low=values[0],
            mid=values[1],
            high=values[2],
            unit=unit,
            low_source=note,
            mid_source=note,
            high_source=note,
        )

    totals = {
        "cost": total("cost", "", factors, "prices", money=True),
        "impressions": total("views", "impressions", factors, "impressions"),
        "engagements": total("engagements", "engagements", factors, "engagements"),
        "clicks": total("clicks", "clicks", factors, "clicks"),
        "conversions": total("conversions", "conversions", factors, "conversions"),
        "earned_media_value": total("emv", "", factors, "EMV", money=True),
    }
    reach_values = []
    for key in RATE_KEYS:
        reach = (chosen[f"reach_{key}"] * reach_factors).to_numpy()
        reach_values.append(coverage_reach(reach, chosen["segment"].to_numpy(), pools))
    note = (
        "coverage model: sum over segments of N_s(1 - prod(1 - reach_i/N_s)); pools and mixing "
        "from assumptions.toml [overlap_estimate]"
        if brief.overlap
        else "sum of reachable target audiences (brief: overlap = false)"
    )
    if not brief.overlap:
        reach_values = [float((chosen[f"reach_{k}"] * reach_factors).sum()) for k in RATE_KEYS]
    totals["unique_target_reach"] = Figure(
        low=reach_values[0],
        mid=reach_values[1],
        high=reach_values[2],
        unit="target people",
        low_source=note + " (low view rates)",
        mid_source=note,
        high_source=note + " (high)",
    )
    totals["cost_per_1k_impressions"] = ratio_figure(
        totals["cost"], totals["impressions"], f"{brief.currency} per 1K impressions", 1000.0
    )
    totals["cost_per_engagement"] = ratio_figure(
        totals["cost"], totals["engagements"], f"{brief.currency} per engagement"
    )
    totals["cost_per_target_person"] = ratio_figure(
        totals["cost"], totals["unique_target_reach"], f"{brief.currency} per target person"
    )
    return totals


def plan(
    candidates: pd.DataFrame,
    brief: Brief,
    *,
    method: str = "auto",
    seed_pairs: int = 0,
    near_misses: int = 5,
) -> Plan:
    """Choose creators and posts for ``brief`` from ``candidates`` (see plan_candidates)."""
    goal = brief.goal_weights()
    frame, statuses = prepare(candidates, brief)
    if frame.empty:
        raise PlanError(
            "no candidate passes the brief's filters: "
            + "; ".join(s.detail for s in statuses if s.status == "filter")
        )
    problem, rows = build_problem(frame, brief)
    use_milp = method == "milp" or (
        method == "auto" and not brief.overlap and problem.n_items <= MILP_MAX_ITEMS
    )
    try:
        selection: Selection = (
            milp_plan(problem) if use_milp else greedy_plan(problem, seed_pairs=seed_pairs)
        )
    except ValueError as exc:
        raise PlanError(str(exc)) from exc
    return explain(
        frame,
        brief,
        goal,
        problem,
        rows,
        selection,
        statuses,
        candidates_total=len(candidates),
        near_misses=near_misses,
    )


def explain(
    frame: pd.DataFrame,
    brief: Brief,
    goal: GoalWeights,
    problem: Problem,
    rows: np.ndarray,
    selection: Selection,
    statuses: list[ConstraintStatus],
    *,
    candidates_total: int,
    near_misses: int = 5,
) -> Plan:
    fx = brief.usd_per_unit or 1.0
    fx_note = "" if fx == 1.0 else f"; converted at {fx:g} USD per {brief.currency} (brief)"
    posts: dict[int, int] = {}
    first_rank: dict[int, int] = {}
    contribution: dict[int, float] = {}
    first_ratio: dict[int, float] = {}
    _, added = replay(problem, selection.items)
    for rank, (item, gain) in enumerate(zip(selection.items, added, strict=True), start=1):
        r = int(rows[item])
        posts[r] = posts.get(r, 0) + 1
        first_rank.setdefault(r, rank)
        first_ratio.setdefault(r, gain / float(problem.cost[item]))
        contribution[r] = contribution.get(r, 0.0) + gain
    chosen = frame.loc[sorted(posts, key=lambda r: first_rank[r])]
    creators: list[PlanCreator] = []
    for label, row in chosen.iterrows():
        r = int(str(label))
        k = posts[r]
        ratio = first_ratio[int(r)]
        cost = _money(
            (row["cost_low"] * k, row["cost_mid"] * k, row["cost_high"] * k),
            (
                str(row["cost_low_source"]),
                str(row["cost_mid_source"]),
                str(row["cost_high_source"]),
            ),
            brief.currency,
            fx,
            fx_note + (f"; x {k} posts" if k > 1 else ""),
        )
        creators.append(
            PlanCreator(
                creator_id=str(row["creator_id"]),
                handle=str(row["handle"]),
                platform=str(row["platform"]),
                tier=str(row["tier"]),
                followers=int(row["followers"]),
                posts=k,
                fit=float(row["fit"]),
                fit_basis=str(row["fit_basis"]),
                niche=str(row.get("main_niche", "") or row.get("categories", "") or ""),
                cost=cost,
                impressions=_figure(row, "views", "impressions", k),
                engagements=_figure(row, "engagements", "engagements", k),
                target_reach=_figure(
                    row,
                    "reach",
                    "target people",
                    _posts_factor(goal, k),
                    "followers x fit x view rate (capped at 1)",
                ),
                clicks=_figure(row, "clicks", "clicks", k, str(row["clicks_source"])),
                conversions=_figure(
                    row, "conversions", "conversions", k, str(row["conversions_source"])
                ),
                earned_media_value=_money(
                    (row["emv_low"] * k, row["emv_mid"] * k, row["emv_high"] * k),
                    (str(row["emv_source"]),) * 3,
                    brief.currency,
                    fx,
                    fx_note,
                ),
                contribution=contribution[int(r)],
                why=_why(row, first_rank[int(r)], ratio, goal),
            )
        )
    pools_map = dict(zip(pd.factorize(frame["segment"])[1].astype(str), problem.pools, strict=True))
    totals = _totals(chosen, posts, brief, goal, pools_map, selection.objective)
    spend = totals["cost"]
    mix = []
    total_mid = sum(c.cost.mid for c in creators) or 1.0
    for tier in TIERS:
        members = [c for c in creators if c.tier == tier]
        if not members:
            continue
        mix.append(
            TierMix(
                tier=tier,
                creators=len(members),
                posts=sum(c.posts for c in members),
                spend_share=sum(c.cost.mid for c in members) / total_mid,
                spend=sum_figures([c.cost for c in members], brief.currency, f"{tier} creators"),
            )
        )
    misses = _near_misses(frame, problem, rows, selection, brief, fx, fx_note, near_misses)
    constraint_list = [*statuses, *_constraint_statuses(selection, brief, spend)]
    guarantee = selection.guarantee
    return Plan(
        brief=brief,
        goal=goal,
        currency=brief.currency,
        creators=creators,
        near_misses=misses,
        tier_mix=mix,
        totals=totals,
        objective=selection.objective,
        upper_bound=selection.upper_bound,
        guarantee=guarantee,
        guarantee_text=(
            f"at least {guarantee:.1%} of the best possible plan under this objective "
            f"(objective {selection.objective:,.0f} <= optimum <= {selection.upper_bound:,.0f}; "
            f"{selection.method})"
        ),
        method=selection.method,
        constraints=constraint_list,
        assumptions=_assumption_notes(brief, goal, frame),
        candidates_total=candidates_total,
        candidates_eligible=len(frame),
        seconds=selection.seconds,
    )


def _near_misses(
    frame: pd.DataFrame,
    problem: Problem,
    rows: np.ndarray,
    selection: Selection,
    brief: Brief,
    fx: float,
    fx_note: str,
    limit: int,
) -> list[NearMiss]:
    state, added = replay(problem, selection.items)
    gains = state.gains()
    taken = {int(rows[i]) for i in selection.items}
    first = np.flatnonzero(problem.first_post & ~state.chosen)
    first = first[[int(rows[i]) not in taken for i in first]] if len(first) else first
    if not len(first):
        return []
    ratio = gains[first] / problem.cost[first]
    order = first[np.argsort(-ratio)][:limit]
    last_ratio = min(
        (g / float(problem.cost[i]) for g, i in zip(added, selection.items, strict=True)),
        default=math.inf,
    )
    out = []
    for i in order:
        row: pd.Series = frame.iloc[int(rows[i])]
        blocker = state.blocker(int(i))
        r = float(gains[i] / problem.cost[i])
        if blocker is not None:
            why = f"blocked by {blocker} (it would add {r:,.2f} effective reach per USD)"
        else:
            why = (
                f"adds {r:,.2f} effective reach per USD after the chosen creators' overlap; "
                f"the weakest pick added {last_ratio:,.2f}"
            )
        out.append(
            NearMiss(
                creator_id=str(row["creator_id"]),
                handle=str(row["handle"]),
                platform=str(row["platform"]),
                tier=str(row["tier"]),
                cost=_money(
                    (float(row["cost_low"]), float(row["cost_mid"]), float(row["cost_high"])),
                    (
                        str(row["cost_low_source"]),
                        str(row["cost_mid_source"]),
                        str(row["cost_high_source"]),
                    ),
                    brief.currency,
                    fx,
                    fx_note,
                ),
                gain_per_cost=r,
                why_out=why,
            )
        )
    return out


def replay(problem: Problem, items: list[int]) -> tuple[_State, list[float]]:
    """The final state of a selection and the marginal gain of each item when it was added."""
    state = _State(problem)
    gains = []
    for i in items:
        gains.append(state.gain(i))
        state.add(i)
    return state, gains


def _constraint_statuses(
    selection: Selection, brief: Brief, spend: Figure
) -> list[ConstraintStatus]:
    out = []
    for name, count in sorted(selection.blocked_by.items(), key=lambda kv: -kv[1]):
        out.append(
            ConstraintStatus(
                name=name,
                status="binding",
                detail=f"keeps out {count:,} deliverables that would still add reach",
            )
        )
    if "budget" not in selection.blocked_by:
        out.append(
            ConstraintStatus(
                name="budget",
                status="slack",
                detail=f"spent {spend.mid:,.0f} of {brief.budget:,.0f} {brief.currency}; "
                "nothing else adds reach",
            )
        )
    for note in selection.unmet:
        out.append(ConstraintStatus(name=note.split(":")[0], status="unmet", detail=note))
    return out


def _assumption_notes(brief: Brief, goal: GoalWeights, frame: pd.DataFrame) -> list[str]:
    data = assumptions()
    notes = [
        f"goal preset {goal.name!r}: {goal.description} Weights from data/planner/goals.toml "
        f"({goal.source}).",
        "prices: mid estimate per deliverable optimised; ranges from rate cards and CPMs "
        "(data/costs/*.csv).",
        f"repeat posts add {goal.repeat_post_reach:g}^(k-1) of a creator's reach (named "
        "assumption, goals.toml).",
    ]
    if brief.overlap:
        ov = data["overlap_estimate"]
        notes.append(
            "audience overlap: random mixing inside platform x niche x country segments; pool = "
            f"segment target followers / {ov['follows_per_person']} ({data['source']})."
        )
    else:
        notes.append("audiences treated as disjoint (brief: overlap = false): exact knapsack.")
    estimated = int(frame["fit_basis"].astype(str).isin(["estimated", "partly estimated"]).sum())
    if estimated:
        notes.append(
            f"{estimated:,} eligible candidates have an estimated or partly estimated fit "
            "(no audience breakdown for some targeted dimension)."
        )
    if (frame["views_mid_source"].astype(str).str.startswith("view-rate prior")).any():
        notes.append(
            "creators without measured views use view-rate priors (data/costs/view_rates.csv)."
        )
    return notes


def what_if(candidates: pd.DataFrame, brief: Brief, **changes: Any) -> PlanDiff:
    """Plan twice, the second time with ``changes`` applied to the brief, and diff the plans."""
    before = plan(candidates, brief)
    after_brief = Brief.build(**{**brief.model_dump(), **changes})
    after = plan(candidates, after_brief)
    ids_before = {c.creator_id for c in before.creators}
    ids_after = {c.creator_id for c in after.creators}
    return PlanDiff(
        change=", ".join(f"{k} = {v!r}" for k, v in changes.items()),
        added=sorted(ids_after - ids_before),
        removed=sorted(ids_before - ids_after),
        totals_before=before.totals,
        totals_after=after.totals,
        tier_mix_before={m.tier: m.spend_share for m in before.tier_mix},
        tier_mix_after={m.tier: m.spend_share for m in after.tier_mix},
    )
