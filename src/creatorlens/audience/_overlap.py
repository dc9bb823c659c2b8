"""Audience overlap between creators, and the unique reach of a set of creators.

Two conventions are in use in the industry and both are reported:

* ``jaccard``  = |A ∩ B| / |A ∪ B|            (overlap over the union)
* ``over_smaller`` = |A ∩ B| / min(|A|, |B|)   (overlap over the smaller audience)

From follower-id samples: exact sets when every sample is small, otherwise MinHash (Jaccard) and
HyperLogLog (cardinalities and unions) sketches from ``datasketch``. Without samples the overlap is
estimated from demographics and niche under a random-mixing model (docs/audience.md).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # datasketch (and the scipy it pulls in) loads only when samples are sketched
    from datasketch import HyperLogLogPlusPlus, MinHash
from pydantic import BaseModel, ConfigDict

from creatorlens.audience._data import assumption_section

Method = Literal["exact", "sketch", "estimated"]


class OverlapMatrix(BaseModel):
    """Pairwise overlap; matrices are row-major lists aligned with ``creator_ids``."""

    model_config = ConfigDict(frozen=True)

    creator_ids: tuple[str, ...]
    method: Method
    audience_sizes: tuple[float, ...]
    shared: tuple[tuple[float, ...], ...]
    jaccard: tuple[tuple[float, ...], ...]
    over_smaller: tuple[tuple[float, ...], ...]
    assumption: str = ""

    def frame(
        self, convention: Literal["jaccard", "over_smaller", "shared"] = "jaccard"
    ) -> pd.DataFrame:
        values = getattr(self, convention)
        return pd.DataFrame(values, index=list(self.creator_ids), columns=list(self.creator_ids))


def _conventions(shared: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    union = sizes[:, None] + sizes[None, :] - shared
    smaller = np.minimum(sizes[:, None], sizes[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, shared / union, 0.0)
        over_smaller = np.where(smaller > 0, shared / smaller, 0.0)
    return np.clip(jaccard, 0, 1), np.clip(over_smaller, 0, 1)


def _as_tuples(matrix: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in matrix)


def _minhash(ids: Collection[str], num_perm: int) -> MinHash:
    from datasketch import MinHash

    sketch = MinHash(num_perm=num_perm, seed=1)
    sketch.update_batch([str(i).encode("utf-8") for i in ids])
    return sketch


def _hll(ids: Collection[str], p: int) -> HyperLogLogPlusPlus:
    from datasketch import HyperLogLogPlusPlus

    sketch = HyperLogLogPlusPlus(p=p)
    for item in ids:
        sketch.update(str(item).encode("utf-8"))
    return sketch


def overlap_from_samples(
    samples: Mapping[str, Collection[str]], *, exact_max: int | None = None
) -> OverlapMatrix:
    """Pairwise overlap of follower-id samples (``creator_id -> ids``).

    Samples are compared as sets when each has at most ``exact_max`` ids (default from
    assumptions.toml); larger samples use MinHash for Jaccard and HyperLogLog for sizes, and
    shared = jaccard x |A ∪ B| with |A ∪ B| = |A| + |B| - shared solved for shared.
    """
    settings = assumption_section("overlap_estimate")
    limit = int(settings["exact_set_max"]) if exact_max is None else exact_max
    ids = tuple(samples)
    sets = [set(samples[c]) for c in ids]
    sizes = np.array([len(s) for s in sets], dtype=float)
    n = len(ids)
    shared = np.zeros((n, n))
    if all(len(s) <= limit for s in sets):
        method: Method = "exact"
        for i in range(n):
            shared[i, i] = sizes[i]
            for j in range(i + 1, n):
                shared[i, j] = shared[j, i] = len(sets[i] & sets[j])
    else:
        method = "sketch"
        perms = int(settings["minhash_permutations"])
        hashes = [_minhash(s, perms) for s in sets]
        hlls = [_hll(s, int(settings["hyperloglog_p"])) for s in sets]
        sizes = np.array([h.count() for h in hlls], dtype=float)
        for i in range(n):
            shared[i, i] = sizes[i]
            for j in range(i + 1, n):
                jac = hashes[i].jaccard(hashes[j])
                # |A∩B| = J(|A|+|B|-|A∩B|)  =>  |A∩B| = J(|A|+|B|)/(1+J)
                value = jac * (sizes[i] + sizes[j]) / (1.0 + jac)
                shared[i, j] = shared[j, i] = min(value, sizes[i], sizes[j])
    jaccard, over_smaller = _conventions(shared, sizes)
    return OverlapMatrix(
        creator_ids=ids,
        method=method,
        audience_sizes=tuple(float(s) for s in sizes),
        shared=_as_tuples(shared),
        jaccard=_as_tuples(jaccard),
        over_smaller=_as_tuples(over_smaller),
    )


def unique_reach_from_samples(
    samples: Mapping[str, Collection[str]], members: Sequence[str], *, exact_max: int | None = None
) -> float:
    """Distinct followers of ``members``: exact union when small, merged HyperLogLog otherwise."""
    settings = assumption_section("overlap_estimate")
    limit = int(settings["exact_set_max"]) if exact_max is None else exact_max
    chosen = [samples[m] for m in members]
    if sum(len(c) for c in chosen) <= limit:
        union: set[str] = set()
        for ids in chosen:
            union.update(ids)
        return float(len(union))
    from datasketch import HyperLogLogPlusPlus

    merged = HyperLogLogPlusPlus(p=int(settings["hyperloglog_p"]))
    for ids in chosen:
        merged.merge(_hll(ids, int(settings["hyperloglog_p"])))
    return float(merged.count())


def segment_pools(
    segments: Sequence[str] | np.ndarray, followers: Sequence[float] | np.ndarray
) -> dict[str, float]:
    """Audience pool of each segment = its candidates' followers / follows_per_person."""
    settings = assumption_section("overlap_estimate")
    k = float(settings["follows_per_person"])
    frame = pd.DataFrame(
        {"segment": np.asarray(segments), "followers": np.asarray(followers, float)}
    )
    totals = frame.groupby("segment")["followers"].sum()
    return {str(s): max(float(v) / k, 1.0) for s, v in totals.items()}


def _demographic_similarity(profiles: pd.DataFrame | None, ids: Sequence[str]) -> np.ndarray:
    """Histogram intersection of breakdowns, averaged over shared dimensions (1 when none)."""
    n = len(ids)
    sim = np.ones((n, n))
    if profiles is None or profiles.empty:
        return sim
    total = np.zeros((n, n))
    count = np.zeros((n, n))
    for _, dim_rows in profiles[profiles["creator_id"].isin(ids)].groupby("dimension"):
        pivot = dim_rows.pivot_table(
            index="creator_id", columns="bucket", values="share", aggfunc="sum"
        ).reindex(list(ids))
        has = pivot.notna().any(axis=1).to_numpy()
        values = pivot.fillna(0.0).to_numpy()
        inter = np.minimum(values[:, None, :], values[None, :, :]).sum(axis=2)
        both = has[:, None] & has[None, :]
        total += np.where(both, inter, 0.0)
        count += both
    with np.errstate(invalid="ignore", divide="ignore"):
        measured = np.where(count > 0, total / np.maximum(count, 1), 1.0)
    return np.clip(measured, 0.0, 1.0)


def estimated_overlap(
    creators: pd.DataFrame, profiles: pd.DataFrame | None = None
) -> OverlapMatrix:
    """Overlap without follower samples: random mixing inside segments, scaled by demographics.

    ``creators`` has creator_id, followers and segment (e.g. "platform|niche|country"). Two
    creators of one segment with pool N share followers_i x followers_j / N people (each follower
    is one of N, drawn independently); across segments the rate is multiplied by
    cross_segment_factor. Both are scaled by the histogram intersection of their audience
    breakdowns (``profiles`` = audience rows), so different demographics overlap less.
    """
    settings = assumption_section("overlap_estimate")
    ids = creators["creator_id"].astype(str).tolist()
    followers = creators["followers"].to_numpy(dtype=float)
    segments = creators["segment"].astype(str).to_numpy()
    pools = segment_pools(segments, followers)
    pool = np.array([pools[s] for s in segments])
    same = segments[:, None] == segments[None, :]
    rate = np.where(
        same,
        1.0 / np.maximum(pool[:, None], pool[None, :]),
        float(settings["cross_segment_factor"]) / np.maximum(pool[:, None], pool[None, :]),
    )
    similarity = _demographic_similarity(profiles, ids)
    shared = followers[:, None] * followers[None, :] * rate * similarity
    shared = np.minimum(shared, np.minimum(followers[:, None], followers[None, :]))
    np.fill_diagonal(shared, followers)
    jaccard, over_smaller = _conventions(shared, followers)
    return OverlapMatrix(
        creator_ids=tuple(ids),
        method="estimated",
        audience_sizes=tuple(float(f) for f in followers),
        shared=_as_tuples(shared),
        jaccard=_as_tuples(jaccard),
        over_smaller=_as_tuples(over_smaller),
        assumption=(
            f"random mixing inside segments; pool = segment followers / "
            f"{settings['follows_per_person']} follows per person; cross-segment factor "
            f"{settings['cross_segment_factor']}; scaled by demographic histogram intersection"
        ),
    )


def coverage_reach(
    reach: np.ndarray | Sequence[float],
    segments: np.ndarray | Sequence[str],
    pools: Mapping[str, float],
) -> float:
    """Expected unique people reached when each item reaches ``reach`` people of its pool at random.

    unique = sum_s N_s (1 - prod_{i in s} (1 - r_i / N_s)); monotone and submodular in the items.
    """
    frame = pd.DataFrame({"segment": np.asarray(segments), "reach": np.asarray(reach, float)})
    total = 0.0
    for segment, group in frame.groupby("segment"):
        pool = float(pools[str(segment)])
        p = np.clip(group["reach"].to_numpy() / pool, 0.0, 1.0)
        total += pool * (1.0 - float(np.exp(np.log1p(-np.minimum(p, 1 - 1e-12)).sum())))
    return total
