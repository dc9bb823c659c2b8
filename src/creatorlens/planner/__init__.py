"""Cost and outcome ranges, the campaign planner and the creator-side growth planner."""

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
