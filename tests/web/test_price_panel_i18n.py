"""The creator page's price panel in Korean: the planner's source labels, footnote, mid marks and
per-unit words come from the catalogue (data/i18n), and in English they read as the planner wrote."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from creatorlens._workspace import Workspace
from creatorlens.presentation import _plan
from creatorlens.presentation._i18n import catalog

from .webdata import WebWorkspace

pytestmark = pytest.mark.anyio
#: Words of the planner's English labels that must not reach a Korean price panel.
ENGLISH = re.compile(
    r"expected views|rate card|median of estimates|converted from|days old|per 1K|per engagement"
    r"|\(mid |\bvendor\b|\bsecondary\b|\bprimary\b|estimates from|\bx carousel|\bx video"
)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
        yield c


def planner_prices(web_ws: WebWorkspace, handle: str) -> dict[str, Any]:
    with Workspace(web_ws.path) as ws:
        prices: dict[str, Any] = ws.prices(dict(ws.creator(handle, None))).model_dump(mode="json")
        return prices


@pytest.mark.parametrize("handle", ["glowkim", "xssbio"])  # a KRW and a USD creator
def test_every_planner_label_is_parsed_and_english_reads_as_written(
    handle: str, web_ws: WebWorkspace
) -> None:
    prices = planner_prices(web_ws, handle)
    en, ko = catalog("en"), catalog("ko")
    labels = [label for d in prices["deliverables"] for label in d["sources"]]
    labels += [d["price"][side] for d in prices["deliverables"] for side in ("low_source", "high_source")]
    assert labels
    for label in labels:
        assert _plan.price_source_text(label, en) == label  # English: the planner's words
        korean = _plan.price_source_text(label, ko)
        assert not ENGLISH.search(korean), (label, korean)  # every part had a pattern
    assert _plan.price_note_text(prices["note"], en) == prices["note"]
    ko_note = _plan.price_note_text(prices["note"], ko)
    assert not ENGLISH.search(ko_note) and "추정치" in ko_note
    if prices["currency"] != "USD":  # the exchange rate, its date and age stay in the note
        assert prices["exchange_rate"]["date"] in ko_note and "1 USD =" in ko_note


async def test_korean_price_panel_has_no_english_label(client: httpx.AsyncClient) -> None:
    html = (await client.get("/creator/instagram/glowkim?lang=ko")).text
    panel = html[html.index('id="prices"') : html.index('id="audience"')]
    assert 'id="price-table"' in panel
    text = re.sub(r"<[^>]+>", " ", panel)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    for word in ("단가표", "예상 조회수", "추정치 중앙값", "노출 1천 회", "중간", "USD에서 환산"):
        assert word in text, word
    english = (await client.get("/creator/instagram/glowkim?lang=en")).text
    assert "rate card" in english and "expected views" in english
