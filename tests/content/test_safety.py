"""content.safety: lexicon patterns, the hyperscan matcher, Wilson intervals and creator scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from creatorlens.content.safety import (
    CATEGORIES,
    LANGUAGES,
    SafetyMatcher,
    default_lexicon,
    safety_scores,
    screen,
    term_regex,
    wilson,
)


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return SafetyMatcher(default_lexicon())


def test_every_category_has_terms_in_every_language() -> None:
    lexicon = default_lexicon()
    for category in CATEGORIES:
        languages = {t.language for t in lexicon.terms if t.category == category}
        assert languages == set(LANGUAGES), category


def test_term_patterns() -> None:
    assert term_regex("fuck*") == r"\bfuck\w*"
    assert term_regex("piss off") == r"\bpiss\s+off\b"
    assert term_regex("18+") == r"\b18\+"
    assert term_regex("술자리") == "술자리"  # Korean: a substring, particles attach


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What the FUCK is this", {"profanity"}),
        ("fucking finally", {"profanity"}),
        ("어제 술자리에서 논란이 된 영상", {"drugs_alcohol", "controversy"}),
        ("대선 투표 하러 갑니다", {"politics"}),
        ("카지노 가서 잭팟", {"gambling"}),
        ("#nsfw only fans link", {"adult"}),
        ("my stable genius horse", set()),  # "stab" is a whole word only
        ("#pistolsquatchallenge and a jailbreak", set()),
        ("#sexta feira #madisonbeer", set()),  # no word boundary inside a hashtag
        ("오늘의 기술 리뷰", set()),  # "술" alone is not listed: it sits inside 기술, 미술, 수술
    ],
)
def test_matches(matcher: SafetyMatcher, text: str, expected: set[str]) -> None:
    assert {h.category for h in matcher.scan(text)} == expected


def test_the_evidence_is_the_matched_text(matcher: SafetyMatcher) -> None:
    hits = matcher.scan("ok this is FUCKING great")
    assert [(h.category, h.term, h.surface) for h in hits] == [("profanity", "fuck*", "FUCKING")]


def test_a_users_keywords_extend_the_lexicon() -> None:
    lexicon = default_lexicon().with_keywords({"competitors": ["Dewy Skin"], "gambling": ["토토로또"]})
    hits = SafetyMatcher(lexicon).scan("dewy   skin vs 토토로또")
    assert {h.category for h in hits} == {"competitors", "gambling"}
    assert "competitors" in lexicon.categories
    assert {h.category for h in SafetyMatcher(default_lexicon().with_keywords(["vegan"])).scan("vegan")} == {"custom"}


@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_interval_holds_the_share(k: int, extra: int) -> None:
    n = k + extra
    low, high = wilson(np.array([k]), np.array([n]))
    assert 0.0 <= low[0] <= high[0] <= 1.0
    if n:
        assert low[0] - 1e-12 <= k / n <= high[0] + 1e-12
    else:
        assert (low[0], high[0]) == (0.0, 1.0)


def test_scores_per_creator(matcher: SafetyMatcher) -> None:
    posts = pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4"],
            "creator_id": ["a", "a", "a", "b"],
            "caption": ["beer and casino night", "just coffee", "so fucking good", "clean"],
        }
    )
    comments = pd.DataFrame({"post_id": ["p4", "p4"], "text": ["vote trump", "nice"]})
    flags = screen(posts, matcher, comments)
    assert set(zip(flags["post_id"], flags["source"], flags["category"], strict=True)) == {
        ("p1", "post", "drugs_alcohol"), ("p1", "post", "gambling"), ("p3", "post", "profanity"),
        ("p4", "comments", "politics"),
    }  # fmt: skip
    checked = posts.groupby("creator_id")["post_id"].nunique()
    scores = safety_scores(flags, checked, pd.Series({"b": 1})).set_index("creator_id")
    a, b = scores.loc["a"], scores.loc["b"]
    assert a["flagged_posts"] == 2 and a["flagged_share"] == pytest.approx(2 / 3)
    assert a["safety_score"] == pytest.approx(100 / 3)
    assert a["safety_score_low"] <= a["safety_score"] <= a["safety_score_high"]
    assert a["drugs_alcohol_posts"] == 1 and a["hate_posts"] == 0
    # others' comments are shown, not counted against the creator
    assert b["safety_score"] == 100 and b["comment_flagged_posts"] == 1 and b["comment_posts_checked"] == 1
