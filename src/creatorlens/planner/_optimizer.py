"""Budgeted selection of deliverables: lazy greedy with a stated bound, or an exact HiGHS MILP.

Objective (docs/planner.md "Objective"): each item i (the k-th post of a creator) has an effective
reach e_i in one audience segment s with pool N_s. With overlap

    F(S) = sum_s N_s * (1 - prod_{i in S, seg(i)=s} (1 - e_i / N_s))

(expected distinct people effectively reached under random mixing inside a segment), monotone
submodular. Lazy greedy by gain per cost plus the best single affordable item guarantees
(1 - 1/sqrt(e)) ~ 0.393 of the optimum as often quoted and 0.405 as proved by Tang et al. (2021);
seeding with enumerated pairs raises it (Feldman et al.). Every run states the data-dependent upper
bound of Leskovec et al. (2007): OPT <= F(S) + the best fractional knapsack of the marginal gains
delta_i(S) with capacity = budget. Without overlap F is linear and the problem is a knapsack,
solved exactly with HiGHS (with its own proven bound when a time limit stops it).

Measured overlap (``Problem.measured``): items of creators with follower lists leave the segment
model and enter a coverage over their followers, F_M(S) = sum_u w_u (1 - prod_{i in S, u in A_i}
(1 - p_i)) with p_i = e_i / W_c (W_c = the people creator c's list stands for), so a creator alone
is worth its e_i and a second creator with the same followers adds only what the first left
uncovered. F = F_seg + F_M is a sum of monotone submodular functions on disjoint items, hence
monotone submodular: the greedy guarantees and the online bound hold unchanged; the Lagrangian
bound takes the measured items at their singleton values (F_M(S) <= sum_i F_M({i})).
"""

from __future__ import annotations

import heapq
import math
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

import highspy
import numpy as np

if TYPE_CHECKING:  # scipy and numba load only when a plan has measured overlap
    from scipy import sparse

_EPS = 1e-12

#: a float or int vector the follower-overlap loops index: a numpy array (compiled kernels) or a
#: list (plain Python, small matrices)
_Vector = Any


@dataclass
class GroupConstraint:
    """Spend of each label of one grouping (e.g. tier) must stay within [min, max] x budget."""

    name: str
    codes: np.ndarray
    labels: list[str]
    min_spend: np.ndarray
    max_spend: np.ndarray


def _unreached_mass_py(
    indptr: _Vector, indices: _Vector, data: _Vector, unreached: _Vector, r: int
) -> float:
    """sum over creator r's kept followers of weight x P(still unreached)."""
    total = 0.0
    for k in range(indptr[r], indptr[r + 1]):
        total += data[k] * unreached[indices[k]]
    return total


def _reach_py(indptr: _Vector, indices: _Vector, unreached: _Vector, r: int, keep: float) -> None:
    """Creator r's post reaches each follower with probability 1 - keep."""
    for k in range(indptr[r], indptr[r + 1]):
        unreached[indices[k]] *= keep


class _MassKernel(Protocol):
    def __call__(
        self, indptr: _Vector, indices: _Vector, data: _Vector, unreached: _Vector, r: int
    ) -> float: ...


class _ReachKernel(Protocol):
    def __call__(
        self, indptr: _Vector, indices: _Vector, unreached: _Vector, r: int, keep: float
    ) -> None: ...


_KERNELS: tuple[_MassKernel, _ReachKernel] | None = None

#: Follower matrices with fewer entries than this run the loops above as plain Python on lists.
#: Importing numba and loading its compiled kernels from the disk cache costs about 0.5 s per
#: process (a third of a small plan's time from the CLI), more than the plain loops cost on a
#: small matrix (a 516-id list: 675 kernel calls in a plan, ~0.05 s). Both paths do the same
#: double-precision operations in the same order (numba without fastmath neither reorders nor
#: fuses them), so a plan does not depend on which one ran (tests/planner/test_measured_overlap.py).
COMPILED_KERNEL_MIN_ENTRIES = 20_000


def _kernels() -> tuple[_MassKernel, _ReachKernel]:
    """Compiled loops (a numpy gather of a 50K-follower list cost ~0.4 ms a gain), compiled or
    loaded from numba's disk cache on first use: plans without follower lists, or with fewer than
    COMPILED_KERNEL_MIN_ENTRIES follower entries, never import numba."""
    global _KERNELS
    if _KERNELS is None:
        import numba

        _KERNELS = (
            cast(_MassKernel, numba.njit(cache=True)(_unreached_mass_py)),
            cast(_ReachKernel, numba.njit(cache=True)(_reach_py)),
        )
    return _KERNELS


@dataclass
class MeasuredItems:
    """Items whose overlap is measured from follower lists (audience.FollowerCoverage)."""

    #: per item, its creator's row of ``matrix``; -1 for items of the segment model
    row: np.ndarray
    #: creators x kept follower ids; entry = the people the id stands for (w_u / theta)
    matrix: sparse.csr_matrix


@dataclass
class Problem:
    cost: np.ndarray
    value: np.ndarray
    segment: np.ndarray
    pools: np.ndarray
    creator: np.ndarray
    post: np.ndarray
    budget: float
    creator_cap: float = np.inf
    max_creators: int | None = None
    groups: list[GroupConstraint] = field(default_factory=list)
    forced: np.ndarray | None = None
    overlap: bool = True
    measured: MeasuredItems | None = None

    def __post_init__(self) -> None:
        n = len(self.cost)
        for name in ("value", "segment", "creator", "post"):
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"Problem.{name} has {len(getattr(self, name))} items, cost has {n}"
                )
        if np.any(self.cost <= 0) or not np.all(np.isfinite(self.cost)):
            raise ValueError("every item needs a positive finite cost")
        if self.forced is None:
            self.forced = np.zeros(n, dtype=bool)
        pool = self.pools[self.segment] if len(self.pools) else np.ones(n)
        self.prob = np.clip(self.value / np.maximum(pool, _EPS), 0.0, 1.0 - 1e-9)
        self.is_measured = np.zeros(n, dtype=bool)
        self._compiled = False
        self.measured_people = np.zeros(0)
        self._mrow: list[int] = []
        if self.measured is not None and self.overlap:
            m = self.measured
            if len(m.row) != n:
                raise ValueError(f"Problem.measured.row has {len(m.row)} items, cost has {n}")
            self.is_measured = m.row >= 0
            people = np.asarray(m.matrix.sum(axis=1)).ravel()
            rows = m.row[self.is_measured]
            # p_i = e_i / W_c: alone, a measured creator is worth its own e_i
            self.prob[self.is_measured] = np.clip(
                self.value[self.is_measured] / np.maximum(people[rows], _EPS), 0.0, 1.0 - 1e-9
            )
            self._mrow = m.row.astype(int).tolist()
            self._mptr: _Vector = np.ascontiguousarray(m.matrix.indptr, dtype=np.int64)
            self._midx: _Vector = np.ascontiguousarray(m.matrix.indices, dtype=np.int64)
            self._mdat: _Vector = np.ascontiguousarray(m.matrix.data, dtype=np.float64)
            #: small matrices: the same loops in plain Python on lists (no numba import)
            self._compiled = m.matrix.nnz >= COMPILED_KERNEL_MIN_ENTRIES
            if self._compiled:
                self._mass, self._reach = _kernels()
            else:
                self._mptr, self._midx = self._mptr.tolist(), self._midx.tolist()
                self._mdat = self._mdat.tolist()
                self._mass, self._reach = _unreached_mass_py, _reach_py
            self.measured_people = people
        self.log1m = np.log1p(-self.prob)
        order = np.lexsort((self.post, self.creator))
        self.next_post = np.full(n, -1)
        same = self.creator[order[1:]] == self.creator[order[:-1]]
        self.next_post[order[:-1][same]] = order[1:][same]
        self.prev_post = np.full(n, -1)
        self.prev_post[order[1:][same]] = order[:-1][same]
        self.first_post = self.prev_post < 0
        # plain Python copies for the greedy's per-item loop (numpy scalars are slow there)
        self._cost: list[float] = self.cost.astype(float).tolist()
        self._value: list[float] = self.value.astype(float).tolist()
        self._prob: list[float] = self.prob.astype(float).tolist()
        self._segment: list[int] = self.segment.astype(int).tolist() if n else []
        self._pools: list[float] = self.pools.astype(float).tolist()
        self._creator: list[int] = self.creator.astype(int).tolist()
        self._first: list[bool] = self.first_post.tolist()
        self.min_cost = float(self.cost.min()) if n else 0.0

    @property
    def n_items(self) -> int:
        return len(self.cost)


@dataclass
class Selection:
    items: list[int]
    objective: float
    upper_bound: float
    method: str
    blocked_by: dict[str, int]
    unmet: list[str]
    seconds: float

    @property
    def guarantee(self) -> float:
        if self.upper_bound <= 0:
            return 1.0
        return min(1.0, self.objective / self.upper_bound)


class _State:
    """A partial selection with O(1) marginal gains and constraint checks."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.log_uncovered = np.zeros(max(len(problem.pools), 1))
        self._uncovered = [1.0] * max(len(problem.pools), 1)  # exp(log_uncovered), per segment
        self.spend = 0.0
        self.creator_spend: dict[int, float] = {}
        self.group_spend = [np.zeros(len(g.labels)) for g in problem.groups]
        self.selected: list[int] = []
        self.chosen = np.zeros(problem.n_items, dtype=bool)
        self.value = 0.0
        # measured overlap: the probability each kept follower id is still unreached
        self.unreached: _Vector = np.ones(0)
        if problem.measured is not None and problem.overlap:
            columns = problem.measured.matrix.shape[1]
            self.unreached = np.ones(columns) if problem._compiled else [1.0] * columns

    def gain(self, i: int) -> float:
        p = self.p
        if not p.overlap:
            return p._value[i]
        if p._mrow and p._mrow[i] >= 0:
            return p._prob[i] * p._mass(p._mptr, p._midx, p._mdat, self.unreached, p._mrow[i])
        s = p._segment[i]
        return p._pools[s] * self._uncovered[s] * p._prob[i]

    def gains(self) -> np.ndarray:
        p = self.p
        if not p.overlap:
            return p.value.astype(float).copy()
        out = np.asarray(p.pools[p.segment] * np.exp(self.log_uncovered[p.segment]) * p.prob)
        if p.measured is not None and p.is_measured.any():
            per_row = p.measured.matrix @ np.asarray(self.unreached, dtype=float)
            rows = p.measured.row[p.is_measured]
            out[p.is_measured] = p.prob[p.is_measured] * per_row[rows]
        return out

    def blocker(self, i: int) -> str | None:
        """The constraint that keeps item i out, or None. Every blocker is permanent: spend only
        grows, so an item blocked now stays blocked (the lazy greedy drops it)."""
        p = self.p
        c = p._cost[i]
        if self.spend + c > p.budget * (1 + 1e-12):
            return "budget"
        if self.creator_spend.get(p._creator[i], 0.0) + c > p.creator_cap * (1 + 1e-12):
            return "max_budget_share_per_creator"
        if p.max_creators is not None and p._first[i] and len(self.creator_spend) >= p.max_creators:
            return "max_creators"
        for g, spend in zip(p.groups, self.group_spend, strict=True):
            code = g.codes[i]
            if spend[code] + c > g.max_spend[code] * (1 + 1e-12):
                return f"{g.name} max {g.labels[code]}"
        return None

    def add(self, i: int) -> None:
        p = self.p
        self.value += self.gain(i)
        if p.overlap and p._mrow and p._mrow[i] >= 0:
            p._reach(p._mptr, p._midx, self.unreached, p._mrow[i], 1.0 - p._prob[i])
        elif p.overlap:
            s = p._segment[i]
            self.log_uncovered[s] += p.log1m[i]
            self._uncovered[s] = math.exp(float(self.log_uncovered[s]))
        c = p._cost[i]
        self.spend += c
        key = p._creator[i]
        self.creator_spend[key] = self.creator_spend.get(key, 0.0) + c
        for g, spend in zip(p.groups, self.group_spend, strict=True):
            spend[g.codes[i]] += c
        self.selected.append(i)
        self.chosen[i] = True


def _lazy_greedy(
    state: _State,
    eligible: np.ndarray,
    stop: Iterable[object] | None = None,
    group_goal: tuple[int, int] | None = None,
    by_gain: bool = False,
) -> None:
    """CELF: add the best gain-per-cost feasible item until none fits (or a group min is met)."""
    p = state.p
    gains = state.gains()
    candidates = np.flatnonzero(eligible & p.first_post & ~state.chosen)
    # creators already in the selection offer their next post
    for i in state.selected:
        nxt = p.next_post[i]
        if nxt >= 0 and not state.chosen[nxt] and eligible[nxt]:
            candidates = np.append(candidates, nxt)
    candidates = candidates[gains[candidates] > 0]
    if p.max_creators is not None and len(state.creator_spend) >= p.max_creators:
        candidates = candidates[~p.first_post[candidates]]
    # by gain per cost (the budget binds), or by gain alone (the creator maximum binds first)
    unit = [1.0] * p.n_items if by_gain else p._cost
    keys = -gains[candidates] if by_gain else -gains[candidates] / p.cost[candidates]
    heap = list(zip(keys.tolist(), candidates.tolist(), strict=True))
    heapq.heapify(heap)
    capped = False
    while heap:
        if group_goal is not None:
            gi, code = group_goal
            if state.group_spend[gi][code] >= p.groups[gi].min_spend[code]:
                return
        if state.spend + p.min_cost > p.budget * (1 + 1e-12):
            return  # nothing is cheap enough any more
        _, i = heapq.heappop(heap)
        if state.chosen[i] or state.blocker(i) is not None:
            continue  # blockers are permanent: drop the item
        fresh = state.gain(i) / unit[i]
        if heap and fresh < -heap[0][0] - 1e-15 * abs(heap[0][0]):
            heapq.heappush(heap, (-fresh, i))
            continue
        if fresh <= 0:
            continue
        state.add(i)
        if not capped and p.max_creators is not None and len(state.creator_spend) >= p.max_creators:
            # the creator cap is reached: only further posts of chosen creators can still enter
            capped = True
            heap = [(r, j) for r, j in heap if not p._first[j]]
            heapq.heapify(heap)
        nxt = int(p.next_post[i])
        if nxt >= 0 and eligible[nxt]:
            heapq.heappush(heap, (-state.gain(nxt) / unit[nxt], nxt))


def _run(problem: Problem, seeds: Sequence[int], by_gain: bool = False) -> _State:
    state = _State(problem)
    assert problem.forced is not None
    for i in np.flatnonzero(problem.forced):
        if state.blocker(int(i)) == "budget":
            raise ValueError("the include list alone costs more than the budget")
        state.add(int(i))
    for seed in seeds:
        if not state.chosen[seed] and state.blocker(seed) is None:
            state.add(seed)
    everyone = np.ones(problem.n_items, dtype=bool)
    for gi, g in enumerate(problem.groups):
        for code in np.flatnonzero(g.min_spend > 0):
            if state.group_spend[gi][code] < g.min_spend[code]:
                _lazy_greedy(state, g.codes == code, group_goal=(gi, int(code)))
    _lazy_greedy(state, everyone, by_gain=by_gain)
    return state


def online_bound(state: _State) -> float:
    """Leskovec et al. (2007): F(S) + best fractional knapsack of marginal gains (capacity B);
    with a creator maximum, also at most F(S) + the largest max_creators x posts marginal gains
    (the smaller of the two)."""
    p = state.p
    gains = state.gains()
    gains[state.chosen] = 0.0
    useful = gains > 0
    if not useful.any():
        return state.value
    ratio = gains[useful] / p.cost[useful]
    order = np.argsort(-ratio)
    g = gains[useful][order]
    c = p.cost[useful][order]
    cum = np.cumsum(c)
    full = cum <= p.budget
    k = int(full.sum())
    total = float(g[:k].sum())
    if k < len(g):
        room = p.budget - (float(cum[k - 1]) if k else 0.0)
        total += g[k] * room / c[k]
    if p.max_creators is not None and p.n_items:
        # an optimal plan O has at most max_creators x (posts per creator) items, so by
        # submodularity F(O) <= F(S) + the sum of that many largest marginal gains
        most = p.max_creators * int(p.post.max())
        top = np.sort(gains[useful])[::-1][:most]
        total = min(total, float(top.sum()))
    return state.value + total


def relaxation_bound(problem: Problem, iterations: int = 80) -> float:
    """Upper bound from the continuous relaxation, by Lagrangian duality on the budget.

    Relaxing x to [0, 1] and dropping every constraint but the budget, each segment is the concave
    f_s(z) = N_s (1 - e^-z) of z = sum w_i x_i (w_i = -ln(1 - p_i)), bought cheapest in order of
    cost per unit of z. For any lambda >= 0,  OPT <= lambda B + sum_s max_z [f_s(z) - lambda C_s(z)]
    (weak duality); the bound is minimised over lambda by golden-section search on log lambda.
    Without overlap f is linear and this is the fractional-knapsack (LP) bound.
    """
    p = problem
    if p.overlap:
        weight = -p.log1m
        pools = p.pools[p.segment]
    else:
        weight = p.value.astype(float)
        pools = np.ones(p.n_items)
    # measured items enter at their singleton values (F_M(S) <= sum_i F_M({i}), submodularity)
    measured = p.is_measured if p.overlap else np.zeros(p.n_items, dtype=bool)
    single = (
        p.prob[measured] * p.measured_people[p.measured.row[measured]]
        if p.measured is not None and measured.any()
        else np.zeros(0)
    )
    single_cost = p.cost[measured]
    useful = (weight > 0) & ~measured
    if not useful.any():
        if not len(single) or not (single > 0).any():
            return 0.0
        # only measured items: the bound is the fractional knapsack of their singleton values
        order = np.argsort(-single / single_cost)
        cum = np.cumsum(single_cost[order])
        k = int((cum <= p.budget).sum())
        total = float(single[order][:k].sum())
        if k < len(order):
            room = p.budget - (float(cum[k - 1]) if k else 0.0)
            total += float(single[order][k]) * room / float(single_cost[order][k])
        return total
    seg = p.segment[useful]
    w = weight[useful]
    c = p.cost[useful]
    pool = pools[useful]
    rho = c / w
    order = np.lexsort((rho, seg))
    seg, w, c, pool, rho = seg[order], w[order], c[order], pool[order], rho[order]
    cum = np.cumsum(w)
    starts_mask = np.r_[True, seg[1:] != seg[:-1]]
    seg_start_cum = np.maximum.accumulate(np.where(starts_mask, cum - w, 0.0))
    b = cum - seg_start_cum
    a = b - w

    def value(z: np.ndarray) -> np.ndarray:
        return pool * (1.0 - np.exp(-z)) if p.overlap else z

    def dual(lam: float) -> float:
        if p.overlap:
            with np.errstate(divide="ignore"):
                z_star = np.log(pool / (lam * rho))
            z = np.clip(z_star, a, b)
        else:
            z = np.where(lam * rho <= 1.0, b, a)
        gain = value(z) - value(a) - lam * rho * (z - a)
        linear = float(np.maximum(single - lam * single_cost, 0.0).sum()) if len(single) else 0.0
        return float(lam * p.budget + np.maximum(gain, 0.0).sum() + linear)

    ratios = 1.0 / rho if not p.overlap else pool / rho
    if len(single):
        ratios = np.concatenate([ratios, np.maximum(single / single_cost, 1e-12)])
    lo, hi = np.log(max(float(ratios.min()), 1e-12)) - 2, np.log(float(ratios.max())) + 2
    golden = (np.sqrt(5) - 1) / 2
    x1, x2 = hi - golden * (hi - lo), lo + golden * (hi - lo)
    f1, f2 = dual(float(np.exp(x1))), dual(float(np.exp(x2)))
    for _ in range(iterations):
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - golden * (hi - lo)
            f1 = dual(float(np.exp(x1)))
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + golden * (hi - lo)
            f2 = dual(float(np.exp(x2)))
    return min(f1, f2)


def _blocked(state: _State) -> dict[str, int]:
    """For every unselected item with a positive gain, the first constraint that keeps it out."""
    p = state.p
    gains = state.gains()
    counts: dict[str, int] = {}
    open_items = np.flatnonzero(~state.chosen & (gains > 0))
    for i in open_items:
        if not p.first_post[i] and not state.chosen[p.prev_post[i]]:
            continue
        reason = state.blocker(int(i))
        if reason is not None:
            counts[reason] = counts.get(reason, 0) + 1
    return counts


def _unmet(state: _State) -> list[str]:
    out = []
    for g, spend in zip(state.p.groups, state.group_spend, strict=True):
        for code in np.flatnonzero(g.min_spend > 0):
            # a cent's tolerance: a minimum of 1e-280 USD is met by spending nothing
            if spend[code] < g.min_spend[code] * (1 - 1e-9) - 0.01:
                out.append(
                    f"{g.name} min {g.labels[code]}: spent {spend[code]:,.0f} of the required "
                    f"{g.min_spend[code]:,.0f} USD; no further {g.labels[code]} deliverable fits "
                    "the other constraints"
                )
    return out


#: Problems up to this many items get pair seeding and a drop-and-refill local search by default.
SMALL_PROBLEM_ITEMS = 1000


def _run_without(problem: Problem, keep: Sequence[int], banned: int) -> _State:
    """Greedy completion of ``keep`` with one item banned (a drop-and-refill move)."""
    state = _State(problem)
    for i in keep:
        state.add(int(i))
    eligible = np.ones(problem.n_items, dtype=bool)
    eligible[banned] = False
    _lazy_greedy(state, eligible)
    return state


def _drop_and_refill(problem: Problem, best: _State, method: str) -> tuple[_State, str]:
    """Local search: drop one chosen item, complete greedily without it; keep while it improves."""
    improved = True
    rounds = 0
    while improved and rounds < 5:
        improved = False
        rounds += 1
        assert problem.forced is not None
        for drop in list(best.selected):
            if problem.forced[drop]:
                continue
            # later posts of the dropped creator go too (post k needs posts 1..k-1)
            keep = [
                i
                for i in best.selected
                if not (
                    problem.creator[i] == problem.creator[drop]
                    and problem.post[i] >= problem.post[drop]
                )
            ]
            cand = _run_without(problem, keep, drop)
            if cand.value > best.value * (1 + 1e-9) and len(_unmet(cand)) <= len(_unmet(best)):
                best, improved = cand, True
                method = method.split(" + drop")[0] + " + drop-and-refill local search"
                break
    return best, method


def greedy_plan(
    problem: Problem, *, seed_pairs: int | None = None, local_search: bool | None = None
) -> Selection:
    """Lazy greedy (gain / cost) + best single affordable item.

    On small problems (<= SMALL_PROBLEM_ITEMS items, or when asked) also: greedy seeded with
    every pair of the ``seed_pairs`` best items by value and by value per cost (partial
    enumeration, Feldman et al.), then drop-and-refill local search (remove one chosen item,
    complete greedily without it) while it improves. Every candidate is feasible; the best wins.
    """
    started = time.perf_counter()
    small = problem.n_items <= SMALL_PROBLEM_ITEMS
    pairs = (12 if small else 0) if seed_pairs is None else seed_pairs
    search = small if local_search is None else local_search
    best = _run(problem, [])
    method = "lazy greedy by gain per cost"
    if problem.max_creators is not None and len(best.creator_spend) >= problem.max_creators:
        # the creator maximum binds: greedy by gain alone (1 - 1/e under a cardinality limit)
        alt = _run(problem, [], by_gain=True)
        if alt.value > best.value:
            best, method = alt, "lazy greedy by gain (the creator maximum binds)"
    empty = _State(problem)
    single = empty.gains()
    assert problem.forced is not None
    affordable = (
        problem.first_post
        & (
            problem.cost
            <= min(problem.budget - float(problem.cost[problem.forced].sum()), problem.creator_cap)
        )
        & ~problem.forced
    )
    if affordable.any():
        idx = np.flatnonzero(affordable)
        top = idx[np.argsort(-single[affordable])]
        alt = _run(problem, [int(top[0])])
        if alt.value > best.value:
            best, method = alt, "best single affordable item + lazy greedy"
        if pairs > 1:
            by_ratio = idx[np.argsort(-single[affordable] / problem.cost[affordable])]
            head = list(
                dict.fromkeys([int(i) for i in top[:pairs]] + [int(i) for i in by_ratio[:pairs]])
            )
            for a in range(len(head)):
                for b in range(a + 1, len(head)):
                    if problem.creator[head[a]] == problem.creator[head[b]]:
                        continue
                    cand = _run(problem, [head[a], head[b]])
                    if cand.value > best.value * (1 + 1e-12):
                        best, method = cand, "enumerated pair + lazy greedy"
    if search:
        best, method = _drop_and_refill(problem, best, method)
    online = online_bound(best)
    relaxed = relaxation_bound(problem)
    if relaxed < online:
        bound, bound_name = (
            relaxed,
            "Lagrangian relaxation bound (tighter than Leskovec et al. 2007)",
        )
    else:
        bound, bound_name = online, "Leskovec et al. 2007 online bound"
    return Selection(
        items=list(best.selected),
        objective=best.value,
        upper_bound=max(bound, best.value),
        method=f"{method} (bound: {bound_name})",
        blocked_by=_blocked(best),
        unmet=_unmet(best),
        seconds=time.perf_counter() - started,
    )


def evaluate(problem: Problem, items: Sequence[int]) -> float:
    state = _State(problem)
    for i in items:
        state.add(int(i))
    return state.value


# -- exact MILP ------------------------------------------------------------------------------------


def _new_highs(time_limit: float) -> highspy.Highs:
    # HiGHS prints a licence banner on stdout when the first instance is made; keep it out of
    # command output (tables, JSON) by pointing file descriptor 1 elsewhere for that moment.
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    return h


def _add_rows(h: highspy.Highs, rows: list[tuple[np.ndarray, np.ndarray, float, float]]) -> None:
    if not rows:
        return
    starts, index, values, lower, upper = [], [], [], [], []
    offset = 0
    for idx, vals, lo, hi in rows:
        starts.append(offset)
        index.append(np.asarray(idx, dtype=np.int32))
        values.append(np.asarray(vals, dtype=float))
        lower.append(lo)
        upper.append(hi)
        offset += len(idx)
    h.addRows(
        len(rows),
        np.array(lower, dtype=float),
        np.array(upper, dtype=float),
        offset,
        np.array(starts, dtype=np.int32),
        np.concatenate(index),
        np.concatenate(values),
    )


def _constraint_rows(problem: Problem) -> list[tuple[np.ndarray, np.ndarray, float, float]]:
    n = problem.n_items
    inf = highspy.kHighsInf
    rows: list[tuple[np.ndarray, np.ndarray, float, float]] = [
        (np.arange(n), problem.cost, -inf, problem.budget)
    ]
    if np.isfinite(problem.creator_cap):
        order = np.argsort(problem.creator, kind="stable")
        bounds = np.flatnonzero(np.diff(problem.creator[order])) + 1
        for chunk in np.split(order, bounds):
            if problem.cost[chunk].sum() > problem.creator_cap:
                rows.append((chunk, problem.cost[chunk], -inf, problem.creator_cap))
    for i in np.flatnonzero(problem.next_post >= 0):
        rows.append((np.array([problem.next_post[i], i]), np.array([1.0, -1.0]), -inf, 0.0))
    if problem.max_creators is not None:
        first = np.flatnonzero(problem.first_post)
        rows.append((first, np.ones(len(first)), -inf, float(problem.max_creators)))
    for g in problem.groups:
        for code in range(len(g.labels)):
            members = np.flatnonzero(g.codes == code)
            lo = float(g.min_spend[code]) if g.min_spend[code] > 0 else -inf
            hi = float(g.max_spend[code]) if np.isfinite(g.max_spend[code]) else inf
            if len(members) and (lo > -inf or hi < inf):
                rows.append((members, problem.cost[members], lo, hi))
            elif lo > -inf:
                rows.append((np.array([0]), np.array([0.0]), lo, hi))
    return rows


def _solution(h: highspy.Highs, n: int) -> tuple[list[int], float]:
    values = np.asarray(h.getSolution().col_value[:n])
    chosen = [int(i) for i in np.flatnonzero(values > 0.5)]
    info = h.getInfo()
    return chosen, float(info.mip_dual_bound)


#: The MILP models measured overlap with one concave piece per group of followers listed by the
#: same creators; beyond this many groups (x 48 tangent rows each) it refuses: plan with the greedy.
MILP_MAX_FOLLOWER_GROUPS = 20_000


def _measured_groups(problem: Problem) -> list[tuple[float, np.ndarray]]:
    """F_M as a sum of segment-like pieces: followers listed by the same set of creators form one
    group g with pool W_g = sum of their weights, and since every follower of g is missed with
    prod (1 - p_i) = exp(-z_g), z_g = sum -ln(1 - p_i) x_i over the items of g's creators,
    F_M = sum_g W_g (1 - exp(-z_g)) exactly. Returns (W_g, items of g's creators) per group."""
    if problem.measured is None or not problem.is_measured.any():
        return []
    csc = problem.measured.matrix.tocsc()
    groups: dict[tuple[int, ...], float] = {}
    indptr, indices, data = csc.indptr.tolist(), csc.indices.tolist(), csc.data.tolist()
    for u in range(csc.shape[1]):
        a, b = indptr[u], indptr[u + 1]
        if a == b:
            continue
        key = tuple(sorted(indices[a:b]))
        # a follower's weight is the same in every list that has it (audience._coverage)
        groups[key] = groups.get(key, 0.0) + float(data[a])
    if len(groups) > MILP_MAX_FOLLOWER_GROUPS:
        raise ValueError(
            f"the exact MILP models measured overlap per group of followers shared by the same "
            f"creators, and these follower lists make {len(groups):,} groups (at most "
            f"{MILP_MAX_FOLLOWER_GROUPS:,}); plan with the greedy (method='auto'), whose bound "
            "covers measured overlap"
        )
    items_of_row: dict[int, list[int]] = {}
    for i in np.flatnonzero(problem.is_measured):
        items_of_row.setdefault(int(problem.measured.row[i]), []).append(int(i))
    return [
        (pool, np.array(sorted(i for r in key for i in items_of_row.get(r, [])), dtype=np.int64))
        for key, pool in groups.items()
        if any(r in items_of_row for r in key)
    ]


def milp_plan(problem: Problem, *, time_limit: float = 60.0, tangents: int = 48) -> Selection:
    """Exact MILP with HiGHS. Without overlap: the knapsack itself. With overlap: each segment's
    concave 1 - exp(-z) is bounded by ``tangents`` tangent cuts, and so is each group of measured
    followers (``_measured_groups``), so the MILP optimum is an upper bound and the true F of its
    solution a lower bound (both reported)."""
    started = time.perf_counter()
    measured_groups = _measured_groups(problem) if problem.overlap else []
    n = problem.n_items
    h = _new_highs(time_limit)
    assert problem.forced is not None
    lower = problem.forced.astype(float)
    inf = highspy.kHighsInf
    if not problem.overlap:
        h.addCols(n, problem.value.astype(float), lower, np.ones(n), 0, [], [], [])
    else:
        h.addCols(n, np.zeros(n), lower, np.ones(n), 0, [], [], [])
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    rows = _constraint_rows(problem)
    if problem.overlap:
        modelled = ~problem.is_measured
        segments = np.unique(problem.segment[modelled])
        # one concave piece per segment (its modelled items) and per group of measured followers
        pieces = [
            (float(problem.pools[s]), np.flatnonzero((problem.segment == s) & modelled))
            for s in segments
        ] + measured_groups
        m = len(pieces)
        # t (objective) columns after the n item columns, one per piece, t <= its pool
        pools = np.array([pool for pool, _ in pieces], dtype=float)
        h.addCols(m, np.ones(m), np.zeros(m), pools, 0, [], [], [])
        for k, (pool, members) in enumerate(pieces):
            weights = -problem.log1m[members]
            z_max = float(weights.sum())
            for z0 in np.linspace(0.0, z_max, tangents):
                # t <= N(1 - e^-z0) + N e^-z0 (z - z0)
                slope = pool * np.exp(-z0)
                intercept = pool * (1 - np.exp(-z0)) - slope * z0
                idx = np.concatenate([[n + k], members])
                vals = np.concatenate([[1.0], -slope * weights])
                rows.append((idx, vals, -inf, intercept))
    _add_rows(h, rows)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    status = h.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise ValueError(f"MILP found no feasible plan ({h.modelStatusToString(status)})")
    chosen, dual_bound = _solution(h, n)
    true_value = evaluate(problem, chosen)
    label = "exact HiGHS MILP" + (
        f" with {tangents} tangent cuts per segment" if problem.overlap else " (knapsack)"
    )
    if measured_groups:
        groups = len(measured_groups)
        label += f" and per group of measured followers ({groups:,} group{'s' if groups != 1 else ''})"
    if status == highspy.HighsModelStatus.kTimeLimit:
        label += f" (stopped at the {time_limit:g}s time limit)"
    state = _State(problem)
    for i in chosen:
        state.add(i)
    return Selection(
        items=chosen,
        objective=true_value,
        upper_bound=max(dual_bound, true_value),
        method=label,
        blocked_by=_blocked(state),
        unmet=_unmet(state),
        seconds=time.perf_counter() - started,
    )
