"""content.safety benign-context rules (data/safety/benign_rules.toml): each rule clears its own
examples, and each example is flagged without the rule (so every rule does something)."""

from __future__ import annotations

import pytest

from creatorlens.content.safety import BenignRule, SafetyMatcher, benign_rules, default_lexicon

RULES = benign_rules()


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return SafetyMatcher(default_lexicon())


def test_rule_ids_are_unique_and_documented() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.what and r.source and r.examples for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_clears_its_examples(matcher: SafetyMatcher, rule: BenignRule) -> None:
    without = SafetyMatcher(default_lexicon(), rules=[r for r in RULES if r.id != rule.id])
    for example in rule.examples:
        flagged = {h.category for h in without.scan(example)} & rule.categories
        assert flagged, f"{rule.id}: {example!r} is not flagged even without the rule"
        assert not {h.category for h in matcher.scan(example)} & rule.categories, (rule.id, example)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he bought a gun", "violence"),  # not a glue gun
        ("three people were killed", "violence"),  # not "killed it"
        ("selling drugs on the street", "drugs_alcohol"),  # not a drug store
        ("a glass of red wine", "drugs_alcohol"),  # wine, not the colour "wine red"
        ("win big at the slots tonight", "gambling"),
        ("nhậu xong chém nhau", "violence"),  # chém (to slash), not chém gió
        ("uống bia với bạn", "drugs_alcohol"),  # bia (beer), not bia mộ
        ("khẩu súng lục", "violence"),  # not súng bắn keo
    ],
)
def test_the_unsafe_sense_is_still_flagged(matcher: SafetyMatcher, text: str, category: str) -> None:
    assert category in {h.category for h in matcher.scan(text)}


def test_a_rule_only_cancels_hits_inside_its_phrase(matcher: SafetyMatcher) -> None:
    # the glue gun is a tool; the rifle in the same caption is not
    hits = matcher.scan("glue gun for the craft, rifle for the range")
    assert [h.term for h in hits if h.category == "violence"] == ["rifle*"]
