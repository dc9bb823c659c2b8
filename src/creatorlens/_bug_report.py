"""What the interfaces do with an exception that is not a UserError (a bug): give it an id,
write its traceback where the user can find it, and tell the user only the id and the place.

Standard library only: the CLI imports this when a command fails, the core never does.
"""

from __future__ import annotations

import os
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path

#: Where the CLI writes tracebacks; else $XDG_STATE_HOME/creatorlens/logs (~/.local/state/...).
LOG_DIR_ENV = "CREATORLENS_LOG_DIR"


def new_error_id() -> str:
    """A short random id that names one failure in both the message and the log."""
    return uuid.uuid4().hex[:12]


def log_dir() -> Path:
    named = os.environ.get(LOG_DIR_ENV)
    if named:
        return Path(named)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "creatorlens" / "logs"


def write_traceback(exc: BaseException, command: str = "") -> tuple[str, Path | None]:
    """The error id and the log file the traceback went to (None if no file could be written:
    then the traceback goes nowhere, and the id alone still tells two failures apart)."""
    error_id = new_error_id()
    stamp = datetime.now(UTC)
    text = (
        f"creatorlens error id {error_id} at {stamp.isoformat(timespec='seconds')}"
        + (f" in `{command}`" if command else "")
        + "\n"
        + "".join(traceback.format_exception(exc))
    )
    folder = log_dir()
    path = folder / f"error-{stamp:%Y%m%dT%H%M%S}-{error_id}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return error_id, None
    return error_id, path
