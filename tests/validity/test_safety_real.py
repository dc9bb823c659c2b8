"""Brand safety against hand labels of real captions (tests/validity/labels/safety_real.csv,
README_safety.md): precision and recall per category and over all categories.

The captions are those of three real exports (mostly Vietnamese TikTok, English TikTok 2020, a
few Instagram posts). The lexicons cover English, Korean, Vietnamese, Indonesian, Portuguese,
Spanish, French, German and Japanese (data/safety/); they and the benign rules were written from
general knowledge before these captions were read, and the labels were used once, to measure
(2026-12-03). Captions in other languages (Sinhala here) are not covered.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import creatorlens
from creatorlens.content.safety import CATEGORIES

from ._real_captions import precision_recall, record_precision_recall, scored_workspace, source_ids

LABELS = Path(__file__).parent / "labels" / "safety_real.csv"
TRUTH = "hand labels of 304 real captions (tests/validity/labels/safety_real.csv)"
SECTION = "Brand safety (real captions)"


@pytest.fixture(scope="module")
def screened(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Every labelled caption with its labelled and its matched categories (sets)."""
    ws = creatorlens.open(scored_workspace(shared_data, "safety", tmp_path_factory), read_only=True)
    try:
        ids = source_ids(ws)
        flags = ws.store.table("safety_flags").to_pandas()
    finally:
        ws.close()
    own = flags[flags["source"] == "post"].groupby("post_id")["category"].agg(set)
    ids["matched"] = ids["post_id"].map(own)
    ids["matched"] = ids["matched"].map(lambda v: v if isinstance(v, set) else set())
    labels = pd.read_csv(LABELS, comment="#", dtype=str, keep_default_na=False)
    assert not labels.duplicated(["dataset", "post_id"]).any()
    merged = labels.merge(
        ids[["dataset", "source_id", "matched", "caption"]].rename(columns={"source_id": "post_id"}),
        on=["dataset", "post_id"], how="left",
    )  # fmt: skip
    missing = merged[merged["matched"].isna()]
    assert missing.empty, f"labelled captions the workspace lacks:\n{missing[['dataset', 'post_id']]}"
    merged["labelled"] = merged["categories"].map(lambda c: set() if c == "none" else set(c.split("|")))
    unknown = set().union(*merged["labelled"]) - set(CATEGORIES)
    assert not unknown, unknown
    return merged


def test_every_category_precision_and_recall_is_recorded(screened: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    for category in CATEGORIES:
        truth = screened["labelled"].map(lambda s, c=category: c in s)
        found = screened["matched"].map(lambda s, c=category: c in s)
        figures = precision_recall(truth, found)
        record_precision_recall(
            record_figure, f"brand-safety category {category}", TRUTH, SECTION, figures,
            ("reported", "reported"),
        )  # fmt: skip


def test_any_category_precision(screened: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    """A flag is right when the caption carries that category (pooled over categories)."""
    pairs_found = sum(len(s) for s in screened["matched"])
    pairs_right = sum(len(m & t) for m, t in zip(screened["matched"], screened["labelled"], strict=True))
    pairs_true = sum(len(s) for s in screened["labelled"])
    precision = pairs_right / pairs_found if pairs_found else float("nan")
    recall = pairs_right / pairs_true if pairs_true else float("nan")
    record_precision_recall(
        record_figure, "brand-safety flag (any category, post x category)", TRUTH, SECTION,
        (precision, recall, pairs_found, pairs_true), (">= 0.80", "reported"),
    )  # fmt: skip
    wrong = screened[screened["matched"] != screened["labelled"]]
    print(wrong[["dataset", "post_id", "categories", "matched", "reason"]].to_string())
    # the bound is test_any_category_precision_bound; here: the screen flags real captions at all
    assert pairs_found > 0 and pairs_right > 0


@pytest.mark.xfail(
    strict=True,
    reason="precision over all categories is 0.69 (11 of 16 post x category flags, 2026-12-03; 0.50 = 3 of 6 "
    "with the English/Korean lexicon), below 0.80: 'helluva drug' (figurative) and a forex pitch that says "
    "'scam' as before; two compound hashtags split into a lexicon word that is not there (a name read as "
    "'enno shit a', Portuguese #sextou = 'it is Friday' read as 'sex tou'); Vietnamese 'dám đăng' (dare to "
    "post) folds to the toneless form of 'dâm đãng' (lewd). Left unfixed: fixing them after seeing them "
    "would tune the lexicon to these labels",
)
def test_any_category_precision_bound(screened: pd.DataFrame) -> None:
    pairs_found = sum(len(s) for s in screened["matched"])
    pairs_right = sum(len(m & t) for m, t in zip(screened["matched"], screened["labelled"], strict=True))
    assert pairs_right / pairs_found >= 0.80


def test_false_alarms_on_the_random_sample(screened: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    random = screened[screened["stratum"].eq("random")]
    false_alarm = random["matched"].map(len).gt(0) & random["labelled"].map(len).eq(0)
    share = float(false_alarm.mean())
    record_figure(
        estimate="brand-safety flag on a clean caption", truth=TRUTH + ", random sample",
        metric="false-positive share", figure=round(share, 3), n=len(random),
        threshold="<= 0.02", section=SECTION,
    )  # fmt: skip
    assert share <= 0.02


def test_any_category_recall(screened: pd.DataFrame) -> None:
    """Measured 0.52 (11 of 21 post x category pairs, 2026-12-03; 0.14 = 3 of 21 with the
    English/Korean lexicon). Still missed: Sinhala captions (no lexicon), words outside the lexicons
    ('drama', 'fake blood', 'shotgun' inside a Vietnamese sentence), #mindfuck (read as one word)."""
    pairs_right = sum(len(m & t) for m, t in zip(screened["matched"], screened["labelled"], strict=True))
    pairs_true = sum(len(s) for s in screened["labelled"])
    assert pairs_right / pairs_true >= 0.5
