"""`creatorlens brands`, `brand --competitors`, `safety --keywords`, `contacts` and `show`'s brands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens.cli import app

from .brandsdata import build_brands_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_brands_workspace(tmp_path_factory.mktemp("brands-cli"))


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_brands_and_a_brand_file(db: Path, tmp_path: Path) -> None:
    rows = json.loads(_ok("brands", "--db", str(db), "--format", "json"))
    assert {r["brand"] for r in rows} == {"crunchybites_", "brewbean_coffee"}
    book = tmp_path / "brands.toml"
    book.write_text('[[brand]]\nname = "Brew Bean"\nhandles = ["brewbean_coffee"]\n', encoding="utf-8")
    named = json.loads(_ok("brands", "--db", str(db), "--brands", str(book), "--format", "json"))
    assert {r["brand"]: r["source"] for r in named}["Brew Bean"] == "book"


def test_brand_side_by_side(db: Path) -> None:
    out = json.loads(_ok("brand", "crunchybites_", "--competitors", "brewbean_coffee", "--db", str(db), "--format", "json"))
    assert [b["brand"] for b in out["brands"]] == ["crunchybites_", "brewbean_coffee"]
    text = _ok("brand", "crunchybites_", "--competitors", "brewbean_coffee", "--db", str(db))
    assert "share_of_voice" in text and "@mina.eats" in text
    missing = runner.invoke(app, ["brand", "nosuchbrand", "--db", str(db)])
    assert missing.exit_code == 2 and "no brand 'nosuchbrand'" in missing.output


def test_safety_with_a_keyword_list(db: Path, tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# our list\ncompetitors,latte art\n김치찌개\n", encoding="utf-8")
    plain = json.loads(_ok("safety", "mina.eats", "--db", str(db), "--format", "json"))
    assert {f["category"] for f in plain["flagged"]} == {"drugs_alcohol", "profanity"}
    mine = json.loads(_ok("safety", "mina.eats", "--db", str(db), "--keywords", str(words), "--format", "json"))
    assert "custom" in {f["category"] for f in mine["flagged"]}
    assert "Brand safety" in _ok("safety", "mina.eats", "--db", str(db))


def test_contacts_export_and_show(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    _ok("contacts", "--db", str(db), "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {(r["handle"], r["kind"], r["value"]) for r in rows} == {
        ("mina.eats", "email", "mina@example.com"),
        ("mina.eats", "link_in_bio", "linktr.ee/mina.eats"),
        ("jaycooks", "website", "https://jaycooks.example.com"),
    }
    shown = json.loads(_ok("show", "jaycooks", "--db", str(db), "--format", "json"))
    assert {b["brand"] for b in shown["brands"]} == {"crunchybites_", "brewbean_coffee"}
    assert shown["contacts"] == [{"kind": "website", "value": "https://jaycooks.example.com", "source": "bio"}]
