"""Disclosure checker: rule data integrity, engine behaviour, properties, transparency scores."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from importlib import resources
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.content import (
    VERDICT_COLUMNS,
    DisclosureChecker,
    check_disclosure,
    check_post,
    disclosure_rules,
    transparency_scores,
)
from creatorlens.content.disclosure import (
    JURISDICTION_FILES,
    load_jurisdiction,
    shared_vocabulary,
)

RANK = {"undisclosed_likely_ad": 0, "non_compliant": 1, "compliant": 2}


def _data(name: str) -> dict[str, Any]:
    text = resources.files("creatorlens").joinpath(f"data/disclosure/{name}").read_text("utf-8")
    return tomllib.loads(text)


def verdicts_of(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["jurisdiction"], frame["verdict"], strict=True))


# -- rule data -------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(JURISDICTION_FILES))
def test_every_label_and_position_is_judged_in_every_rule_set(code: str) -> None:
    vocab = shared_vocabulary()
    positions = set(_data("messages.toml")["positions"])
    jurisdiction = load_jurisdiction(code)
    assert jurisdiction.version
    # lexicon labels (lexicon_*.toml) are judged like the signals.toml label they mean
    label_keys = {term.means for term in vocab.labels.values()} | {vocab.platform_flag_key}
    assert label_keys <= set(vocab.labels) | {vocab.platform_flag_key}
    for rule_set in jurisdiction.rule_sets:
        assert set(rule_set.labels) == label_keys, rule_set.id
        assert set(rule_set.media) == {"image_post", "short_video", "long_video", "blog"}
        referenced = {j.rule for j in rule_set.labels.values()}
        referenced |= {m.rule for m in rule_set.media.values()}
        referenced |= {m.video_rule for m in rule_set.media.values() if m.video_rule}
        referenced |= {m.title_rule for m in rule_set.media.values() if m.title_rule}
        referenced |= set(rule_set.evidence_rules.values()) | {rule_set.undisclosed_rule}
        referenced |= {rule_set.language_rule} if rule_set.language_rule else set()
        assert referenced <= set(jurisdiction.rules), referenced - set(jurisdiction.rules)
        for medium in rule_set.media.values():
            assert medium.accepted <= positions
        for judgement in rule_set.labels.values():
            assert judgement.clarity in {"clear", "ambiguous", "not_allowed"}
            assert not (judgement.clarity == "not_allowed" and judgement.accepted)


@pytest.mark.parametrize("code", sorted(JURISDICTION_FILES))
def test_every_rule_has_an_id_source_and_content(code: str) -> None:
    rules = disclosure_rules(code)
    assert len(rules) >= 7
    assert rules["id"].is_unique
    assert rules["id"].str.startswith(code.upper() + "-").all()
    assert (rules["source"].str.len() > 10).all()
    assert (rules["content"].str.len() > 10).all()


def test_kftc_rule_sets_are_dated_by_the_reference() -> None:
    kr = load_jurisdiction("kr")
    assert [rs.id for rs in kr.rule_sets] == ["kftc-2020", "kftc-2024"]
    assert str(kr.rule_sets[1].effective_from) == "2024-12-01"
    assert kr.rule_set_for("2024-11-30 23:59").id == "kftc-2020"
    assert kr.rule_set_for("2024-12-01 00:00").id == "kftc-2024"
    assert kr.rule_set_for("2019-01-01").id == "kftc-2020"  # 2020 rules also apply to older posts
    assert kr.rule_set_for(None).id == "kftc-2024"


def test_no_data_pattern_captures() -> None:
    for regex, _, _ in shared_vocabulary().matcher.alternatives:
        assert re.compile(regex).groups == 0


# -- engine ----------------------------------------------------------------------------------------
def test_output_columns_and_one_row_per_post_and_jurisdiction() -> None:
    posts = pd.DataFrame({"post_id": ["a", "b", "c"], "caption": ["#ad hi @x", "hello", None]})
    out = check_disclosure(posts)
    assert list(out.columns) == list(VERDICT_COLUMNS)
    assert len(out) == 9
    assert list(out["post_id"]) == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    assert list(out["jurisdiction"][:3]) == ["us", "kr", "uk"]
    assert out["sponsored"].dtype == bool
    assert set(out[out.post_id != "a"]["verdict"]) == {"not_sponsored"}


def test_jurisdiction_subset_and_string_form() -> None:
    out = check_post("#ad new @nike shoes", jurisdictions="kr,uk")
    assert list(out["jurisdiction"]) == ["kr", "uk"]
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        check_post("#ad", jurisdictions=["fr"])


def test_explanations_in_english_and_korean_name_the_label() -> None:
    out = check_post("오늘은 @etude 립 리뷰 #데일리 #광고")
    kr = out[out.jurisdiction == "kr"].iloc[0]
    assert kr["verdict"] == "non_compliant"
    assert kr["rule_ids"] == "KR-2020-POS-SNS"
    assert "#광고" in kr["explanation_en"] and "#광고" in kr["explanation_ko"]
    assert re.search("[가-힣]", kr["explanation_ko"])
    assert kr["label_position"] == "second_hashtag"


def test_undisclosed_lists_evidence_and_rules() -> None:
    out = check_post("Use code EMMA20 for 20% off @gymshark", jurisdictions=["uk"]).iloc[0]
    assert out["verdict"] == "undisclosed_likely_ad"
    assert out["rule_ids"] == "UK-CAP-2.1,UK-NOT-LABEL"
    assert "discount_code" in out["sponsored_evidence"]
    assert "discount code" in out["explanation_en"]


def test_transcript_accepts_list_and_repetition_rule() -> None:
    long_talk = [[2, "유료광고 포함 영상입니다"], [900, "유료광고 포함"], [1190, "유료광고 포함"]]
    out = check_post(
        "리뷰", platform="youtube", kind="video", duration_s=1200, transcript=long_talk
    )
    kr = out[out.jurisdiction == "kr"].iloc[0]
    assert kr["label_position"] == "video_start_end"  # a 15-minute gap breaks "every 5 minutes"
    assert kr["verdict"] == "non_compliant"


def test_malformed_transcript_is_ignored() -> None:
    out = check_post("hello", kind="video", transcript="not json [")
    assert set(out["verdict"]) == {"not_sponsored"}


def test_judge_memo_gives_the_same_answers_as_single_posts() -> None:
    captions = ["#ad new @nike", "New @nike #running #fitness #ad", "Use code AB12 for 10% off"] * 5
    batch = check_disclosure(pd.DataFrame({"post_id": range(15), "caption": captions}))
    for i in range(3):
        single = check_post(captions[i])
        assert list(batch[batch.post_id == i]["verdict"]) == list(single["verdict"])
        assert list(batch[batch.post_id == i]["rule_ids"]) == list(single["rule_ids"])


def test_checker_agreement_reports_the_share_of_matching_verdicts() -> None:
    posts = pd.DataFrame({"post_id": ["a", "b"], "caption": ["#ad @x hi", "hello"]})
    expected = pd.DataFrame(
        {"post_id": ["a", "b"], "jurisdiction": ["us", "us"], "verdict": ["compliant", "compliant"]}
    )
    checker = DisclosureChecker(["us"])
    assert checker.agreement(posts, expected) == pytest.approx(0.5)


def test_checker_is_a_plain_rules_object_not_an_estimator() -> None:
    """Nothing is learnt: no fit, the rules are loaded when the checker is made, and an unknown
    jurisdiction fails there rather than on first use."""
    checker = DisclosureChecker("kr,uk")
    assert not hasattr(checker, "fit")
    assert [j.code for j in checker.jurisdictions] == ["kr", "uk"]
    assert checker.vocabulary is shared_vocabulary()
    posts = pd.DataFrame({"post_id": ["a"], "caption": ["#광고 @brand 신상"]})
    assert checker.check(posts).equals(check_disclosure(posts, ["kr", "uk"]))
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        DisclosureChecker(["fr"])


# -- the prefilter is exact -----------------------------------------------------------------------
FRAGMENTS = [
    "#ad", "ad", "AD ", "[광고]", "광고", "광고주", "협찬", "협찬문의", "not sponsored",
    "sponsored", "code ", "SAVE20", "HELLO", "20% off", "@brand", "#adidas", "gifted by",
    "선물받았어요", " ", "\n", "https://amzn.to/x", "this is an ad", "유료광고", "아님",
    "thanks @x", "체험단", "할인코드", "수수료를 지급받을 수 있음", "Paid partnership", "내돈내산",
    "#gifted", "ad-free", ":", "|", "#sponsoredbyNutifood", "#hoptaccungUnilever", "#ad_nike",
    "#광고_나이키", "không phải quảng cáo", "#quangcao", "#PR", "広告", "#선팔", "#맞팔", "Werbung",
    "#publi", "#lorealparis", "#lorealparispartner", "저희 매장", "주문 문의", "이벤트 당첨",
    "앰버서더", "제공받아 작성", "#f4f", "open endorse", "tài trợ", "【PR】", "新作", "広告ではありません",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12))
def test_prefiltered_scan_equals_full_alternation(parts: list[str]) -> None:
    text = "".join(parts)
    vocab = shared_vocabulary()
    # patterns of a script-gated lexicon (Japanese) are tried only on text with that script
    gated_out = {
        i for script, gated in vocab.matcher.gates if not script.search(text) for i in gated
    }
    alternatives = [a for i, a in enumerate(vocab.matcher.alternatives) if i not in gated_out]
    full = re.compile(
        "|".join(f"({regex})" for regex, _, _ in alternatives), re.IGNORECASE | re.MULTILINE
    )
    expected = [
        (alternatives[m.lastindex - 1][1:], m.span()) for m in full.finditer(text) if m.lastindex
    ]
    compiled = vocab.matcher.for_text(text)
    got = (
        []
        if compiled is None
        else [(compiled[1][cast(int, m.lastindex) - 1], m.span()) for m in compiled[0].finditer(text)]
    )
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8),
    st.sampled_from([str, str.upper, str.title, str.swapcase]),
)
def test_hyperscan_prefilter_names_every_pattern_that_matches(
    parts: list[str], case: Callable[[str], str]
) -> None:
    """Hyperscan in prefilter mode over-approximates each pattern (lookarounds, inline flags),
    also under Unicode case folding: a pattern Python's re finds is always a candidate."""
    text = case("".join(parts))
    vocab = shared_vocabulary()
    candidates = set(vocab.matcher.prefilter.candidates(text))
    for index, (regex, _, _) in enumerate(vocab.matcher.alternatives):
        if re.search(regex, text, re.IGNORECASE | re.MULTILINE):
            assert index in candidates, (regex, text)


# -- properties of verdicts ------------------------------------------------------------------------
SPONSORED_EN = [
    "Use code EMMA20 for 20% off @gymshark",
    "@sephora sent me their new palette and I'm in love",
    "Shop my favourite serum here: https://amzn.to/3xYz12",
    "Loving my new shoes from @nike #running #fitness #ad",
    "New @brand drop #sp",
    "Courtesy of @marriott, amazing suite views",
]
SPONSORED_KO = [
    "@oliveyoung 에서 선물받았어요 너무 예뻐요",
    "할인코드 BEAUTY10 입력하면 10% 할인 @oliveyoung",
    "오늘은 @etude 립 리뷰 #데일리 #광고",
    "체험단으로 참여해서 작성한 후기입니다 @brand",
]
ORDINARY_EN = [
    "sunny", "morning", "coffee", "with", "friends", "the", "beach", "today", "love",
    "walk", "city", "happy", "weekend", "dinner", "photo", "🌞", "!", "and", "my",
]  # fmt: skip
ORDINARY_KO = ["오늘", "날씨", "좋다", "친구랑", "산책", "커피", "주말", "행복", "사진", "맛있다"]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(SPONSORED_EN),
    st.lists(st.sampled_from(ORDINARY_EN), max_size=8),
)
def test_clear_label_at_start_never_makes_an_english_post_less_compliant(
    caption: str, extra: list[str]
) -> None:
    body = caption + " " + " ".join(extra)
    before = verdicts_of(check_post(body))
    after = verdicts_of(check_post("Ad | " + body))
    for jurisdiction in ("us", "kr", "uk"):
        assert RANK[after[jurisdiction]] >= RANK[before[jurisdiction]]
        assert after[jurisdiction] == "compliant"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SPONSORED_KO), st.lists(st.sampled_from(ORDINARY_KO), max_size=6))
def test_korean_label_at_start_makes_korean_post_compliant_in_korea(
    caption: str, extra: list[str]
) -> None:
    body = caption + " " + " ".join(extra)
    before = verdicts_of(check_post(body))
    after = verdicts_of(check_post("[광고] " + body))
    for jurisdiction in ("us", "kr", "uk"):
        assert RANK[after[jurisdiction]] >= RANK[before[jurisdiction]]
    assert after["kr"] == "compliant"


NOT_SPONSORED = [
    "New #adidas drop is fire",
    "I hate when an ad interrupts my podcast",
    "광고주님께 감사드립니다",
    "Not sponsored, I just love this moisturizer from @cerave",
    "엄마한테 선물받은 가방",
    "Hello world! My first code HELLO program",
]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(NOT_SPONSORED),
    st.lists(st.sampled_from(ORDINARY_EN + ORDINARY_KO), max_size=10),
)
def test_ordinary_words_keep_unsponsored_posts_unsponsored(caption: str, extra: list[str]) -> None:
    out = check_post(caption + " " + " ".join(extra))
    assert set(out["verdict"]) == {"not_sponsored"}
    assert not out["sponsored"].any()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_and_gives_a_valid_verdict(text: str) -> None:
    out = check_post(text, title=text[:40], on_image_text=text[-20:], comments_text=text)
    assert set(out["verdict"]) <= set(RANK) | {"not_sponsored"}
    assert (out["explanation_en"].str.len() > 0).all()


# -- transparency ----------------------------------------------------------------------------------
def test_transparency_scores_counts_and_null_without_sponsored_posts() -> None:
    posts = pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "creator_id": ["ig:a", "ig:a", "ig:a", "ig:b", "ig:b"],
            "caption": [
                "#ad new @nike shoes",
                "Use code EMMA20 for 20% off @gymshark",
                "just a walk",
                "sunny day",
                "coffee time",
            ],
        }
    )
    verdicts = check_disclosure(posts, ["us"])
    scores = transparency_scores(verdicts, posts)
    a = scores[scores.creator_id == "ig:a"].iloc[0]
    counts = (a.posts_checked, a.sponsored_posts, a.compliant_posts, a.undisclosed_posts)
    assert counts == (3, 2, 1, 1)
    assert a.transparency == pytest.approx(0.5)
    b = scores[scores.creator_id == "ig:b"].iloc[0]
    assert b.sponsored_posts == 0 and np.isnan(b.transparency)


def test_transparency_scores_empty() -> None:
    empty = check_disclosure(pd.DataFrame({"post_id": [], "caption": []}))
    scores = transparency_scores(empty, pd.DataFrame({"post_id": [], "creator_id": []}))
    assert scores.empty and "transparency" in scores.columns


# -- lexicons and context rules (lexicon_*.toml, context_rules.toml) -------------------------------
LEXICONS = sorted(
    item.name
    for item in resources.files("creatorlens").joinpath("data/disclosure").iterdir()
    if item.name.startswith("lexicon_")
)


@pytest.mark.parametrize("name", LEXICONS)
def test_every_lexicon_label_cites_a_source_and_means_a_judged_label(name: str) -> None:
    raw = _data(name)
    core = {entry["key"] for entry in _data("signals.toml")["labels"]}
    assert raw["version"] and raw["language"] and raw["source"]
    for entry in raw["labels"]:
        assert entry["means"] in core, entry["key"]
        assert entry["implies"] in {"always", "with_mention", "never"}
        forms = ("hashtags", "words", "phrases", "hashtag_prefixes", "hashtag_suffixes")
        assert any(entry.get(f) for f in forms), entry["key"]
        assert entry.get("source") or raw["source"]
    assert len(LEXICONS) >= 8  # vi, id, pt, es, fr, de, ja + the compound forms


def test_every_context_rule_says_what_it_is_and_where_it_comes_from() -> None:
    raw = _data("context_rules.toml")
    vocab = shared_vocabulary()
    ids = [entry["id"] for entry in raw["rules"]]
    assert len(ids) == len(set(ids))
    assert set(vocab.context_rules) == set(ids)
    for entry in raw["rules"]:
        assert entry["what"] and entry["source"]
        if entry["effect"] != "brand_stem":
            assert entry["cues"], entry["id"]


BRAND = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12)
PREFIXES = [
    (entry["key"], prefix)
    for name in LEXICONS
    for entry in _data(name)["labels"]
    for prefix in entry.get("hashtag_prefixes", [])
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PREFIXES), BRAND)
def test_a_label_prefix_glued_to_any_brand_is_a_hashtag_label(
    entry: tuple[str, str], brand: str
) -> None:
    _key, prefix = entry
    verdicts = check_post(f"#{prefix}{brand} hôm nay", jurisdictions="us")
    assert bool(verdicts["sponsored"].iloc[0])
    assert verdicts["label"].iloc[0] == f"#{prefix}{brand}"
    assert verdicts["label_position"].iloc[0] == "start"


CORE_IMPLIES = {
    entry["key"]: entry["implies"]
    for entry in _data("signals.toml")["labels"]
}
# labels that show a tie as their meaning does (not e.g. "unbezahlte Werbung", a label that
# denies payment), outside Japanese (script-gated) and Korean (language rule) lexicons
HASHTAG_LABELS = [
    (entry["key"], entry["means"], tag)
    for name in LEXICONS
    for entry in _data(name)["labels"]
    if not _data(name).get("script") and entry.get("language", "") != "ko"
    and entry["implies"] == CORE_IMPLIES[entry["means"]]
    for tag in entry.get("hashtags", [])
]
CORE_TAG = {
    entry["key"]: entry["hashtags"][0]
    for entry in _data("signals.toml")["labels"]
    if entry.get("hashtags")
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(HASHTAG_LABELS))
def test_a_label_in_any_language_gets_the_verdicts_of_the_label_it_means(
    entry: tuple[str, str, str],
) -> None:
    """Detection is per language; judgement is the jurisdiction's, by meaning."""
    _key, means, tag = entry
    if means not in CORE_TAG:
        return
    theirs = check_post(f"#{tag} nuevo @brand")
    ours = check_post(f"#{CORE_TAG[means]} nuevo @brand")
    assert theirs["verdict"].tolist() == ours["verdict"].tolist(), tag
    assert theirs["rule_ids"].tolist() == ours["rule_ids"].tolist(), tag


@pytest.mark.parametrize(
    "caption",
    [
        "Không phải quảng cáo đâu, mình tự mua @brand",
        "Isso não é publi, comprei @marca",
        "No es publicidad, lo compré yo @marca",
        "Ce n'est pas une pub, acheté moi-même @marque",
        "Keine Werbung, selbst gekauft @marke",
        "広告ではありません、自腹で購入 @brand",
        "Ini bukan iklan ya @brand",
        "협찬 받지 않았습니다. 좋아서 올려요 @brand",
        "No협찬 내돈내산 @brand",
        "#광고아님 @brand",
        "not sponsored, just love @brand",
        "Looking for sponsors! #sponsorme",
    ],
)
def test_denials_in_every_language_are_not_disclosures(caption: str) -> None:
    verdicts = check_post(caption)
    assert not verdicts["sponsored"].any()
    assert set(verdicts["verdict"]) == {"not_sponsored"}


def test_japanese_labels_need_japanese_script() -> None:
    assert check_post("#PR 新作コスメ @brand", jurisdictions="us")["sponsored"].iloc[0]
    assert not check_post("BIG BENCH #pr @gym", jurisdictions="us")["sponsored"].iloc[0]


def test_follow_bait_and_shop_adverts_say_which_rule_took_the_evidence() -> None:
    bait = check_post("#선팔 #맞팔 #협찬 #소통", jurisdictions="kr").iloc[0]
    assert (bait["verdict"], bait["rule_ids"]) == ("not_sponsored", "CTX-FOLLOW-BAIT")
    assert "#협찬" in bait["explanation_en"]
    shop = check_post("#광고 저희 매장 신메뉴 주문 문의 DM", jurisdictions="kr").iloc[0]
    assert (shop["verdict"], shop["rule_ids"]) == ("not_sponsored", "CTX-SELF-PROMOTION")
    # a real tie beside follow-bait tags still counts
    tie = check_post("제품을 제공받아 작성했어요 #선팔 #협찬 @brand", jurisdictions="kr").iloc[0]
    assert tie["sponsored"] and tie["verdict"] != "not_sponsored"
    # the platform's paid flag is never taken away
    flagged = check_post("저희 매장 신메뉴 주문 문의 DM", is_paid=True, jurisdictions="kr").iloc[0]
    assert flagged["sponsored"]
