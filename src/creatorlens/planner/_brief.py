"""A campaign brief: budget, goal, target and constraints, from TOML or from CLI options."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from creatorlens.audience import Target, TargetError
from creatorlens.data import load_toml
from creatorlens.data._schemas import Goal
from creatorlens.errors import BriefError as BriefError
from creatorlens.planner._costs import DEFAULT_DELIVERABLE, OPTIONS
from creatorlens.planner._money import (
    CurrencyError,
    ExchangeRate,
    default_currency,
    exchange_rate,
    manual_rate,
)

TIERS = ("nano", "micro", "macro", "mega")


class GoalWeights(Goal):
    """One goal preset from data/planner/goals.toml (docs/planner.md "Objective"): the file's
    goal schema plus the goal's name and the file-wide missing score and source."""

    model_config = ConfigDict(frozen=True, extra="ignore")  # a brief's unknown override is ignored

    name: str
    missing_score: float
    source: str


def _goals_file() -> dict[str, Any]:
    return load_toml("planner/goals.toml")


def plan_settings() -> dict[str, Any]:
    """``data/planner/plan.toml``: candidate floor, cost basis, team size and overhead defaults."""
    return load_toml("planner/plan.toml")


def _default_max_creators() -> int:
    return int(plan_settings()["team"]["max_creators"])


def goal_names() -> tuple[str, ...]:
    return tuple(_goals_file()["goals"])


def load_goal(name: str, overrides: dict[str, Any] | None = None) -> GoalWeights:
    data = _goals_file()
    goals = data["goals"]
    if name not in goals:
        raise BriefError(f"goal {name!r}: use one of {', '.join(goals)}")
    values = {**goals[name], **(overrides or {})}
    return GoalWeights(name=name, missing_score=data["missing_score"], source=data["source"], **values)


class ShareBounds(BaseModel):
    """Min and max share of the budget spent on one group (a tier or a platform)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: float = Field(0.0, ge=0.0, le=1.0)
    max: float = Field(1.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> ShareBounds:
        if self.min > self.max:
            raise ValueError(f"share min {self.min} is above max {self.max}")
        return self


class Constraints(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tier_shares: dict[str, ShareBounds] = Field(default_factory=dict)
    platform_shares: dict[str, ShareBounds] = Field(default_factory=dict)
    max_budget_share_per_creator: float = Field(1.0, gt=0.0, le=1.0)
    max_posts_per_creator: int = Field(1, ge=1, le=20)
    max_creators: int = Field(default_factory=_default_max_creators, ge=1)
    min_audience_quality: float | None = Field(None, ge=0.0, le=1.0)
    min_transparency: float | None = Field(None, ge=0.0, le=1.0)
    min_fit: float | None = Field(None, ge=0.0, le=1.0)
    countries: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @field_validator("max_creators", mode="before")
    @classmethod
    def _max_creators(cls, value: Any) -> Any:
        """None (or absent) means the default of plan.toml [team]; raise it explicitly."""
        return _default_max_creators() if value is None else value

    @field_validator("tier_shares")
    @classmethod
    def _tiers(cls, value: dict[str, ShareBounds]) -> dict[str, ShareBounds]:
        for tier in value:
            if tier not in TIERS:
                raise ValueError(f"tier_shares: unknown tier {tier!r}; tiers are {', '.join(TIERS)}")
        if sum(b.min for b in value.values()) > 1.0 + 1e-9:
            raise ValueError("tier_shares: the minimum shares add up to more than 100% of the budget")
        return value

    @field_validator("platform_shares")
    @classmethod
    def _platforms(cls, value: dict[str, ShareBounds]) -> dict[str, ShareBounds]:
        for platform in value:
            if platform not in DEFAULT_DELIVERABLE:
                raise ValueError(
                    f"platform_shares: unknown platform {platform!r}; "
                    f"platforms are {', '.join(DEFAULT_DELIVERABLE)}"
                )
        if sum(b.min for b in value.values()) > 1.0 + 1e-9:
            raise ValueError("platform_shares: the minimum shares add up to more than 100%")
        return value

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        return tuple(str(v).strip().upper() for v in items if str(v).strip())

    @field_validator("include", "exclude", mode="before")
    @classmethod
    def _handles(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        return tuple(str(v).strip().lstrip("@").lower() for v in items if str(v).strip())


class Brief(BaseModel):
    """What the marketer wants. Money in ``currency`` (default: the target country's, KR -> KRW);
    USD prices convert at the dated rate of data/costs/exchange_rates.csv unless ``usd_per_unit``
    is given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    budget: float = Field(gt=0)
    currency: str = ""
    usd_per_unit: float | None = Field(None, gt=0, description="USD per 1 unit of currency")
    cost_basis: str = Field(
        default_factory=lambda: str(plan_settings()["budget"]["cost_basis"]),
        description='"p90" (default), "pNN" or "mid": the cost that must fit the budget',
    )
    allow_unknown_fit: bool = Field(
        default_factory=lambda: bool(plan_settings()["candidates"]["allow_unknown_fit"])
    )
    overhead_per_creator: float | None = Field(
        None, ge=0, description="money per creator (brief currency); default from plan.toml"
    )
    overhead_hours_per_creator: float | None = Field(None, ge=0)
    goal: str = "balanced"
    goal_overrides: dict[str, Any] = Field(default_factory=dict)
    target: Target = Field(default_factory=Target)
    niches: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    deliverables: dict[str, str] = Field(default_factory=dict)
    options: tuple[str, ...] = ()
    quotes: dict[str, float] = Field(default_factory=dict)
    ctr: tuple[float, float, float] | None = None
    cvr: tuple[float, float, float] | None = None
    overlap: bool = True
    constraints: Constraints = Field(default_factory=lambda: Constraints.model_validate({}))

    @field_validator("goal")
    @classmethod
    def _goal(cls, value: str) -> str:
        if value not in goal_names():
            raise ValueError(f"goal {value!r}: use one of {', '.join(goal_names())}")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("cost_basis")
    @classmethod
    def _cost_basis(cls, value: str) -> str:
        text = value.strip().lower()
        if text == "mid" or (
            len(text) == 3 and text[0] == "p" and text[1:].isdigit() and 50 <= int(text[1:]) <= 99
        ):
            return text
        raise ValueError(f"cost_basis {value!r}: use p90 (default), p50..p99 or mid")

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, value: Any) -> Any:
        if isinstance(value, str):
            return Target.parse(value)
        if isinstance(value, dict):
            return Target.from_mapping(value)
        return value

    @field_validator("niches", "platforms", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        return tuple(str(v).strip().lower() for v in items if str(v).strip())

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for platform in value:
            if platform not in DEFAULT_DELIVERABLE:
                raise ValueError(f"platform {platform!r}: use {', '.join(DEFAULT_DELIVERABLE)}")
        return value

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        out = tuple(str(v).strip().lower().replace("-", "_") for v in items if str(v).strip())
        for option in out:
            if option not in OPTIONS:
                raise ValueError(f"option {option!r}: use {', '.join(OPTIONS)}")
        return out

    @field_validator("ctr", "cvr")
    @classmethod
    def _rates(cls, value: tuple[float, float, float] | None) -> tuple[float, float, float] | None:
        if value is None:
            return None
        low, mid, high = value
        if not 0 <= low <= mid <= high <= 1:
            raise ValueError(f"rate {value}: need 0 <= low <= mid <= high <= 1")
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_currency(cls, data: Any) -> Any:
        """No currency given: the target countries' own (KR -> KRW), else USD."""
        if isinstance(data, dict) and not str(data.get("currency") or "").strip():
            target = data.get("target")
            if isinstance(target, str):
                target = Target.parse(target)
            elif isinstance(target, dict):
                target = Target.from_mapping(target)
            countries = target.countries if isinstance(target, Target) else ()
            data = {**data, "currency": default_currency(countries)}
        return data

    @model_validator(mode="after")
    def _fx(self) -> Brief:
        if self.usd_per_unit is None:
            exchange_rate(self.currency)  # an unknown currency is an error, never 1:1
        load_goal(self.goal, self.goal_overrides)
        return self

    @property
    def rate(self) -> ExchangeRate:
        """The rate USD figures convert at: the brief's own ``usd_per_unit`` or the dated one."""
        if self.usd_per_unit is not None:
            return manual_rate(self.currency, self.usd_per_unit)
        return exchange_rate(self.currency)

    @property
    def budget_usd(self) -> float:
        return self.budget * self.rate.usd_per_unit

    @property
    def cost_quantile(self) -> float | None:
        """0.9 for "p90"; None when planning on the mid estimate."""
        return None if self.cost_basis == "mid" else int(self.cost_basis[1:]) / 100

    @property
    def overhead_usd(self) -> float:
        """Per-creator overhead in USD (brief field in its currency, else plan.toml)."""
        team = plan_settings()["team"]
        hours = (
            float(team["overhead_hours"])
            if self.overhead_hours_per_creator is None
            else self.overhead_hours_per_creator
        )
        if self.overhead_per_creator is not None:
            return self.overhead_per_creator * self.rate.usd_per_unit
        return float(team["overhead_money_usd"]) + hours * float(team["hourly_rate_usd"])

    @property
    def overhead_hours(self) -> float:
        team = plan_settings()["team"]
        if self.overhead_hours_per_creator is None:
            return float(team["overhead_hours"])
        return self.overhead_hours_per_creator

    def goal_weights(self) -> GoalWeights:
        return load_goal(self.goal, self.goal_overrides)

    @classmethod
    def build(cls, **fields: Any) -> Brief:
        """Construct from plain values, turning validation errors into one readable BriefError."""
        try:
            return cls(**fields)
        except (TargetError, CurrencyError) as exc:
            raise BriefError(str(exc)) from exc
        except ValidationError as exc:
            messages = []
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                msg = str(err["msg"]).removeprefix("Value error, ")
                messages.append(f"{where}: {msg}" if where else msg)
            raise BriefError("; ".join(messages)) from exc

    @classmethod
    def from_toml(cls, path: str | Path) -> Brief:
        try:
            with Path(path).open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError as exc:
            raise BriefError(f"{path}: no such brief file") from exc
        except tomllib.TOMLDecodeError as exc:
            raise BriefError(f"{path}: not valid TOML ({exc})") from exc
        return cls.build(**data)
