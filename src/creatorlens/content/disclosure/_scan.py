"""Reading a post: label hits with jurisdiction-independent positions, and sponsorship evidence.

One pass of the vocabulary's pattern set over each text (caption, title, on-image text, the
creator's comments, transcript segments) finds labels, negations, signals, hashtags and links;
``analyse_post`` turns them into ``PostFacts``, which the judge reads per jurisdiction.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from creatorlens.content.disclosure._vocabulary import Vocabulary


@dataclass(frozen=True)
class Hit:
    """One label found somewhere in a post."""

    key: str
    surface: str
    source: str  # caption | title | on_image | comments | flag | transcript
    position: str  # jurisdiction-independent position; title/transcript refined per rule set
    offset: int = 0
    time_s: float = 0.0
    hashtag: bool = False  # written as a hashtag (the form CTX-FOLLOW-BAIT looks at)


@dataclass
class TextScan:
    # key, surface, start, end, hashtag rank (1-based among the hashtags; 0 = not a hashtag)
    labels: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    signals: list[tuple[str, str]] = field(default_factory=list)  # key, surface
    has_mention: bool = False
    own_purchase: bool = False
    cues: set[str] = field(default_factory=set)  # context rule ids whose cue the text holds


_LEADING_NOISE = re.compile(r"[\W_]*")
_MENTION = re.compile(r"(?<![\w.])@[\w.]*\w")
_HASHTAG_TOKEN = re.compile(r"#[^\s#@]+")
_INSIDE_TOKEN = re.compile(r"[^\s#@]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LETTER = re.compile(r"[^\W\d_]")
_STRIP_FOR_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|[#@][^\s#@]+")


def scan_text(text: str, vocab: Vocabulary) -> TextScan:
    result = TextScan()
    if not text:
        return result
    # Mentions are looked up on their own so that a phrase consuming "@brand" still counts it.
    result.has_mention = "@" in text and _MENTION.search(text) is not None
    for (kind, key), match in vocab.matcher.finditer(text):
        if kind in ("label", "label_hashtag", "label_suffix"):
            script = vocab.labels[key].script
            if script is not None and script.search(text) is None:
                continue
        if kind == "label_suffix" and not _stem_present(match.group(), key, text, vocab):
            continue
        if kind in ("label_hashtag", "label_suffix"):
            start = match.start()
            rank = len(_HASHTAG_TOKEN.findall(text, 0, start)) + 1
            result.labels.append((key, match.group(), start, match.end(), rank))
        elif kind == "label":
            start = match.start()
            # a label phrase inside a compound hashtag ("#협찬받은제품") is a hashtag label
            token_start = text.rfind("#", 0, start)
            rank = 0
            if token_start >= 0 and _INSIDE_TOKEN.fullmatch(text, token_start + 1, start):
                rank = len(_HASHTAG_TOKEN.findall(text, 0, token_start)) + 1
            result.labels.append((key, match.group(), start, match.end(), rank))
        elif kind == "signal":
            result.signals.append((key, match.group()))
        elif kind == "url":
            url_kind = vocab.classify_url(match.group())
            if url_kind is not None:
                result.signals.append((url_kind, match.group()))
        elif kind == "own_purchase":
            result.own_purchase = True
        elif kind == "cue":
            result.cues.add(key)
        # negations consume their span so the label inside is never matched
    return result


def _stem_present(tag: str, key: str, text: str, vocab: Vocabulary) -> bool:
    """CTX-BRAND-STEM: '#<stem><suffix>' counts when the post tags '#<stem>' or mentions '@<stem>'."""
    lowered = tag.lower().lstrip("#")
    for suffix in vocab.suffixes.get(key, ()):
        if lowered.endswith(suffix) and len(lowered) > len(suffix) + 1:
            stem = lowered[: -len(suffix)]
            if re.search(r"[#@]" + re.escape(stem) + r"(?![\w.])", text, re.IGNORECASE):
                return True
    return False


def content_language(text: str, vocab: Vocabulary) -> str:
    """'ko' when Hangul is at least ``hangul_min_share`` of the letters, else 'other'."""
    body = _STRIP_FOR_LANGUAGE.sub(" ", text)
    letters = len(_LETTER.findall(body))
    if letters == 0:
        body = text
        letters = len(_LETTER.findall(body))
        if letters == 0:
            return "other"
    hangul = len(_HANGUL.findall(body))
    return "ko" if hangul / letters >= vocab.hangul_min_share else "other"


def _normalise_language(value: str) -> str:
    return "ko" if value.strip().lower()[:2] == "ko" else "other"


def _starts(text: str, labels: Sequence[tuple[str, str, int, int, int]]) -> list[bool]:
    """Labels 'before anything else': only punctuation, emoji or other labels precede them."""
    flags: list[bool] = []
    chain_end, chained = 0, True
    for _key, _surface, start, end, _rank in labels:
        at_start = chained and start >= chain_end and bool(_LEADING_NOISE.fullmatch(text, chain_end, start))
        if at_start:
            chain_end = end
        else:
            chained = False
        flags.append(at_start)
    return flags


def _caption_position(
    text: str, start: int, at_start: bool, is_hashtag: bool, rank: int, vocab: Vocabulary
) -> str:
    if at_start:
        return "start"
    line = text.count("\n", 0, start)
    if line >= vocab.preview_lines or start >= vocab.preview_chars:
        return "end" if text.find("\n", start) == -1 else "after_more"
    if is_hashtag:
        return "first_hashtag" if rank == 1 else "second_hashtag" if rank == 2 else "buried_hashtag"
    return "first_line" if line == 0 else "before_more"


def _parse_transcript(value: Any) -> list[tuple[float, str]]:
    if value is None:
        return []
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list | tuple):
        return []
    segments: list[tuple[float, str]] = []
    for item in value:
        if isinstance(item, list | tuple) and len(item) >= 2 and isinstance(item[1], str):
            try:
                segments.append((float(item[0]), item[1]))
            except (TypeError, ValueError):
                continue
    segments.sort(key=lambda seg: seg[0])
    return segments


@dataclass(frozen=True)
class PostFacts:
    """Everything about a post that does not depend on the jurisdiction."""

    hits: tuple[Hit, ...]
    evidence: tuple[tuple[str, str], ...]  # (kind, surface); kind = "label" or a signal key
    sponsored: bool
    language: str
    medium: str
    video_known: bool
    duration_s: float
    posted_at: Any
    #: context rules that took the post's evidence away (CTX-FOLLOW-BAIT, CTX-SELF-PROMOTION)
    context: tuple[str, ...] = ()

    def signature(self) -> tuple[Any, ...]:
        """Everything a verdict depends on besides the date: equal signatures, equal judgements."""
        hits = tuple(
            (h.key, h.surface, h.source, h.position, h.offset * (h.source == "title"), h.time_s)
            for h in self.hits
        )
        kinds = tuple(dict.fromkeys(kind for kind, _ in self.evidence))
        timed = any(h.source == "transcript" for h in self.hits)
        duration = self.duration_s if timed else 0.0
        return (hits, kinds, self.language, self.medium, self.video_known, duration, self.context)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _flag(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if value is pd.NA:
        return False
    return bool(value)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _caption_with_hashtags(caption: Any, hashtags: Any) -> tuple[str, bool]:
    """The caption with the ``hashtags`` column's tags it lacks appended on a new line (some
    platforms export them apart); True when any was appended (a caller's caption scan is stale)."""
    text = _text(caption)
    detached = _text(hashtags).split()
    if not detached:
        return text, False
    lowered = text.lower()
    missing = [t.lstrip("#") for t in detached if "#" + t.lstrip("#").lower() not in lowered]
    if not missing:
        return text, False
    return (text + "\n" if text else "") + " ".join("#" + t for t in missing), True


def _caption_hits(text: str, scan: TextScan, vocab: Vocabulary) -> list[Hit]:
    """Caption labels with their position as a reader sees it (start, first line, after 'more')."""
    hits: list[Hit] = []
    caption_starts = _starts(text, scan.labels)
    for (key, surface, start, _end, rank), at_start in zip(scan.labels, caption_starts, strict=True):
        position = _caption_position(text, start, at_start, rank > 0, rank, vocab)
        hits.append(Hit(key, surface, "caption", position, start, hashtag=rank > 0))
    return hits


def _title_hits(title_text: str, title_scan: TextScan) -> list[Hit]:
    """Title labels; whether the title start is prominent enough is up to each rule set."""
    hits: list[Hit] = []
    title_starts = _starts(title_text, title_scan.labels)
    for (key, surface, start, _end, rank), at_start in zip(title_scan.labels, title_starts, strict=True):
        position = "title_start" if at_start else "title"
        hits.append(Hit(key, surface, "title", position, start, hashtag=rank > 0))
    return hits


def _label_hits(text: str, vocab: Vocabulary, source: str, position: str, time_s: float = 0.0) -> list[Hit]:
    """Labels of a text whose position is fixed by where it is (on the image, comments, video)."""
    return [
        Hit(key, surface, source, position, time_s=time_s)
        for key, surface, _start, _end, _rank in scan_text(text, vocab).labels
    ]


def _evidence(
    vocab: Vocabulary,
    hits: Sequence[Hit],
    signals: Sequence[tuple[str, str]],
    cues: set[str],
    *,
    has_mention: bool,
    own_purchase: bool,
) -> tuple[list[tuple[str, str]], list[str]]:
    """The (kind, surface) evidence of sponsorship, and the context rules that took it away.

    A label counts when it always implies sponsorship or implies it with a mention present; a
    signal that needs a mention needs one and no own-purchase statement. Follow-bait cues mute
    hashtag labels (CTX-FOLLOW-BAIT); a seller's own advert leaves only the paid flag
    (CTX-SELF-PROMOTION).
    """
    evidence: list[tuple[str, str]] = []
    hashtag_evidence = 0
    muted_forms = frozenset().union(
        *(vocab.context_rules[c].forms for c in cues if vocab.context_rules[c].effect == "not_evidence")
    )
    for hit in hits:
        term = vocab.labels.get(hit.key)
        if term is None:
            continue
        if term.implies == "always" or (term.implies == "with_mention" and has_mention):
            if hit.hashtag and "hashtag" in muted_forms:
                hashtag_evidence += 1
                continue
            evidence.append(("label", hit.surface))
    for key, surface in signals:
        signal = vocab.signals.get(key)
        if signal is not None and signal.needs_mention and (not has_mention or own_purchase):
            continue
        evidence.append((key, surface))
    context: list[str] = []
    if hashtag_evidence and not evidence:
        context.extend(c for c in sorted(cues) if vocab.context_rules[c].effect == "not_evidence")
    self_promotion = sorted(c for c in cues if vocab.context_rules[c].effect == "not_endorsement")
    if self_promotion:
        # the seller's own advert: only the platform's paid flag still says "sponsored"
        kept = [(k, t) for k, t in evidence if k == vocab.platform_flag_key]
        if len(kept) < len(evidence) and not kept:
            context.extend(self_promotion)
        evidence = kept
    return evidence, context


def _post_language(language: Any, content: str, has_findings: bool, vocab: Vocabulary) -> str:
    """The declared language when given; else, for a post with any hit or evidence, the language
    of its text (``content``); else 'other'."""
    lang_value = _text(language)
    if lang_value.strip():
        return _normalise_language(lang_value)
    if has_findings:
        return content_language(content, vocab)
    return "other"


def analyse_post(
    vocab: Vocabulary,
    *,
    caption: Any = None,
    title: Any = None,
    hashtags: Any = None,
    on_image_text: Any = None,
    is_paid: Any = None,
    kind: Any = None,
    platform: Any = None,
    posted_at: Any = None,
    transcript: Any = None,
    duration_s: Any = None,
    comments_text: Any = None,
    language: Any = None,
    mentions: Any = None,
    caption_scan: TextScan | None = None,
) -> PostFacts:
    """Read one post: label hits with positions, sponsorship evidence, language and medium.

    ``caption_scan`` is the caption's scan when the caller already has it (and no hashtags are
    appended from the ``hashtags`` column).
    """
    text, appended = _caption_with_hashtags(caption, hashtags)
    if appended:
        caption_scan = None
    scan = caption_scan if caption_scan is not None else scan_text(text, vocab)
    # hits in source order: caption, title, on-image text, paid flag, comments, transcript
    hits = _caption_hits(text, scan, vocab)
    signals = list(scan.signals)
    has_mention = scan.has_mention or bool(_text(mentions).strip())
    own_purchase = scan.own_purchase
    cues = set(scan.cues)

    title_text = _text(title)
    if title_text:
        title_scan = scan_text(title_text, vocab)
        hits.extend(_title_hits(title_text, title_scan))
        signals.extend(title_scan.signals)
        has_mention = has_mention or title_scan.has_mention
        own_purchase = own_purchase or title_scan.own_purchase
        cues |= title_scan.cues

    image_text = _text(on_image_text)
    if image_text:
        hits.extend(_label_hits(image_text, vocab, "on_image", "on_image"))

    if _flag(is_paid):
        hits.append(Hit(vocab.platform_flag_key, vocab.platform_flag_display_en, "flag", "platform_flag"))
        signals.append((vocab.platform_flag_key, vocab.platform_flag_display_en))

    comment_text = _text(comments_text)
    if comment_text:
        hits.extend(_label_hits(comment_text, vocab, "comments", "comments_only"))

    segments = _parse_transcript(transcript)
    for start_s, segment in segments:
        hits.extend(_label_hits(segment, vocab, "transcript", "video", time_s=start_s))

    duration = _number(duration_s)
    if duration is None or duration <= 0:
        duration = segments[-1][0] if segments else 0.0

    evidence, context = _evidence(
        vocab, hits, signals, cues, has_mention=has_mention, own_purchase=own_purchase
    )
    post_language = _post_language(language, " ".join((title_text, text)), bool(hits or evidence), vocab)
    medium = vocab.medium(_text(platform), _text(kind))
    video_known = medium.endswith("video") and (bool(segments) or bool(image_text))
    return PostFacts(
        hits=tuple(hits),
        evidence=tuple(evidence),
        sponsored=bool(evidence),
        language=post_language,
        medium=medium,
        video_known=video_known,
        duration_s=duration,
        posted_at=posted_at,
        context=tuple(context),
    )


# --------------------------------------------------------------------------------------------------
