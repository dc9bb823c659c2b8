"""Loading the demo's calibration and vocabulary (package data in ``creatorlens/data/demo/``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from creatorlens.data import load_toml

__all__ = ["Calibration", "Vocabulary", "load_calibration", "load_vocabulary"]

TIERS = ("none", "nano", "micro", "macro", "mega")
PLATFORMS = ("instagram", "tiktok", "youtube")


def _read_toml(name: str) -> dict[str, Any]:
    return load_toml(f"demo/{name}")


@dataclass(frozen=True)
class Calibration:
    """The numbers behind the demo, each with its source in ``calibration.toml``."""

    raw: Mapping[str, Any]

    def section(self, *path: str) -> Mapping[str, Any]:
        node: Any = self.raw
        for key in path:
            node = node[key]
        return node  # type: ignore[no-any-return]

    def value(self, *path: str) -> Any:
        return self.section(*path[:-1])[path[-1]]

    @property
    def as_of(self) -> datetime:
        return datetime.fromisoformat(str(self.raw["as_of"]))

    @property
    def niches(self) -> list[str]:
        return list(self.raw["content"]["niches"])

    def per_tier(self, *path: str) -> npt.NDArray[np.float64]:
        """A {tier: number} table as an array indexed like ``TIERS``."""
        table = self.section(*path)
        return np.array([float(table[t]) for t in TIERS])

    def tier_mix(self, platform: str) -> npt.NDArray[np.float64]:
        """Tier probabilities the demo samples: population share x oversampling, renormalised."""
        population = self.per_tier("tiers", "population", platform)
        mix = population * self.per_tier("tiers", "oversample")
        return np.asarray(mix / mix.sum(), dtype=np.float64)

    def pair(self, *path: str) -> tuple[float, float]:
        low, high = self.value(*path)
        return float(low), float(high)


@dataclass(frozen=True)
class Vocabulary:
    raw: Mapping[str, Any]

    def words(self, *path: str) -> list[str]:
        node: Any = self.raw
        for key in path:
            node = node[key]
        return [str(w) for w in node]

    def text(self, *path: str) -> str:
        node: Any = self.raw
        for key in path:
            node = node[key]
        return str(node)

    def niche(self, niche: str) -> Mapping[str, Any]:
        return self.raw["niches"][niche]  # type: ignore[no-any-return]

    def mapping(self, *path: str) -> Mapping[str, Any]:
        node: Any = self.raw
        for key in path:
            node = node[key]
        return node  # type: ignore[no-any-return]


@cache
def load_calibration() -> Calibration:
    return Calibration(_read_toml("calibration.toml"))


@cache
def load_vocabulary() -> Vocabulary:
    return Vocabulary(_read_toml("vocabulary.toml"))


def normalised(weights: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    arr = np.asarray(weights, dtype=np.float64)
    return np.asarray(arr / arr.sum(), dtype=np.float64)
