"""Follower samples: profiles of a few hundred followers of some creators (issue 18).

Users with exports or collectors have follower profiles for some creators; the demo plants them
so the follower-sample audit can be measured against the truth. Every follower is one of five
kinds, drawn so the fake ones look like the published descriptions of bought followers
(``shared/reference/authenticity.md``) and the real ones include the look-alikes a classifier
must not flag:

* real ``active`` people — following about 2.2x their followers and hundreds of posts
  (Cresci et al. 2015, "Fame for sale": humans' median friends/followers 2.2, statuses 992);
* real ``mass`` followers — real accounts following more than 1,500 (HypeAuditor AQS, infludata);
* real ``inactive`` lurkers — few or no posts, often no picture (infludata's suspicious/inactive
  type): real, but they look like cheap fakes;
* fake ``bot`` accounts — bought followers: following about 22x their followers, a handful of
  posts (Cresci: bought fakes' median friends/followers 22.3, statuses 36), mostly no profile
  picture and a username with numbers (SRF Data 2017's strongest signals);
* fake ``sophisticated`` accounts — fakes with a picture and some posts, caught only by their
  following counts, so the classifier is not handed an easy task.

The number of fakes in a creator's sample is Binomial(n, the creator's planted fake share).
Every number is in ``calibration.toml`` [follower_samples] with its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatorlens.demo._creators import BoolArray, CreatorDraw, FloatArray, IntArray
from creatorlens.demo._data import Calibration, Vocabulary

DAY_US = 86_400_000_000
KINDS = ("active", "mass", "inactive", "bot", "sophisticated")
FAKE_KINDS = frozenset({"bot", "sophisticated"})
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


@dataclass
class FollowerSamples:
    """One row per sampled follower (flat arrays), plus which creators have a sample."""

    creator: IntArray  # creator index of each row
    handle: list[str]
    display_name: list[str]
    followers: IntArray
    following: IntArray
    posts_count: IntArray
    has_profile_pic: BoolArray
    is_private: BoolArray
    has_external_url: BoolArray
    bio: list[str | None]
    last_post_us: npt.NDArray[np.int64]  # -1 = never posted
    kind: list[str]
    has_sample: BoolArray  # per creator

    @property
    def is_fake(self) -> BoolArray:
        return np.array([k in FAKE_KINDS for k in self.kind], dtype=bool)


def draw_follower_samples(
    rng: np.random.Generator,
    creators: CreatorDraw,
    fake_share: FloatArray,
    as_of_us: int,
    cal: Calibration,
    vocab: Vocabulary,
) -> FollowerSamples:
    conf = cal.section("follower_samples")
    eligible = creators.tier > 0
    draw = rng.random(creators.n)
    has_sample = eligible & (draw < float(conf["share_of_creators"]))
    most = int(conf["max_creators"])
    if has_sample.sum() > most:  # keep the `most` creators with the lowest draws (still random)
        has_sample &= draw <= np.sort(draw[has_sample])[most - 1]
    low, high = (int(v) for v in conf["size"])
    owners = np.flatnonzero(has_sample)
    sizes = rng.integers(low, high + 1, size=owners.size)
    sizes = np.minimum(sizes, np.maximum(creators.followers[owners], 1))
    fakes = rng.binomial(sizes, np.clip(fake_share[owners], 0.0, 1.0))

    real_mix = np.array([float(conf["real_mix"][k]) for k in KINDS[:3]])
    fake_mix = np.array([float(conf["fake_mix"][k]) for k in KINDS[3:]])
    kind_codes: list[npt.NDArray[np.int64]] = []
    for size, n_fake in zip(sizes.tolist(), fakes.tolist(), strict=True):
        real = rng.choice(3, size=size - n_fake, p=real_mix / real_mix.sum())
        fake = 3 + rng.choice(2, size=n_fake, p=fake_mix / fake_mix.sum())
        kind_codes.append(rng.permutation(np.concatenate([real, fake])))
    code = np.concatenate(kind_codes) if kind_codes else np.zeros(0, dtype=np.int64)
    creator = np.repeat(owners, sizes).astype(np.int64)
    total = len(code)

    def per_kind(name: str) -> FloatArray:
        return np.array([float(conf[k][name]) for k in KINDS])[code]

    followers = np.round(
        per_kind("followers_median") * rng.lognormal(0.0, 1.0, total) ** per_kind("followers_sigma")
    )
    ratio = per_kind("following_per_follower_median") * rng.lognormal(0.0, 1.0, total) ** per_kind(
        "following_sigma"
    )
    following = np.round(np.maximum(followers, 1.0) * ratio)
    mass = code == KINDS.index("mass")
    cap = float(conf["following_cap"])
    mass_floor = float(conf["mass"]["following_min"])
    following = np.where(mass, rng.uniform(mass_floor, cap, total), following)
    following = np.minimum(np.round(following), cap)
    posts = np.round(
        per_kind("posts_median") * rng.lognormal(0.0, 1.0, total) ** per_kind("posts_sigma")
    )
    posts = np.where(rng.random(total) < per_kind("zero_posts_share"), 0.0, posts)
    has_pic = rng.random(total) < per_kind("profile_pic")
    private = rng.random(total) < per_kind("private")
    external = rng.random(total) < per_kind("external_url")
    has_bio = rng.random(total) < per_kind("bio")
    numbered = rng.random(total) < per_kind("numbered_handle")
    age_days = rng.exponential(per_kind("last_post_days_mean"))
    last_post = np.where(posts > 0, as_of_us - np.round(age_days * DAY_US), -1).astype(np.int64)

    handle, display = _handles(rng, code, numbered, vocab)
    bios = vocab.words("people", "follower_bios")
    bio: list[str | None] = [
        bios[int(i)] if b else None
        for b, i in zip(has_bio.tolist(), rng.integers(0, len(bios), total).tolist(), strict=True)
    ]
    handle = _unique_within(creator, handle)
    return FollowerSamples(
        creator=creator,
        handle=handle,
        display_name=display,
        followers=followers.astype(np.int64),
        following=following.astype(np.int64),
        posts_count=posts.astype(np.int64),
        has_profile_pic=has_pic,
        is_private=private,
        has_external_url=external,
        bio=bio,
        last_post_us=last_post,
        kind=[KINDS[c] for c in code.tolist()],
        has_sample=has_sample,
    )


def _handles(
    rng: np.random.Generator, code: IntArray, numbered: BoolArray, vocab: Vocabulary
) -> tuple[list[str], list[str]]:
    """People's handles are names (sometimes with a year or a number); cheap fakes' are random
    letters plus long digit runs, as SRF Data 2017 describes (usernames with numbers)."""
    first = vocab.words("people", "first_en") + vocab.words("people", "first_ko_roman")
    last = vocab.words("people", "last_en") + vocab.words("people", "last_ko_roman")
    total = len(code)
    f_idx = rng.integers(0, len(first), total).tolist()
    l_idx = rng.integers(0, len(last), total).tolist()
    sep = rng.choice(np.array([".", "_", ""]), total).tolist()
    digits_short = rng.integers(1, 100, total).tolist()
    digits_long = rng.integers(10_000, 100_000_000, total).tolist()
    letters = _LETTERS[rng.integers(0, 26, (total, 6))]
    handles: list[str] = []
    names: list[str] = []
    bot = KINDS.index("bot")
    for i in range(total):
        name = f"{first[f_idx[i]]}{sep[i]}{last[l_idx[i]]}"
        display = f"{first[f_idx[i]].title()} {last[l_idx[i]].title()}"
        if code[i] == bot:
            stem = "".join(letters[i, : 3 + i % 4]) if not numbered[i] else first[f_idx[i]]
            handle = f"{stem}{digits_long[i]}" if numbered[i] else f"{stem}{sep[i]}{stem[::-1]}"
            display = "" if numbered[i] else stem.title()
        else:
            handle = f"{name}{digits_short[i]}" if numbered[i] else name
        handles.append(handle)
        names.append(display)
    return handles, names


def _unique_within(creator: IntArray, handles: list[str]) -> list[str]:
    """Two followers of one creator cannot share a handle: repeats get a running suffix."""
    frame = pd.DataFrame({"creator": creator, "handle": handles})
    repeat = frame.groupby(["creator", "handle"]).cumcount().to_numpy()
    return [h if r == 0 else f"{h}_{r}" for h, r in zip(handles, repeat.tolist(), strict=True)]
