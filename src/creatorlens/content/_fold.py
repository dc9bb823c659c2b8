"""The characters that the topic and the safety lexicons fold, and what they fold to: Latin
letters with diacritics to their base letters, and the typographic apostrophe to ``'``. Each
lexicon keeps its own rules on top (case, one letter or more)."""

from __future__ import annotations

import unicodedata
from typing import Literal

#: Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional (Vietnamese). Other
#: scripts are left alone: NFKD would decompose Hangul syllables into jamo.
_LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
#: Folded too, though Unicode does not decompose them: the stroked d, the typographic apostrophe.
_UNDECOMPOSED = {"đ": "d", "Đ": "D", "’": "'"}


def fold_bases(form: Literal["NFD", "NFKD"]) -> dict[int, str]:
    """Code point -> base, for each Latin code point whose Unicode ``form`` decomposition without
    its combining marks is not empty and not itself (é -> e; under NFKD ǆ -> dž, one letter or
    more), and for the characters of ``_UNDECOMPOSED``."""
    table: dict[int, str] = {}
    for lo, hi in _LATIN_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = "".join(c for c in unicodedata.normalize(form, ch) if not unicodedata.combining(c))
            if base and base != ch:
                table[cp] = base
    table.update({ord(ch): base for ch, base in _UNDECOMPOSED.items()})
    return table
