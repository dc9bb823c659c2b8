"""``rank_hits`` (the columnar ranking the search uses) gives exactly ``rank_creators``' answer:
the same creators in the same order, the same scores to the last bit, the same evidence."""

from __future__ import annotations

import random

from creatorlens.discovery import BIO, POST, Hit, SearchSettings, rank_creators, rank_hits


def _columns(rng: random.Random, n: int) -> tuple[list[str], list[bool], list[float]]:
    creators = [f"instagram:c{k}" for k in range(max(1, n // 3))] + [""]  # "": an unmapped doc
    # few distinct scores, so that equal scores (broken by the doc id's text) are common
    levels = [round(rng.uniform(0.5, 9.0), 3) for _ in range(6)]
    scores = sorted((rng.choice(levels) for _ in range(n)), reverse=True)
    return (
        [rng.choice(creators) for _ in range(n)],
        [rng.random() < 0.1 for _ in range(n)],
        scores,
    )


def test_rank_hits_equals_rank_creators_on_random_hits() -> None:
    rng = random.Random(14)
    settings = SearchSettings.load()
    for n in (1, 2, 9, 11, 12, 101, 250, 1999, 2000):
        cids, bios, scores = _columns(rng, n)
        hits = [
            Hit(c, str(i), BIO if b else POST, s)
            for i, (c, b, s) in enumerate(zip(cids, bios, scores, strict=True))
            if c
        ]
        expected = rank_creators(hits, settings)
        assert rank_hits(cids, bios, scores, settings) == expected
        assert rank_hits(cids, bios, scores, settings, limit=20) == expected[:20]


def test_rank_hits_breaks_equal_post_scores_by_the_doc_ids_text() -> None:
    # eleven posts of one creator with the same score: as text, "10" sorts before "2"
    ranked = rank_hits(["a"] * 11, [False] * 11, [1.0] * 11, SearchSettings.load())
    assert [d for d, _ in ranked[0].evidence] == ["0", "1", "10"]
    assert ranked == rank_creators([Hit("a", str(i), POST, 1.0) for i in range(11)])


def test_rank_hits_of_no_hits_is_empty() -> None:
    assert rank_hits([], [], []) == []
    assert rank_hits([""], [False], [1.0]) == []
