"""Compound hashtags split into words (``#cannabiscommunity`` -> cannabis community,
``#sòngbạc`` -> sòng bạc), so the lexicon's whole-word terms can match inside them.

A Viterbi split maximising the product of word probabilities, as in Norvig's "Natural Language
Corpus Data" (Beautiful Data, 2009): the English word frequencies are wordsegment's unigram counts
(Google Web Trillion Word Corpus); every lexicon term of every language, its spaces removed, is a
word too, at least as frequent as ``TERM_COUNT`` (so "songbac" reads as the term "sòng bạc"
and not as English "song" + "bac"). Pieces keep the hashtag's own spelling (diacritics
included); they are looked up folded and lower-cased.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache, lru_cache

from creatorlens.content.safety._lexicon import fold, is_unspaced

__all__ = ["Segmenter"]

#: The count a lexicon term is given when the unigram list has it rarer: that of a word around
#: rank 40,000 of the English list (a known but uncommon word).
TERM_COUNT = 400_000.0
#: Longest word considered (characters).
MAX_WORD = 24
#: Shortest hashtag that is split (shorter ones are read whole).
MIN_TAG = 5


@cache
def _unigrams() -> tuple[dict[str, float], float]:
    from wordsegment import Segmenter as _WordSegmenter

    segmenter = _WordSegmenter()
    segmenter.load()
    return dict(segmenter.unigrams), float(segmenter.total)


class Segmenter:
    """Splits hashtags into words with the English unigram counts plus the lexicon's terms."""

    def __init__(self, terms: Iterable[str]) -> None:
        unigrams, total = _unigrams()
        self._counts = dict(unigrams)
        # a multi-word term read as one piece is given back as its words: key -> word lengths
        self._parts: dict[str, tuple[int, ...]] = {}
        for term in terms:
            words = fold(term).lower().rstrip("*").split()
            key = "".join(words)
            if key and key.isalnum() and not is_unspaced(key):
                self._counts[key] = max(self._counts.get(key, 0.0), TERM_COUNT)
                if len(words) > 1:
                    self._parts[key] = tuple(len(w) for w in words)
        self._log_total = math.log10(total)

    def _score(self, word: str) -> float:
        count = self._counts.get(word)
        if count is not None:
            return math.log10(count) - self._log_total
        # an unknown word: the longer, the less likely (Norvig's penalty)
        return 1.0 - self._log_total - len(word)

    @lru_cache(maxsize=100_000)  # noqa: B019 - one segmenter per matcher, kept for its life
    def split(self, tag: str) -> tuple[str, ...]:
        """The words of ``tag`` (without '#') in its own spelling; ``(tag,)`` when it is short,
        not Latin-script letters and digits, or reads best as one word."""
        key = fold(tag).lower()
        n = len(key)
        if n != len(tag) or n < MIN_TAG or not key.isalnum() or is_unspaced(key):
            return (tag,)
        best = [0.0] + [-math.inf] * n
        back = [0] * (n + 1)
        for end in range(1, n + 1):
            for start in range(max(0, end - MAX_WORD), end):
                score = best[start] + self._score(key[start:end])
                if score > best[end]:
                    best[end] = score
                    back[end] = start
        pieces: list[str] = []
        end = n
        while end > 0:
            start = back[end]
            lengths = self._parts.get(key[start:end], (end - start,))
            cut = end
            for length in reversed(lengths):
                pieces.append(tag[cut - length : cut])
                cut -= length
            end = start
        return tuple(reversed(pieces))
