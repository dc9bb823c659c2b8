"""Cost and outcome ranges, the campaign planner and the creator-side growth planner.

The names below load on first use (PEP 562): a creator page needs the price estimator only,
not the optimiser, HiGHS and the growth planner (`creatorlens show`; benchmarks/bench_startup.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens.planner._brief import (
        TIERS as TIERS,
        Brief as Brief,
        BriefError as BriefError,
        Constraints as Constraints,
        GoalWeights as GoalWeights,
        ShareBounds as ShareBounds,
        goal_names as goal_names,
        load_goal as load_goal,
    )
    from creatorlens.planner._costs import CostError as CostError, price_deliverables as price_deliverables
    from creatorlens.planner._figures import Figure as Figure
    from creatorlens.planner._growth import (
        Collaborator as Collaborator,
        GrowthAttribution as GrowthAttribution,
        GrowthPlan as GrowthPlan,
        SegmentAdvice as SegmentAdvice,
        attribute_growth as attribute_growth,
        growth_plan as growth_plan,
    )
    from creatorlens.planner._money import (
        CurrencyError as CurrencyError,
        ExchangeRate as ExchangeRate,
        exchange_rate as exchange_rate,
    )
    from creatorlens.planner._optimizer import (
        Problem as Problem,
        Selection as Selection,
        greedy_plan as greedy_plan,
        milp_plan as milp_plan,
    )
    from creatorlens.planner._outcomes import expected_outcomes as expected_outcomes
    from creatorlens.planner._plan import (
        CandidateReport as CandidateReport,
        ConstraintStatus as ConstraintStatus,
        FitEvidence as FitEvidence,
        FrontierPoint as FrontierPoint,
        NearMiss as NearMiss,
        Plan as Plan,
        PlanCreator as PlanCreator,
        PlanDiff as PlanDiff,
        PlanError as PlanError,
        TierMix as TierMix,
        build_problem as build_problem,
        plan as plan,
        prepare as prepare,
        what_if as what_if,
    )
    from creatorlens.planner._prices import (
        CreatorPrices as CreatorPrices,
        DeliverablePrice as DeliverablePrice,
        creator_prices as creator_prices,
    )
    from creatorlens.planner._step import (
        grow_from_store as grow_from_store,
        plan_candidates as plan_candidates,
    )
    from creatorlens.planner._synthetic import synthetic_candidates as synthetic_candidates

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


#: Every public name (the names of _HOME), for `from ... import *` and the API test.
__all__ = sorted(name for names in _HOME.values() for name in names)
