"""Planner benchmark: greedy vs exact MILP on small instances, and a 100K-candidate plan.

1. Optimality: seeded synthetic candidates (creatorlens.planner.synthetic_candidates) of 50, 100
   and 200 creators, every goal preset, overlap on: lazy greedy + best single vs the exact HiGHS
   MILP (48 tangent cuts per segment; its dual bound is an upper bound on the optimum). Also the
   no-overlap knapsack. Acceptance: greedy >= 98% of the MILP optimum.
2. Scale: 100,000 candidates, end-to-end `plan()` (pricing, outcomes, greedy, bounds,
   explanation) with its stated guarantee; baseline in the same run = the MILP on 1,000 candidates
   with a 60 s time limit. Acceptance: < 10 s with a bound stated.

Run: ``.venv/bin/python benchmarks/bench_planner.py`` (writes the "Planner" section).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_facts, markdown_table, utc_now, write_section

from creatorlens.planner import Brief, goal_names, greedy_plan, milp_plan, plan
from creatorlens.planner import synthetic_candidates as make
from creatorlens.planner._plan import build_problem, prepare


def small_instances() -> tuple[list[list[object]], float]:
    rows: list[list[object]] = []
    worst = 1.0
    for n in (50, 100, 200):
        for goal in goal_names():
            for overlap in (True, False):
                ratios, g_secs, m_secs, guarantees = [], [], [], []
                for seed in range(3):
                    cands = make(n, seed=1000 + seed)
                    brief = Brief.build(budget=n * 150.0, goal=goal, overlap=overlap)
                    frame, _ = prepare(cands, brief)
                    problem, _ = build_problem(frame, brief)
                    g = greedy_plan(problem)
                    m = milp_plan(problem, time_limit=120)
                    ratios.append(g.objective / m.objective)
                    guarantees.append(g.guarantee)
                    g_secs.append(g.seconds)
                    m_secs.append(m.seconds)
                worst = min(worst, *ratios)
                rows.append(
                    [
                        n,
                        goal,
                        "yes" if overlap else "no (knapsack)",
                        f"{min(ratios):.2%}",
                        f"{sum(ratios) / 3:.2%}",
                        f"{min(guarantees):.1%}",
                        f"{max(g_secs) * 1000:.1f} ms",
                        f"{max(m_secs):.2f} s",
                    ]
                )
    return rows, worst


def scale() -> tuple[list[list[object]], list[str]]:
    rows: list[list[object]] = []
    notes: list[str] = []
    cands = make(100_000, seed=42)
    for goal in ("awareness", "balanced", "community"):
        brief = Brief.build(budget=500_000, goal=goal)
        started = time.perf_counter()
        result = plan(cands, brief)
        total = time.perf_counter() - started
        rows.append(
            [
                "100,000",
                goal,
                f"{total:.2f} s",
                f"{result.seconds:.2f} s",
                len(result.creators),
                f"{result.guarantee:.2%}",
                result.method,
            ]
        )
    cands = make(1_000, seed=42)
    brief = Brief.build(budget=150_000, goal="balanced")
    frame, _ = prepare(cands, brief)
    problem, _ = build_problem(frame, brief)
    g = greedy_plan(problem)
    m = milp_plan(problem, time_limit=60)
    rows.append(
        [
            "1,000",
            "balanced (baseline: HiGHS MILP, 60 s limit)",
            f"{m.seconds:.2f} s",
            "-",
            len(m.items),
            f"{m.guarantee:.2%}",
            m.method,
        ]
    )
    rows.append(
        [
            "1,000",
            "balanced (lazy greedy)",
            f"{g.seconds:.3f} s",
            "-",
            len(g.items),
            f"{g.guarantee:.2%}",
            g.method,
        ]
    )
    notes.append(
        f"On 1,000 candidates greedy reached {g.objective / m.objective:.2%} of the "
        f"MILP's best solution ({m.method})."
    )
    return rows, notes


def main() -> int:
    started = utc_now()
    small, worst = small_instances()
    big, notes = scale()
    body = "\n\n".join(
        [
            f"Run {started} on {machine_facts()}; `benchmarks/bench_planner.py`. "
            "Synthetic candidates from `creatorlens.planner.synthetic_candidates` (prices from "
            "the rate cards, ER falling with tier per er_benchmarks.csv). "
            "Budget = 150 USD x candidates for the small instances.",
            "### Greedy vs exact MILP (3 seeds per row)",
            markdown_table(
                [
                    "candidates",
                    "goal",
                    "overlap",
                    "greedy / MILP (worst)",
                    "(mean)",
                    "stated guarantee (worst)",
                    "greedy time (max)",
                    "MILP time (max)",
                ],
                small,
            ),
            f"Worst greedy / MILP over all rows: {worst:.2%} (acceptance: >= 98%). The MILP with "
        "overlap maximises the tangent-cut envelope of each segment's 1 - e^-z, so its plan can "
        "be a hair below the true optimum of F (a mean above 100% is that, not an error); its "
        "dual bound remains a valid upper bound. 'Stated guarantee' is what a greedy plan "
        "reports on its own (best of the Leskovec online bound and the Lagrangian relaxation "
        "bound): loose on small instances where a few items use the whole budget, tight at "
        "scale. `plan()` solves no-overlap briefs with the exact MILP, which states its own gap.",
            "### Scale: end-to-end plan on 100,000 candidates (budget 500,000 USD)",
            markdown_table(
                [
                    "candidates",
                    "goal",
                    "wall time",
                    "optimiser time",
                    "creators",
                    "stated guarantee",
                    "method",
                ],
                big,
            ),
            " ".join(notes) + " Acceptance: 100K candidates in < 10 s with its bound stated.",
        ]
    )
    write_section("planner", "Planner", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
