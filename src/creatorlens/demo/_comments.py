"""Comments on a sample of posts: regulars and one-off viewers, creator replies, engagement pods.

Pod members (same platform, 6-12 creators) comment on each other's posts first, always in the
same order and with the same short text, which is the pattern Tagger-style checks look for
(authenticity.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from creatorlens.demo._creators import CreatorDraw, IntArray
from creatorlens.demo._data import Calibration, Vocabulary
from creatorlens.demo._growth import Growth
from creatorlens.demo._posts import PostSkeleton

_MINUTE_US = 60_000_000


@dataclass
class CommentRows:
    comment_id: list[str]
    post_id: list[str]
    author: list[str]
    text: list[str]
    created_us: list[int]
    reply_to: list[str | None]
    pod_id: IntArray  # per creator, -1 = not in a pod


def draw_comments(
    rng: np.random.Generator,
    creators: CreatorDraw,
    skeleton: PostSkeleton,
    post_ids: list[str],
    growth: Growth,
    cal: Calibration,
    vocab: Vocabulary,
    fans: Callable[[int], str] | None = None,
) -> CommentRows:
    """``fans(creator)`` names a commenter of that creator (the planted communities' fans);
    without it commenters come from one shared pool of accounts."""
    n, per = int(skeleton.kind.shape[0]), int(skeleton.kind.shape[1])
    conf = cal.section("comments")
    niches = cal.niches
    pod_id = _pods(rng, creators, growth, cal)
    members: dict[int, list[int]] = {}
    for c in np.flatnonzero(pod_id >= 0).tolist():
        members.setdefault(int(pod_id[c]), []).append(c)

    chosen = (rng.random(n) < float(conf["creator_share"])) | (pod_id >= 0)
    latest = min(int(conf["posts_per_creator"]), per)
    lo, hi = (int(v) for v in conf["per_post"])
    reply_share = cal.per_tier("comments", "reply_share")
    regular_share = cal.per_tier("comments", "regulars_share")
    people = vocab.mapping("people")
    first_names = [
        str(x)
        for key in ("first_en", "first_ko_roman", "first_jp", "first_br")
        for x in people[key]
    ]
    texts = vocab.mapping("comments")

    out = CommentRows([], [], [], [], [], [], pod_id)

    # A shared pool of commenter accounts, drawn at once (a per-comment draw is slow).
    pool_size = 50_000
    name_pick = rng.integers(0, len(first_names), pool_size).tolist()
    sep_pick = rng.integers(0, 3, pool_size).tolist()
    num_pick = rng.integers(1, 9999, pool_size).tolist()
    shared_pool = [
        f"{first_names[a]}{('', '.', '_')[b]}{c}"
        for a, b, c in zip(name_pick, sep_pick, num_pick, strict=True)
    ]

    def fan_handle(creator: int) -> str:
        # The shared pool's draw is made either way, so this stream's later draws (texts, times,
        # replies) are the same with and without planted communities.
        pooled = shared_pool[int(rng.integers(pool_size))]
        return fans(creator) if fans is not None else pooled

    def add(post: int, k: int, author: str, text: str, when: int, reply_to: str | None) -> str:
        cid = f"{post_ids[post]}:c{k:03d}"
        out.comment_id.append(cid)
        out.post_id.append(post_ids[post])
        out.author.append(author)
        out.text.append(text)
        out.created_us.append(when)
        out.reply_to.append(reply_to)
        return cid

    for c in np.flatnonzero(chosen).tolist():
        lang = "ko" if creators.korean[c] else "en"
        regulars = [fan_handle(c) for _ in range(10)]
        tier = int(creators.tier[c])
        handle = creators.handle[c]
        pod = members.get(int(pod_id[c]), [])
        for j in range(per - latest, per):
            post = c * per + j
            posted = int(skeleton.posted_us[c, j])
            words = vocab.niche(niches[int(skeleton.topic[c, j])])[lang]
            k = 0
            for rank, member in enumerate(pod):
                if member == c:
                    continue
                pod_text = texts[f"pod_{lang}"][rank % len(texts[f"pod_{lang}"])]
                add(
                    post,
                    k,
                    creators.handle[member],
                    pod_text,
                    posted + (rank + 1) * _MINUTE_US,
                    None,
                )
                k += 1
            count = int(rng.integers(2, 6)) if pod else int(rng.integers(lo, hi + 1))
            delays = np.sort(rng.exponential(6 * 60 * _MINUTE_US, count)).astype(np.int64)
            for d in delays.tolist():
                author = (
                    regulars[int(rng.integers(len(regulars)))]
                    if rng.random() < regular_share[tier]
                    else fan_handle(c)
                )
                if rng.random() < 0.4:
                    pool = texts[f"question_{lang}"]
                    text = str(pool[int(rng.integers(len(pool)))]).format(
                        a=words[int(rng.integers(len(words)))],
                        b=words[int(rng.integers(len(words)))],
                    )
                else:
                    pool = texts[f"generic_{lang}"]
                    text = str(pool[int(rng.integers(len(pool)))])
                when = posted + 5 * _MINUTE_US + d
                parent = add(post, k, author, text, when, None)
                k += 1
                if rng.random() < reply_share[tier]:
                    replies = texts[f"reply_{lang}"]
                    answer = str(replies[int(rng.integers(len(replies)))])
                    later = when + int(rng.exponential(120 * _MINUTE_US)) + _MINUTE_US
                    add(post, k, handle, answer, later, parent)
                    k += 1
    return out


def _pods(
    rng: np.random.Generator, creators: CreatorDraw, growth: Growth, cal: Calibration
) -> IntArray:
    pod_id = np.full(creators.n, -1, dtype=np.int64)
    lo, hi = (int(v) for v in cal.value("comments", "pod_size"))
    next_id = 0
    for p_idx in np.unique(creators.platform).tolist():
        group = rng.permutation(np.flatnonzero(growth.pod & (creators.platform == p_idx)))
        first_id, start = next_id, 0
        while start < len(group):
            size = int(rng.integers(lo, hi + 1))
            chunk = group[start : start + size]
            if len(chunk) < 2 and next_id > first_id:
                pod_id[chunk] = next_id - 1  # a lone leftover joins the previous pod
            else:
                pod_id[chunk] = next_id
                next_id += 1
            start += size
    return pod_id
