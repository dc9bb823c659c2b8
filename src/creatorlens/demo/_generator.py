"""The deterministic demo workspace: synthetic creators, posts, histories, audiences, comments.

``generate_demo(seed)`` is pure (no I/O): it returns Arrow tables that conform to the store's
TableSpecs, plus ground-truth tables that say what was injected (niches, tiers, bought spikes,
viral bursts, pods, sponsorship and disclosure styles) so that later capabilities can be tested
against the truth. Every step draws from its own child of ``SeedSequence(seed)``, so one step's
change does not reshuffle the others.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from creatorlens.demo._audience import draw_audience
from creatorlens.demo._captions import COMPLIANT_STYLES, draw_text
from creatorlens.demo._comments import draw_comments
from creatorlens.demo._communities import Communities, FanPicker, draw_communities
from creatorlens.demo._creators import CreatorDraw, draw_creators
from creatorlens.demo._data import PLATFORMS, TIERS, Calibration, load_calibration, load_vocabulary
from creatorlens.demo._followers import draw_follower_samples
from creatorlens.demo._growth import draw_growth
from creatorlens.demo._posts import KINDS, draw_counts, draw_skeleton
from creatorlens.errors import OptionError
from creatorlens.store import (
    AUDIENCE,
    COMMENTS,
    CREATORS,
    EDGES,
    FOLLOWER_SAMPLES,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    TableSpec,
    conform,
)

__all__ = [
    "DEMO_TRUTH_COMMUNITIES",
    "DEMO_TRUTH_CREATORS",
    "DEMO_TRUTH_EVENTS",
    "DEMO_TRUTH_FOLLOWERS",
    "DEMO_TRUTH_POSTS",
    "DemoData",
    "generate_demo",
]

DEMO_TRUTH_CREATORS = TableSpec(
    "demo_truth_creators",
    {
        "creator_id": "string",
        "platform": "string",
        "handle": "string",
        "tier": "string",
        "niche": "string",
        "secondary_niche": "string",
        "niche_share": "float64",
        "country": "string",
        "language": "string",
        "followers": "int64",
        "real_followers": "int64",
        "fake_share": "float64",
        "fraud_affected": "bool",
        "has_bought_spike": "bool",
        "has_purge": "bool",
        "has_viral_burst": "bool",
        "is_promoted": "bool",
        "is_pod": "bool",
        "pod_id": "int64",
        "has_audience": "bool",
        "has_follower_sample": "bool",
        "er_level": "float64",
        "er_formula": "string",
        "growth_weekly": "float64",
        "posts": "int64",
        "sponsored_posts": "int64",
        "compliant_posts": "int64",
    },
    primary_key=("creator_id",),
    doc="Demo ground truth per creator: what the generator injected.",
    column_docs={
        "niche_share": "intended share of posts on the main niche (realised share varies)",
        "real_followers": "followers that are people who engage (bought followers excluded)",
        "fake_share": "share of followers that never engage: base fraud plus bought followers",
        "er_level": "the creator's engagement-rate level its posts vary around (see er_formula)",
        "growth_weekly": "organic drift of followers, log growth per week (before noise, season, events)",
        "compliant_posts": "sponsored posts whose disclosure style is a compliant one",
    },
)

DEMO_TRUTH_EVENTS = TableSpec(
    "demo_truth_events",
    {
        "creator_id": "string",
        "observed_at": "timestamp",
        "kind": "string",
        "size": "int64",
        "size_pct": "float64",
        "post_id": "string",
    },
    primary_key=("creator_id", "observed_at", "kind"),
    doc="Demo ground truth: follower events injected into follower_snapshots.",
    column_docs={
        "observed_at": "the first snapshot that shows the event",
        "kind": "bought | purge | viral | promoted",
        "size": "followers added beyond that week's organic change (negative for a purge)",
        "size_pct": "size relative to the previous snapshot's followers",
        "post_id": "the post that went viral or was promoted",
    },
)

DEMO_TRUTH_POSTS = TableSpec(
    "demo_truth_posts",
    {
        "post_id": "string",
        "creator_id": "string",
        "topic": "string",
        "language": "string",
        "sponsored": "bool",
        "disclosure_style": "string",
        "compliant": "bool",
        "brand": "string",
        "signal": "string",
        "transcript_disclosure": "string",
        "organic_brand_mention": "bool",
        "viral": "bool",
        "promoted": "bool",
    },
    primary_key=("post_id",),
    doc="Demo ground truth per post: topic, sponsorship and how it was disclosed.",
    column_docs={
        "disclosure_style": (
            "null when not sponsored; clear_first_line | first_hashtag | paid_flag | "
            "on_image_label (compliant) or none | buried_hashtag | after_more_cut | "
            "english_label_on_korean | vague_label"
        ),
        "compliant": "the style is one the rules accept everywhere (label early and clear)",
        "signal": "for undisclosed ads: gift | code | affiliate | review_group",
        "transcript_disclosure": "start_end_repeated | start_only | end_only | none",
    },
)

DEMO_TRUTH_FOLLOWERS = TableSpec(
    "demo_truth_followers",
    {
        "creator_id": "string",
        "handle": "string",
        "is_fake": "bool",
        "kind": "string",
    },
    primary_key=("creator_id", "handle"),
    doc="Demo ground truth per sampled follower (follower_samples): fake or real, and its kind.",
    column_docs={
        "kind": "active | mass | inactive (real) or bot | sophisticated (fake); docs/demo-data.md",
    },
)

DEMO_TRUTH_COMMUNITIES = TableSpec(
    "demo_truth_communities",
    {
        "creator_id": "string",
        "community": "string",
        "group": "string",
        "community_creators": "int64",
        "community_fans": "int64",
        "is_leader": "bool",
    },
    primary_key=("creator_id",),
    doc="Demo ground truth per creator: its planted community (follow edges in `edges`).",
    column_docs={
        "community": "planted community id (p1, p2, ...); compare partitions, not labels",
        "group": "platform/country/niche the community was cut from",
        "community_creators": "creators in the planted community",
        "community_fans": "fan accounts planted for the community (they follow and comment)",
        "is_leader": "the community's planted leader: its members and fans follow it most",
    },
)

_ER_FORMULA = {
    "instagram": "(likes + comments) / followers",
    "tiktok": "(likes + comments + shares) / views",
    "youtube": "(likes + comments) / views",
}


@dataclass(frozen=True)
class DemoData:
    """The generated workspace: six source tables and four ground-truth tables."""

    seed: int
    as_of: datetime
    creators: pa.Table
    posts: pa.Table
    follower_snapshots: pa.Table
    audience: pa.Table
    comments: pa.Table
    truth_creators: pa.Table
    truth_events: pa.Table
    truth_posts: pa.Table
    follower_samples: pa.Table
    truth_followers: pa.Table
    edges: pa.Table
    truth_communities: pa.Table

    def source_items(self) -> tuple[tuple[TableSpec, pa.Table], ...]:
        """Each source table with its store spec, in the order ``write_demo`` writes them."""
        return (
            (CREATORS, self.creators),
            (POSTS, self.posts),
            (FOLLOWER_SNAPSHOTS, self.follower_snapshots),
            (AUDIENCE, self.audience),
            (COMMENTS, self.comments),
            (FOLLOWER_SAMPLES, self.follower_samples),
            (EDGES, self.edges),
        )

    def source_tables(self) -> dict[str, pa.Table]:
        return {spec.name: table for spec, table in self.source_items()}

    def truth_tables(self) -> dict[str, pa.Table]:
        return {
            DEMO_TRUTH_CREATORS.name: self.truth_creators,
            DEMO_TRUTH_EVENTS.name: self.truth_events,
            DEMO_TRUTH_POSTS.name: self.truth_posts,
            DEMO_TRUTH_FOLLOWERS.name: self.truth_followers,
            DEMO_TRUTH_COMMUNITIES.name: self.truth_communities,
        }


def generate_demo(
    seed: int = 7,
    creators: int = 20_000,
    posts_per_creator: int = 30,
    *,
    calibration: Calibration | None = None,
) -> DemoData:
    """Build the synthetic workspace; the same arguments always give identical tables."""
    with _collector_paused():
        return _generate(seed, creators, posts_per_creator, calibration)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Millions of short-lived lists trigger needless full GC passes; nothing here is cyclic."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _generate(
    seed: int, creators: int, posts_per_creator: int, calibration: Calibration | None
) -> DemoData:
    if creators < 1:
        raise OptionError("creators must be at least 1")
    if posts_per_creator < 1:
        raise OptionError("posts_per_creator must be at least 1")
    cal = calibration or load_calibration()
    vocab = load_vocabulary()
    as_of = cal.as_of
    as_of_us = int(np.datetime64(as_of, "us").astype(np.int64))
    # Children 0-7 are the same whatever the count, so adding a stream changes no earlier step.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(10)]
    source_file = f"demo:seed={seed}"

    people = draw_creators(streams[0], creators, cal, vocab)
    skeleton = draw_skeleton(streams[1], people, posts_per_creator, as_of_us, cal)
    growth = draw_growth(streams[2], people, skeleton.posted_us, as_of_us, cal)
    counts = draw_counts(streams[3], people, skeleton, growth, cal)
    text = draw_text(streams[4], people, skeleton, growth, cal, vocab)
    audience = draw_audience(streams[5], people, cal, vocab)
    planted = draw_communities(streams[8], people, cal, vocab)

    n, per = creators, posts_per_creator
    creator_ids = people.creator_ids
    platform_names = [PLATFORMS[p] for p in people.platform.tolist()]
    flat_platform = np.repeat(np.array(platform_names, dtype=object), per)
    post_ids = [
        f"{p}:{q}" for p, q in zip(flat_platform.tolist(), skeleton.platform_post_id, strict=True)
    ]
    fans = FanPicker(streams[9], planted, planted.community)
    comments = draw_comments(streams[6], people, skeleton, post_ids, growth, cal, vocab, fans)
    samples = draw_follower_samples(streams[7], people, counts.fake_share, as_of_us, cal, vocab)

    as_of_col = pa.array(np.full(n, as_of_us).astype("datetime64[us]"))
    creators_table = conform(
        pa.table(
            {
                "creator_id": creator_ids,
                "platform": platform_names,
                "handle": people.handle,
                "platform_id": people.platform_id,
                "display_name": people.display_name,
                "bio": people.bio,
                "followers": people.followers,
                "following": growth.following[:, -1],
                "posts_count": growth.posts_count[:, -1],
                "verified": people.verified,
                "country": people.country,
                "language": ["ko" if k else "en" for k in people.korean.tolist()],
                "categories": people.categories,
                "observed_at": as_of_col,
                "source_file": [source_file] * n,
            }
        ),
        CREATORS,
    )

    total = n * per
    posts_table = conform(
        pa.table(
            {
                "post_id": post_ids,
                "creator_id": np.repeat(np.array(creator_ids, dtype=object), per).tolist(),
                "platform": flat_platform.tolist(),
                "platform_post_id": skeleton.platform_post_id,
                "posted_at": pa.array(skeleton.posted_us.ravel().astype("datetime64[us]")),
                "kind": np.array(KINDS, dtype=object)[skeleton.kind.ravel()].tolist(),
                "title": text.title,
                "caption": text.caption,
                "hashtags": text.hashtags,
                "mentions": text.mentions,
                "duration_s": _nullable(skeleton.duration_s, pa.float64()),
                "views": _nullable(counts.views, pa.int64()),
                "likes": _nullable(counts.likes, pa.int64()),
                "comments": _nullable(counts.comments, pa.int64()),
                "shares": _nullable(counts.shares, pa.int64()),
                "saves": _nullable(counts.saves, pa.int64()),
                "reach": _nullable(counts.reach, pa.int64()),
                "likes_total": _nullable(counts.likes_total, pa.int64()),
                "comments_total": _nullable(counts.comments_total, pa.int64()),
                "is_paid": text.is_paid,
                "transcript": text.transcript,
                "on_image_text": text.on_image_text,
                "observed_at": pa.array(np.full(total, as_of_us).astype("datetime64[us]")),
                "source_file": [source_file] * total,
            }
        ),
        POSTS,
    )

    weeks = len(growth.weeks_us)
    snapshots_table = conform(
        pa.table(
            {
                "creator_id": np.repeat(np.array(creator_ids, dtype=object), weeks).tolist(),
                "observed_at": pa.array(np.tile(growth.weeks_us, n).astype("datetime64[us]")),
                "followers": growth.followers.ravel(),
                "following": growth.following.ravel(),
                "posts_count": growth.posts_count.ravel(),
                "source_file": [source_file] * (n * weeks),
            }
        ),
        FOLLOWER_SNAPSHOTS,
    )

    ids = np.array(creator_ids, dtype=object)
    audience_table = conform(
        pa.table(
            {
                "creator_id": ids[audience.creator].tolist(),
                "dimension": audience.dimension,
                "bucket": audience.bucket,
                "share": audience.share,
                "source": ["demo"] * len(audience.dimension),
                "observed_at": pa.array(
                    np.full(len(audience.dimension), as_of_us).astype("datetime64[us]")
                ),
            }
        ),
        AUDIENCE,
    )

    comments_table = conform(
        pa.table(
            {
                "comment_id": comments.comment_id,
                "post_id": comments.post_id,
                "author": comments.author,
                "text": comments.text,
                "created_at": pa.array(
                    np.minimum(np.array(comments.created_us, dtype=np.int64), as_of_us).astype(
                        "datetime64[us]"
                    )
                ),
                "reply_to": comments.reply_to,
                "source_file": [source_file] * len(comments.comment_id),
            }
        ),
        COMMENTS,
    )

    sponsored_by_creator = text.sponsored.reshape(n, per).sum(axis=1)
    compliant_post = np.array([s in COMPLIANT_STYLES for s in text.style])
    compliant_by_creator = compliant_post.reshape(n, per).sum(axis=1)
    pod_sizes = (
        np.bincount(comments.pod_id[comments.pod_id >= 0])
        if (comments.pod_id >= 0).any()
        else np.zeros(0)
    )
    is_pod = (comments.pod_id >= 0) & (
        pod_sizes[np.maximum(comments.pod_id, 0)] >= 2 if len(pod_sizes) else False
    )
    niches = cal.niches
    truth_creators = conform(
        pa.table(
            {
                "creator_id": creator_ids,
                "platform": platform_names,
                "handle": people.handle,
                "tier": [TIERS[t] for t in people.tier.tolist()],
                "niche": [niches[x] for x in people.niche.tolist()],
                "secondary_niche": [niches[x] for x in people.secondary.tolist()],
                "niche_share": people.focus,
                "country": people.country,
                "language": ["ko" if k else "en" for k in people.korean.tolist()],
                "followers": people.followers,
                "real_followers": np.round(growth.real_followers).astype(np.int64),
                "fake_share": counts.fake_share,
                "fraud_affected": counts.fraud_affected,
                "has_bought_spike": growth.bought,
                "has_purge": growth.purged,
                "has_viral_burst": growth.viral,
                "is_promoted": growth.promoted,
                "is_pod": is_pod,
                "pod_id": pa.array(comments.pod_id, mask=~is_pod),
                "has_audience": audience.has_audience,
                "has_follower_sample": samples.has_sample,
                "er_level": counts.er_level,
                "er_formula": [_ER_FORMULA[p] for p in platform_names],
                "growth_weekly": growth.organic_rate,
                "posts": np.full(n, per, dtype=np.int64),
                "sponsored_posts": sponsored_by_creator.astype(np.int64),
                "compliant_posts": compliant_by_creator.astype(np.int64),
            }
        ),
        DEMO_TRUTH_CREATORS,
    )

    events = sorted(growth.events, key=lambda e: (e.creator, e.week, e.kind))
    truth_events = conform(
        pa.table(
            {
                "creator_id": [creator_ids[e.creator] for e in events],
                "observed_at": pa.array(
                    np.array([growth.weeks_us[e.week] for e in events], dtype=np.int64).astype(
                        "datetime64[us]"
                    )
                ),
                "kind": [e.kind for e in events],
                "size": pa.array([e.size for e in events], type=pa.int64()),
                "size_pct": pa.array([e.size_pct for e in events], type=pa.float64()),
                "post_id": [post_ids[e.post] if e.post is not None else None for e in events],
            }
        ),
        DEMO_TRUTH_EVENTS,
    )

    promoted_posts = np.zeros(total, dtype=bool)
    promoted_posts[list(growth.promoted_post)] = True
    truth_posts = conform(
        pa.table(
            {
                "post_id": post_ids,
                "creator_id": np.repeat(np.array(creator_ids, dtype=object), per).tolist(),
                "topic": np.array(niches, dtype=object)[skeleton.topic.ravel()].tolist(),
                "language": text.language,
                "sponsored": text.sponsored,
                "disclosure_style": text.style,
                "compliant": pa.array(compliant_post, mask=~text.sponsored),
                "brand": text.brand,
                "signal": text.signal,
                "transcript_disclosure": text.transcript_disclosure,
                "organic_brand_mention": text.organic_mention,
                "viral": growth.view_multiplier.ravel() > 1.0,
                "promoted": promoted_posts,
            }
        ),
        DEMO_TRUTH_POSTS,
    )

    sample_owner = np.array(creator_ids, dtype=object)[samples.creator].tolist()
    n_sampled = len(samples.handle)
    follower_samples_table = conform(
        pa.table(
            {
                "creator_id": sample_owner,
                "handle": samples.handle,
                "display_name": samples.display_name,
                "followers": samples.followers,
                "following": samples.following,
                "posts_count": samples.posts_count,
                "has_profile_pic": samples.has_profile_pic,
                "is_private": samples.is_private,
                "has_external_url": samples.has_external_url,
                "bio": samples.bio,
                "last_post_at": pa.array(
                    samples.last_post_us.astype("datetime64[us]"), mask=samples.last_post_us < 0
                ),
                "observed_at": pa.array(np.full(n_sampled, as_of_us).astype("datetime64[us]")),
                "source_file": [source_file] * n_sampled,
            }
        ),
        FOLLOWER_SAMPLES,
    )
    truth_followers = conform(
        pa.table(
            {
                "creator_id": sample_owner,
                "handle": samples.handle,
                "is_fake": samples.is_fake,
                "kind": samples.kind,
            }
        ),
        DEMO_TRUTH_FOLLOWERS,
    )

    edges_table, truth_communities = _community_tables(people, planted, source_file)

    return DemoData(
        seed=seed,
        as_of=as_of,
        creators=creators_table,
        posts=posts_table,
        follower_snapshots=snapshots_table,
        audience=audience_table,
        comments=comments_table,
        truth_creators=truth_creators,
        truth_events=truth_events,
        truth_posts=truth_posts,
        follower_samples=follower_samples_table,
        truth_followers=truth_followers,
        edges=edges_table,
        truth_communities=truth_communities,
    )


def _community_tables(
    people: CreatorDraw, planted: Communities, source_file: str
) -> tuple[pa.Table, pa.Table]:
    """The follow edges as an edges file would give them, and each creator's planted community."""
    handles = np.array(list(people.handle) + planted.fan_handle, dtype=object)
    node_platform = np.concatenate([people.platform, planted.platform[planted.fan_community]])
    names = np.array(PLATFORMS, dtype=object)
    source, target = planted.source, planted.target
    src, dst = handles[source], handles[target]
    plat = names[node_platform[target]]
    m = len(source)
    edges = conform(
        pa.table(
            {
                "platform": plat.tolist(),
                "source": src.tolist(),
                "target": dst.tolist(),
                "source_id": [f"{p}:{h.lower()}" for p, h in zip(plat.tolist(), src.tolist(), strict=True)],
                "target_id": [f"{p}:{h.lower()}" for p, h in zip(plat.tolist(), dst.tolist(), strict=True)],
                "kind": ["follow"] * m,
                "weight": np.ones(m),
                "time": pa.nulls(m, pa.timestamp("us")),
                "ingest_id": pa.nulls(m, pa.string()),
                "source_file": [source_file] * m,
                "row": np.arange(1, m + 1, dtype=np.int64),
                "extra": pa.nulls(m, pa.string()),
            }
        ),
        EDGES,
    )
    sizes, fans = planted.sizes, planted.fan_counts
    c = planted.community
    truth = conform(
        pa.table(
            {
                "creator_id": people.creator_ids,
                "community": [f"p{k + 1}" for k in c.tolist()],
                "group": [planted.group[k] for k in c.tolist()],
                "community_creators": sizes[c],
                "community_fans": fans[c],
                "is_leader": planted.is_leader,
            }
        ),
        DEMO_TRUTH_COMMUNITIES,
    )
    return edges, truth


def _nullable(values: npt.NDArray[np.float64], kind: pa.DataType) -> pa.Array:
    """NaN means 'not given' and becomes null."""
    missing = np.isnan(values)
    return pa.array(np.where(missing, 0.0, values), mask=missing).cast(kind)
