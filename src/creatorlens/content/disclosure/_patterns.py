"""The pattern set: every recognition regex of the vocabulary, matched as one alternation.

Semantics are those of one big alternation (leftmost match, the earlier pattern on a tie); a
prefilter skips the patterns that cannot match a text so a caption costs a few substring tests.
"""

from __future__ import annotations

import itertools
import re
import re._constants as _sre_constants
import re._parser as _sre_parser
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

SEPARATORS = r"[|:：\-–—/·•)\]>】」]"


def hashtag_alternation(tags: Iterable[str]) -> str:
    """Whole hashtag tokens: the tag, then only punctuation/emoji up to whitespace, '#', '@' or the
    end (the token rule of ``_HASHTAG_TOKEN`` with trailing punctuation stripped)."""
    names = sorted({re.escape(t.lower()) for t in tags}, key=len, reverse=True)
    return "#(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


def word_alternation(words: Iterable[str]) -> str:
    parts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")"


def prefix_alternation(prefixes: Iterable[str]) -> str:
    """Compound hashtags: a label prefix glued to a brand of two or more characters."""
    names = sorted({re.escape(t.lower()) for t in prefixes}, key=len, reverse=True)
    return "#(?:" + "|".join(names) + r")[^\W_][^\s#@]+"


def suffix_alternation(suffixes: Iterable[str]) -> str:
    """'#<stem><suffix>' hashtags with a stem of two or more characters (CTX-BRAND-STEM)."""
    names = sorted({re.escape(t.lower()) for t in suffixes}, key=len, reverse=True)
    return r"#[^\W_][^\s#@]+?(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


def required_literals(regex: str) -> frozenset[str] | None:
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


class PatternSet:
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
            literals = (triggers or {}).get(index) or required_literals(regex)
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
        self._compiled: dict[tuple[int, ...], tuple[re.Pattern[str], tuple[tuple[str, str], ...]]] = {}
        self._sightings: dict[tuple[int, ...], int] = {}
        self._single: list[re.Pattern[str] | None] = [None] * len(self.alternatives)
        # Matching pattern by pattern reproduces the alternation only when no pattern can match
        # the empty string (an empty match changes where finditer resumes).
        self._can_merge = all(
            _sre_parser.parse(regex, re.IGNORECASE).getwidth()[0] > 0 for regex, _, _ in self.alternatives
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

    def _merged(self, key: tuple[int, ...], text: str) -> Iterator[tuple[tuple[str, str], re.Match[str]]]:
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
