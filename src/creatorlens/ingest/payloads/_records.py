"""What every payload adapter returns, and the small conversions they share.

A *source record* is one object of the payload that stands for one thing: a profile, a video, a
media item, one audience bucket, one comment. Records are numbered 1, 2, 3 ... in document order
(across all pages of a multi-page file), so that the ingest can quarantine a bad one by number
and JSON path. Every output dict carries its record's number under ``_record`` and path under
``_where``; dicts derived from the same record (a TikTok video and the creator named on it)
share the number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from creatorlens.errors import PayloadError as PayloadError
from creatorlens.ingest._dates import parse_datetime

Row = dict[str, Any]


@dataclass
class PayloadRecords:
    """Rows read from one official API payload (one response, or a list of pages of one API).

    Keys of ``creators`` are creator field names (see ``creatorlens.ingest._mapping``), of
    ``posts`` post field names plus ``handle`` (the owner). Besides ``_record`` / ``_where``, a
    dict may carry ``_extra``: the source fields that map to no column, so nothing is lost.
    ``rejected`` holds records that are not objects at all (``_record``, ``_where``, ``reason``,
    ``raw``). ``records_read`` = ``len(record_numbers)`` is the file's row count for the summary.
    """

    api: str
    platform: str
    creators: list[Row] = field(default_factory=list)
    posts: list[Row] = field(default_factory=list)
    audience: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    record_numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: list[Row] = field(default_factory=list)

    @property
    def records_read(self) -> int:
        return len(self.record_numbers)


class RecordBuilder:
    """Hands out record numbers and collects rows for one document."""

    def __init__(self, api: str, platform: str) -> None:
        self.out = PayloadRecords(api=api, platform=platform)
        self._creator_index: dict[str, Row] = {}

    def record(self) -> int:
        number = len(self.out.record_numbers) + 1
        self.out.record_numbers.append(number)
        return number

    def reject(self, record: int, where: str, reason: str, raw: object) -> None:
        self.out.rejected.append({"_record": record, "_where": where, "reason": reason, "raw": raw})

    def objects(
        self, items: Iterable[object], where: str, what: str, *, single: bool = False
    ) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
        """Each JSON object of ``items`` with a new record number and its path (``where[i]``, or
        ``where`` itself for a single resource); an item that is not an object takes its number
        too and is rejected ("<what> must be a JSON object")."""
        for i, item in enumerate(items):
            record = self.record()
            item_where = where if single else path(where, i)
            if isinstance(item, Mapping):
                yield record, item_where, item
            else:
                self.reject(record, item_where, f"{what} must be a JSON object", item)

    def note(self, where: str, text: str) -> None:
        self.out.notes.append(f"{where}: {text}")

    def add_post(self, row: Row, record: int, where: str) -> None:
        self.out.posts.append(_stamp(row, record, where))

    def add_creator(self, row: Row, record: int, where: str) -> None:
        self.out.creators.append(_stamp(row, record, where))

    def add_creator_once(self, row: Row, record: int, where: str) -> None:
        """A creator named on a post: one dict per handle, later posts fill its gaps."""
        key = str(row["handle"]).lower()
        seen = self._creator_index.get(key)
        if seen is None:
            stamped = _stamp(row, record, where)
            self._creator_index[key] = stamped
            self.out.creators.append(stamped)
            return
        for name, value in row.items():
            if seen.get(name) is None and value is not None:
                seen[name] = value

    def add_audience(self, row: Row, record: int, where: str) -> None:
        self.out.audience.append(_stamp(row, record, where))

    def add_comment(self, row: Row, record: int, where: str) -> None:
        self.out.comments.append(_stamp(row, record, where))


def _stamp(row: Row, record: int, where: str) -> Row:
    row["_record"] = record
    row["_where"] = where
    return row


def path(parent: str, key: str | int) -> str:
    """JSON path of a child: ``path("$.data", "videos")`` -> ``$.data.videos``."""
    return f"{parent}[{key}]" if isinstance(key, int) else f"{parent}.{key}"


def as_count(value: object) -> object:
    """A count as an int when it is one (JSON numbers, and the digit strings YouTube sends);
    anything else is returned unchanged so the ingest records why it is not a number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return value


def as_time(value: object) -> object:
    """Unix seconds or an ISO 8601 string -> ISO 8601 text in UTC without a zone
    ("2025-03-14T18:02:11"); unreadable values pass through so the ingest records why."""
    if value is None:
        return None
    parsed = parse_datetime(value)
    return parsed.value.isoformat() if parsed.value is not None else value


def as_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def clean_handle(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lstrip("@").strip()
    return text or None


def mapping_or_none(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def extra(source: Mapping[str, Any], used: Iterable[str]) -> dict[str, Any]:
    """Source fields no column took."""
    taken = set(used)
    return {k: v for k, v in source.items() if k not in taken and v is not None}


def with_extra(row: Row, leftovers: Mapping[str, Any]) -> Row:
    if leftovers:
        row["_extra"] = dict(leftovers)
    return row


class ProfileFields(NamedTuple):
    """The keys under which a platform's profile object (Instagram IG User, TikTok user info)
    gives the profile columns of a creator row."""

    platform_id: str
    display_name: str
    bio: str
    followers: str
    following: str
    posts_count: str


#: Profile columns read as text; the others are counts.
_PROFILE_TEXT = frozenset({"platform_id", "display_name", "bio"})


def profile_row(platform: str, owner: str, profile: Mapping[str, Any], keys: ProfileFields) -> Row:
    """The creator row of a profile object, in column order; the caller adds what only its
    platform gives, and the leftovers."""
    row: Row = {"platform": platform, "handle": owner}
    for column, key in zip(ProfileFields._fields, keys, strict=True):
        value = profile.get(key)
        row[column] = as_text(value) if column in _PROFILE_TEXT else as_count(value)
    return row


# Hashtags are letters/digits/underscore in any script (Korean tags are common); '&#' is an HTML
# entity, not a tag. Mentions follow the handle alphabet of the three platforms.
_HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
_MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)")


def hashtags_in(*texts: object) -> str | None:
    return _join_unique(m.group(1) for t in texts if t for m in _HASHTAG.finditer(str(t)))


def mentions_in(*texts: object) -> str | None:
    return _join_unique(m.group(1) for t in texts if t for m in _MENTION.finditer(str(t)))


def join_names(values: object, strip: str = "") -> str | None:
    """A JSON list of names -> space-separated, without the leading ``strip`` characters."""
    if not isinstance(values, list):
        return None
    names = (str(v).strip().lstrip(strip) for v in values if v is not None)
    return _join_unique(n.replace(" ", "_") for n in names if n)


def _join_unique(names: Iterable[str]) -> str | None:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return " ".join(seen.values()) or None


def untimed_transcript(text: object) -> str | None:
    """A transcript without timings, as the posts.transcript JSON: ``[[0, text]]``."""
    body = as_text(text)
    return None if body is None else json.dumps([[0, body]], ensure_ascii=False)
