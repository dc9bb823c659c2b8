"""A loopback emulator of the YouTube Data API v3 endpoints the collector calls, with the official
field names and shapes (https://developers.google.com/youtube/v3/docs): ``channels``,
``playlistItems``, ``videos`` and ``search`` list responses with ``nextPageToken`` paging, counts
as JSON strings, and the documented error body ``{"error": {"code", "message", "errors":
[{"reason"}]}}``.

Faults are queued per endpoint (500s, 429 with Retry-After, truncated or malformed JSON, 403
quotaExceeded, a request that hangs until released), and every response the server *finished
sending* is counted per request, so a test can check that each page was fetched exactly once.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

API_KEY = "AIzaEMULATOR-secret-key-0123456789"
CREDENTIALS = {"api_key": API_KEY}
CHANNEL_ID = "UCabcdefghijklmnopqrstuv"
OTHER_ID = "UCzyxwvutsrqponmlkjihgfe"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        # Waiting moves the emulated clock instead of the test.
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


@dataclass
class Fault:
    status: int = 500
    body: bytes | None = None
    retry_after: str | None = None
    hang: bool = False


@dataclass
class Channel:
    id: str
    handle: str
    title: str
    subscribers: int
    views: int
    videos: list[str]
    country: str = "KR"
    #: (subscribers, views) on a day of the emulator's clock; None: the fixed counts above.
    daily: Callable[[date], tuple[int, int]] | None = None


@dataclass
class State:
    channels: dict[str, Channel] = field(default_factory=dict)
    faults: dict[str, list[Fault | None]] = field(default_factory=dict)  # None: answer normally
    served: Counter[str] = field(default_factory=Counter)  # request key -> responses sent
    log: list[tuple[str, dict[str, str], int]] = field(default_factory=list)
    keys_seen: list[str | None] = field(default_factory=list)
    #: endpoint -> the request number (1-based) that hangs until ``release`` (the client is killed)
    hang_at: dict[str, int] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)  # requests received per endpoint
    #: List responses repeat the API key in a URL, as Graph API paging links repeat a token.
    echo_key: bool = False
    hung: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The emulator's clock (a test hook): counts with a ``daily`` rule follow its day.
    clock: Callable[[], datetime] | None = None

    def today(self) -> date | None:
        return None if self.clock is None else self.clock().date()

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.id] = channel

    def fail(self, endpoint: str, *faults: Fault | None) -> None:
        self.faults.setdefault(endpoint, []).extend(faults)

    def served_pages(self, endpoint: str) -> Counter[str]:
        return Counter({k: v for k, v in self.served.items() if k.startswith(endpoint + "?")})


def _video(video_id: str, channel: Channel, n: int) -> dict[str, Any]:
    return {
        "kind": "youtube#video",
        "etag": f"etag-{video_id}",
        "id": video_id,
        "snippet": {
            "publishedAt": f"2025-03-{1 + n % 28:02d}T10:00:00Z",
            "channelId": channel.id,
            "title": f"{channel.title} video {n} #vegan",
            "description": f"video {n} of {channel.title}",
            "channelTitle": channel.title,
            "tags": ["vegan", "skincare"],
            "liveBroadcastContent": "none",
        },
        "contentDetails": {"duration": "PT4M13S" if n % 3 else "PT45S"},
        "statistics": {
            "viewCount": str(1000 + 37 * n),
            "likeCount": str(50 + n),
            "favoriteCount": "0",
            "commentCount": str(3 + n % 7),
        },
    }


def _channel(channel: Channel, today: date | None) -> dict[str, Any]:
    subscribers, views = channel.subscribers, channel.views
    if channel.daily is not None and today is not None:
        subscribers, views = channel.daily(today)
    return {
        "kind": "youtube#channel",
        "etag": f"etag-{channel.id}",
        "id": channel.id,
        "snippet": {
            "title": channel.title,
            "description": f"{channel.title}: vegan skincare",
            "customUrl": channel.handle,
            "publishedAt": "2019-01-01T00:00:00Z",
            "country": channel.country,
        },
        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + channel.id[2:]}},
        "statistics": {
            "viewCount": str(views),
            "subscriberCount": str(subscribers),
            "hiddenSubscriberCount": False,
            "videoCount": str(len(channel.videos)),
        },
    }


def _page(items: list[Any], params: dict[str, str], kind: str) -> dict[str, Any]:
    size = min(50, int(params.get("maxResults", "5")))
    token = params.get("pageToken", "")
    start = int(token.removeprefix("CAUQ")) if token else 0
    chunk = items[start : start + size]
    doc: dict[str, Any] = {
        "kind": kind,
        "etag": f"etag-{start}",
        "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        "items": chunk,
    }
    if start + size < len(items):
        doc["nextPageToken"] = f"CAUQ{start + size}"
    if start > 0:
        doc["prevPageToken"] = f"CAUQ{max(0, start - size)}"
    return doc


def _error(code: int, reason: str, message: str) -> bytes:
    return json.dumps(
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [
                    {
                        "message": message,
                        "domain": "youtube.quota" if reason == "quotaExceeded" else "global",
                        "reason": reason,
                    }
                ],
            }
        }
    ).encode()


def _respond(state: State, endpoint: str, params: dict[str, str]) -> tuple[int, dict[str, Any] | bytes]:
    if endpoint == "channels":
        if "id" in params:
            found = [state.channels[i] for i in params["id"].split(",") if i in state.channels]
        elif "forHandle" in params:
            wanted = params["forHandle"].lower()
            found = [c for c in state.channels.values() if c.handle.lower() == wanted]
        else:
            return 400, _error(400, "missingRequiredParameter", "No filter selected.")
        return 200, {
            "kind": "youtube#channelListResponse",
            "etag": "e",
            "pageInfo": {"totalResults": len(found), "resultsPerPage": 5},
            "items": [_channel(c, state.today()) for c in found],
        }
    if endpoint == "playlistItems":
        owner = next(
            (c for c in state.channels.values() if "UU" + c.id[2:] == params.get("playlistId")), None
        )
        if owner is None:
            return 404, _error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        items = [
            {
                "kind": "youtube#playlistItem",
                "id": f"pi-{v}",
                "contentDetails": {"videoId": v, "videoPublishedAt": "2025-03-01T10:00:00Z"},
            }
            for v in owner.videos
        ]
        return 200, _page(items, params, "youtube#playlistItemListResponse")
    if endpoint == "videos":
        out = []
        for vid in params.get("id", "").split(","):
            for c in state.channels.values():
                if vid in c.videos:
                    out.append(_video(vid, c, c.videos.index(vid)))
        return 200, {
            "kind": "youtube#videoListResponse",
            "etag": "e",
            "pageInfo": {"totalResults": len(out), "resultsPerPage": len(out)},
            "items": out,
        }
    if endpoint == "search":
        q = params.get("q", "").lower()
        hits = [
            c
            for c in state.channels.values()
            if not q or any(w in c.title.lower() or w in "vegan skincare 비건 스킨케어" for w in q.split())
        ]
        items = [
            {
                "kind": "youtube#searchResult",
                "etag": "e",
                "id": {"kind": "youtube#channel", "channelId": c.id},
                "snippet": {
                    "channelId": c.id,
                    "title": c.title,
                    "channelTitle": c.title,
                    "publishedAt": "2019-01-01T00:00:00Z",
                },
            }
            for c in hits
        ]
        return 200, _page(items, params, "youtube#searchListResponse")
    return 404, _error(404, "notFound", "Not Found")


def request_key(endpoint: str, params: dict[str, str]) -> str:
    return endpoint + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        endpoint = url.path.strip("/").split("/")[-1]
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        key = request_key(endpoint, params)
        state.keys_seen.append(self.headers.get("X-Goog-Api-Key"))
        with state.lock:
            state.seen[endpoint] += 1
            queue = state.faults.get(endpoint) or []
            fault = queue.pop(0) if queue else None
            if state.hang_at.get(endpoint) == state.seen[endpoint]:
                fault = Fault(hang=True)
        if fault is not None and fault.hang:
            state.hung.set()
            state.release.wait(60)
            return  # the client was killed; nothing is sent, nothing counted
        body: dict[str, Any] | bytes
        if self.headers.get("X-Goog-Api-Key") != API_KEY:
            status, body = 400, _error(400, "keyInvalid", "API key not valid. Please pass a valid API key.")
        elif fault is not None:
            status = fault.status
            body = (
                fault.body
                if fault.body is not None
                else _error(
                    fault.status,
                    "backendError"
                    if fault.status >= 500
                    else ("quotaExceeded" if fault.status == 403 else "rateLimitExceeded"),
                    "emulated fault",
                )
            )
        else:
            status, body = _respond(state, endpoint, params)
        if state.echo_key and isinstance(body, dict):
            body["selfLink"] = f"{self.path}&key={self.headers.get('X-Goog-Api-Key')}"
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
                state.served[key] += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class Emulator:
    """``with Emulator() as emu:`` serves on ``emu.base_url`` (a free port on 127.0.0.1)."""

    def __init__(self) -> None:
        self.state = State()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/youtube/v3"

    def __enter__(self) -> Emulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()
