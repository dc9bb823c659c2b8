"""Agreement of the disclosure checker with 200+ hand-written cases (verdicts from the rules)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from creatorlens.content import check_disclosure

FIXTURE = Path(__file__).parent / "fixtures" / "disclosure_cases.toml"
CODES = {
    "C": "compliant",
    "N": "non_compliant",
    "U": "undisclosed_likely_ad",
    "-": "not_sponsored",
}
JURISDICTIONS = ("us", "kr", "uk")
MIN_AGREEMENT = 0.95


def load_cases() -> list[dict[str, Any]]:
    raw = tomllib.loads(FIXTURE.read_text("utf-8"))
    cases: list[dict[str, Any]] = raw["case"]
    return cases


def cases_frame(cases: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    expected = []
    for case in cases:
        row = {k: v for k, v in case.items() if k not in {"id", "expect", "note"}}
        if "transcript" in row:
            row["transcript"] = json.dumps(row["transcript"], ensure_ascii=False)
        row["post_id"] = case["id"]
        rows.append(row)
        codes = case["expect"].split()
        assert len(codes) == len(JURISDICTIONS), case["id"]
        for jurisdiction, code in zip(JURISDICTIONS, codes, strict=True):
            expected.append(
                {"post_id": case["id"], "jurisdiction": jurisdiction, "expected": CODES[code]}
            )
    return pd.DataFrame(rows), pd.DataFrame(expected)


def test_fixture_is_large_and_covers_both_languages() -> None:
    cases = load_cases()
    assert len(cases) >= 200
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    hangul = sum(any("\uac00" <= ch <= "\ud7a3" for ch in c.get("caption", "")) for c in cases)
    assert hangul >= 60
    assert len(cases) - hangul >= 100
    verdicts = {code for c in cases for code in c["expect"].split()}
    assert verdicts == set(CODES)


def test_checker_agrees_with_fixture() -> None:
    cases = load_cases()
    posts, expected = cases_frame(cases)
    verdicts = check_disclosure(posts, JURISDICTIONS)
    merged = expected.merge(verdicts, on=["post_id", "jurisdiction"], how="left")
    assert len(merged) == len(expected)
    disagreements = merged[merged["verdict"] != merged["expected"]]
    for row in disagreements.itertuples():
        print(
            f"DISAGREE {row.post_id} [{row.jurisdiction}] expected={row.expected} "
            f"got={row.verdict} label={row.label!r} position={row.label_position} "
            f"rules={row.rule_ids} :: {row.explanation_en}"
        )
    agreement = 1 - len(disagreements) / len(merged)
    print(f"agreement {agreement:.3f} over {len(merged)} post x jurisdiction verdicts")
    assert agreement >= MIN_AGREEMENT


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_jurisdiction_rule_is_exercised_by_the_fixture(jurisdiction: str) -> None:
    from creatorlens.content import disclosure_rules

    cases = load_cases()
    posts, _ = cases_frame(cases)
    verdicts = check_disclosure(posts, [jurisdiction])
    used = {rule for ids in verdicts["rule_ids"] for rule in ids.split(",") if rule}
    declared = set(disclosure_rules(jurisdiction)["id"])
    assert declared - used == set(), f"rules never deciding a fixture verdict: {declared - used}"
