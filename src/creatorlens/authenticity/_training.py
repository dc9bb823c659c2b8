"""Reproducible training and evaluation of the fake-account model.

``read_training_sets`` is the one function here that reads files (the two labelled data sets); the
rest takes DataFrames. ``creatorlens train authenticity`` and ``scripts/train_authenticity.py`` both
call ``train_fake_account_model``.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import sklearn
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from creatorlens.authenticity._accounts import FakeAccountClassifier
from creatorlens.authenticity._features import (
    HONEYPOT_COLUMNS,
    from_honeypot,
    from_instafake,
    from_kaggle,
    from_twitter_users,
)
from creatorlens.authenticity._transfer import (
    PLATFORMS,
    LabelledSet,
    cross_validated_confusion,
    fit_pooled,
    lodo_transfers,
    population_spread,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

INSTAFAKE_FILES = ("instafake/fakeAccountData.json", "instafake/realAccountData.json")
NONAUTOMATED_FILE = "instafake/nonautomatedAccountData.json"
KAGGLE_TRAIN = "ig-fake-spammer-kaggle/train.csv"
KAGGLE_TEST = "ig-fake-spammer-kaggle/test.csv"
THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.01), 2)


@dataclass
class TrainingSets:
    """Canonical profile frames with an ``is_fake`` column, and the SHA-256 of every file read."""

    instafake: pd.DataFrame
    kaggle_train: pd.DataFrame
    kaggle_test: pd.DataFrame
    nonautomated: pd.DataFrame
    files: list[dict[str, Any]] = field(default_factory=list)


class _HashedReader:
    """Reads files under ``data_dir`` and logs each one's SHA-256 (what a model was trained on)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.files: list[dict[str, Any]] = []

    def read(self, relative: str) -> bytes:
        raw = (self.data_dir / relative).read_bytes()
        self.files.append({"file": relative, "sha256": hashlib.sha256(raw).hexdigest()})
        return raw


def read_training_sets(data_dir: Path) -> TrainingSets:
    reader = _HashedReader(data_dir)
    read_bytes, files = reader.read, reader.files

    instafake = pd.concat(
        [pd.DataFrame(json.loads(read_bytes(name))) for name in INSTAFAKE_FILES], ignore_index=True
    )
    kaggle_train = pd.read_csv(io.BytesIO(read_bytes(KAGGLE_TRAIN)))
    kaggle_test = pd.read_csv(io.BytesIO(read_bytes(KAGGLE_TEST)))
    nonautomated_raw = pd.DataFrame(json.loads(read_bytes(NONAUTOMATED_FILE)))
    nonautomated = from_instafake(nonautomated_raw).assign(is_fake=0)
    for entry in files:
        name = entry["file"]
        entry["rows"] = {
            INSTAFAKE_FILES[0]: int((instafake["isFake"] == 1).sum()),
            INSTAFAKE_FILES[1]: int((instafake["isFake"] == 0).sum()),
            KAGGLE_TRAIN: len(kaggle_train),
            KAGGLE_TEST: len(kaggle_test),
            NONAUTOMATED_FILE: len(nonautomated),
        }[name]
    return TrainingSets(
        instafake=from_instafake(instafake),
        kaggle_train=from_kaggle(kaggle_train),
        kaggle_test=from_kaggle(kaggle_test),
        nonautomated=nonautomated,
        files=files,
    )


TWITTER_BOT_SETS = ("botometer-feedback-2019", "botwiki-2019", "cresci-rtbust-2019")
HONEYPOT_FILES = (
    "bots-twitter/caverlee-2011-social-honeypot/content_polluters.txt",
    "bots-twitter/caverlee-2011-social-honeypot/legitimate_users.txt",
)
#: The Social Honeypot set has 22K + 19K accounts; a fixed, seeded subsample per class keeps it from
#: outweighing the other sets in size (each set gets equal weight anyway) and keeps evaluation fast.
HONEYPOT_PER_CLASS = 2500


def read_labelled_sets(
    data_dir: Path, *, honeypot_per_class: int = HONEYPOT_PER_CLASS, seed: int = 0
) -> tuple[list[LabelledSet], list[dict[str, Any]]]:
    """Every labelled profile set in ``data_dir`` (../shared/data), with each file's SHA-256.

    InstaFake fake-v1.0 and the Kaggle set (train + test) on Instagram; the bot-repository sets
    (Botometer feedback 2019, Botwiki 2019 — bots only, Cresci RTbust 2019) and the Social Honeypot
    2011 set on Twitter. Rows with conflicting labels are dropped (PROVENANCE.txt of each set).
    """
    reader = _HashedReader(data_dir)
    read_bytes, files = reader.read, reader.files

    instafake = pd.concat(
        [pd.DataFrame(json.loads(read_bytes(name))) for name in INSTAFAKE_FILES], ignore_index=True
    )
    kaggle = pd.concat(
        [pd.read_csv(io.BytesIO(read_bytes(name))) for name in (KAGGLE_TRAIN, KAGGLE_TEST)],
        ignore_index=True,
    )
    sets = [
        LabelledSet("instafake", "instagram", from_instafake(instafake)),
        LabelledSet("kaggle", "instagram", from_kaggle(kaggle)),
    ]
    for name in TWITTER_BOT_SETS:
        raw = pd.read_csv(io.BytesIO(read_bytes(f"bots-twitter/{name}/users_flat.csv")))
        sets.append(LabelledSet(name, "twitter", from_twitter_users(raw)))
    polluters, legitimate = (
        pd.read_csv(
            io.BytesIO(read_bytes(name)), sep="\t", header=None, names=list(HONEYPOT_COLUMNS)
        )
        for name in HONEYPOT_FILES
    )
    both = set(polluters["UserID"]) & set(legitimate["UserID"])
    rng = np.random.default_rng(seed)
    parts = []
    for frame, label in ((polluters, 1), (legitimate, 0)):
        frame = frame[~frame["UserID"].isin(both)].sort_values("UserID")
        keep = np.sort(rng.permutation(len(frame))[: min(honeypot_per_class, len(frame))])
        parts.append(frame.iloc[keep].assign(is_fake=label))
    sets.append(
        LabelledSet(
            "caverlee-2011", "twitter", from_honeypot(pd.concat(parts, ignore_index=True))
        )
    )
    return sets, files


def binary_metrics(
    labels: npt.ArrayLike, scores: npt.ArrayLike, threshold: float
) -> dict[str, Any]:
    """Accuracy, precision, recall (= sensitivity), specificity, F1, MCC, ROC AUC, counts."""
    y = np.asarray(labels, dtype=np.int64)
    p = np.asarray(scores, dtype=np.float64)
    predicted = p >= threshold
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    tn = int(np.sum(~predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    denominator = np.sqrt(float(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    mcc = (tp * tn - fp * fn) / denominator if denominator else 0.0
    auc = float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else float("nan")
    return {
        "n": len(y),
        "threshold": float(threshold),
        "accuracy": (tp + tn) / len(y) if len(y) else 0.0,
        "precision": precision,
        "recall": recall,
        "sensitivity": recall,
        "specificity": specificity,
        "f1": f1,
        "mcc": float(mcc),
        "roc_auc": auc,
        "confusion": {"tp": tp, "fn": fn, "tn": tn, "fp": fp},
    }


def best_threshold(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """The grid threshold with the highest MCC (ties: the one closest to 0.5)."""
    y = np.asarray(labels, dtype=np.int64)
    p = np.asarray(scores, dtype=np.float64)
    ranked = sorted(
        THRESHOLD_GRID,
        key=lambda t: (-round(binary_metrics(y, p, float(t))["mcc"], 6), abs(t - 0.5)),
    )
    return float(ranked[0])


def _labels(frame: pd.DataFrame) -> IntArray:
    return frame["is_fake"].to_numpy(dtype=np.int64)


def cross_validate(
    profiles: pd.DataFrame,
    strata: pd.Series,
    *,
    C: float = 1.0,
    n_splits: int = 5,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Out-of-fold P(fake) and the threshold chosen for each row's fold.

    Folds are stratified by ``strata`` (data set x label). Each fold's threshold is chosen by an
    inner 3-fold CV on its training part only, so the reported metrics never see the test fold.
    """
    scores = np.zeros(len(profiles))
    thresholds = np.zeros(len(profiles))
    outer = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train_index, test_index in outer.split(profiles, strata):
        train = profiles.iloc[train_index]
        inner_scores = np.zeros(len(train))
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed + 1)
        for fit_index, check_index in inner.split(train, strata.iloc[train_index]):
            inner_model = FakeAccountClassifier(C=C).fit(
                train.iloc[fit_index], _labels(train.iloc[fit_index])
            )
            inner_scores[check_index] = inner_model.predict_proba(train.iloc[check_index])[:, 1]
        model = FakeAccountClassifier(C=C).fit(train, _labels(train))
        scores[test_index] = model.predict_proba(profiles.iloc[test_index])[:, 1]
        thresholds[test_index] = best_threshold(_labels(train), inner_scores)
    return scores, thresholds


def _fold_metrics(labels: IntArray, scores: FloatArray, thresholds: FloatArray) -> dict[str, Any]:
    """Metrics where each row is judged at its own fold's threshold."""
    predicted = (scores >= thresholds).astype(float)
    # binary_metrics thresholds at 0.5 on the 0/1 predictions; AUC comes from the scores.
    metrics = binary_metrics(labels, predicted, 0.5)
    metrics["roc_auc"] = float(roc_auc_score(labels, scores))
    metrics["threshold"] = float(np.median(thresholds))
    return metrics


@dataclass
class TrainingResult:
    model: FakeAccountClassifier
    report: dict[str, Any]


def train_fake_account_model(
    sets: TrainingSets, *, C: float = 1.0, n_splits: int = 5, repeats: int = 5, seed: int = 0
) -> TrainingResult:
    """Cross-validate, evaluate transfer between the sets, fit the final model, return both."""
    pooled = pd.concat([sets.instafake, sets.kaggle_train], ignore_index=True)
    source = np.array(["instafake"] * len(sets.instafake) + ["kaggle"] * len(sets.kaggle_train))
    strata = pd.Series(source, dtype="string") + ":" + pooled["is_fake"].astype("string")
    labels = _labels(pooled)
    is_instafake = source == "instafake"

    repeat_rows: list[dict[str, Any]] = []
    first: tuple[FloatArray, FloatArray] | None = None
    for repeat in range(repeats):
        scores, thresholds = cross_validate(
            pooled, strata, C=C, n_splits=n_splits, seed=seed + repeat
        )
        first = first or (scores, thresholds)
        repeat_rows.append(
            {
                "seed": seed + repeat,
                "instafake": _fold_metrics(
                    labels[is_instafake], scores[is_instafake], thresholds[is_instafake]
                ),
                "kaggle_train": _fold_metrics(
                    labels[~is_instafake], scores[~is_instafake], thresholds[~is_instafake]
                ),
                "pooled": _fold_metrics(labels, scores, thresholds),
            }
        )
    assert first is not None
    oof_scores, _ = first
    threshold = best_threshold(labels, oof_scores)
    operating = binary_metrics(labels, oof_scores, threshold)

    model = FakeAccountClassifier(C=C, threshold=threshold).fit(pooled, labels)
    kaggle_test = binary_metrics(
        _labels(sets.kaggle_test), model.predict_proba(sets.kaggle_test)[:, 1], threshold
    )
    unseen_real = model.predict_proba(sets.nonautomated)[:, 1]
    nonautomated = {
        "n": len(sets.nonautomated),
        "specificity": float(np.mean(unseen_real < threshold)),
        "note": "InstaFake automated-v1.0 non-automated accounts: presumed real, never trained on; "
        "has_profile_pic and is_private are absent and imputed",
    }

    kaggle_all = pd.concat([sets.kaggle_train, sets.kaggle_test], ignore_index=True)
    to_kaggle = FakeAccountClassifier(C=C).fit(sets.instafake, _labels(sets.instafake))
    to_instafake = FakeAccountClassifier(C=C).fit(sets.kaggle_train, _labels(sets.kaggle_train))
    transfer = {
        "instafake_to_kaggle": binary_metrics(
            _labels(kaggle_all), to_kaggle.predict_proba(kaggle_all)[:, 1], 0.5
        ),
        "kaggle_to_instafake": binary_metrics(
            _labels(sets.instafake), to_instafake.predict_proba(sets.instafake)[:, 1], 0.5
        ),
    }

    def summary(key: str) -> dict[str, float]:
        values = np.array([row[key]["mcc"] for row in repeat_rows])
        return {
            "mcc_mean": float(values.mean()),
            "mcc_sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
            "mcc_min": float(values.min()),
        }

    report: dict[str, Any] = {
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sklearn_version": sklearn.__version__,
        "training_data": sets.files,
        "training_rows": {"instafake": len(sets.instafake), "kaggle_train": len(sets.kaggle_train)},
        "cv": {
            "scheme": f"stratified {n_splits}-fold (data set x label), {repeats} repeats; "
            "threshold chosen by inner 3-fold CV on each training part",
            "first_repeat": repeat_rows[0],
            "summary": {k: summary(k) for k in ("instafake", "kaggle_train", "pooled")},
        },
        "operating_point": {
            "threshold": threshold,
            "chosen_by": "max MCC on pooled out-of-fold scores (first repeat)",
            "sensitivity": operating["sensitivity"],
            "specificity": operating["specificity"],
            "confusion": operating["confusion"],
        },
        "kaggle_test": kaggle_test,
        "unseen_real_accounts": nonautomated,
        "transfer": transfer,
        "coefficients": dict(zip(model.features_, (float(c) for c in model.coef_), strict=True)),
    }
    model.metadata_ = {
        "name": "fake_account_v1",
        "trained_at": report["trained_at"],
        "sklearn_version": report["sklearn_version"],
        "training_data": sets.files,
        "metrics": {
            "cv_instafake": repeat_rows[0]["instafake"],
            "cv_summary": report["cv"]["summary"],
            "kaggle_test": kaggle_test,
            "unseen_real_accounts": nonautomated,
        },
        "operating_point": report["operating_point"],
        "missing_inputs": "a missing feature is imputed with its training mean (contributes 0)",
    }
    return TrainingResult(model=model, report=report)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render_evaluation_markdown(report: dict[str, Any]) -> str:
    """The evaluation tables written into docs/authenticity.md and BENCHMARKS.md."""
    first = report["cv"]["first_repeat"]
    lines = [
        f"Trained {report['trained_at']} with scikit-learn {report['sklearn_version']} "
        f"on {report['training_rows']['instafake']} InstaFake + "
        f"{report['training_rows']['kaggle_train']} Kaggle-train profiles. "
        f"CV: {report['cv']['scheme']}.",
        "",
        "| evaluation | n | accuracy | precision | recall (sens.) | specificity | F1 | MCC "
        "| ROC AUC |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def row(name: str, m: dict[str, Any]) -> str:
        return (
            f"| {name} | {m['n']} | {_pct(m['accuracy'])} | {_pct(m['precision'])} | "
            f"{_pct(m['recall'])} | {_pct(m['specificity'])} | {m['f1']:.3f} | {m['mcc']:.3f} | "
            f"{m['roc_auc']:.3f} |"
        )

    lines.append(row("CV, InstaFake fake vs real", first["instafake"]))
    lines.append(row("CV, Kaggle train", first["kaggle_train"]))
    lines.append(row("CV, pooled", first["pooled"]))
    lines.append(row("Kaggle test split (held out)", report["kaggle_test"]))
    lines.append(
        row(
            "transfer: fit InstaFake -> Kaggle train+test",
            report["transfer"]["instafake_to_kaggle"],
        )
    )
    lines.append(
        row("transfer: fit Kaggle train -> InstaFake", report["transfer"]["kaggle_to_instafake"])
    )
    summary = report["cv"]["summary"]
    op = report["operating_point"]
    lines += [
        "",
        f"Repeated CV MCC on InstaFake: mean {summary['instafake']['mcc_mean']:.3f} "
        f"(sd {summary['instafake']['mcc_sd']:.3f}, min {summary['instafake']['mcc_min']:.3f}) "
        "over the repeats.",
        f"Operating threshold {op['threshold']:.2f} ({op['chosen_by']}): sensitivity "
        f"{_pct(op['sensitivity'])}, specificity {_pct(op['specificity'])}, out-of-fold counts "
        f"{op['confusion']}.",
        f"Unseen presumed-real accounts (InstaFake non-automated, n = "
        f"{report['unseen_real_accounts']['n']}): specificity "
        f"{_pct(report['unseen_real_accounts']['specificity'])}.",
        "",
        "Coefficients (standardised features, log-odds of fake): "
        + ", ".join(f"{k} {v:+.2f}" for k, v in report["coefficients"].items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def replace_marked_block(document: str, marker: str, body: str) -> str:
    """Replace the text between ``<!-- BEGIN marker -->`` and ``<!-- END marker -->``."""
    begin, end = f"<!-- BEGIN {marker} -->", f"<!-- END {marker} -->"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    if begin in document and end in document:
        head, rest = document.split(begin, 1)
        _, tail = rest.split(end, 1)
        return head + block + tail
    return document.rstrip() + "\n\n" + block + "\n"


def default_data_dir() -> Path:
    """``<repo>/../shared/data`` when running from a checkout (where the data sets live)."""
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def write_training_outputs(
    result: TrainingResult,
    model_path: Path,
    markdown_paths: list[Path] | None = None,
) -> None:
    """Write the model JSON and refresh the generated evaluation block in each Markdown file."""
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_text(result.model.to_json(), encoding="utf-8")
    body = render_evaluation_markdown(result.report)
    for path in markdown_paths or []:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(replace_marked_block(text, "authenticity-training", body), encoding="utf-8")


TRANSFER_MODEL = "fake_account_v2"


def train_transfer_model(
    sets: list[LabelledSet], files: list[dict[str, Any]]
) -> FakeAccountClassifier:
    """``fake_account_v2``: the platform-aware model fitted on every labelled set, carrying its
    leave-one-dataset-out transfers and the between-population Se/Sp spread per platform."""
    model = fit_pooled(sets)
    transfers = lodo_transfers(sets)
    two_class = [t for t in transfers if t.tp + t.fn and t.tn + t.fp and t.platform == "instagram"]
    confusion = {k: sum(getattr(t, k) for t in two_class) for k in ("tp", "fn", "tn", "fp")}
    model.metadata_ = {
        "name": TRANSFER_MODEL,
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sklearn_version": sklearn.__version__,
        "training_data": files,
        "training_sets": [
            {"name": s.name, "platform": s.platform, "n": s.n, "n_fake": s.n_fake} for s in sets
        ],
        "weighting": "each set weighs the same in total; fakes and reals rescaled to equal totals",
        "operating_point": {
            "threshold": model.threshold_,
            "chosen_by": "0.5 on the balanced (equal-weight) fit: no prevalence assumed",
            "sensitivity": confusion["tp"] / (confusion["tp"] + confusion["fn"]),
            "specificity": confusion["tn"] / (confusion["tn"] + confusion["fp"]),
            "confusion": confusion,
            "confusion_source": "sum of the leave-one-dataset-out transfers to the Instagram sets",
        },
        "transfer": {
            "method": "leave-one-dataset-out: fit on all sets but one, evaluate on it at the "
            "operating threshold; spread = population_spread() per platform "
            "(creatorlens.authenticity._transfer)",
            "transfers": [t.as_dict() for t in transfers],
            "spreads": {
                platform: population_spread(
                    transfers, platform, centre=_centre(sets, platform)
                ).as_dict()
                for platform in (*PLATFORMS, "other")
            },
        },
        "missing_inputs": "a missing feature is imputed with its training mean (contributes 0)",
    }
    return model


def _centre(sets: list[LabelledSet], platform: str) -> dict[str, int] | None:
    """Centre of the Se/Sp spread of ``platform``: the cross-validated counts on its own sets.

    A platform without a labelled set ("other": TikTok, YouTube, ...) is a new population of
    unknown kind: its centre is the mean over the transfers, each population weighing the same
    (``population_spread`` without ``centre``), as the fit weighs each set the same. Pooled
    out-of-fold counts would let the largest set (the Social Honeypot subsample, whose size is a
    project choice) set the centre alone.
    """
    if not any(s.platform == platform for s in sets):
        return None
    return cross_validated_confusion(sets, platform)
