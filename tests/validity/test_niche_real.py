"""Niche (post topic) on real captions: the product's topic against hand labels.

The random stratum of tests/validity/labels/disclosure_real.csv carries a hand-written topic per
caption (a taxonomy topic or "other", with a confidence). The product runs as a user runs it:
ingest the exports, score the content step, read ``post_topics``.
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
TRUTH = "hand-labelled topic of real captions (random sample, tests/validity/labels/disclosure_real.csv)"
OTHER = "other"


@pytest.fixture(scope="module")
def topics(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    ws = creatorlens.open(scored_workspace(shared_data, "content", tmp_path_factory), read_only=True)
    try:
        ids = source_ids(ws)
        post_topics = ws.store.table("post_topics").select("post_id", "topic").to_pandas()
    finally:
        ws.close()
    product = post_topics.merge(ids, on="post_id")[["dataset", "source_id", "topic"]]
    product = product.rename(columns={"source_id": "post_id"})
    labels = load_labels()
    labels = labels[labels["niche"].ne("")]
    merged = labels.merge(product, on=["dataset", "post_id"], how="left")
    assert merged["topic"].notna().all(), merged[merged["topic"].isna()]
    return merged


def test_topic_agreement(topics: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    agree = topics["niche"].eq(topics["topic"])
    sure = topics["niche_confidence"].eq("high")
    record_figure(
        estimate="post topic", truth=TRUTH, metric="agreement (18 topics + other)",
        figure=round(float(agree.mean()), 3), n=len(topics), threshold=">= 0.60", section=SECTION,
    )  # fmt: skip
    record_figure(
        estimate="post topic", truth=TRUTH + ", high-confidence labels",
        metric="agreement (18 topics + other)", figure=round(float(agree[sure].mean()), 3),
        n=int(sure.sum()), threshold="", section=SECTION,
    )  # fmt: skip
    for dataset, part in topics.groupby("dataset"):
        record_figure(
            estimate="post topic", truth=f"{TRUTH}, {dataset}", metric="agreement",
            figure=round(float(part["niche"].eq(part["topic"]).mean()), 3), n=len(part),
            threshold="", section=SECTION,
        )  # fmt: skip
    wrong = topics[~agree]
    print(wrong[["dataset", "post_id", "niche", "niche_confidence", "topic"]].to_string())
    assert agree.mean() >= 0.60


def test_topic_precision_and_recall(topics: pd.DataFrame, record_figure) -> None:  # type: ignore[no-untyped-def]
    """A topic the product names should be the right one; a caption with a topic should get it.

    The floors are below the issue-free ideal on purpose: most wrong names are posts with only
    platform feed tags (#fyp, #viral) that the taxonomy's [feed] rule calls entertainment and the
    labels call "other" (a documented design choice, docs/content.md), not a defect.
    """
    named = topics["topic"].ne(OTHER)
    has_topic = topics["niche"].ne(OTHER)
    right = topics["niche"].eq(topics["topic"])
    precision, _, flagged, _ = precision_recall(right & has_topic, named)
    _, recall, _, positives = precision_recall(has_topic, right & named)
    record_precision_recall(
        record_figure, "post topic", TRUTH, SECTION, (precision, recall, flagged, positives),
        (">= 0.50", ">= 0.60"), ("precision of a named topic", "recall of labelled topics"),
    )  # fmt: skip
    assert precision >= 0.50
    assert recall >= 0.60
