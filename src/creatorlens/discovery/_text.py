"""Search terms of a text: the one tokeniser for indexed documents and for queries.

A document and a query are cut the same way, so a query term matches exactly the indexed terms:

- words are lower-cased with Latin diacritics folded (``topics.lexicon.normalize``) and a plural
  ``-s`` is dropped (``reviews`` -> ``review``), so English inflection does not miss a match;
- Korean words are cut into morphemes with kiwipiepy (nouns, roots, foreign words and verb stems
  as ``<stem>다``), so a particle or an ending never hides the word (``맛집에서`` -> ``맛집``);
- a hashtag (or a long run of letters) keeps its whole form and adds its parts: the topic
  lexicon's best split (``#비건스킨케어`` -> 비건, 스킨케어; ``#veganskincare`` -> vegan,
  skincare), and for Hangul also Kiwi's nouns. A query for the parts finds the tag and a query
  for the tag finds the tag.

@mentions are not content and are left out. The module is pure: no I/O beyond the packaged
lexicon and Kiwi's model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from creatorlens.content.brands import label_tag_brand
from creatorlens.content.topics.lexicon import Taxonomy, is_hangul, normalize
from creatorlens.content.topics.segmentation import kiwi_model, segment

#: The taxonomy whose lexicon splits hashtags (data/topics/taxonomy.toml).
TAXONOMY = "taxonomy.toml"
_TOKEN = re.compile(r"[#@]?[\w'’]+")
_KIWI_WORDS = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
_KIWI_VERBS = frozenset({"VV", "VA"})
#: Shorter hashtags are not split (a three-letter tag is one word).
_MIN_SPLIT = 5


def terms(text: str | None) -> list[str]:
    """The search terms of a text, in order, repeats kept (they are term frequencies)."""
    if not text:
        return []
    out: list[str] = []
    for raw in _TOKEN.findall(text):
        if raw[0] == "@":
            continue
        if raw[0] == "#":
            out.extend(tag_terms(raw[1:]))
        else:
            out.extend(_word_terms(raw))
    return out


def tag_terms(tag: str) -> tuple[str, ...]:
    """The terms of one hashtag (with or without its ``#``)."""
    return _tag_terms(normalize(tag.lstrip("#")).strip("_'"))


def document_terms(
    title: str | None, caption: str | None, hashtags: Iterable[str] | str | None = None
) -> list[str]:
    """The terms of a post: its title, its caption and its hashtags field, each tag once (a tag
    written in the caption and listed in the hashtags field is not counted twice)."""
    words = terms(title) + terms(_strip_tags(caption))
    tags = dict.fromkeys(_caption_tags(caption))
    if isinstance(hashtags, str):
        hashtags = hashtags.replace(",", " ").replace("#", " ").split()
    for tag in hashtags or ():
        norm = normalize(tag.lstrip("#")).strip("_'")
        if norm:
            tags.setdefault(norm, None)
    for tag in tags:
        words.extend(_tag_terms(tag))
    return words


def _caption_tags(caption: str | None) -> list[str]:
    if not caption:
        return []
    return [normalize(t[1:]).strip("_'") for t in _TOKEN.findall(caption) if t[0] == "#"]


def _strip_tags(caption: str | None) -> str:
    if not caption:
        return ""
    return " ".join(t for t in _TOKEN.findall(caption) if t[0] not in "#@")


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Captions repeat their vocabulary: each distinct word and tag is cut once per process.
@lru_cache(maxsize=500_000)
def _word_terms(raw: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in normalize(raw).split():
        word = word.strip("_'")
        if not word:
            continue
        if is_hangul(word):
            out.extend(_korean_terms(word))
        elif len(word) >= 2 * _MIN_SPLIT and word.isalpha():
            out.extend(_tag_terms(word))  # a run-together word is read like a hashtag
        else:
            out.append(_stem(word))
    return tuple(out)


@lru_cache(maxsize=500_000)
def _tag_terms(tag: str) -> tuple[str, ...]:
    if not tag:
        return ()
    if is_hangul(tag):
        return tuple(dict.fromkeys([tag, *_korean_terms(tag)]))
    if len(tag) < _MIN_SPLIT:
        return (_stem(tag),)
    parts = [_stem(p) for p in segment(Taxonomy.load(TAXONOMY), tag)]
    # A disclosure label with the brand in it (#hoptaccungUnilever, #sponsoredbyNutifood): the
    # brand is a term of its own, so a search for the brand finds the post.
    brand = label_tag_brand(tag)
    return tuple(dict.fromkeys([_stem(tag), *parts, *([brand] if brand else [])]))


@lru_cache(maxsize=500_000)
def _korean_terms(word: str) -> tuple[str, ...]:
    """A Hangul word's terms: the word when the lexicon knows it, else the lexicon's split of it
    (``비건스킨케어`` -> 비건, 스킨케어; ``맛집에서`` -> 맛집), else Kiwi's content morphemes
    (the word itself when Kiwi finds none)."""
    tax = Taxonomy.load(TAXONOMY)
    if word in tax.words or word in tax.tags:
        return (word,)
    pieces = segment(tax, word)
    if pieces:
        return tuple(pieces)
    found: list[str] = []
    for tok in kiwi_model().tokenize(word):
        tag = str(tok.tag)
        if tag in _KIWI_WORDS:
            found.append(_stem(normalize(tok.form)))
        elif tag in _KIWI_VERBS:
            found.append(tok.form + "다")
    longer = [f for f in found if len(f) > 1]
    return tuple(longer or found) or (word,)
