"""Benign-context rules (data/safety/benign_rules.toml): a lexicon hit inside a phrase such as
"glue gun" or "wine red" is cancelled. The rules are data; this module only loads, checks and
runs them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from creatorlens.content.safety._lexicon import CATEGORIES, fold
from creatorlens.data import load_toml

__all__ = ["BenignRule", "benign_rules"]

RULES_FILE = "safety/benign_rules.toml"


@dataclass(frozen=True)
class BenignRule:
    id: str
    what: str
    source: str
    categories: frozenset[str]
    phrases: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]

    def covers(self, folded_text: str, start: int, end: int) -> bool:
        """Whether a phrase of this rule matches around the span ``[start, end)`` of the text
        (``folded_text`` as ``fold`` gives it; offsets are characters)."""
        return any(
            m.start() <= start and end <= m.end() for p in self.phrases for m in p.finditer(folded_text)
        )


@cache
def benign_rules() -> tuple[BenignRule, ...]:
    doc = load_toml(RULES_FILE)
    rules: list[BenignRule] = []
    seen: set[str] = set()
    for entry in doc["rules"]:
        rule_id = str(entry["id"])  # fields and types: data/_schemas.py SafetyBenignRule
        if rule_id in seen:
            raise ValueError(f"{RULES_FILE}: duplicate rule id {rule_id}")
        seen.add(rule_id)
        categories = frozenset(str(c) for c in entry["categories"])
        if not categories or categories - set(CATEGORIES):
            raise ValueError(f"{RULES_FILE} rule {rule_id}: categories {sorted(categories)}")
        # phrases are folded like the text they run on, so they may be written with diacritics
        phrases = tuple(re.compile(fold(str(p)), re.IGNORECASE) for p in entry["phrases"])
        rules.append(
            BenignRule(
                rule_id, str(entry["what"]), str(entry["source"]), categories, phrases,
                tuple(str(e) for e in entry["examples"]),
            )
        )  # fmt: skip
    return tuple(rules)
