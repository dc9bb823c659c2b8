"""Audience overlap at scale: exact from follower samples, Theta sketches for large follower lists.

For up to ``max_creators`` creators (assumptions.toml [overlap_estimate]): pairwise shared
audience |A ∩ B| with its range, Jaccard and over-the-smaller conventions, each creator's exclusive
audience |A \\ (union of the others)| and the unique reach |A_1 ∪ ... ∪ A_k| of all of them.

Follower lists up to ``exact_set_max`` ids are compared as sets (the range is the value itself).
Larger ones go through Apache DataSketches Theta sketches (KMV, nominal entries 2^lg_k): set
operations (union, intersection, A-not-B) on sketches with the library's error bounds at
``bound_std_devs`` standard deviations (about 95.4% at 2; Dasgupta, Lang, Rhodes and Thaler 2016,
"A framework for estimating stream expression cardinalities"). A union is within about
1/sqrt(2^lg_k) relative error; an intersection's relative error grows as the intersection's share
of the union shrinks, which the bounds show.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from creatorlens.audience._data import assumption_section
from creatorlens.audience._overlap import _conventions

OverlapMethod = Literal["exact", "theta sketch"]


class Count(BaseModel):
    """A count with its range (low = mid = high when exact)."""

    model_config = ConfigDict(frozen=True)

    low: float
    mid: float
    high: float


class AudienceOverlap(BaseModel):
    """Row-major matrices aligned with ``creator_ids``."""

    model_config = ConfigDict(frozen=True)

    creator_ids: tuple[str, ...]
    method: OverlapMethod
    basis: str
    audience: tuple[Count, ...]
    shared: tuple[tuple[float, ...], ...]
    shared_low: tuple[tuple[float, ...], ...]
    shared_high: tuple[tuple[float, ...], ...]
    jaccard: tuple[tuple[float, ...], ...]
    over_smaller: tuple[tuple[float, ...], ...]
    exclusive: tuple[Count, ...]
    unique_reach: Count


def _settings() -> dict[str, Any]:
    return assumption_section("overlap_estimate")


def _rows(matrix: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in matrix)


def _exact(ids: tuple[str, ...], sets: list[set[str]]) -> AudienceOverlap:
    n = len(ids)
    sizes = np.array([len(s) for s in sets], dtype=float)
    shared = np.diag(sizes)
    for i in range(n):
        for j in range(i + 1, n):
            shared[i, j] = shared[j, i] = len(sets[i] & sets[j])
    union: set[str] = set().union(*sets) if sets else set()
    counts: dict[str, int] = {}
    for s in sets:
        for follower in s:
            counts[follower] = counts.get(follower, 0) + 1
    exclusive = [float(sum(1 for f in s if counts[f] == 1)) for s in sets]
    jaccard, over_smaller = _conventions(shared, sizes)
    return AudienceOverlap(
        creator_ids=ids,
        method="exact",
        basis="exact set operations on the follower ids",
        audience=tuple(Count(low=v, mid=v, high=v) for v in sizes),
        shared=_rows(shared),
        shared_low=_rows(shared),
        shared_high=_rows(shared),
        jaccard=_rows(jaccard),
        over_smaller=_rows(over_smaller),
        exclusive=tuple(Count(low=v, mid=v, high=v) for v in exclusive),
        unique_reach=Count(low=len(union), mid=len(union), high=len(union)),
    )


def _count(sketch: Any, sigmas: int) -> Count:
    return Count(
        low=float(sketch.get_lower_bound(sigmas)),
        mid=float(sketch.get_estimate()),
        high=float(sketch.get_upper_bound(sigmas)),
    )


def theta_sketch(ids: Collection[str] | Collection[int], lg_k: int | None = None) -> Any:
    """A compact Theta sketch of follower ids (ids are hashed as UTF-8 text)."""
    from datasketches import update_theta_sketch

    sketch = update_theta_sketch(int(_settings()["theta_lg_k"]) if lg_k is None else lg_k)
    for follower in ids:
        # integer ids (e.g. 64-bit hashes of the follower ids) go in as integers
        sketch.update(follower if isinstance(follower, int) else str(follower))
    return sketch.compact()


def _union(sketches: Sequence[Any], lg_k: int) -> Any:
    from datasketches import theta_union

    union = theta_union(lg_k)
    for sketch in sketches:
        union.update(sketch)
    return union.get_result()


def _sketched(
    ids: tuple[str, ...], samples: list[Collection[str]], lg_k: int, sigmas: int
) -> AudienceOverlap:
    from datasketches import theta_a_not_b, theta_intersection

    sketches = [theta_sketch(s, lg_k) for s in samples]
    n = len(ids)
    sizes = [_count(s, sigmas) for s in sketches]
    mid = np.diag([c.mid for c in sizes])
    low = np.diag([c.low for c in sizes])
    high = np.diag([c.high for c in sizes])
    for i in range(n):
        for j in range(i + 1, n):
            both = theta_intersection()
            both.update(sketches[i])
            both.update(sketches[j])
            c = _count(both.get_result(), sigmas)
            cap = min(sizes[i].high, sizes[j].high)
            mid[i, j] = mid[j, i] = min(c.mid, sizes[i].mid, sizes[j].mid)
            low[i, j] = low[j, i] = min(c.low, mid[i, j])
            high[i, j] = high[j, i] = min(max(c.high, mid[i, j]), cap)
    exclusive = []
    for i in range(n):
        others = _union([s for j, s in enumerate(sketches) if j != i], lg_k)
        exclusive.append(_count(theta_a_not_b().compute(sketches[i], others), sigmas))
    size_mid = np.array([c.mid for c in sizes])
    jaccard, over_smaller = _conventions(mid, size_mid)
    return AudienceOverlap(
        creator_ids=ids,
        method="theta sketch",
        basis=(
            f"Apache DataSketches Theta sketches, 2^{lg_k} nominal entries; ranges at "
            f"{sigmas} standard deviations (library bounds)"
        ),
        audience=tuple(sizes),
        shared=_rows(mid),
        shared_low=_rows(low),
        shared_high=_rows(high),
        jaccard=_rows(jaccard),
        over_smaller=_rows(over_smaller),
        exclusive=tuple(exclusive),
        unique_reach=_count(_union(sketches, lg_k), sigmas),
    )


def audience_overlap(
    followers: Mapping[str, Collection[str]],
    *,
    exact_max: int | None = None,
    lg_k: int | None = None,
    std_devs: int | None = None,
) -> AudienceOverlap:
    """Overlap matrix, exclusive audiences and unique reach of ``creator_id -> follower ids``.

    Exact when every list has at most ``exact_max`` ids (assumptions.toml exact_set_max),
    otherwise Theta sketches with ranges."""
    conf = _settings()
    limit = int(conf["overlap_max_creators"])
    if len(followers) > limit:
        raise ValueError(f"audience overlap takes at most {limit} creators, got {len(followers)}")
    ids = tuple(followers)
    largest = max((len(v) for v in followers.values()), default=0)
    if largest <= (int(conf["exact_set_max"]) if exact_max is None else exact_max):
        return _exact(ids, [set(map(str, followers[c])) for c in ids])
    return _sketched(
        ids,
        [followers[c] for c in ids],
        int(conf["theta_lg_k"]) if lg_k is None else lg_k,
        int(conf["bound_std_devs"]) if std_devs is None else std_devs,
    )


def follower_lists(
    creators: Mapping[str, Sequence[str]],
    samples: Any = None,
    edges: Any = None,
) -> dict[str, set[str]]:
    """Follower ids per creator from follower samples (creator_id, handle of the follower) and
    from ``follow`` edges (source follows target; target matched by any of the creator's keys).

    ``creators`` maps a creator_id to the keys the edge table may name it by (id, handle)."""
    out: dict[str, set[str]] = {cid: set() for cid in creators}
    if samples is not None and len(samples):
        wanted = samples[samples["creator_id"].astype(str).isin(list(creators))]
        for cid, group in wanted.groupby("creator_id"):
            out[str(cid)].update(group["handle"].astype(str).str.lstrip("@").str.lower())
    if edges is not None and len(edges):
        follows = edges
        if "kind" in edges:
            follows = edges[edges["kind"].astype(str).str.lower() == "follow"]
        key_of = {str(k).lstrip("@").lower(): cid for cid, keys in creators.items() for k in keys}
        targets = follows["target"].astype(str).str.lstrip("@").str.lower().map(key_of)
        hit = follows[targets.notna()]
        for cid, group in hit.groupby(targets[targets.notna()]):
            out[str(cid)].update(group["source"].astype(str).str.lstrip("@").str.lower())
    return out
