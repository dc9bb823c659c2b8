"""Measured audience overlap for the planner: coverage over the creators' follower lists.

When follower lists exist (``follow`` edges: source follows target), the planner does not need the
random-mixing model for those creators: it knows who follows whom. ``FollowerCoverage`` holds the
lists as a sparse creators x follower-ids matrix and evaluates the probabilistic coverage

    F_M(S) = sum_u w_u (1 - prod_{c in S, u in A_c} (1 - p_c))

(expected distinct people reached when creator c reaches each of its followers independently with
probability p_c). F_M is a non-negative combination of coverage functions, so it is monotone and
submodular (docs/planner.md "Measured overlap").

Weights: a follower list of fewer ids than the creator's follower count is a sample; each of its
ids stands for s_c = followers / |A_c| people (at least 1). An id in several lists weighs the
smallest s_c among them, so a shared follower never counts for more people than the most complete
list says. Universes larger than ``planner_max_ids`` (assumptions.toml [overlap_estimate]) are
thinned by coordinated hash sampling: an id is kept when its 64-bit hash falls below
theta x 2^64, the same theta for every list (the rule of a Theta sketch), and kept ids weigh
w_u / theta, an unbiased estimate of F_M for every S.

Reported unions: exact when every selected list has at most ``exact_set_max`` ids, otherwise the
union of Apache DataSketches Theta sketches with the library's bounds (``_overlap_scale``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # scipy loads only when follower lists are there
    from scipy import sparse

from creatorlens.audience._data import assumption_section
from creatorlens.audience._overlap_scale import Count, _count, _union, theta_sketch

_TWO64 = float(2**64)


@dataclass(frozen=True)
class FollowerCoverage:
    """Follower lists of ``creator_ids`` (rows) over a universe of follower ids (columns)."""

    creator_ids: tuple[str, ...]
    #: creators x kept ids; entry = the id's weight w_u / theta (people it stands for)
    matrix: sparse.csr_matrix
    #: distinct follower ids in each creator's full list
    list_sizes: np.ndarray
    #: the sampling fraction of the universe (1.0 = every id kept)
    theta: float
    #: distinct follower ids over all lists
    universe: int
    #: per creator the codes of its followers in ``ids`` (the full list, for reported unions)
    members: tuple[np.ndarray, ...]
    #: the distinct follower ids as 64-bit hashes (sorted)
    ids: np.ndarray

    @property
    def weight(self) -> np.ndarray:
        """W_c: the people creator c's list stands for (row sums of ``matrix``)."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def index(self) -> dict[str, int]:
        return {cid: k for k, cid in enumerate(self.creator_ids)}

    def coverage(self, rows: Sequence[int] | np.ndarray, probs: Sequence[float] | np.ndarray) -> float:
        """sum_u w_u (1 - prod (1 - p_c)) over the creators ``rows`` with reach probabilities
        ``probs`` (per follower; clipped to [0, 1])."""
        if not len(rows):
            return 0.0
        sub = self.matrix[np.asarray(rows, dtype=np.int64)].tocsc()
        p = np.clip(np.asarray(probs, dtype=float), 0.0, 1.0 - 1e-12)
        log_miss = np.zeros(sub.shape[1])
        # one pass over the nonzeros: each (creator, id) multiplies the id's miss probability
        coo = sub.tocoo()
        np.add.at(log_miss, coo.col, np.log1p(-p[coo.row]))
        weights = np.asarray(sub.max(axis=0).todense()).ravel()
        return float((weights * (1.0 - np.exp(log_miss))).sum())

    def union(self, rows: Sequence[int] | np.ndarray) -> tuple[Count, str]:
        """Distinct followers of the creators ``rows`` and how it was counted: exact when every
        list has at most exact_set_max ids, else a Theta-sketch union with its bounds."""
        conf = assumption_section("overlap_estimate")
        if not len(rows):
            return Count(low=0, mid=0, high=0), "exact union of follower ids"
        lists = [self.members[r] for r in rows]
        if max(len(m) for m in lists) <= int(conf["exact_set_max"]):
            n = float(len(np.unique(np.concatenate(lists))))
            return Count(low=n, mid=n, high=n), "exact union of follower ids"
        lg_k, sigmas = int(conf["theta_lg_k"]), int(conf["bound_std_devs"])
        # the ids are 64-bit hashes of the follower ids; the sketch hashes them once more
        sketches = [theta_sketch(self.ids[m].view(np.int64).tolist(), lg_k) for m in lists]
        return _count(_union(sketches, lg_k), sigmas), (
            f"union of Theta sketches (2^{lg_k} nominal entries), range at {sigmas} standard "
            "deviations (Apache DataSketches bounds)"
        )


def follower_coverage(
    creator_ids: Sequence[str],
    targets: Sequence[str] | np.ndarray | pd.Series,
    sources: Sequence[str] | np.ndarray | pd.Series,
    followers: Mapping[str, float] | None = None,
    *,
    max_ids: int | None = None,
    min_ids: int | None = None,
) -> FollowerCoverage | None:
    """Coverage over follow pairs (``sources[k]`` follows ``targets[k]``) for ``creator_ids``.

    Pairs naming a creator outside ``creator_ids`` are ignored, repeated pairs count once.
    ``followers``: each creator's follower count (a shorter list is a sample, see the module
    docstring). Creators whose list has fewer than ``min_ids`` distinct ids (assumptions.toml
    planner_min_list_ids) are left out: too short to measure overlap. None when no creator of
    ``creator_ids`` has a list that long."""
    from scipy import sparse

    conf = assumption_section("overlap_estimate")
    limit = int(conf["planner_max_ids"]) if max_ids is None else max_ids
    shortest = int(conf["planner_min_list_ids"]) if min_ids is None else min_ids
    # look up each distinct target once (a million edges name a few thousand creators)
    target_code, target_names = pd.factorize(pd.Series(targets), sort=False)
    known = pd.Index(list(creator_ids)).get_indexer(pd.Index(target_names))
    where = np.where(target_code >= 0, known[np.maximum(target_code, 0)], -1)
    hit = where >= 0
    if not hit.any():
        return None
    # every follower id as a 64-bit hash (pandas hash_array, fixed key): equal ids hash equal,
    # and the hash is what the coordinated sample below compares with theta; text ids are
    # factorised first so each distinct id is hashed once
    raw = np.asarray(sources)[hit]
    if raw.dtype.kind in "iu":
        keys = pd.util.hash_array(raw)
    else:
        codes, names = pd.factorize(pd.Series(raw, dtype=object), sort=False)
        keys = pd.util.hash_array(np.asarray(names, dtype=object), categorize=False)[codes]
    uniques, code = np.unique(keys, return_inverse=True)
    rows_present, row = np.unique(where[hit], return_inverse=True)
    # repeated pairs (the same follower listed twice for a creator) count once
    pair_key = np.sort(row.astype(np.int64) * len(uniques) + code)
    pair_key = pair_key[np.r_[True, pair_key[1:] != pair_key[:-1]]]
    row, code = pair_key // len(uniques), pair_key % len(uniques)
    long_enough = np.bincount(row, minlength=len(rows_present)) >= shortest
    if not long_enough.any():
        return None
    if not long_enough.all():
        # drop the short lists; renumber creators and ids (both monotone: the order stays)
        kept_pair = long_enough[row]
        row = (np.cumsum(long_enough) - 1)[row[kept_pair]]
        used, code = np.unique(code[kept_pair], return_inverse=True)
        uniques = uniques[used]
        rows_present = rows_present[long_enough]
    ids_kept = tuple(creator_ids[int(r)] for r in rows_present)
    n_creators, universe = len(rows_present), len(uniques)
    sizes = np.bincount(row, minlength=n_creators).astype(float)
    counts = np.array([float((followers or {}).get(c, 0.0) or 0.0) for c in ids_kept])
    scale = np.maximum(1.0, np.where(sizes > 0, counts / np.maximum(sizes, 1.0), 1.0))
    # an id shared by several lists weighs the smallest people-per-id of those lists
    per_id = np.full(universe, np.inf)
    np.minimum.at(per_id, code, scale[row])
    theta = 1.0
    keep = np.ones(universe, dtype=bool)
    ids = uniques
    if universe > limit:
        theta = limit / universe
        keep = ids.astype(np.float64) < theta * _TWO64
    kept_pair = keep[code]
    new_code = np.cumsum(keep) - 1
    matrix = sparse.csr_matrix(
        ((per_id[code] / theta)[kept_pair], (row[kept_pair], new_code[code][kept_pair])),
        shape=(n_creators, int(keep.sum())),
    )
    # pair_key is sorted by creator, then id: each creator's followers are one slice
    members = tuple(np.split(code, np.searchsorted(row, np.arange(1, n_creators))))
    return FollowerCoverage(
        creator_ids=ids_kept,
        matrix=matrix,
        list_sizes=sizes,
        theta=theta,
        universe=universe,
        members=members,
        ids=ids,
    )


def coverage_from_lists(
    lists: Mapping[str, Collection[str]],
    followers: Mapping[str, float] | None = None,
    *,
    max_ids: int | None = None,
    min_ids: int | None = None,
) -> FollowerCoverage | None:
    """``follower_coverage`` from ``creator_id -> follower ids`` (e.g. ``follower_lists``)."""
    targets = [cid for cid, ids in lists.items() for _ in ids]
    sources = [str(f) for ids in lists.values() for f in ids]
    return follower_coverage(list(lists), targets, sources, followers, max_ids=max_ids, min_ids=min_ids)
