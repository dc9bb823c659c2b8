"""``creatorlens auth login tiktok|instagram``: the OAuth 2.0 authorization-code flow on a
loopback redirect (RFC 8252), for the tokens the TikTok Display API and the Instagram Graph API
take. The providers' URLs, scopes and PKCE use are data (``data/collect_oauth.toml``, with sources).

1. A one-request-at-a-time HTTP server listens on ``127.0.0.1:PORT`` (``--port``; 0 picks a free
   one: register ``http://127.0.0.1:*/callback/`` with TikTok, the exact port with Facebook).
2. ``state`` (random, 256 bits) and, where the provider takes PKCE, a ``code_verifier`` (random,
   86 characters) and its S256 ``code_challenge`` go into the authorization URL. The terminal
   shows only ``http://127.0.0.1:PORT/start``, which redirects the browser to that URL: the app's
   client key is in it and creatorlens never prints a credential.
3. The redirect ``/callback/?code=…&state=…`` is accepted only with the same ``state`` (compared in
   constant time); a wrong or missing one is answered 400 and the login keeps waiting, an
   ``error=`` answer (the user refused) ends it.
4. The code is exchanged at the token endpoint (with the verifier), and the tokens are written to
   the credentials file (mode 0600) that ``auth set`` writes; the answer's secrets never reach
   the terminal, a log or an error message (they are redacted from any API message).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx

from creatorlens.data import load_toml
from creatorlens.errors import ApiError, CredentialError, OptionError
from creatorlens.ingest.collect._archive import redact
from creatorlens.ingest.collect._credentials import env_name, load_credentials, save_credentials

__all__ = ["LOGIN_PLATFORMS", "LoginResult", "code_challenge", "login"]

LOGIN_PLATFORMS = ("tiktok", "instagram")
#: How long one HTTP call to a token endpoint may take.
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass(frozen=True)
class LoginResult:
    platform: str
    credentials: str  # the credentials file section written
    saved: tuple[str, ...]  # the field names written (never their values)
    account: str  # open_id (TikTok) or the Instagram account id: no secret
    scope: str
    expires_at: datetime | None
    path: str


def _provider(platform: str) -> dict[str, Any]:
    if platform not in LOGIN_PLATFORMS:
        raise OptionError(
            f"auth login {platform!r}: choose {' or '.join(LOGIN_PLATFORMS)} "
            "(YouTube takes an API key: `creatorlens auth set youtube`)"
        )
    section: dict[str, Any] = load_toml("collect_oauth.toml")[platform]
    return section


def _url(provider: Mapping[str, Any], name: str) -> str:
    return os.environ.get(str(provider[f"{name}_env"])) or str(provider[name])


def code_challenge(verifier: str, method: str) -> str:
    """PKCE's S256 challenge: base64url without padding (RFC 7636), or the hex digest (TikTok)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    if method == "hex":
        return digest.hex()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class _Callback:
    """What the loopback server received: the code, or the provider's error."""

    def __init__(self, state: str, authorize_url: str, redirect_path: str) -> None:
        self.state, self.authorize_url, self.redirect_path = state, authorize_url, redirect_path
        self.code: str | None = None
        self.error: str | None = None
        self.scopes: str = ""
        self.rejected = 0
        self.done = threading.Event()


def _handler(cb: _Callback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return  # never log a request line: it holds the code

        def _page(self, status: int, text: str, location: str | None = None) -> None:
            body = f"<!doctype html><meta charset=utf-8><title>creatorlens</title><p>{text}</p>".encode()
            self.send_response(status)
            if location is not None:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/start":
                return self._page(302, "Continue to the login page.", cb.authorize_url)
            if url.path != cb.redirect_path:
                return self._page(404, "Not found.")
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if not hmac.compare_digest(query.get("state", ""), cb.state):
                cb.rejected += 1
                return self._page(400, "This answer does not belong to the login under way (state differs).")
            if "error" in query:
                why = query.get("error_description") or query.get("error_reason") or ""
                cb.error = f"{query['error']}: {why}"
                self._page(200, "Login refused. You can close this tab.")
            elif query.get("code"):
                cb.code = query["code"]
                cb.scopes = query.get("scopes") or query.get("scope") or ""
                self._page(200, "Logged in: creatorlens has the authorization. You can close this tab.")
            else:
                return self._page(400, "No code in the answer.")
            cb.done.set()

    return Handler


def login(
    platform: str,
    *,
    port: int = 0,
    timeout: float = 300.0,
    announce: Callable[[str], None],
    open_browser: Callable[[str], object] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> LoginResult:
    """Run the login: ``announce`` gets the loopback start URL to open (no credential in it);
    ``open_browser``, when given, is called with it too."""
    provider = _provider(platform)
    app_section = str(provider.get("app_credentials") or provider["credentials"])
    app = load_credentials(app_section, required=False)
    id_field, secret_field = (("client_key", "client_secret") if platform == "tiktok"
                              else ("app_id", "app_secret"))  # fmt: skip
    missing = [n for n in (id_field, secret_field) if not app.get(n)]
    if missing:
        raise CredentialError(
            f"auth login {platform}: no {', '.join(missing)}; set "
            f"{', '.join(env_name(app_section, n) for n in missing)} or run "
            f"`creatorlens auth set {app_section}` first"
        )
    client_id, client_secret = app[id_field], app[secret_field]
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64) if provider["pkce"] else None
    server = HTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}{provider['redirect_path']}"
    params = {
        str(provider["client_id_param"]): client_id,
        "response_type": "code",
        "scope": str(provider["scope"]),
        "redirect_uri": redirect_uri,
        "state": state,
    }
    if verifier is not None:
        params["code_challenge"] = code_challenge(verifier, str(provider["pkce"]))
        params["code_challenge_method"] = "S256"
    authorize = _url(provider, "authorize_url")
    cb = _Callback(state, f"{authorize}{'&' if '?' in authorize else '?'}{urlencode(params)}",
                   str(provider["redirect_path"]))  # fmt: skip
    server.RequestHandlerClass = _handler(cb)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        start = f"http://127.0.0.1:{server.server_address[1]}/start"
        announce(start)
        if open_browser is not None:
            open_browser(start)
        if not cb.done.wait(timeout):
            raise CredentialError(
                f"auth login {platform}: no answer from the browser within {timeout:,.0f} s"
            )
    finally:
        server.shutdown()
        server.server_close()
    hidden = [client_id, client_secret, cb.code or ""]
    if cb.error is not None:
        raise CredentialError(
            f"auth login {platform}: the authorization was refused ({redact(cb.error, hidden)})"
        )
    assert cb.code is not None
    with httpx.Client(timeout=TIMEOUT) as http:
        if platform == "tiktok":
            return _tiktok_tokens(provider, http, client_id, client_secret, cb, redirect_uri, verifier, clock)
        return _instagram_tokens(provider, http, client_id, client_secret, cb, redirect_uri, clock)


def _answer(response: httpx.Response, hidden: list[str], what: str) -> dict[str, Any]:
    try:
        doc = response.json()
    except ValueError:
        doc = None
    usable = isinstance(doc, dict) and ("access_token" in doc or "data" in doc)
    if response.status_code != 200 or not usable:
        detail = ""
        if isinstance(doc, dict):
            err = doc.get("error")
            if isinstance(err, dict):  # Graph API: {"error": {"message", "type", "code"}}
                detail = f"{err.get('type', '')} {err.get('code', '')}: {err.get('message', '')}"
            else:
                detail = f"{err}: {doc.get('error_description', '')}"
        raise ApiError(redact(f"{what}: HTTP {response.status_code} {detail}".strip(), hidden))
    out: dict[str, Any] = doc
    return out


def _expires(clock: Callable[[], datetime], seconds: object) -> datetime | None:
    try:
        return clock() + timedelta(seconds=int(str(seconds)))
    except ValueError:
        return None


def _tiktok_tokens(
    provider: Mapping[str, Any], http: httpx.Client, client_key: str, client_secret: str,
    cb: _Callback, redirect_uri: str, verifier: str | None, clock: Callable[[], datetime],
) -> LoginResult:  # fmt: skip
    assert cb.code is not None
    form = {
        "client_key": client_key,
        "client_secret": client_secret,
        "code": cb.code,
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
    }
    if verifier is not None:
        form["code_verifier"] = verifier
    hidden = [client_key, client_secret, cb.code, verifier or ""]
    try:
        response = http.post(_url(provider, "token_url"), data=form)
    except httpx.HTTPError as exc:
        raise ApiError(redact(f"TikTok token endpoint unreachable: {exc}", hidden)) from None
    doc = _answer(response, hidden, "TikTok refused the authorization code")
    expires = _expires(clock, doc.get("expires_in"))
    values = {"access_token": str(doc["access_token"]), "refresh_token": str(doc.get("refresh_token") or "")}
    if expires is not None:
        values["access_expires_at"] = expires.isoformat()
    values = {k: v for k, v in values.items() if v}
    path = save_credentials(str(provider["credentials"]), values)
    return LoginResult(
        "tiktok", str(provider["credentials"]), tuple(sorted(values)), str(doc.get("open_id") or ""),
        str(doc.get("scope") or cb.scopes), expires, str(path),
    )  # fmt: skip


def _instagram_tokens(
    provider: Mapping[str, Any], http: httpx.Client, app_id: str, app_secret: str,
    cb: _Callback, redirect_uri: str, clock: Callable[[], datetime],
) -> LoginResult:  # fmt: skip
    assert cb.code is not None
    hidden = [app_id, app_secret, cb.code]
    token_url = _url(provider, "token_url")
    try:
        short = _answer(http.get(token_url, params={
            "client_id": app_id, "redirect_uri": redirect_uri, "client_secret": app_secret, "code": cb.code,
        }), hidden, "Facebook refused the authorization code")  # fmt: skip
        hidden.append(str(short["access_token"]))
        long = _answer(http.get(token_url, params={
            "grant_type": "fb_exchange_token", "client_id": app_id, "client_secret": app_secret,
            "fb_exchange_token": str(short["access_token"]),
        }), hidden, "Facebook refused the long-lived token exchange")  # fmt: skip
        token = str(long["access_token"])
        hidden.append(token)
        pages = _answer(http.get(_url(provider, "accounts_url"), params={
            "fields": "instagram_business_account", "access_token": token,
        }), hidden, "Facebook refused the list of your Pages")  # fmt: skip
    except httpx.HTTPError as exc:
        raise ApiError(redact(f"Facebook Graph API unreachable: {exc}", hidden)) from None
    ids = [
        str(p["instagram_business_account"]["id"])
        for p in pages.get("data") or []
        if isinstance(p, dict) and isinstance(p.get("instagram_business_account"), dict)
    ]
    if not ids:
        raise CredentialError(
            "auth login instagram: none of your Facebook Pages has an Instagram professional account "
            "linked (business_discovery is called through one)"
        )
    expires = _expires(clock, long.get("expires_in"))
    values = {"access_token": token, "ig_user_id": ids[0]}
    if expires is not None:
        values["access_expires_at"] = expires.isoformat()
    path = save_credentials("instagram", values)
    return LoginResult("instagram", "instagram", tuple(sorted(values)), ids[0], cb.scopes, expires, str(path))
