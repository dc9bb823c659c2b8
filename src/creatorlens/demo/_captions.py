"""Captions, hashtags, titles and transcripts in English and Korean, with sponsorship disclosure.

Topic words come from ``vocabulary.toml`` (ordinary words per niche). A sponsored post gets one
disclosure style (see ``STYLES``); the style is the ground truth the disclosure checker of issue 3
is measured against.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from creatorlens.demo._creators import BoolArray, CreatorDraw, IntArray
from creatorlens.demo._data import PLATFORMS, Calibration, Vocabulary
from creatorlens.demo._growth import Growth
from creatorlens.demo._posts import KINDS, PostSkeleton

COMPLIANT_STYLES = ("clear_first_line", "first_hashtag", "paid_flag", "on_image_label")
NONCOMPLIANT_STYLES = (
    "none",
    "buried_hashtag",
    "after_more_cut",
    "english_label_on_korean",
    "vague_label",
)
STYLES = COMPLIANT_STYLES + NONCOMPLIANT_STYLES
TRANSCRIPT_STYLES = ("start_end_repeated", "start_only", "end_only", "none")

_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@([\w.]*\w)")


@dataclass
class PostText:
    caption: list[str]
    title: list[str | None]
    hashtags: list[str]
    mentions: list[str | None]
    on_image_text: list[str | None]
    transcript: list[str | None]
    is_paid: BoolArray
    sponsored: BoolArray
    style: list[str | None]
    brand: list[str | None]
    signal: list[str | None]
    transcript_disclosure: list[str | None]
    organic_mention: BoolArray
    language: list[str]


@dataclass(frozen=True)
class _FlatPosts:
    """What the text draws read of every post, flat in the posts table's order (creator by
    creator), with the niche names and the vocabulary the words come from."""

    korean: BoolArray  # the creator writes in Korean
    topic: IntArray  # niche index
    kind: IntArray  # index into KINDS
    platform: IntArray  # index into PLATFORMS
    niches: list[str]
    vocab: Vocabulary


@dataclass
class _Draft:
    """The parts of every caption while disclosure styles are written into them."""

    line1: list[str]
    body: list[list[str]]
    tags: list[list[str]]
    tail: list[list[str]]
    title: list[str | None]
    on_image: list[str | None]
    is_paid: BoolArray
    signal: list[str | None]


def _write_disclosure(
    d: _Draft,
    i: int,
    style: str | None,
    *,
    lang: str,
    fill: dict[str, str],
    mention: str,
    pick: Any,
    disclosure: Any,
    flag_too: bool,
    is_youtube: bool,
) -> None:
    """Write sponsored post ``i``'s disclosure in its planted style (see calibration.toml)."""
    if style == "clear_first_line":
        label = _pick(disclosure[f"clear_first_line_{lang}"], pick[2]).format(**fill)
        d.line1[i] = f"{label} {d.line1[i]}"
        d.body[i].insert(0, mention)
        if is_youtube:
            d.title[i] = f"{_pick(disclosure[f'youtube_title_{lang}'], pick[3])} {d.title[i]}"
        d.is_paid[i] = flag_too
    elif style == "first_hashtag":
        d.tags[i].insert(0, _pick(disclosure[f"first_hashtag_{lang}"], pick[2]))
        d.body[i].insert(0, mention)
        d.is_paid[i] = flag_too
    elif style == "paid_flag":
        d.body[i].insert(0, _pick(disclosure[f"paid_flag_{lang}"], pick[2]).format(**fill))
        d.is_paid[i] = True
    elif style == "on_image_label":
        d.on_image[i] = _pick(disclosure[f"on_image_{lang}"], pick[2])
        d.body[i].insert(0, mention)
    elif style == "none":
        kinds = disclosure["signals"][lang]
        sig = sorted(kinds)[pick[2] % len(kinds)]
        d.signal[i] = str(sig)
        d.body[i].insert(0, _pick(kinds[sig], pick[3]).format(**fill))
    elif style == "buried_hashtag":
        label = _pick(disclosure[f"buried_{lang}"], pick[2])
        d.tags[i] = [*d.tags[i][:7], label, *d.tags[i][7:]]
        d.body[i].insert(0, mention)
    elif style == "after_more_cut":
        d.body[i].insert(0, mention)
        d.tail[i] = [
            ".",
            ".",
            ".",
            _pick(disclosure[f"after_cut_{lang}"], pick[2]).format(**fill),
        ]
    elif style == "english_label_on_korean":
        label = _pick(disclosure["english_on_korean"], pick[2])
        if label.startswith("#"):
            d.tags[i].insert(0, label[1:])
        else:
            d.line1[i] = f"{label} {d.line1[i]}"
        d.body[i].insert(0, mention)
    elif style == "vague_label":
        label = _pick(disclosure[f"vague_{lang}"], pick[2]).format(**fill)
        if label.startswith("#"):
            d.tags[i].insert(0, label[1:])
            d.body[i].insert(0, mention)
        else:
            d.body[i].insert(0, label)


def draw_text(
    rng: np.random.Generator,
    creators: CreatorDraw,
    skeleton: PostSkeleton,
    growth: Growth,
    cal: Calibration,
    vocab: Vocabulary,
) -> PostText:
    n, per = int(skeleton.kind.shape[0]), int(skeleton.kind.shape[1])
    total = n * per
    posts = _FlatPosts(
        korean=np.repeat(creators.korean, per),
        topic=skeleton.topic.ravel(),
        kind=skeleton.kind.ravel(),
        platform=np.repeat(creators.platform, per),
        niches=cal.niches,
        vocab=vocab,
    )
    korean, topic, platform, niches = posts.korean, posts.topic, posts.platform, posts.niches

    sponsored, style = _assign_sponsorship(rng, creators, skeleton, growth, cal)
    line1, line2 = _sentences(rng, posts)
    buried = np.array([st == "buried_hashtag" for st in style])
    tags = _hashtags(rng, posts, buried)

    body: list[list[str]] = [[s] if s else [] for s in line2]
    tail: list[list[str]] = [[] for _ in range(total)]
    title: list[str | None] = [None] * total
    on_image: list[str | None] = [None] * total
    is_paid = np.zeros(total, dtype=bool)
    brand: list[str | None] = [None] * total
    signal: list[str | None] = [None] * total
    youtube = PLATFORMS.index("youtube")
    for i in np.flatnonzero(platform == youtube).tolist():
        title[i] = line1[i]

    disclosure = vocab.mapping("disclosure")
    brands = vocab.mapping("brands")
    handles = np.repeat(np.array(creators.handle, dtype=object), per)
    picks = rng.integers(0, 1 << 30, size=(total, 4))
    flag_too = rng.random(total) < 0.3
    draft = _Draft(line1, body, tags, tail, title, on_image, is_paid, signal)
    for i in np.flatnonzero(sponsored).tolist():
        lang = "ko" if korean[i] else "en"
        pool = brands[niches[topic[i]]]
        b = str(pool[picks[i, 0] % len(pool)])
        brand[i] = b
        fill = _filler(b, str(handles[i]))
        mention = _pick(disclosure[f"mention_{lang}"], picks[i, 1]).format(**fill)
        _write_disclosure(
            draft,
            i,
            style[i],
            lang=lang,
            fill=fill,
            mention=mention,
            pick=picks[i],
            disclosure=disclosure,
            flag_too=bool(flag_too[i]),
            is_youtube=bool(platform[i] == youtube),
        )
        if growth.promoted_post.get(i) is not None:
            is_paid[i] = True

    organic = ~sponsored & (
        rng.random(total) < float(cal.value("sponsorship", "organic_brand_mention_share"))
    )
    for i in np.flatnonzero(organic).tolist():
        lang = "ko" if korean[i] else "en"
        pool = brands[niches[topic[i]]]
        b = str(pool[picks[i, 0] % len(pool)])
        body[i].insert(0, _pick(disclosure[f"organic_mention_{lang}"], picks[i, 1]).format(brand=b))

    captions = []
    for i in range(total):
        parts = [line1[i], *body[i]]
        if tags[i]:
            parts.append("")
            parts.append(" ".join("#" + t for t in tags[i]))
        if tail[i]:
            parts.extend(tail[i])
        captions.append("\n".join(parts))
    hashtags = [" ".join(_HASHTAG.findall(c)) for c in captions]
    mentions = [" ".join(m) if (m := _MENTION.findall(c)) else None for c in captions]

    transcript, transcript_style = _transcripts(rng, skeleton, sponsored, brand, posts, cal)
    return PostText(
        caption=captions,
        title=title,
        hashtags=hashtags,
        mentions=mentions,
        on_image_text=on_image,
        transcript=transcript,
        is_paid=is_paid,
        sponsored=sponsored,
        style=style,
        brand=brand,
        signal=signal,
        transcript_disclosure=transcript_style,
        organic_mention=organic,
        language=["ko" if k else "en" for k in korean.tolist()],
    )


def _pick(options: Any, index: Any) -> str:
    return str(options[int(index) % len(options)])


def _filler(brand: str, handle: str) -> dict[str, str]:
    stem = re.split(r"[._]", brand)[0] or brand
    return {
        "brand": brand,
        "brandsite": f"{stem}.shop",
        "handle": handle.lower(),
        "code": re.sub(r"[^A-Za-z]", "", handle)[:5].upper() + "15",
    }


def _assign_sponsorship(
    rng: np.random.Generator,
    creators: CreatorDraw,
    skeleton: PostSkeleton,
    growth: Growth,
    cal: Calibration,
) -> tuple[BoolArray, list[str | None]]:
    n, per = int(skeleton.kind.shape[0]), int(skeleton.kind.shape[1])
    spon = cal.section("sponsorship")
    share = cal.per_tier("sponsorship", "post_share")[creators.tier]
    sponsored = (rng.random((n, per)) < share[:, None]).ravel()
    a, b = spon["creator_compliance_beta"]
    propensity = np.repeat(rng.beta(float(a), float(b), n), per)
    compliant = rng.random(n * per) < propensity
    good = spon["compliant_styles"]
    bad = spon["noncompliant_styles"]
    good_p = np.array([float(good[s]) for s in COMPLIANT_STYLES])
    bad_p = np.array([float(bad[s]) for s in NONCOMPLIANT_STYLES])
    good_pick = rng.choice(len(COMPLIANT_STYLES), size=n * per, p=good_p / good_p.sum())
    bad_pick = rng.choice(len(NONCOMPLIANT_STYLES), size=n * per, p=bad_p / bad_p.sum())

    kind = skeleton.kind.ravel()
    korean = np.repeat(creators.korean, per)
    feed_image = (kind == KINDS.index("photo")) | (kind == KINDS.index("carousel"))
    style: list[str | None] = [None] * (n * per)
    for i in np.flatnonzero(sponsored).tolist():
        st = COMPLIANT_STYLES[good_pick[i]] if compliant[i] else NONCOMPLIANT_STYLES[bad_pick[i]]
        if st == "on_image_label" and not feed_image[i]:
            st = "clear_first_line"
        if st == "english_label_on_korean" and not korean[i]:
            st = "vague_label"
        style[i] = st
    for post in growth.promoted_post:
        sponsored[post] = True
        style[post] = "paid_flag"
    return sponsored, style


def _sentences(rng: np.random.Generator, posts: _FlatPosts) -> tuple[list[str], list[str]]:
    vocab = posts.vocab
    total = len(posts.topic)
    words = {
        lang: np.array([vocab.niche(x)[lang] for x in posts.niches], dtype=object)
        for lang in ("en", "ko")
    }
    width = words["en"].shape[1]
    # Three distinct topic words per post: a random start and two distinct offsets.
    start = rng.integers(0, width, total)
    step1 = rng.integers(1, width, total)
    step2 = (step1 + rng.integers(1, width - 1, total)) % width
    step2 = np.where(step2 == 0, 1 + (step1 % (width - 1)), step2)
    idx_a, idx_b, idx_c = start, (start + step1) % width, (start + step2) % width
    templates = {lang: vocab.words("templates", lang) for lang in ("en", "ko")}
    seconds = {lang: vocab.words("templates", f"second_line_{lang}") for lang in ("en", "ko")}
    t_pick = rng.integers(0, 1 << 30, total)
    s_pick = rng.integers(0, 1 << 30, total)
    has_second = rng.random(total) < 0.6
    line1, line2 = [], []
    rows = zip(
        posts.korean.tolist(),
        posts.topic.tolist(),
        idx_a.tolist(),
        idx_b.tolist(),
        idx_c.tolist(),
        t_pick.tolist(),
        s_pick.tolist(),
        has_second.tolist(),
        strict=True,
    )
    for is_ko, t, a, b, c, tp, sp, second in rows:
        lang = "ko" if is_ko else "en"
        row = words[lang][t]
        tmpl = templates[lang][tp % len(templates[lang])]
        line1.append(tmpl.format(a=row[a], b=row[b], c=row[c]))
        line2.append(seconds[lang][sp % len(seconds[lang])] if second else "")
    return line1, line2


def _hashtags(rng: np.random.Generator, posts: _FlatPosts, long_block: BoolArray) -> list[list[str]]:
    """3-9 distinct niche hashtags per post (mostly in the caption's language), plus a feed tag."""
    vocab, niches, topic = posts.vocab, posts.niches, posts.topic
    total = len(topic)
    own = {
        lang: np.array([vocab.niche(x)[f"tags_{lang}"] for x in niches], dtype=object)
        for lang in ("en", "ko")
    }
    generic = np.array([vocab.words("templates", "generic_tags_en")] * len(niches), dtype=object)
    pool_ko = np.concatenate([own["ko"], own["en"]], axis=1)
    pool_en = np.concatenate([own["en"], generic], axis=1)
    width = own["en"].shape[1]
    # Weighted sampling without replacement (Efraimidis-Spirakis): key = U^(1/w).
    weights = np.concatenate([np.full(width, 1.0), np.full(width, 0.15)])
    keys = rng.random((total, 2 * width)) ** (1.0 / weights)
    order = np.argsort(-keys, axis=1)
    count = rng.integers(3, 10, total)
    count = np.where(rng.random(total) < 0.25, 9, count)  # long hashtag blocks are common
    count = np.where(long_block, 9, count)  # a label buried as 8th tag needs 7 before it
    feed_tag = np.select(
        [
            posts.platform == PLATFORMS.index("tiktok"),
            posts.kind == KINDS.index("short"),
            posts.kind == KINDS.index("reel"),
        ],
        ["fyp", "shorts", "reels"],
        default="",
    )
    add_feed = rng.random(total) < 0.5
    chosen_ko = np.take_along_axis(pool_ko[topic], order[:, :9], axis=1).tolist()
    chosen_en = np.take_along_axis(pool_en[topic], order[:, :9], axis=1).tolist()
    out: list[list[str]] = []
    rows = zip(
        count.tolist(),
        chosen_ko,
        chosen_en,
        posts.korean.tolist(),
        add_feed.tolist(),
        feed_tag.tolist(),
        strict=True,
    )
    for k, ko_row, en_row, is_ko, add, feed in rows:
        chosen = (ko_row if is_ko else en_row)[:k]
        if add and feed and feed not in chosen:
            chosen.append(feed)
        out.append(chosen)
    return out


def _transcripts(
    rng: np.random.Generator,
    skeleton: PostSkeleton,
    sponsored: BoolArray,
    brand: list[str | None],
    posts: _FlatPosts,
    cal: Calibration,
) -> tuple[list[str | None], list[str | None]]:
    vocab = posts.vocab
    total = len(posts.topic)
    long_video = (posts.platform == PLATFORMS.index("youtube")) & (posts.kind == KINDS.index("video"))
    share = float(cal.value("content", "youtube_transcript_share"))
    chance = np.where(sponsored, max(share, 0.4), share)
    chosen = long_video & (rng.random(total) < chance)
    disclosure = vocab.mapping("disclosure")
    styles = rng.choice(len(TRANSCRIPT_STYLES), size=total, p=[0.35, 0.3, 0.1, 0.25])
    transcript: list[str | None] = [None] * total
    transcript_style: list[str | None] = [None] * total
    duration = skeleton.duration_s
    for i in np.flatnonzero(chosen).tolist():
        lang = "ko" if posts.korean[i] else "en"
        words = vocab.niche(posts.niches[posts.topic[i]])[lang]
        a, b, c = rng.choice(len(words), size=3, replace=False).tolist()
        lines = [
            ln.format(a=words[a], b=words[b], c=words[c])
            for ln in disclosure[f"transcript_lines_{lang}"]
        ]
        length = float(duration[i])
        step = length / len(lines)
        segments: list[tuple[float, str]] = [(round(k * step, 1), ln) for k, ln in enumerate(lines)]
        if sponsored[i]:
            st = TRANSCRIPT_STYLES[styles[i]]
            transcript_style[i] = st
            label = disclosure[f"transcript_label_{lang}"].format(brand=brand[i])
            if st in ("start_end_repeated", "start_only"):
                segments.append((0.0, label))
            if st == "start_end_repeated":
                segments.extend((float(t), label) for t in range(300, int(length) - 30, 300))
            if st in ("start_end_repeated", "end_only"):
                segments.append((round(max(length - 10.0, 1.0), 1), label))
        segments.sort(key=lambda seg: seg[0])
        transcript[i] = json.dumps([[t, s] for t, s in segments], ensure_ascii=False)
    return transcript, transcript_style
