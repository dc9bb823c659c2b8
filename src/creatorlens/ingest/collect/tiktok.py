"""TikTok Research API: public profiles by username (``/v2/research/user/info/``) and videos by
username or keyword (``/v2/research/video/query/``), with a client access token
(https://developers.tiktok.com/doc/research-api-get-started).

- The token: ``POST /v2/oauth/token/`` with the client key and secret (form fields,
  ``grant_type=client_credentials``) answers ``{"access_token": "clt.…", "expires_in": 7200}``.
  That call is neither archived nor counted against the daily cap; the token joins the secrets
  that are redacted everywhere, and travels in the ``Authorization`` header.
- A video query spans at most 30 days (``start_date`` / ``end_date``, YYYYMMDD) and returns at most
  100 videos a page; the next page repeats the query with the ``cursor`` and ``search_id`` the
  previous page answered, until ``has_more`` is false. A longer ``--days`` is split into 30-day
  windows, newest first. The window's last day is fixed when a run starts and kept in its
  checkpoint, so ``--resume`` on a later day repeats the same requests (and reads them from the
  archive).
- Responses wrap results as ``{"data": {…}, "error": {"code": "ok", "message", "log_id"}}``; the
  payload adapters read them (``tiktok_research.user_info`` / ``tiktok_research.video_query``).
- The daily cap (1,000 requests, collect_quotas.toml) is kept by the ledger; an API answer
  ``daily_quota_limit_exceeded`` is a quota stop, not retried. ``rate_limit_exceeded`` (HTTP 429,
  a one-minute window) is retried with backoff.

The Research API's user info has no user id, so TikTok creators are keyed by username; a renamed
account is linked to its old record through its videos, whose ids survive the rename
(``_renames``, docs/collectors.md). The Display API (the consenting user's own account, with an
``open_id``) is collected by ``tiktok_display``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from creatorlens.errors import CredentialError
from creatorlens.ingest.collect import _usernames
from creatorlens.ingest.collect._archive import redact
from creatorlens.ingest.collect._fetcher import ApiError, Fetcher, Request
from creatorlens.ingest.collect._http import HttpClient

__all__ = [
    "DAILY_QUOTA_CODES",
    "DEFAULT_BASE_URL",
    "MAX_WINDOW_DAYS",
    "PAGE_SIZE",
    "client_token",
    "error_kind",
    "fetch_query",
    "fetch_user",
    "is_final",
    "parse_username",
    "plan_tiktok",
]

DEFAULT_BASE_URL = "https://open.tiktokapis.com"
#: The most videos one page of video.query holds, and the longest span of one query.
PAGE_SIZE = 100
MAX_WINDOW_DAYS = 30
#: Error codes that mean the day's cap is spent: waiting minutes does not help.
DAILY_QUOTA_CODES = frozenset({"daily_quota_limit_exceeded"})
_USER_FIELDS = (
    "display_name,bio_description,avatar_url,is_verified,follower_count,following_count,"
    "likes_count,video_count,bio_url"
)
_VIDEO_FIELDS = (
    "id,video_description,create_time,region_code,share_count,view_count,like_count,comment_count,"
    "music_id,hashtag_names,username,effect_ids,playlist_id,voice_to_text,is_stem_verified,"
    "favorites_count,video_duration"
)


def parse_username(text: str) -> str:
    """``name``, ``@name`` or a tiktok.com/@name URL -> ``name``."""
    return _usernames.parse_username(text, site="tiktok.com", what="a TikTok username", max_length=24)


def client_token(client: HttpClient, credentials: Mapping[str, str], secrets: list[str]) -> str:
    """A client access token for the Research API (never archived; added to ``secrets``)."""
    answer = client.call(
        "POST",
        "v2/oauth/token/",
        form={
            "client_key": credentials["client_key"],
            "client_secret": credentials["client_secret"],
            "grant_type": "client_credentials",
        },
    )
    try:
        doc = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    token = doc.get("access_token") if isinstance(doc, Mapping) else None
    if answer.status >= 400 or not isinstance(token, str) or not token:
        why = "no access_token in the answer"
        if isinstance(doc, Mapping) and doc.get("error"):
            why = f"{doc.get('error')}: {doc.get('error_description') or 'no description'}"
        raise CredentialError(
            "tiktok: the client key and secret were refused for a client access token "
            f"(HTTP {answer.status}, {redact(why, secrets)}); check CREATORLENS_TIKTOK_CLIENT_KEY "
            "and CREATORLENS_TIKTOK_CLIENT_SECRET or `creatorlens auth set tiktok`"
        )
    secrets.append(token)
    return token


def _error(doc: Any) -> Mapping[str, Any] | None:
    error = doc.get("error") if isinstance(doc, Mapping) else None
    return error if isinstance(error, Mapping) else None


def is_final(status: int, body: bytes) -> bool:
    """A 429 that says the daily cap is spent is the answer, not a reason to retry."""
    if status != 429:
        return False
    try:
        error = _error(json.loads(body))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return error is not None and error.get("code") in DAILY_QUOTA_CODES


def error_kind(status: int, doc: Any) -> str | None:
    error = _error(doc)
    code = error.get("code") if error is not None else None
    if status < 400 and code == "ok":
        return None
    message = str(error.get("message") or "") if error is not None else ""
    if code in DAILY_QUOTA_CODES:
        return f"quota: the Research API answered {code} ({message or 'daily cap reached'})"
    log_id = f", log_id {error.get('log_id')}" if error is not None and error.get("log_id") else ""
    return f"HTTP {status} ({code or 'no code'}{log_id}): {message or 'no message'}"


def _wrapped(doc: Any) -> str | None:
    if not isinstance(doc, Mapping) or _error(doc) is None or not isinstance(doc.get("data"), Mapping):
        return "not a TikTok API response: no 'data' and 'error' objects"
    return None


def _videos_page(doc: Any) -> str | None:
    problem = _wrapped(doc)
    if problem is None and not isinstance(doc["data"].get("videos", []), list):
        return "data.videos is not a list"
    return problem


def fetch_user(fetcher: Fetcher, username: str, *, days: int, max_videos: int | None) -> dict[str, Any]:
    """The profile, then the user's videos of the last ``days`` days (up to ``max_videos``)."""
    doc = fetcher.get(
        Request(
            "user.info", "POST", "v2/research/user/info/", {"fields": _USER_FIELDS}, {"username": username}
        ),
        validate=_wrapped,
        handle=username,  # the answer does not name the account
    )
    data = doc["data"]
    videos = 0
    if max_videos != 0:
        condition = {"operation": "EQ", "field_name": "username", "field_values": [username]}
        videos = _query(fetcher, {"and": [condition]}, days=days, max_videos=max_videos)
    return {"username": username, "followers": data.get("follower_count"), "videos": videos}


def fetch_query(
    fetcher: Fetcher, text: str, *, region: str | None, days: int, max_videos: int | None
) -> dict[str, Any]:
    """Videos whose description holds ``text`` (``keyword``), optionally in one region."""
    conditions: list[dict[str, Any]] = [{"operation": "EQ", "field_name": "keyword", "field_values": [text]}]
    if region:
        conditions.append({"operation": "IN", "field_name": "region_code", "field_values": [region.upper()]})
    return {"query": text, "videos": _query(fetcher, {"and": conditions}, days=days, max_videos=max_videos)}


def _window_end(fetcher: Fetcher) -> date:
    """The last day of the run's first window, fixed when the run starts (see the module doc)."""
    params = fetcher.checkpoint.params
    if "window_end" not in params:
        # Yesterday: the Research API's index of a day is complete only after it ends.
        params["window_end"] = (fetcher.clock().date() - timedelta(days=1)).isoformat()
        fetcher.checkpoint.save()
    return datetime.fromisoformat(str(params["window_end"])).date()


def windows(end: date, days: int) -> list[tuple[date, date]]:
    """(start, end) spans of at most 30 days covering ``days`` days up to ``end``, newest first."""
    out: list[tuple[date, date]] = []
    left = days
    while left > 0:
        span = min(MAX_WINDOW_DAYS, left)
        out.append((end - timedelta(days=span - 1), end))
        end -= timedelta(days=span)
        left -= span
    return out


def videos_and_cursor(data: Mapping[str, Any], api: str) -> tuple[list[Any], int | None]:
    """A page of videos (Research API video.query, Display API video.list) and the cursor of the
    next page: None after the last page (``has_more`` false, or no video)."""
    videos: list[Any] = data.get("videos") or []
    if not data.get("has_more") or not videos:
        return videos, None
    if not isinstance(data.get("cursor"), int):
        raise ApiError(f"{api}: has_more without a cursor")
    return videos, data["cursor"]


def _query(fetcher: Fetcher, query: dict[str, Any], *, days: int, max_videos: int | None) -> int:
    found = 0
    for start, end in windows(_window_end(fetcher), days):
        cursor: int | None = None
        search_id: str | None = None
        while max_videos is None or found < max_videos:
            size = PAGE_SIZE if max_videos is None else min(PAGE_SIZE, max_videos - found)
            body: dict[str, Any] = {
                "query": query,
                "start_date": start.strftime("%Y%m%d"),
                "end_date": end.strftime("%Y%m%d"),
                "max_count": size,
            }
            if cursor is not None:
                body["cursor"] = cursor
            if search_id:
                body["search_id"] = search_id
            doc = fetcher.get(
                Request("video.query", "POST", "v2/research/video/query/", {"fields": _VIDEO_FIELDS}, body),
                validate=_videos_page,
            )
            data = doc["data"]
            page, cursor = videos_and_cursor(data, "tiktok video.query")
            found += len(page)
            if cursor is None:
                break
            search_id = str(data.get("search_id") or "") or search_id
        if max_videos is not None and found >= max_videos:
            break
    return found


def plan_tiktok(usernames: int, query: bool, days: int, max_videos: int | None) -> list[tuple[str, str]]:
    window_count = len(windows(date(2000, 1, 31), days))
    if max_videos is None:
        per = f"at least {window_count} per query, then 1 per {PAGE_SIZE} videos"
    else:
        # every window may end on a part page: at most one more page per window after the first
        per = str(-(-max_videos // PAGE_SIZE) + window_count - 1 if max_videos else 0)
    queries = usernames + (1 if query else 0)
    calls = [("user.info", str(usernames))] if usernames else []
    if per.isdigit():
        calls.append(("video.query", str(int(per) * queries)))
    else:
        calls.append(("video.query", f"{queries} queries: {per}"))
    return calls
