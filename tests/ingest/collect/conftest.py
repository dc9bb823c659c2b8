"""The YouTube emulator on a free loopback port, and a clock the tests move by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from emulator import CHANNEL_ID, OTHER_ID, Channel, Clock, Emulator


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
