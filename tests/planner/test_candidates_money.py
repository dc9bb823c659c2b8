"""Issue 11: the target decides who is a candidate, the budget holds at P90, a team-sized plan with
its frontier, money in real currencies, and one presentation path for every output."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from creatorlens.audience import Target, audience_fit
from creatorlens.planner import Brief, BriefError, growth_plan, plan, synthetic_candidates
from creatorlens.planner._costs import cost_quantile
from creatorlens.planner._money import (
    CurrencyError,
    clean_number,
    default_currency,
    exchange_rate,
    format_money,
    format_number,
    known_currencies,
)
from creatorlens.planner._plan import ideal_fit
from creatorlens.presentation._plan import csv_columns, plan_csv, plan_records, plan_view, safe_cell

COUNTRIES = ("KR", "US", "VN", "JP", "")
NICHES = ("beauty", "gaming", "food", "")


def candidates_with_audience(seed: int, n: int = 160) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic creators (some without a country or niche) and random audience breakdowns for
    about half of them."""
    rng = np.random.default_rng(seed)
    cands = synthetic_candidates(n, seed=seed).drop(columns=["fit", "fit_basis", "reachable"])
    cands["country"] = rng.choice(COUNTRIES, n)
    cands["main_niche"] = rng.choice(NICHES, n)
    rows = []
    for cid in cands["creator_id"][rng.random(n) < 0.5]:
        kr = float(rng.uniform(0, 1))
        rows += [
            {"creator_id": cid, "dimension": "country", "bucket": "KR", "share": kr},
            {"creator_id": cid, "dimension": "country", "bucket": "US", "share": 1 - kr},
        ]
        young = float(rng.uniform(0, 0.6))
        rows += [
            {"creator_id": cid, "dimension": "age", "bucket": "18-24", "share": young},
            {"creator_id": cid, "dimension": "age", "bucket": "45-54", "share": 1 - young},
        ]
        if rng.random() < 0.5:
            rows.append(
                {"creator_id": cid, "dimension": "interest", "bucket": "beauty",
                 "share": float(rng.uniform(0, 1))}
            )  # fmt: skip
    audience = pd.DataFrame(rows, columns=["creator_id", "dimension", "bucket", "share"])
    return cands, audience


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    budget=st.floats(300, 60_000),
    goal=st.sampled_from(["awareness", "trust", "community", "balanced"]),
    target=st.sampled_from(
        [
            "age=18-34 country=KR interest=beauty",
            "country=KR",
            "country=US interest=gaming",
            "age=18-24",
            "country=VN,JP language=ko",
        ]
    ),
    allow_unknown=st.booleans(),
    max_creators=st.one_of(st.none(), st.integers(1, 60)),
    basis=st.sampled_from(["p90", "p75", "mid"]),
    overlap=st.booleans(),
)
def test_random_briefs_keep_the_target_the_budget_and_the_team(
    seed: int,
    budget: float,
    goal: str,
    target: str,
    allow_unknown: bool,
    max_creators: int | None,
    basis: str,
    overlap: bool,
) -> None:
    cands, audience = candidates_with_audience(seed)
    constraints = {} if max_creators is None else {"max_creators": max_creators}
    brief = Brief.build(
        budget=budget, goal=goal, target=target, currency="USD", allow_unknown_fit=allow_unknown,
        cost_basis=basis, overlap=overlap, constraints=constraints,
    )  # fmt: skip
    fit = audience_fit(brief.target, cands, audience)
    p = plan(cands.merge(fit, on="creator_id"), brief)
    floor = p.candidates.fit_floor
    assert floor == pytest.approx(0.5 * ideal_fit(brief)[0])
    for c in p.creators:
        # every pick meets the fit floor and rests on data, unless the brief lets unknowns in
        assert c.fit >= floor * (1 - 1e-9)
        sources = {e.source for e in c.fit_evidence}
        assert c.fit_evidence and (allow_unknown or sources != {"none"})
    # the budget is a promise at the chosen basis; the count is within the maximum
    assert p.cost_at_basis <= budget * (1 + 1e-9) and p.within_budget
    assert len(p.creators) <= (max_creators or 50)
    # the frontier is monotone in the cap and its last point is the plan
    objectives = [f.objective for f in p.frontier]
    assert objectives == sorted(objectives)
    if p.creators:
        assert p.frontier[-1].creators == len(p.creators)
        assert p.frontier[-1].objective == pytest.approx(p.objective)
    else:
        assert p.shortfall
    # the candidate report adds up
    r = p.candidates
    assert r.matching + sum(r.ruled_out_by.values()) == r.considered


def test_no_match_is_an_empty_plan_that_says_why() -> None:
    cands, audience = candidates_with_audience(3)
    cands["country"] = "VN"
    cands["main_niche"] = "gaming"
    brief = Brief.build(budget=20_000_000, goal="trust", target="age=18-34 country=KR interest=beauty")
    fit = audience_fit(brief.target, cands, audience.iloc[0:0])
    p = plan(cands.merge(fit, on="creator_id"), brief)
    assert not p.creators and p.cost_at_basis == 0 and p.currency == "KRW"
    assert p.shortfall.startswith("No creator matches the target.")
    assert "0 have a reported audience breakdown" in p.shortfall
    assert "What would help" in p.shortfall and "audience breakdowns" in p.shortfall
    assert p.candidates.ruled_out_by  # names the dimension that ruled them out
    assert plan_view(p.model_dump(mode="json"))["table"]["rows"] == []


def test_cost_quantile_is_a_triangular_quantile() -> None:
    low, mid, high = np.array([10.0, 5.0]), np.array([20.0, 5.0]), np.array([50.0, 5.0])
    q90 = cost_quantile(low, mid, high, 0.9)
    # triangle (10, 20, 50): P(X <= x) = 1 - (50 - x)^2 / (40 * 30) for x >= 20
    assert 1 - (50 - q90[0]) ** 2 / 1200 == pytest.approx(0.9)
    assert q90[1] == 5.0
    assert cost_quantile(low, mid, high, 0.5)[0] < q90[0] <= 50


def test_exchange_rates_are_dated_sourced_and_never_one_to_one() -> None:
    for code in ("KRW", "USD", "EUR", "GBP", "JPY", "VND", "IDR", "BRL"):
        assert code in known_currencies()
        rate = exchange_rate(code)
        assert rate.source and rate.date.year >= 2023
    krw = exchange_rate("KRW")
    # ECB 2025-02-28: 1,519.92 KRW and 1.0411 USD per EUR
    assert krw.units_per_usd == pytest.approx(1519.92 / 1.0411)
    assert "days old" in krw.note() and "ECB" in krw.note()
    with pytest.raises(CurrencyError, match="known currencies"):
        exchange_rate("XYZ")
    with pytest.raises(BriefError, match="no exchange rate"):
        Brief.build(budget=10, currency="XYZ")
    assert default_currency(["KR"]) == "KRW" and default_currency(["KR", "US"]) == "USD"
    brief = Brief.build(budget=20_000_000, target="country=KR")
    assert brief.currency == "KRW"
    assert brief.budget_usd == pytest.approx(20_000_000 / krw.units_per_usd)
    assert Brief.build(budget=10, currency="EUR", usd_per_unit=1.2).budget_usd == pytest.approx(12)


def test_grow_converts_a_krw_budget() -> None:
    cands = synthetic_candidates(50, seed=2)
    creator = {str(k): v for k, v in cands.iloc[0].items()}
    usd = growth_plan(creator, Target.parse("age=18-24"), 100.0, currency="USD")
    krw = growth_plan(creator, Target.parse("age=18-24"), 100_000.0, currency="KRW")
    factor = 100_000 / exchange_rate("KRW").units_per_usd / 100
    assert krw.impressions.mid == pytest.approx(usd.impressions.mid * factor)
    assert krw.currency == "KRW" and krw.cost_per_follower.unit == "KRW per follower"
    assert any("ECB" in a for a in krw.assumptions)
    with pytest.raises(CurrencyError):
        growth_plan(creator, Target.parse("age=18-24"), 100.0, currency="ABC")


def test_grow_says_when_posts_are_too_young_for_the_window() -> None:
    cands = synthetic_candidates(5, seed=1)
    creator = {str(k): v for k, v in cands.iloc[0].items()}
    creator["er_followers_lc_median"] = math.nan
    now = pd.Timestamp("2025-05-10", tz="UTC")
    posts = pd.DataFrame(
        {"posted_at": [now - pd.Timedelta(days=d) for d in (1, 2, 3)], "observed_at": [now] * 3}
    )
    with pytest.raises(ValueError, match="all younger than the 7-day window"):
        growth_plan(creator, Target(), 100.0, currency="USD", posts=posts)
    with pytest.raises(ValueError, match="no posts ingested"):
        growth_plan(creator, Target(), 100.0, currency="USD", posts=posts.iloc[0:0])


@given(st.floats(1e-6, 1e9, allow_nan=False))
def test_numbers_are_formatted_without_noise_or_false_zeros(value: float) -> None:
    text = format_number(value)
    assert text != "0" and "e" not in text
    assert float(text.replace(",", "")) == pytest.approx(value, rel=0.06)
    cleaned = clean_number(value)
    assert cleaned is not None and len(repr(cleaned).replace("0.", "").lstrip("0")) <= 12


def test_money_is_formatted_from_its_currency() -> None:
    assert format_money(12_345_678.4, "KRW") == "12,345,678 KRW"
    assert format_money(12.5, "USD") == "12.50 USD"
    assert format_money(0.006999999999999998, "USD") == "0.007 USD"
    assert clean_number(0.006999999999999998) == 0.007
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("-1") == "'-1"
    assert safe_cell(-1.5) == -1.5


def test_one_writer_for_every_plan_output() -> None:
    cands = synthetic_candidates(120, seed=4)
    p = plan(cands, Brief.build(budget=5000, goal="awareness", currency="EUR"))
    data = p.model_dump(mode="json")
    rows = list(csv.DictReader(io.StringIO(plan_csv(data))))
    assert list(rows[0]) == csv_columns() == list(plan_records(data)[0])
    assert len(rows) == len(p.creators) and {r["currency"] for r in rows} == {"EUR"}
    for r in rows:
        for key, value in r.items():
            if key.endswith(("_low", "_mid", "_high")) and value:
                assert len(value.split(".")[-1]) <= 6, (key, value)  # no float noise
    view = plan_view(data)
    money_lines = [text for key, _, text in view["totals"] if key.startswith("cost")]
    assert money_lines and all("EUR" in text for text in money_lines)
    cpe = next(text for key, _, text in view["totals"] if key == "cost_per_engagement")
    assert not cpe.startswith("0 – 0")
    assert [r["handle"] for r in view["table"]["rows"]] == [c.handle for c in p.creators]
    assert plan_records(data)[0]["cost_at_basis"] == round(p.creators[0].cost_at_basis, 2)
