"""Brand mentions against the demo's planted truth: each sponsored post names one brand
(``demo_truth_posts.brand``); organic posts sometimes mention one; the accounts of friends and
collaborators are no brands. The demo's brands are the fictional ones of data/demo/vocabulary.toml.
"""

from __future__ import annotations

import creatorlens
from creatorlens.data import load_toml

SECTION = "Brands (demo truth)"
TRUTH = "planted sponsor brand per post (demo_truth_posts)"


def test_sponsor_brands_are_found_and_nothing_else_is_a_brand(validity_demo, record_figure) -> None:  # type: ignore[no-untyped-def]
    ws = creatorlens.open(validity_demo.path, read_only=True)
    try:
        mentions = ws.brand_mentions()
        truth = ws.store.table("demo_truth_posts").to_pandas()
    finally:
        ws.close()
    brands = {b for pool in load_toml("demo/vocabulary.toml")["brands"].values() for b in pool}
    found = mentions.groupby("post_id")["brand"].agg(set)
    sponsored = truth[truth["sponsored"]]
    recall = float(sponsored.apply(lambda r: r["brand"] in found.get(r["post_id"], set()), axis=1).mean())
    precision = float(mentions["brand"].isin(brands).mean())
    organic = truth[truth["organic_brand_mention"]]
    organic_found = float(organic["post_id"].isin(mentions["post_id"]).mean())
    joined = mentions.merge(truth[["post_id", "sponsored"]], on="post_id", suffixes=("", "_truth"))
    agreement = float((joined["sponsored"] == joined["sponsored_truth"]).mean())
    for estimate, metric, figure, n, threshold in (
        ("sponsor brand of a sponsored post", "recall", recall, len(sponsored), ">= 0.90"),
        ("brand mention (any)", "precision (a planted brand, not a friend's account)", precision, len(mentions), ">= 0.95"),
        ("organic brand mention", "recall", organic_found, len(organic), ">= 0.90"),
        ("brand mention", "sponsored flag agreement", agreement, len(joined), ">= 0.95"),
    ):  # fmt: skip
        record_figure(
            estimate=estimate, truth=TRUTH, metric=metric, figure=round(figure, 3), n=n,
            threshold=threshold, section=SECTION,
        )  # fmt: skip
    assert recall >= 0.90
    assert precision >= 0.95
    assert organic_found >= 0.90
    assert agreement >= 0.95
