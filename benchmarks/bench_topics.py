"""Topic classification throughput (captions per second), against a naive regex baseline.

Corpora (each caption made unique with a trailing number so no cache hides work):
- tiktok: real multilingual captions + hashtags + bio from ../shared/data/tiktok-trending-2020
- korean: the hand-written Korean captions of tests/content/fixtures/topics_korean.csv
- english: the plain English captions of tests/content/fixtures/topics_english.csv

Baseline (same run, same captions): per topic one compiled regular expression that alternates the
topic's words and hashtags (word-bounded), scanned over the lower-cased text; the topic with most
hits wins. It has no Korean morphology, no hashtag splitting, no evidence and no confidence.

Usage: ``.venv/bin/python benchmarks/bench_topics.py [N_PER_CORPUS]`` (default 20,000).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time

from _common import REPO, load_average, machine_facts, markdown_table, utc_now, write_section

from creatorlens.content.topics import Taxonomy, TopicClassifier
from creatorlens.content.topics.segmentation import kiwi_model, match_tag

FIXTURES = REPO / "tests" / "content" / "fixtures"
TIKTOK = REPO.parent / "shared" / "data" / "tiktok-trending-2020" / "trending.json"


def _corpora(n: int) -> dict[str, list[dict[str, str]]]:
    base: dict[str, list[dict[str, str]]] = {}
    if TIKTOK.exists():
        videos = json.loads(TIKTOK.read_text("utf-8"))["collector"]
        base["tiktok (real, multilingual)"] = [
            {
                "caption": v.get("text") or "",
                "hashtags": " ".join(h["name"] for h in v.get("hashtags") or []),
                "bio": (v.get("authorMeta") or {}).get("signature") or "",
            }
            for v in videos
        ]
    for name, file in (
        ("korean (fixture)", "topics_korean.csv"),
        ("english (fixture)", "topics_english.csv"),
    ):
        with (FIXTURES / file).open(encoding="utf-8") as fh:
            base[name] = [{"caption": r["caption"]} for r in csv.DictReader(fh)]
    out = {}
    for name, records in base.items():
        out[name] = [
            {**records[i % len(records)], "caption": f"{records[i % len(records)]['caption']} {i}"}
            for i in range(n)
        ]
    return out


class RegexBaseline:
    """Naive per-topic regex scan (the thing a first attempt would write)."""

    def __init__(self) -> None:
        tax = Taxonomy.load()
        self.topics = tax.topics
        self.patterns = []
        for i, _ in enumerate(tax.topics):
            terms = [
                t for t, hits in {**tax.words, **tax.tags}.items() if any(j == i for j, _ in hits)
            ]
            terms.sort(key=len, reverse=True)
            self.patterns.append(
                re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
            )

    def predict(self, records: list[dict[str, str]]) -> list[str]:
        out = []
        for r in records:
            text = " ".join(r.values()).lower()
            counts = [len(p.findall(text)) for p in self.patterns]
            best = max(range(len(counts)), key=counts.__getitem__)
            out.append(self.topics[best] if counts[best] else "other")
        return out


def _time(fn, records: list[dict[str, str]]) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(records)
    return time.perf_counter() - started


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    started = time.perf_counter()
    kiwi_model().tokenize("워밍업")
    kiwi_start = time.perf_counter() - started
    corpora = _corpora(n)
    baseline = RegexBaseline()
    rows = []
    modes = ("auto", "kiwi", "lexicon")
    for name, records in corpora.items():
        rates = []
        for mode in modes:
            match_tag.cache_clear()
            seconds = _time(TopicClassifier(korean=mode).fit().classify, records)
            rates.append(f"{len(records) / seconds:,.0f}")
        seconds_base = _time(baseline.predict, records)
        rows.append([name, f"{len(records):,}", *rates, f"{len(records) / seconds_base:,.0f}"])
        print(name, rows[-1], flush=True)
    table = markdown_table(
        [
            "corpus",
            "captions",
            'korean="auto" (default), captions/s',
            'korean="kiwi", captions/s',
            'korean="lexicon", captions/s',
            "baseline: per-topic regex scan, captions/s",
        ],
        rows,
    )
    body = (
        f"Measured {utc_now()} on {machine_facts()}, one process, one core, load average "
        f"{load_average():.1f} at the end (other jobs were running); "
        "`benchmarks/bench_topics.py`. Each caption is made unique (a trailing number) so the "
        "Kiwi and hashtag caches only help within a caption.\n\n"
        f"{table}\n\n"
        f"One-time Kiwi start (model load + first analysis): {kiwi_start:.1f} s, paid on the first "
        "Korean text of a process (not included above). The baseline returns a topic only: no "
        "Korean morphology, no hashtag splitting, no confidence or evidence."
    )
    write_section("topic-classification", "Topic classification", body)


if __name__ == "__main__":
    main()
