"""Leave-one-dataset-out evaluation of the fake-account classifier, and the two-phase label count.

    .venv/bin/python scripts/authenticity_transfer.py [--data DIR] [--retrain]

Reads every labelled set in ../shared/data (InstaFake, the Kaggle set, the four Twitter sets in
bots-twitter/), fits on all but one and evaluates on the one left out, for each set in one run;
then simulates the two-phase estimate (hand labels drawn from the truth) on InstaFake resampled to
10% fakes. Writes the tables between ``<!-- BEGIN authenticity-transfer -->`` markers in
BENCHMARKS.md and docs/authenticity.md. ``--retrain`` also refits the packaged model
``fake_account_v2`` (with its transfers and spreads). Deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from creatorlens.authenticity._training import (
    TRANSFER_MODEL,
    default_data_dir,
    read_labelled_sets,
    replace_marked_block,
    train_transfer_model,
)
from creatorlens.authenticity._transfer import (
    fit_pooled,
    lodo_evaluation,
    render_lodo_markdown,
    resample_to_share,
)
from creatorlens.authenticity._two_phase import simulate_two_phase

REPO = Path(__file__).resolve().parents[1]
LABEL_SIZES = (25, 50, 100, 200, 300, 400)


def two_phase_markdown(sets: list, share: float = 0.10) -> str:  # type: ignore[type-arg]
    """Labels needed for +-5 points on InstaFake at ``share`` fakes, classifier fitted without it."""
    target = next(s for s in sets if s.name == "instafake")
    model = fit_pooled([s for s in sets if s.name != "instafake"])
    resampled = resample_to_share(target, share)
    assert resampled is not None
    rows, _ = resampled
    profiles = target.profiles.iloc[rows]
    predicted = model.predict_proba(profiles, target.platform)[:, 1] >= model.threshold_
    table = simulate_two_phase(predicted, target.labels[rows], LABEL_SIZES, repeats=200)
    lines = [
        f"Two-phase estimate on InstaFake resampled to {100 * share:.0f}% fakes "
        f"(n = {len(rows)} followers, classifier fitted without InstaFake, apparent share "
        f"{100 * predicted.mean():.1f}%); hand labels drawn from the truth, 200 random "
        "subsamples per size:",
        "",
        "| labels | median half-width | coverage of the true share |",
        "|---|---|---|",
    ]
    lines += [
        f"| {int(r['labels'])} | ±{100 * r['median_half_width']:.1f} pts | "
        f"{100 * r['coverage']:.0f}% |"
        for r in table
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args()
    sets, files = read_labelled_sets(args.data)
    if args.retrain:
        model = train_transfer_model(sets, files)
        path = REPO / f"src/creatorlens/data/models/{TRANSFER_MODEL}.json"
        path.write_text(model.to_json(), encoding="utf-8")
        print(f"model written to {path}")
    header = (
        "Leave-one-dataset-out, one run (`scripts/authenticity_transfer.py`): fitted on "
        + ", ".join(f"{s.name} ({s.n}, {s.n_fake} fake)" for s in sets)
        + " but the one left out; threshold 0.5 of the balanced pooled fit; interval 95%."
    )
    body = render_lodo_markdown(lodo_evaluation(sets), header) + "\n" + two_phase_markdown(sets)
    for path in (REPO / "BENCHMARKS.md", REPO / "docs/authenticity.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(replace_marked_block(text, "authenticity-transfer", body), encoding="utf-8")
    print(body)


if __name__ == "__main__":
    main()
