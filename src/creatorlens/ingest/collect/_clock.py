"""The clock and the sleep ``watch`` runs on: the machine's, or a simulated one kept in a file.

``CREATORLENS_CLOCK_FILE=PATH`` (a setting for tests and dry rehearsals, docs/collectors.md
"Watch"): the file holds the current time (ISO 8601, UTC); reading the clock reads it, and a sleep
writes the time plus the seconds slept and returns at once, so ``watch --loop --max-runs 30``
runs a simulated month in seconds. Another process (an API emulator) can read the same file to
share that time. Nothing else in creatorlens reads this setting.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from creatorlens.errors import OptionError

__all__ = ["CLOCK_FILE_ENV", "FileClock", "WatchClock", "watch_clock"]

CLOCK_FILE_ENV = "CREATORLENS_CLOCK_FILE"


@dataclass(frozen=True)
class FileClock:
    """A simulated clock whose time is the content of ``path``."""

    path: Path

    def __call__(self) -> datetime:
        text = self.path.read_text(encoding="utf-8").strip()
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise OptionError(f"{CLOCK_FILE_ENV}: {self.path} holds {text!r}, not an ISO 8601 time") from exc
        return when if when.tzinfo else when.replace(tzinfo=UTC)

    def sleep(self, seconds: float) -> None:
        later = self() + timedelta(seconds=max(0.0, seconds))
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(later.astimezone(UTC).isoformat(), encoding="utf-8")
        tmp.replace(self.path)  # a reader never sees a half-written time


@dataclass
class WatchClock:
    """``clock`` and the sleeps of a watch: ``sleep`` between passes (``stop()``, from a signal
    handler, ends it at once and makes ``stopping`` true) and ``pause`` within a pass (a retry's
    backoff, never cut short)."""

    clock: Callable[[], datetime]
    simulated: bool
    _file: FileClock | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def sleep(self, seconds: float) -> None:
        if self._stop.is_set():
            return
        if self._file is not None:
            self._file.sleep(seconds)
        else:
            self._stop.wait(max(0.0, seconds))

    def pause(self, seconds: float) -> None:
        if self._file is not None:
            self._file.sleep(seconds)
        else:
            time.sleep(max(0.0, seconds))

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()


def _now() -> datetime:
    return datetime.now(UTC)


def watch_clock(environ: dict[str, str] | None = None) -> WatchClock:
    """The machine's clock, or the simulated one ``CREATORLENS_CLOCK_FILE`` names."""
    env = os.environ if environ is None else environ
    name = env.get(CLOCK_FILE_ENV)
    if not name:
        return WatchClock(_now, simulated=False)
    path = Path(name)
    if not path.is_file():
        raise OptionError(f"{CLOCK_FILE_ENV}: {path} does not exist (write an ISO 8601 time into it)")
    file_clock = FileClock(path)
    file_clock()  # fail early on an unreadable time
    return WatchClock(file_clock, simulated=True, _file=file_clock)
