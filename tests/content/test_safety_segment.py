"""content.safety hashtag segmenter: English words by frequency, lexicon terms of every language
read as their words, the hashtag's own spelling kept."""

from __future__ import annotations

import pytest

from creatorlens.content.safety import Segmenter, default_lexicon


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(t.text for t in default_lexicon().terms)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("cannabiscommunity", ("cannabis", "community")),
        ("DrinkResponsibly", ("Drink", "Responsibly")),
        ("sòngbạc", ("sòng", "bạc")),  # a two-syllable term, tones kept
        ("ruoubia", ("ruou", "bia")),
        ("beer", ("beer",)),  # short: read whole
        ("오늘의술", ("오늘의술",)),  # Hangul: the lexicon matches it as substrings
        ("drink_more", ("drink_more",)),  # not letters and digits only: the matcher splits on "_"
    ],
)
def test_split(segmenter: Segmenter, tag: str, words: tuple[str, ...]) -> None:
    assert segmenter.split(tag) == words


def test_the_pieces_spell_the_tag(segmenter: Segmenter) -> None:
    for tag in ("weekendvibesonly", "nhậucùngbạnbè", "Bierliebe2024", "judionlinegacor"):
        assert "".join(segmenter.split(tag)) == tag
