"""The brand-safety lexicons (data/safety/lexicon.toml for English and Korean, lexicon_<lang>.toml
for the other languages) and a user's own keyword lists, as patterns.

Text and terms are compared with Latin diacritics folded (``fold``: "súng" and "sung", "cocaína"
and "cocaina" are one spelling), because captions often drop them (Vietnamese TikTok captions are
frequently written without tones). A term listed under ``exact`` in its lexicon matches only as
spelt, tones included, because its folded form is another common word (Vietnamese "nhậu", to
drink, folds to "nhau", each other).

A folded term becomes one hyperscan expression: Latin-script terms are whole words (``\\b`` where
the term starts or ends with a word character), a trailing ``*`` allows any word ending, a space
any run of spaces; Korean and Japanese terms (any Hangul, kana or CJK ideograph in the term) are
plain substrings, because these languages attach particles to words and do not separate words by
spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from creatorlens.content._fold import fold_bases
from creatorlens.data import load_toml

__all__ = [
    "CATEGORIES",
    "CUSTOM",
    "LANGUAGES",
    "Lexicon",
    "Term",
    "default_lexicon",
    "fold",
    "needs_boundary_check",
    "term_regex",
]

LEXICON_FILE = "safety/lexicon.toml"
#: The languages with their own lexicon file ``safety/lexicon_<code>.toml`` (English and Korean
#: are in lexicon.toml).
LANGUAGE_FILES: tuple[str, ...] = ("vi", "id", "pt", "es", "fr", "de", "ja")
LANGUAGES: tuple[str, ...] = ("en", "ko", *LANGUAGE_FILES)
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
# Scripts without spaces between words or with particles attached: terms match as substrings.
_UNSPACED = re.compile(
    r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]"
)
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")


# One character to one character, so offsets in the folded text are offsets in the original: a
# Latin letter with marks becomes its base letter (case kept); letters whose base is not one letter
# (ß, æ, ǆ) and every other script are left alone.
_FOLD = {cp: base for cp, base in fold_bases("NFD").items() if len(base) == 1}


def fold(text: str) -> str:
    """``text`` in NFC with Latin diacritics removed, character for character (same length)."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def is_unspaced(text: str) -> bool:
    """Whether ``text`` holds Korean or Japanese (substring matching)."""
    return _UNSPACED.search(text) is not None


@dataclass(frozen=True)
class Term:
    category: str
    text: str
    language: str  # a code of LANGUAGES, or "user"
    exact: bool = False  # match only as spelt (diacritics included)


def term_regex(text: str, *, folded: bool = True) -> str:
    """The hyperscan expression of one term (see the module docstring); ``folded=False`` keeps the
    term's diacritics (an ``exact`` term)."""
    term = unicodedata.normalize("NFC", text.strip().lower())
    if folded:
        term = fold(term)
    wildcard = term.endswith("*") and len(term) > 1
    if wildcard:
        term = term[:-1]
    body = r"\s+".join(re.escape(part) for part in term.split())
    if is_unspaced(term) or not folded:
        # exact terms: hyperscan's \b is ASCII-only, so the matcher checks their word boundaries
        return body + (r"\w*" if wildcard else "")
    # \b only beside an ASCII letter or digit; beside "ß" or "ï" the matcher checks the boundary
    start = r"\b" if _ASCII_WORD.match(term[0]) else ""
    end = r"\w*" if wildcard else (r"\b" if _ASCII_WORD.match(term[-1]) else "")
    return start + body + end


def needs_boundary_check(term: Term) -> bool:
    """Whether the matcher must check ``term``'s word boundaries itself (see ``term_regex``)."""
    text = unicodedata.normalize("NFC", term.text.strip().lower()).rstrip("*")
    if is_unspaced(text):
        return False
    if term.exact:
        return True
    text = fold(text)
    return any(ch.isalnum() and not _ASCII_WORD.match(ch) for ch in (text[0], text[-1]))


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

    @property
    def languages(self) -> tuple[str, ...]:
        found = {t.language for t in self.terms}
        return tuple(c for c in LANGUAGES if c in found)

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
    versions = [f"{doc['version']} ({doc['date']})"]
    for language in LANGUAGE_FILES:
        other = load_toml(f"safety/lexicon_{language}.toml")
        if other["language"] != language:
            raise ValueError(f"safety/lexicon_{language}.toml says language {other['language']!r}")
        unknown = set(other["categories"]) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"safety/lexicon_{language}.toml: unknown categories {sorted(unknown)}")
        for category in CATEGORIES:
            table = other["categories"].get(category, {})
            terms += [Term(category, str(t), language) for t in table.get("terms", [])]
            terms += [Term(category, str(t), language, exact=True) for t in table.get("exact", [])]
        versions.append(f"{language} {other['version']} ({other['date']})")
    return Lexicon(tuple(terms), "; ".join(versions))
