"""The browser tests' helpers: Debian's Chromium through Playwright, uvicorn serving an app on
loopback, and a page session that fails the test on a dialog, a JavaScript error or a request that
leaves 127.0.0.1. The fixtures built on them (`server`, `browser`, `session`) are in conftest.py;
tests outside tests/web import the helpers from here (a helper module, not a test module)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Rejects every installed font that declares Korean (Noto CJK, Nanum, Baekmuk, Unfonts...), for
#: Chromium's pages and PDFs drawn with the packaged font alone (FONTCONFIG_FILE).
NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="no">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="lang"><string>ko</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""


def missing(what: str) -> NoReturn:
    """A test dependency is absent: a failure, never a skip (`make test` installs them all)."""
    pytest.fail(f"{what}; `make test` installs every test dependency (see the Makefile)", pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn serving ``app`` on a free loopback port, in a thread."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.pool.close()


@contextmanager
def chromium(**launch: Any) -> Iterator[Any]:
    """Debian's Chromium launched through Playwright (``launch``: more options, e.g. ``env``)."""
    if not CHROMIUM.exists():
        missing("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, **launch)
        yield b
        b.close()


class Session:
    """A page plus everything it must not do: open dialogs, throw, or reach another host."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.offsite: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, name: str, full_page: bool = True) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def charts_drawn(self, minimum: int = 1) -> None:
        self.page.wait_for_function(
            f"document.querySelectorAll('[data-chart] svg').length >= {minimum}", timeout=15_000
        )


@contextmanager
def open_session(browser: Any, server: str) -> Iterator[Session]:
    context = browser.new_context(
        accept_downloads=True, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    s = Session(page, server)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server) or url.startswith(("data:", "blob:", "file:")):
            route.continue_()
        else:
            s.offsite.append(url)
            route.abort()

    context.route("**/*", guard)
    yield s
    assert s.dialogs == [], f"untrusted text ran as script: {s.dialogs}"
    assert s.errors == [], f"JavaScript errors: {s.errors}"
    assert s.offsite == [], f"requests left the machine: {s.offsite}"
    context.close()
