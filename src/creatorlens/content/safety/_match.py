"""Screening texts against a lexicon with hyperscan, hashtags split into words, benign contexts
cancelled.

hyperscan (a dependency, as for content/disclosure's prefilter) compiles the terms into two
databases: the folded terms, scanned on the text with Latin diacritics folded (``fold``: one
character for one, so offsets are shared), and the ``exact`` terms, scanned on the text as written
(Unicode-caseless); both report each match with its offsets (``SOM_LEFTMOST``), so the matched
surface text is the evidence shown for a post. hyperscan's ``\\b`` is ASCII-only (and absent in
UCP mode): the folded text is mostly ASCII, and exact terms have their word boundaries checked
here. Each hashtag of the text is also split into words (``_segment``) and the words are screened
the same way, with the hashtag as the evidence. Finally a hit inside a benign phrase
(data/safety/benign_rules.toml: "glue gun", "wine red") is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import hyperscan

from creatorlens.content.safety._lexicon import Lexicon, fold, needs_boundary_check, term_regex
from creatorlens.content.safety._rules import BenignRule, benign_rules
from creatorlens.content.safety._segment import Segmenter
from creatorlens.data._compiled import hyperscan_database

__all__ = ["Hit", "SafetyMatcher"]

_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST
_EXACT_FLAGS = _FLAGS | hyperscan.HS_FLAG_UCP
_HASHTAG = re.compile(r"#(\w+)")


@dataclass(frozen=True)
class Hit:
    category: str
    term: str  # the lexicon's term
    surface: str  # the text it matched (the whole hashtag for a hit inside a hashtag)


def _database(expressions: list[bytes], flags: int) -> hyperscan.Database | None:
    if not expressions:
        return None
    return hyperscan_database(expressions, [flags] * len(expressions))  # cached: data/_compiled.py


def _char_spans(database: hyperscan.Database | None, text: str) -> list[tuple[int, int, int]]:
    """(start, end, id) of every match of ``database`` in ``text``, in character offsets."""
    if database is None or not text:
        return []
    data = text.encode("utf-8", "replace")
    found: list[tuple[int, int, int]] = []
    database.scan(
        data,
        match_event_handler=lambda index, start, end, _flags, _context: found.append((start, end, index)),
    )
    if not found:
        return []
    if len(data) == len(text):  # ASCII: bytes are characters
        return [(s, e, index) for s, e, index in found]

    def chars(offset: int) -> int:
        return len(data[:offset].decode("utf-8", "replace"))

    return [(chars(s), chars(e), index) for s, e, index in found]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


class SafetyMatcher:
    """All terms of a lexicon in two hyperscan databases, a hashtag segmenter and the benign rules."""

    def __init__(self, lexicon: Lexicon, rules: Sequence[BenignRule] | None = None) -> None:
        self.lexicon = lexicon
        self.terms = lexicon.terms
        self.rules = tuple(benign_rules() if rules is None else rules)
        self._folded_ids = [i for i, t in enumerate(self.terms) if not t.exact]
        self._exact_ids = [i for i, t in enumerate(self.terms) if t.exact]
        self._folded = _database(
            [term_regex(self.terms[i].text).encode("utf-8") for i in self._folded_ids], _FLAGS
        )
        self._exact = _database(
            [term_regex(self.terms[i].text, folded=False).encode("utf-8") for i in self._exact_ids],
            _EXACT_FLAGS,
        )
        self._segmenter = Segmenter(t.text for t in self.terms)
        self._check = [needs_boundary_check(t) for t in self.terms]
        self._wildcard = [t.text.strip().endswith("*") for t in self.terms]
        # one hyperscan pass tells which rules have a phrase in a text at all (most texts: none);
        # PREFILTER mode may over-report, never under-report, and Python `re` then decides
        phrase_rules = [r for r, rule in enumerate(self.rules) for _ in rule.phrases]
        self._phrase_rules = phrase_rules
        self._benign = _database(
            [p.pattern.encode("utf-8") for rule in self.rules for p in rule.phrases],
            hyperscan.HS_FLAG_CASELESS
            | hyperscan.HS_FLAG_UTF8
            | hyperscan.HS_FLAG_SINGLEMATCH
            | hyperscan.HS_FLAG_PREFILTER,
        )

    def _spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, term index) of the terms in one NFC text, benign contexts removed."""
        folded = fold(text)
        spans = [(s, e, self._folded_ids[i]) for s, e, i in _char_spans(self._folded, folded)]
        spans += [(s, e, self._exact_ids[i]) for s, e, i in _char_spans(self._exact, text)]
        spans = [
            (s, e, index)
            for s, e, index in spans
            if not (self._check[index] and not self._whole_word(text, s, e, index))
        ]
        if not spans or self._benign is None:
            return spans
        present: set[int] = set()
        self._benign.scan(
            folded.encode("utf-8", "replace"),
            match_event_handler=lambda index, _s, _e, _f, _c: present.add(self._phrase_rules[index]),
        )
        if not present:
            return spans
        rules = [self.rules[r] for r in sorted(present)]
        return [
            (s, e, index)
            for s, e, index in spans
            if not any(
                self.terms[index].category in rule.categories and rule.covers(folded, s, e) for rule in rules
            )
        ]

    @lru_cache(maxsize=200_000)  # noqa: B019 - captions repeat their hashtags; one matcher per run
    def _tag_terms(self, tag: str) -> tuple[int, ...]:
        """The terms inside one hashtag (without '#') once it is split into words."""
        words = [w for part in tag.split("_") for w in self._segmenter.split(part) if w]
        if len(words) < 2:
            return ()
        return tuple(index for _s, _e, index in self._spans(" ".join(words)))

    def _whole_word(self, text: str, start: int, end: int, index: int) -> bool:
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        return not _is_word_char(before) and (self._wildcard[index] or not _is_word_char(after))

    def scan(self, text: str | None) -> list[Hit]:
        """The terms found in ``text``, each (category, term) once, in the order they appear."""
        if not text:
            return []
        text = unicodedata.normalize("NFC", text)
        found: list[tuple[int, int, int, str]] = [
            (s, -e, index, text[s:e]) for s, e, index in self._spans(text)
        ]
        for tag in _HASHTAG.finditer(text):
            for index in self._tag_terms(tag.group(1)):
                found.append((tag.start(), -tag.end(), index, tag.group(0)))
        hits: list[Hit] = []
        seen: set[int] = set()
        # several ends per start are reported (a wildcard term); keep the longest per term
        for _start, _neg_end, index, surface in sorted(found):
            if index in seen:
                continue
            seen.add(index)
            term = self.terms[index]
            hits.append(Hit(term.category, term.text, surface))
        return hits

    def scan_many(self, texts: Iterable[str | None]) -> list[list[Hit]]:
        return [self.scan(text) for text in texts]

    def categories_of(self, hits: Sequence[Hit]) -> set[str]:
        return {h.category for h in hits}
