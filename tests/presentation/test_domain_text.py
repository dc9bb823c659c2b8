"""Sentences the domain builds reach a Korean reader in Korean: audit notes are codes with values
(authenticity NOTE_TEXT, and the engagement anomalies' ANOMALY_TEXT) rendered from data/i18n, and the published benchmark's formula is
labelled part by part."""

from __future__ import annotations

import string

from creatorlens.authenticity import CreatorSignals
from creatorlens.authenticity._anomalies import ANOMALY_TEXT
from creatorlens.authenticity._report import NOTE_TEXT, missing_notes, note
from creatorlens.metrics import published_benchmarks
from creatorlens.presentation._i18n import catalog


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name} - {"s"}


def test_every_audit_note_has_a_korean_text_with_the_same_values() -> None:
    ko = catalog("ko")
    assert set(ko.notes) == set(NOTE_TEXT) | set(ANOMALY_TEXT)
    for code, english in {**NOTE_TEXT, **ANOMALY_TEXT}.items():
        assert _fields(ko.notes[code]) == _fields(english), code


def test_a_note_reads_in_the_reader_language_with_its_values() -> None:
    item = note("few_snapshots", n=2, needed=7)
    assert item["text"].startswith("2 follower snapshots, 7 needed")
    assert catalog("en").note(item) == item["text"]
    korean = catalog("ko").note(item)
    assert "2" in korean and "7" in korean and "follower" not in korean
    assert note("few_snapshots", n=1, needed=7)["text"].startswith("1 follower snapshot,")


def test_missing_notes_are_codes_of_the_catalogue() -> None:
    notes = missing_notes(CreatorSignals(n_snapshots=0, snapshots_needed=7))
    assert notes and all(n["code"] in NOTE_TEXT for n in notes)


def test_every_benchmark_formula_part_has_a_label_in_both_languages() -> None:
    for lang in ("en", "ko"):
        t = catalog(lang)
        for b in published_benchmarks():
            for kind, code in (("er_part", b.numerator), ("er_part", b.denominator),
                               ("er_aggregation", b.aggregation)):  # fmt: skip
                assert code in t.values[kind], (lang, kind, code)


def test_korean_benchmark_has_no_english_formula() -> None:
    text = catalog("ko").benchmark("instagram", "micro")
    assert "%" in text and "팔로워" in text
    assert "followers" not in text and "likes" not in text


def test_the_follower_union_method_reads_in_korean() -> None:
    from creatorlens.presentation._plan_notes import method_text

    ko = catalog("ko")
    exact = method_text("exact union of follower ids", ko)
    sketch = method_text(
        "union of Theta sketches (2^12 nominal entries), range at 2 standard deviations "
        "(Apache DataSketches bounds)", ko,
    )  # fmt: skip
    for text in (exact, sketch):
        assert not [w for w in ("union", "follower", "nominal", "standard", "range") if w in text], text
    assert "2^12" in sketch and "2배" in sketch
