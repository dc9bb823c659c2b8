"""Language negotiation and the message catalogs."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, strategies as st

from creatorlens.presentation._i18n import SUPPORTED, catalog, negotiate


def _catalog_file(lang: str) -> dict[str, Any]:
    text = resources.files("creatorlens").joinpath(f"data/i18n/{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_catalogs_have_the_same_keys_and_provenance() -> None:
    en, ko = _catalog_file("en"), _catalog_file("ko")
    for data in (en, ko):
        assert data["version"] == 1 and data["source"]
    assert set(en["messages"]) == set(ko["messages"])
    assert all(str(v).strip() for v in ko["messages"].values())


def test_lookup_and_fallback() -> None:
    assert catalog("ko")("nav_overview") == "개요"
    assert catalog("en")("nav_overview") == "Overview"
    assert catalog("fr").lang == "en"
    assert catalog("ko")("no_such_key") == "no_such_key"


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        ("ko", "en", "en", "ko"),
        (None, "ko", "en-US", "ko"),
        (None, None, "ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        (None, None, "fr-FR,en;q=0.5,ko;q=0.7", "ko"),
        (None, None, "fr", "en"),
        ("xx", None, "ko;q=0.1,en;q=0.2", "en"),
        (None, None, None, "en"),
    ],
)
def test_negotiate(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert negotiate(query=query, cookie=cookie, accept_language=header, default="en") == expected


@given(st.text(max_size=80))
def test_negotiate_never_fails_on_any_header(header: str) -> None:
    assert negotiate(query=None, cookie=None, accept_language=header, default="ko") in SUPPORTED
