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

#: The public names, by the module that defines them.
_HOME: dict[str, tuple[str, ...]] = {
    "creatorlens.planner._brief": (
        "TIERS", "Brief", "BriefError", "Constraints", "GoalWeights", "ShareBounds", "goal_names",
        "load_goal",
    ),
    "creatorlens.planner._costs": ("CostError", "price_deliverables"),
    "creatorlens.planner._figures": ("Figure",),
    "creatorlens.planner._growth": (
        "Collaborator", "GrowthAttribution", "GrowthPlan", "SegmentAdvice", "attribute_growth", "growth_plan",
    ),
    "creatorlens.planner._money": ("CurrencyError", "ExchangeRate", "exchange_rate"),
    "creatorlens.planner._optimizer": ("Problem", "Selection", "greedy_plan", "milp_plan"),
    "creatorlens.planner._outcomes": ("expected_outcomes",),
    "creatorlens.planner._plan": (
        "CandidateReport", "ConstraintStatus", "FitEvidence", "FrontierPoint", "NearMiss", "Plan",
        "PlanCreator", "PlanDiff", "PlanError", "TierMix", "build_problem", "plan", "prepare", "what_if",
    ),
    "creatorlens.planner._prices": ("CreatorPrices", "DeliverablePrice", "creator_prices"),
    "creatorlens.planner._step": ("grow_from_store", "plan_candidates"),
    "creatorlens.planner._synthetic": ("synthetic_candidates",),
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
