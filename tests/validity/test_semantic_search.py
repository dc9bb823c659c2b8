"""Content search against the demo's planted niches (``demo_truth_creators.niche``): each niche's
name, in English and in Korean, is the query; precision@10 is the share of the 10 creators listed
whose planted niche is that niche (of min(10, creators with the niche), so a niche with 6
creators can score 1), averaged over the 17 niches. Text mode (tantivy BM25), semantic mode
(multilingual sentence embeddings, the `semantic` extra) and hybrid (their reciprocal rank
fusion); docs/search.md "Semantic search".

A seeded demo of its own, smaller than ``validity_demo`` (2,000 creators x 30 posts = 60,000
posts would take the encoder over half an hour on the 2-core machine): 300 creators x 6 posts,
seed 2026. The demo writes captions in the creator's language (English or Korean), so a Korean
query in text mode can only find the Korean-writing creators.

The query words are ours, one common word or phrase per niche in each language; they are not
tuned per mode.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import creatorlens

from .conftest import VALIDITY_SEED

SECTION = "content search (demo truth)"
TRUTH = "planted niche (demo_truth_creators)"
CREATORS, POSTS = 300, 6
#: niche -> (English query, Korean query)
QUERIES = {
    "food": ("food", "음식"),
    "beauty": ("beauty", "뷰티"),
    "fashion": ("fashion", "패션"),
    "entertainment_comedy": ("comedy", "코미디"),
    "travel": ("travel", "여행"),
    "pets": ("pets", "반려동물"),
    "tech": ("technology", "기술"),
    "music": ("music", "음악"),
    "family_parenting": ("parenting", "육아"),
    "gaming": ("gaming", "게임"),
    "fitness": ("fitness", "운동"),
    "sports": ("sports", "스포츠"),
    "education": ("education", "교육"),
    "finance_crypto": ("finance", "재테크"),
    "health": ("health", "건강"),
    "home_interior": ("interior design", "인테리어"),
    "automotive": ("cars", "자동차"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("semantic-demo") / "demo.duckdb"
    with creatorlens.open(path) as ws:
        ws.demo(seed=VALIDITY_SEED, creators=CREATORS, posts_per_creator=POSTS)
    return path


def test_niche_queries_in_english_and_korean(demo: Path, record_figure) -> None:  # type: ignore[no-untyped-def]
    figures: dict[tuple[str, str], float] = {}
    with creatorlens.open(demo) as ws:
        truth = dict(ws.store.exec("SELECT creator_id, niche FROM demo_truth_creators"))
        per_niche = Counter(truth.values())
        assert set(QUERIES) == set(per_niche)  # every planted niche is queried
        for mode in ("text", "semantic", "hybrid"):
            for lang, column in (("en", 0), ("ko", 1)):
                precisions = []
                for niche, words in QUERIES.items():
                    listed = ws.content_search(words[column], limit=10, mode=mode).creators
                    hits = sum(truth.get(c["creator_id"]) == niche for c in listed)
                    precisions.append(hits / min(10, per_niche[niche]))
                figure = sum(precisions) / len(precisions)
                figures[mode, lang] = figure
                threshold = ">= 0.80" if mode == "semantic" else ""
                record_figure(
                    estimate=f"content search, {mode} mode, {'English' if lang == 'en' else 'Korean'} niche names",
                    truth=TRUTH, metric="precision@10 (mean over the 17 niches)",
                    figure=round(figure, 3), n=len(precisions), threshold=threshold, section=SECTION,
                )  # fmt: skip
    assert figures["semantic", "en"] >= 0.80
    assert figures["semantic", "ko"] >= 0.80
    # the point of the encoder: a Korean query finds the English-writing creators too
    assert figures["semantic", "ko"] > figures["text", "ko"] + 0.2
