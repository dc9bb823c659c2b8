"""The search tokeniser: documents and queries cut the same way, Korean and hashtags split."""

from __future__ import annotations

from hypothesis import given, strategies as st

from creatorlens.discovery import document_terms, tag_terms, terms


def test_korean_hashtag_splits_into_words() -> None:
    assert tag_terms("#비건스킨케어") == ("비건스킨케어", "비건", "스킨케어")
    assert set(terms("비건 스킨케어")) == {"비건", "스킨케어"}


def test_english_hashtag_splits_and_plural_folds() -> None:
    assert tag_terms("#veganskincare") == ("veganskincare", "vegan", "skincare")
    assert terms("Vegan skincare reviews") == ["vegan", "skincare", "review"]


def test_korean_particles_do_not_hide_the_word() -> None:
    assert "맛집" in terms("어제 간 맛집에서 먹었어요")
    assert "먹다" in terms("어제 간 맛집에서 먹었어요")


def test_mentions_are_not_content() -> None:
    assert terms("@glowbrand thanks") == ["thank"]


def test_a_tag_in_caption_and_field_counts_once() -> None:
    got = document_terms(None, "new look #ootd", "ootd fashion")
    assert got.count("ootd") == 1
    assert "fashion" in got


@given(st.text(max_size=80))
def test_terms_never_fail_and_are_clean(text: str) -> None:
    out = terms(text)
    assert all(t and not any(c.isspace() for c in t) for t in out)
    # a query of a text's own terms finds every one of them again
    assert set(terms(" ".join(out))) <= set(out) | {t for x in out for t in terms(x)}


def test_a_label_hashtag_carrying_the_brand_gives_the_brand_as_a_term() -> None:
    # real tags of tiktok-vn-2025 ("in partnership with Unilever") and the shapes of
    # data/brands/fields.toml's label prefixes and suffixes
    assert "unilever" in tag_terms("#hoptaccungUnilever")
    assert "nutifood" in tag_terms("sponsoredbyNutifood")
    assert "lorealparis" in tag_terms("#lorealparispartner")
    assert tag_terms("#ad") == ("ad",)  # a bare label names no brand
