"""What a disclosure rule is, and the data files that hold them (no engine here).

A jurisdiction (``us_ftc.toml``, ``kr_kftc.toml``, ``uk_asa_cma.toml``) is a list of cited rules and
dated rule sets: per label its clarity and whether it is accepted, per medium the accepted
positions. Context rules (``context_rules.toml``) say what a cue does (cancel a label, count as a
label or a signal, take evidence away); message templates (``messages.toml``) word the verdicts.
The engine that applies them is ``_scan`` (reading a post) and ``_judge`` (judging it).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Self

import pandas as pd

from creatorlens.errors import OptionError

JURISDICTION_FILES: dict[str, str] = {
    "us": "us_ftc.toml",
    "kr": "kr_kftc.toml",
    "uk": "uk_asa_cma.toml",
}
DATA_PATH = "data/disclosure"


def read_toml(name: str) -> dict[str, Any]:
    text = resources.files("creatorlens").joinpath(f"{DATA_PATH}/{name}").read_text("utf-8")
    return tomllib.loads(text)


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    source: str
    content: str


@dataclass(frozen=True)
class LabelJudgement:
    clarity: str
    accepted: bool
    rule: str


@dataclass(frozen=True)
class MediumRule:
    accepted: frozenset[str]
    accepted_when_video_known: frozenset[str] | None
    rule: str
    video_rule: str
    title_rule: str
    where_en: str
    where_ko: str


@dataclass(frozen=True)
class RuleSet:
    id: str
    effective_from: date
    undisclosed_rule: str
    language_rule: str
    same_language_for: frozenset[str]
    title_visible_chars: int
    repeat_every_s: float
    repeat_tolerance_s: float
    suggest_en: str
    suggest_ko: str
    labels: Mapping[str, LabelJudgement]
    media: Mapping[str, MediumRule]
    evidence_rules: Mapping[str, str]


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    version: str
    name_en: str
    name_ko: str
    rules: Mapping[str, Rule]
    rule_sets: tuple[RuleSet, ...]  # ascending effective_from

    def rule_set_index(self, posted_at: Any) -> int:
        """Index of the rule set in force on ``posted_at``; undated posts get the newest set."""
        when = _to_date(posted_at)
        if when is None:
            return len(self.rule_sets) - 1
        index = 0
        for i, rule_set in enumerate(self.rule_sets):
            if rule_set.effective_from <= when:
                index = i
        return index

    def rule_set_for(self, posted_at: Any) -> RuleSet:
        return self.rule_sets[self.rule_set_index(posted_at)]


def _to_date(value: Any) -> date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _medium_rule(raw: Mapping[str, Any]) -> MediumRule:
    when_known = raw.get("accepted_when_video_known")
    return MediumRule(
        accepted=frozenset(raw["accepted"]),
        accepted_when_video_known=frozenset(when_known) if when_known is not None else None,
        rule=raw["rule"],
        video_rule=raw.get("video_rule", ""),
        title_rule=raw.get("title_rule", ""),
        where_en=raw["where_en"],
        where_ko=raw["where_ko"],
    )


def load_jurisdiction(code: str) -> Jurisdiction:
    """Load one jurisdiction's rules from package data (``us``, ``kr`` or ``uk``)."""
    if code not in JURISDICTION_FILES:
        raise OptionError(f"unknown jurisdiction {code!r}; use one of {sorted(JURISDICTION_FILES)}")
    raw = read_toml(JURISDICTION_FILES[code])
    rules = {r["id"]: Rule(r["id"], r["source"], r["content"]) for r in raw["rules"]}
    by_id: dict[str, dict[str, Any]] = {}
    for entry in raw["rule_sets"]:
        resolved = _merge(by_id[entry["extends"]], entry) if "extends" in entry else dict(entry)
        by_id[entry["id"]] = resolved
    rule_sets = []
    for entry in by_id.values():
        rule_sets.append(
            RuleSet(
                id=entry["id"],
                effective_from=date.fromisoformat(entry["effective_from"]),
                undisclosed_rule=entry["undisclosed_rule"],
                language_rule=entry.get("language_rule", ""),
                same_language_for=frozenset(entry.get("same_language_for", [])),
                title_visible_chars=int(entry.get("title_visible_chars", 0)),
                repeat_every_s=float(entry.get("repeat_every_s", 0)),
                repeat_tolerance_s=float(entry.get("repeat_tolerance_s", 0)),
                suggest_en=entry["suggest_en"],
                suggest_ko=entry["suggest_ko"],
                labels={
                    k: LabelJudgement(v["clarity"], bool(v["accepted"]), v["rule"])
                    for k, v in entry["labels"].items()
                },
                media={k: _medium_rule(v) for k, v in entry["media"].items()},
                evidence_rules=dict(entry.get("evidence_rules", {})),
            )
        )
    rule_sets.sort(key=lambda rs: rs.effective_from)
    return Jurisdiction(
        code=code,
        version=str(raw["version"]),
        name_en=raw["name_en"],
        name_ko=raw["name_ko"],
        rules=rules,
        rule_sets=tuple(rule_sets),
    )


@dataclass(frozen=True)
class ContextRule:
    """One rule of context_rules.toml: what it is (id, what, source) and what it does (effect)."""

    id: str
    what: str
    source: str
    effect: str  # cancel | label | signal | not_evidence | not_endorsement | brand_stem
    forms: frozenset[str] = frozenset()


_CONTEXT_EFFECTS = frozenset({"cancel", "label", "signal", "not_evidence", "not_endorsement", "brand_stem"})


def load_context_rules(raw: Mapping[str, Any]) -> dict[str, ContextRule]:
    rules: dict[str, ContextRule] = {}
    for entry in raw["rules"]:
        if entry["effect"] not in _CONTEXT_EFFECTS:
            raise ValueError(f"context rule {entry['id']}: unknown effect {entry['effect']!r}")
        if entry["id"] in rules:
            raise ValueError(f"context rule {entry['id']} is defined twice")
        rules[entry["id"]] = ContextRule(
            entry["id"], entry["what"], entry["source"], entry["effect"],
            frozenset(entry.get("forms", [])),
        )  # fmt: skip
    return rules


@dataclass(frozen=True)
class Messages:
    templates: Mapping[str, Mapping[str, str]]
    positions: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls) -> Self:
        raw = read_toml("messages.toml")
        return cls(templates=raw["templates"], positions=raw["positions"])

    def position(self, position: str, lang: str) -> str:
        names = self.positions.get(position)
        return names[lang] if names else position


def jurisdiction_codes(jurisdictions: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(jurisdictions, str):
        jurisdictions = jurisdictions.split(",")
    codes = tuple(dict.fromkeys(c.strip().lower() for c in jurisdictions if c.strip()))
    for code in codes:
        if code not in JURISDICTION_FILES:
            raise OptionError(f"unknown jurisdiction {code!r}; use one of {sorted(JURISDICTION_FILES)}")
    return codes


@lru_cache(maxsize=8)
def jurisdiction_rules(code: str) -> Jurisdiction:
    return load_jurisdiction(code)


@lru_cache(maxsize=1)
def message_templates() -> Messages:
    return Messages.load()


def disclosure_rules(jurisdiction: str) -> pd.DataFrame:
    """Every rule of a jurisdiction: id, source, content (for docs and the CLI)."""
    loaded = jurisdiction_rules(jurisdiction_codes([jurisdiction])[0])
    return pd.DataFrame(
        [{"id": r.id, "source": r.source, "content": r.content} for r in loaded.rules.values()]
    )
