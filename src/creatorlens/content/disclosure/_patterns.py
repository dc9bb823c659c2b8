"""The pattern set: every recognition regex of the vocabulary, matched as one alternation.

Semantics are those of one big alternation (leftmost match, the earlier pattern on a tie); a
prefilter (hyperscan, in its prefilter mode) names the few patterns that can match a text in one
pass over its bytes, and only those are tried with Python's ``re``, which alone decides the matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import hyperscan

from creatorlens.data._compiled import hyperscan_database

SEPARATORS = r"[|:：\-–—/·•)\]>】」]"


def hashtag_alternation(tags: Iterable[str]) -> str:
    """Whole hashtag tokens: the tag, then only punctuation/emoji up to whitespace, '#', '@' or the
    end (the token rule of ``_HASHTAG_TOKEN`` with trailing punctuation stripped)."""
    names = sorted({re.escape(t.lower()) for t in tags}, key=lambda p: (-len(p), p))
    return "#(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


def word_alternation(words: Iterable[str]) -> str:
    parts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(parts) + ")"


def prefix_alternation(prefixes: Iterable[str]) -> str:
    """Compound hashtags: a label prefix glued to a brand of two or more characters."""
    names = sorted({re.escape(t.lower()) for t in prefixes}, key=lambda p: (-len(p), p))
    return "#(?:" + "|".join(names) + r")[^\W_][^\s#@]+"


def suffix_alternation(suffixes: Iterable[str]) -> str:
    """'#<stem><suffix>' hashtags with a stem of two or more characters (CTX-BRAND-STEM)."""
    names = sorted({re.escape(t.lower()) for t in suffixes}, key=lambda p: (-len(p), p))
    return r"#[^\W_][^\s#@]+?(?:" + "|".join(names) + r")(?=[\W_]*?(?:[\s#@]|\Z))"


class Prefilter(Protocol):
    """Names the patterns that can match a text: a superset (naming too many costs time only)."""

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices, ascending, of every pattern that may match somewhere in ``text``."""
        ...


#: Hyperscan's prefilter mode compiles every construct it cannot run exactly (lookarounds, inline
#: flags) into a looser one, so each pattern matches a superset of what Python's ``re`` matches;
#: UTF8 + UCP give Unicode classes and Unicode case folding, as ``re.IGNORECASE`` on a str.
_HYPERSCAN_FLAGS = (
    hyperscan.HS_FLAG_PREFILTER
    | hyperscan.HS_FLAG_CASELESS
    | hyperscan.HS_FLAG_MULTILINE
    | hyperscan.HS_FLAG_UTF8
    | hyperscan.HS_FLAG_UCP
    | hyperscan.HS_FLAG_SINGLEMATCH
    | hyperscan.HS_FLAG_ALLOWEMPTY
)


class HyperscanPrefilter:
    """All patterns in one hyperscan database (prefilter mode): one pass names the candidates."""

    def __init__(self, regexes: Sequence[str]) -> None:
        # compiled once per vocabulary, then read from the user's cache (data/_compiled.py)
        self._database = hyperscan_database(
            [regex.encode("utf-8") for regex in regexes], [_HYPERSCAN_FLAGS] * len(regexes)
        )

    def candidates(self, text: str) -> tuple[int, ...]:
        found: list[int] = []
        # A lone surrogate cannot be UTF-8: replaced, it still matches what it matched as a
        # character class member ([^\s#@], \W); offsets are not used.
        self._database.scan(
            text.encode("utf-8", "replace"),
            match_event_handler=lambda index, _start, _end, _flags, _context: found.append(index),
        )
        found.sort()
        return tuple(found)


class PatternSet:
    """All recognition patterns in priority order, matched as one alternation would match them.

    Semantics equal one big alternation (leftmost match, earlier alternative wins on ties): a
    pattern the prefilter does not name cannot match, so dropping it changes nothing.
    """

    def __init__(
        self,
        alternatives: Sequence[tuple[str, str, str]],
        gates: Mapping[int, str] | None = None,
        prefilter: Callable[[Sequence[str]], Prefilter] | None = None,
    ) -> None:
        """``gates``: pattern index -> a script regex the text must contain for the pattern to be
        tried (a lexicon's ``script``: Japanese "#PR" is not tried on an English gym post).
        ``prefilter``: the class that names candidates (hyperscan unless a benchmark says)."""
        self.alternatives = tuple(alternatives)
        self.prefilter: Prefilter = (prefilter or HyperscanPrefilter)(
            [regex for regex, _, _ in self.alternatives]
        )
        by_script: dict[str, set[int]] = {}
        for index, script in (gates or {}).items():
            by_script.setdefault(script, set()).add(index)
        #: (script, the pattern indices that need it)
        self.gates: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = tuple(
            (re.compile(script), frozenset(gated)) for script, gated in by_script.items()
        )
        self._compiled: dict[
            tuple[int, ...], tuple[re.Pattern[str], tuple[tuple[str, str], ...]]
        ] = {}
        self._sightings: dict[tuple[int, ...], int] = {}
        self._single: list[re.Pattern[str] | None] = [None] * len(self.alternatives)

    def _active(self, text: str) -> tuple[int, ...] | None:
        """Indices (in priority order) of the patterns worth trying on ``text``."""
        candidates = self.prefilter.candidates(text)
        if not candidates:
            return None
        for script, gated in self.gates:
            if not gated.isdisjoint(candidates) and script.search(text) is None:
                candidates = tuple(i for i in candidates if i not in gated)
        return candidates or None

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
        combine patterns in many ways, and compiling costs milliseconds) is matched pattern by
        pattern with the alternation's rule: leftmost start, the earlier pattern on a tie.
        """
        key = self._active(text)
        if key is None:
            return
        compiled = self._compiled.get(key)
        if compiled is None:
            seen = self._sightings.get(key, 0) + 1
            if seen >= _COMPILE_AFTER:
                compiled = self._compile(key)
            else:
                if len(self._sightings) < 262_144:
                    self._sightings[key] = seen
                merged = self._merged(key, text)
                if merged is not None:
                    yield from merged
                    return
                compiled = self._compile(key)
        pattern, meaning = compiled
        for match in pattern.finditer(text):
            index = match.lastindex
            if index is not None:
                yield meaning[index - 1], match

    def _merged(
        self, key: tuple[int, ...], text: str
    ) -> list[tuple[tuple[str, str], re.Match[str]]] | None:
        """The alternation's matches, pattern by pattern; None when a match is empty (where
        finditer resumes after an empty match is the alternation's business: compile it)."""
        patterns = [self._pattern(i) for i in key]
        found = [pattern.search(text) for pattern in patterns]
        end = len(text) + 1
        position = 0
        out: list[tuple[tuple[str, str], re.Match[str]]] = []
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
                return out
            match = found[best]
            assert match is not None
            if match.end() == match.start():
                return None
            _, kind, meaning_key = self.alternatives[key[best]]
            out.append(((kind, meaning_key), match))
            position = match.end()

    def _pattern(self, index: int) -> re.Pattern[str]:
        pattern = self._single[index]
        if pattern is None:
            pattern = re.compile(self.alternatives[index][0], re.IGNORECASE | re.MULTILINE)
            self._single[index] = pattern
        return pattern


#: How often a subset of patterns must occur before it is compiled into one alternation.
_COMPILE_AFTER = 64
