"""Measured audience overlap in the planner (docs/planner.md "Measured overlap").

1. No follower lists: end-to-end ``plan()`` on 100,000 synthetic candidates, the planner
   benchmark's scale row (acceptance there: < 10 s with a bound stated); ``followers=None`` takes
   the segment-model path, so this guards it against the measured-overlap code.
2. Follower lists for part of the candidates: 10,000 candidates, lists for every beauty creator
   (complete up to 600 followers, a 600-id sample above), drawn 80% from
   a cluster pool (4 clusters per platform x niche) and 20% from the platform pool. ``plan()``
   with and without the lists: wall time, unique target reach measured vs modelled, the true
   union of the measured picks' followers (Python sets) against the reported one, and the
   objective of the plan on the hash sample vs on the full lists.

Run: ``.venv/bin/python benchmarks/bench_measured_overlap.py`` (writes the "Measured overlap"
section of BENCHMARKS.md).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_facts, markdown_table, utc_now, write_section

from creatorlens.audience._coverage import follower_coverage
from creatorlens.planner import Brief, plan, synthetic_candidates as make
from creatorlens.planner._plan import prepare


def _follow_pairs(cands: pd.DataFrame, niches: tuple[str, ...], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    chosen = cands[cands["main_niche"].isin(niches)]
    targets: list[np.ndarray] = []
    sources: list[np.ndarray] = []
    for (platform, niche), group in chosen.groupby(["platform", "main_niche"]):
        sizes = np.minimum(group["followers"].to_numpy(dtype=int), 600)
        wide = max(int(sizes.sum()), 1000)
        cluster = rng.integers(0, 4, len(group))
        pools = {k: max(int(0.5 * sizes[cluster == k].sum()), 500) for k in range(4)}
        for cid, size, k in zip(group["creator_id"], sizes, cluster, strict=True):
            own = rng.integers(0, pools[k], int(0.8 * size))
            far = rng.integers(0, wide, size - len(own))
            ids = np.concatenate(
                [
                    np.char.add(f"{platform}:{niche}:c{k}:", own.astype(str)),
                    np.char.add(f"{platform}:{niche}:w:", far.astype(str)),
                ]
            )
            targets.append(np.full(len(ids), cid, dtype=object))
            sources.append(ids.astype(object))
    return pd.DataFrame({"target_id": np.concatenate(targets), "source_id": np.concatenate(sources)})


def main() -> None:
    rows_scale = []
    print("100K candidates, no follower lists", flush=True)
    big = make(100_000, seed=3)
    brief = Brief.build(budget=500_000, goal="awareness")
    started = time.perf_counter()
    result = plan(big, brief)
    rows_scale.append(
        [
            "100,000",
            "awareness",
            "none",
            f"{time.perf_counter() - started:.2f} s",
            f"{result.seconds:.2f} s",
            len(result.creators),
            f"{result.guarantee:.2%}",
        ]
    )

    cands = make(10_000, seed=5)
    pairs = _follow_pairs(cands, ("beauty",), seed=1)
    print(f"{len(pairs):,} follow pairs", flush=True)
    lines = []
    for goal in ("awareness", "trust", "community"):
        brief = Brief.build(budget=60_000, goal=goal, niches=["beauty", "fashion"])  # fashion: modelled
        t0 = time.perf_counter()
        modelled = plan(cands, brief)
        t1 = time.perf_counter()
        measured = plan(cands, brief, followers=pairs)
        t2 = time.perf_counter()
        ov = measured.overlap
        assert ov is not None
        lists = pairs.groupby("target_id")["source_id"].agg(set)
        picks = [c.creator_id for c in measured.creators if c.overlap == "measured"]
        truth = len(set().union(*(lists[c] for c in picks))) if picks else 0
        frame, _ = prepare(cands, brief)
        followers = dict(zip(frame["creator_id"], frame["followers"].astype(float), strict=True))
        ids = frame["creator_id"].astype(str).tolist()
        full = follower_coverage(ids, pairs["target_id"], pairs["source_id"], followers, max_ids=10**8)
        thin = follower_coverage(ids, pairs["target_id"], pairs["source_id"], followers)
        assert full is not None and thin is not None
        reach = {c.creator_id: c.target_reach.mid for c in measured.creators if c.overlap == "measured"}
        full_rows = [full.index()[c] for c in reach]
        thin_rows = [thin.index()[c] for c in reach]
        on_full = full.coverage(
            full_rows, [reach[c] / full.weight[r] for c, r in zip(reach, full_rows, strict=True)]
        )
        on_thin = thin.coverage(
            thin_rows, [reach[c] / thin.weight[r] for c, r in zip(reach, thin_rows, strict=True)]
        )
        fig = ov.unique_followers
        lines.append(
            [
                goal,
                f"{t1 - t0:.2f} s",
                f"{t2 - t1:.2f} s",
                f"{len(ov.measured)} / {len(measured.creators)}",
                f"{ov.candidates_measured:,} ({ov.follower_ids:,} ids, sample {ov.sampled_fraction:.1%})",
                f"{measured.totals['unique_target_reach'].mid:,.0f}",
                f"{ov.modelled_target_reach:,.0f}",
                f"{modelled.totals['unique_target_reach'].mid:,.0f}",
                f"{truth:,} in {fig.low:,.0f} – {fig.high:,.0f} (mid {fig.mid:,.0f})",
                f"{on_thin / on_full - 1:+.2%}" if on_full else "-",
                f"{measured.guarantee:.2%}",
            ]
        )
        print(lines[-1], flush=True)
    body = (
        f"Run {utc_now()} on {machine_facts()}; `benchmarks/bench_measured_overlap.py`.\n\n"
        "### No follower lists (the segment-model path)\n\n"
        + markdown_table(
            ["candidates", "goal", "follower lists", "wall time", "optimiser time", "creators",
             "stated guarantee"],
            rows_scale,
        )
        + "\n\nAcceptance (planner benchmark): 100K candidates < 10 s with a bound stated.\n\n"
        "### 10,000 candidates, follower lists (600-id samples) for the beauty creators "
        "(brief: beauty and fashion, 60,000 USD)\n\n"
        + markdown_table(
            [
                "goal",
                "plan without lists",
                "plan with lists",
                "measured picks",
                "candidates with a list",
                "unique target reach (measured)",
                "(segment model, same picks)",
                "(plan without lists)",
                "true union of the measured picks' followers vs reported range",
                "objective on the hash sample vs full lists",
                "stated guarantee",
            ],
            lines,
        )
        + "\n\nThe reported union is exact up to 50,000 ids per list, else a Theta-sketch union with "
        "2-sigma bounds; the true union is counted with Python sets here. The hash-sample column is "
        "the plan's measured reach computed on the planner's sampled universe over the same on every "
        "follower id (a little above: the picks were chosen on the sample, a winner's-curse bias). "
        "The plan with lists pays, once per process, ~1.2 s to load the two compiled numba loops "
        "from their cache, and here ~1 s to hash the 770K text follower ids (a workspace hashes "
        "them in DuckDB). "
        f"Load average at the end of the run: {os.getloadavg()[0]:.1f} on 2 cores (other sessions "
        "ran at the same time; every wall time is an upper bound)."
    )
    write_section("measured-overlap", "Measured overlap in the planner", body)


if __name__ == "__main__":
    main()
