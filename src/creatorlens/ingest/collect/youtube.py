"""YouTube Data API v3: channels (by id, @handle or URL) with their uploads and video statistics,
and search (discovery of channels or videos).

Calls (https://developers.google.com/youtube/v3/docs): ``channels.list`` (part
snippet,statistics,contentDetails: the uploads playlist id is in
contentDetails.relatedPlaylists.uploads), ``playlistItems.list`` (the upload ids, 50 a page),
``videos.list`` (part snippet,statistics,contentDetails, 50 ids a call) and ``search.list``
(100 units a call). The API key travels in the ``X-Goog-Api-Key`` header, never in a URL.
channels.list and videos.list responses are ingested; playlistItems and search responses are
archived only (they hold ids, not counts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from creatorlens.errors import OptionError
from creatorlens.ingest.collect._fetcher import ApiError, Fetcher, Request

__all__ = [
    "DEFAULT_BASE_URL",
    "PAGE_SIZE",
    "ChannelRef",
    "auth_headers",
    "error_kind",
    "fetch_channel",
    "fetch_search",
    "parse_channel",
    "plan_channel",
    "plan_search",
]

DEFAULT_BASE_URL = "https://www.googleapis.com/youtube/v3"
#: The most results one page of playlistItems.list, search.list or ids of videos.list may hold.
PAGE_SIZE = 50
_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_CHANNEL_PARTS = "snippet,statistics,contentDetails"
_VIDEO_PARTS = "snippet,statistics,contentDetails"


def auth_headers(credentials: Mapping[str, str]) -> dict[str, str]:
    return {"X-Goog-Api-Key": credentials["api_key"]}


@dataclass(frozen=True)
class ChannelRef:
    """How the user named a channel: ``kind`` is the channels.list filter (id, forHandle,
    forUsername)."""

    kind: str
    value: str


def parse_channel(text: str) -> ChannelRef:
    """``UC…`` id, ``@handle``, or a youtube.com URL (/channel/UC…, /@handle, /user/NAME)."""
    text = text.strip()
    if not text:
        raise OptionError("--channel: empty")
    if "/" in text or text.startswith(("http:", "https:")):
        url = urlparse(text if "://" in text else f"https://{text}")
        parts = [p for p in url.path.split("/") if p]
        if not parts:
            raise OptionError(f"--channel {text!r}: a channel URL names /channel/ID or /@handle")
        if parts[0] == "channel" and len(parts) > 1 and _CHANNEL_ID.match(parts[1]):
            return ChannelRef("id", parts[1])
        if parts[0].startswith("@"):
            return ChannelRef("forHandle", parts[0])
        if parts[0] == "user" and len(parts) > 1:
            return ChannelRef("forUsername", parts[1])
        raise OptionError(
            f"--channel {text!r}: the Data API finds channels by id, @handle or /user/ name; "
            "a /c/ custom URL cannot be looked up (open the channel and copy its @handle)"
        )
    if _CHANNEL_ID.match(text):
        return ChannelRef("id", text)
    return ChannelRef("forHandle", text if text.startswith("@") else f"@{text}")


def error_kind(status: int, doc: Any) -> str | None:
    """``"quota"`` for quotaExceeded / dailyLimitExceeded, an error text for another error answer,
    None for a good one (https://developers.google.com/youtube/v3/docs/errors)."""
    error = doc.get("error") if isinstance(doc, Mapping) else None
    if status < 400 and not isinstance(error, Mapping):
        return None
    reasons: list[str] = []
    message = ""
    if isinstance(error, Mapping):
        message = str(error.get("message") or "")
        reasons = [str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, Mapping)]
    if status == 403 and any(
        r in ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded") for r in reasons
    ):
        return "quota"
    return f"HTTP {status} ({', '.join(reasons) or 'no reason'}): {message or 'no message'}"


def _items(doc: Any) -> str | None:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("items", []), list):
        return "not a list response: no 'items' list"
    if not str(doc.get("kind", "")).startswith("youtube#"):
        return f"unexpected kind {doc.get('kind')!r}"
    return None


def _video_ids(fetcher: Fetcher, ids: list[str], handle: str | None) -> int:
    """videos.list for ``ids`` (at most 50), ingested; the number of videos returned."""
    if not ids:
        return 0
    doc = fetcher.get(
        Request(
            "videos.list",
            "GET",
            "videos",
            {"part": _VIDEO_PARTS, "id": ",".join(ids), "maxResults": len(ids)},
        ),
        validate=_items,
        handle=handle,
    )
    return len(doc.get("items", []))


def fetch_channel(fetcher: Fetcher, ref: ChannelRef, *, max_videos: int | None) -> dict[str, Any]:
    """The channel, then its uploads (newest first) up to ``max_videos`` (None: all)."""
    channels = fetcher.get(
        Request("channels.list", "GET", "channels", {"part": _CHANNEL_PARTS, ref.kind: ref.value}),
        validate=_items,
    )
    items = channels.get("items") or []
    if not items:
        raise ApiError(f"youtube: no channel {ref.value!r} ({ref.kind})")
    channel = items[0]
    handle = (channel.get("snippet") or {}).get("customUrl") or channel.get("id")
    uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
    videos = 0
    if uploads and max_videos != 0:
        token: str | None = None
        while max_videos is None or videos < max_videos:
            size = PAGE_SIZE if max_videos is None else min(PAGE_SIZE, max_videos - videos)
            params: dict[str, Any] = {"part": "contentDetails", "playlistId": uploads, "maxResults": size}
            if token:
                params["pageToken"] = token
            page = fetcher.get(
                Request("playlistItems.list", "GET", "playlistItems", params),
                validate=_items,
                ingestible=False,
            )
            ids = [
                str((item.get("contentDetails") or {}).get("videoId"))
                for item in page.get("items", [])
                if (item.get("contentDetails") or {}).get("videoId")
            ][:size]
            videos += _video_ids(fetcher, ids, handle)
            token = page.get("nextPageToken")
            if not token or not ids:
                break
    return {"channel_id": channel.get("id"), "handle": handle, "videos": videos}


def fetch_search(
    fetcher: Fetcher, query: str, *, region: str | None, kind: str, max_results: int
) -> dict[str, Any]:
    """search.list pages until ``max_results`` results or the last page; each page's channels
    (or videos) are then read with channels.list (videos.list), which hold the counts."""
    if kind not in ("channel", "video"):
        raise OptionError(f"--type {kind!r}: choose channel or video")
    found = 0
    token: str | None = None
    while found < max_results:
        size = min(PAGE_SIZE, max_results - found)
        params: dict[str, Any] = {"part": "snippet", "q": query, "type": kind, "maxResults": size}
        if region:
            params["regionCode"] = region.upper()
        if token:
            params["pageToken"] = token
        page = fetcher.get(Request("search.list", "GET", "search", params), validate=_items, ingestible=False)
        key = "channelId" if kind == "channel" else "videoId"
        ids = [
            str((i.get("id") or {}).get(key)) for i in page.get("items", []) if (i.get("id") or {}).get(key)
        ]
        ids = list(dict.fromkeys(ids))[:size]
        if kind == "channel" and ids:
            fetcher.get(
                Request("channels.list", "GET", "channels", {"part": _CHANNEL_PARTS, "id": ",".join(ids)}),
                validate=_items,
            )
        elif ids:
            _video_ids(fetcher, ids, None)
        found += len(ids)
        token = page.get("nextPageToken")
        if not token or not ids:
            break
    return {"query": query, "results": found}


def _pages(n: int) -> int:
    return -(-n // PAGE_SIZE)


def plan_channel(max_videos: int | None) -> list[tuple[str, str]]:
    """The calls of one channel fetch: (method, how many)."""
    if max_videos is None:
        return [
            ("channels.list", "1"),
            ("playlistItems.list", "1 per 50 uploads (videoCount is known after channels.list)"),
            ("videos.list", "1 per 50 uploads"),
        ]
    pages = _pages(max_videos)
    return [("channels.list", "1"), ("playlistItems.list", str(pages)), ("videos.list", str(pages))]


def plan_search(kind: str, max_results: int) -> list[tuple[str, str]]:
    pages = _pages(max_results)
    return [
        ("search.list", str(pages)),
        ("channels.list" if kind == "channel" else "videos.list", str(pages)),
    ]
