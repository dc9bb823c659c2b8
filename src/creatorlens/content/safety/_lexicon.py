"""The brand-safety lexicon (data/safety/lexicon.toml) and a user's own keyword lists, as patterns.

A term becomes one hyperscan expression: English terms are whole words (``\\b`` where the term
starts or ends with a word character), a trailing ``*`` allows any word ending, a space any run of
spaces; Korean terms (any Hangul in the term) are plain substrings, because Korean attaches
particles to its words ("술자리에서", "논란이") and a word boundary would miss them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from creatorlens.data import load_toml

__all__ = ["CATEGORIES", "CUSTOM", "Lexicon", "Term", "default_lexicon", "term_regex"]

LEXICON_FILE = "safety/lexicon.toml"
#: The categories in the order every table and page lists them.
CATEGORIES: tuple[str, ...] = (
    "profanity",
    "adult",
    "violence",
    "drugs_alcohol",
    "gambling",
    "hate",
    "politics",
    "controversy",
)
#: The category of terms from a user's keyword list.
CUSTOM = "custom"
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Term:
    category: str
    text: str
    language: str  # "en", "ko" or "user"


def term_regex(text: str) -> str:
    """The hyperscan expression of one term (see the module docstring)."""
    term = text.strip().lower()
    wildcard = term.endswith("*") and len(term) > 1
    if wildcard:
        term = term[:-1]
    body = r"\s+".join(re.escape(part) for part in term.split())
    if _HANGUL.search(term):
        return body
    start = r"\b" if _WORD.match(term[0]) else ""
    end = r"\w*" if wildcard else (r"\b" if _WORD.match(term[-1]) else "")
    return start + body + end


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[Term, ...]
    version: str

    def with_keywords(self, keywords: Mapping[str, Iterable[str]] | Iterable[str]) -> Lexicon:
        """This lexicon plus a user's keyword list: ``{category: [terms]}`` (a category of the
        lexicon or a new one), or a plain list of terms, which form the category ``custom``."""
        groups: Mapping[str, Iterable[str]] = (
            keywords if isinstance(keywords, Mapping) else {CUSTOM: keywords}
        )
        added = [
            Term(str(category).strip().lower(), str(word).strip(), "user")
            for category, words in groups.items()
            for word in words
            if str(word).strip()
        ]
        return Lexicon(self.terms + tuple(added), self.version + "+user")

    @property
    def categories(self) -> tuple[str, ...]:
        found = {t.category for t in self.terms}
        extra = sorted(found - set(CATEGORIES))
        return tuple(c for c in CATEGORIES if c in found) + tuple(extra)

    def restricted(self, categories: Sequence[str]) -> Lexicon:
        keep = set(categories)
        return Lexicon(tuple(t for t in self.terms if t.category in keep), self.version)


@cache
def default_lexicon() -> Lexicon:
    doc = load_toml(LEXICON_FILE)
    terms = [
        Term(category, str(text), language)
        for category in CATEGORIES
        for language in ("en", "ko")
        for text in doc["categories"][category][language]
    ]
    return Lexicon(tuple(terms), f"{doc['version']} ({doc['date']})")
