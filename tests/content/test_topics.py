"""TopicClassifier: taxonomy data, hashtag splitting, Korean and English accuracy, sklearn shape."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.content.topics import (
    OTHER,
    Taxonomy,
    TopicClassifier,
    label_map,
    normalize,
    topic_from_categories,
)
from creatorlens.content.topics.segmentation import match_tag, segment

FIXTURES = Path(__file__).parent / "fixtures"
REQUIRED = {
    "beauty", "fashion", "food", "travel", "fitness", "family_parenting", "pets", "home_interior",
    "tech", "gaming", "finance_crypto", "education", "entertainment_comedy", "music", "sports",
    "automotive", "health",
}  # fmt: skip


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _agreement(clf: TopicClassifier, rows: list[dict[str, str]]) -> tuple[float, list[str]]:
    results = clf.classify([r["caption"] for r in rows])
    misses = [
        f"expected {r['expected_topic']}, got {res.topic} {res.evidence}: {r['caption'][:60]}"
        for r, res in zip(rows, results, strict=True)
        if res.topic != r["expected_topic"]
    ]
    return 1 - len(misses) / len(rows), misses


def test_taxonomy_has_required_topics_versions_and_lexicons() -> None:
    tax = Taxonomy.load()
    assert set(tax.topics) >= REQUIRED
    assert tax.classes[-1] == OTHER
    assert tax.version
    for topic in tax.topics:
        lex = tax.lexicon(topic)
        assert any(not any("\uac00" <= c <= "\ud7a3" for c in t) for t in lex), topic
        assert any(any("\uac00" <= c <= "\ud7a3" for c in t) for t in lex), f"{topic}: no Korean"


@pytest.mark.parametrize(
    ("tag", "topic"),
    [
        ("먹스타그램", "food"),
        ("카페투어", "food"),
        ("성수카페투어", "food"),
        ("오오티디", "fashion"),
        ("육아스타그램", "family_parenting"),
        ("댕댕이스타그램", "pets"),
        ("homeworkout", "fitness"),
        ("catsofinstagram", "pets"),
        ("gymlife", "fitness"),
        ("koreanfood", "food"),
        ("dulich", "travel"),
        ("maquiagem", "beauty"),
        ("minecraftbuilding", "gaming"),
    ],
)
def test_hashtags_in_any_language_are_split_into_lexicon_terms(tag: str, topic: str) -> None:
    tax = Taxonomy.load()
    matches = match_tag("taxonomy.toml", normalize(tag))
    topics = {tax.topics[i] for _, entries in matches for i, _ in entries}
    assert topic in topics, (tag, matches)
    assert TopicClassifier().fit().predict([f"#{tag}"])[0] == topic


def test_short_terms_inside_unrelated_hashtags_do_not_match() -> None:
    tax = Taxonomy.load()
    # "car" in "scarf", "cat" in "catholic", "pet" in "petty": partial and not explained.
    for tag in ("scarf", "catholic", "petty"):
        assert "car" not in segment(tax, tag)
        assert "cat" not in segment(tax, tag)
        assert "pet" not in segment(tax, tag)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_segment_returns_only_lexicon_substrings(tag: str) -> None:
    tax = Taxonomy.load()
    norm = normalize(tag)
    for piece in segment(tax, norm):
        assert piece in norm
        assert piece in tax.words or piece in tax.tags


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=5))
def test_predict_proba_is_a_distribution_and_agrees_with_predict(texts: list[str]) -> None:
    clf = TopicClassifier(korean="lexicon").fit()
    proba = clf.predict_proba(texts)
    assert proba.shape == (len(texts), len(clf.classes_))
    assert np.all(proba >= 0) and np.all(proba <= 1)
    assert np.allclose(proba.sum(axis=1), 1.0)
    for row, topic, result in zip(proba, clf.predict(texts), clf.classify(texts), strict=True):
        if topic != OTHER:
            assert row[list(clf.classes_).index(topic)] == pytest.approx(result.confidence)
            assert result.evidence


def test_every_classification_has_confidence_and_evidence() -> None:
    clf = TopicClassifier().fit()
    result = clf.classify(
        [{"caption": "Leg day: squats and deadlifts", "hashtags": "gym fitness"}]
    )[0]
    assert result.topic == "fitness"
    assert 0.5 < result.confidence <= 1
    assert {"squats", "leg day", "#gym", "#fitness"} <= set(result.terms["fitness"])
    assert result.evidence[0] in result.terms["fitness"]
    frame = clf.classify_frame(["", "pizza and pasta night"])
    assert list(frame["topic"]) == [OTHER, "food"]
    assert frame.loc[1, "evidence"]


def test_bio_is_a_weaker_field_than_the_post() -> None:
    clf = TopicClassifier().fit()
    post = {"caption": "new lipstick swatches", "bio": "fitness coach, gym, workout plans"}
    assert clf.predict([post])[0] == "beauty"
    only_bio = {"caption": "hello", "bio": "food blogger"}
    assert clf.classify([only_bio])[0].scores["food"] == pytest.approx(0.5)


def test_feed_tags_vote_only_when_nothing_topical_decides() -> None:
    clf = TopicClassifier().fit()
    feed = clf.classify([{"hashtags": "fyp foryou viral"}])[0]
    assert feed.topic == "entertainment_comedy" and feed.feed_only
    assert feed.confidence < 0.6
    topical = clf.classify([{"hashtags": "fyp foryou deadlift"}])[0]
    assert topical.topic == "fitness" and not topical.feed_only
    assert TopicClassifier(feed_weight=0).fit().predict([{"hashtags": "fyp"}])[0] == OTHER


@pytest.mark.parametrize("korean", ["kiwi", "lexicon"])
def test_korean_captions_accuracy(korean: str) -> None:
    rows = _rows("topics_korean.csv")
    assert len(rows) >= 40
    accuracy, misses = _agreement(TopicClassifier(korean=korean).fit(), rows)
    print(f"Korean ({korean}) accuracy {accuracy:.3f} on {len(rows)}", *misses, sep="\n  ")
    assert accuracy >= 0.9, misses


def test_plain_english_vocabulary_accuracy() -> None:
    rows = _rows("topics_english.csv")
    accuracy, misses = _agreement(TopicClassifier().fit(), rows)
    print(f"English accuracy {accuracy:.3f} on {len(rows)}", *misses, sep="\n  ")
    assert accuracy >= 0.9, misses


def test_kiwi_handles_particles_and_verb_endings() -> None:
    clf = TopicClassifier(korean="kiwi").fit()
    result = clf.classify(["강아지랑 산책하고 사료를 바꿨어요"])[0]
    assert result.topic == "pets"
    assert {"강아지", "사료"} <= set(result.terms["pets"])


def test_fit_calibrates_other_weight_and_score_is_accuracy() -> None:
    rows = _rows("topics_english.csv")
    X = [r["caption"] for r in rows] + ["hello there", "good morning everyone"]
    y = [r["expected_topic"] for r in rows] + [OTHER, OTHER]
    clf = TopicClassifier().fit(X, y)
    assert 0.1 <= clf.other_weight_ <= 2.0
    assert clf.fit_accuracy_ == pytest.approx(clf.score(X, y))
    assert clf.score(X, y) >= TopicClassifier(other_weight=2.0).fit().score(X, y)


def test_label_map_covers_kim2020_and_every_topic() -> None:
    mapping = label_map()
    tax = Taxonomy.load()
    assert set(mapping["kim2020"]["from_topic"]) == set(tax.classes)
    assert set(mapping["kim2020"]["from_topic"].values()) == set(mapping["kim2020"]["labels"])
    for label, topic in mapping["kim2020"]["to_topic"].items():
        assert topic in tax.classes, label
    for label, topic in mapping["top1000"]["to_topic"].items():
        assert topic in tax.classes, label


def test_label_map_covers_real_data_labels(shared_data: Path) -> None:
    import pandas as pd

    kim = pd.read_csv(shared_data / "ig-influencers-kim2020" / "influencers.txt", sep="\t")
    kim_labels = set(kim["Category"].dropna().str.strip()) - {"=" * 71}
    kim_labels = {lab for lab in kim_labels if not lab.startswith("=")}
    assert kim_labels <= set(label_map()["kim2020"]["to_topic"])
    known = {k.lower() for k in label_map()["top1000"]["to_topic"]}
    seen: set[str] = set()
    for path in (shared_data / "top1000-social-2022").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for col in frame.columns:
            if "ateg" in col:
                for value in frame[col].dropna():
                    seen |= {p.strip().lower() for p in str(value).split(",") if p.strip()}
    assert seen and seen <= known, sorted(seen - known)


def test_topic_from_categories() -> None:
    assert topic_from_categories("Lifestyle|Sports with a ball") == "sports"
    assert topic_from_categories("pet") == "pets"
    assert topic_from_categories("Lifestyle") is None
    assert topic_from_categories(None) is None
