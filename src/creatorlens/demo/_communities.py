"""Planted communities and a follower graph (issue 15): the truth the graph step must recover.

Creators are grouped by platform x country and, inside, by main niche (people who follow a Korean
beauty creator on Instagram tend to follow other Korean beauty creators there); every group is
cut into communities whose sizes follow a power law, as in the LFR benchmark (Lancichinetti,
Fortunato & Radicchi 2008, Phys. Rev. E 78, 046110). Each community has its own fans and one
planted leader, a member chosen at random whatever its tier (the seed's argument: a local leader
need not be big). Follow edges (fans -> creators, creators -> creators) stay inside the
community except for a share ``mixing`` (LFR's mixing parameter mu) that goes to a random
creator of the same platform; commenters are the community's fans with the same mixing. Every
number is in ``calibration.toml`` [communities] with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatorlens.demo._creators import BoolArray, CreatorDraw, IntArray
from creatorlens.demo._data import PLATFORMS, Calibration, Vocabulary


@dataclass
class Communities:
    """Per creator: planted community and leader flag; per fan: handle and community; the
    follow edges as (source, target) pairs of node numbers: 0..n-1 are creators, n.. are fans."""

    community: IntArray  # per creator, 0..communities-1
    group: list[str]  # per community: "platform/country/niche"
    platform: IntArray  # per community
    leader: IntArray  # per community: the planted leader's creator index
    fan_handle: list[str]
    fan_community: IntArray  # per fan
    fan_start: IntArray  # per community: its fans are fan_start[c] .. fan_start[c + 1] - 1
    source: IntArray  # per follow edge: node number
    target: IntArray  # per follow edge: creator index
    mixing: float

    @property
    def is_leader(self) -> BoolArray:
        flag = np.zeros(len(self.community), dtype=bool)
        flag[self.leader] = True
        return flag

    @property
    def sizes(self) -> IntArray:
        return np.bincount(self.community, minlength=len(self.group)).astype(np.int64)

    @property
    def fan_counts(self) -> IntArray:
        return np.diff(self.fan_start).astype(np.int64)


def _power_law_sizes(rng: np.random.Generator, total: int, low: int, high: int, exponent: float) -> list[int]:
    """Sizes summing to ``total`` drawn from p(s) ~ s^-exponent on [low, high] (inverse CDF);
    a group smaller than ``low`` is one community, and a last piece smaller than ``low`` joins
    the previous community."""
    if total <= low:
        return [total]
    sizes: list[int] = []
    left = total
    while left > 0:
        u = float(rng.random())
        if abs(exponent - 1.0) < 1e-9:
            s = low * (high / low) ** u
        else:
            a = 1.0 - exponent
            s = (low**a + u * (high**a - low**a)) ** (1.0 / a)
        size = min(round(s), left)
        if size < low and sizes:
            sizes[-1] += size
        else:
            sizes.append(size)
        left -= size
    return sizes


def draw_communities(
    rng: np.random.Generator, creators: CreatorDraw, cal: Calibration, vocab: Vocabulary
) -> Communities:
    conf = cal.section("communities")
    low, high = (int(v) for v in conf["size"])
    exponent = float(conf["size_exponent"])
    mixing = float(conf["mixing"])
    leader_share = float(conf["leader_share"])
    fans_per_creator = float(conf["fans_per_creator"])
    fan_follows = float(conf["fan_follows_mean"])
    creator_follows = float(conf["creator_follows_mean"])
    niches = cal.niches
    n = creators.n

    # Strata in a fixed order (platform, country); inside one, members sorted by main niche (in a
    # random order within a niche) and cut into consecutive pieces, so that a community mostly
    # shares a niche and a niche too small for a community of its own joins its neighbour's.
    members: dict[tuple[int, str], list[int]] = {}
    for i, key in enumerate(zip(creators.platform.tolist(), creators.country, strict=True)):
        members.setdefault((int(key[0]), str(key[1])), []).append(i)
    community = np.empty(n, dtype=np.int64)
    group: list[str] = []
    platform: list[int] = []
    leader: list[int] = []
    for key in sorted(members):
        people = rng.permutation(np.array(members[key], dtype=np.int64))
        people = people[np.argsort(creators.niche[people], kind="stable")]
        start = 0
        for size in _power_law_sizes(rng, len(people), low, high, exponent):
            chunk = people[start : start + size]
            community[chunk] = len(group)
            leader.append(int(chunk[int(rng.integers(len(chunk)))]))
            main = int(np.bincount(creators.niche[chunk]).argmax())
            group.append(f"{PLATFORMS[key[0]]}/{key[1]}/{niches[main]}")
            platform.append(key[0])
            start += size
    k = len(group)
    sizes = np.bincount(community, minlength=k)
    plat = np.array(platform, dtype=np.int64)
    leaders = np.array(leader, dtype=np.int64)

    # Fans: about fans_per_creator per member, numbered community by community.
    fan_counts = np.maximum(rng.poisson(fans_per_creator * sizes), 1)
    fan_start = np.concatenate([[0], np.cumsum(fan_counts)]).astype(np.int64)
    fan_community = np.repeat(np.arange(k), fan_counts).astype(np.int64)
    fan_handle = _fan_handles(rng, int(fan_start[-1]), vocab)

    # Members of each community and of each platform, for drawing targets by index.
    by_community = np.argsort(community, kind="stable")
    community_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    by_platform = [np.flatnonzero(creators.platform == p) for p in range(len(PLATFORMS))]

    def targets(home: IntArray, avoid: IntArray | None) -> IntArray:
        """One target creator per follow whose follower belongs to community ``home``."""
        m = len(home)
        inside = rng.random(m) >= mixing
        to_leader = rng.random(m) < leader_share
        pick = community_start[home] + (rng.random(m) * sizes[home]).astype(np.int64)
        out = np.where(to_leader, leaders[home], by_community[np.minimum(pick, n - 1)])
        u = rng.random(m)
        for p in range(len(PLATFORMS)):
            pool = by_platform[p]
            cross = ~inside & (plat[home] == p)
            if len(pool) and cross.any():
                out[cross] = pool[(u[cross] * len(pool)).astype(np.int64)]
        if avoid is not None:  # a creator following itself: send that follow to the leader
            self_loop = out == avoid
            out[self_loop] = leaders[home[self_loop]]
        return out

    per_fan = 1 + rng.poisson(max(fan_follows - 1.0, 0.0), len(fan_community))
    fan_source = np.repeat(np.arange(len(fan_community)), per_fan)
    fan_target = targets(fan_community[fan_source], None)
    per_creator = rng.poisson(creator_follows, n)
    creator_source = np.repeat(np.arange(n), per_creator)
    creator_target = targets(community[creator_source], creator_source)
    source = np.concatenate([creator_source, n + fan_source]).astype(np.int64)
    target = np.concatenate([creator_target, fan_target]).astype(np.int64)
    keep = source != target
    pairs = np.unique(source[keep] * n + target[keep])  # one follow per (follower, creator)
    return Communities(
        community=community,
        group=group,
        platform=plat,
        leader=leaders,
        fan_handle=fan_handle,
        fan_community=fan_community,
        fan_start=fan_start,
        source=(pairs // n).astype(np.int64),
        target=(pairs % n).astype(np.int64),
        mixing=mixing,
    )


def _fan_handles(rng: np.random.Generator, total: int, vocab: Vocabulary) -> list[str]:
    """Distinct handles: a first name and a number that no other fan has (a scrambled index)."""
    first = vocab.words("people", "first_en") + vocab.words("people", "first_ko_roman")
    names = rng.integers(0, len(first), total).tolist()
    # i -> (i * 7919 + 1000) mod m is one-to-one for m prime to 7919, so numbers never repeat.
    m = 10 ** max(6, len(str(total)) + 1)
    numbers = ((np.arange(total, dtype=np.int64) * 7919 + 1000) % m).tolist()
    return [f"{first[a]}_{b}" for a, b in zip(names, numbers, strict=True)]


class FanPicker:
    """Commenters for the comment generator: one of the creator's community fans, except for a
    share ``mixing`` drawn from all fans. Uniforms are drawn in blocks (a draw per comment is
    slow) from a stream of their own, so the comment stream's own draws are unchanged."""

    def __init__(self, rng: np.random.Generator, communities: Communities, creator_community: IntArray):
        self._rng = rng
        self._c = communities
        self._community = creator_community
        self._block: npt.NDArray[np.float64] = np.zeros(0)
        self._at = 0

    def _next(self) -> float:
        if self._at >= len(self._block):
            self._block = self._rng.random(1 << 16)
            self._at = 0
        value = float(self._block[self._at])
        self._at += 1
        return value

    def __call__(self, creator: int) -> str:
        c = self._c
        if self._next() < c.mixing:
            return c.fan_handle[min(int(self._next() * len(c.fan_handle)), len(c.fan_handle) - 1)]
        home = int(self._community[creator])
        lo, hi = int(c.fan_start[home]), int(c.fan_start[home + 1])
        return c.fan_handle[min(lo + int(self._next() * (hi - lo)), hi - 1)]


__all__ = ["Communities", "FanPicker", "draw_communities"]
