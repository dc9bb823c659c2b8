"""Scoring throughput of the fake-account model: vectorised numpy vs per-row scikit-learn.

    .venv/bin/python benchmarks/bench_authenticity.py [--rows 1000000]

Both sides score the same synthetic profiles (counts drawn log-uniformly, flags at random). The
baseline is what a naive service does: one ``LogisticRegression.predict_proba`` call per profile,
with the same parameters (measured on a subsample and reported per second). Results go into the
"Authenticity" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from creatorlens.authenticity import FakeAccountClassifier
from creatorlens.authenticity._training import replace_marked_block

REPO = Path(__file__).resolve().parents[1]


def synthetic_profiles(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "followers": np.floor(np.exp(rng.uniform(0, np.log(1e7), rows))),
            "following": np.floor(np.exp(rng.uniform(0, np.log(7500), rows))),
            "posts_count": np.floor(np.exp(rng.uniform(0, np.log(5000), rows))),
            "has_profile_pic": rng.integers(0, 2, rows),
            "is_private": rng.integers(0, 2, rows),
            "bio_length": rng.integers(0, 150, rows),
            "username_digit_share": rng.uniform(0, 0.5, rows),
        }
    )


def best_of(repeats: int, func: object) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    model = FakeAccountClassifier.load()
    profiles = synthetic_profiles(args.rows)
    end_to_end = best_of(3, lambda: model.predict_proba(profiles))
    matrix = model.feature_matrix(profiles)
    scoring_only = best_of(3, lambda: model.decision_function_matrix(matrix))

    reference = LogisticRegression()
    reference.classes_ = np.array([0, 1])
    reference.coef_ = model.coef_[None, :]
    reference.intercept_ = np.array([model.intercept_])
    standardised = np.nan_to_num((matrix[: args.baseline_rows] - model.mean_) / model.scale_)

    def per_row() -> None:
        for row in standardised:
            reference.predict_proba(row[None, :])

    baseline = best_of(1, per_row)
    vectorised_check = reference.predict_proba(standardised)[:, 1]
    assert np.allclose(
        vectorised_check, model.predict_proba(profiles.iloc[: args.baseline_rows])[:, 1]
    )

    rates = {
        "creatorlens end-to-end (features + score, numpy)": args.rows / end_to_end,
        "creatorlens scoring only (precomputed features)": args.rows / scoring_only,
        "baseline: per-row sklearn predict_proba": args.baseline_rows / baseline,
    }
    speedup = args.rows / end_to_end / (args.baseline_rows / baseline)
    lines = [
        f"Fake-account scoring throughput, {args.rows:,} synthetic profiles "
        f"(baseline on {args.baseline_rows:,}); best of 3; Python {platform.python_version()}, "
        f"{platform.machine()}; `benchmarks/bench_authenticity.py`.",
        "",
        "| method | profiles / s |",
        "|---|---|",
        *[f"| {name} | {rate:,.0f} |" for name, rate in rates.items()],
        "",
        f"Speed-up end-to-end vs baseline: {speedup:,.0f}x. "
        "Acceptance: >= 100,000 profiles/s end-to-end.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        path = REPO / "BENCHMARKS.md"
        current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
        path.write_text(
            replace_marked_block(current, "authenticity-throughput", text), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
