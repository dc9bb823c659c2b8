"""content.safety in each language of the lexicons: terms with and without diacritics, Vietnamese
words that need their tones, multi-syllable words, and terms inside compound hashtags."""

from __future__ import annotations

import pytest

from creatorlens.content.safety import CATEGORIES, LANGUAGES, SafetyMatcher, default_lexicon, fold, term_regex


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return SafetyMatcher(default_lexicon())


def categories(matcher: SafetyMatcher, text: str) -> set[str]:
    return {h.category for h in matcher.scan(text)}


def test_fold_keeps_every_offset() -> None:
    text = "Đi nhậu uống rượu, cachaça y cerveza. Bière! 술자리 ビール"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "Di nhau uong ruou, cachaca y cerveza. Biere! 술자리 ビール"


def test_every_language_file_covers_every_category() -> None:
    lexicon = default_lexicon()
    assert lexicon.languages == LANGUAGES
    for language in LANGUAGES:
        found = {t.category for t in lexicon.terms if t.language == language}
        assert found == set(CATEGORIES), language


def test_every_term_compiles_to_a_pattern_that_matches_itself(matcher: SafetyMatcher) -> None:
    # each lexicon term, written out as a caption, is found as itself (no term is unreachable)
    for term in default_lexicon().terms:
        text = term.text.rstrip("*")
        assert term.text in {h.term for h in matcher.scan(f"so {text} today")}, (term, term_regex(term.text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Vietnamese: with tones and without, syllables apart by any spaces
        ("Tối nay uống rượu với anh em", {"drugs_alcohol"}),
        ("toi nay uong ruou voi anh em", {"drugs_alcohol"}),
        ("MA  TÚY là tội ác", {"drugs_alcohol"}),
        ("ma tuy", {"drugs_alcohol"}),
        ("vụ giết người ở Hà Nội", {"violence"}),
        ("vu giet nguoi", {"violence"}),
        ("chơi cá cược bóng đá", {"gambling"}),
        ("choi ca cuoc bong da", {"gambling"}),
        ("đi bầu cử quốc hội", {"politics"}),
        ("bóc phốt shop lừa đảo", {"controversy"}),
        ("hay vcl", {"profanity"}),
        # exact terms need their tones: the toneless form is another word
        ("Cuối tuần đi nhậu thôi", {"drugs_alcohol"}),
        ("chúng ta gặp nhau cuối tuần", set()),  # nhau = each other
        ("khẩu súng của anh ấy", {"violence"}),
        ("sung sướng quá", set()),  # sung sướng = happy
        ("chơi cờ bạc", {"gambling"}),
        ("cảm ơn cô bác", set()),  # cô bác = aunt and uncle
        ("từ từ thôi", set()),  # từ từ = slowly (tự tử = suicide)
        ("đi du lịch Đà Lạt", set()),
        ("con bìa sách", set()),  # bìa = a cover, not bia (beer)
        ("Uống bia", {"drugs_alcohol"}),
        # Indonesian
        ("malam ini judi online lagi", {"gambling"}),
        ("jangan pakai narkoba", {"drugs_alcohol"}),
        ("tawuran pelajar", {"violence"}),
        ("anjing lucu banget", set()),  # anjing = dog
        # Portuguese, diacritics optional
        ("uma cerveja e uma cachaça", {"drugs_alcohol"}),
        ("uma cerveja e uma cachaca", {"drugs_alcohol"}),
        ("casa de apostas", {"gambling"}),
        ("baseado em fatos reais", set()),  # baseado em = based on
        # Spanish
        ("una cocaína", {"drugs_alcohol"}),
        ("una cocaina", {"drugs_alcohol"}),
        ("él vino ayer", set()),  # vino = came
        ("copa de vino", {"drugs_alcohol"}),
        ("qué mierda", {"profanity"}),
        # French
        ("une bière fraîche", {"drugs_alcohol"}),
        ("une biere fraiche", {"drugs_alcohol"}),
        ("paris sportifs en ligne", {"gambling"}),
        ("je vis à Paris", set()),
        # German
        ("ein kaltes Bier", {"drugs_alcohol"}),
        ("so eine Scheiße", {"profanity"}),
        ("so eine Scheisse", {"profanity"}),
        ("Gras im Garten", set()),
        # Japanese: substrings
        ("今日はビールを飲みました", {"drugs_alcohol"}),
        ("パチンコに行った", {"gambling"}),
        ("芸能人が炎上", {"controversy"}),
        ("約束だよ やくそく", set()),
        ("酒井さんと会った", set()),
        ("ステロイドの薬", set()),
    ],
)
def test_matches_per_language(matcher: SafetyMatcher, text: str, expected: set[str]) -> None:
    assert categories(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#cannabiscommunity", {"drugs_alcohol"}),
        ("#CannabisCommunity", {"drugs_alcohol"}),
        ("#beerpong night", {"drugs_alcohol"}),
        ("#sòngbạc", {"gambling"}),
        ("#ruoubia", {"drugs_alcohol"}),
        ("#rượuvang", {"drugs_alcohol"}),
        ("#nhậucùngbạnbè", {"drugs_alcohol"}),
        ("#judionline", {"gambling"}),
        ("#bierliebe", {"drugs_alcohol"}),
        ("#drink_responsibly #beer_time", {"drugs_alcohol"}),
        ("#drinkresponsibly", set()),  # no lexicon word inside
        ("#therapist #analysis #assassinscreed", set()),
        ("#sextafeira", set()),  # Portuguese: Friday
    ],
)
def test_compound_hashtags(matcher: SafetyMatcher, text: str, expected: set[str]) -> None:
    assert categories(matcher, text) == expected


def test_a_hashtag_hit_shows_the_hashtag(matcher: SafetyMatcher) -> None:
    hits = matcher.scan("weekend #cannabiscommunity")
    assert [(h.category, h.term, h.surface) for h in hits] == [
        ("drugs_alcohol", "cannabis", "#cannabiscommunity")
    ]


def test_exact_terms_keep_their_word_boundaries(matcher: SafetyMatcher) -> None:
    assert categories(matcher, "Đụ má") == {"profanity"}
    assert categories(matcher, "đụng xe") == set()  # đụng = to bump into
    assert categories(matcher, "(nhậu)") == {"drugs_alcohol"}
