"""The packaged Korean font (Noto Sans KR, SIL OFL 1.1; web/static/vendor/fonts, see its VERSION).

A fresh Debian machine has no CJK font, so Korean text would print as empty boxes. The font ships
with the package cut into Google Fonts' unicode-range slices (``scripts/vendor_fonts.sh``): pages
link ``noto-sans-kr.css`` and the browser fetches only the slices their text uses; a self-contained
report embeds, as data URIs, only the slices whose ranges hold a character of the report, which
keeps a Korean report at a few hundred KB of font instead of 2.6 MB a weight.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

FAMILY = "Noto Sans KR"
#: The stylesheet pages link, relative to the static root.
STYLESHEET = "vendor/fonts/noto-sans-kr.css"
_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")
_FIELD = re.compile(r"(?P<key>[a-z-]+)\s*:\s*(?P<value>[^;]+);")
_RANGE = re.compile(r"U\+(?P<lo>[0-9a-fA-F]+)(?:-(?P<hi>[0-9a-fA-F]+))?")


@dataclass(frozen=True)
class Slice:
    """One @font-face of the stylesheet: a weight's glyphs for a set of code point ranges."""

    weight: str
    file: str  # relative to the stylesheet's folder
    unicode_range: str
    ranges: tuple[tuple[int, int], ...]

    def covers_any(self, codepoints: frozenset[int]) -> bool:
        return any(lo <= cp <= hi for cp in codepoints for lo, hi in self.ranges)


def _fonts_dir() -> resources.abc.Traversable:
    return resources.files("creatorlens").joinpath("web/static/vendor/fonts")


@cache
def slices() -> tuple[Slice, ...]:
    css = _fonts_dir().joinpath("noto-sans-kr.css").read_text("utf-8")
    found = []
    for face in _FACE.finditer(css):
        fields = {m["key"]: m["value"].strip() for m in _FIELD.finditer(face["body"])}
        src = re.search(r"url\(([^)]+)\)", fields["src"])
        assert src is not None, "every vendored @font-face names its woff2 file"
        ranges = tuple(
            (int(m["lo"], 16), int(m["hi"] or m["lo"], 16))
            for m in _RANGE.finditer(fields["unicode-range"])
        )
        found.append(Slice(fields["font-weight"], src[1], fields["unicode-range"], ranges))
    return tuple(found)


def slices_for(text: str) -> list[Slice]:
    """The slices that hold at least one character of ``text`` (every weight)."""
    codepoints = frozenset(ord(c) for c in text if ord(c) > 0x7F) | frozenset(
        {ord("a")}  # Latin always: numbers and names in Latin keep one face beside Hangul
    )
    return [s for s in slices() if s.covers_any(codepoints)]


def embedded_css(text: str) -> str:
    """@font-face rules with data-URI sources for the slices ``text`` needs (for a report)."""
    rules = []
    for s in slices_for(text):
        data = base64.b64encode(_fonts_dir().joinpath(s.file).read_bytes()).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FAMILY}';font-style:normal;font-display:block;"
            f"font-weight:{s.weight};src:url(data:font/woff2;base64,{data}) format('woff2');"
            f"unicode-range:{s.unicode_range};}}"
        )
    return "\n".join(rules)
