"""TikTok Research API (user info, video query, video comments) and Display API (user info,
video list) responses, wrapped as
``{"data": {...}, "error": {"code": "ok", "message": "", "log_id": ...}}``.

Field names follow shared/reference/api_fields.md and the TikTok for Developers reference pages
cited in ``data/api_limits.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from creatorlens.ingest.payloads._records import (
    PayloadError,
    PayloadRecords,
    ProfileFields,
    RecordBuilder,
    Row,
    as_count,
    as_text,
    as_time,
    clean_handle,
    extra,
    hashtags_in,
    join_names,
    mapping_or_none,
    mentions_in,
    path,
    profile_row,
    untimed_transcript,
    with_extra,
)

PLATFORM = "tiktok"
RESEARCH_USER_INFO = "tiktok_research.user_info"
RESEARCH_VIDEO_QUERY = "tiktok_research.video_query"
RESEARCH_VIDEO_COMMENTS = "tiktok_research.video_comments"
DISPLAY_USER_INFO = "tiktok_display.user_info"
DISPLAY_VIDEO_LIST = "tiktok_display.video_list"
ERROR = "tiktok.error"
UNKNOWN_ENDPOINT = "tiktok.unknown_endpoint"
APIS = (
    RESEARCH_USER_INFO, RESEARCH_VIDEO_QUERY, RESEARCH_VIDEO_COMMENTS, DISPLAY_USER_INFO,
    DISPLAY_VIDEO_LIST, ERROR, UNKNOWN_ENDPOINT,
)  # fmt: skip

# Both APIs name the profile fields alike; only the Display API has an open_id.
_PROFILE = ProfileFields(
    "open_id", "display_name", "bio_description", "follower_count", "following_count", "video_count"
)
_USER_FIELDS = frozenset(
    {"display_name", "bio_description", "avatar_url", "is_verified", "follower_count",
     "following_count", "likes_count", "video_count", "bio_url"}
)  # fmt: skip
# Video fields only one of the two APIs returns (the rest, e.g. id and the counts, are shared).
_RESEARCH_VIDEO_ONLY = frozenset(
    {"username", "region_code", "music_id", "hashtag_names", "effect_ids", "playlist_id",
     "voice_to_text", "is_stem_verified", "favorites_count", "video_duration", "hashtag_info_list",
     "sticker_info_list", "effect_info_list", "video_mention_list", "video_label", "video_tag"}
)  # fmt: skip
_DISPLAY_VIDEO_ONLY = frozenset(
    {"cover_image_url", "share_url", "duration", "height", "width", "title", "embed_html",
     "embed_link"}
)  # fmt: skip
_SHARE_URL = re.compile(r"tiktok\.com/@([^/?#]+)/video/(\d+)")


def _wrapper(doc: object) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """(data, error) of a TikTok response; TikTok error codes are strings, unlike Graph/Google."""
    if not isinstance(doc, Mapping):
        return None
    error = mapping_or_none(doc.get("error"))
    if error is None or not isinstance(error.get("code"), str):
        return None
    if "data" not in doc and "log_id" not in error:
        return None
    return mapping_or_none(doc.get("data")) or {}, error


def detect(doc: object) -> str | None:
    wrapped = _wrapper(doc)
    if wrapped is None:
        return None
    data, error = wrapped
    if isinstance(data.get("user"), Mapping):
        return DISPLAY_USER_INFO
    if isinstance(data.get("videos"), list):
        return _video_api(data)
    if isinstance(data.get("comments"), list):
        return RESEARCH_VIDEO_COMMENTS
    if _USER_FIELDS & data.keys():
        return RESEARCH_USER_INFO
    return ERROR if error.get("code") != "ok" else UNKNOWN_ENDPOINT


def _video_api(data: Mapping[str, Any]) -> str:
    keys: set[str] = set()
    for video in data["videos"]:
        if isinstance(video, Mapping):
            keys.update(video.keys())
    research = len(keys & _RESEARCH_VIDEO_ONLY) + (2 if "search_id" in data else 0)
    display = len(keys & _DISPLAY_VIDEO_ONLY)
    if research != display:
        return RESEARCH_VIDEO_QUERY if research > display else DISPLAY_VIDEO_LIST
    return RESEARCH_VIDEO_QUERY if "search_id" in data else DISPLAY_VIDEO_LIST


def read(pages: list[tuple[str, object]], api: str, handle: str | None) -> PayloadRecords:
    """Rows of every page (``(json path prefix, page)``) of one TikTok API."""
    builder = RecordBuilder(api, PLATFORM)
    for prefix, page in pages:
        wrapped = _wrapper(page)
        if wrapped is None:
            raise PayloadError("not a TikTok API response (no 'error' object)", prefix)
        data, error = wrapped
        code = error.get("code")
        if code != "ok":
            message = error.get("message") or "no message"
            log_id = f" (log_id {error['log_id']})" if error.get("log_id") else ""
            raise PayloadError(
                f"TikTok API error {code!r}: {message}{log_id}", path(prefix, "error")
            )
        where = path(prefix, "data")
        if api == RESEARCH_USER_INFO:
            _research_user(data, where, handle, builder, top=page)
        elif api == RESEARCH_VIDEO_QUERY:
            _videos(data, where, handle, builder, research=True)
        elif api == RESEARCH_VIDEO_COMMENTS:
            _comments(data, where, builder)
        elif api == DISPLAY_USER_INFO:
            _display_user(data, where, handle, builder)
        elif api == DISPLAY_VIDEO_LIST:
            _videos(data, where, handle, builder, research=False)
        else:
            raise PayloadError(
                "a TikTok response of an endpoint creatorlens does not read (data keys: "
                f"{', '.join(sorted(data)) or 'none'})",
                where,
            )
    return builder.out


def _research_user(
    data: Mapping[str, Any], where: str, handle: str | None, builder: RecordBuilder, top: object
) -> None:
    record = builder.record()
    top_username = top.get("username") if isinstance(top, Mapping) else None
    owner = clean_handle(handle) or clean_handle(data.get("username")) or clean_handle(top_username)
    missing = (
        "TikTok Research API user info does not say whose profile it is; "
        "pass --handle USERNAME (the username you queried)"
    )
    builder.add_creator(_user_row(data, owner, where, missing), record, where)


def _display_user(
    data: Mapping[str, Any], where: str, handle: str | None, builder: RecordBuilder
) -> None:
    record = builder.record()
    user_where = path(where, "user")
    user = data["user"]
    owner = clean_handle(user.get("username")) or clean_handle(handle)
    missing = (
        "TikTok Display API user info has no username (request the user.info.profile scope) "
        "; pass --handle USERNAME"
    )
    builder.add_creator(_user_row(user, owner, user_where, missing), record, user_where)


def _user_row(user: Mapping[str, Any], owner: str | None, where: str, missing: str) -> Row:
    """Both APIs name the profile fields alike; only the Display API has an open_id. Without an
    owner (``None``) the profile is an error that says ``missing``."""
    if owner is None:
        raise PayloadError(missing, where)
    row = profile_row(PLATFORM, owner, user, _PROFILE)
    row["verified"] = user.get("is_verified")
    return with_extra(row, extra(user, (*_PROFILE, "username", "is_verified")))


def _videos(
    data: Mapping[str, Any],
    where: str,
    handle: str | None,
    builder: RecordBuilder,
    *,
    research: bool,
) -> None:
    videos_where = path(where, "videos")
    videos = data["videos"]
    fallback = clean_handle(handle)
    if not research and fallback is None:
        # Display API: every video is the consenting user's own, so one share_url names them all.
        fallback = next((_share_url_owner(v) for v in videos if _share_url_owner(v)), None)
    for record, item_where, video in builder.objects(videos, videos_where, "a video"):
        row = _research_video(video) if research else _display_video(video)
        owner = clean_handle(video.get("username")) or _share_url_owner(video) or fallback
        if owner is None:
            field_hint = "username" if research else "share_url"
            raise PayloadError(
                f"video has no {field_hint} to tell whose it is; pass --handle USERNAME", item_where
            )
        row["handle"] = owner
        if research and row.get("post_url") is None and row.get("platform_post_id"):
            row["post_url"] = f"https://www.tiktok.com/@{owner}/video/{row['platform_post_id']}"
        builder.add_post(row, record, item_where)
        creator: Row = {"platform": PLATFORM, "handle": owner}
        if research:
            creator["country"] = as_text(video.get("region_code"))
        builder.add_creator_once(creator, record, item_where)


def _share_url_owner(video: object) -> str | None:
    if not isinstance(video, Mapping):
        return None
    match = _SHARE_URL.search(str(video.get("share_url") or ""))
    return clean_handle(match.group(1)) if match else None


def _common_video(video: Mapping[str, Any]) -> Row:
    caption = as_text(video.get("video_description"))
    return {
        "platform_post_id": as_text(video.get("id")),
        "posted_at": as_time(video.get("create_time")),
        "kind": "video",
        "caption": caption,
        "hashtags": hashtags_in(caption),
        "mentions": mentions_in(caption),
        "views": as_count(video.get("view_count")),
        "likes": as_count(video.get("like_count")),
        "comments": as_count(video.get("comment_count")),
        "shares": as_count(video.get("share_count")),
    }


_COMMON_USED = ("id", "video_description", "create_time", "view_count", "like_count",
                "comment_count", "share_count")  # fmt: skip


def _research_video(video: Mapping[str, Any]) -> Row:
    row = _common_video(video)
    row["hashtags"] = join_names(video.get("hashtag_names"), "#") or row["hashtags"]
    row["mentions"] = join_names(video.get("video_mention_list"), "@") or row["mentions"]
    row["duration_s"] = as_count(video.get("video_duration"))
    row["saves"] = as_count(video.get("favorites_count"))
    row["transcript"] = untimed_transcript(video.get("voice_to_text"))
    row["on_image_text"] = _sticker_text(video.get("sticker_info_list"))
    used = (*_COMMON_USED, "username", "hashtag_names", "video_mention_list", "video_duration",
            "favorites_count", "voice_to_text", "region_code", "sticker_info_list")  # fmt: skip
    return with_extra(row, extra(video, used))


def _display_video(video: Mapping[str, Any]) -> Row:
    row = _common_video(video)
    title = as_text(video.get("title"))
    row["title"] = title
    row["hashtags"] = hashtags_in(title, row["caption"])
    row["mentions"] = mentions_in(title, row["caption"])
    row["duration_s"] = as_count(video.get("duration"))
    row["post_url"] = as_text(video.get("share_url"))
    used = (*_COMMON_USED, "title", "duration", "share_url")
    return with_extra(row, extra(video, used))


def _sticker_text(stickers: object) -> str | None:
    """Text written on stickers over the video (sticker_info_list[].sticker_text)."""
    if not isinstance(stickers, list):
        return None
    texts: list[str] = []
    for sticker in stickers:
        value = sticker.get("sticker_text") if isinstance(sticker, Mapping) else None
        parts = value if isinstance(value, list) else [value]
        texts.extend(str(p).strip() for p in parts if p is not None and str(p).strip())
    return "\n".join(texts) or None


def _comments(data: Mapping[str, Any], where: str, builder: RecordBuilder) -> None:
    comments_where = path(where, "comments")
    for record, item_where, comment in builder.objects(data["comments"], comments_where, "a comment"):
        video_id = as_text(comment.get("video_id"))
        parent = as_text(comment.get("parent_comment_id"))
        row: Row = {
            "comment_id": as_text(comment.get("id")),
            "post_id": video_id,
            "author": None,  # the Research API removes commenters' identities
            "text": as_text(comment.get("text")),
            "created_at": as_time(comment.get("create_time")),
            # A top-level comment's parent is the video itself.
            "reply_to": parent if parent and parent != video_id else None,
        }
        used = ("id", "video_id", "parent_comment_id", "text", "create_time")
        builder.add_comment(with_extra(row, extra(comment, used)), record, item_where)
