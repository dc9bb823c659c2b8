"""Disclosure on real captions: the product's sponsorship findings against hand labels.

The labels (tests/validity/labels/disclosure_real.csv) were written by reading each caption and its
hashtags in ../shared/data: a random sample of the three caption exports, every caption the
multilingual rules fire on, and a keyword screen for ties. The product runs as a user runs it:
ingest the exports, score, read ``disclosure_verdicts``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import creatorlens

from ._real_captions import (
    load_labels,
    precision_recall,
    record_precision_recall,
    scored_workspace,
    source_ids,
)

SECTION = "disclosure and niche (real captions)"
TRUTH = "hand labels of real captions (tests/validity/labels/disclosure_real.csv)"


def _product_class(verdict: str) -> str:
    if verdict == "not_sponsored":
        return "not_sponsored"
    return "undisclosed" if verdict == "undisclosed_likely_ad" else "labelled"


@pytest.fixture(scope="module")
def judged(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Every labelled caption with the product's reading (US rows; sponsorship and the label found
    do not depend on the jurisdiction)."""
    ws = creatorlens.open(scored_workspace(shared_data, "disclosure", tmp_path_factory), read_only=True)
    try:
        ids = source_ids(ws)
        table = ws.store.table("disclosure_verdicts")
        verdicts = table.filter(table.jurisdiction == "us").to_pandas()
    finally:
        ws.close()
    product = verdicts.merge(ids, on="post_id")[
        ["dataset", "source_id", "hashtags", "sponsored", "verdict", "label"]
    ].rename(columns={"source_id": "post_id", "sponsored": "product_sponsored"})
    merged = load_labels().merge(product, on=["dataset", "post_id"], how="left")
    missing = merged[merged["verdict"].isna()]
    assert missing.empty, f"labelled captions the workspace lacks:\n{missing[['dataset', 'post_id']]}"
    merged["truth_sponsored"] = merged["sponsored"].eq("yes")
    merged["product_sponsored"] = merged["product_sponsored"].astype(bool)
    merged["product_class"] = merged["verdict"].map(_product_class)
    return merged


def test_sponsorship_precision_and_recall(judged: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    precision, recall, flagged, positives = precision_recall(
        judged["truth_sponsored"], judged["product_sponsored"]
    )
    record_precision_recall(
        record_figure, "sponsored post (any language)", TRUTH, SECTION,
        (precision, recall, flagged, positives), (">= 0.80", ">= 0.60"),
    )  # fmt: skip
    wrong = judged[judged["truth_sponsored"] != judged["product_sponsored"]]
    print(wrong[["dataset", "post_id", "sponsored", "verdict", "label", "reason"]].to_string())
    assert precision >= 0.80
    assert recall >= 0.60


def test_disclosure_class_agreement(judged: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    agree = judged["disclosure"].eq(judged["product_class"])
    record_figure(
        estimate="disclosure class (not sponsored / undisclosed / labelled)", truth=TRUTH,
        metric="agreement", figure=round(float(agree.mean()), 3), n=len(judged),
        threshold=">= 0.95", section=SECTION,
    )  # fmt: skip
    random = judged[judged["stratum"].eq("random")]
    false_alarms = random[~random["truth_sponsored"] & random["product_sponsored"]]
    record_figure(
        estimate="sponsored post (any language)", truth=TRUTH + ", random sample",
        metric="false-positive share", figure=round(len(false_alarms) / len(random), 3),
        n=len(random), threshold="<= 0.02", section=SECTION,
    )  # fmt: skip
    assert agree.mean() >= 0.95
    assert len(false_alarms) / len(random) <= 0.02


def test_labelled_partnership_tags_of_the_issue_are_sponsored(judged: pd.DataFrame) -> None:
    """Issue 18: '#sponsoredbyNutifood' and '#hoptaccungUnilever' were 'No sponsored posts found'."""
    tags = judged["hashtags"].fillna("")
    tagged = judged[tags.str.contains("sponsoredbyNutifood|hoptaccungUnilever", case=False)]
    assert len(tagged) >= 3
    assert tagged["product_sponsored"].all()
    assert tagged["label"].notna().all()
