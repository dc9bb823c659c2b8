"""YouTube Data API v3 responses: ``channels.list`` (part=snippet,statistics[,topicDetails]) and
``videos.list`` (part=snippet,statistics,contentDetails[,paidProductPlacementDetails]).

Counts arrive as JSON strings and become ints. Field names follow shared/reference/api_fields.md
and https://developers.google.com/youtube/v3/docs (channels, videos).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creatorlens.ingest._dates import parse_datetime, parse_duration_seconds
from creatorlens.ingest.payloads._limits import youtube_short_max_seconds
from creatorlens.ingest.payloads._records import (
    PayloadError,
    PayloadRecords,
    RecordBuilder,
    Row,
    as_count,
    as_text,
    as_time,
    clean_handle,
    extra,
    hashtags_in,
    mapping_or_none,
    mentions_in,
    path,
    with_extra,
)

PLATFORM = "youtube"
CHANNELS = "youtube.channels"
VIDEOS = "youtube.videos"
ERROR = "youtube.error"
APIS = (CHANNELS, VIDEOS, ERROR)

_LIST_KINDS = {"youtube#channelListResponse": CHANNELS, "youtube#videoListResponse": VIDEOS}
_ITEM_KINDS = {"youtube#channel": CHANNELS, "youtube#video": VIDEOS}


def detect(doc: object) -> str | None:
    if not isinstance(doc, Mapping):
        return None
    error = mapping_or_none(doc.get("error"))
    if error is not None and isinstance(error.get("errors"), list):
        return ERROR
    kind = str(doc.get("kind"))
    if kind in _LIST_KINDS:
        return _LIST_KINDS[kind]
    if kind in _ITEM_KINDS:
        return _ITEM_KINDS[kind]
    items = doc.get("items")
    if isinstance(items, list) and "data" not in doc:
        # A response saved with a `fields=` filter may have lost its `kind`: judge by the parts.
        kinds = {_item_api(i) for i in items if isinstance(i, Mapping)} - {None}
        if len(kinds) == 1:
            return kinds.pop()
    return None


def _item_api(item: Mapping[str, Any]) -> str | None:
    kind = str(item.get("kind"))
    if kind in _ITEM_KINDS:
        return _ITEM_KINDS[kind]
    stats = mapping_or_none(item.get("statistics")) or {}
    snippet = mapping_or_none(item.get("snippet")) or {}
    if "subscriberCount" in stats or "hiddenSubscriberCount" in stats or "customUrl" in snippet:
        return CHANNELS
    if "contentDetails" in item and "duration" in (mapping_or_none(item["contentDetails"]) or {}):
        return VIDEOS
    if "likeCount" in stats or "channelId" in snippet:
        return VIDEOS
    return None


def read(pages: list[tuple[str, object]], api: str, handle: str | None) -> PayloadRecords:
    builder = RecordBuilder(api, PLATFORM)
    for prefix, page in pages:
        if not isinstance(page, Mapping):
            raise PayloadError("a YouTube Data API response must be a JSON object", prefix)
        if api == ERROR:
            error = page["error"]
            reasons = ", ".join(
                str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, Mapping)
            )
            raise PayloadError(
                f"YouTube Data API error {error.get('code')!r} ({reasons or 'no reason'}): "
                f"{error.get('message') or 'no message'}",
                path(prefix, "error"),
            )
        single = "items" not in page  # a single channel or video resource
        items, where = ([page], prefix) if single else (page["items"], path(prefix, "items"))
        if not isinstance(items, list):
            raise PayloadError("'items' must be a list", where)
        for record, item_where, item in builder.objects(items, where, "an item", single=single):
            if api == CHANNELS:
                _channel(item, item_where, record, builder)
            else:
                _video(item, item_where, record, handle, builder)
    return builder.out


def _channel(item: Mapping[str, Any], where: str, record: int, builder: RecordBuilder) -> None:
    snippet = mapping_or_none(item.get("snippet")) or {}
    stats = mapping_or_none(item.get("statistics")) or {}
    channel_id = as_text(item.get("id"))
    owner = clean_handle(snippet.get("customUrl")) or clean_handle(channel_id)
    if owner is None:
        raise PayloadError("channel has neither snippet.customUrl nor id", where)
    followers = as_count(stats.get("subscriberCount"))
    if stats.get("hiddenSubscriberCount") is True:
        followers = None
        builder.note(where, "hiddenSubscriberCount is true: the subscriber count is unknown")
    row: Row = {
        "platform": PLATFORM,
        "handle": owner,
        "platform_id": channel_id,
        "display_name": as_text(snippet.get("title")),
        "bio": as_text(snippet.get("description")),
        "country": as_text(snippet.get("country")),
        "language": as_text(snippet.get("defaultLanguage")),
        "followers": followers,
        "posts_count": as_count(stats.get("videoCount")),
        "views_total": as_count(stats.get("viewCount")),
        "categories": _topics(item.get("topicDetails")),
    }
    leftovers: dict[str, Any] = {
        **extra(item, ("id", "snippet", "statistics", "topicDetails", "kind", "etag")),
        **{f"snippet.{k}": v for k, v in extra(
            snippet, ("customUrl", "title", "description", "country", "defaultLanguage")).items()},
        **{f"statistics.{k}": as_count(v) for k, v in extra(
            stats, ("subscriberCount", "videoCount", "viewCount")).items()},
    }  # fmt: skip
    builder.add_creator(with_extra(row, leftovers), record, where)


def _topics(details: object) -> str | None:
    """topicCategories are Wikipedia URLs; their last segment is the label (Music, Pop_music)."""
    topics = (mapping_or_none(details) or {}).get("topicCategories")
    if not isinstance(topics, list):
        return None
    labels = [str(t).rstrip("/").rsplit("/", 1)[-1].replace("_", " ") for t in topics if t]
    return "|".join(labels) or None


def _video(
    item: Mapping[str, Any], where: str, record: int, handle: str | None, builder: RecordBuilder
) -> None:
    snippet = mapping_or_none(item.get("snippet")) or {}
    stats = mapping_or_none(item.get("statistics")) or {}
    details = mapping_or_none(item.get("contentDetails")) or {}
    placement = mapping_or_none(item.get("paidProductPlacementDetails")) or {}
    channel_id = as_text(snippet.get("channelId"))
    owner = clean_handle(handle) or clean_handle(channel_id)
    if owner is None:
        raise PayloadError("video has no snippet.channelId; pass --handle CHANNEL", where)
    video_id = as_text(item.get("id"))
    title, description = as_text(snippet.get("title")), as_text(snippet.get("description"))
    posted = as_time(snippet.get("publishedAt"))
    duration = parse_duration_seconds(details.get("duration"))
    paid = placement.get("hasPaidProductPlacement")
    row: Row = {
        "handle": owner,
        "platform_post_id": video_id,
        "posted_at": posted,
        "kind": _kind(duration, posted, snippet.get("liveBroadcastContent")),
        "title": title,
        "caption": description,
        "hashtags": hashtags_in(title, description),
        "mentions": mentions_in(description),
        "duration_s": duration,
        "views": as_count(stats.get("viewCount")),
        "likes": as_count(stats.get("likeCount")),
        "comments": as_count(stats.get("commentCount")),
        "is_paid": paid if isinstance(paid, bool) else None,
        "post_url": f"https://www.youtube.com/watch?v={video_id}" if video_id else None,
    }
    leftovers: dict[str, Any] = {
        **extra(item, ("id", "snippet", "statistics", "contentDetails", "kind", "etag",
                       "paidProductPlacementDetails")),
        **{f"snippet.{k}": v for k, v in extra(
            snippet, ("channelId", "title", "description", "publishedAt")).items()},
        **{f"statistics.{k}": as_count(v) for k, v in extra(
            stats, ("viewCount", "likeCount", "commentCount")).items()},
        **{f"contentDetails.{k}": v for k, v in extra(details, ("duration",)).items()},
    }  # fmt: skip
    builder.add_post(with_extra(row, leftovers), record, where)
    creator: Row = {
        "platform": PLATFORM,
        "handle": owner,
        "platform_id": channel_id,
        "display_name": as_text(snippet.get("channelTitle")),
    }
    builder.add_creator_once(creator, record, where)


def _kind(duration: float | None, posted: object, live: object) -> str:
    """Every upload is a video; it is a short when it fits the Shorts length of its upload date.
    Live and upcoming broadcasts report a zero duration and are never shorts."""
    if duration is None or duration <= 0 or live in ("live", "upcoming"):
        return "video"
    published = parse_datetime(posted).value if isinstance(posted, str) else None
    if published is None:
        return "video"
    limit = youtube_short_max_seconds(published)
    return "short" if limit is not None and duration <= limit else "video"
