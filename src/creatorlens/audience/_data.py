"""Package data that fit, overlap, cost and planning read (no numbers live in code)."""

from __future__ import annotations

from functools import cache
from typing import Any

from creatorlens.data import load_toml


@cache
def assumptions() -> dict[str, Any]:
    """``data/planner/assumptions.toml``: the named assumptions with their source line."""
    return load_toml("planner/assumptions.toml")


def assumption_section(name: str) -> dict[str, Any]:
    section = assumptions()[name]
    if not isinstance(section, dict):
        raise TypeError(f"assumptions.toml [{name}] is not a table")
    return section
