"""Train and evaluate the packaged fake-account model (fake_account_v1).

    .venv/bin/python scripts/train_authenticity.py [--data DIR] [--repeats 5]

Reads ../shared/data/{instafake,ig-fake-spammer-kaggle}, writes
src/creatorlens/data/models/fake_account_v1.json (parameters, training-data SHA-256,
metrics) and the generated evaluation block in docs/authenticity.md and BENCHMARKS.md.
Deterministic for a given seed.
Same as ``creatorlens train authenticity``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from creatorlens.authenticity._training import (
    default_data_dir,
    read_training_sets,
    render_evaluation_markdown,
    train_fake_account_model,
    write_training_outputs,
)

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--model", type=Path, default=REPO / "src/creatorlens/data/models/fake_account_v1.json"
    )
    args = parser.parse_args()
    result = train_fake_account_model(
        read_training_sets(args.data), repeats=args.repeats, seed=args.seed
    )
    write_training_outputs(
        result, args.model, [REPO / "docs/authenticity.md", REPO / "BENCHMARKS.md"]
    )
    print(render_evaluation_markdown(result.report))
    print(f"model written to {args.model}")


if __name__ == "__main__":
    main()
