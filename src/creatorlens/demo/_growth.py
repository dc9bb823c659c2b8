"""Follower histories with injected events: bought spikes, purges, viral bursts, promotions.

Every history is built relative to a start level of 1 and scaled at the end so that the last
snapshot equals the creator's observed follower count. An event's ``size`` is the number of
followers it added (negative for a purge) on top of that week's organic change, so the jump
between the snapshot before and the snapshot at the event is organic change + size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from creatorlens.demo._creators import BoolArray, CreatorDraw, FloatArray, IntArray
from creatorlens.demo._data import PLATFORMS, Calibration

DAY_US = 86_400_000_000


@dataclass
class Event:
    creator: int
    week: int
    kind: str  # bought | purge | viral | promoted
    size: int
    size_pct: float  # size relative to the previous snapshot
    post: int | None = None  # flat post index (creator * posts_per_creator + j)


@dataclass
class Growth:
    weeks_us: npt.NDArray[np.int64]  # snapshot times, microseconds since epoch
    followers: IntArray  # (creators, weeks)
    following: IntArray
    posts_count: IntArray
    real_followers: FloatArray  # followers that are people who engage (bought ones excluded)
    bought: BoolArray
    viral: BoolArray
    promoted: BoolArray
    pod: BoolArray
    purged: BoolArray
    events: list[Event] = field(default_factory=list)
    view_multiplier: FloatArray = field(default_factory=lambda: np.ones((0, 0)))
    promoted_post: dict[int, float] = field(default_factory=dict)  # flat post -> likes_total factor
    organic_rate: FloatArray = field(default_factory=lambda: np.zeros(0))  # log growth per week


def draw_growth(
    rng: np.random.Generator,
    creators: CreatorDraw,
    posted_us: npt.NDArray[np.int64],
    as_of_us: int,
    cal: Calibration,
) -> Growth:
    n, per = int(posted_us.shape[0]), int(posted_us.shape[1])
    weeks = int(cal.value("growth", "snapshot_weeks"))
    weeks_us = as_of_us - 7 * DAY_US * np.arange(weeks - 1, -1, -1, dtype=np.int64)
    auth = cal.section("authenticity")

    eligible = creators.tier > 0  # accounts under 100 followers get no events
    u = rng.random(n)
    b_share, v_share, pod_share = (
        float(auth["bought_spike_share"]),
        float(auth["viral_burst_share"]),
        float(auth["pod_share"]),
    )
    bought = eligible & (u < b_share)
    viral = eligible & (u >= b_share) & (u < b_share + v_share)
    pod = eligible & (u >= b_share + v_share) & (u < b_share + v_share + pod_share)
    instagram = creators.platform == PLATFORMS.index("instagram")
    ig_share = max(float(instagram.mean()), 1e-9)
    promo_cut = b_share + v_share + pod_share + float(auth["promoted_share"]) / ig_share
    promoted = eligible & instagram & (u >= b_share + v_share + pod_share) & (u < promo_cut)

    organic, organic_rate = _organic_paths(rng, creators, weeks_us, cal)
    added = np.zeros((n, weeks))
    bought_left = np.zeros(n)  # bought followers still there at the end (relative level)
    events: list[Event] = []
    purged = np.zeros(n, dtype=bool)
    view_multiplier = np.ones((n, per))
    promoted_post: dict[int, float] = {}
    spike_lo, spike_hi = cal.pair("authenticity", "spike_size")

    def level(c: int, k: int) -> float:
        return float(organic[c, k] + added[c, k])

    for c in np.flatnonzero(bought).tolist():
        week = int(rng.integers(4, weeks - 4))
        size = rng.uniform(spike_lo, spike_hi) * level(c, week - 1)
        added[c, week:] += size
        bought_left[c] += size
        events.append(Event(c, week, "bought", 0, size))  # relative; scaled below
        if rng.random() < float(auth["purge_share_of_bought"]) and week + 2 <= weeks - 1:
            drop_week = min(weeks - 1, week + int(rng.integers(2, 9)))
            drop = rng.uniform(*cal.pair("authenticity", "purge_fraction")) * size
            added[c, drop_week:] -= drop
            bought_left[c] -= drop
            purged[c] = True
            events.append(Event(c, drop_week, "purge", 0, -drop))

    def pick_post(c: int) -> tuple[int, int]:
        """A post in the middle of the history, and the first snapshot week after it."""
        times = posted_us[c]
        window = np.flatnonzero((times > weeks_us[2]) & (times <= weeks_us[weeks - 3]))
        j = int(rng.choice(window)) if window.size else int(np.argmin(np.abs(times - weeks_us[weeks // 2])))
        week = int(np.searchsorted(weeks_us, times[j], side="right"))
        return j, int(np.clip(week, 1, weeks - 1))

    vir_lo, vir_hi = cal.pair("authenticity", "viral_multiplier")
    for c in np.flatnonzero(viral).tolist():
        j, week = pick_post(c)
        multiplier = rng.uniform(vir_lo, vir_hi)
        near = np.flatnonzero(
            (posted_us[c] >= posted_us[c, j] - 2 * DAY_US)
            & (posted_us[c] <= posted_us[c, j] + 5 * DAY_US)
        )
        view_multiplier[c, near] = rng.uniform(vir_lo, multiplier, near.size)
        view_multiplier[c, j] = multiplier
        size = rng.uniform(spike_lo, spike_hi) * level(c, week - 1)
        added[c, week:] += size
        events.append(Event(c, week, "viral", 0, size, post=c * per + j))

    pro_lo, pro_hi = cal.pair("authenticity", "promoted_growth")
    like_lo, like_hi = cal.pair("authenticity", "promoted_likes_multiplier")
    for c in np.flatnonzero(promoted).tolist():
        j, week = pick_post(c)
        size = rng.uniform(pro_lo, pro_hi) * level(c, week - 1)
        added[c, week:] += size
        promoted_post[c * per + j] = float(rng.uniform(like_lo, like_hi))
        events.append(Event(c, week, "promoted", 0, size, post=c * per + j))

    levels = organic + added
    scale = creators.followers / levels[:, -1]
    followers = np.maximum(np.round(levels * scale[:, None]), 1).astype(np.int64)
    followers[:, -1] = creators.followers
    for event in events:
        absolute = event.size_pct * scale[event.creator]
        event.size = round(absolute)
        previous = followers[event.creator, event.week - 1]
        event.size_pct = float(absolute / previous) if previous else 0.0
    real = np.maximum(creators.followers - bought_left * scale, 1.0)

    drift = np.cumsum(rng.normal(0.0, 0.004, size=(n, weeks)), axis=1)
    following = np.maximum(
        np.round(creators.following[:, None] * np.exp(drift - drift[:, -1:])), 0
    ).astype(np.int64)
    later_posts = (posted_us[:, None, :] > weeks_us[None, :, None]).sum(axis=2)
    posts_count = np.maximum(creators.posts_count, per)[:, None] - later_posts
    return Growth(
        organic_rate=organic_rate,
        weeks_us=weeks_us,
        followers=followers,
        following=following,
        posts_count=posts_count.astype(np.int64),
        real_followers=real,
        bought=bought,
        viral=viral,
        promoted=promoted,
        pod=pod,
        purged=purged,
        events=events,
        view_multiplier=view_multiplier,
        promoted_post=promoted_post,
    )


def _organic_paths(
    rng: np.random.Generator,
    creators: CreatorDraw,
    weeks_us: npt.NDArray[np.int64],
    cal: Calibration,
) -> tuple[FloatArray, FloatArray]:
    """Relative organic levels (last week = 1): per-creator drift, weekly noise, yearly season;
    and each creator's drift (log growth per week, the planted truth of organic growth)."""
    growth = cal.section("growth")
    n, weeks = creators.n, len(weeks_us)
    rate = cal.per_tier("growth", "weekly_growth_median")[creators.tier] + rng.normal(
        0.0, float(growth["weekly_growth_sigma"]), n
    )
    noise = rng.normal(0.0, float(growth["weekly_noise"]), size=(n, weeks))
    day_of_year = (weeks_us // DAY_US) % 365
    season = float(growth["seasonal_amplitude"]) * np.sin(2 * np.pi * day_of_year / 365.0)
    increments = rate[:, None] + noise + season[None, :]
    increments[:, 0] = 0.0
    log_level = np.cumsum(increments, axis=1)
    return np.asarray(np.exp(log_level - log_level[:, -1:]), dtype=np.float64), rate
