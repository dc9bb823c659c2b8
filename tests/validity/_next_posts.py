"""The planner's view at a cut-off and what came after: the scorecard on the posts before the
last 30 days, and each creator's first post after the cut (validity of ranges and totals)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd

import creatorlens
from creatorlens.metrics import Window, scorecard_expr
from creatorlens.tiers import DEFAULT_SCHEME, TierScheme

#: The validity report's section for the demo-truth figures (the ranges' and the totals' coverage).
SECTION = "engagement, growth, niche, disclosure, planner (demo truth)"

#: How far the realised coverage of a stated-confidence range may sit from that confidence: about
#: four binomial standard errors at n ~ 2,000 plus a margin for the log-normal assumption.
COVERAGE_TOLERANCE = 0.06


def scorecard_and_next_post(path: Path, days: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scorecard scored on the posts before the cut, first post of each creator after it)."""
    ws = creatorlens.open(path, read_only=True)
    try:
        posts = ws.store.table("posts")
        cut = posts.posted_at.max().to_pyarrow().as_py() - timedelta(days=days)
        card = scorecard_expr(
            ws.store.table("creators"), posts, ws.store.table("follower_snapshots"),
            scheme=TierScheme.load(DEFAULT_SCHEME), window=Window(until=cut),
        ).to_pandas()  # fmt: skip
        later = posts.filter(posts.posted_at >= cut).to_pandas()
    finally:
        ws.close()
    later = later.sort_values(["creator_id", "posted_at", "post_id"]).drop_duplicates("creator_id")
    # A query's rows come in no fixed order (DuckDB scans in parallel): sorted, the random
    # campaigns the validity tests deal from them are the same in every run.
    return card.sort_values("creator_id", ignore_index=True), later.reset_index(drop=True)
