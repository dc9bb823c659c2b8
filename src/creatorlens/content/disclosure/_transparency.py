"""Transparency per creator and jurisdiction: compliant / sponsored posts, from the verdicts."""

from __future__ import annotations

import numpy as np
import pandas as pd


def transparency_scores(verdicts: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Per creator and jurisdiction: transparency = compliant / sponsored posts (null when none).

    Columns: creator_id, jurisdiction, posts_checked, sponsored_posts, compliant_posts,
    non_compliant_posts, undisclosed_posts, transparency.
    """
    columns = [
        "creator_id", "jurisdiction", "posts_checked", "sponsored_posts", "compliant_posts",
        "non_compliant_posts", "undisclosed_posts", "transparency",
    ]  # fmt: skip
    if verdicts.empty:
        return pd.DataFrame(columns=columns)
    if "creator_id" in verdicts.columns:
        frame = verdicts[verdicts["creator_id"].notna()]
    else:
        owners = posts[["post_id", "creator_id"]].drop_duplicates("post_id")
        frame = verdicts.merge(owners, on="post_id", how="inner")
    frame = frame.assign(
        is_sponsored=frame["sponsored"].astype(bool),
        is_compliant=frame["verdict"].eq("compliant"),
        is_non_compliant=frame["verdict"].eq("non_compliant"),
        is_undisclosed=frame["verdict"].eq("undisclosed_likely_ad"),
    )
    grouped = frame.groupby(["creator_id", "jurisdiction"], sort=True).agg(
        posts_checked=("post_id", "size"),
        sponsored_posts=("is_sponsored", "sum"),
        compliant_posts=("is_compliant", "sum"),
        non_compliant_posts=("is_non_compliant", "sum"),
        undisclosed_posts=("is_undisclosed", "sum"),
    )
    grouped = grouped.reset_index()
    for col in ("posts_checked", "sponsored_posts", "compliant_posts", "non_compliant_posts",
                "undisclosed_posts"):  # fmt: skip
        grouped[col] = grouped[col].astype("int64")
    sponsored = grouped["sponsored_posts"].astype(float)
    grouped["transparency"] = np.where(
        sponsored > 0, grouped["compliant_posts"] / sponsored.where(sponsored > 0, 1.0), np.nan
    )
    return grouped[columns]
