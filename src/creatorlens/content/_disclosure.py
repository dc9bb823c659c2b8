"""Sponsorship-disclosure checker: is a post sponsored, is it labelled, and does the label pass?

Pure domain code. All vocabulary (label terms, signals, negations) and every jurisdiction's
judgement (label clarity, accepted positions, rule ids, sources) live in
``creatorlens/data/disclosure/*.toml``; this module only knows the *shape* of a rule, never a
jurisdiction's content.

How a post is read (see docs/disclosure.md):

1. One pass of one combined regex over the caption finds label terms, negations ("not
   sponsored", "광고 아님"), sponsorship signals (discount codes, gift wording, 체험단 ...),
   hashtags and links. Title, on-image text, the creator's comments and transcript segments
   are scanned the same way when given.
2. Every label hit gets a position (start, first_line, first_hashtag, buried_hashtag, after_more,
   title, on_image, comments_only, video_start ...) that does not depend on the jurisdiction.
3. Per jurisdiction, the rule set in force on ``posted_at`` judges each hit (label accepted? same
   language as the content? position accepted for this medium?); the best hit decides.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import re._constants as _sre_constants
import re._parser as _sre_parser
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Self

import numpy as np
import pandas as pd

from creatorlens.errors import OptionError

Verdict = Literal["compliant", "non_compliant", "undisclosed_likely_ad", "not_sponsored"]
VERDICTS: tuple[str, ...] = ("compliant", "non_compliant", "undisclosed_likely_ad", "not_sponsored")
JURISDICTION_FILES: dict[str, str] = {
    "us": "us_ftc.toml",
    "kr": "kr_kftc.toml",
    "uk": "uk_asa_cma.toml",
}
VERDICT_COLUMNS: tuple[str, ...] = (
    "post_id",
    "jurisdiction",
    "rule_set",
    "sponsored",
    "sponsored_evidence",
    "label",
    "label_position",
    "label_clarity",
    "verdict",
    "rule_ids",
    "explanation_en",
    "explanation_ko",
)
_CLARITY_RANK = {"clear": 0, "ambiguous": 1, "not_allowed": 2}
_DATA_PATH = "data/disclosure"


def _read_toml(name: str) -> dict[str, Any]:
    text = resources.files("creatorlens").joinpath(f"{_DATA_PATH}/{name}").read_text("utf-8")
    return tomllib.loads(text)


# --------------------------------------------------------------------------------------------------
# Rules (jurisdiction data)
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
    raw = _read_toml(JURISDICTION_FILES[code])
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


# --------------------------------------------------------------------------------------------------
# Vocabulary (shared recognition of labels and signals) compiled into one regex
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelTerm:
    key: str
    language: str
    implies: str  # always | with_mention | never
    display: str
    #: the signals.toml label key whose judgement this label shares (itself for signals.toml labels)
    means: str = ""
    #: the text must contain this script for the label to count (lexicon ``script``), else None
    script: re.Pattern[str] | None = None


@dataclass(frozen=True)
class ContextRule:
    """One rule of context_rules.toml: what it is (id, what, source) and what it does (effect)."""

    id: str
    what: str
    source: str
    effect: str  # cancel | label | signal | not_evidence | not_endorsement | brand_stem
    forms: frozenset[str] = frozenset()


_CONTEXT_EFFECTS = frozenset(
    {"cancel", "label", "signal", "not_evidence", "not_endorsement", "brand_stem"}
)


@dataclass(frozen=True)
class SignalKind:
    key: str
    needs_mention: bool
    display_en: str
    display_ko: str


_SEPARATORS = r"[|:：\-–—/·•)\]>】」]"


def _hashtag_alternation(tags: Iterable[str]) -> str:
    """Whole hashtag tokens: the tag, then only punctuation/emoji up to whitespace, '#', '@' or the
    end (the token rule of ``_HASHTAG_TOKEN`` with trailing punctuation stripped)."""
    names = sorted({re.escape(t.lower()) for t in tags}, key=len, reverse=True)
    return "#(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


def _word_alternation(words: Iterable[str]) -> str:
    parts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")"


def _prefix_alternation(prefixes: Iterable[str]) -> str:
    """Compound hashtags: a label prefix glued to a brand of two or more characters."""
    names = sorted({re.escape(t.lower()) for t in prefixes}, key=len, reverse=True)
    return "#(?:" + "|".join(names) + r")[^\W_][^\s#@]+"


def _suffix_alternation(suffixes: Iterable[str]) -> str:
    """'#<stem><suffix>' hashtags with a stem of two or more characters (CTX-BRAND-STEM)."""
    names = sorted({re.escape(t.lower()) for t in suffixes}, key=len, reverse=True)
    return r"#[^\W_][^\s#@]+?(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


def _lexicon_files() -> list[str]:
    """The per-language lexicons of data/disclosure (lexicon_*.toml), in name order."""
    folder = resources.files("creatorlens").joinpath(_DATA_PATH)
    return sorted(
        item.name
        for item in folder.iterdir()
        if item.name.startswith("lexicon_") and item.name.endswith(".toml")
    )


def _context_rules(raw: Mapping[str, Any]) -> dict[str, ContextRule]:
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


def _rule_entry(raw: Mapping[str, Any], rule_id: str) -> Mapping[str, Any]:
    return next(entry for entry in raw["rules"] if entry["id"] == rule_id)


def _rule_cues(
    raw: Mapping[str, Any], effects: set[str], rule_id: str | None = None
) -> list[tuple[str, str, str]]:
    """(regex, rule id, language) of every cue of the rules with these effects: per rule, the
    hashtags of each language, then the phrases."""
    out: list[tuple[str, str, str]] = []
    for entry in raw["rules"]:
        if entry["effect"] not in effects or (rule_id is not None and entry["id"] != rule_id):
            continue
        cues = entry.get("cues", {})
        for language, table in cues.items():
            if table.get("hashtags"):
                out.append((_hashtag_alternation(table["hashtags"]), entry["id"], language))
        for language, table in cues.items():
            out.extend((phrase, entry["id"], language) for phrase in table.get("phrases", []))
    return out


def _required_literals(regex: str) -> frozenset[str] | None:
    """Lower-cased literals, one of which occurs in every match of ``regex`` (None: unknown).

    Lets a caption skip every pattern whose required literal it does not contain, so one scan costs
    a few substring tests plus one small regex instead of a 200-way alternation at every character.
    """
    return _sequence_literals(list(_sre_parser.parse(regex, re.IGNORECASE)))


def _sequence_literals(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if not candidate:
            return
        if best is None or min(map(len, candidate)) > min(map(len, best)):
            best = candidate

    repeats = (
        _sre_constants.MAX_REPEAT,
        _sre_constants.MIN_REPEAT,
        _sre_constants.POSSESSIVE_REPEAT,
    )
    for op, av in items:
        if op is _sre_constants.LITERAL:
            run.append(chr(av))
            continue
        consider(frozenset(["".join(run).lower()]) if run else None)
        run = []
        if op is _sre_constants.SUBPATTERN:
            consider(_sequence_literals(list(av[3])))
        elif op is _sre_constants.BRANCH:
            branches = [_sequence_literals(list(branch)) for branch in av[1]]
            if all(b is not None for b in branches):
                consider(frozenset().union(*[b for b in branches if b is not None]))
        elif op in repeats and av[0] >= 1:
            consider(_sequence_literals(list(av[2])))
    consider(frozenset(["".join(run).lower()]) if run else None)
    return best


class _Matcher:
    """All recognition patterns in priority order, compiled per subset a text can match.

    Semantics equal one big alternation (leftmost match, earlier alternative wins on ties): patterns
    whose required literal is absent from the text cannot match, so dropping them changes nothing.
    """

    def __init__(
        self,
        alternatives: Sequence[tuple[str, str, str]],
        triggers: Mapping[int, frozenset[str]] | None = None,
        gates: Mapping[int, str] | None = None,
    ) -> None:
        """``gates``: pattern index -> a script regex the text must contain for the pattern to be
        tried (a lexicon's ``script``: Japanese "#PR" is not tried on an English gym post)."""
        self.alternatives = tuple(alternatives)
        by_literal: dict[str, set[int]] = {}
        always: list[int] = []
        for index, (regex, _, _) in enumerate(self.alternatives):
            literals = (triggers or {}).get(index) or _required_literals(regex)
            if literals is None:
                always.append(index)
                continue
            for literal in literals:
                by_literal.setdefault(literal, set()).add(index)
        # A literal that contains another listed literal of >= 4 characters is replaced by it: fewer
        # substring tests, at the price of trying a pattern a little more often (still sound).
        merged: dict[str, set[int]] = {}
        names = sorted(by_literal, key=len)
        for literal in names:
            target = next(
                (s for s in names if len(s) >= 4 and len(s) < len(literal) and s in literal),
                literal,
            )
            merged.setdefault(target, set()).update(by_literal[literal])
        self.always = frozenset(always)
        ordered = sorted(merged.items())
        self.literal_indices = tuple(frozenset(indices) for _, indices in ordered)
        # Literals are grouped by their first two bytes; a caption's set of byte pairs picks the few
        # groups worth a substring test.
        self.short_literals: tuple[tuple[bytes, int], ...] = ()
        groups: dict[bytes, list[tuple[bytes, int]]] = {}
        short: list[tuple[bytes, int]] = []
        for i, (literal, _) in enumerate(ordered):
            encoded = literal.encode("utf-8")
            if len(encoded) < 2:
                short.append((encoded, 1 << i))
            else:
                groups.setdefault(encoded[:2], []).append((encoded, 1 << i))
        self.short_literals = tuple(short)
        by_script: dict[str, set[int]] = {}
        for index, script in (gates or {}).items():
            by_script.setdefault(script, set()).add(index)
        literal_bits = [
            sum(1 << i for i, indices in enumerate(self.literal_indices) if indices & gated)
            for gated in by_script.values()
        ]
        #: (script, gated pattern indices, bits of the literals that activate them)
        self.gates: tuple[tuple[re.Pattern[str], frozenset[int], int], ...] = tuple(
            (re.compile(script), frozenset(gated), bits)
            for (script, gated), bits in zip(by_script.items(), literal_bits, strict=True)
        )
        self._gate_shift = len(ordered)
        self.literal_groups: dict[bytes, tuple[tuple[bytes, int], ...]] = {
            pair: tuple(members) for pair, members in groups.items()
        }
        self._pair_groups: dict[tuple[int, int], tuple[tuple[bytes, int], ...]] = {
            (pair[0], pair[1]): members for pair, members in self.literal_groups.items()
        }
        self._by_mask: dict[int, tuple[int, ...] | None] = {}
        self._compiled: dict[
            tuple[int, ...], tuple[re.Pattern[str], tuple[tuple[str, str], ...]]
        ] = {}
        self._sightings: dict[tuple[int, ...], int] = {}
        self._single: list[re.Pattern[str] | None] = [None] * len(self.alternatives)
        # Matching pattern by pattern reproduces the alternation only when no pattern can match
        # the empty string (an empty match changes where finditer resumes).
        self._can_merge = all(
            _sre_parser.parse(regex, re.IGNORECASE).getwidth()[0] > 0
            for regex, _, _ in self.alternatives
        )

    def _active(self, text: str) -> tuple[int, ...] | None:
        """Indices (in priority order) of the patterns whose required literal ``text`` holds."""
        # Bytes, because `str in str` converts an ASCII needle to the haystack's width on every
        # test when the caption holds emoji or Hangul.
        lowered = text.lower().encode("utf-8")
        mask = 0
        for literal, bit in self.short_literals:
            if literal in lowered:
                mask |= bit
        # The text's byte pairs as int tuples: pairwise and set run in C, unlike slicing per position.
        groups = self._pair_groups
        for pair in groups.keys() & set(itertools.pairwise(lowered)):
            for literal, bit in groups[pair]:
                if literal in lowered:
                    mask |= bit
        # A gated pattern's literal is present but its script is not: one bit past the literals.
        for j, (script, _gated, bits) in enumerate(self.gates):
            if mask & bits and script.search(text) is None:
                mask |= 1 << (self._gate_shift + j)
        if mask in self._by_mask:
            return self._by_mask[mask]
        active: set[int] = set(self.always)
        for i, indices in enumerate(self.literal_indices):
            if mask >> i & 1:
                active |= indices
        for j, (_script, gated, _bits) in enumerate(self.gates):
            if mask >> (self._gate_shift + j) & 1:
                active -= gated
        key = tuple(sorted(active)) if active else None
        if len(self._by_mask) < 65536:
            self._by_mask[mask] = key
        return key

    def _compile(self, key: tuple[int, ...]) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
        compiled = self._compiled.get(key)
        if compiled is None:
            chosen = [self.alternatives[i] for i in key]
            pattern = re.compile(
                "|".join(f"({regex})" for regex, _, _ in chosen), re.IGNORECASE | re.MULTILINE
            )
            compiled = (pattern, tuple((kind, k) for _, kind, k in chosen))
            if len(self._compiled) < 4096:
                self._compiled[key] = compiled
        return compiled

    def for_text(self, text: str) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]] | None:
        """The alternation of the patterns ``text`` can match and their (kind, key) meanings."""
        key = self._active(text)
        return None if key is None else self._compile(key)

    def finditer(self, text: str) -> Iterator[tuple[tuple[str, str], re.Match[str]]]:
        """(kind, key) and match of every match of the full alternation in ``text``.

        Pattern subsets seen often are compiled into one alternation; a rare subset (captions
        combine literals in many ways, and compiling costs milliseconds) is matched pattern by
        pattern with the alternation's rule: leftmost start, the earlier pattern on a tie.
        """
        key = self._active(text)
        if key is None:
            return
        compiled = self._compiled.get(key)
        if compiled is None:
            seen = self._sightings.get(key, 0) + 1
            if seen >= _COMPILE_AFTER or not self._can_merge:
                compiled = self._compile(key)
            elif len(self._sightings) < 262_144:
                self._sightings[key] = seen
        if compiled is not None:
            pattern, meaning = compiled
            for match in pattern.finditer(text):
                index = match.lastindex
                if index is not None:
                    yield meaning[index - 1], match
            return
        yield from self._merged(key, text)

    def _merged(
        self, key: tuple[int, ...], text: str
    ) -> Iterator[tuple[tuple[str, str], re.Match[str]]]:
        patterns = [self._pattern(i) for i in key]
        found = [pattern.search(text) for pattern in patterns]
        end = len(text) + 1
        position = 0
        while True:
            best, best_start = -1, end
            for j, match in enumerate(found):
                if match is None:
                    continue
                if match.start() < position:
                    match = found[j] = patterns[j].search(text, position)
                    if match is None:
                        continue
                if match.start() < best_start:
                    best, best_start = j, match.start()
            if best < 0:
                return
            match = found[best]
            assert match is not None
            _, kind, meaning_key = self.alternatives[key[best]]
            yield (kind, meaning_key), match
            position = match.end()

    def _pattern(self, index: int) -> re.Pattern[str]:
        pattern = self._single[index]
        if pattern is None:
            pattern = re.compile(self.alternatives[index][0], re.IGNORECASE | re.MULTILINE)
            self._single[index] = pattern
        return pattern


#: How often a subset of patterns must occur before it is compiled into one alternation.
_COMPILE_AFTER = 64


@dataclass(frozen=True)
class Vocabulary:
    version: str
    labels: Mapping[str, LabelTerm]
    signals: Mapping[str, SignalKind]
    matcher: _Matcher
    url_hosts: tuple[tuple[str, str], ...]  # (host suffix, signal key)
    url_params: tuple[tuple[re.Pattern[str], str], ...]
    preview_lines: int
    preview_chars: int
    hangul_min_share: float
    start_window_s: float
    end_window_s: float
    media: Mapping[str, str]
    platform_flag_key: str
    platform_flag_display_en: str
    platform_flag_display_ko: str
    context_rules: Mapping[str, ContextRule] = field(default_factory=dict)
    #: label key -> the hashtag suffixes whose stem must be tagged or mentioned (CTX-BRAND-STEM)
    suffixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lexicon_versions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Self:
        raw = _read_toml("signals.toml")
        lexicons = [_read_toml(name) for name in _lexicon_files()]
        context = _read_toml("context_rules.toml")
        rules = _context_rules(context)
        alternatives: list[tuple[str, str, str]] = []  # (regex, kind, key)
        #: pattern index -> script its text must contain (lexicon `script`, also for its cues)
        gates: dict[int, str] = {}
        scripts = {str(lx["language"]): str(lx["script"]) for lx in lexicons if lx.get("script")}
        label_scripts = {
            entry["key"]: str(lx["script"])
            for lx in lexicons
            if lx.get("script")
            for entry in lx["labels"]
        }

        def gate(kind: str, key: str, language: str = "") -> None:
            """Record the script the alternative just appended needs, if any."""
            script = label_scripts.get(key) if kind.startswith("label") else scripts.get(language)
            if script:
                gates[len(alternatives) - 1] = script

        url_hosts: list[tuple[str, str]] = []
        url_params: list[tuple[re.Pattern[str], str]] = []
        bare_hosts: list[str] = []
        for sig in raw["signals"]:
            for host in sig.get("hosts", []):
                url_hosts.append((host.lower(), sig["key"]))
                if "." in host and not host.endswith("."):
                    bare_hosts.append(re.escape(host))
            for param in sig.get("url_params", []):
                url_params.append((re.compile(param, re.IGNORECASE), sig["key"]))
        url_regex = r"(?:https?://|www\.)[^\s<>\"']+"
        if bare_hosts:
            url_regex += (
                r"|\b(?:" + "|".join(sorted(bare_hosts, key=len, reverse=True)) + r")/[^\s<>\"']*"
            )
        alternatives.append((url_regex, "url", ""))

        negations = raw["negations"]
        own_tags = [t.lower() for t in negations.get("own_purchase_hashtags", [])]
        other_tags = [t.lower() for t in negations["hashtags"] if t.lower() not in own_tags]
        for tags, kind in ((own_tags, "own_purchase"), (other_tags, "negation")):
            if tags:
                alternatives.append((_hashtag_alternation(tags), kind, ""))
        for phrase in negations.get("own_purchase_phrases", []):
            alternatives.append((phrase, "own_purchase", ""))
        for phrase in negations["phrases"]:
            alternatives.append((phrase, "negation", ""))
        # Denials in the other languages (context rules with effect "cancel"), after the core list.
        for cue_regex, _rule, language in _rule_cues(context, {"cancel"}):
            alternatives.append((cue_regex, "negation", ""))
            gate("negation", "", language)
        # Label hashtags match whole tokens only: "#ad" and "#ad!" but never "#adidas" or
        # "#ad🐧_squad"; they come before the label forms so a hashtag keeps its rank.
        for entry in raw["labels"]:
            if entry.get("hashtags"):
                alternatives.append(
                    (_hashtag_alternation(entry["hashtags"]), "label_hashtag", entry["key"])
                )
        # Lexicon labels: whole hashtags, then compound hashtags (label word + brand), then
        # brand-stem hashtags ("#<brand>partner"), which the scan keeps only when the stem is
        # tagged or mentioned too.
        lexicon_entries = [(lexicon, entry) for lexicon in lexicons for entry in lexicon["labels"]]
        suffixes: dict[str, tuple[str, ...]] = {}
        for _lexicon, entry in lexicon_entries:
            if entry.get("hashtags"):
                alternatives.append(
                    (_hashtag_alternation(entry["hashtags"]), "label_hashtag", entry["key"])
                )
                gate("label_hashtag", entry["key"])
        for _lexicon, entry in lexicon_entries:
            if entry.get("hashtag_prefixes"):
                alternatives.append(
                    (_prefix_alternation(entry["hashtag_prefixes"]), "label_hashtag", entry["key"])
                )
                gate("label_hashtag", entry["key"])
        for _lexicon, entry in lexicon_entries:
            if entry.get("hashtag_suffixes"):
                ends = tuple(sorted({t.lower() for t in entry["hashtag_suffixes"]}, key=len))
                suffixes[entry["key"]] = ends[::-1]
                alternatives.append((_suffix_alternation(ends), "label_suffix", entry["key"]))
                gate("label_suffix", entry["key"])

        labels: dict[str, LabelTerm] = {}
        label_entries = [(raw, entry) for entry in raw["labels"]] + lexicon_entries
        for source, entry in label_entries:
            key = entry["key"]
            if key in labels:
                raise ValueError(f"disclosure label key {key!r} is defined twice")
            script = entry.get("script", source.get("script"))
            labels[key] = LabelTerm(
                key,
                entry.get("language", source.get("language", "")),
                entry["implies"],
                entry["display"],
                means=entry.get("means", key),
                script=re.compile(script) if script else None,
            )
            words = entry.get("words", [])
            if words:
                alt = _word_alternation(words)
                alternatives.append((r"[\[(【<{「]\s*" + alt + r"\s*[\])】>}」]", "label", key))
                gate("label", key)
                line_leading = r"^[^\w\n]{0,3}" + alt + r"(?:[ \t]*" + _SEPARATORS + r"|[ \t]*$)"
                alternatives.append((line_leading, "label", key))
                gate("label", key)
            for caps in entry.get("caps", []):
                alternatives.append(
                    (r"^[^\w\n]{0,3}(?-i:" + re.escape(caps) + r")(?=[ \t])", "label", key)
                )
                gate("label", key)
            for phrase in entry.get("phrases", []):
                alternatives.append((phrase, "label", key))
                gate("label", key)
        for rule_id in [r.id for r in rules.values() if r.effect == "label"]:
            label_key = _rule_entry(context, rule_id)["label"]
            if label_key not in labels:
                raise ValueError(f"context rule {rule_id}: unknown label {label_key!r}")
            for cue_regex, _rule, language in _rule_cues(context, {"label"}, rule_id):
                alternatives.append((cue_regex, "label", label_key))
                gate("cue", "", language)

        signals: dict[str, SignalKind] = {}
        for sig in raw["signals"]:
            signals[sig["key"]] = SignalKind(
                sig["key"], bool(sig["needs_mention"]), sig["display_en"], sig["display_ko"]
            )
            for phrase in sig.get("phrases", []):
                alternatives.append((phrase, "signal", sig["key"]))
        for lexicon in lexicons:
            for sig in lexicon.get("signals", []):
                if sig["key"] not in signals:
                    raise ValueError(f"lexicon {lexicon['language']}: unknown signal {sig['key']!r}")
                for phrase in sig.get("phrases", []):
                    alternatives.append((phrase, "signal", sig["key"]))
                    gate("signal", "", str(lexicon["language"]))
        for rule_id in [r.id for r in rules.values() if r.effect == "signal"]:
            entry = _rule_entry(context, rule_id)
            signals[entry["signal"]] = SignalKind(
                entry["signal"], bool(entry["needs_mention"]), entry["display_en"],
                entry["display_ko"],
            )  # fmt: skip
            for cue_regex, _rule, language in _rule_cues(context, {"signal"}, rule_id):
                alternatives.append((cue_regex, "signal", entry["signal"]))
                gate("signal", "", language)
        # Context cues (follow-bait, a shop's own advert) are recorded by rule id; last, so they
        # never take a label's place.
        for cue_regex, rule_id, language in _rule_cues(
            context, {"not_evidence", "not_endorsement"}
        ):
            alternatives.append((cue_regex, "cue", rule_id))
            gate("cue", "", language)

        for regex, _, _ in alternatives:
            if re.compile(regex).groups:
                raise ValueError(f"disclosure pattern must not capture: {regex!r}")
        flag = raw["platform_flag"]
        layout = raw["layout"]
        return cls(
            version=str(raw["version"]),
            labels=labels,
            signals=signals,
            # Links are recognised by "http", "www." or the "/" of a bare "amzn.to/..." link, not by
            # testing every listed host.
            matcher=_Matcher(alternatives, {0: frozenset({"http", "www.", "/"})}, gates),
            url_hosts=tuple(url_hosts),
            url_params=tuple(url_params),
            preview_lines=int(layout["preview_lines"]),
            preview_chars=int(layout["preview_chars"]),
            hangul_min_share=float(raw["language"]["hangul_min_share"]),
            start_window_s=float(raw["transcript"]["start_window_s"]),
            end_window_s=float(raw["transcript"]["end_window_s"]),
            media={k: v for k, v in raw["media"].items() if k != "source"},
            platform_flag_key=flag["key"],
            platform_flag_display_en=flag["display_en"],
            platform_flag_display_ko=flag["display_ko"],
            context_rules=rules,
            suffixes=suffixes,
            lexicon_versions={
                str(lexicon["language"]): str(lexicon["version"]) for lexicon in lexicons
            }
            | {"context_rules": str(context["version"])},
        )

    def medium(self, platform: str, kind: str) -> str:
        platform, kind = platform.lower(), kind.lower()
        return self.media.get(f"{platform}:{kind}") or self.media.get(kind) or self.media["default"]

    def classify_url(self, url: str) -> str | None:
        lowered = url.lower()
        stripped = re.sub(r"^(?:https?://)?(?:www\.)?", "", lowered)
        host = stripped.split("/", 1)[0].split("?", 1)[0]
        for pattern, key in self.url_params:
            if pattern.search(lowered):
                return key
        for suffix, key in self.url_hosts:
            if "/" in suffix:
                if stripped.startswith(suffix):
                    return key
            elif suffix.endswith("."):
                if host.startswith(suffix):
                    return key
            elif suffix.startswith("."):
                if host.endswith(suffix):
                    return key
            elif host == suffix or host.endswith("." + suffix):
                return key
        return None


@dataclass(frozen=True)
class Messages:
    templates: Mapping[str, Mapping[str, str]]
    positions: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls) -> Self:
        raw = _read_toml("messages.toml")
        return cls(templates=raw["templates"], positions=raw["positions"])

    def position(self, position: str, lang: str) -> str:
        names = self.positions.get(position)
        return names[lang] if names else position


# --------------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """One label found somewhere in a post."""

    key: str
    surface: str
    source: str  # caption | title | on_image | comments | flag | transcript
    position: str  # jurisdiction-independent position; title/transcript refined per rule set
    offset: int = 0
    time_s: float = 0.0
    hashtag: bool = False  # written as a hashtag (the form CTX-FOLLOW-BAIT looks at)


@dataclass
class _Scan:
    # key, surface, start, end, hashtag rank (1-based among the hashtags; 0 = not a hashtag)
    labels: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    signals: list[tuple[str, str]] = field(default_factory=list)  # key, surface
    has_mention: bool = False
    own_purchase: bool = False
    cues: set[str] = field(default_factory=set)  # context rule ids whose cue the text holds


_LEADING_NOISE = re.compile(r"[\W_]*")
_MENTION = re.compile(r"(?<![\w.])@[\w.]*\w")
_HASHTAG_TOKEN = re.compile(r"#[^\s#@]+")
_INSIDE_TOKEN = re.compile(r"[^\s#@]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LETTER = re.compile(r"[^\W\d_]")
_STRIP_FOR_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|[#@][^\s#@]+")


def _scan(text: str, vocab: Vocabulary) -> _Scan:
    result = _Scan()
    if not text:
        return result
    # Mentions are looked up on their own so that a phrase consuming "@brand" still counts it.
    result.has_mention = "@" in text and _MENTION.search(text) is not None
    for (kind, key), match in vocab.matcher.finditer(text):
        if kind in ("label", "label_hashtag", "label_suffix"):
            script = vocab.labels[key].script
            if script is not None and script.search(text) is None:
                continue
        if kind == "label_suffix" and not _stem_present(match.group(), key, text, vocab):
            continue
        if kind in ("label_hashtag", "label_suffix"):
            start = match.start()
            rank = len(_HASHTAG_TOKEN.findall(text, 0, start)) + 1
            result.labels.append((key, match.group(), start, match.end(), rank))
        elif kind == "label":
            start = match.start()
            # a label phrase inside a compound hashtag ("#협찬받은제품") is a hashtag label
            token_start = text.rfind("#", 0, start)
            rank = 0
            if token_start >= 0 and _INSIDE_TOKEN.fullmatch(text, token_start + 1, start):
                rank = len(_HASHTAG_TOKEN.findall(text, 0, token_start)) + 1
            result.labels.append((key, match.group(), start, match.end(), rank))
        elif kind == "signal":
            result.signals.append((key, match.group()))
        elif kind == "url":
            url_kind = vocab.classify_url(match.group())
            if url_kind is not None:
                result.signals.append((url_kind, match.group()))
        elif kind == "own_purchase":
            result.own_purchase = True
        elif kind == "cue":
            result.cues.add(key)
        # negations consume their span so the label inside is never matched
    return result


def _stem_present(tag: str, key: str, text: str, vocab: Vocabulary) -> bool:
    """CTX-BRAND-STEM: '#<stem><suffix>' counts when the post tags '#<stem>' or mentions '@<stem>'."""
    lowered = tag.lower().lstrip("#")
    for suffix in vocab.suffixes.get(key, ()):
        if lowered.endswith(suffix) and len(lowered) > len(suffix) + 1:
            stem = lowered[: -len(suffix)]
            if re.search(r"[#@]" + re.escape(stem) + r"(?![\w.])", text, re.IGNORECASE):
                return True
    return False


def content_language(text: str, vocab: Vocabulary) -> str:
    """'ko' when Hangul is at least ``hangul_min_share`` of the letters, else 'other'."""
    body = _STRIP_FOR_LANGUAGE.sub(" ", text)
    letters = len(_LETTER.findall(body))
    if letters == 0:
        body = text
        letters = len(_LETTER.findall(body))
        if letters == 0:
            return "other"
    hangul = len(_HANGUL.findall(body))
    return "ko" if hangul / letters >= vocab.hangul_min_share else "other"


def _normalise_language(value: str) -> str:
    return "ko" if value.strip().lower()[:2] == "ko" else "other"


def _starts(text: str, labels: Sequence[tuple[str, str, int, int, int]]) -> list[bool]:
    """Labels 'before anything else': only punctuation, emoji or other labels precede them."""
    flags: list[bool] = []
    chain_end, chained = 0, True
    for _key, _surface, start, end, _rank in labels:
        at_start = (
            chained
            and start >= chain_end
            and bool(_LEADING_NOISE.fullmatch(text, chain_end, start))
        )
        if at_start:
            chain_end = end
        else:
            chained = False
        flags.append(at_start)
    return flags


def _caption_position(
    text: str, start: int, at_start: bool, is_hashtag: bool, rank: int, vocab: Vocabulary
) -> str:
    if at_start:
        return "start"
    line = text.count("\n", 0, start)
    if line >= vocab.preview_lines or start >= vocab.preview_chars:
        return "end" if text.find("\n", start) == -1 else "after_more"
    if is_hashtag:
        return "first_hashtag" if rank == 1 else "second_hashtag" if rank == 2 else "buried_hashtag"
    return "first_line" if line == 0 else "before_more"


def _parse_transcript(value: Any) -> list[tuple[float, str]]:
    if value is None:
        return []
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list | tuple):
        return []
    segments: list[tuple[float, str]] = []
    for item in value:
        if isinstance(item, list | tuple) and len(item) >= 2 and isinstance(item[1], str):
            try:
                segments.append((float(item[0]), item[1]))
            except (TypeError, ValueError):
                continue
    segments.sort(key=lambda seg: seg[0])
    return segments


@dataclass(frozen=True)
class PostFacts:
    """Everything about a post that does not depend on the jurisdiction."""

    hits: tuple[Hit, ...]
    evidence: tuple[tuple[str, str], ...]  # (kind, surface); kind = "label" or a signal key
    sponsored: bool
    language: str
    medium: str
    video_known: bool
    duration_s: float
    posted_at: Any
    #: context rules that took the post's evidence away (CTX-FOLLOW-BAIT, CTX-SELF-PROMOTION)
    context: tuple[str, ...] = ()

    def signature(self) -> tuple[Any, ...]:
        """Everything a verdict depends on besides the date: equal signatures, equal judgements."""
        hits = tuple(
            (h.key, h.surface, h.source, h.position, h.offset * (h.source == "title"), h.time_s)
            for h in self.hits
        )
        kinds = tuple(dict.fromkeys(kind for kind, _ in self.evidence))
        timed = any(h.source == "transcript" for h in self.hits)
        duration = self.duration_s if timed else 0.0
        return (hits, kinds, self.language, self.medium, self.video_known, duration, self.context)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _flag(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if value is pd.NA:
        return False
    return bool(value)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def analyse_post(
    vocab: Vocabulary,
    *,
    caption: Any = None,
    title: Any = None,
    hashtags: Any = None,
    on_image_text: Any = None,
    is_paid: Any = None,
    kind: Any = None,
    platform: Any = None,
    posted_at: Any = None,
    transcript: Any = None,
    duration_s: Any = None,
    comments_text: Any = None,
    language: Any = None,
    mentions: Any = None,
    caption_scan: _Scan | None = None,
) -> PostFacts:
    """Read one post: label hits with positions, sponsorship evidence, language and medium.

    ``caption_scan`` is the caption's scan when the caller already has it (and no hashtags are
    appended from the ``hashtags`` column).
    """
    text = _text(caption)
    detached = _text(hashtags).split()
    if detached:
        lowered = text.lower()
        missing = [t.lstrip("#") for t in detached if "#" + t.lstrip("#").lower() not in lowered]
        if missing:
            text = (text + "\n" if text else "") + " ".join("#" + t for t in missing)
            caption_scan = None

    scan = caption_scan if caption_scan is not None else _scan(text, vocab)
    hits: list[Hit] = []
    caption_starts = _starts(text, scan.labels)
    for (key, surface, start, _end, rank), at_start in zip(
        scan.labels, caption_starts, strict=True
    ):
        position = _caption_position(text, start, at_start, rank > 0, rank, vocab)
        hits.append(Hit(key, surface, "caption", position, start, hashtag=rank > 0))
    signals = list(scan.signals)
    has_mention = scan.has_mention or bool(_text(mentions).strip())
    own_purchase = scan.own_purchase
    cues = set(scan.cues)

    title_text = _text(title)
    if title_text:
        title_scan = _scan(title_text, vocab)
        title_starts = _starts(title_text, title_scan.labels)
        for (key, surface, start, _end, rank), at_start in zip(
            title_scan.labels, title_starts, strict=True
        ):
            position = "title_start" if at_start else "title"
            hits.append(Hit(key, surface, "title", position, start, hashtag=rank > 0))
        signals.extend(title_scan.signals)
        has_mention = has_mention or title_scan.has_mention
        own_purchase = own_purchase or title_scan.own_purchase
        cues |= title_scan.cues

    image_text = _text(on_image_text)
    if image_text:
        for key, surface, _start, _end, _rank in _scan(image_text, vocab).labels:
            hits.append(Hit(key, surface, "on_image", "on_image"))

    if _flag(is_paid):
        hits.append(
            Hit(vocab.platform_flag_key, vocab.platform_flag_display_en, "flag", "platform_flag")
        )
        signals.append((vocab.platform_flag_key, vocab.platform_flag_display_en))

    comment_text = _text(comments_text)
    if comment_text:
        for key, surface, _start, _end, _rank in _scan(comment_text, vocab).labels:
            hits.append(Hit(key, surface, "comments", "comments_only"))

    segments = _parse_transcript(transcript)
    for start_s, segment in segments:
        for key, surface, _start, _end, _rank in _scan(segment, vocab).labels:
            hits.append(Hit(key, surface, "transcript", "video", time_s=start_s))

    duration = _number(duration_s)
    if duration is None or duration <= 0:
        duration = segments[-1][0] if segments else 0.0

    evidence: list[tuple[str, str]] = []
    hashtag_evidence = 0
    muted_forms = frozenset().union(
        *(vocab.context_rules[c].forms for c in cues if vocab.context_rules[c].effect == "not_evidence")
    )
    for hit in hits:
        term = vocab.labels.get(hit.key)
        if term is None:
            continue
        if term.implies == "always" or (term.implies == "with_mention" and has_mention):
            if hit.hashtag and "hashtag" in muted_forms:
                hashtag_evidence += 1
                continue
            evidence.append(("label", hit.surface))
    for key, surface in signals:
        signal = vocab.signals.get(key)
        if signal is not None and signal.needs_mention and (not has_mention or own_purchase):
            continue
        evidence.append((key, surface))
    context: list[str] = []
    if hashtag_evidence and not evidence:
        context.extend(c for c in sorted(cues) if vocab.context_rules[c].effect == "not_evidence")
    self_promotion = sorted(
        c for c in cues if vocab.context_rules[c].effect == "not_endorsement"
    )
    if self_promotion:
        # the seller's own advert: only the platform's paid flag still says "sponsored"
        kept = [(k, t) for k, t in evidence if k == vocab.platform_flag_key]
        if len(kept) < len(evidence) and not kept:
            context.extend(self_promotion)
        evidence = kept

    lang_value = _text(language)
    if lang_value.strip():
        post_language = _normalise_language(lang_value)
    elif hits or evidence:
        post_language = content_language(" ".join((title_text, text)), vocab)
    else:
        post_language = "other"
    medium = vocab.medium(_text(platform), _text(kind))
    video_known = medium.endswith("video") and (bool(segments) or bool(image_text))
    return PostFacts(
        hits=tuple(hits),
        evidence=tuple(evidence),
        sponsored=bool(evidence),
        language=post_language,
        medium=medium,
        video_known=video_known,
        duration_s=duration,
        posted_at=posted_at,
        context=tuple(context),
    )


# --------------------------------------------------------------------------------------------------
# Judging
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Judgement:
    rule_set: str
    label: str | None
    label_position: str | None
    label_clarity: str | None
    verdict: str
    rule_ids: tuple[str, ...]
    explanation_en: str
    explanation_ko: str


@dataclass(frozen=True)
class _Assessment:
    hit: Hit
    position: str
    clarity: str
    failures: tuple[tuple[str, str], ...]  # (reason, rule id)
    label_rule: str
    medium_rule: str


def _video_position(times: Sequence[float], duration: float, rs: RuleSet, vocab: Vocabulary) -> str:
    ordered = sorted(times)
    at_start = ordered[0] <= vocab.start_window_s
    at_end = duration > 0 and ordered[-1] >= duration - vocab.end_window_s
    if at_start and at_end:
        if rs.repeat_every_s > 0:
            limit = rs.repeat_every_s + rs.repeat_tolerance_s
            gaps = np.diff(np.asarray(ordered, dtype=float))
            if gaps.size and float(gaps.max()) > limit:
                return "video_start_end"
        return "video_throughout"
    if at_start:
        return "video_start"
    if at_end:
        return "video_end"
    return "video_middle"


class DisclosureChecker:
    """Checks posts against the disclosure rules of one or more jurisdictions.

    Parameters are stored as given; ``fit`` loads and compiles the package data (no learning: the
    rules are data). Fitted attributes: ``vocabulary_``, ``jurisdictions_``, ``messages_``.
    """

    def __init__(self, jurisdictions: Sequence[str] = ("us", "kr", "uk")) -> None:
        self.jurisdictions = jurisdictions

    def fit(self, posts: pd.DataFrame | None = None) -> Self:
        self.vocabulary_ = _vocabulary()
        self.jurisdictions_ = tuple(_jurisdiction(code) for code in _codes(self.jurisdictions))
        self.messages_ = _messages()
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            self.fit()

    # -- single post ------------------------------------------------------------------------------
    def judge(
        self, facts: PostFacts, jurisdiction: Jurisdiction, rule_set_index: int | None = None
    ) -> Judgement:
        self._fitted()
        if rule_set_index is None:
            rule_set_index = jurisdiction.rule_set_index(facts.posted_at)
        rs = jurisdiction.rule_sets[rule_set_index]
        if not facts.sponsored:
            return self._not_sponsored(rs, facts)
        medium = rs.media.get(facts.medium) or rs.media["image_post"]
        assessments = self._assess(facts, rs, medium)
        if not assessments:
            return self._undisclosed(facts, jurisdiction, rs, medium)
        best = min(
            assessments,
            key=lambda a: (
                len(a.failures),
                _CLARITY_RANK.get(a.clarity, 3),
                a.hit.source != "caption",
            ),
        )
        return self._verdict(best, facts, jurisdiction, rs, medium)

    def _label_judgement(self, rs: RuleSet, key: str) -> LabelJudgement | None:
        """The rule set's judgement of a label, or of the label it ``means`` (lexicon labels)."""
        judgement = rs.labels.get(key)
        if judgement is None:
            term = self.vocabulary_.labels.get(key)
            if term is not None and term.means != key:
                judgement = rs.labels.get(term.means)
        return judgement

    def _assess(self, facts: PostFacts, rs: RuleSet, medium: MediumRule) -> list[_Assessment]:
        vocab = self.vocabulary_
        accepted = medium.accepted
        if facts.video_known and medium.accepted_when_video_known is not None:
            accepted = medium.accepted_when_video_known
        flag_at_start = False
        transcript: list[tuple[Hit, LabelJudgement, list[tuple[str, str]]]] = []
        assessments: list[_Assessment] = []
        for hit in facts.hits:
            judgement = self._label_judgement(rs, hit.key)
            if judgement is None:
                continue
            failures: list[tuple[str, str]] = []
            if not judgement.accepted:
                failures.append(("label_rejected", judgement.rule))
            term = vocab.labels.get(hit.key)
            label_language = term.language if term is not None else "any"
            if (
                facts.language in rs.same_language_for
                and label_language != "any"
                and (label_language == "ko") != (facts.language == "ko")
            ):
                failures.append(("language", rs.language_rule))
            if hit.source == "transcript":
                transcript.append((hit, judgement, failures))
                continue
            if hit.source == "flag" and not failures:
                flag_at_start = True
            position = hit.position
            if (
                hit.source == "title"
                and rs.title_visible_chars > 0
                and hit.offset + len(hit.surface) > rs.title_visible_chars
            ):
                position = "title_cut"
            if position not in accepted:
                failures.append(self._position_failure(position, facts, medium))
            assessments.append(
                _Assessment(
                    hit, position, judgement.clarity, tuple(failures), judgement.rule, medium.rule
                )
            )
        if transcript:
            assessments.append(
                self._assess_transcript(transcript, flag_at_start, facts, rs, medium, accepted)
            )
        return assessments

    def _assess_transcript(
        self,
        transcript: list[tuple[Hit, LabelJudgement, list[tuple[str, str]]]],
        flag_at_start: bool,
        facts: PostFacts,
        rs: RuleSet,
        medium: MediumRule,
        accepted: frozenset[str],
    ) -> _Assessment:
        """Spoken labels judged together: start, end and repetition are properties of the set.

        A valid platform flag counts as a label at 0 s (it shows at the start of the video).
        """
        valid = [(hit, judgement) for hit, judgement, failures in transcript if not failures]
        if valid:
            times = [hit.time_s for hit, _ in valid] + ([0.0] if flag_at_start else [])
            hit, judgement = valid[0]
            failures: list[tuple[str, str]] = []
        else:
            times = [hit.time_s for hit, _, _ in transcript]
            hit, judgement, first_failures = transcript[0]
            failures = list(first_failures)
        position = _video_position(times, facts.duration_s, rs, self.vocabulary_)
        if position not in accepted:
            failures.append(("position", medium.rule))
        return _Assessment(
            Hit(hit.key, hit.surface, "transcript", position, time_s=hit.time_s),
            position,
            judgement.clarity,
            tuple(failures),
            judgement.rule,
            medium.rule,
        )

    @staticmethod
    def _position_failure(position: str, facts: PostFacts, medium: MediumRule) -> tuple[str, str]:
        if position == "title_cut" and medium.title_rule:
            return ("title_cut", medium.title_rule)
        if facts.video_known and medium.video_rule and position in medium.accepted:
            return ("video_only_description", medium.video_rule)
        return ("position", medium.rule)

    # -- verdict wording --------------------------------------------------------------------------
    def _fill(self, template: str, **values: Any) -> tuple[str, str]:
        texts = self.messages_.templates[template]
        return texts["en"].format(**values["en"]), texts["ko"].format(**values["ko"])

    def _not_sponsored(self, rs: RuleSet, facts: PostFacts | None = None) -> Judgement:
        if facts is not None and facts.context:
            rule = self.vocabulary_.context_rules[facts.context[0]]
            template = "not_endorsement" if rule.effect == "not_endorsement" else "follow_bait"
            label = next((h.surface for h in facts.hits if h.hashtag), "")
            values = {"rule": rule.id, "label": label}
            en, ko = self._fill(template, en=values, ko=values)
            return Judgement(rs.id, None, None, None, "not_sponsored", facts.context, en, ko)
        en, ko = self._fill("not_sponsored", en={}, ko={})
        return Judgement(rs.id, None, None, None, "not_sponsored", (), en, ko)

    def _undisclosed(
        self, facts: PostFacts, jurisdiction: Jurisdiction, rs: RuleSet, medium: MediumRule
    ) -> Judgement:
        kinds = list(dict.fromkeys(kind for kind, _ in facts.evidence))
        rules = [rs.undisclosed_rule] + [
            rs.evidence_rules[k] for k in kinds if k in rs.evidence_rules
        ]
        vocab = self.vocabulary_
        names_en = [vocab.signals[k].display_en if k in vocab.signals else k for k in kinds]
        names_ko = [vocab.signals[k].display_ko if k in vocab.signals else k for k in kinds]
        suggest = {"en": rs.suggest_ko if facts.language == "ko" else rs.suggest_en}
        suggest["ko"] = suggest["en"]
        en, ko = self._fill(
            "undisclosed",
            en={
                "evidence": ", ".join(names_en),
                "suggest": suggest["en"],
                "where": medium.where_en,
            },
            ko={
                "evidence": ", ".join(names_ko),
                "suggest": suggest["ko"],
                "where": medium.where_ko,
            },
        )
        return Judgement(
            rs.id, None, None, None, "undisclosed_likely_ad", tuple(dict.fromkeys(rules)), en, ko
        )

    def _verdict(
        self,
        best: _Assessment,
        facts: PostFacts,
        jurisdiction: Jurisdiction,
        rs: RuleSet,
        medium: MediumRule,
    ) -> Judgement:
        messages = self.messages_
        hit = best.hit
        label = hit.surface.strip()
        suggest_for_language = None
        if best.failures and best.failures[0][0] == "language":
            suggest_for_language = rs.suggest_ko if facts.language == "ko" else rs.suggest_en
        common: dict[str, dict[str, Any]] = {
            lang: {
                "label": label,
                "position": messages.position(best.position, lang),
                "where": medium.where_en if lang == "en" else medium.where_ko,
                "jurisdiction": jurisdiction.name_en if lang == "en" else jurisdiction.name_ko,
                "chars": rs.title_visible_chars,
            }
            for lang in ("en", "ko")
        }
        if not best.failures:
            term = self.vocabulary_.labels.get(hit.key)
            language = term.language if term else "en"
            suggest = rs.suggest_ko if language == "ko" else rs.suggest_en
            template = "compliant" if best.clarity == "clear" else "compliant_ambiguous"
            en, ko = self._fill(
                template,
                en={**common["en"], "suggest": suggest},
                ko={**common["ko"], "suggest": suggest},
            )
            rules: tuple[str, ...] = (best.label_rule, best.medium_rule)
            return Judgement(
                rs.id,
                label,
                best.position,
                best.clarity,
                "compliant",
                tuple(dict.fromkeys(rules)),
                en,
                ko,
            )
        reason = best.failures[0][0]
        term = self.vocabulary_.labels.get(hit.key)
        suggest = suggest_for_language or (
            rs.suggest_ko if term is not None and term.language == "ko" else rs.suggest_en
        )
        en, ko = self._fill(
            reason, en={**common["en"], "suggest": suggest}, ko={**common["ko"], "suggest": suggest}
        )
        rules = tuple(dict.fromkeys(rule for _, rule in best.failures))
        return Judgement(rs.id, label, best.position, best.clarity, "non_compliant", rules, en, ko)

    # -- batch ------------------------------------------------------------------------------------
    def predict(self, posts: pd.DataFrame) -> pd.DataFrame:
        """One row per post x jurisdiction (post order, then jurisdiction); ``VERDICT_COLUMNS``."""
        self._fitted()
        vocab = self.vocabulary_
        n = len(posts)
        columns = {f: _column(posts, f) for f in POST_FIELDS}
        post_ids = posts["post_id"].tolist() if "post_id" in posts.columns else list(range(n))
        has_more = _has_more_than_caption(posts)
        posted_at = _posted_dates(posts)

        sponsored: list[tuple[int, PostFacts]] = []
        for row, caption in enumerate(columns["caption"]):
            caption_text = caption if isinstance(caption, str) else ""
            if not has_more[row]:
                scan = _scan(caption_text, vocab)
                if not scan.labels and not scan.signals:
                    continue
                facts = analyse_post(
                    vocab, caption_scan=scan, **{f: columns[f][row] for f in POST_FIELDS}
                )
            else:
                facts = analyse_post(vocab, **{f: columns[f][row] for f in POST_FIELDS})
            if facts.sponsored or facts.context:
                sponsored.append((row, facts))

        jurisdictions = self.jurisdictions_
        width = len(jurisdictions)
        out = {c: np.empty(n * width, dtype=object) for c in VERDICT_COLUMNS}
        out["post_id"][:] = np.repeat(np.asarray(post_ids, dtype=object), width)
        is_sponsored = np.zeros(n, dtype=bool)
        evidence = np.full(n, "", dtype=object)
        for row, facts in sponsored:
            is_sponsored[row] = facts.sponsored
            evidence[row] = "; ".join(f"{kind}: {text.strip()}" for kind, text in facts.evidence)
        for j, jurisdiction in enumerate(jurisdictions):
            effective = np.array(
                [rs.effective_from for rs in jurisdiction.rule_sets], dtype="datetime64[D]"
            )
            set_index = np.searchsorted(effective, posted_at, side="right") - 1
            set_index = np.clip(set_index, 0, len(effective) - 1)
            set_index[np.isnat(posted_at)] = len(effective) - 1
            baseline = [self._not_sponsored(rs) for rs in jurisdiction.rule_sets]
            judged: list[Judgement] = [baseline[i] for i in set_index]
            # Posts with the same labels, positions, evidence kinds and language get the same
            # judgement; most sponsored posts share a handful of layouts ("#ad" as first hashtag).
            memo: dict[tuple[Any, ...], Judgement] = {}
            for row, facts in sponsored:
                index = int(set_index[row])
                key = (index, facts.signature())
                judgement = memo.get(key)
                if judgement is None:
                    judgement = self.judge(facts, jurisdiction, index)
                    memo[key] = judgement
                judged[row] = judgement
            out["jurisdiction"][j::width] = jurisdiction.code
            out["sponsored"][j::width] = is_sponsored
            out["sponsored_evidence"][j::width] = evidence
            for column, values in (
                ("rule_set", [x.rule_set for x in judged]),
                ("label", [x.label for x in judged]),
                ("label_position", [x.label_position for x in judged]),
                ("label_clarity", [x.label_clarity for x in judged]),
                ("verdict", [x.verdict for x in judged]),
                ("rule_ids", [",".join(x.rule_ids) for x in judged]),
                ("explanation_en", [x.explanation_en for x in judged]),
                ("explanation_ko", [x.explanation_ko for x in judged]),
            ):
                target = out[column]
                target[j::width] = np.asarray(values, dtype=object) if values else values
        frame = pd.DataFrame(out, columns=list(VERDICT_COLUMNS))
        frame["sponsored"] = frame["sponsored"].astype(bool)
        return frame

    def score(self, posts: pd.DataFrame, expected: pd.DataFrame) -> float:
        """Share of (post_id, jurisdiction) verdicts that match ``expected`` (columns post_id,
        jurisdiction, verdict)."""
        predicted = self.predict(posts)
        merged = expected.merge(
            predicted, on=["post_id", "jurisdiction"], suffixes=("_expected", "")
        )
        if merged.empty:
            return float("nan")
        return float((merged["verdict"] == merged["verdict_expected"]).mean())


POST_FIELDS: tuple[str, ...] = (
    "caption", "title", "hashtags", "on_image_text", "is_paid", "kind", "platform", "posted_at",
    "transcript", "duration_s", "comments_text", "language", "mentions",
)  # fmt: skip
_EXTRA_TEXT_FIELDS = ("title", "hashtags", "on_image_text", "transcript", "comments_text")


def _column(posts: pd.DataFrame, name: str) -> list[Any]:
    if name not in posts.columns:
        return [None] * len(posts)
    values: list[Any] = posts[name].tolist()
    return values


def _has_more_than_caption(posts: pd.DataFrame) -> np.ndarray:
    """Rows that need the full reading (any text besides the caption, or the paid flag)."""
    more = np.zeros(len(posts), dtype=bool)
    for name in _EXTRA_TEXT_FIELDS:
        if name in posts.columns:
            column = posts[name]
            filled = column.notna().to_numpy() & (column.astype(str).str.len() > 0).to_numpy()
            more |= filled
    if "is_paid" in posts.columns:
        more |= posts["is_paid"].fillna(False).astype(bool).to_numpy()
    return more


def _posted_dates(posts: pd.DataFrame) -> np.ndarray:
    if "posted_at" not in posts.columns:
        return np.full(len(posts), np.datetime64("NaT"), dtype="datetime64[D]")
    stamps = pd.to_datetime(posts["posted_at"], errors="coerce", utc=True)
    return stamps.dt.tz_convert(None).to_numpy().astype("datetime64[D]")


def _codes(jurisdictions: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(jurisdictions, str):
        jurisdictions = jurisdictions.split(",")
    codes = tuple(dict.fromkeys(c.strip().lower() for c in jurisdictions if c.strip()))
    for code in codes:
        if code not in JURISDICTION_FILES:
            raise ValueError(
                f"unknown jurisdiction {code!r}; use one of {sorted(JURISDICTION_FILES)}"
            )
    return codes


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    return Vocabulary.load()


@lru_cache(maxsize=8)
def _jurisdiction(code: str) -> Jurisdiction:
    return load_jurisdiction(code)


@lru_cache(maxsize=1)
def _messages() -> Messages:
    return Messages.load()


@lru_cache(maxsize=8)
def _checker(codes: tuple[str, ...]) -> DisclosureChecker:
    return DisclosureChecker(codes).fit()


# --------------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------------
def check_disclosure(
    posts: pd.DataFrame, jurisdictions: Sequence[str] | str = ("us", "kr", "uk")
) -> pd.DataFrame:
    """Verdict per post x jurisdiction.

    ``posts`` columns (all optional but ``post_id``): caption, title, hashtags (space-separated,
    without '#'), on_image_text, is_paid, kind, platform, posted_at, transcript (JSON
    ``[[start_s, text], ...]``),
    duration_s, comments_text (the creator's own comments), language, mentions.
    """
    return _checker(_codes(jurisdictions)).predict(posts)


def check_post(
    caption: str | None = None,
    *,
    jurisdictions: Sequence[str] | str = ("us", "kr", "uk"),
    post_id: str = "post",
    **fields: Any,
) -> pd.DataFrame:
    """Check a single post; keyword fields as in :func:`check_disclosure`."""
    unknown = set(fields) - {
        "title", "hashtags", "on_image_text", "is_paid", "kind", "platform", "posted_at",
        "transcript", "duration_s", "comments_text", "language", "mentions", "creator_id",
    }  # fmt: skip
    if unknown:
        raise TypeError(f"unknown post fields: {sorted(unknown)}")
    if isinstance(fields.get("transcript"), list | tuple):
        fields["transcript"] = json.dumps(fields["transcript"], ensure_ascii=False)
    row = {"post_id": post_id, "caption": caption, **fields}
    return check_disclosure(pd.DataFrame([row]), jurisdictions)


def transparency_scores(verdicts: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Per creator and jurisdiction: transparency = compliant / sponsored posts (null when none).

    Columns: creator_id, jurisdiction, posts_checked, sponsored_posts, compliant_posts,
    non_compliant_posts, undisclosed_posts, transparency.
    """
    columns = [
        "creator_id", "jurisdiction", "posts_checked", "sponsored_posts", "compliant_posts",
        "non_compliant_posts", "undisclosed_posts", "transparency",
    ]  # fmt: skip
    if verdicts.empty:
        return pd.DataFrame(columns=columns)
    if "creator_id" in verdicts.columns:
        frame = verdicts[verdicts["creator_id"].notna()]
    else:
        owners = posts[["post_id", "creator_id"]].drop_duplicates("post_id")
        frame = verdicts.merge(owners, on="post_id", how="inner")
    frame = frame.assign(
        is_sponsored=frame["sponsored"].astype(bool),
        is_compliant=frame["verdict"].eq("compliant"),
        is_non_compliant=frame["verdict"].eq("non_compliant"),
        is_undisclosed=frame["verdict"].eq("undisclosed_likely_ad"),
    )
    grouped = frame.groupby(["creator_id", "jurisdiction"], sort=True).agg(
        posts_checked=("post_id", "size"),
        sponsored_posts=("is_sponsored", "sum"),
        compliant_posts=("is_compliant", "sum"),
        non_compliant_posts=("is_non_compliant", "sum"),
        undisclosed_posts=("is_undisclosed", "sum"),
    )
    grouped = grouped.reset_index()
    for col in ("posts_checked", "sponsored_posts", "compliant_posts", "non_compliant_posts",
                "undisclosed_posts"):  # fmt: skip
        grouped[col] = grouped[col].astype("int64")
    sponsored = grouped["sponsored_posts"].astype(float)
    grouped["transparency"] = np.where(
        sponsored > 0, grouped["compliant_posts"] / sponsored.where(sponsored > 0, 1.0), np.nan
    )
    return grouped[columns]


def disclosure_rules(jurisdiction: str) -> pd.DataFrame:
    """Every rule of a jurisdiction: id, source, content (for docs and the CLI)."""
    loaded = _jurisdiction(_codes([jurisdiction])[0])
    return pd.DataFrame(
        [{"id": r.id, "source": r.source, "content": r.content} for r in loaded.rules.values()]
    )
