"""Instagram Graph API: ``business_discovery`` of other professional accounts by username, through
the user's own Instagram professional account (its IG user id and access token).

One call (``GET /<IG_USER_ID>?fields=business_discovery.username(NAME){…}``,
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/business-discovery)
returns the profile (followers_count, media_count, …) and one page of media; the next page is the
same call with ``media.after(CURSOR)`` (the ``paging.cursors.after`` of the previous page). Every
page is a business_discovery response and is ingested as one (the payload adapter
``instagram_graph.business_discovery``). The access token travels in the ``Authorization`` header,
never in a URL; the ``paging.next`` links the API answers repeat it, and the archive redacts it.

Rate limits answer HTTP 400/403 with ``error.code`` 4 (app), 17 (user), 32 (page), 613 (a
method's own limit) or 80002 (the Instagram account's business-use-case limit): a quota stop,
continued later with ``--resume`` (https://developers.facebook.com/docs/graph-api/overview/rate-limiting
and https://developers.facebook.com/docs/graph-api/guides/error-handling).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creatorlens.ingest.collect import _usernames
from creatorlens.ingest.collect._fetcher import ApiError, Fetcher, Request

__all__ = [
    "DEFAULT_BASE_URL",
    "PAGE_SIZE",
    "RATE_LIMIT_CODES",
    "auth_headers",
    "error_kind",
    "fetch_account",
    "parse_username",
    "plan_account",
]

DEFAULT_BASE_URL = "https://graph.facebook.com/v21.0"
#: Media per page: the Graph API's default page size of an edge (a larger ``limit`` is accepted for
#: media edges but not documented for business_discovery, so the collector does not rely on it).
PAGE_SIZE = 25
#: Graph API error codes that mean "too many calls" (throttling), not a bad request.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80002})
_PROFILE_FIELDS = (
    "id,ig_id,username,name,biography,website,profile_picture_url,followers_count,follows_count,media_count"
)
_MEDIA_FIELDS = (
    "id,caption,comments_count,like_count,media_product_type,media_type,media_url,permalink,timestamp"
)
# Instagram usernames: letters, digits, periods and underscores, at most 30 characters.


def auth_headers(credentials: Mapping[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {credentials['access_token']}"}


def parse_username(text: str) -> str:
    """``name``, ``@name`` or an instagram.com/name URL -> ``name``."""
    return _usernames.parse_username(text, site="instagram.com", what="an Instagram username", max_length=30)


def error_kind(status: int, doc: Any) -> str | None:
    """``"quota: …"`` for a rate-limit error, an error text for another error answer, None for a
    good one. Graph API errors: ``{"error": {"message", "type", "code", "error_subcode",
    "fbtrace_id"}}``."""
    error = doc.get("error") if isinstance(doc, Mapping) else None
    if status < 400 and not isinstance(error, Mapping):
        return None
    code: object = None
    message, kind, subcode = "", "", None
    if isinstance(error, Mapping):
        code, subcode = error.get("code"), error.get("error_subcode")
        message, kind = str(error.get("message") or ""), str(error.get("type") or "")
    if isinstance(code, int) and code in RATE_LIMIT_CODES:
        return f"quota: the Graph API answered error code {code} ({message or 'rate limited'})"
    sub = f", subcode {subcode}" if subcode is not None else ""
    return f"HTTP {status} (code {code}{sub}, {kind or 'no type'}): {message or 'no message'}"


def _discovery(doc: Any) -> str | None:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("business_discovery"), Mapping):
        return "no 'business_discovery' object"
    found = doc["business_discovery"]
    if not found.get("id") or not found.get("username"):
        return "business_discovery has no id or username"
    media = found.get("media")
    if media is not None and not (isinstance(media, Mapping) and isinstance(media.get("data"), list)):
        return "business_discovery.media has no 'data' list"
    return None


def _fields(username: str, limit: int, after: str | None) -> str:
    if limit == 0:
        return f"business_discovery.username({username}){{{_PROFILE_FIELDS}}}"
    edge = "media" + (f".after({after})" if after else "") + f".limit({limit})"
    return f"business_discovery.username({username}){{{_PROFILE_FIELDS},{edge}{{{_MEDIA_FIELDS}}}}}"


def fetch_account(
    fetcher: Fetcher, ig_user_id: str, username: str, *, max_media: int | None
) -> dict[str, Any]:
    """The account's profile, then its media (newest first) page by page until the last page or
    ``max_media`` (None: all)."""
    media = 0
    after: str | None = None
    found: Mapping[str, Any] = {}
    while True:
        limit = PAGE_SIZE if max_media is None else min(PAGE_SIZE, max_media - media)
        doc = fetcher.get(
            Request("business_discovery", "GET", ig_user_id, {"fields": _fields(username, limit, after)}),
            validate=_discovery,
        )
        found = doc["business_discovery"]
        edge = found.get("media") or {}
        page = edge.get("data") or []
        media += len(page)
        paging = edge.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if limit == 0 or not page or not paging.get("next") or not after:
            break
        if max_media is not None and media >= max_media:
            break
    if not found:
        raise ApiError(f"instagram: no account {username!r}")
    return {"ig_user_id": found.get("id"), "username": found.get("username"), "media": media}


def plan_account(max_media: int | None) -> list[tuple[str, str]]:
    if max_media is None:
        return [("business_discovery", f"1 per {PAGE_SIZE} media (media_count is known after the first)")]
    return [("business_discovery", str(max(1, -(-max_media // PAGE_SIZE))))]
