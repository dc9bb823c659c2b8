"""A username as the user types it for a collector: ``name``, ``@name`` or a profile URL."""

from __future__ import annotations

import re

from creatorlens.errors import OptionError

_USERNAME = re.compile(r"^[A-Za-z0-9._]+$")


def parse_username(text: str, *, site: str, what: str, max_length: int) -> str:
    """``name``, ``@name`` or a ``<site>/name`` (``<site>/@name``) URL -> ``name``; ``what`` names
    the kind of username in the error (``an Instagram username``)."""
    value = text.strip()
    if f"{site}/" in value:
        value = value.split(f"{site}/", 1)[1].split("/", 1)[0].split("?", 1)[0]
    value = value.removeprefix("@")
    if not (_USERNAME.match(value) and len(value) <= max_length):
        raise OptionError(f"--username {text!r}: {what} has 1-{max_length} letters, digits, '.' or '_'")
    return value
