"""Tier schemes (nano / micro / macro / mega ...) and near-size peer groups.

Schemes are data: the package file ``data/tier_schemes.csv`` (the seed's default plus published
schemes, each with its source) and any TOML file a user writes::

    name = "agency"
    [[tiers]]
    name = "small"
    min = 1000
    max = 50000          # exclusive; omit for "and above"

A tier is the half-open interval [min, max). Below the lowest ``min`` a creator has no tier.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from creatorlens.data import load_csv, load_toml
from creatorlens.errors import TierSchemeError as TierSchemeError

if TYPE_CHECKING:  # Ibis is imported where an expression is built (a fast `creatorlens show`)
    import ibis.expr.types as ir

__all__ = [
    "DEFAULT_SCHEME",
    "PeerGroups",
    "Tier",
    "TierScheme",
    "TierSchemeError",
    "available_schemes",
]

DEFAULT_SCHEME = "seed"


@dataclass(frozen=True)
class Tier:
    name: str
    min_followers: int
    max_followers: int | None  # exclusive; None = unbounded

    def contains(self, followers: float) -> bool:
        upper = math.inf if self.max_followers is None else self.max_followers
        return self.min_followers <= followers < upper

    @property
    def label(self) -> str:
        hi = "+" if self.max_followers is None else f"–{_short(self.max_followers)}"
        return f"{self.name} ({_short(self.min_followers)}{hi})"


@dataclass(frozen=True)
class TierScheme:
    name: str
    tiers: tuple[Tier, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.tiers:
            raise TierSchemeError(f"tier scheme {self.name!r} has no tiers")
        ordered = sorted(self.tiers, key=lambda t: t.min_followers)
        for lower, upper in itertools.pairwise(ordered):
            if lower.max_followers is None or lower.max_followers > upper.min_followers:
                raise TierSchemeError(
                    f"tier scheme {self.name!r}: tiers {lower.name!r} and {upper.name!r} overlap"
                )
        object.__setattr__(self, "tiers", tuple(ordered))

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tiers]

    def assign(self, followers: float | None) -> str | None:
        """The tier of a follower count, or None (below the first tier or unknown)."""
        if followers is None or (isinstance(followers, float) and math.isnan(followers)):
            return None
        for tier in self.tiers:
            if tier.contains(followers):
                return tier.name
        return None

    def expr(self, followers: ir.NumericValue) -> ir.StringValue:
        """The same assignment as an Ibis expression, for any backend."""
        import ibis

        branches = []
        for tier in self.tiers:
            cond = followers >= tier.min_followers
            if tier.max_followers is not None:
                cond = cond & (followers < tier.max_followers)
            branches.append((cond, tier.name))
        return ibis.cases(*branches, else_=ibis.null("string"))

    @classmethod
    def load(cls, name_or_path: str | Path) -> TierScheme:
        """A packaged scheme by name (``seed``, ``nielsen_2022`` ...) or a user's TOML file."""
        text = str(name_or_path)
        if text.endswith(".toml") or Path(text).is_file():
            return _load_toml(Path(text))
        schemes = _packaged_schemes()
        if text not in schemes:
            raise TierSchemeError(
                f"unknown tier scheme {text!r}; choose one of {', '.join(sorted(schemes))} "
                "or give the path of a TOML file"
            )
        return schemes[text]


def available_schemes() -> list[str]:
    return sorted(_packaged_schemes())


@cache
def _packaged_schemes() -> dict[str, TierScheme]:
    rows = load_csv("tier_schemes.csv")
    grouped: dict[str, list[Tier]] = {}
    sources: dict[str, str] = {}
    for row in rows:
        hi = row["max_followers_exclusive"].strip()
        grouped.setdefault(row["scheme"], []).append(
            Tier(row["tier"], int(row["min_followers"]), int(hi) if hi else None)
        )
        sources.setdefault(row["scheme"], row["source"])
    return {n: TierScheme(n, tuple(t), sources[n]) for n, t in grouped.items()}


def _load_toml(path: Path) -> TierScheme:
    if not path.is_file():
        raise TierSchemeError(f"{path}: tier scheme file not found")
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TierSchemeError(f"{path}: not valid TOML ({exc})") from exc
    tiers = []
    for i, item in enumerate(doc.get("tiers", []), start=1):
        try:
            hi = item.get("max")
            tiers.append(Tier(str(item["name"]), int(item["min"]), None if hi is None else int(hi)))
        except (KeyError, TypeError, ValueError) as exc:
            raise TierSchemeError(
                f"{path}: tier #{i} needs name and integer min (and optional max): {exc}"
            ) from exc
    return TierScheme(str(doc.get("name", path.stem)), tuple(tiers), str(path))


@dataclass(frozen=True)
class PeerGroups:
    """Log-spaced follower bins: near-size peer groups for fair percentiles (see peer_groups.toml)."""

    bins_per_decade: int
    min_group_size: int

    @classmethod
    def load(cls) -> PeerGroups:
        doc = load_toml("peer_groups.toml")
        return cls(int(doc["bins_per_decade"]), int(doc["min_group_size"]))

    def group(self, followers: float | None) -> int | None:
        """The largest k with 10 ** (k / bins_per_decade) <= followers."""
        if followers is None or followers < 1:
            return None
        k = math.floor(math.log10(followers) * self.bins_per_decade)
        if followers >= 10 ** ((k + 1) / self.bins_per_decade):
            return k + 1
        if followers < 10 ** (k / self.bins_per_decade):
            return k - 1
        return k

    def expr(self, followers: ir.NumericValue) -> ir.IntegerValue:
        """The same as :meth:`group` on any backend. The logarithm alone is not enough: engines
        round it differently (Spark's log10(1000) is 2.9999999999999996), so the bin is corrected
        against its bounds, which every engine computes exactly at powers of ten."""
        import ibis

        safe = ibis.ifelse(followers >= 1, followers, ibis.null("float64")).cast("float64")
        k = (safe.log10() * self.bins_per_decade).floor().cast("int64")
        ten = ibis.literal(10.0)
        upper = ten.pow((k + 1).cast("float64") / self.bins_per_decade)
        lower = ten.pow(k.cast("float64") / self.bins_per_decade)
        return ibis.cases((safe >= upper, k + 1), (safe < lower, k - 1), else_=k).cast("int64")

    def bounds(self, group: int) -> tuple[float, float]:
        return 10 ** (group / self.bins_per_decade), 10 ** ((group + 1) / self.bins_per_decade)


def _short(n: int) -> str:
    for div, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    return f"{n:,}"
