"""The YouTube emulator and the Instagram/TikTok emulator on free loopback ports, a clock the
tests move by hand, and both emulators growing by the watch tests' rule (``growing``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ._watch_truth import TRUTH, VIEWS
from .emulator import CHANNEL_ID, OTHER_ID, Channel, Clock, Emulator
from .social_emulator import IgAccount, SocialEmulator, TtUser


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        emu.state.add_channel(
            Channel(
                CHANNEL_ID,
                "@veganglow",
                "Vegan Glow",
                123_000,
                4_560_000,
                [f"vid{i:03d}abcd" for i in range(120)],
            )
        )
        emu.state.add_channel(
            Channel(
                OTHER_ID,
                "@greenbeauty",
                "Green Beauty 비건",
                9_870,
                101_000,
                [f"oth{i:03d}abcd" for i in range(7)],
            )
        )
        yield emu


@pytest.fixture
def social() -> Iterator[SocialEmulator]:
    """The Instagram Graph and TikTok Research emulator with two accounts on each platform."""
    with SocialEmulator() as emu:
        emu.state.ig.append(IgAccount("17841405555555555", "veganglow.kr", 45_600, 60))
        emu.state.ig.append(IgAccount("17841406666666666", "greenbeauty", 8_800, 7))
        emu.state.tt.append(TtUser("veganglow.tt", 210_000, 250, region="KR"))
        emu.state.tt.append(TtUser("greenbeauty.us", 5_400, 12, region="US"))
        yield emu


@pytest.fixture
def growing(emulator: Emulator, social: SocialEmulator, clock: Clock) -> tuple[Emulator, SocialEmulator]:
    """Both emulators on the test's clock, their counts following TRUTH."""
    emulator.state.clock = social.state.clock = clock
    channels = emulator.state.channels
    for cid, name in ((CHANNEL_ID, "veganglow"), (OTHER_ID, "greenbeauty")):
        followers, views = TRUTH["youtube", name], VIEWS[name]
        channels[cid].daily = lambda d, f=followers, v=views: (f(d), v(d))
    for account in social.state.ig:
        account.daily = TRUTH["instagram", account.username]
    for user in social.state.tt:
        user.daily = TRUTH["tiktok", user.username]
    return emulator, social
