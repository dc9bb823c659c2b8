"""A loopback emulator of the Instagram Graph API and TikTok Research API endpoints the collectors
call, with the official field names and shapes (shared/reference/api_fields.md), in the style of
the YouTube emulator (``emulator.py``):

- Graph API ``GET /v21.0/<IG_USER_ID>?fields=business_discovery.username(NAME){…,media.after(C)
  .limit(N){…}}``: the profile and one page of media with ``paging.cursors.before/after`` and a
  ``paging.next`` link that repeats the access token (as the real API does); errors as
  ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`` (110 for an unknown
  username, 190 for a bad token).
- TikTok ``POST /v2/oauth/token/`` (client credentials), ``POST /v2/research/user/info/`` and
  ``POST /v2/research/video/query/`` (``cursor`` / ``has_more`` / ``search_id``, at most 100 videos
  a page and 30 days a query), wrapped as ``{"data": …, "error": {"code", "message", "log_id"}}``.

Faults are queued per endpoint (``business_discovery``, ``token``, ``user_info``, ``video_query``)
and every finished good response is counted per request, so tests can check that each page was
fetched exactly once. Accounts can be renamed between two runs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from .emulator import Fault

IG_USER_ID = "17841400000000001"  # the user's own professional account
IG_TOKEN = "EAAGemulatorIGtoken-secret-0123456789"
IG_CREDENTIALS = {"access_token": IG_TOKEN, "ig_user_id": IG_USER_ID}
TT_CLIENT_KEY = "awemulatorclientkey0001"
TT_CLIENT_SECRET = "ttsecret-emulator-0123456789abcdef"
TT_TOKEN = "clt.emulator-access-token-0123456789"
TT_CREDENTIALS = {"client_key": TT_CLIENT_KEY, "client_secret": TT_CLIENT_SECRET}
TT_DISPLAY_REFRESH = "rft.emulator-refresh-token-0001"
TT_DISPLAY_CREDENTIALS = {
    "client_key": TT_CLIENT_KEY, "client_secret": TT_CLIENT_SECRET, "refresh_token": TT_DISPLAY_REFRESH,
}  # fmt: skip
#: The Facebook app `auth login instagram` logs in through, and the short-lived user token the
#: code exchange gives (the long-lived exchange then gives IG_TOKEN).
FB_APP_ID = "1234567890123456"
FB_APP_SECRET = "fbsecret-emulator-0123456789abcdef"
FB_SHORT_TOKEN = "EAAGemulatorShortLived-secret-0001"
FB_PAGE_ID = "109876543210987"
#: The TikTok videos' newest day (the tests' clock starts the day after).
TT_LAST_DAY = date(2026, 3, 1)


@dataclass
class IgAccount:
    id: str
    username: str
    followers: int
    media: int  # how many media the account has (newest first)
    #: followers on a day of the emulator's clock; None: the fixed count above
    daily: Callable[[date], int] | None = None


@dataclass
class TtUser:
    username: str
    followers: int
    videos: int  # one every 4 hours, back from TT_LAST_DAY 23:00 UTC
    region: str = "KR"
    #: followers on a day of the emulator's clock; None: the fixed count above
    daily: Callable[[date], int] | None = None
    #: The account's inner key (its first username): video ids derive from it, so they survive
    #: a rename as TikTok's do.
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or self.username


def graph_error(code: int, message: str, subcode: int | None = None) -> bytes:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AbCdEfGhIjK"
    return json.dumps({"error": error}).encode()


def tiktok_error(code: str, message: str) -> bytes:
    return json.dumps(
        {"data": {}, "error": {"code": code, "message": message, "log_id": "20260302LOG"}}
    ).encode()


def _ok(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "20260302090000ABCDEF"}}


def _cursor(n: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{n}".encode()).decode().rstrip("=")


def _uncursor(text: str) -> int:
    return int(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split(":")[1])


@dataclass
class State:
    ig: list[IgAccount] = field(default_factory=list)
    tt: list[TtUser] = field(default_factory=list)
    #: The day of the newest TikTok videos (a CLI test on the real clock moves it to yesterday).
    tt_last_day: date = TT_LAST_DAY
    faults: dict[str, list[Fault | None]] = field(default_factory=dict)
    served: Counter[str] = field(default_factory=Counter)
    log: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)
    auth_seen: list[str | None] = field(default_factory=list)
    hang_at: dict[str, int] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)
    hung: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The emulator's clock (a test hook): counts with a ``daily`` rule follow its day.
    clock: Callable[[], datetime] | None = None
    #: Display API: the consenting user's own account (a TtUser with an open_id), the user
    #: access tokens that are valid now, the one refresh token that works (rotated on each
    #: refresh) and the refreshes made.
    me: TtUser | None = None
    me_open_id: str = "-000emulatorOpenId0001"
    user_tokens: set[str] = field(default_factory=set)
    refresh_token: str = TT_DISPLAY_REFRESH
    refreshes: int = 0
    #: OAuth logins: codes issued by the authorize pages (code -> what it was issued for), the
    #: code exchanges made (their form or query fields), and whether the user consents.
    auth_codes: dict[str, dict[str, str]] = field(default_factory=dict)
    exchanges: list[dict[str, str]] = field(default_factory=list)
    consent: bool = True

    def followers(self, account: IgAccount | TtUser) -> int:
        if account.daily is None or self.clock is None:
            return account.followers
        return account.daily(self.clock().date())

    def fail(self, endpoint: str, *faults: Fault | None) -> None:
        self.faults.setdefault(endpoint, []).extend(faults)

    def served_pages(self, endpoint: str) -> Counter[str]:
        return Counter({k: v for k, v in self.served.items() if k.startswith(endpoint + "?")})


_DISCOVERY = re.compile(r"^business_discovery\.username\(([^)]*)\)\{(.*)\}$")
_MEDIA_EDGE = re.compile(r"media(?:\.after\(([^)]*)\))?(?:\.limit\((\d+)\))?\{([^}]*)\}")


def _media(account: IgAccount, n: int, fields: set[str]) -> dict[str, Any]:
    kinds = [("IMAGE", "FEED"), ("VIDEO", "REELS"), ("CAROUSEL_ALBUM", "FEED")]
    media_type, product = kinds[n % 3]
    when = datetime(2026, 3, 1, 12, tzinfo=UTC) - timedelta(hours=7 * n)
    item = {
        "id": f"1790{account.id[-6:]}{n:05d}",
        "caption": f"비건 스킨케어 routine {n} #vegan #skincare @{account.username}",
        "comments_count": 4 + n % 9,
        "like_count": 120 + 3 * n,
        "media_product_type": product,
        "media_type": media_type,
        "media_url": f"https://scontent.example/{n}.jpg",
        "permalink": f"https://www.instagram.com/p/EMU{n:05d}/",
        "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }
    return {k: v for k, v in item.items() if k in fields}


def _business_discovery(state: State, path_id: str, fields: str) -> tuple[int, Any]:
    if path_id != IG_USER_ID:
        return 400, graph_error(100, f"Unsupported get request. Object with ID '{path_id}' does not exist")
    match = _DISCOVERY.match(fields)
    if match is None:
        return 400, graph_error(100, "(#100) Tried accessing nonexisting field")
    wanted, inner = match.groups()
    account = next((a for a in state.ig if a.username == wanted), None)
    if account is None:
        return 400, graph_error(110, "Invalid user id", subcode=2207013)
    edge = _MEDIA_EDGE.search(inner)
    profile_fields = set((_MEDIA_EDGE.sub("", inner)).strip(",").split(","))
    profile = {
        "id": account.id,
        "ig_id": int(account.id[-8:]),
        "username": account.username,
        "name": account.username.replace(".", " ").title(),
        "biography": "vegan skincare, Seoul",
        "website": "https://example.com",
        "profile_picture_url": "https://scontent.example/p.jpg",
        "followers_count": state.followers(account),
        "follows_count": 321,
        "media_count": account.media,
    }
    found: dict[str, Any] = {k: v for k, v in profile.items() if k in profile_fields}
    found["id"] = account.id  # the Graph API always returns the id
    if edge is not None:
        after, limit, media_fields = edge.groups()
        start = _uncursor(after) if after else 0
        size = min(int(limit or 25), 100)
        chunk = range(start, min(start + size, account.media))
        media_doc: dict[str, Any] = {
            "data": [_media(account, n, set(media_fields.split(","))) for n in chunk],
        }
        if len(chunk):
            media_doc["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(chunk[-1] + 1)}}
            if chunk[-1] + 1 < account.media:
                following = re.sub(
                    r"media(\.after\([^)]*\))?", f"media.after({_cursor(chunk[-1] + 1)})", fields, count=1
                )
                media_doc["paging"]["next"] = (
                    f"https://graph.facebook.com/v21.0/{IG_USER_ID}?access_token={IG_TOKEN}&fields={following}"
                )
        found["media"] = media_doc
    return 200, {"business_discovery": found, "id": IG_USER_ID}


def _video(user: TtUser, n: int, fields: set[str], last_day: date) -> dict[str, Any]:
    when = datetime(last_day.year, last_day.month, last_day.day, 23, tzinfo=UTC) - timedelta(hours=4 * n)
    item = {
        "id": 7300000000000000000 + hash_id(user.key) * 1000 + n,
        "video_description": f"비건 스킨케어 {n} #vegan #skincare",
        "create_time": int(when.timestamp()),
        "region_code": user.region,
        "share_count": 2 + n % 5,
        "view_count": 5000 + 11 * n,
        "like_count": 300 + n,
        "comment_count": 10 + n % 7,
        "music_id": 6800000000000000001,
        "hashtag_names": ["vegan", "skincare"],
        "username": user.username,
        "effect_ids": ["0"],
        "playlist_id": 0,
        "voice_to_text": "today my vegan routine",
        "is_stem_verified": False,
        "favorites_count": 7 + n % 3,
        "video_duration": 15 + n % 45,
    }
    return {k: v for k, v in item.items() if k in fields}


def hash_id(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:6], 16) % 1000


def _day(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def _video_query(state: State, body: dict[str, Any], fields: set[str]) -> tuple[int, Any]:
    try:
        start, end = _day(body["start_date"]), _day(body["end_date"])
    except (KeyError, ValueError):
        return 400, tiktok_error("invalid_params", "start_date and end_date are required (YYYYMMDD)")
    if (end - start).days + 1 > 30 or end < start:
        return 400, tiktok_error(
            "invalid_params", "The time range between start_date and end_date is over 30 days"
        )
    size = int(body.get("max_count", 20))
    if size > 100:
        return 400, tiktok_error("invalid_params", "max_count must be at most 100")
    names: set[str] | None = None
    keyword: str | None = None
    regions: set[str] | None = None
    for condition in (body.get("query") or {}).get("and", []):
        values = condition["field_values"]
        if condition["field_name"] == "username":
            names = set(values)
        elif condition["field_name"] == "keyword":
            keyword = values[0].lower()
        elif condition["field_name"] == "region_code":
            regions = set(values)
    hits: list[dict[str, Any]] = []
    for user in state.tt:
        if names is not None and user.username not in names:
            continue
        if regions is not None and user.region not in regions:
            continue
        for n in range(user.videos):
            video = _video(user, n, {"create_time", "video_description"} | fields, state.tt_last_day)
            day = datetime.fromtimestamp(video["create_time"], UTC).date()
            if not start <= day <= end:
                continue
            if keyword is not None and keyword not in video["video_description"].lower():
                continue
            hits.append(_video(user, n, fields, state.tt_last_day))
    cursor = int(body.get("cursor", 0))
    chunk = hits[cursor : cursor + size]
    search_id = body.get("search_id") or str(7400000000000000000 + len(hits) + hash_id(json.dumps(body)))
    return 200, _ok(
        {
            "videos": chunk,
            "cursor": cursor + len(chunk),
            "has_more": cursor + size < len(hits),
            "search_id": search_id,
        }
    )


def _user_info(state: State, body: dict[str, Any], fields: set[str]) -> tuple[int, Any]:
    user = next((u for u in state.tt if u.username == body.get("username")), None)
    if user is None:
        return 404, tiktok_error(
            "invalid_params", f"User {body.get('username')!r} does not exist or is private"
        )
    data = {
        "display_name": user.username.title(),
        "bio_description": "vegan skincare",
        "avatar_url": "https://p16.example/a.jpg",
        "is_verified": False,
        "follower_count": state.followers(user),
        "following_count": 55,
        "likes_count": 98_765,
        "video_count": user.videos,
        "bio_url": "https://example.com",
    }
    return 200, _ok({k: v for k, v in data.items() if k in fields})


def _refresh(state: State, form: dict[str, str]) -> tuple[int, Any]:
    """``grant_type=refresh_token``: a new user token and a rotated refresh token."""
    if (form.get("client_key"), form.get("client_secret")) != (TT_CLIENT_KEY, TT_CLIENT_SECRET):
        return 401, json.dumps({"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                                "log_id": "20260302LOG"}).encode()  # fmt: skip
    if form.get("refresh_token") != state.refresh_token:
        return 400, json.dumps({"error": "invalid_grant", "error_description": "Refresh token is invalid or expired.",
                                "log_id": "20260302LOG"}).encode()  # fmt: skip
    state.refreshes += 1
    token = f"act.emulator-user-token-{state.refreshes:04d}"
    state.user_tokens = {token}  # the earlier access token stops working
    state.refresh_token = f"rft.emulator-refresh-token-{state.refreshes + 1:04d}"
    return 200, {
        "access_token": token,
        "expires_in": 86400,
        "open_id": state.me_open_id,
        "refresh_expires_in": 31536000,
        "refresh_token": state.refresh_token,
        "scope": "user.info.basic,user.info.profile,user.info.stats,video.list",
        "token_type": "Bearer",
    }


def _take_code(state: State, code: str | None, redirect_uri: str | None) -> dict[str, str] | None:
    """An unused code issued for this redirect URI (spent now), else None."""
    issued = state.auth_codes.get(code or "")
    if issued is None or issued["used"] or issued["redirect_uri"] != redirect_uri:
        return None
    issued["used"] = "yes"
    return issued


def _code_exchange(state: State, form: dict[str, str]) -> tuple[int, Any]:
    """TikTok ``grant_type=authorization_code``: PKCE checked (the hex SHA-256 of the verifier,
    as TikTok's desktop guide derives the challenge)."""
    state.exchanges.append(dict(form))
    if (form.get("client_key"), form.get("client_secret")) != (TT_CLIENT_KEY, TT_CLIENT_SECRET):
        return 401, json.dumps({"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                                "log_id": "20260302LOG"}).encode()  # fmt: skip
    issued = _take_code(state, form.get("code"), form.get("redirect_uri"))
    verifier = form.get("code_verifier", "")
    if issued is None or hashlib.sha256(verifier.encode()).hexdigest() != issued["challenge"]:
        return 400, json.dumps({"error": "invalid_grant", "error_description": "Authorization code is invalid "
                                "or the code verifier does not match.", "log_id": "20260302LOG"}).encode()  # fmt: skip
    state.refreshes += 1
    token = f"act.emulator-user-token-{state.refreshes:04d}"
    state.user_tokens = {token}
    state.refresh_token = f"rft.emulator-refresh-token-{state.refreshes + 1:04d}"
    return 200, {
        "access_token": token, "expires_in": 86400, "open_id": state.me_open_id,
        "refresh_expires_in": 31536000, "refresh_token": state.refresh_token,
        "scope": issued["scope"], "token_type": "Bearer",
    }  # fmt: skip


def _fb_token(state: State, params: dict[str, str]) -> tuple[int, Any]:
    """Graph ``GET oauth/access_token``: a code for a short-lived token, or
    ``grant_type=fb_exchange_token`` of that for the long-lived one (IG_TOKEN)."""
    state.exchanges.append(dict(params))
    if (params.get("client_id"), params.get("client_secret")) != (FB_APP_ID, FB_APP_SECRET):
        return 400, graph_error(101, "Error validating application. Invalid application ID or secret.")
    if params.get("grant_type") == "fb_exchange_token":
        if params.get("fb_exchange_token") != FB_SHORT_TOKEN:
            return 400, graph_error(190, "Invalid OAuth access token")
        return 200, {"access_token": IG_TOKEN, "token_type": "bearer", "expires_in": 5183944}
    if _take_code(state, params.get("code"), params.get("redirect_uri")) is None:
        return 400, graph_error(100, "Invalid verification code format.")
    return 200, {"access_token": FB_SHORT_TOKEN, "token_type": "bearer", "expires_in": 3600}


def _display_user(state: State, user: TtUser, fields: set[str]) -> dict[str, Any]:
    data = {
        "open_id": state.me_open_id,
        "union_id": "c9c60f44-emulator-union",
        "avatar_url": "https://p16.example/me.jpg",
        "display_name": user.username.title(),
        "bio_description": "my own vegan skincare account",
        "profile_deep_link": f"https://vm.tiktok.com/{user.username}",
        "is_verified": False,
        "username": user.username,
        "follower_count": state.followers(user),
        "following_count": 55,
        "likes_count": 98_765,
        "video_count": user.videos,
    }
    return _ok({"user": {k: v for k, v in data.items() if k in fields}})


def _display_videos(user: TtUser, doc: dict[str, Any], fields: set[str], last_day: date) -> dict[str, Any]:
    """video.list, newest first: ``cursor`` is the create_time in milliseconds of the last video
    of the previous page (as the Display API's), ``max_count`` at most 20."""
    size = min(int(doc.get("max_count", 10)), 20)
    before = doc.get("cursor")
    items = []
    for n in range(user.videos):
        research = _video(user, n, {"id", "create_time", "video_description", "view_count", "like_count",
                                    "comment_count", "share_count", "video_duration"}, last_day)  # fmt: skip
        if before is not None and research["create_time"] * 1000 >= int(before):
            continue
        item = {
            "id": str(research["id"]),
            "create_time": research["create_time"],
            "cover_image_url": "https://p16.example/cover.jpg",
            "share_url": f"https://www.tiktok.com/@{user.username}/video/{research['id']}",
            "video_description": research["video_description"],
            "duration": research["video_duration"],
            "height": 1920,
            "width": 1080,
            "title": research["video_description"][:30],
            "embed_link": f"https://www.tiktok.com/player/v1/{research['id']}",
            "like_count": research["like_count"],
            "comment_count": research["comment_count"],
            "share_count": research["share_count"],
            "view_count": research["view_count"],
        }
        items.append({k: v for k, v in item.items() if k in fields})
        if len(items) == size:
            break
    more = bool(items) and any(
        _video(user, n, {"create_time"}, last_day)["create_time"] * 1000 < items[-1]["create_time"] * 1000
        for n in range(user.videos)
    )
    cursor = items[-1]["create_time"] * 1000 if items else 0
    return _ok({"videos": items, "cursor": cursor, "has_more": more})


def request_key(endpoint: str, params: dict[str, Any]) -> str:
    return endpoint + "?" + json.dumps(params, sort_keys=True, ensure_ascii=False)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _fault(self, endpoint: str) -> Fault | None:
        state = self.server.state
        with state.lock:
            state.seen[endpoint] += 1
            queue = state.faults.get(endpoint) or []
            fault = queue.pop(0) if queue else None
            if state.hang_at.get(endpoint) == state.seen[endpoint]:
                fault = Fault(hang=True)
        return fault

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path_id = url.path.strip("/").split("/")[-1]
        self.server.state.auth_seen.append(self.headers.get("Authorization"))
        if url.path == "/v2/user/info/":
            return self._display("display_user_info", params, {})
        if url.path in ("/v2/auth/authorize/", "/v21.0/dialog/oauth"):
            return self._authorize(url.path, params)
        if url.path == "/v21.0/oauth/access_token":
            return self._send("fb_token", {"grant_type": params.get("grant_type")},
                              *_fb_token(self.server.state, params), None)  # fmt: skip
        if url.path == "/v21.0/me/accounts":
            token = params.get("access_token")
            if token != IG_TOKEN:
                return self._send("fb_accounts", {}, 400, graph_error(190, "Invalid OAuth access token"), None)
            pages = {"data": [{"id": FB_PAGE_ID, "instagram_business_account": {"id": IG_USER_ID}}]}
            return self._send("fb_accounts", {}, 200, pages, None)
        fault = self._fault("business_discovery")
        if fault is not None and fault.hang:
            return self._hang()
        if self.headers.get("Authorization") != f"Bearer {IG_TOKEN}":
            status, body = 400, graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        elif fault is not None:
            status, body = fault.status, fault.body or graph_error(2, "An unexpected error has occurred.")
        else:
            status, body = _business_discovery(self.server.state, path_id, params.get("fields", ""))
        self._send("business_discovery", params, status, body, fault)

    def do_POST(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        endpoint = {"/v2/oauth/token/": "token", "/v2/research/user/info/": "user_info",
                    "/v2/research/video/query/": "video_query"}.get(url.path, "unknown")  # fmt: skip
        state.auth_seen.append(self.headers.get("Authorization"))
        if url.path == "/v2/video/list/":
            return self._display("display_video_list", params, json.loads(raw or b"{}"))
        fault = self._fault(endpoint)
        if fault is not None and fault.hang:
            return self._hang()
        key_params: dict[str, Any]
        body: dict[str, Any] | bytes
        if endpoint == "token":
            form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            key_params = {"grant_type": form.get("grant_type")}
            if fault is not None:
                status, body = fault.status, fault.body or b"{}"
            elif form.get("grant_type") == "refresh_token":
                status, body = _refresh(state, form)
            elif form.get("grant_type") == "authorization_code":
                status, body = _code_exchange(state, form)
            elif (form.get("client_key"), form.get("client_secret"), form.get("grant_type")) == (
                TT_CLIENT_KEY, TT_CLIENT_SECRET, "client_credentials",
            ):  # fmt: skip
                status, body = 200, {"access_token": TT_TOKEN, "expires_in": 7200, "token_type": "Bearer"}
            else:
                status, body = 401, json.dumps(
                    {"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                     "log_id": "20260302LOG"}
                ).encode()  # fmt: skip
            return self._send(endpoint, key_params, status, body, fault)
        doc = json.loads(raw or b"{}")
        key_params = {**params, **doc}
        fields = set(params.get("fields", "").split(","))
        if (self.headers.get("Authorization") or "").lower() != f"bearer {TT_TOKEN}":
            status, body = (
                401,
                tiktok_error(
                    "access_token_invalid", "The access token is invalid or not found in the request."
                ),
            )
        elif fault is not None:
            status, body = fault.status, fault.body or tiktok_error("internal_error", "emulated fault")
        elif endpoint == "user_info":
            status, body = _user_info(state, doc, fields)
        elif endpoint == "video_query":
            status, body = _video_query(state, doc, fields)
        else:
            status, body = 404, tiktok_error("not_found", "no such endpoint")
        self._send(endpoint, key_params, status, body, fault)

    def _display(self, endpoint: str, params: dict[str, Any], doc: dict[str, Any]) -> None:
        state = self.server.state
        fault = self._fault(endpoint)
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        fields = set(params.get("fields", "").split(","))
        body: dict[str, Any] | bytes
        if token not in state.user_tokens:
            status, body = 401, tiktok_error(
                "access_token_invalid", "The access token is invalid or not found in the request."
            )
        elif fault is not None:
            status, body = fault.status, fault.body or tiktok_error("internal_error", "emulated fault")
        elif state.me is None:
            status, body = 404, tiktok_error("invalid_params", "no user")
        elif endpoint == "display_user_info":
            status, body = 200, _display_user(state, state.me, fields)
        else:
            status, body = 200, _display_videos(state.me, doc, fields, state.tt_last_day)
        self._send(endpoint, {**params, **doc}, status, body, fault)

    def _authorize(self, path: str, params: dict[str, str]) -> None:
        """The platform's login page, the user consenting at once: a 302 back to the redirect
        URI with ``code`` and ``state`` (TikTok adds ``scopes``), or with ``error``."""
        state = self.server.state
        tiktok = path.startswith("/v2/")
        client = params.get("client_key" if tiktok else "client_id")
        redirect = params.get("redirect_uri", "")
        problems = []
        if client != (TT_CLIENT_KEY if tiktok else FB_APP_ID):
            problems.append("client")
        if params.get("response_type") != "code" or not params.get("state"):
            problems.append("response_type/state")
        if not re.match(r"^http://(127\.0\.0\.1|localhost):\d+/", redirect):
            problems.append("redirect_uri")
        if tiktok and (not params.get("code_challenge") or params.get("code_challenge_method") != "S256"):
            problems.append("pkce")
        if problems:
            return self._send("authorize", {}, 400, {"error": "invalid_request", "problems": problems}, None)
        if not state.consent:
            query = {"error": "access_denied", "error_description": "The user denied the request",
                     "state": params["state"]}  # fmt: skip
        else:
            code = f"code-emulator-{len(state.auth_codes) + 1:04d}-{'tt' if tiktok else 'fb'}"
            state.auth_codes[code] = {"redirect_uri": redirect, "challenge": params.get("code_challenge", ""),
                                      "scope": params.get("scope", ""), "used": ""}  # fmt: skip
            query = {"code": code, "state": params["state"]}
            if tiktok:
                query["scopes"] = params.get("scope", "")
        location = f"{redirect}?{'&'.join(f'{k}={quote(v)}' for k, v in query.items())}"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with state.lock:
            state.log.append(("authorize", {"path": path}, 302))

    def _hang(self) -> None:
        self.server.state.hung.set()
        self.server.state.release.wait(60)  # the client was killed; nothing is sent, nothing counted

    def _send(
        self, endpoint: str, params: dict[str, Any], status: int, body: Any, fault: Fault | None
    ) -> None:
        state = self.server.state
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        if fault is not None and fault.retry_after is not None:
            self.send_header("Retry-After", fault.retry_after)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        with state.lock:
            state.log.append((endpoint, params, status))
            if status == 200 and fault is None:
                state.served[request_key(endpoint, params)] += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class SocialEmulator:
    """``with SocialEmulator() as emu:`` serves both APIs on one free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.state = State()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def instagram_url(self) -> str:
        return f"{self.root}/v21.0"

    @property
    def tiktok_url(self) -> str:
        return self.root

    def __enter__(self) -> SocialEmulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()
