"""Lookalike precision@10 on ig-influencers-kim2020's niche labels, with fit and query time.

The data set is an influencer list (username, label, followers; no captions, hashtags or
audiences), so each profile's content is its username read like a hashtag (``makeupbynvs`` ->
makeup) and the size band applies: the measure of that signal alone (tests/validity/
test_lookalikes.py records the same figure). Baseline in the same run: chance, the probability
that a random creator has the seed's label (sum of squared label shares).

Usage: ``.venv/bin/python benchmarks/bench_lookalikes.py [SEEDS]`` (default 400).
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections import Counter

from _common import REPO, load_average, machine_facts, markdown_table, utc_now, write_section

from creatorlens.discovery._lookalike import LookalikeModel, Profile, precision_at_k
from creatorlens.discovery._text import tag_terms

DATA = REPO.parent / "shared" / "data" / "ig-influencers-kim2020" / "influencers.txt"


def main() -> None:
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[2:]
    labels = {user: label for user, label, *_ in rows}
    started = time.perf_counter()
    profiles = [
        Profile(u, float(fo), [t for t in tag_terms(u) if t != u.lower()]) for u, _, fo, *_ in rows
    ]
    model = LookalikeModel(profiles)
    fit_s = time.perf_counter() - started
    counts = Counter(labels.values())
    seeds = sorted(u for u in labels if counts[labels[u]] > 100)
    random.Random(0).shuffle(seeds)
    seeds = seeds[:n_seeds]
    started = time.perf_counter()
    precision, counted = precision_at_k(model, labels, seeds, 10)
    query_s = (time.perf_counter() - started) / len(seeds)
    chance = sum((c / len(labels)) ** 2 for c in counts.values())
    table = markdown_table(
        ["method", "precision@10 same label", "seeds counted", "coverage"],
        [
            ["lookalikes: username terms + size band", f"{precision:.3f}" if precision else "-",
             f"{counted} of {len(seeds)}", f"{counted / len(seeds):.1%}"],
            ["baseline: a random creator (chance)", f"{chance:.3f}", "", ""],
        ],
    )  # fmt: skip
    print(table, flush=True)
    body = (
        f"Measured {utc_now()} on {machine_facts()}, load average {load_average():.1f}; "
        f"`benchmarks/bench_lookalikes.py {n_seeds}` on ig-influencers-kim2020 ({len(rows):,} "
        "influencers, 9 niche labels; usernames only, no captions or audiences).\n\n"
        f"{table}\n\n"
        f"Fit (profiles and TF-IDF of {len(rows):,} creators): {fit_s:.1f} s; one seed's "
        f"lookalikes: {query_s * 1000:.0f} ms. Target precision@10 >= 0.80: not met on this data, "
        "whose only content is the username (docs/search.md \"Validity\")."
    )
    write_section("lookalikes", "Lookalike creators", body)


if __name__ == "__main__":
    main()
