"""Lookalike creators against the niche labels of ig-influencers-kim2020 (WWW 2020; 33,935
Instagram influencers, 9 labels: fashion, other, travel, family, food, beauty, interior,
fitness, pet; see its PROVENANCE.txt), and against the seeded demo's planted niches (creators
with posts, hashtags, bios and audiences: what the product sees in a real workspace).

The data set has no captions, hashtags, bios or audiences: the mirror carries the influencer list
only (username, label, followers, followees, posts). The only content a lookalike can use is the
username itself, read like a hashtag (``makeupbynvs`` -> makeup), within the follower size band.
The figure measures that signal; it is not the product's precision on creators with posts, which
this data cannot measure. Seeds whose username yields no shared term get no lookalikes and are
counted in the coverage figure, not in the precision.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import duckdb
import pytest

import creatorlens
from creatorlens.discovery._lookalike import LookalikeModel, Profile, precision_at_k
from creatorlens.discovery._text import tag_terms

from .conftest import RecordFigure, ValidityDemo

SECTION = "lookalikes"
TRUTH = "ig-influencers-kim2020 niche label (9 labels)"
SEEDS = 400
MEASURED = 0.367  # precision@10, 66 of 400 seeds counted, shuffle seed 0 (run of 2026-12-04; 0.301 of 111
# on 2026-12-02: the same figure at the code of then with this venv, so a dependency splits usernames differently)
DEMO_TRUTH = "demo planted main niche"
DEMO_SEEDS = 40


def kim2020_profiles(shared_data: Path) -> tuple[list[Profile], dict[str, str]]:
    path = shared_data / "ig-influencers-kim2020" / "influencers.txt"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[2:]  # header, then a line of '='
    profiles, labels = [], {}
    for user, label, followers, *_ in rows:
        # the username's parts only: the whole username is unique and says nothing
        parts = [t for t in tag_terms(user) if t != user.lower()]
        profiles.append(Profile(user, float(followers), parts))
        labels[user] = label
    return profiles, labels


@pytest.fixture(scope="module")
def kim2020(shared_data: Path) -> tuple[LookalikeModel, dict[str, str], list[str]]:
    profiles, labels = kim2020_profiles(shared_data)
    counts = Counter(labels.values())
    seeds = sorted(u for u in labels if counts[labels[u]] > 100)  # the 9 labels, not the 2 typos
    random.Random(0).shuffle(seeds)
    return LookalikeModel(profiles), labels, seeds[:SEEDS]


@pytest.mark.xfail(
    strict=True,
    reason=f"precision@10 {MEASURED} < 0.80: kim2020 has usernames only (no captions, hashtags or "
    "audiences), so content similarity rests on the username's words",
)
def test_same_niche_precision_at_10(kim2020, record_figure) -> None:  # type: ignore[no-untyped-def]
    model, labels, seeds = kim2020
    precision, counted = precision_at_k(model, labels, seeds, 10)
    assert precision is not None
    counts = Counter(labels[u] for u in labels)
    total = sum(counts.values())
    chance = sum((c / total) ** 2 for c in counts.values())  # a random creator of the seed's label
    record_figure(
        estimate="lookalikes (username terms + size band)", truth=TRUTH,
        metric="precision@10 same label", figure=round(precision, 3), n=counted,
        threshold=">= 0.80", section=SECTION,
    )  # fmt: skip
    record_figure(
        estimate="lookalikes (username terms + size band)", truth=TRUTH,
        metric="coverage: seeds with 10 lookalikes", figure=round(counted / len(seeds), 3),
        n=len(seeds), section=SECTION,
    )  # fmt: skip
    assert precision > chance  # better than picking creators at random
    assert precision >= 0.80


def test_demo_lookalikes_share_the_planted_niche(
    validity_demo: ValidityDemo, record_figure: RecordFigure
) -> None:
    """``Workspace.similar`` on the seeded demo, 40 random seeds: the share of each seed's 10
    lookalikes whose planted main niche is the seed's (precision@10), against the chance of a
    random creator; and the share in the seed's planted country (reported: the size band and
    content come first, the audience only where both breakdowns are known)."""
    con = duckdb.connect(str(validity_demo.path), read_only=True)
    try:
        truth = {
            str(cid): (str(niche), country, str(platform), str(handle))
            for cid, niche, country, platform, handle in con.execute(
                "SELECT creator_id, niche, country, platform, handle FROM demo_truth_creators"
            ).fetchall()
        }
    finally:
        con.close()
    ids = sorted(truth)
    random.Random(0).shuffle(ids)
    same_niche = same_country = shown = seeds = 0
    ws = creatorlens.open(validity_demo.path)
    try:
        for cid in ids[:DEMO_SEEDS]:
            niche, country, platform, handle = truth[cid]
            seed, lookalikes = ws.similar(handle, platform, limit=10)
            assert seed["creator_id"] == cid
            assert all(str(look["creator_id"]) != cid for look in lookalikes)
            if not lookalikes:
                continue
            seeds += 1
            for look in lookalikes:
                other = truth[str(look["creator_id"])]
                shown += 1
                same_niche += other[0] == niche
                same_country += other[1] == country
    finally:
        ws.close()
    counts = Counter(t[0] for t in truth.values())
    chance = sum((c / len(truth)) ** 2 for c in counts.values())
    precision = same_niche / shown
    estimate = "lookalikes (Workspace.similar: content, audience, size band)"
    record_figure(
        estimate=estimate, truth=DEMO_TRUTH, metric="precision@10 same niche",
        figure=round(precision, 3), n=shown, threshold=">= 0.80", section=SECTION,
    )  # fmt: skip
    record_figure(
        estimate=estimate, truth=DEMO_TRUTH, metric="chance (random creator)",
        figure=round(chance, 3), n=len(truth), section=SECTION,
    )  # fmt: skip
    record_figure(
        estimate=estimate, truth="demo planted country", metric="share of lookalikes in the seed's country",
        figure=round(same_country / shown, 3), n=shown, section=SECTION,
    )  # fmt: skip
    assert seeds >= DEMO_SEEDS * 0.9  # nearly every seed gets lookalikes
    assert precision >= 0.80 and precision > 3 * chance
