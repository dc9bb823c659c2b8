"""Audience fit: the share of a creator's audience inside a target, and whom it reaches.

fit = P(audience member is inside the target). With a joint ``age_gender`` breakdown the
age x gender part is read directly; otherwise targeted dimensions are multiplied as if
independent, and the result says so (``assumption = "independent marginals"``). A targeted
dimension without a breakdown is estimated from the creator's country, language and niche
(``data/planner/assumptions.toml``) and the fit is flagged ``estimated`` (or ``partly
estimated``). See docs/audience.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.audience._data import assumption_section
from creatorlens.audience._target import _BAND_EDGES, _GENDER_SYNONYMS, AGE_BANDS, Target

FIT_COLUMNS = (
    "creator_id", "fit", "fit_basis", "assumption", "estimated_dimensions", "fit_evidence",
)  # fmt: skip
#: fit_evidence sources: a reported audience breakdown, the creator's own country / language /
#: niche used as a proxy, or nothing (the prior of assumptions.toml [fit_estimate] alone).
EVIDENCE_SOURCES = ("reported", "proxy", "none")
_NUMBER = re.compile(r"\d+")


def age_band(bucket: str) -> str | None:
    """The ad band of a published age bucket, by its lower bound ("55-64", "65+" -> "55+")."""
    match = _NUMBER.search(str(bucket))
    if match is None:
        return None
    low = int(match.group())
    for band, (start, end) in zip(AGE_BANDS, _BAND_EDGES, strict=True):
        if low >= start and (end is None or low <= end):
            return band
    return None


def gender_of(bucket: str) -> str | None:
    return _GENDER_SYNONYMS.get(str(bucket).strip().lower())


def split_age_gender(bucket: str) -> tuple[str | None, str | None]:
    """``"female|18-24"``, ``"18-24 F"``, ``"M_25-34"`` -> (gender, band)."""
    gender: str | None = None
    band: str | None = None
    for token in re.split(r"[|:/_,; ]+", str(bucket)):
        if not token:
            continue
        if _NUMBER.search(token):
            band = age_band(token)
        else:
            gender = gender_of(token) or gender
    return gender, band


def latest_breakdowns(audience: pd.DataFrame) -> pd.DataFrame:
    """Keep one source per (creator, dimension): the most recently observed, then by name."""
    if audience.empty:
        return audience
    frame = audience.copy()
    if "observed_at" not in frame:
        frame["observed_at"] = pd.NaT
    if "source" not in frame:
        frame["source"] = ""
    frame["source"] = frame["source"].fillna("")
    picks = frame.sort_values(
        ["observed_at", "source"], ascending=[False, True], na_position="last"
    ).drop_duplicates(["creator_id", "dimension"])[["creator_id", "dimension", "source"]]
    return frame.merge(picks, on=["creator_id", "dimension", "source"])


def _share_in(rows: pd.DataFrame, mask: pd.Series, *, overlapping: bool = False) -> pd.Series:
    """Per creator, the audience share in the buckets ``mask`` selects.

    Interest buckets can overlap (one person, several interests); when a creator's interest shares
    sum to more than 1 the union is bounded below by the largest selected share, which is used.
    """
    selected = rows[mask]
    total = selected.groupby("creator_id")["share"].sum()
    if overlapping:
        largest = selected.groupby("creator_id")["share"].max()
        all_total = rows.groupby("creator_id")["share"].sum().reindex(total.index)
        total = total.where(all_total <= 1.05, largest)
    present = pd.Series(0.0, index=rows["creator_id"].unique())
    present.loc[total.index] = total
    return present.clip(0.0, 1.0)


def _map_unique(values: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """``values.map(fn)`` computed once per distinct value (buckets repeat across creators)."""
    text = values.astype(object)
    table = {v: fn(v) for v in pd.unique(text)}
    return pd.Series([table[v] for v in text], index=values.index, dtype=object)


def _matches_any(text: str | None, labels: Iterable[str]) -> bool:
    lowered = (text or "").lower()
    return any(label in lowered for label in labels)


def _estimated_factor(dimension: str, target: Target, creators: pd.DataFrame) -> pd.Series:
    prior = assumption_section("fit_estimate")
    index = creators["creator_id"]
    blank = pd.Series([""] * len(creators), index=creators.index, dtype=object)
    if dimension == "age":
        values = np.full(len(creators), len(target.ages) / len(AGE_BANDS))
    elif dimension == "gender":
        values = np.full(len(creators), len(target.genders) / 2)
    elif dimension in ("country", "city"):
        wanted = set(target.countries)
        n_other = max(len(target.countries), len(target.cities), 1)
        home = creators.get("country", blank).fillna("").str.upper()
        is_home = home.isin(wanted).to_numpy() if wanted else np.zeros(len(creators), bool)
        other = float(prior["other_country_share"])
        values = np.where(
            is_home, float(prior["home_country_share"]) + other * (n_other - 1), other * n_other
        )
    elif dimension == "language":
        wanted = set(target.languages)
        lang = creators.get("language", blank).fillna("").str.lower()
        is_home = lang.str[:2].isin(wanted).to_numpy()
        other = float(prior["other_language_share"])
        n = len(target.languages)
        values = np.where(is_home, float(prior["home_language_share"]) + other * (n - 1), other * n)
    elif dimension == "interest":
        niche_text = (
            creators.get("main_niche", blank).fillna("").astype(str)
            + " "
            + creators.get("categories", blank).fillna("").astype(str)
        )
        match = np.array([_matches_any(t, target.interests) for t in niche_text])
        values = np.where(
            match,
            float(prior["niche_match_interest_share"]),
            float(prior["niche_mismatch_interest_share"]),
        )
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return pd.Series(np.clip(values, 0.0, 1.0), index=index.to_numpy())


def _proxy_attribute(dimension: str, creators: pd.DataFrame) -> pd.Series:
    """The creator's own attribute a dimension's estimate rests on ("" = none: a bare prior)."""
    n = len(creators)
    if dimension in ("country", "city"):
        values = creators.get("country", pd.Series([""] * n, index=creators.index))
        text = values.fillna("").astype(str).str.upper()
        return ("creator country " + text).where(text != "", "")
    if dimension == "language":
        values = creators.get("language", pd.Series([""] * n, index=creators.index))
        text = values.fillna("").astype(str).str.lower()
        return ("creator language " + text).where(text != "", "")
    if dimension == "interest":
        niche = creators.get("main_niche", pd.Series([""] * n, index=creators.index))
        cats = creators.get("categories", pd.Series([""] * n, index=creators.index))
        text = niche.fillna("").astype(str).where(
            niche.fillna("").astype(str) != "", cats.fillna("").astype(str)
        )
        return ("creator niche " + text).where(text != "", "")
    return pd.Series([""] * n, index=creators.index)


def _wanted_dimensions(target: Target) -> list[str]:
    """The target's dimensions in the order fit is built (a city target replaces its country)."""
    return [
        dim
        for dim, asked in target.dimensions()
        if asked and not (dim == "country" and target.cities)
    ]


def _bucket_mask(dim: str, bucket: pd.Series, target: Target) -> pd.Series:
    """Which reported buckets of ``dim`` lie inside the target."""
    if dim == "age":
        return _map_unique(bucket, age_band).isin(target.ages)
    if dim == "gender":
        return _map_unique(bucket, gender_of).isin(target.genders)
    if dim == "country":
        return bucket.str.upper().str.strip().isin(target.countries)
    if dim == "city":
        return bucket.str.lower().str.strip().isin(target.cities)
    if dim == "language":
        return bucket.str.lower().str.strip().str[:2].isin(target.languages)
    return _map_unique(bucket, lambda b: _matches_any(b, target.interests)).astype(bool)


class _FitBuilder:
    """Multiplies each creator's fit dimension by dimension and keeps the evidence for it."""

    def __init__(self, target: Target, creators: pd.DataFrame, audience: pd.DataFrame) -> None:
        self.target = target
        self.creators = creators
        self.ids = creators["creator_id"].astype(str).to_numpy()
        self.fit = pd.Series(1.0, index=self.ids)
        self.evidence: dict[str, list[dict[str, object]]] = {cid: [] for cid in self.ids}
        self.measured: dict[str, set[str]] = {cid: set() for cid in self.ids}
        self.estimated: dict[str, set[str]] = {cid: set() for cid in self.ids}
        self.joint_used: set[str] = set()
        self.rows = (
            latest_breakdowns(audience[audience["creator_id"].isin(self.ids)])
            if len(audience)
            else audience
        )

    def by_dimension(self, name: str) -> pd.DataFrame:
        if self.rows.empty:
            return self.rows
        return self.rows[self.rows["dimension"] == name]

    def apply_joint_age_gender(self) -> None:
        """A reported age_gender breakdown answers age and gender together (no independence)."""
        target = self.target
        joint = self.by_dimension("age_gender")
        if joint.empty:
            return
        gender = _map_unique(joint["bucket"], lambda b: split_age_gender(b)[0])
        band = _map_unique(joint["bucket"], lambda b: split_age_gender(b)[1])
        mask = pd.Series(True, index=joint.index)
        if target.genders:
            mask &= gender.isin(target.genders)
        if target.ages:
            mask &= band.isin(target.ages)
        share = _share_in(joint, mask)
        self.fit.loc[share.index] *= share
        self.joint_used.update(share.index)
        dims = "+".join(d for d, on in (("age", target.ages), ("gender", target.genders)) if on)
        for cid, value in share.items():
            self.evidence[str(cid)].append(
                {"dimension": dims, "share": float(value), "source": "reported",
                 "detail": "reported age_gender breakdown"}
            )  # fmt: skip

    def apply_dimension(self, dim: str) -> None:
        covered_jointly = dim in ("age", "gender")
        data = self.by_dimension(dim)
        measured_ids: set[str] = set()
        if not data.empty:
            mask = _bucket_mask(dim, data["bucket"].astype(str), self.target)
            share = _share_in(data, mask, overlapping=dim == "interest")
            if covered_jointly:
                share = share[~share.index.isin(self.joint_used)]
            self.fit.loc[share.index] *= share
            measured_ids = set(share.index)
            for cid, value in share.items():
                self.evidence[str(cid)].append(
                    {"dimension": dim, "share": float(value), "source": "reported",
                     "detail": f"reported {dim} breakdown"}
                )  # fmt: skip
        covered = [
            cid in measured_ids or (covered_jointly and cid in self.joint_used) for cid in self.ids
        ]
        for cid, is_covered in zip(self.ids, covered, strict=True):
            if is_covered:
                self.measured[cid].add(dim)
        missing = [cid for cid, is_covered in zip(self.ids, covered, strict=True) if not is_covered]
        if missing:
            self.apply_priors(dim, missing)

    def apply_priors(self, dim: str, missing: list[str]) -> None:
        """No reported breakdown: the creator's own attribute (or nothing) through the priors."""
        subset = self.creators[self.creators["creator_id"].astype(str).isin(missing)]
        factor = _estimated_factor(dim, self.target, subset)
        self.fit.loc[factor.index] *= factor
        proxy = _proxy_attribute(dim, subset).to_numpy()
        # the attribute as facts too: its kind (country, language, niche) and its value
        kind = {"country": "country", "city": "country", "language": "language", "interest": "niche"}
        for cid, value, attr in zip(factor.index, factor.to_numpy(), proxy, strict=True):
            self.evidence[str(cid)].append(
                {"dimension": dim, "share": float(value),
                 "source": "proxy" if attr else "none",
                 "detail": f"prior from {attr}" if attr else (
                     "no data: prior only (assumptions.toml [fit_estimate])"),
                 "attribute": kind.get(dim, "") if attr else "",
                 "value": str(attr).split(" ", 2)[-1] if attr else ""}
            )  # fmt: skip
        for cid in missing:
            self.estimated[cid].add(dim)

    def basis(self, cid: str, wanted: list[str]) -> str:
        est, meas = self.estimated[cid], self.measured[cid]
        if not wanted:
            return "everyone"
        if not est:
            return "measured"
        if not meas:
            return "estimated"
        return "partly estimated"

    def assumption(self, cid: str) -> str:
        est, meas = self.estimated[cid], self.measured[cid]
        notes = []
        if cid in self.joint_used:
            notes.append("joint age_gender")
        independent = len(meas | est) - (
            1 if cid in self.joint_used and {"age", "gender"} <= meas else 0
        )
        if independent >= 2:
            notes.append("independent marginals")
        if est:
            notes.append("estimated from country/language/niche priors")
        return "; ".join(notes)

    def frame(self, wanted: list[str]) -> pd.DataFrame:
        ids = self.ids
        return pd.DataFrame(
            {
                "creator_id": ids,
                "fit": self.fit.reindex(ids).to_numpy(dtype=float),
                "fit_basis": [self.basis(cid, wanted) for cid in ids],
                "assumption": [self.assumption(cid) for cid in ids],
                "estimated_dimensions": [",".join(sorted(self.estimated[cid])) for cid in ids],
                "fit_evidence": [self.evidence[cid] for cid in ids],
            }
        )


def audience_fit(target: Target, creators: pd.DataFrame, audience: pd.DataFrame) -> pd.DataFrame:
    """Fit of every creator in ``creators`` (creator_id, country, language, main_niche/categories).

    ``audience`` has the columns of the ``audience`` table. Returns FIT_COLUMNS, one row per
    creator.
    """
    builder = _FitBuilder(target, creators, audience)
    if target.ages or target.genders:
        builder.apply_joint_age_gender()
    wanted = _wanted_dimensions(target)
    for dim in wanted:
        builder.apply_dimension(dim)
    return builder.frame(wanted)


def reachable_audience(
    followers: pd.Series | np.ndarray,
    fit: pd.Series | np.ndarray,
    view_rate: pd.Series | np.ndarray,
) -> np.ndarray:
    """Target people one post reaches: followers x fit x expected view rate (views per follower).

    View rates above 1 (posts seen beyond the followers) are capped at 1 for *target* reach: people
    outside the follower base are not described by the creator's audience breakdown.
    """
    rate = np.clip(np.asarray(view_rate, dtype=float), 0.0, 1.0)
    reach: np.ndarray = np.asarray(followers, dtype=float) * np.asarray(fit, dtype=float) * rate
    return reach
