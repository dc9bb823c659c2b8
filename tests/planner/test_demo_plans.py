"""Acceptance on a demo workspace: each goal preset's tier mix follows the seed's logic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creatorlens._workspace import Workspace
from creatorlens.demo import generate_demo, write_demo
from creatorlens.planner import Brief, Plan

GOALS = ("awareness", "trust", "community", "balanced")


@pytest.fixture(scope="module")
def demo_plans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Plan]]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ws = Workspace(path)
    write_demo(ws.store, generate_demo(seed=7, creators=800, posts_per_creator=10))
    # the content step is the slow one; the planner falls back to categories for the niche
    ws.score(steps=["authenticity"])
    yield {g: ws.plan(Brief.build(budget=20_000, goal=g)) for g in GOALS}
    ws.close()


def spend(plan: Plan, *tiers: str) -> float:
    return sum(m.spend_share for m in plan.tier_mix if m.tier in tiers)


def count(plan: Plan, tier: str) -> float:
    total = sum(m.creators for m in plan.tier_mix)
    return sum(m.creators for m in plan.tier_mix if m.tier == tier) / total


def test_awareness_leans_macro_mega(demo_plans: dict[str, Plan]) -> None:
    p = demo_plans["awareness"]
    assert spend(p, "macro", "mega") >= 0.5
    assert spend(p, "macro", "mega") > spend(demo_plans["trust"], "macro", "mega")
    assert spend(p, "macro", "mega") > spend(demo_plans["community"], "macro", "mega")


def test_trust_leans_micro(demo_plans: dict[str, Plan]) -> None:
    p = demo_plans["trust"]
    assert max(p.tier_mix, key=lambda m: m.spend_share).tier == "micro"
    assert spend(p, "micro") > spend(demo_plans["awareness"], "micro")
    assert spend(p, "micro") > spend(demo_plans["community"], "micro")


def test_community_leans_nano(demo_plans: dict[str, Plan]) -> None:
    p = demo_plans["community"]
    assert max(p.tier_mix, key=lambda m: m.creators).tier == "nano"
    assert count(p, "nano") > max(count(demo_plans[g], "nano") for g in ("awareness", "trust"))
    assert len(p.creators) > len(demo_plans["awareness"].creators)


def test_demo_plans_state_their_bound_and_stay_in_budget(demo_plans: dict[str, Plan]) -> None:
    for plan in demo_plans.values():
        assert plan.totals["cost"].mid <= 20_000 + 1e-6
        assert 0 < plan.guarantee <= 1
        assert plan.creators and all(c.why for c in plan.creators)


@pytest.fixture(scope="module")
def kr_beauty(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Plan, dict[str, tuple[str, str, str]]]]:
    path: Path = tmp_path_factory.mktemp("demo_kr") / "demo.duckdb"
    ws = Workspace(path)
    write_demo(ws.store, generate_demo(seed=2026, creators=1200, posts_per_creator=10))
    ws.score(steps=["authenticity"])
    brief = Brief.build(budget=20_000_000, goal="trust", target="age=18-34 country=KR interest=beauty")
    truth = {
        str(cid): (str(country), str(niche), str(second))
        for cid, country, niche, second in ws.store.exec(
            "SELECT creator_id, country, niche, secondary_niche FROM demo_truth_creators"
        )
    }
    yield ws.plan(brief), truth
    ws.close()


def test_kr_beauty_trust_brief_in_krw(kr_beauty: tuple[Plan, dict[str, tuple[str, str, str]]]) -> None:
    """The issue's brief on a demo: a KRW plan within budget at P90, at most 50 creators, each
    with fit evidence, and the picks are the planted Korean beauty creators."""
    p, truth = kr_beauty
    assert p.currency == "KRW" and p.exchange_rate["currency"] == "KRW"
    assert p.creators and len(p.creators) <= 50
    assert p.cost_at_basis <= 20_000_000 and p.within_budget and p.cost_basis == "p90"
    assert all(c.cost.unit == "KRW" for c in p.creators)
    for c in p.creators:
        assert c.fit >= p.candidates.fit_floor
        assert {e.dimension for e in c.fit_evidence} >= {"age", "country", "interest"}
    picks = [truth[c.creator_id] for c in p.creators]
    korean = sum(country == "KR" for country, _, _ in picks) / len(picks)
    beauty = sum("beauty" in (niche, second) for _, niche, second in picks) / len(picks)
    assert korean >= 0.85 and beauty >= 0.75, (korean, beauty)
    assert [f.max_creators for f in p.frontier] == [5, 10, 25, 50]
