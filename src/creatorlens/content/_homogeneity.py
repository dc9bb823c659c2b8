"""Audience homogeneity and locality from audience breakdowns (docs/content.md).

Homogeneity of one dimension = 1 - H(p) / ln(B): H is the Shannon entropy of the creator's bucket
shares p and B the number of buckets that dimension has across the whole audience table (so a
creator whose audience sits in one of 40 observed countries scores near 1, one spread evenly over
all 40 scores 0). Shares that sum to less than ``residual_threshold`` get one residual bucket
for the unreported rest; that underestimates the entropy of the rest, which is why the residual
bucket is reported as a note in docs. Overall homogeneity = mean over the dimensions present.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.content.topics import content_constants

__all__ = ["audience_homogeneity", "homogeneity_of_shares", "same_place"]

_RESIDUAL = "_unreported"

# Country names a breakdown may use instead of ISO codes (the common ones in creator analytics).
_COUNTRY_ALIASES: dict[str, str] = {
    "south korea": "kr", "korea": "kr", "korea, republic of": "kr", "republic of korea": "kr",
    "united states": "us", "usa": "us", "united states of america": "us", "u.s.": "us",
    "united kingdom": "gb", "uk": "gb", "great britain": "gb", "england": "gb", "japan": "jp",
    "vietnam": "vn", "viet nam": "vn", "india": "in", "indonesia": "id", "brazil": "br",
    "mexico": "mx", "spain": "es", "germany": "de", "france": "fr", "italy": "it", "canada": "ca",
    "australia": "au", "netherlands": "nl", "turkey": "tr", "türkiye": "tr", "russia": "ru",
    "philippines": "ph", "thailand": "th", "argentina": "ar", "colombia": "co", "china": "cn",
    "taiwan": "tw", "pakistan": "pk", "nigeria": "ng", "egypt": "eg", "saudi arabia": "sa",
    "대한민국": "kr", "한국": "kr", "미국": "us", "일본": "jp",
}  # fmt: skip


def _place_key(value: Any) -> str:
    text = str(value).strip().lower()
    return _COUNTRY_ALIASES.get(text, text)


def same_place(a: Any, b: Any) -> bool:
    """Whether two country (or city) labels name the same place ("KR" == "South Korea")."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return False
    return _place_key(a) == _place_key(b) and _place_key(a) != ""


def homogeneity_of_shares(
    shares: Mapping[str, float], n_buckets: int, residual_threshold: float = 0.98
) -> float | None:
    """1 - normalised entropy of one dimension's bucket shares; None when undefined."""
    values = {k: float(v) for k, v in shares.items() if v is not None and float(v) > 0}
    total = sum(values.values())
    if total <= 0:
        return None
    if total > 1.0 + 1e-6:
        values = {k: v / total for k, v in values.items()}
    elif total < residual_threshold:
        values[_RESIDUAL] = 1.0 - total
    buckets = max(n_buckets, len(values))
    if buckets < 2:
        return None
    p = np.array(list(values.values()))
    p = p / p.sum()
    p = p[p > 0]
    entropy = float(-(p * np.log(p)).sum())
    return round(max(0.0, 1.0 - entropy / math.log(buckets)), 4)


def audience_homogeneity(audience: pd.DataFrame, creators: pd.DataFrame) -> pd.DataFrame:
    """Per creator: homogeneity per dimension, overall (with n dimensions) and local shares.

    ``audience`` has creator_id, dimension, bucket, share, source, observed_at; when a creator has
    several sources for a dimension the most recent observation (then the first source by name)
    is used. ``creators`` supplies creator_id, country and, if present, city.
    Returns creator_id, homogeneity_<dimension> for each configured dimension,
    homogeneity_overall, homogeneity_dimensions, audience_local_share, audience_local_city_share.
    """
    const = content_constants()["homogeneity"]
    dimensions: list[str] = list(const["dimensions"])
    threshold = float(const["residual_threshold"])
    columns = [
        "creator_id",
        *(f"homogeneity_{d}" for d in dimensions),
        "homogeneity_overall",
        "homogeneity_dimensions",
        "audience_local_share",
        "audience_local_city_share",
    ]
    if audience is None or audience.empty:
        return pd.DataFrame(columns=columns)
    aud = audience[audience["dimension"].isin(dimensions)].copy()
    if "observed_at" not in aud.columns:
        aud["observed_at"] = pd.NaT
    aud["observed_at"] = pd.to_datetime(aud["observed_at"])
    aud["source"] = aud.get("source", pd.Series("", index=aud.index)).fillna("")
    # One source per (creator, dimension): latest observation, then source name for stability.
    latest = aud.sort_values(
        ["observed_at", "source"], ascending=[False, True], na_position="last"
    ).drop_duplicates(["creator_id", "dimension"])[
        ["creator_id", "dimension", "source", "observed_at"]
    ]
    aud = aud.merge(latest, on=["creator_id", "dimension", "source"], suffixes=("", "_chosen"))
    aud = aud[(aud["observed_at"] == aud["observed_at_chosen"]) | aud["observed_at_chosen"].isna()]
    n_buckets = aud.groupby("dimension")["bucket"].nunique()
    shares = aud.groupby(["creator_id", "dimension", "bucket"])["share"].sum().reset_index()
    shares = shares[shares["share"] > 0]
    keys = ["creator_id", "dimension"]
    total = shares.groupby(keys)["share"].sum().rename("total").reset_index()
    rest = total[total["total"] < threshold].assign(
        bucket=_RESIDUAL, share=lambda t: 1.0 - t["total"]
    )[[*keys, "bucket", "share"]]
    shares = pd.concat([shares, rest], ignore_index=True)
    grouped = shares.groupby(keys)["share"]
    p = shares["share"] / grouped.transform("sum")
    shares["plogp"] = -(p * np.log(p.clip(lower=1e-300)))
    per = shares.groupby(keys).agg(entropy=("plogp", "sum"), k=("share", "size")).reset_index()
    per["buckets"] = np.maximum(per["dimension"].map(n_buckets).fillna(0), per["k"])
    per["value"] = (1.0 - per["entropy"] / np.log(per["buckets"].clip(lower=2))).clip(0, 1).round(4)
    per.loc[per["buckets"] < 2, "value"] = np.nan
    wide = per.pivot(index="creator_id", columns="dimension", values="value")
    out = pd.DataFrame(index=wide.index)
    for dim in dimensions:
        out[f"homogeneity_{dim}"] = wide[dim] if dim in wide.columns else np.nan
    dim_cols = [f"homogeneity_{d}" for d in dimensions]
    out["homogeneity_overall"] = out[dim_cols].mean(axis=1).round(4)
    out["homogeneity_dimensions"] = out[dim_cols].notna().sum(axis=1)
    home = creators.drop_duplicates("creator_id").set_index("creator_id")
    for dim, column in (("country", "audience_local_share"), ("city", "audience_local_city_share")):
        out[column] = np.nan
        if dim not in home.columns:
            continue
        part = aud[aud["dimension"] == dim][["creator_id", "bucket", "share"]]
        own = part["creator_id"].map(home[dim])
        known = own.notna() & (own.astype(str).str.strip() != "")
        keys_bucket = part["bucket"].map(_place_key)
        keys_own = own.where(known).map(lambda v: _place_key(v) if isinstance(v, str) else None)
        local = part["share"].where(keys_bucket == keys_own, 0.0)
        sums = local[known].groupby(part.loc[known, "creator_id"]).sum().round(4)
        out[column] = out.index.map(sums.to_dict())
    out = out.reset_index()
    return out[columns]
