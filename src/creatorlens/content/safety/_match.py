"""Screening texts against a lexicon in one hyperscan pass per text.

hyperscan (a dependency, as for content/disclosure's prefilter) compiles every term into one
database; each scan reports the terms found with their offsets (``SOM_LEFTMOST``), so the matched
surface text is the evidence shown for a post. Word boundaries are ASCII ones (hyperscan has no
``\b`` in UCP mode): English terms need no more, Korean terms use none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import hyperscan

from creatorlens.content.safety._lexicon import Lexicon, term_regex

__all__ = ["Hit", "SafetyMatcher"]

_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST


@dataclass(frozen=True)
class Hit:
    category: str
    term: str  # the lexicon's term
    surface: str  # the text it matched


class SafetyMatcher:
    """All terms of a lexicon in one hyperscan database."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.terms = lexicon.terms
        self._database: hyperscan.Database | None = None
        if self.terms:
            expressions = [term_regex(t.text).encode("utf-8") for t in self.terms]
            self._database = hyperscan.Database()
            self._database.compile(
                expressions=expressions,
                ids=list(range(len(expressions))),
                elements=len(expressions),
                flags=[_FLAGS] * len(expressions),
            )

    def scan(self, text: str | None) -> list[Hit]:
        """The terms found in ``text``, each (category, term) once, in the order they appear."""
        if not text or self._database is None:
            return []
        data = text.encode("utf-8", "replace")
        found: list[tuple[int, int, int]] = []
        self._database.scan(
            data,
            match_event_handler=lambda index, start, end, _flags, _context: found.append(
                (start, -end, index)
            ),
        )
        hits: list[Hit] = []
        seen: set[int] = set()
        # several ends per start are reported (a wildcard term); keep the longest per term
        for start, neg_end, index in sorted(found):
            if index in seen:
                continue
            seen.add(index)
            term = self.terms[index]
            surface = data[start:-neg_end].decode("utf-8", "replace")
            hits.append(Hit(term.category, term.text, surface))
        return hits

    def scan_many(self, texts: Iterable[str | None]) -> list[list[Hit]]:
        return [self.scan(text) for text in texts]

    def categories_of(self, hits: Sequence[Hit]) -> set[str]:
        return {h.category for h in hits}
