"""TikTok Display API: the user's own account (``GET /v2/user/info/``) and own videos
(``POST /v2/video/list/``) with a user access token that creatorlens refreshes itself.

Field names: shared/reference/api_fields.md. The token calls follow TikTok for Developers,
"Refresh a User Access Token" (https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token)
and "Manage OAuth Access Tokens" (https://developers.tiktok.com/doc/oauth-user-access-token-management):

- ``POST /v2/oauth/token/`` with the form fields ``client_key``, ``client_secret``,
  ``grant_type=refresh_token`` and ``refresh_token`` answers ``access_token``, ``expires_in``
  (seconds), ``refresh_token``, ``refresh_expires_in``, ``open_id``, ``scope``, ``token_type``.
- Refresh tokens **rotate**: the answer's refresh token replaces the one sent, which stops working.
  So the new access token, its expiry and the new refresh token are written back to the
  credentials file (mode 0600) at once, before any other call; they are never printed, logged or
  archived (they join the redacted secrets).
- The lifetimes are read from ``expires_in``, not assumed (TikTok's pages give 2 or 24 hours).

When the stored access token has expired (or expires within a minute) it is refreshed before the
first call; when the API still answers ``access_token_invalid`` (revoked, or the clock was off) it
is refreshed once more and the call repeated once. A refused refresh is a clear error: authorise
again and store the new refresh token (``creatorlens auth set tiktok_display``).

Display API calls do not count against the Research API's daily cap (collect_quotas.toml gives
them no cost): its limits are per minute, and 429 answers are retried with backoff.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from creatorlens.errors import CredentialError
from creatorlens.ingest.collect._archive import redact
from creatorlens.ingest.collect._fetcher import ApiError, Fetcher, Request
from creatorlens.ingest.collect._http import HttpClient
from creatorlens.ingest.collect.tiktok import videos_and_cursor

__all__ = ["PAGE_SIZE", "USER_FIELDS", "TokenKeeper", "fetch_own", "plan_own"]

#: The most videos one page of video.list holds (its max_count).
PAGE_SIZE = 20
USER_FIELDS = (
    "open_id,union_id,avatar_url,display_name,bio_description,profile_deep_link,is_verified,username,"
    "follower_count,following_count,likes_count,video_count"
)
VIDEO_FIELDS = (
    "id,create_time,cover_image_url,share_url,video_description,duration,height,width,title,"
    "embed_link,like_count,comment_count,share_count,view_count"
)
#: Refresh an access token this close to its expiry rather than let it lapse mid-run.
EARLY = timedelta(seconds=60)
INVALID_TOKEN = "access_token_invalid"
PLATFORM = "tiktok_display"


class TokenKeeper:
    """The user access token: refreshed when due, saved back through ``save`` at once."""

    def __init__(
        self,
        client: HttpClient,
        credentials: dict[str, str],
        secrets: list[str],
        *,
        clock: Callable[[], datetime],
        save: Callable[[dict[str, str]], None],
    ) -> None:
        self.client, self.credentials, self.secrets = client, credentials, secrets
        self.clock, self.save = clock, save
        self.refreshes = 0

    def _expires_at(self) -> datetime | None:
        text = self.credentials.get("access_expires_at")
        try:
            when = datetime.fromisoformat(text) if text else None
        except ValueError:
            return None
        return when if when is None or when.tzinfo else when.replace(tzinfo=UTC)

    def token(self) -> str:
        """A token that has not expired, refreshing the stored one when it has (or is unknown)."""
        current = self.credentials.get("access_token")
        expires = self._expires_at()
        if not current or expires is None or expires - EARLY <= self.clock():
            return self.refresh()
        return current

    def refresh(self) -> str:
        answer = self.client.call(
            "POST",
            "v2/oauth/token/",
            form={
                "client_key": self.credentials["client_key"],
                "client_secret": self.credentials["client_secret"],
                "grant_type": "refresh_token",
                "refresh_token": self.credentials["refresh_token"],
            },
        )
        try:
            doc = json.loads(answer.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            doc = None
        doc = doc if isinstance(doc, Mapping) else {}
        token, rotated, seconds = doc.get("access_token"), doc.get("refresh_token"), doc.get("expires_in")
        if answer.status >= 400 or not isinstance(token, str) or not token or not isinstance(seconds, int):
            why = (
                f"{doc.get('error')}: {doc.get('error_description') or 'no description'}"
                if doc.get("error")
                else "no access_token and expires_in in the answer"
            )
            raise CredentialError(
                f"tiktok_display: the refresh token was refused (HTTP {answer.status}, "
                f"{redact(str(why), self.secrets)}); authorise the app again and store the new "
                "refresh token with `creatorlens auth set tiktok_display`"
            )
        self.refreshes += 1
        update = {
            "access_token": token,
            "access_expires_at": (self.clock() + timedelta(seconds=seconds)).isoformat(),
        }
        if isinstance(rotated, str) and rotated:
            update["refresh_token"] = rotated
        self.secrets.extend(v for k, v in update.items() if k != "access_expires_at")
        self.credentials.update(update)
        self.save(update)  # the old refresh token no longer works: keep the new one first
        return token


def _user(doc: Any) -> str | None:
    data = doc.get("data") if isinstance(doc, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("user"), Mapping):
        return "not a Display API user info: no data.user object"
    return None


def _videos(doc: Any) -> str | None:
    data = doc.get("data") if isinstance(doc, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("videos", []), list):
        return "not a Display API video list: no data.videos list"
    return None


def _invalid_token(exc: ApiError) -> bool:
    return INVALID_TOKEN in str(exc)


def fetch_own(
    fetcher: Fetcher, keeper: TokenKeeper, use: Callable[[str], None], *, max_videos: int | None
) -> dict[str, Any]:
    """The own profile, then the own videos (newest first) up to ``max_videos``; ``use`` puts a
    token in the client's header. An ``access_token_invalid`` answer refreshes once and repeats."""
    use(keeper.token())
    retried = False

    def get(request: Request, **options: Any) -> Any:
        nonlocal retried
        try:
            return fetcher.get(request, **options)
        except ApiError as exc:
            if retried or not _invalid_token(exc):
                raise
            retried = True
            use(keeper.refresh())
            return fetcher.get(request, **options)

    doc = get(Request("display.user_info", "GET", "v2/user/info/", {"fields": USER_FIELDS}), validate=_user)
    user = doc["data"]["user"]
    username = user.get("username")
    handle = str(username) if username else None
    videos = 0
    cursor: int | None = None
    while max_videos != 0 and (max_videos is None or videos < max_videos):
        size = PAGE_SIZE if max_videos is None else min(PAGE_SIZE, max_videos - videos)
        body: dict[str, Any] = {"max_count": size, **({"cursor": cursor} if cursor is not None else {})}
        page = get(
            Request("display.video_list", "POST", "v2/video/list/", {"fields": VIDEO_FIELDS}, body),
            validate=_videos,
            handle=handle,
        )
        found, cursor = videos_and_cursor(page["data"], "tiktok_display video.list")
        videos += len(found)
        if cursor is None:
            break
    return {"username": handle, "open_id": user.get("open_id"), "followers": user.get("follower_count"),
            "videos": videos}  # fmt: skip


def plan_own(max_videos: int | None) -> list[tuple[str, str]]:
    pages = "1 per 20 videos" if max_videos is None else str(-(-max_videos // PAGE_SIZE) if max_videos else 0)
    return [("display.user_info", "1"), ("display.video_list", pages)]
