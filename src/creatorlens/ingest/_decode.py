"""Which text encoding a file is in, and text that must not be stored.

Order (docs/ingest.md, "Encodings"): ``--encoding`` when given; a byte-order mark; UTF-16 without a
mark (every other byte NUL); valid UTF-8; a file that is UTF-8 but for a few broken bytes; else
charset-normalizer's guess among the encodings that decode the file without errors. Bytes the
chosen encoding cannot decode become lone surrogates (U+DC00 + byte, like ``surrogateescape``)
so that the row holding them can be quarantined with the bytes shown, instead of being stored as
``U+FFFD``.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

from creatorlens.errors import OptionError

#: Bytes read to guess the encoding (whole file when smaller); UTF-8 validity is checked on all of it.
SAMPLE_BYTES = 4 << 20
#: A file that is valid UTF-8 except for at most this share of its non-ASCII runs (valid UTF-8
#: characters, runs of broken bytes) is UTF-8 with a few broken rows (a cell pasted from another
#: program), not another encoding: in a file of another encoding nearly every run is broken.
MOSTLY_UTF8_MAX_BAD_SHARE = 0.2
#: Candidates whose "chaos" (charset-normalizer's mess score, 0 = clean) is at most this much above
#: the best one count as equally good; among those the first of ``PREFERRED`` wins. Short files give
#: several clean single-byte guesses (cp1250, iso8859_10, cp1252 for Portuguese text).
CHAOS_MARGIN = 0.1
#: What spreadsheet programs write: Korean Excel (cp949, a superset of EUC-KR), Western Windows
#: ("ANSI" = cp1252, which reads latin-1 text identically except for unused C1 controls), Japanese,
#: Chinese, Vietnamese Windows, then the ISO sets.
PREFERRED = (
    "utf_8", "cp949", "cp1252", "cp932", "gb18030", "big5", "cp1258", "cp1251", "cp1250",
    "latin_1", "iso8859_15",
)  # fmt: skip

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_BAD_TEXT = re.compile("[\ud800-\udfff\ufffd]")
#: Error handler: every byte that cannot be decoded becomes U+DC00 + byte (like Python's
#: surrogateescape, which cannot take bytes below 0x80, e.g. half of a UTF-16 code unit).
ERRORS = "creatorlens-broken-bytes"


def _broken_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error(ERRORS, _broken_bytes)
_BROKEN_RUN = re.compile("[\udc80-\udcff]+")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


@dataclass(frozen=True)
class Decoding:
    """``codec`` is what Python opens the file with; ``name`` what the report shows."""

    codec: str
    name: str
    how: str  # "--encoding" | "byte-order mark" | "valid UTF-8" | "mostly UTF-8" | "charset-normalizer" | ...
    bom: bytes = b""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.how})"


def check_encoding(name: str) -> str:
    """The codec name for ``--encoding NAME``; ValueError for names Python does not know."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise OptionError(
            f"--encoding {name!r}: unknown encoding (e.g. utf-8, cp949, euc-kr, utf-16, latin-1)"
        ) from None


def detect_encoding(path: Path, forced: str | None = None) -> Decoding:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        complete = len(sample) < SAMPLE_BYTES
    bom = next(((b, c, n) for b, c, n in _BOMS if sample.startswith(b)), None)
    if forced:
        codec = check_encoding(forced)
        if codec == "utf-8" and sample.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        skip = next((b for b, c, _ in _BOMS if c == codec != "utf-8-sig" and sample.startswith(b)), b"")
        return Decoding(codec, forced, "--encoding", skip)
    if bom is not None:
        raw, codec, name = bom
        # The codec is endian-specific, so the mark itself is skipped by hand (utf-8-sig skips it).
        return Decoding(codec, name, "byte-order mark", b"" if codec == "utf-8-sig" else raw)
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return Decoding(utf16, utf16, "NUL bytes: UTF-16 without a byte-order mark")
    if _valid_utf8(path, sample, complete):
        return Decoding("utf-8", "utf-8", "valid UTF-8")
    if _mostly_utf8(sample):
        return Decoding("utf-8", "utf-8", "UTF-8 with some bytes that are not")
    guess = _charset_normalizer(sample)
    if guess is not None:
        return Decoding(guess, guess.replace("_", "-"), "charset-normalizer")
    return Decoding("utf-8", "utf-8", "no encoding decodes it; undecodable rows are quarantined")


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[: 1 << 16]
    if len(head) < 4:
        return None
    pairs = len(head) // 2
    even_nul = head[0 : 2 * pairs : 2].count(0)
    odd_nul = head[1 : 2 * pairs : 2].count(0)
    for codec, text_nul, other_nul in (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul)):
        if text_nul > 0.3 * pairs and other_nul < 0.05 * pairs:
            try:
                head[: 2 * pairs].decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def _valid_utf8(path: Path, sample: bytes, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)
        if complete:
            return True
        with path.open("rb") as handle:
            handle.seek(len(sample))
            while chunk := handle.read(SAMPLE_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    good = 0
    for match in _UTF8_SEQUENCE.finditer(sample):
        try:
            match[0].decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            pass
    if good == 0:
        return False
    broken = len(_BROKEN_RUN.findall(sample.decode("utf-8", "surrogateescape")))
    return broken <= MOSTLY_UTF8_MAX_BAD_SHARE * (good + broken)


def _charset_normalizer(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample))
    if not results:
        return None
    best = min(r.chaos for r in results)
    near = [
        codecs.lookup(r.encoding).name.replace("-", "_") for r in results if r.chaos <= best + CHAOS_MARGIN
    ]
    ranked = sorted(near, key=lambda e: PREFERRED.index(e) if e in PREFERRED else len(PREFERRED))
    for codec in ranked:
        try:
            sample.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # a sample cut inside a multi-byte character is fine
                continue
        return codec
    return None


def bad_text(text: str) -> bool:
    """Text holding undecodable bytes, unpaired surrogate escapes or U+FFFD."""
    return _BAD_TEXT.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def bad_surrogates(text: str) -> bool:
    """Text holding undecodable bytes (or unpaired surrogate escapes), not counting U+FFFD."""
    return _SURROGATE.search(text) is not None


def shown(text: str, limit: int = 200) -> str:
    """Text safe to store in the quarantine: broken bytes as ``\\xNN``, U+FFFD as ``\\ufffd``."""

    def escape(m: re.Match[str]) -> str:
        code = ord(m[0])
        return f"\\x{code - 0xDC00:02x}" if 0xDC00 <= code <= 0xDCFF else f"\\u{code:04x}"

    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _BAD_TEXT.sub(escape, cut)


def bad_text_reason(text: str, encoding: str | None) -> str:
    """Why a cell holding ``bad_text`` is not stored."""
    if any(0xDC00 <= ord(c) <= 0xDCFF for c in text) and encoding:
        return (
            f"bytes that are not valid {encoding} text; the row is not stored (pass --encoding "
            "if the file is in another encoding)"
        )
    if "\ufffd" in text:
        return (
            "holds U+FFFD, the mark of a character lost before this file was written; the row is not stored"
        )
    return "holds an unpaired UTF-16 surrogate escape, which is not a character; the row is not stored"


def open_text(path: Path, decoding: Decoding) -> io.TextIOWrapper:
    """The file as text in ``decoding``, without its byte-order mark; broken bytes as surrogates."""
    raw = path.open("rb")
    raw.read(len(decoding.bom))
    return io.TextIOWrapper(raw, encoding=decoding.codec, errors=ERRORS, newline="")


def read_text(path: Path, decoding: Decoding) -> str:
    with open_text(path, decoding) as handle:
        return handle.read()
