"""The watch tests' simulated month: the start day, the number of daily runs, the rule by which
the emulators' follower and view counts move every day (TRUTH, VIEWS), and one `watch` run
against the emulators on the test's clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from creatorlens._workspace import Workspace
from creatorlens.ingest.collect import WatchList

from .emulator import CREDENTIALS, Clock, Emulator
from .social_emulator import IG_CREDENTIALS, TT_CREDENTIALS, SocialEmulator

START = date(2026, 3, 2)
DAYS = 31


def sig3(n: int) -> int:
    """YouTube rounds subscriberCount to three significant figures."""
    digits = len(str(n))
    step: int = 10 ** max(0, digits - 3)  # int ** int is Any in typeshed (a negative power is a float)
    return n // step * step


def day_n(day: date) -> int:
    return (day - START).days


def random_gains(seed: int, mean: int, spread: int, n: int = 120) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(mean - spread, mean + spread) for _ in range(n)]


VEGAN_TT_GAINS = random_gains(13, 900, 400)

#: The emulators' truth: followers (and YouTube views) on each day of their clock.
TRUTH: dict[tuple[str, str], Callable[[date], int]] = {
    # a growing channel, seen through YouTube's 3-significant-figure rounding: a staircase
    ("youtube", "veganglow"): lambda d: sig3(123_000 + 170 * day_n(d)),
    # a shrinking one that stops moving after day 20: identical responses from then on
    ("youtube", "greenbeauty"): lambda d: sig3(9_870 - 10 * min(day_n(d), 20)),
    # Instagram: steady growth with a weekend bump
    ("instagram", "veganglow.kr"): lambda d: 45_600 + 40 * day_n(d) + (25 if d.weekday() >= 5 else 0),
    ("instagram", "greenbeauty"): lambda d: 8_800 - 2 * day_n(d),
    # TikTok: an uneven daily gain (drawn once, seeded) around 900 a day
    ("tiktok", "veganglow.tt"): lambda d: 210_000 + sum(VEGAN_TT_GAINS[: day_n(d)]),
    ("tiktok", "greenbeauty.us"): lambda d: 5_400 + 3 * day_n(d),
}
VIEWS: dict[str, Callable[[date], int]] = {
    "veganglow": lambda d: 4_560_000 + 21_000 * day_n(d),
    "greenbeauty": lambda d: 101_000 + 300 * min(day_n(d), 20),
}


def run(ws: Workspace, watch: WatchList, emus: tuple[Emulator, SocialEmulator], clock: Clock) -> Any:
    yt, social = emus
    return ws.watch(
        watch,
        base_urls={"youtube": yt.base_url, "instagram": social.instagram_url, "tiktok": social.tiktok_url},
        credentials={"youtube": CREDENTIALS, "instagram": IG_CREDENTIALS, "tiktok": TT_CREDENTIALS},
        clock=clock,
        sleep=clock.sleep,
    )
