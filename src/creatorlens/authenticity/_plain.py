"""Result dataclasses as plain dicts for JSON, the report and the pages."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from typing import Any


def field_dict(result: Any, *, leave_out: Collection[str] = ()) -> dict[str, Any]:
    """A result dataclass's fields as a dict, in declaration order; a nested result (anything
    with ``as_dict``, or a tuple or list of them) through its own ``as_dict``.

    Shallow otherwise: ``dataclasses.asdict`` deep-copies every evidence dict, which dominated
    scoring time over 20K creators."""
    out: dict[str, Any] = {}
    for f in fields(result):
        if f.name in leave_out:
            continue
        value = getattr(result, f.name)
        if hasattr(value, "as_dict"):
            value = value.as_dict()
        elif isinstance(value, tuple | list) and value and all(hasattr(v, "as_dict") for v in value):
            value = [v.as_dict() for v in value]
        out[f.name] = value
    return out
