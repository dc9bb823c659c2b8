"""Official API payloads: recognise a saved response of the TikTok Research / Display API, the
Instagram Graph API or the YouTube Data API v3 and turn it into creator, post, audience and
comment rows.

A document is one parsed JSON value: one response, or a JSON list of pages of the same API (a
JSON Lines file gives one document per line). Nothing is fetched: paging links are not followed.
"""

from __future__ import annotations

from collections.abc import Callable

from creatorlens.ingest.payloads import instagram, tiktok, youtube
from creatorlens.ingest.payloads._limits import ApiLimit, api_limits, limits_for
from creatorlens.ingest.payloads._records import PayloadError, PayloadRecords

__all__ = [
    "SUPPORTED_APIS",
    "ApiLimit",
    "PayloadError",
    "PayloadRecords",
    "api_limits",
    "detect_payload",
    "limits_for",
    "payload_records",
]

_Reader = Callable[[list[tuple[str, object]], str, "str | None"], PayloadRecords]
# TikTok first: its wrapper is the most specific; Instagram last: its `{"data": [...]}` the least.
_ADAPTERS: tuple[tuple[Callable[[object], str | None], _Reader], ...] = (
    (tiktok.detect, tiktok.read),
    (youtube.detect, youtube.read),
    (instagram.detect, instagram.read),
)
#: Every payload id ``detect_payload`` can return.
SUPPORTED_APIS: tuple[str, ...] = (*tiktok.APIS, *instagram.APIS, *youtube.APIS)


def _detect_one(doc: object) -> tuple[str, _Reader] | None:
    for detect, read in _ADAPTERS:
        api = detect(doc)
        if api is not None:
            return api, read
    return None


def _pages(doc: object) -> tuple[str, _Reader, list[tuple[str, object]]] | None:
    if isinstance(doc, list):
        if not doc:
            return None
        found = [_detect_one(page) for page in doc]
        first = found[0]
        if first is None or any(f is None or f[0] != first[0] for f in found):
            return None
        return first[0], first[1], [(f"$[{i}]", page) for i, page in enumerate(doc)]
    one = _detect_one(doc)
    return None if one is None else (one[0], one[1], [("$", doc)])


def detect_payload(doc: object) -> str | None:
    """The payload id (e.g. ``"youtube.videos"``) of an official API response, or of a list of
    pages of one API; None when ``doc`` is not one."""
    found = _pages(doc)
    return None if found is None else found[0]


def payload_records(doc: object, *, handle: str | None = None) -> PayloadRecords:
    """Rows of an official API payload. ``handle`` names the account when the payload does not
    (TikTok Research user info, Instagram insights, YouTube videos.list). Raises
    :class:`PayloadError` for API error responses and payloads that cannot be read."""
    found = _pages(doc)
    if found is None:
        raise PayloadError(
            "not a response of a supported API (TikTok Research/Display, Instagram Graph, "
            "YouTube Data v3), or a list mixing pages of different APIs"
        )
    api, read, pages = found
    records = read(pages, api, handle)
    records.limits = limits_for(api)
    return records
