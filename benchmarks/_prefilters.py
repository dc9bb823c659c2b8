"""Prefilter contenders for the disclosure pattern set (benchmarks only; the product uses hyperscan).

A prefilter answers: which patterns can match this text? (a superset: every pattern that matches
must be named; naming more costs time, never verdicts). Each class here has the interface of
``creatorlens.content.disclosure.HyperscanPrefilter``: built from the regexes, ``candidates(text)``
returns the sorted indices worth trying.

- ``LiteralPrefilter``: the checker's previous prefilter, kept here as the baseline. It derives a
  required literal per regex from CPython's private ``re._parser`` and tests them as substrings,
  grouped by their first two bytes.
- ``AhoCorasickPrefilter``: the same literals found in one pass of ahocorasick-rs (a multi-substring
  matcher: it still needs the literals, hence the private parser).
- ``Re2SetPrefilter``: google-re2's ``re2.Set``, one pass for all patterns RE2 can compile; those it
  cannot (lookarounds) are tried on every text. RE2's ``\\b``, ``\\w`` and ``\\s`` are ASCII-only, so
  it can miss a match Python's Unicode classes find: the benchmark reports whether its verdicts
  stay identical.
"""

from __future__ import annotations

import itertools
import re
import re._constants as _sre_constants
import re._parser as _sre_parser
from collections.abc import Sequence
from typing import Any

import ahocorasick_rs
import re2


def required_literals(regex: str) -> frozenset[str] | None:
    """Lower-cased literals, one of which occurs in every match of ``regex`` (None: unknown)."""
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


def _literal_index(regexes: Sequence[str]) -> tuple[list[str], list[frozenset[int]], frozenset[int]]:
    """(literals, pattern indices per literal, patterns with no literal) as the old checker had
    them: links by "http", "www." or "/" (pattern 0), a literal containing a listed literal of >= 4
    characters merged into it."""
    by_literal: dict[str, set[int]] = {}
    always: list[int] = []
    for index, regex in enumerate(regexes):
        literals = frozenset({"http", "www.", "/"}) if index == 0 else required_literals(regex)
        if literals is None:
            always.append(index)
            continue
        for literal in literals:
            by_literal.setdefault(literal, set()).add(index)
    merged: dict[str, set[int]] = {}
    names = sorted(by_literal, key=len)
    for literal in names:
        target = next(
            (s for s in names if len(s) >= 4 and len(s) < len(literal) and s in literal), literal
        )
        merged.setdefault(target, set()).update(by_literal[literal])
    ordered = sorted(merged.items())
    return [lit for lit, _ in ordered], [frozenset(ix) for _, ix in ordered], frozenset(always)


class LiteralPrefilter:
    """The previous prefilter: required literals by ``re._parser``, substring tests by byte pair."""

    def __init__(self, regexes: Sequence[str]) -> None:
        literals, self.indices, self.always = _literal_index(regexes)
        groups: dict[tuple[int, int], list[tuple[bytes, int]]] = {}
        short: list[tuple[bytes, int]] = []
        for i, literal in enumerate(literals):
            encoded = literal.encode("utf-8")
            if len(encoded) < 2:
                short.append((encoded, i))
            else:
                groups.setdefault((encoded[0], encoded[1]), []).append((encoded, i))
        self.short = tuple(short)
        self.groups = {pair: tuple(members) for pair, members in groups.items()}
        self._by_mask: dict[int, tuple[int, ...]] = {}

    def candidates(self, text: str) -> tuple[int, ...]:
        lowered = text.lower().encode("utf-8")
        mask = 0
        for literal, i in self.short:
            if literal in lowered:
                mask |= 1 << i
        for pair in self.groups.keys() & set(itertools.pairwise(lowered)):
            for literal, i in self.groups[pair]:
                if literal in lowered:
                    mask |= 1 << i
        found = self._by_mask.get(mask)
        if found is None:
            active = set(self.always)
            for i, indices in enumerate(self.indices):
                if mask >> i & 1:
                    active |= indices
            found = self._by_mask[mask] = tuple(sorted(active))
        return found


class AhoCorasickPrefilter:
    """The same literals as ``LiteralPrefilter``, found in one ahocorasick-rs pass."""

    def __init__(self, regexes: Sequence[str]) -> None:
        literals, self.indices, self.always = _literal_index(regexes)
        self.automaton = ahocorasick_rs.BytesAhoCorasick([lit.encode("utf-8") for lit in literals])
        self._by_hits: dict[frozenset[int], tuple[int, ...]] = {}

    def candidates(self, text: str) -> tuple[int, ...]:
        hits = frozenset(
            pattern
            for pattern, _, _ in self.automaton.find_matches_as_indexes(
                text.lower().encode("utf-8"), overlapping=True
            )
        )
        found = self._by_hits.get(hits)
        if found is None:
            active = set(self.always).union(*(self.indices[i] for i in hits))
            found = self._by_hits[hits] = tuple(sorted(active))
        return found


class Re2SetPrefilter:
    """google-re2's RE2::Set over every pattern RE2 compiles; the rest are always tried."""

    def __init__(self, regexes: Sequence[str]) -> None:
        options = re2.Options()
        options.case_sensitive = False
        self.set = re2.Set.SearchSet(options)
        self.ids: list[int] = []
        always: list[int] = []
        for index, regex in enumerate(regexes):
            try:
                self.set.Add("(?m)" + regex)
            except Exception:  # RE2 rejects lookarounds: try the pattern on every text
                always.append(index)
                continue
            self.ids.append(index)
        self.set.Compile()
        self.always = tuple(always)

    def candidates(self, text: str) -> tuple[int, ...]:
        hits = self.set.Match(text)
        return tuple(sorted({*self.always, *(self.ids[i] for i in hits or ())}))
