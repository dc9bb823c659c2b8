"""Words, Korean morphemes and hashtag parts of a text, matched against the lexicon.

Korean is tokenised with kiwipiepy (morphemes, so particles and verb endings do not hide words);
hashtags in any language are split into lexicon words (``homeworkout`` -> home|workout,
``제주카페투어`` -> 제주|카페투어) by a dynamic programme that explains as many characters as possible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

from creatorlens.content.topics.lexicon import Taxonomy, is_hangul, normalize

_TOKEN = re.compile(r"[#@]?[\w'’]+")
# Kiwi part-of-speech tags whose forms are looked up: nouns, roots, foreign words, verb/adjective
# stems (looked up as "<stem>다", the dictionary form).
_KIWI_NOUNS = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
_KIWI_VERBS = frozenset({"VV", "VA"})
TAG_SEPARATORS = re.compile(r"[\s,#]+")


@cache
def kiwi_model() -> Kiwi:
    # Kiwi takes ~2 s to load its model: once per process, and only when Korean text appears.
    from kiwipiepy import Kiwi

    return Kiwi()



def kiwi_forms(tokens: Iterable[Any]) -> tuple[str, ...]:
    """Lookup keys from Kiwi tokens: nouns, verb stems as "<stem>다", adjacent-noun compounds."""
    forms: list[str] = []
    run: list[str] = []
    for tok in tokens:
        tag = str(tok.tag)
        if tag in _KIWI_NOUNS:
            form = normalize(tok.form)
            forms.append(form)
            if is_hangul(form):
                run.append(form)
                if len(run) >= 2:
                    forms.append("".join(run[-2:]))
                if len(run) >= 3:
                    forms.append("".join(run[-3:]))
                continue
        elif tag in _KIWI_VERBS:
            forms.append(tok.form + "다")
        run = []
    return tuple(forms)


def split_text(
    text: str, exact: Mapping[str, frozenset[str]] | None = None
) -> tuple[list[str], list[str]]:
    """Normalised words (without #tags and @mentions) and the inline #tags of a text.

    A word whose folded form is in ``exact`` keeps its folded form only when it is spelt one of
    the listed ways: folding must not turn Vietnamese "cho" (for) into "chó" (dog) or "sống"
    (to live) into "song".
    """
    words: list[str] = []
    tags: list[str] = []
    for raw in _TOKEN.findall(text):
        first = raw[0]
        if first == "#":
            tags.append(raw[1:])
        elif first != "@":
            parts = _word_parts(raw)
            if exact and any(part in exact for part in parts):
                spelt = raw.lower().replace("-", " ").split()
                if len(spelt) == len(parts):
                    parts = tuple(
                        "~" + own if part in exact and own not in exact[part] else part
                        for part, own in zip(parts, spelt, strict=True)
                    )
            words.extend(parts)
    return words, tags


# Captions repeat their vocabulary: tokens, words and hashtags are read once per process.
@lru_cache(maxsize=500_000)
def _word_parts(raw: str) -> tuple[str, ...]:
    return tuple(normalize(raw).split())


@cache
def phrase_starts(taxonomy: str) -> frozenset[str]:
    """First words of the multi-word lexicon entries."""
    return frozenset(k.split(" ", 1)[0] for k in Taxonomy.load(taxonomy).words if " " in k)


@lru_cache(maxsize=500_000)
def word_matches(
    taxonomy: str, word: str, korean: str
) -> tuple[tuple[str, tuple[tuple[int, float], ...]], ...]:
    """Lexicon terms of one word outside phrases (Hangul words unknown to the lexicon are left
    to Kiwi in "kiwi" mode and split by lexicon lookup in "lexicon" mode)."""
    index = Taxonomy.load(taxonomy).words
    if is_hangul(word) and korean == "kiwi" and word not in index:
        return ()
    found = _lookup_word(index, word)
    if found:
        return (found,)
    if is_hangul(word) and korean == "lexicon":
        return match_tag(taxonomy, word)
    return ()


@lru_cache(maxsize=200_000)
def read_tag(
    taxonomy: str, tag: str
) -> tuple[bool, tuple[tuple[str, tuple[tuple[int, float], ...]], ...]]:
    """(is a platform feed tag, lexicon terms) of one raw hashtag."""
    norm = normalize(tag).strip("#_")
    if not norm:
        return False, ()
    if norm in Taxonomy.load(taxonomy).feed_tags:
        return True, ()
    return False, match_tag(taxonomy, norm)


def _lookup_word(
    index: Mapping[str, tuple[tuple[int, float], ...]], word: str
) -> tuple[str, tuple[tuple[int, float], ...]] | None:
    entries = index.get(word)
    if entries:
        return word, entries
    # Light English inflection: plurals, -ing, -ed (lexicon entries are base forms).
    candidates: list[str] = []
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        candidates.append(word[:-1])
        if word.endswith("es"):
            candidates.append(word[:-2])
        if word.endswith("ies"):
            candidates.append(word[:-3] + "y")
    if len(word) > 5 and word.endswith("ing"):
        candidates += [word[:-3], word[:-3] + "e", word[:-4]]
    if len(word) > 4 and word.endswith("ed"):
        candidates += [word[:-2], word[:-1], word[:-3]]
    for cand in candidates:
        entries = index.get(cand)
        if entries:
            return cand, entries
    return None


@lru_cache(maxsize=200_000)
def match_tag(taxonomy: str, tag: str) -> tuple[tuple[str, tuple[tuple[int, float], ...]], ...]:
    """Lexicon terms in one normalised hashtag: the whole tag, else its best split into parts."""
    tax = Taxonomy.load(taxonomy)
    whole = tax.tags.get(tag) or tax.words.get(tag)
    if whole:
        return (("#" + tag, whole),)
    pieces = segment(tax, tag)
    return tuple(("#" + p, tax.tags.get(p) or tax.words[p]) for p in pieces)


def segment(tax: Taxonomy, tag: str) -> list[str]:
    """Split a concatenated hashtag into lexicon terms, maximising explained characters.

    Dynamic programme over positions: a step either skips one character or consumes a lexicon
    term / glue part. Best = most characters explained, then fewest parts. Topical parts of three
    letters or fewer are kept only when the whole tag is explained (``gymlife`` yes, ``scarf`` no).
    """
    n = len(tag)
    if n < 3:
        return []
    max_len = min(tax.max_piece_len, n)
    best: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    best[0] = (0, 0)
    for i in range(n):
        covered, parts = best[i]
        if covered < 0:
            continue
        if (covered, parts) > best[i + 1]:
            best[i + 1] = (covered, parts)
            back[i + 1] = (i, None)
        for length in range(1, min(max_len, n - i) + 1):
            piece = tag[i : i + length]
            topical = piece in tax.tags or piece in tax.words
            if not topical and piece not in tax.glue:
                continue
            if topical and length < 2:
                continue
            cand = (covered + length, parts - 1)
            if cand > best[i + length]:
                best[i + length] = cand
                back[i + length] = (i, piece)
    covered_total = best[n][0]
    pieces: list[str] = []
    pos = n
    while pos > 0:
        prev, step = back[pos]
        if step is not None and (step in tax.tags or step in tax.words):
            pieces.append(step)
        pos = prev
    pieces.reverse()
    fully_explained = covered_total >= n
    return [p for p in pieces if fully_explained or len(p) >= 4 or (is_hangul(p) and len(p) >= 2)]
