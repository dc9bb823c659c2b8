"""Package data that fit, overlap, cost and planning read (no numbers live in code)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def assumptions() -> dict[str, Any]:
    """``data/planner/assumptions.toml``: the named assumptions with their source line."""
    text = (
        resources.files("creatorlens").joinpath("data/planner/assumptions.toml").read_text("utf-8")
    )
    return tomllib.loads(text)


def assumption_section(name: str) -> dict[str, Any]:
    section = assumptions()[name]
    if not isinstance(section, dict):
        raise TypeError(f"assumptions.toml [{name}] is not a table")
    return section
