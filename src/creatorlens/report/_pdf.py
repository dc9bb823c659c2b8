"""PDF of a report: the self-contained HTML printed by a headless Chromium.

The report's charts are drawn by the vendored Vega JavaScript, so the PDF needs a browser that runs
it; Chromium's own ``--print-to-pdf`` does, offline. Korean is set in the Noto Sans KR slices the
report embeds (``presentation._fonts``), so no CJK font is needed on the machine. No browser is
downloaded: a missing one is a clear error naming the install command and the HTML alternative.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from creatorlens.errors import PdfError as PdfError

#: Browsers tried in order when ``CREATORLENS_CHROMIUM`` does not name one.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Virtual time the page gets to draw its charts before it is printed (milliseconds).
RENDER_BUDGET_MS = 10_000
TIMEOUT_S = 120


def find_browser() -> str:
    named = os.environ.get("CREATORLENS_CHROMIUM")
    if named:
        if shutil.which(named) is None:
            raise PdfError(f"CREATORLENS_CHROMIUM={named!r} is not an executable")
        return named
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "a PDF needs Chromium to draw the charts (Debian: `apt install chromium`, or set "
        "CREATORLENS_CHROMIUM); or write HTML with --format html"
    )


def html_to_pdf(html: str, out: Path, *, browser: str | None = None) -> None:
    """Print ``html`` to ``out`` as PDF (A4, backgrounds kept, no browser header or footer)."""
    executable = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="creatorlens-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        command = [
            executable,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"{executable} did not finish the PDF within {TIMEOUT_S} s") from exc
        if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise PdfError(f"{executable} could not print the PDF (exit {done.returncode}): {last[0]}")
        shutil.copyfile(target, out)
