"""PDF reports as a marketer receives them: Korean set in the packaged font on a machine with no CJK
font, and every table whole (every header, every row) with no blank padding pages.

The machine that runs the tests may have CJK fonts (Debian's fonts-noto-cjk); the PDFs here are
printed under a fontconfig configuration that rejects every font that covers Korean, and a control
page printed the same way proves that the configuration really leaves no system font with Hangul.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from typer.testing import CliRunner

from creatorlens.cli import app
from creatorlens.presentation import _fonts
from creatorlens.report import html_to_pdf

from ._browser import NO_CJK_FONTCONFIG
from .webdata import build_workspace

runner = CliRunner()
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed; `make test` installs it", pytrace=False)
    return build_workspace(tmp_path_factory.mktemp("pdf")).path


@pytest.fixture(scope="module")
def plan_json(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "plan.json"
    result = runner.invoke(app, ["plan", "--budget", "3000", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0 and out.exists(), result.output[-300:]
    assert json.loads(out.read_text("utf-8"))["creators"], "the plan picks creators to tabulate"
    return out


@pytest.fixture()
def no_cjk_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_CJK_FONTCONFIG, encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))  # Chromium inherits it (html_to_pdf)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(base font name without its subset prefix, subtype) of every font on every page."""
    found = []
    for page in PdfReader(path).pages:
        fonts = cast(DictionaryObject, page["/Resources"].get_object()).get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            found.append((name.split("+", 1)[-1], str(font["/Subtype"])))
    return found


def squash(text: str) -> str:
    # PDF text comes back with line breaks where the table wrapped, pypdf puts spaces between
    # Hangul syllables and keeps the font's ligatures (U+FB02 for "fl"): text is compared in NFKC
    # with all white space removed
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Tables(HTMLParser):
    """Every table of a page: its header cells and its rows' cells, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._skip = 0
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._in_head = tag == "thead"
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1]["head" if self._in_head else "rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def tables_of(html: str) -> list[dict[str, list[list[str]]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def report(args: list[str], out: Path) -> tuple[str, Path]:
    html_out = out.with_suffix(".html")
    for target in (html_out, out):
        result = runner.invoke(app, ["report", *args, "--out", str(target)])
        assert result.exit_code == 0, result.output
    return html_out.read_text("utf-8"), out


def test_the_test_machine_has_no_korean_font_under_the_test_configuration(
    no_cjk_fonts: None, tmp_path: Path
) -> None:
    # control: Korean with no packaged font prints as boxes, nothing extracts as Hangul
    out = tmp_path / "control.pdf"
    html_to_pdf('<!doctype html><html lang="ko"><body><p>스코어카드 보고서</p></body></html>', out)
    assert not HANGUL.search(pdf_text(out))
    assert not any("KR" in name or "CJK" in name for name, _ in pdf_fonts(out))


@pytest.mark.parametrize("kind", ["creator", "plan"])
def test_korean_pdf_is_set_in_the_packaged_font(
    kind: str, db: Path, plan_json: Path, no_cjk_fonts: None, tmp_path: Path
) -> None:
    args = ["--creator", "glowkim", "--db", str(db)] if kind == "creator" else ["--plan", str(plan_json)]
    html, pdf = report([*args, "--lang", "ko"], tmp_path / "ko.pdf")
    fonts = pdf_fonts(pdf)
    # the packaged Noto Sans KR, embedded as subsets, and no Type 3 font (Chromium's boxes)
    assert any(name.startswith("NotoSansKR") for name, _ in fonts), fonts
    assert all(subtype != "/Type3" for _, subtype in fonts), fonts
    text = squash(pdf_text(pdf))
    title = "캠페인플랜" if kind == "plan" else "스코어카드"
    assert "creatorlens보고서" in text and title in text
    # every Korean header of the report's tables came out as Hangul text
    for table in tables_of(html):
        for row in table["head"]:
            for cell in row:
                assert squash(cell) in text, cell
    # the report embeds only the slices its characters need, not the 124 of each weight
    assert 0 < html.count("@font-face") < len(_fonts.slices())


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("kind", ["creator", "plan"])
def test_every_table_header_and_row_is_in_the_pdf(
    kind: str, lang: str, db: Path, plan_json: Path, no_cjk_fonts: None, tmp_path: Path
) -> None:
    args = ["--creator", "glowkim", "--db", str(db)] if kind == "creator" else ["--plan", str(plan_json)]
    html, pdf = report([*args, "--lang", lang], tmp_path / "r.pdf")
    tables = tables_of(html)
    assert tables and all(t["rows"] for t in tables if t["head"])
    text = squash(pdf_text(pdf))
    missing = [
        cell
        for table in tables
        for row in (*table["head"], *table["rows"])
        for cell in row
        if squash(cell) and squash(cell) not in text
    ]
    assert not missing, missing[:10]
    # no blank padding pages: every page prints some text
    reader = PdfReader(pdf)
    assert all(squash(page.extract_text()) for page in reader.pages)
    if kind == "plan":  # a dozen columns: landscape pages
        assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
