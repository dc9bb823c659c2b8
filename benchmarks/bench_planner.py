"""Planner benchmark: greedy vs exact MILP on small instances, and a 100K-candidate plan.

1. Optimality: seeded synthetic candidates (creatorlens.planner.synthetic_candidates) of 50, 100
   and 200 creators, every goal preset, overlap on: lazy greedy + best single vs the exact HiGHS
   MILP (48 tangent cuts per segment; its dual bound is an upper bound on the optimum). Also the
   no-overlap knapsack. Acceptance: greedy >= 98% of the MILP optimum.
2. Scale: 100,000 candidates, end-to-end `plan()` (pricing, outcomes, greedy, bounds,
   explanation) with its stated guarantee; baseline in the same run = the MILP on 1,000 candidates
   with a 60 s time limit. Acceptance: < 10 s with a bound stated.

3. End to end from the CLI on a demo workspace (``--demo DB``, e.g. the 2,000-creator demo):
   ``creatorlens plan`` for each goal with the issue-11 brief (KR beauty 18-34 in KRW), best of 3
   wall times of the whole process. Acceptance: < 3 s per goal.

Every plan uses the issue-11 defaults: costs at P90 (the budget row and the bound are on that
basis), 110 USD overhead per creator, at most 50 creators, and the 5/10/25/50 frontier.

Run: ``.venv/bin/python benchmarks/bench_planner.py [--demo DB]`` (writes the "Planner" section).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_facts, markdown_table, utc_now, write_section

from creatorlens.planner import Brief, goal_names, greedy_plan, milp_plan, plan, synthetic_candidates as make
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


KR_BRIEF = ["--budget", "20000000", "--target", "age=18-34 country=KR interest=beauty"]


def cli_demo(db: str) -> list[list[object]]:
    """Each goal end to end from the CLI (a fresh process each time), best of 3."""
    exe = Path(sys.executable).with_name("creatorlens")
    rows: list[list[object]] = []
    for goal in goal_names():
        times = []
        out = ""
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run(
                [str(exe), "plan", "--db", db, "--goal", goal, *KR_BRIEF],
                capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "200"},
            )  # fmt: skip
            times.append(time.perf_counter() - started)
            out = done.stdout
        line = next((x for x in out.splitlines() if x.strip().startswith("cost at P90")), "").strip()
        team = next((x for x in out.splitlines() if x.strip().startswith("team:")), "").strip()
        rows.append([goal, f"{min(times):.2f} s", f"{max(times):.2f} s", line, team])
    return rows


def main() -> int:
    started = utc_now()
    demo = sys.argv[sys.argv.index("--demo") + 1] if "--demo" in sys.argv else None
    small, worst = small_instances()
    big, notes = scale()
    cli_rows = cli_demo(demo) if demo else []
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
            *(
                [
                    "### End to end from the CLI on the demo (KR beauty 18-34 brief, 20,000,000 KRW)",
                    f"`creatorlens plan --db {demo} --goal GOAL {' '.join(KR_BRIEF)}` (quoted "
                    "target), one fresh process per run (imports, workspace open, candidates, "
                    "plan, frontier, output), best and worst of 3.",
                    markdown_table(
                        ["goal", "wall time (best of 3)", "(worst)", "budget line", "team"],
                        cli_rows,
                    ),
                    "Acceptance: each goal < 3 s.",
                ]
                if cli_rows
                else []
            ),
        ]
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body += (
        f"\n\nLoad average at the end: {load} (1/5/15 min): the machine's 2 cores were shared with "
        "other jobs during the run, so wall times are upper bounds."
    )
    write_section("planner", "Planner", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
