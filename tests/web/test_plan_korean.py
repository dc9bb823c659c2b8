"""Issue 17: the planner speaks Korean. The planner returns its sentences as notes (a code, the
values, the English text); the Korean plan report, the Korean planner page and the Korean CLI
write them from the catalogue, so no English planner sentence reaches a Korean reader. English
reads exactly as the planner wrote it."""

from __future__ import annotations

import html
import re
import string
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app as cli_app
from creatorlens.planner import Brief
from creatorlens.presentation import _context as ctx
from creatorlens.report import render_plan_report

from .webdata import WebWorkspace

HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: fixed words of the planner's English sentences (planner/_plan.py, presentation/_plan.py)
ENGLISH_FRAGMENTS = (
    "creators match the target",
    "ruled out",
    "What would help",
    "No creator matches",
    "by effective target reach",
    "target people",
    "preference",
    "for goal",
    "of the best possible plan",
    "goal preset",
    "each deliverable costs",
    "hours each",
    "repeat posts add",
    "audience overlap",
    "within budget",
    "OVER BUDGET",
    "hours of briefing",
    "(mid ",
    "(reported)",
    "proxy:",
    "no data: prior",
    "blocked by",
    "effective reach per",
    "fit >=",
    "no plan: no candidate",
    "audience breakdowns",
    "creators based in",
)


def _plans(path: Path) -> dict[str, dict[str, Any]]:
    with Workspace(path) as ws:
        matched = ws.plan(
            Brief.build(budget=5_000_000, currency="KRW", goal="trust", target="country=KR interest=beauty")
        )
        empty = ws.plan(Brief.build(budget=20_000, goal="trust", target="country=ZW interest=beauty"))
    return {"matched": matched.model_dump(mode="json"), "empty": empty.model_dump(mode="json")}


@pytest.fixture(scope="module")
def plans(web_template: WebWorkspace) -> dict[str, dict[str, Any]]:
    return _plans(web_template.path)


def _notes(value: Any) -> Iterator[dict[str, Any]]:
    """Every planner note in a plan's JSON."""
    if isinstance(value, dict):
        if {"code", "values", "text"} <= set(value):
            yield value
        for v in value.values():
            yield from _notes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _notes(v)


def _visible(page: str) -> str:
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _assert_korean(text: str, plan: dict[str, Any]) -> None:
    for fragment in ENGLISH_FRAGMENTS:
        assert fragment not in text, fragment
    for note in _notes(plan):
        if len(note["text"]) > 25:  # a sentence, not a bare figure like "ER 3.36%"
            assert note["text"] not in text, note["code"]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _catalog(lang: str) -> dict[str, Any]:
    text = resources.files("creatorlens").joinpath(f"data/i18n/{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_the_planner_says_its_sentences_as_notes(plans: dict[str, dict[str, Any]]) -> None:
    matched, empty = plans["matched"], plans["empty"]
    assert matched["creators"] and not empty["creators"]
    assert matched["candidates"]["summary_note"]["text"] == matched["candidates"]["summary"]
    assert matched["guarantee_note"]["text"] == matched["guarantee_text"]
    assert [n["text"] for n in matched["assumption_notes"]] == matched["assumptions"]
    for c in matched["creators"]:
        assert "; ".join(n["text"] for n in c["why_notes"]) == c["why"]
    assert " ".join(n["text"] for n in empty["shortfall_notes"]) == empty["shortfall"]
    assert empty["shortfall"].startswith("No creator matches the target.")
    facts = empty["candidates"]["summary_note"]["values"]
    assert facts["matching"] == 0 and facts["ruled_out"]
    assert {f["dimension"] for f in facts["ruled_out"]} <= {"country", "interest", ""}


def test_every_note_has_a_message_in_both_languages_with_the_same_values(
    plans: dict[str, dict[str, Any]],
) -> None:
    en, ko = _catalog("en")["messages"], _catalog("ko")["messages"]
    codes = {n["code"] for plan in plans.values() for n in _notes(plan)}
    assert {"candidates_summary", "shortfall_none", "guarantee", "why_rank", "assume_goal"} <= codes
    for key in (k for k in en if k.startswith("plan_")):
        assert _fields(en[key]) == _fields(ko[key]), key
    for code in codes:
        assert "plan_" + code in ko, code


@pytest.mark.parametrize("which", ["matched", "empty"])
def test_korean_plan_report_has_no_english_planner_sentence(
    plans: dict[str, dict[str, Any]], which: str
) -> None:
    plan = plans[which]
    page = render_plan_report(ctx.plan(plan, lang="ko"), "ko")
    text = _visible(page)
    _assert_korean(text, plan)
    candidates = _visible(page.split('id="plan-candidates"')[1].split("</section>")[0])
    assert HANGUL.search(candidates)
    assert HANGUL.search(_visible(page.split('id="optimality"')[1].split("</p>")[0]))
    if which == "empty":
        assert "타깃에 맞는 크리에이터가 없습니다." in text
        assert "국가 (보고된 분포)" in text or "국가 (크리에이터 자신의 속성)" in text
    else:
        assert "보고된 분포" in text and "타깃 인원" in text and "예산 이내" in text


@pytest.mark.parametrize("which", ["matched", "empty"])
def test_english_plan_report_reads_as_the_planner_wrote_it(
    plans: dict[str, dict[str, Any]], which: str
) -> None:
    plan = plans[which]
    text = _visible(render_plan_report(ctx.plan(plan, lang="en"), "en"))
    assert html.unescape(plan["guarantee_text"]) in text
    assert plan["candidates"]["summary"] in text
    for line in plan["assumptions"]:
        assert line in text
    assert not HANGUL.search(text)


@pytest.mark.anyio
async def test_korean_planner_page_has_no_english_planner_sentence(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Accept-Language": "ko-KR,ko;q=0.9"}
    for target, budget in (("country=KR interest=beauty", "5000000"), ("country=ZW", "5000000")):
        page = await client.get("/plan", headers=headers)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"budget": budget, "currency": "KRW", "goal": "trust", "target": target}
        r = await client.post("/plan", data={**form, "csrf_token": token.group(1)}, headers=headers)
        assert r.status_code == 200 and '<html lang="ko">' in r.text
        plan_id = re.search(r'href="/plan/([^"]+)\.json"', r.text)
        assert plan_id is not None
        plan = (await client.get(f"/plan/{plan_id.group(1)}.json")).json()
        _assert_korean(_visible(r.text.split("</form>")[1]), plan)
        assert HANGUL.search(_visible(r.text.split('id="plan-candidates"')[1].split("</section>")[0]))


def test_cli_plan_in_korean(web_ws: WebWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """``creatorlens plan`` has no --lang: it writes in the table language (CREATORLENS_LANG)."""
    monkeypatch.setenv("CREATORLENS_LANG", "ko")
    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()
    for target in ("country=KR interest=beauty", "country=ZW"):
        args = ["plan", "--db", str(web_ws.path), "--budget", "5000000", "--currency", "KRW"]
        result = runner.invoke(cli_app, [*args, "--goal", "trust", "--target", target])
        assert result.exit_code == 0, result.output
        output = result.output.replace("\n", " ")  # rich wraps long lines at a space
        for fragment in ENGLISH_FRAGMENTS:
            assert fragment not in output, fragment
        assert "크리에이터" in output and "예산" in output and "환율" in output
