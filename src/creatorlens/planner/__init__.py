"""Cost and outcome ranges, the campaign planner and the creator-side growth planner.

The names below load on first use (PEP 562): a creator page needs the price estimator only,
not the optimiser, HiGHS and the growth planner (`creatorlens show`; benchmarks/bench_startup.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens.planner._brief import (
        TIERS,
        Brief,
        BriefError,
        Constraints,
        GoalWeights,
        ShareBounds,
        goal_names,
        load_goal,
    )
    from creatorlens.planner._costs import CostError, price_deliverables
    from creatorlens.planner._figures import Figure
    from creatorlens.planner._growth import (
        Collaborator,
        GrowthAttribution,
        GrowthPlan,
        SegmentAdvice,
        attribute_growth,
        growth_plan,
    )
    from creatorlens.planner._money import CurrencyError, ExchangeRate, exchange_rate
    from creatorlens.planner._optimizer import Problem, Selection, greedy_plan, milp_plan
    from creatorlens.planner._outcomes import expected_outcomes
    from creatorlens.planner._plan import (
        CandidateReport,
        ConstraintStatus,
        FitEvidence,
        FrontierPoint,
        NearMiss,
        Plan,
        PlanCreator,
        PlanDiff,
        PlanError,
        TierMix,
        build_problem,
        plan,
        prepare,
        what_if,
    )
    from creatorlens.planner._prices import CreatorPrices, DeliverablePrice, creator_prices
    from creatorlens.planner._step import grow_from_store, plan_candidates
    from creatorlens.planner._synthetic import synthetic_candidates

#: Where each public name lives.
_HOME: dict[str, str] = {
    "TIERS": "creatorlens.planner._brief",
    "Brief": "creatorlens.planner._brief",
    "BriefError": "creatorlens.planner._brief",
    "Constraints": "creatorlens.planner._brief",
    "GoalWeights": "creatorlens.planner._brief",
    "ShareBounds": "creatorlens.planner._brief",
    "goal_names": "creatorlens.planner._brief",
    "load_goal": "creatorlens.planner._brief",
    "CostError": "creatorlens.planner._costs",
    "price_deliverables": "creatorlens.planner._costs",
    "Figure": "creatorlens.planner._figures",
    "Collaborator": "creatorlens.planner._growth",
    "GrowthAttribution": "creatorlens.planner._growth",
    "GrowthPlan": "creatorlens.planner._growth",
    "SegmentAdvice": "creatorlens.planner._growth",
    "attribute_growth": "creatorlens.planner._growth",
    "growth_plan": "creatorlens.planner._growth",
    "CurrencyError": "creatorlens.planner._money",
    "ExchangeRate": "creatorlens.planner._money",
    "exchange_rate": "creatorlens.planner._money",
    "Problem": "creatorlens.planner._optimizer",
    "Selection": "creatorlens.planner._optimizer",
    "greedy_plan": "creatorlens.planner._optimizer",
    "milp_plan": "creatorlens.planner._optimizer",
    "expected_outcomes": "creatorlens.planner._outcomes",
    "CandidateReport": "creatorlens.planner._plan",
    "ConstraintStatus": "creatorlens.planner._plan",
    "FitEvidence": "creatorlens.planner._plan",
    "FrontierPoint": "creatorlens.planner._plan",
    "NearMiss": "creatorlens.planner._plan",
    "Plan": "creatorlens.planner._plan",
    "PlanCreator": "creatorlens.planner._plan",
    "PlanDiff": "creatorlens.planner._plan",
    "PlanError": "creatorlens.planner._plan",
    "TierMix": "creatorlens.planner._plan",
    "build_problem": "creatorlens.planner._plan",
    "plan": "creatorlens.planner._plan",
    "prepare": "creatorlens.planner._plan",
    "what_if": "creatorlens.planner._plan",
    "CreatorPrices": "creatorlens.planner._prices",
    "DeliverablePrice": "creatorlens.planner._prices",
    "creator_prices": "creatorlens.planner._prices",
    "grow_from_store": "creatorlens.planner._step",
    "plan_candidates": "creatorlens.planner._step",
    "synthetic_candidates": "creatorlens.planner._synthetic",
}


__getattr__, __dir__ = lazy_exports(__name__, _HOME, globals())


__all__ = [
    "TIERS",
    "Brief",
    "BriefError",
    "CandidateReport",
    "Collaborator",
    "ConstraintStatus",
    "Constraints",
    "CostError",
    "CreatorPrices",
    "CurrencyError",
    "DeliverablePrice",
    "ExchangeRate",
    "Figure",
    "FitEvidence",
    "FrontierPoint",
    "GoalWeights",
    "GrowthAttribution",
    "GrowthPlan",
    "NearMiss",
    "Plan",
    "PlanCreator",
    "PlanDiff",
    "PlanError",
    "Problem",
    "SegmentAdvice",
    "Selection",
    "ShareBounds",
    "TierMix",
    "attribute_growth",
    "build_problem",
    "creator_prices",
    "exchange_rate",
    "expected_outcomes",
    "goal_names",
    "greedy_plan",
    "grow_from_store",
    "growth_plan",
    "load_goal",
    "milp_plan",
    "plan",
    "plan_candidates",
    "prepare",
    "price_deliverables",
    "synthetic_candidates",
    "what_if",
]
