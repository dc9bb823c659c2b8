"""Post skeletons (time, kind, topic, ids) and their counts (views, likes, comments ...).

Engagement is drawn so that, per platform and tier, the median over creators of each creator's
median per-post engagement rate equals the calibration target (``[engagement]``); see
docs/demo-data.md. Fake and bought followers neither view nor like, so a creator's audience that
engages is ``followers x (1 - fake share)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatorlens.demo._creators import _BASE64, BoolArray, CreatorDraw, FloatArray, IntArray
from creatorlens.demo._data import PLATFORMS, TIERS, Calibration
from creatorlens.demo._growth import DAY_US, Growth

KINDS = ("photo", "carousel", "reel", "video", "short")
_VIDEO_KINDS = np.array([False, False, True, True, True])


@dataclass
class PostSkeleton:
    posted_us: npt.NDArray[np.int64]  # (creators, per) microseconds since epoch, ascending per row
    kind: IntArray  # (creators, per) index into KINDS
    topic: IntArray  # (creators, per) niche index
    platform_post_id: list[str]  # flat, row-major
    duration_s: FloatArray  # flat, NaN where not a video


@dataclass
class PostCounts:
    views: FloatArray  # flat; NaN = not given
    likes: FloatArray
    comments: FloatArray
    shares: FloatArray
    saves: FloatArray
    reach: FloatArray
    likes_total: FloatArray
    comments_total: FloatArray
    fake_share: FloatArray  # per creator
    fraud_affected: BoolArray  # per creator
    er_level: FloatArray  # per creator: the level its posts vary around


def draw_skeleton(
    rng: np.random.Generator, creators: CreatorDraw, per: int, as_of_us: int, cal: Calibration
) -> PostSkeleton:
    n = creators.n
    content = cal.section("content")
    span_days = rng.uniform(content["posts_span_days_low"], content["posts_span_days_high"], n)
    newest_gap_days = rng.uniform(1.0, 3.0, n)  # comments of the newest post fit before as_of
    spread = np.sort(rng.random((n, per)), axis=1)
    offset_days = newest_gap_days[:, None] + span_days[:, None] * (1.0 - spread)
    posted_us = as_of_us - np.round(offset_days * DAY_US).astype(np.int64)

    kind = np.empty((n, per), dtype=np.int64)
    kinds = cal.section("content", "kinds")
    for p_idx, name in enumerate(PLATFORMS):
        rows = creators.platform == p_idx
        names = list(kinds[name])
        probs = np.array([float(kinds[name][k]) for k in names])
        codes = np.array([KINDS.index("video" if k == "video" else k) for k in names])
        kind[rows] = codes[
            rng.choice(len(names), size=(int(rows.sum()), per), p=probs / probs.sum())
        ]

    on_main = rng.random((n, per)) < creators.focus[:, None]
    to_second = rng.random((n, per)) < 0.6
    other = rng.integers(0, len(cal.niches), size=(n, per))
    topic = np.where(
        on_main, creators.niche[:, None], np.where(to_second, creators.secondary[:, None], other)
    )

    return PostSkeleton(
        posted_us=posted_us,
        kind=kind,
        topic=topic.astype(np.int64),
        platform_post_id=_post_ids(rng, creators.platform, per),
        duration_s=_durations(rng, creators.platform, kind, cal).ravel(),
    )


def _post_ids(rng: np.random.Generator, platform: IntArray, per: int) -> list[str]:
    """Platform-shaped ids, unique by construction (the row number is encoded in them)."""
    total = len(platform) * per
    rows = np.arange(total, dtype=np.int64)
    random_chars = _BASE64[rng.integers(0, 64, size=(total, 7))]
    row_chars = _BASE64[(rows[:, None] >> np.array([18, 12, 6, 0])) & 63]
    short = [
        "".join(a) + "".join(b)
        for a, b in zip(random_chars.tolist(), row_chars.tolist(), strict=True)
    ]
    digits = rng.integers(10**9, 10**10, size=total)
    flat_platform = np.repeat(platform, per)
    out = []
    tiktok = PLATFORMS.index("tiktok")
    for i, plat in enumerate(flat_platform.tolist()):
        out.append(f"7{digits[i]}{i:08d}" if plat == tiktok else short[i])
    return out


def _durations(
    rng: np.random.Generator, platform: IntArray, kind: IntArray, cal: Calibration
) -> FloatArray:
    med = cal.section("profile", "duration_median_s")
    sigma = float(cal.value("profile", "duration_sigma"))
    tiktok = (platform == PLATFORMS.index("tiktok"))[:, None]
    median = np.select(
        [
            kind == KINDS.index("reel"),
            kind == KINDS.index("short"),
            (kind == KINDS.index("video")) & tiktok,
            kind == KINDS.index("video"),
        ],
        [med["reel"], med["short"], med["tiktok_video"], med["youtube_video"]],
        default=np.nan,
    )
    duration = np.round(median * rng.lognormal(0.0, sigma, kind.shape), 1)
    duration = np.where(kind == KINDS.index("short"), np.minimum(duration, 60.0), duration)
    return np.asarray(np.maximum(duration, 5.0), dtype=np.float64)


def draw_counts(
    rng: np.random.Generator,
    creators: CreatorDraw,
    skeleton: PostSkeleton,
    growth: Growth,
    cal: Calibration,
) -> PostCounts:
    n, per = int(skeleton.kind.shape[0]), int(skeleton.kind.shape[1])
    eng = cal.section("engagement")
    tier = creators.tier
    followers = creators.followers.astype(np.float64)

    affected = rng.random(n) < cal.per_tier("authenticity", "fraud_affected_share")[tier]
    fake_base = np.where(
        affected,
        rng.uniform(*cal.pair("authenticity", "fake_share_affected"), n),
        rng.uniform(*cal.pair("authenticity", "fake_share_clean"), n),
    )
    # Bought followers are fake too: they add to the share that never engages.
    fake_share = 1.0 - (1.0 - fake_base) * growth.real_followers / followers
    engaged_audience = followers * (1.0 - fake_share)

    is_ig = creators.platform == PLATFORMS.index("instagram")
    level = rng.lognormal(0.0, float(eng["creator_sigma"]), size=n)
    target = np.empty(n)
    for p_idx, name in enumerate(PLATFORMS):
        medians = eng[name]["target_median"]
        for t_idx, t_name in enumerate(TIERS):
            rows = (creators.platform == p_idx) & (tier == t_idx)
            if t_name == "none":
                goal = float(medians["nano"]) * float(eng["none_tier"]["factor_of_nano"])
            else:
                goal = float(medians[t_name])
            if not rows.any():
                continue
            # Instagram's rate is per follower, and fake followers do not engage: calibrate the
            # level times the real share so the tier's median lands on the published figure.
            realised = level[rows] * np.where(is_ig[rows], 1.0 - fake_share[rows], 1.0)
            target[rows] = goal / float(np.median(realised))
    er_level = level * target

    boost = growth.view_multiplier
    # A viral post's multiplier is a floor over the creator's usual level, not a coin toss.
    post_noise = rng.lognormal(0.0, float(eng["post_sigma"]), (n, per))
    post_noise = np.where(boost > 1.0, np.maximum(post_noise, 1.0), post_noise)
    is_video = _VIDEO_KINDS[skeleton.kind]
    view_rates = cal.section("views", "rate")
    view_rate = np.empty(n)
    for p_idx, name in enumerate(PLATFORMS):
        rows = creators.platform == p_idx
        view_rate[rows] = np.array([float(view_rates[name][t]) for t in TIERS])[tier[rows]]
    view_noise = rng.lognormal(0.0, float(cal.value("views", "sigma")), (n, per))
    views = (
        engaged_audience[:, None]
        * view_rate[:, None]
        * np.where(
            boost > 1.0,
            np.maximum(view_noise, np.exp(float(cal.value("views", "sigma")))),
            view_noise,
        )
        * boost
    )
    views = np.where(is_video, np.maximum(np.round(views), 1.0), np.nan)

    inter = cal.section("interactions")
    comment_ratio: FloatArray = (
        float(inter["comments_per_100_likes"])
        / 100.0
        * rng.lognormal(0.0, float(inter["comments_sigma"]), size=n)
    )
    comment_ratio = np.where(growth.pod, comment_ratio * rng.uniform(3.0, 6.0, n), comment_ratio)
    is_tt = creators.platform == PLATFORMS.index("tiktok")
    share_ratio = np.where(
        is_tt,
        float(inter["shares_per_100_likes"]["tiktok"]) / 100.0 * rng.lognormal(0.0, 0.5, size=n),
        0.0,
    )
    # Instagram: (likes + comments) per follower; TikTok / YouTube: engagements per view.
    engagements = np.where(
        is_ig[:, None],
        engaged_audience[:, None] * er_level[:, None] * post_noise * boost,
        np.nan_to_num(views) * er_level[:, None] * post_noise,
    )
    denominator = 1.0 + comment_ratio + share_ratio
    likes = np.round(engagements / denominator[:, None])
    comment_noise = rng.lognormal(0.0, 0.3, (n, per))
    comments = np.round(engagements * (comment_ratio / denominator)[:, None] * comment_noise)
    shares = np.where(
        is_tt[:, None], np.round(engagements * (share_ratio / denominator)[:, None]), np.nan
    )

    insights = is_ig & (rng.random(n) < float(cal.value("views", "reach_share_of_creators")))
    insights |= growth.promoted
    saves = np.where(
        insights[:, None],
        np.round(
            likes
            * float(inter["saves_per_100_likes"]["instagram"])
            / 100.0
            * rng.lognormal(0.0, 0.5, (n, per))
        ),
        np.nan,
    )
    reach = (
        engaged_audience[:, None]
        * float(cal.value("views", "reach_rate"))
        * rng.lognormal(0.0, 0.4, (n, per))
        * boost
    )
    reach = np.where(insights[:, None], np.maximum(np.round(reach), likes + comments), np.nan)

    likes_flat, comments_flat = likes.ravel(), comments.ravel()
    likes_total = np.where(np.repeat(insights, per), likes_flat, np.nan)
    comments_total = np.where(np.repeat(insights, per), comments_flat, np.nan)
    for post, factor in growth.promoted_post.items():
        likes_total[post] = np.round(likes_flat[post] * factor)
        comments_total[post] = np.round(comments_flat[post] * (1.0 + (factor - 1.0) * 0.5))
    return PostCounts(
        views=views.ravel(),
        likes=likes_flat,
        comments=comments_flat,
        shares=shares.ravel(),
        saves=saves.ravel(),
        reach=reach.ravel(),
        likes_total=likes_total,
        comments_total=comments_total,
        fake_share=fake_share,
        fraud_affected=affected,
        er_level=er_level,
    )
