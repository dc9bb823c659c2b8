"""Turn candidates and a brief into an explained plan (docs/planner.md).

Steps: filter candidates by the brief's hard constraints; price one deliverable each and estimate
its outcomes (ranges with sources); weight reachable target audience by the goal preset; solve the
budgeted selection (lazy greedy with a stated bound when audiences overlap, exact HiGHS knapsack
when they do not); explain who is in, who nearly made it and which constraints bind.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from creatorlens.audience import audience_fit, coverage_reach, reachable_audience, segment_pools
from creatorlens.audience._data import assumptions
from creatorlens.errors import PlanError as PlanError
from creatorlens.planner._brief import TIERS, Brief, GoalWeights, plan_settings
from creatorlens.planner._costs import DEFAULT_DELIVERABLE, cost_quantile, price_deliverables
from creatorlens.planner._figures import Figure, sum_figures
from creatorlens.planner._money import format_money, format_number
from creatorlens.planner._optimizer import (
    GroupConstraint,
    MeasuredItems,
    Problem,
    Selection,
    _State,
    greedy_plan,
    milp_plan,
)
from creatorlens.planner._outcomes import (
    RATE_KEYS,
    engagement_interval_confidence,
    er_trusted,
    expected_outcomes,
    outcome_rates,
)

if TYPE_CHECKING:  # the coverage (and scipy) load only when follower lists are there
    from creatorlens.audience._coverage import FollowerCoverage
from creatorlens.planner._totals import (
    Interval,
    cost_interval,
    coverage_draws,
    outcome_interval,
    ratio_interval,
    simulate,
)

REQUIRED_COLUMNS = ("creator_id", "handle", "platform", "tier", "followers")
#: Knapsacks (no overlap) up to this many items go to HiGHS; larger ones use greedy + bound.
MILP_MAX_ITEMS = 50_000


class PlanNote(BaseModel):
    """One sentence the planner says, as facts: a code, the values in it and its English text.

    The presentation layer writes it in the reader's language from the catalogue's
    ``plan_<code>`` message with these values (presentation._plan.note_text); ``text`` is the
    English sentence (what older plan files, and English readers, have)."""

    model_config = ConfigDict(frozen=True)

    code: str
    values: dict[str, Any] = Field(default_factory=dict)
    text: str


def _note(code: str, text: str, **values: Any) -> PlanNote:
    return PlanNote(code=code, values=values, text=text)


class FitEvidence(BaseModel):
    """One targeted dimension of a creator's fit: its share and where the share comes from."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    share: float
    source: Literal["reported", "proxy", "none"]
    detail: str
    #: a proxy's attribute of the creator (country, language or niche) and its value
    attribute: str = ""
    value: str = ""


class CandidateReport(BaseModel):
    """Who the target lets in, and why the others are out (docs/planner.md "Candidates")."""

    model_config = ConfigDict(frozen=True)

    considered: int
    with_audience_data: int
    matching: int
    unknown_fit: int
    below_floor: int
    fit_floor: float
    floor_basis: str
    unknown_allowed: bool
    ruled_out_by: dict[str, int]
    help: list[str]
    summary: str
    #: the summary, the floor and the help lines as notes (codes with values), in that order
    summary_note: PlanNote | None = None
    floor_note: PlanNote | None = None
    help_notes: list[PlanNote] = Field(default_factory=list)


class FrontierPoint(BaseModel):
    """The best plan with at most ``max_creators`` creators."""

    model_config = ConfigDict(frozen=True)

    max_creators: int
    creators: int
    objective: float
    target_reach: float
    cost: Figure
    cost_at_basis: float
    note: str
    #: the candidate rows of this plan (internal: lets the plan adopt a better smaller one)
    items: list[int] | None = Field(default=None, exclude=True, repr=False)
    #: the minimum-share constraints this plan leaves unmet (internal, as ``items``)
    unmet: list[str] = Field(default_factory=list, exclude=True, repr=False)


class PlanCreator(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    tier: str
    followers: int
    posts: int
    deliverable: str
    fit: float
    fit_basis: str
    fit_evidence: list[FitEvidence]
    niche: str
    price: Figure
    overhead: float
    cost: Figure
    cost_at_basis: float
    impressions: Figure
    engagements: Figure
    target_reach: Figure
    clicks: Figure
    conversions: Figure
    earned_media_value: Figure
    contribution: float
    why: str
    why_notes: list[PlanNote] = Field(default_factory=list)
    #: how this creator's audience overlap with the others is known: "measured" from its
    #: follower list (follow edges), or "modelled" by the segment model
    overlap: Literal["measured", "modelled"] = "modelled"


class OverlapReport(BaseModel):
    """Which picks' overlap was measured from follower lists, and what that changes."""

    model_config = ConfigDict(frozen=True)

    candidates_measured: int
    follower_ids: int
    sampled_fraction: float
    measured: list[str]
    modelled: list[str]
    unique_followers: Figure
    unique_followers_method: str
    measured_target_reach: float
    modelled_target_reach: float
    summary: str


class NearMiss(BaseModel):
    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    tier: str
    cost: Figure
    gain_per_cost: float
    why_out: str
    why_out_note: PlanNote | None = None


class ConstraintStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    status: Literal["binding", "slack", "unmet", "filter"]
    detail: str
    #: ``detail`` as a note (a code with values), for the reader's language
    note: PlanNote | None = None


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
    exchange_rate: dict[str, Any]
    budget: float
    cost_basis: str
    cost_at_basis: float
    within_budget: bool
    max_creators: int
    team_hours: float
    shortfall: str
    candidates: CandidateReport
    frontier: list[FrontierPoint]
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
    #: measured audience overlap (follower lists), when the workspace has any for the candidates
    overlap: OverlapReport | None = None
    #: ``shortfall``, ``guarantee_text`` and ``assumptions`` as notes (codes with values), for
    #: the presentation layer to write in the reader's language
    shortfall_notes: list[PlanNote] = Field(default_factory=list)
    guarantee_note: PlanNote | None = None
    assumption_notes: list[PlanNote] = Field(default_factory=list)


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


def _filter(
    candidates: pd.DataFrame, brief: Brief
) -> tuple[pd.DataFrame, list[ConstraintStatus], CandidateReport]:
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

    def apply(name: str, mask: pd.Series, detail: str, code: str = "", **values: Any) -> None:
        nonlocal keep
        removed = int((keep & ~mask & ~included).sum())
        keep &= mask | included
        text = f"{detail}: removed {removed:,} candidates"
        note = _note(code or f"filter_{name}", text, removed=removed, **values)
        statuses.append(ConstraintStatus(name=name, status="filter", detail=text, note=note))

    tiers = frame["tier"].astype(str)
    apply("tier", tiers.isin(TIERS), "creators without a tier (below 100 followers)")
    if brief.platforms:
        apply(
            "platforms",
            frame["platform"].isin(brief.platforms),
            "platforms " + ",".join(brief.platforms),
            platforms=list(brief.platforms),
        )
    if brief.niches:
        text = (_text_col(frame, "main_niche") + " " + _text_col(frame, "categories")).str.lower()
        mask = text.map(lambda t: any(n in t for n in brief.niches))
        apply("niches", mask.astype(bool), "niches " + ",".join(brief.niches), niches=list(brief.niches))
    if c.countries:
        apply(
            "countries",
            _text_col(frame, "country").str.upper().isin(c.countries),
            "creator country in " + ",".join(c.countries),
            countries=",".join(c.countries),
        )
    if c.exclude:
        out = ids.isin(c.exclude) | handles.isin(c.exclude)
        keep &= ~out
        excluded = f"excluded {int(out.sum())} listed creators"
        statuses.append(
            ConstraintStatus(
                name="exclude",
                status="filter",
                detail=excluded,
                note=_note("filter_exclude", excluded, n=int(out.sum())),
            )
        )
    for name, column, bound in (
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
            "filter_score",
            column=column,
            bound=f"{bound:g}",
        )
    fits, report = _fit_candidates(frame[keep], brief)
    fit_mask = pd.Series(False, index=frame.index)
    fit_mask.loc[fits.index] = fits
    floor = report.floor_note.model_dump() if report.floor_note else {}
    apply("fit", fit_mask, report.floor_basis, floor=floor)
    return frame[keep].copy(), statuses, report


# -- candidates: the target decides --------------------------------------------------------------

_DIMENSION_WORDS = {
    "age": "age",
    "gender": "gender",
    "age+gender": "age and gender",
    "country": "country",
    "city": "city",
    "language": "language",
    "interest": "interest (niche)",
}


def _evidence_of(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list | tuple):
        return [dict(v) for v in value]
    if isinstance(value, np.ndarray):
        return [dict(v) for v in value.tolist()]
    return []


def ideal_fit(brief: Brief) -> tuple[float, dict[str, float]]:
    """Fit (and per-dimension shares) of a creator whose own country, language and niche match the
    target and whose age and gender spread evenly: the yardstick of the default fit floor."""
    t = brief.target
    one = pd.DataFrame(
        {
            "creator_id": ["ideal"],
            "country": [t.countries[0] if t.countries else ""],
            "language": [t.languages[0] if t.languages else ""],
            "main_niche": [t.interests[0] if t.interests else ""],
            "categories": [""],
        }
    )
    empty = pd.DataFrame(columns=["creator_id", "dimension", "bucket", "share"])
    row = audience_fit(t, one, empty).iloc[0]
    shares = {str(e["dimension"]): float(e["share"]) for e in _evidence_of(row["fit_evidence"])}
    return float(row["fit"]), shares


def _fit_candidates(frame: pd.DataFrame, brief: Brief) -> tuple[pd.Series, CandidateReport]:
    """Which creators the target lets in: fit >= floor and a fit that rests on some data."""
    settings = plan_settings()["candidates"]
    target = brief.target
    n = len(frame)
    fit = frame["fit"].astype(float).fillna(0.0)
    if target.is_everyone and brief.constraints.min_fit is None:
        report = CandidateReport(
            considered=n,
            with_audience_data=0,
            matching=n,
            unknown_fit=0,
            below_floor=0,
            fit_floor=0.0,
            floor_basis="target is everyone: no fit floor",
            unknown_allowed=True,
            ruled_out_by={},
            help=[],
            summary=f"{n:,} creators considered; the target is everyone.",
            summary_note=_note(
                "candidates_everyone", f"{n:,} creators considered; the target is everyone.", n=n
            ),
            floor_note=_note("floor_everyone", "target is everyone: no fit floor"),
        )
        return pd.Series(True, index=frame.index), report
    ideal, ideal_shares = ideal_fit(brief)
    if brief.constraints.min_fit is not None:
        floor = float(brief.constraints.min_fit)
        basis = f"fit >= {format_number(floor)} (brief min_fit)"
        floor_values: dict[str, Any] = {"floor": format_number(floor)}
        floor_code = "floor_min_fit"
    else:
        ratio = float(settings["floor_ratio"])
        floor = ratio * ideal
        basis = (
            f"fit >= {format_number(floor)} = {ratio:g} x {format_number(ideal)}, the fit of a creator "
            "whose own country, language and niche match the target (plan.toml [candidates])"
        )
        floor_values = {"floor": format_number(floor), "ratio": f"{ratio:g}", "ideal": format_number(ideal)}
        floor_code = "floor_ratio"
    evidence = (
        frame["fit_evidence"].map(_evidence_of)
        if "fit_evidence" in frame
        else pd.Series([[] for _ in range(n)], index=frame.index, dtype=object)
    )
    has_column = "fit_evidence" in frame
    sources = evidence.map(lambda ev: {str(e["source"]) for e in ev})
    reported = sources.map(lambda s: "reported" in s).astype(bool)
    unknown = (
        sources.map(lambda s: bool(s) and s <= {"none"}).astype(bool)
        if has_column
        else pd.Series(False, index=frame.index)
    )
    allowed = brief.allow_unknown_fit
    above = fit >= floor * (1 - 1e-9)
    ok = above & (~unknown | allowed)
    ruled: dict[str, int] = {}
    #: the same reasons as facts: (dimension, source) -> count; ("", "unknown") and ("", "below")
    #: for no data at all and for a fit below the floor without per-dimension evidence
    ruled_facts: dict[tuple[str, str], int] = {}
    for idx in frame.index[~ok]:
        if unknown[idx] and not allowed:
            key = "unknown fit (no audience data, no country/language/niche)"
            fact = ("", "unknown")
        else:
            ev = evidence[idx]
            worst = min(
                ev,
                key=lambda e: float(e["share"]) / max(ideal_shares.get(str(e["dimension"]), 1.0), 1e-9),
                default=None,
            )
            if worst is None:
                key = "fit below the floor"
                fact = ("", "below")
            else:
                word = _DIMENSION_WORDS.get(str(worst["dimension"]), str(worst["dimension"]))
                how = {"reported": "reported breakdown", "proxy": "creator's own attribute",
                       "none": "no data"}[str(worst["source"])]  # fmt: skip
                key = f"{word} ({how})"
                fact = (str(worst["dimension"]), str(worst["source"]))
        ruled[key] = ruled.get(key, 0) + 1
        ruled_facts[fact] = ruled_facts.get(fact, 0) + 1
    matching = int(ok.sum())
    with_data = int(reported.sum())
    help_lines: list[str] = []
    help_notes: list[PlanNote] = []

    def add_help(code: str, text: str, **values: Any) -> None:
        help_lines.append(text)
        help_notes.append(_note(code, text, **values))

    if with_data < n:
        add_help(
            "help_breakdowns",
            f"audience breakdowns (age, gender, country, interest) for the {n - with_data:,} "
            "creators without one: ingest the platforms' audience exports (docs/ingest.md)",
            n=n - with_data,
        )
    if int(unknown.sum()):
        add_help(
            "help_unknown",
            f"{int(unknown.sum()):,} creators have no country, language or niche of their own: "
            "ingest their profiles or posts (niche comes from captions), or plan with "
            "--allow-unknown-fit to let them in on priors alone",
            n=int(unknown.sum()),
        )
    if any(k.startswith("country") or k.startswith("city") for k in ruled) and target.countries:
        home = int(
            frame.get("country", pd.Series("", index=frame.index))
            .fillna("")
            .astype(str)
            .str.upper()
            .isin(target.countries)
            .sum()
        )
        add_help(
            "help_countries",
            f"creators based in {', '.join(target.countries)}: the workspace has {home:,}; "
            "ingest more, or widen the target's countries",
            countries=", ".join(target.countries),
            home=home,
        )
    if any(k.startswith("interest") for k in ruled) and target.interests:
        add_help(
            "help_interests",
            f"creators whose niche matches {', '.join(target.interests)}: run `creatorlens score` "
            "on their posts so niches are known, or widen the interests",
            interests=list(target.interests),
        )
    reasons = ", ".join(
        f"{count:,} by {name}" for name, count in sorted(ruled.items(), key=lambda kv: -kv[1])
    )
    summary = (
        f"{matching:,} of {n:,} creators match the target {target.describe()} "
        f"({with_data:,} have a reported audience breakdown for a targeted dimension); "
        + (f"ruled out: {reasons}." if reasons else "none ruled out.")
    )
    summary_note = _note(
        "candidates_summary",
        summary,
        matching=matching,
        n=n,
        target=_target_terms(target),
        with_data=with_data,
        ruled_out=[
            {"dimension": dim, "source": source, "count": count}
            for (dim, source), count in sorted(ruled_facts.items(), key=lambda kv: -kv[1])
        ],
    )
    floor_text = basis + ("; unknown fit allowed (brief)" if allowed else "; unknown fit excluded")
    report = CandidateReport(
        considered=n,
        with_audience_data=with_data,
        matching=matching,
        unknown_fit=int(unknown.sum()),
        below_floor=int((~above).sum()),
        fit_floor=floor,
        floor_basis=floor_text,
        unknown_allowed=allowed,
        ruled_out_by=ruled,
        help=help_lines,
        summary=summary,
        summary_note=summary_note,
        floor_note=_note(floor_code, floor_text, unknown_allowed=allowed, **floor_values),
        help_notes=help_notes,
    )
    return ok, report


def _target_terms(target: Any) -> list[list[Any]]:
    """The target as [dimension, [values]] pairs, in ``Target.describe``'s order."""
    return [[dim, list(values)] for dim, values in target.dimensions() if values]


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
        "audience_quality": frame.get("audience_quality", pd.Series(np.nan, index=frame.index)).to_numpy(
            float
        ),
        "transparency": frame.get("transparency", pd.Series(np.nan, index=frame.index)).to_numpy(float),
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
    """Filter, price and score candidates; one row per creator with every column the plan uses.

    The candidate report (who the target let in and why others are out) is in
    ``frame.attrs["candidate_report"]``."""
    for column in REQUIRED_COLUMNS:
        if column not in candidates:
            raise PlanError(f"candidates lack column {column!r}")
    frame = candidates.reset_index(drop=True).copy()
    if "fit" not in frame:
        frame["fit"] = 1.0
    frame["fit"] = frame["fit"].astype(float).fillna(0.0)
    if "fit_basis" not in frame:
        frame["fit_basis"] = "not computed (fit = 1)"
    frame, statuses, report = _filter(frame, brief)
    frame = frame.reset_index(drop=True)
    if frame.empty:
        frame.attrs["candidate_report"] = report
        return frame, statuses
    outcomes = expected_outcomes(frame, ctr=brief.ctr, cvr=brief.cvr)
    frame = pd.concat([frame, outcomes], axis=1)
    frame["expected_views"] = frame["views_mid"]
    costs = price_deliverables(
        frame, deliverable=brief.deliverables, options=brief.options, quotes=brief.quotes
    )
    frame = pd.concat([frame, costs], axis=1)
    q = brief.cost_quantile
    frame["cost_at_basis"] = (
        frame["cost_mid"]
        if q is None
        else cost_quantile(frame["cost_low"], frame["cost_mid"], frame["cost_high"], q)
    )
    frame["overhead"] = brief.overhead_usd
    for key in RATE_KEYS:
        frame[f"reach_{key}"] = reachable_audience(
            frame["followers"], frame["fit"], frame[f"views_{key}"] / frame["followers"]
        )
    frame["quality"] = _quality(frame, brief.goal_weights())
    frame["segment"] = _segment(frame)
    frame = frame[np.isfinite(frame["cost_mid"]) & (frame["cost_mid"] > 0)].reset_index(drop=True)
    frame.attrs["candidate_report"] = report
    return frame, statuses


def build_problem(
    frame: pd.DataFrame,
    brief: Brief,
    pool_frame: pd.DataFrame | None = None,
    coverage: FollowerCoverage | None = None,
) -> tuple[Problem, np.ndarray]:
    """Items = (creator, k-th post) for k <= max_posts_per_creator; returns the problem and the
    row of ``frame`` behind each item. ``coverage``: follower lists of some candidates; their
    items' overlap is measured instead of modelled (docs/planner.md "Measured overlap")."""
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
    item_cost = frame["cost_at_basis"].to_numpy(dtype=float)[rows] + np.where(
        post == 1, frame["overhead"].to_numpy(dtype=float)[rows], 0.0
    )
    problem = Problem(
        cost=item_cost,
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
        measured=_measured_items(frame, rows, coverage) if brief.overlap else None,
    )
    return problem, rows


def _coverage_rows(frame: pd.DataFrame, coverage: FollowerCoverage | None) -> np.ndarray:
    """Per row of ``frame`` its row in ``coverage`` (-1: no follower list)."""
    if coverage is None:
        return np.full(len(frame), -1, dtype=np.int64)
    mapped = frame["creator_id"].astype(str).map(coverage.index())
    return mapped.fillna(-1).to_numpy(dtype=np.int64)


def _measured_items(
    frame: pd.DataFrame, rows: np.ndarray, coverage: FollowerCoverage | None
) -> MeasuredItems | None:
    if coverage is None:
        return None
    per_row = _coverage_rows(frame, coverage)
    if not (per_row >= 0).any():
        return None
    return MeasuredItems(row=per_row[rows], matrix=coverage.matrix)


def measured_coverage(frame: pd.DataFrame, follows: Any) -> FollowerCoverage | None:
    """Follower lists of the candidates in ``frame`` from follow pairs (a frame with target_id =
    the creator followed, source_id = the follower; e.g. the workspace's ``follow`` edges)."""
    if follows is None or frame.empty:
        return None
    pairs = follows if isinstance(follows, pd.DataFrame) else follows.to_pandas()
    if pairs.empty:
        return None
    if "kind" in pairs:
        pairs = pairs[pairs["kind"].astype(str).str.lower() == "follow"]
    target = "target_id" if "target_id" in pairs else "target"
    source = next(c for c in ("follower", "source_id", "source") if c in pairs)
    ids = frame["creator_id"].astype(str).tolist()
    followers = dict(zip(ids, frame["followers"].astype(float), strict=True))
    followers_of = pairs[source]
    follower_keys = followers_of.to_numpy() if followers_of.dtype.kind in "iu" else followers_of.astype(str)
    from creatorlens.audience._coverage import follower_coverage

    return follower_coverage(ids, pairs[target], follower_keys, followers)


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


def _figure(row: pd.Series, prefix: str, unit: str, times: float = 1.0, source: str | None = None) -> Figure:
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


def _fx(brief: Brief) -> tuple[float, str]:
    """USD per unit of the brief's currency and the note every converted figure carries."""
    rate = brief.rate
    return rate.usd_per_unit, ("" if rate.currency == "USD" else "; " + rate.note())


def _why(row: pd.Series, rank: int, ratio: float, goal: GoalWeights, brief: Brief) -> list[PlanNote]:
    """Why a creator is in: its rank, its reach and fit, its tier preference, its ER (the
    ``why`` text is their English texts joined by "; ")."""
    fx, _ = _fx(brief)
    per_unit = format_number(ratio * fx)
    reach, fit = format_number(float(row["reach_mid"])), format_number(float(row["fit"]), 2)
    tier, preference = str(row["tier"]), f"{goal.tier_preference.get(str(row['tier']), 0):g}"
    pieces = [
        _note(
            "why_rank",
            f"#{rank} by effective target reach per {brief.currency} "
            f"({per_unit} per {brief.currency} at {brief.cost_basis} cost + overhead)",
            rank=rank, currency=brief.currency, per_unit=per_unit, basis=brief.cost_basis,
        ),
        _note(
            "why_reach",
            f"reaches ~{reach} target people per post (fit {fit}, {row['fit_basis']})",
            reach=reach, fit=fit, fit_basis=str(row["fit_basis"]),
        ),
        _note(
            "why_tier",
            f"{tier} preference {preference} for goal {goal.name}",
            tier=tier, preference=preference, goal=goal.name,
        ),
    ]  # fmt: skip
    er = row.get("er_followers_lc_median")
    if isinstance(er, float) and math.isfinite(er) and er_trusted(row.get("er_rankable")):
        pieces.append(_note("why_er", f"ER {er:.2%}", er=f"{er:.2%}"))
    return pieces


def _fit_evidence(row: pd.Series) -> list[FitEvidence]:
    out = []
    for e in _evidence_of(row.get("fit_evidence")):
        out.append(
            FitEvidence(
                dimension=str(e["dimension"]),
                share=float(e["share"]),
                source=e["source"],
                detail=str(e["detail"]),
                attribute=str(e.get("attribute") or ""),
                value=str(e.get("value") or ""),
            )
        )
    return out


def _totals(
    chosen: pd.DataFrame,
    posts: dict[int, int],
    brief: Brief,
    goal: GoalWeights,
    pools: dict[str, float],
    coverage: FollowerCoverage | None = None,
) -> dict[str, Figure]:
    """The plan's totals: mid = the sum of the creators' mids, low..high an interval at the
    per-post engagement confidence (planner/_totals.py, docs/planner.md "Totals").

    Unique target reach: the segment model for creators without a follower list, the measured
    coverage over the follower lists for the others (``coverage``), the two parts added."""
    fx, fx_note = _fx(brief)
    if chosen.empty:
        return {}
    factors = np.array([posts[i] for i in chosen.index], dtype=float)
    reach_factors = np.array([_posts_factor(goal, posts[i]) for i in chosen.index])
    overhead = float(chosen["overhead"].sum())
    confidence = engagement_interval_confidence()

    def triple(prefix: str, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo, md, hi = (chosen[f"{prefix}_{k}"].to_numpy(dtype=float) * mult for k in RATE_KEYS)
        return lo, md, hi

    segments = chosen["segment"].to_numpy()
    ranges = {
        "impressions": triple("views", factors),
        "engagements": triple("engagements", factors),
        "earned_media_value": triple("emv", factors),
        "unique_target_reach": triple("reach", reach_factors),
    }
    ctr, _, cvr, _ = outcome_rates(brief.ctr, brief.cvr)
    cost = triple("cost", factors)
    crow = _coverage_rows(chosen, coverage if brief.overlap else None)
    measured = crow >= 0
    reach_mid = ranges["unique_target_reach"][1]
    measured_mid = 0.0
    if measured.any():
        assert coverage is not None
        measured_mid = coverage.coverage(
            crow[measured], reach_mid[measured] / coverage.weight[crow[measured]]
        )
    measured_sum = float(reach_mid[measured].sum())

    def reach_total(r: np.ndarray) -> np.ndarray:
        if not brief.overlap:
            summed: np.ndarray = r.sum(axis=1)
            return summed
        total = coverage_draws(r[:, ~measured], segments[~measured], pools)
        if measured.any() and measured_sum > 0:
            # measured part: its mid coverage scaled by the draw's share of the creators' mids
            total = total + measured_mid * r[:, measured].sum(axis=1) / measured_sum
        return total

    draws = simulate(
        ranges,
        cost,
        overhead,
        {"clicks": ctr, "conversions": cvr},
        confidence,
        reach_total=reach_total,
    )
    n = len(chosen)

    def figure(mid: float, interval: Interval, unit: str, mid_note: str, scale: float = 1.0) -> Figure:
        return Figure(
            low=min(interval.low, mid) / scale,
            mid=mid / scale,
            high=max(interval.high, mid) / scale,
            unit=unit,
            low_source=interval.method + (fx_note if scale != 1.0 else ""),
            mid_source=mid_note + (fx_note if scale != 1.0 else ""),
            high_source=interval.method + (fx_note if scale != 1.0 else ""),
            confidence=interval.confidence,
        )

    cost_note = f"sum over {n} creators of the mid price"
    if overhead:
        cost_note += f" + overhead {format_money(overhead / fx, brief.currency)}"
    cost_range = cost_interval(cost, overhead, confidence)
    totals = {"cost": figure(float(cost[1].sum()) + overhead, cost_range, brief.currency, cost_note, fx)}
    for key, unit, what in (
        ("impressions", "impressions", "impressions"),
        ("engagements", "engagements", "engagements"),
        ("clicks", "clicks", "clicks"),
        ("conversions", "conversions", "conversions"),
        ("earned_media_value", brief.currency, "EMV"),
    ):
        # The median of the simulated total, from the same draws as its interval: the sum of
        # the creators' medians is not the median of the sum (each creator's outcome is skewed
        # to the right), and sat at or below the interval's low end.
        mid = float(np.median(draws.outcomes[key]))
        scale = fx if key == "earned_media_value" else 1.0
        totals[key] = figure(mid, outcome_interval(draws, key), unit,
                             f"median of the simulated total {what} of {n} creators", scale)  # fmt: skip
    if brief.overlap and measured.any():
        reach_value = coverage_reach(reach_mid[~measured], segments[~measured], pools) + measured_mid
        reach_note = (
            f"measured overlap for {int(measured.sum())} of {n} creators: sum over their "
            "followers u of w_u(1 - prod(1 - reach_c/W_c)) (follower lists), plus the coverage "
            f"model for the other {int((~measured).sum())}: sum over segments of "
            "N_s(1 - prod(1 - reach_i/N_s))"
        )
    elif brief.overlap:
        reach_value = coverage_reach(reach_mid, segments, pools)
        reach_note = (
            "coverage model: sum over segments of N_s(1 - prod(1 - reach_i/N_s)); pools and "
            "mixing from assumptions.toml [overlap_estimate]"
        )
    else:
        reach_value = float(reach_mid.sum())
        reach_note = "sum of reachable target audiences (brief: overlap = false)"
    totals["unique_target_reach"] = figure(
        reach_value, outcome_interval(draws, "unique_target_reach"), "target people", reach_note
    )
    for key, outcome, unit, scale in (
        ("cost_per_1k_impressions", "impressions", f"{brief.currency} per 1K impressions", 1000.0),
        ("cost_per_engagement", "engagements", f"{brief.currency} per engagement", 1.0),
        ("cost_per_target_person", "unique_target_reach", f"{brief.currency} per target person", 1.0),
    ):
        mid = totals["cost"].mid * fx / totals[outcome].mid * scale if totals[outcome].mid > 0 else math.inf
        totals[key] = figure(mid, ratio_interval(draws, outcome, scale), unit,
                             f"mid cost / mid {outcome.replace('_', ' ')}", fx)  # fmt: skip
    return totals


def _from_brief(brief: Brief, goal: GoalWeights) -> dict[str, Any]:
    """The fields of a plan that restate its brief (an empty plan's as well)."""
    return {
        "brief": brief,
        "goal": goal,
        "currency": brief.currency,
        "exchange_rate": _rate_info(brief),
        "budget": brief.budget,
        "cost_basis": brief.cost_basis,
        "max_creators": brief.constraints.max_creators,
    }


def _identity(row: pd.Series) -> dict[str, Any]:
    """The fields that name a creator in a plan, a pick or a near miss alike."""
    return {key: str(row[key]) for key in ("creator_id", "handle", "platform", "tier")}


def _rate_info(brief: Brief) -> dict[str, Any]:
    return brief.rate.info()


def _shortfall(report: CandidateReport, chosen: int, max_creators: int, slack: bool) -> list[PlanNote]:
    """The first thing a plan says when the target lets in too few creators (the ``shortfall``
    text is the notes' English texts joined by spaces)."""
    summary = report.summary_note or _note("text", report.summary)
    if report.matching == 0:
        notes = [_note("shortfall_none", "No creator matches the target."), summary]
    elif report.matching < max_creators and slack:
        notes = [
            _note(
                "shortfall_few",
                f"Only {report.matching:,} creators match the target, fewer than the plan could use "
                f"(up to {max_creators}); the budget is not spent.",
                matching=report.matching,
                max_creators=max_creators,
            ),
            summary,
        ]
    else:
        return []
    if report.help:
        notes.append(
            _note(
                "shortfall_help",
                "What would help: " + "; ".join(report.help) + ".",
                help=[h.model_dump() for h in report.help_notes],
            )
        )
    return notes


def _unaffordable(problem: Problem, selection: Selection, brief: Brief, fx: float) -> list[PlanNote]:
    """An empty selection from matching candidates: say what priced everyone out."""
    if selection.items or not problem.n_items:
        return []
    cheapest = format_money(float(problem.cost[problem.first_post].min()) / fx, brief.currency)
    names = sorted(selection.blocked_by)
    blockers = ", ".join(names) or "the constraints"
    budget = format_money(brief.budget, brief.currency)
    text = (
        f"No creator fits: the cheapest matching creator costs "
        f"{cheapest} at {brief.cost_basis} with overhead, and "
        f"{blockers} keeps every deliverable out (budget "
        f"{budget})."
    )
    return [
        _note(
            "unaffordable", text, cheapest=cheapest, basis=brief.cost_basis, blockers=names, budget=budget
        )
    ]


def _empty_plan(
    brief: Brief, statuses: list[ConstraintStatus], report: CandidateReport, total: int, frame: pd.DataFrame
) -> Plan:
    goal = brief.goal_weights()
    filters = [s for s in statuses if s.status == "filter"]
    shortfall = (
        _shortfall(report, 0, brief.constraints.max_creators, True)
        if report.considered
        else [
            _note(
                "shortfall_filters",
                "No candidate passes the brief's filters: " + "; ".join(s.detail for s in filters),
                filters=[(s.note or _note("text", s.detail)).model_dump() for s in filters],
            )
        ]
    )
    assumption_notes = _assumption_notes(brief, goal, frame)
    return Plan(
        **_from_brief(brief, goal),
        cost_at_basis=0.0,
        within_budget=True,
        team_hours=0.0,
        shortfall=" ".join(n.text for n in shortfall),
        shortfall_notes=shortfall,
        candidates=report,
        frontier=[],
        creators=[],
        near_misses=[],
        tier_mix=[],
        totals={},
        objective=0.0,
        upper_bound=0.0,
        guarantee=1.0,
        guarantee_text="no plan: no candidate (nothing to optimise)",
        guarantee_note=_note("guarantee_none", "no plan: no candidate (nothing to optimise)"),
        method="none",
        constraints=statuses,
        assumptions=[n.text for n in assumption_notes],
        assumption_notes=assumption_notes,
        candidates_total=total,
        candidates_eligible=0,
        seconds=0.0,
    )


def plan(
    candidates: pd.DataFrame,
    brief: Brief,
    *,
    method: str = "auto",
    seed_pairs: int | None = None,
    near_misses: int = 5,
    frontier: bool = True,
    edges: Any = None,
    followers: Any = None,
) -> Plan:
    """Choose creators and posts for ``brief`` from ``candidates`` (see plan_candidates).

    No candidate matching the target is a correct answer: an empty plan whose ``shortfall`` says
    how many match, how many have audience data, what ruled the others out and what would help.
    ``edges``: the interaction edge table the word_of_mouth goal needs (other goals ignore it).
    ``followers``: follow pairs (target_id followed by source_id; e.g. the workspace's ``follow``
    edges): candidates with a follower list get measured overlap instead of the segment model."""
    if brief.goal == "word_of_mouth":
        from creatorlens.planner.word_of_mouth import plan_word_of_mouth

        return plan_word_of_mouth(candidates, brief, edges, near_misses=near_misses)
    goal = brief.goal_weights()
    frame, statuses = prepare(candidates, brief)
    report: CandidateReport = frame.attrs["candidate_report"]
    if frame.empty:
        return _empty_plan(brief, statuses, report, len(candidates), frame)
    coverage = measured_coverage(frame, followers) if brief.overlap else None
    problem, rows = build_problem(frame, brief, coverage=coverage)
    use_milp = method == "milp" or (
        method == "auto" and not brief.overlap and problem.n_items <= MILP_MAX_ITEMS
    )
    try:
        selection: Selection = milp_plan(problem) if use_milp else greedy_plan(problem, seed_pairs=seed_pairs)
    except ValueError as exc:
        raise PlanError(str(exc)) from exc
    points = _frontier(frame, brief, problem, rows, selection, coverage) if frontier else []
    best = points[-1] if points else None
    if (
        best is not None
        and best.items is not None
        and (len(best.unmet), -best.objective) < (len(selection.unmet), -selection.objective)
    ):
        # A plan with fewer creators beat the full search (greedy is not exact): it is a
        # feasible plan for the full cap too, so the plan is that one, and the bound still holds.
        # "Better" is the frontier's order: fewer unmet minimum shares, then the higher objective
        # (a greedy smaller plan can buy a higher objective by ignoring a minimum).
        from dataclasses import replace

        selection = replace(
            selection,
            items=list(best.items),
            objective=best.objective,
            unmet=list(best.unmet),
            method=f"{selection.method}, then the better plan of the frontier",
        )
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
        report=report,
        frontier=points,
        coverage=coverage,
    )


def _frontier(
    frame: pd.DataFrame,
    brief: Brief,
    problem: Problem,
    rows: np.ndarray,
    selection: Selection,
    coverage: FollowerCoverage | None = None,
) -> list[FrontierPoint]:
    """Best plan with at most k creators for k in plan.toml [team] frontier (and the plan's cap).

    Each smaller cap is solved by the same greedy (no pair seeding); a plan for a smaller cap is
    also a plan for a larger one, so each point is at least as good as the one before."""
    from dataclasses import replace

    cap = brief.constraints.max_creators
    caps = sorted({int(k) for k in plan_settings()["team"]["frontier"] if int(k) < cap} | {cap})
    fx, _ = _fx(brief)
    goal = brief.goal_weights()
    pools_map = dict(zip(pd.factorize(frame["segment"])[1].astype(str), problem.pools, strict=True))
    points: list[FrontierPoint] = []
    best_items: list[int] | None = None
    best_value = -1.0
    best_unmet: list[str] = []
    for k in caps:
        if k == cap:
            items, value, unmet = selection.items, selection.objective, selection.unmet
        else:
            sel = greedy_plan(replace(problem, max_creators=k), seed_pairs=0, local_search=False)
            items, value, unmet = sel.items, sel.objective, sel.unmet
        note = ""
        # better = fewer unmet minimum shares, then the higher objective
        if best_items is not None and (len(best_unmet), -best_value) < (len(unmet), -value):
            items, value, unmet = best_items, best_value, best_unmet
            note = "the smaller plan is better; kept"
        best_items, best_value, best_unmet = list(items), value, list(unmet)
        posts: dict[int, int] = {}
        for i in items:
            posts[int(rows[i])] = posts.get(int(rows[i]), 0) + 1
        chosen = frame.loc[sorted(posts)]
        totals = _totals(chosen, posts, brief, goal, pools_map, coverage) if posts else {}
        at_basis = float(problem.cost[items].sum()) / fx if items else 0.0
        cost = totals.get("cost") or Figure(
            low=0,
            mid=0,
            high=0,
            unit=brief.currency,
            low_source="empty",
            mid_source="empty",
            high_source="empty",
        )
        reach = totals["unique_target_reach"].mid if "unique_target_reach" in totals else 0.0
        points.append(
            FrontierPoint(
                max_creators=k,
                creators=len(posts),
                objective=value,
                target_reach=reach,
                cost=cost,
                cost_at_basis=at_basis,
                note=note,
                items=list(items),
                unmet=list(unmet),
            )
        )
    return points


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
    report: CandidateReport | None = None,
    frontier: list[FrontierPoint] | None = None,
    coverage: FollowerCoverage | None = None,
) -> Plan:
    fx, fx_note = _fx(brief)
    if not brief.overlap:
        coverage = None
    measured_rows = _coverage_rows(frame, coverage)
    if report is None:
        report = frame.attrs.get("candidate_report") or _fit_candidates(frame, brief)[1]
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
    chosen_deliverables = {**DEFAULT_DELIVERABLE, **brief.deliverables}
    creators: list[PlanCreator] = []
    for label, row in chosen.iterrows():
        r = int(str(label))
        k = posts[r]
        ratio = first_ratio[int(r)]
        overhead = float(row["overhead"])
        sources = (
            str(row["cost_low_source"]),
            str(row["cost_mid_source"]),
            str(row["cost_high_source"]),
        )
        price = _money(
            (row["cost_low"], row["cost_mid"], row["cost_high"]),
            sources,
            brief.currency,
            fx,
            fx_note,
        )
        over_note = f"; x {k} posts" if k > 1 else ""
        over_note += f"; + overhead {format_money(overhead / fx, brief.currency)} per creator"
        cost = _money(
            (
                row["cost_low"] * k + overhead,
                row["cost_mid"] * k + overhead,
                row["cost_high"] * k + overhead,
            ),
            sources,
            brief.currency,
            fx,
            fx_note + over_note,
        )
        why_notes = _why(row, first_rank[int(r)], ratio, goal, brief)
        creators.append(
            PlanCreator(
                **_identity(row),
                followers=int(row["followers"]),
                posts=k,
                deliverable=chosen_deliverables.get(str(row["platform"]), ""),
                fit=float(row["fit"]),
                fit_basis=str(row["fit_basis"]),
                fit_evidence=_fit_evidence(row),
                niche=str(row.get("main_niche", "") or row.get("categories", "") or ""),
                price=price,
                overhead=overhead / fx,
                cost=cost,
                cost_at_basis=(float(row["cost_at_basis"]) * k + overhead) / fx,
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
                conversions=_figure(row, "conversions", "conversions", k, str(row["conversions_source"])),
                earned_media_value=_money(
                    (row["emv_low"] * k, row["emv_mid"] * k, row["emv_high"] * k),
                    (str(row["emv_source"]),) * 3,
                    brief.currency,
                    fx,
                    fx_note,
                ),
                contribution=contribution[int(r)],
                why="; ".join(n.text for n in why_notes),
                why_notes=why_notes,
                overlap="measured" if measured_rows[r] >= 0 else "modelled",
            )
        )
    pools_map = dict(zip(pd.factorize(frame["segment"])[1].astype(str), problem.pools, strict=True))
    totals = _totals(chosen, posts, brief, goal, pools_map, coverage)
    overlap_report = (
        _overlap_report(
            chosen, posts, goal, pools_map, coverage, totals, int((measured_rows >= 0).sum())
        )
        if coverage is not None
        else None
    )
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
    at_basis = float(problem.cost[selection.items].sum()) / fx if selection.items else 0.0
    constraint_list = [*statuses, *_constraint_statuses(selection, brief, at_basis)]
    guarantee = selection.guarantee
    slack = "budget" not in selection.blocked_by
    basis_word = "mid estimate" if brief.cost_quantile is None else f"{brief.cost_basis.upper()}"
    shortfall = _shortfall(report, len(creators), brief.constraints.max_creators, slack) or _unaffordable(
        problem, selection, brief, fx
    )
    objective, bound = format_number(selection.objective), format_number(selection.upper_bound)
    guarantee_note = _note(
        "guarantee",
        f"at least {guarantee:.1%} of the best possible plan under this objective with costs "
        f"at the {basis_word} plus overhead (objective {objective} "
        f"<= optimum <= {bound}; {selection.method})",
        share=f"{guarantee:.1%}",
        basis=brief.cost_basis,
        objective=objective,
        bound=bound,
        method=selection.method,
    )
    assumption_notes = _assumption_notes(brief, goal, frame)
    if coverage is not None:
        n_measured = int((measured_rows >= 0).sum())
        assumption_notes.append(
            _note(
                "assume_measured_overlap",
                f"measured audience overlap: {n_measured:,} candidates have "
                "a follower list (follow edges); their overlap is a coverage over their followers "
                "(a creator alone keeps its modelled effective reach; a shared follower is paid for "
                "once), the others keep the segment model; the two parts are added (no overlap "
                "between a measured and a modelled creator is assumed).",
                n=n_measured,
            )
        )
    return Plan(
        **_from_brief(brief, goal),
        cost_at_basis=at_basis,
        within_budget=at_basis <= brief.budget * (1 + 1e-9),
        team_hours=brief.overhead_hours * len(creators),
        shortfall=" ".join(n.text for n in shortfall),
        shortfall_notes=shortfall,
        candidates=report,
        frontier=frontier or [],
        creators=creators,
        near_misses=misses,
        tier_mix=mix,
        totals=totals,
        objective=selection.objective,
        upper_bound=selection.upper_bound,
        guarantee=guarantee,
        guarantee_text=guarantee_note.text,
        guarantee_note=guarantee_note,
        method=selection.method,
        constraints=constraint_list,
        assumptions=[n.text for n in assumption_notes],
        assumption_notes=assumption_notes,
        candidates_total=candidates_total,
        candidates_eligible=len(frame),
        seconds=selection.seconds,
        overlap=overlap_report,
    )


def _overlap_report(
    chosen: pd.DataFrame,
    posts: dict[int, int],
    goal: GoalWeights,
    pools: dict[str, float],
    coverage: FollowerCoverage,
    totals: dict[str, Figure],
    candidates_measured: int,
) -> OverlapReport:
    """Measured vs modelled: the picks' follower union and the plan's unique target reach under
    the measured overlap (the total) and under the segment model alone (what it would have said)."""
    crow = _coverage_rows(chosen, coverage)
    measured = crow >= 0
    handles = chosen["handle"].astype(str).to_numpy()
    union, method = coverage.union(crow[measured].tolist())
    reach_mid = np.array(
        [float(chosen.loc[i, "reach_mid"]) * _posts_factor(goal, posts[i]) for i in chosen.index]
    )
    segments = chosen["segment"].to_numpy()
    modelled = coverage_reach(reach_mid, segments, pools) if len(chosen) else 0.0
    reach = totals["unique_target_reach"].mid if "unique_target_reach" in totals else 0.0
    sampled = (
        f"; the objective used a {coverage.theta:.1%} hash sample of the "
        f"{coverage.universe:,} follower ids, each kept id weighing 1/{coverage.theta:.3g}"
        if coverage.theta < 1
        else ""
    )
    exact = union.low == union.high
    followers_text = (
        format_number(union.mid)
        if exact
        else f"{format_number(union.mid)} ({format_number(union.low)} – {format_number(union.high)})"
    )
    summary = (
        f"overlap measured from follower lists for {int(measured.sum())} of {len(chosen)} picks "
        f"({candidates_measured:,} candidates have a list), modelled by segments for the other "
        f"{int((~measured).sum())}; the measured picks have {followers_text} distinct followers "
        f"({method}); unique target reach {format_number(reach)} with measured overlap vs "
        f"{format_number(modelled)} under the segment model alone{sampled}."
    )
    return OverlapReport(
        candidates_measured=candidates_measured,
        follower_ids=coverage.universe,
        sampled_fraction=coverage.theta,
        measured=[str(h) for h in handles[measured]],
        modelled=[str(h) for h in handles[~measured]],
        unique_followers=Figure.from_one_source(union.low, union.mid, union.high, "followers", method),
        unique_followers_method=method,
        measured_target_reach=reach,
        modelled_target_reach=modelled,
        summary=summary,
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
            why = (
                f"blocked by {blocker} (it would add {format_number(r * fx)} effective reach "
                f"per {brief.currency})"
            )
            why_note = _note(
                "near_blocked", why, blocker=blocker, gain=format_number(r * fx), currency=brief.currency
            )
        else:
            why = (
                f"adds {format_number(r * fx)} effective reach per {brief.currency} after the "
                f"chosen creators' overlap; the weakest pick added {format_number(last_ratio * fx)}"
            )
            why_note = _note(
                "near_adds",
                why,
                gain=format_number(r * fx),
                currency=brief.currency,
                weakest=format_number(last_ratio * fx),
            )
        out.append(
            NearMiss(
                **_identity(row),
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
                why_out_note=why_note,
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


def _constraint_statuses(selection: Selection, brief: Brief, at_basis: float) -> list[ConstraintStatus]:
    out = []
    for name, count in sorted(selection.blocked_by.items(), key=lambda kv: -kv[1]):
        text = f"keeps out {count:,} deliverables that would still add reach"
        out.append(
            ConstraintStatus(
                name=name, status="binding", detail=text, note=_note("binding", text, n=count)
            )
        )
    if "budget" not in selection.blocked_by:
        cost, budget = format_money(at_basis, brief.currency), format_money(brief.budget, brief.currency)
        text = (
            f"{cost} at {brief.cost_basis} of {budget}; nothing else that fits the other "
            "constraints adds reach"
        )
        out.append(
            ConstraintStatus(
                name="budget",
                status="slack",
                detail=text,
                note=_note("budget_slack", text, cost=cost, basis=brief.cost_basis, budget=budget),
            )
        )
    for note in selection.unmet:
        out.append(ConstraintStatus(name=note.split(":")[0], status="unmet", detail=note))
    return out


def _assumption_notes(brief: Brief, goal: GoalWeights, frame: pd.DataFrame) -> list[PlanNote]:
    data = assumptions()
    overhead = format_money(brief.overhead_usd / _fx(brief)[0], brief.currency)
    hours = format_number(brief.overhead_hours)
    repeat = f"{goal.repeat_post_reach:g}"
    notes = [
        _note(
            "assume_goal",
            f"goal preset {goal.name!r}: {goal.description} Weights from data/planner/goals.toml "
            f"({goal.source}).",
            goal=goal.name,
            source=goal.source,
        ),
        _note(
            "assume_budget_mid" if brief.cost_quantile is None else "assume_budget",
            "budget: each deliverable costs its "
            + (
                "mid estimate (brief: cost_basis = mid)"
                if brief.cost_quantile is None
                else f"{brief.cost_basis} (triangular over its low/mid/high; prices move together, "
                "so the plan's cost at that confidence is the sum)"
            )
            + " plus a per-creator overhead of "
            + overhead
            + " (plan.toml [team]); ranges from rate cards and CPMs (data/costs/*.csv).",
            basis=brief.cost_basis,
            overhead=overhead,
        ),
        _note(
            "assume_team",
            f"team: at most {brief.constraints.max_creators} creators, "
            f"{hours} hours each (plan.toml [team]).",
            max_creators=brief.constraints.max_creators,
            hours=hours,
        ),
        _note(
            "assume_repeat",
            f"repeat posts add {repeat}^(k-1) of a creator's reach (named "
            "assumption, goals.toml).",
            repeat=repeat,
        ),
    ]
    if brief.overlap:
        ov = data["overlap_estimate"]
        notes.append(
            _note(
                "assume_overlap",
                "audience overlap: random mixing inside platform x niche x country segments; pool = "
                f"segment target followers / {ov['follows_per_person']} ({data['source']}).",
                follows=ov["follows_per_person"],
                source=data["source"],
            )
        )
    else:
        notes.append(
            _note(
                "assume_disjoint",
                "audiences treated as disjoint (brief: overlap = false): exact knapsack.",
            )
        )
    if brief.currency != "USD":
        notes.append(_note("assume_money", f"money: {brief.rate.note()}.", rate=brief.rate.note()))
    if frame.empty:
        return notes
    estimated = int(frame["fit_basis"].astype(str).isin(["estimated", "partly estimated"]).sum())
    if estimated:
        notes.append(
            _note(
                "assume_estimated_fit",
                f"{estimated:,} eligible candidates have an estimated or partly estimated fit "
                "(no audience breakdown for some targeted dimension).",
                n=estimated,
            )
        )
    if (frame["views_mid_source"].astype(str).str.startswith("view-rate prior")).any():
        notes.append(
            _note(
                "assume_view_priors",
                "creators without measured views use view-rate priors (data/costs/view_rates.csv).",
            )
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
