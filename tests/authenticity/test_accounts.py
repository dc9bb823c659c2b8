from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatorlens.authenticity import FakeAccountClassifier, ModelFormatError
from creatorlens.authenticity._training import (
    TrainingSets,
    binary_metrics,
    cross_validate,
    read_training_sets,
)

MODEL_FILE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "creatorlens"
    / "data"
    / "models"
    / "fake_account_v1.json"
)


@pytest.fixture(scope="module")
def sets(shared_data: Path) -> TrainingSets:
    return read_training_sets(shared_data)


def test_cross_validated_mcc_on_instafake_meets_acceptance(sets: TrainingSets) -> None:
    pooled = pd.concat([sets.instafake, sets.kaggle_train], ignore_index=True)
    source = ["instafake"] * len(sets.instafake) + ["kaggle"] * len(sets.kaggle_train)
    strata = pd.Series(source) + ":" + pooled["is_fake"].astype(str)
    scores, thresholds = cross_validate(pooled, strata, seed=7)
    is_instafake = np.array(source) == "instafake"
    y = pooled["is_fake"].to_numpy()[is_instafake]
    predicted = (scores >= thresholds)[is_instafake].astype(float)
    metrics = binary_metrics(y, predicted, 0.5)
    assert metrics["mcc"] >= 0.80
    assert metrics["n"] == 1194


def test_packaged_model_scores_the_held_out_kaggle_test_split(sets: TrainingSets) -> None:
    model = FakeAccountClassifier.load("fake_account_v1")
    p = model.predict_proba(sets.kaggle_test)[:, 1]
    metrics = binary_metrics(sets.kaggle_test["is_fake"], p, model.threshold_)
    assert metrics["roc_auc"] >= 0.95
    assert metrics["mcc"] >= 0.75
    stored = model.metadata_["metrics"]["kaggle_test"]
    assert stored["mcc"] == pytest.approx(metrics["mcc"])


def test_model_file_carries_training_hashes_and_metrics(shared_data: Path) -> None:
    payload = json.loads(MODEL_FILE.read_text())
    assert payload["format"] == "creatorlens.logistic-regression/1"
    files = {entry["file"]: entry["sha256"] for entry in payload["training_data"]}
    assert len(files) == 5
    for name, digest in files.items():
        assert hashlib.sha256((shared_data / name).read_bytes()).hexdigest() == digest
    point = payload["operating_point"]
    assert 0 < point["threshold"] < 1
    assert point["sensitivity"] > 0.8 and point["specificity"] > 0.9
    assert set(point["confusion"]) == {"tp", "fn", "tn", "fp"}


def test_json_round_trip_gives_identical_scores(sets: TrainingSets) -> None:
    model = FakeAccountClassifier(C=0.5).fit(sets.instafake, sets.instafake["is_fake"])
    again = FakeAccountClassifier.from_json(model.to_json())
    np.testing.assert_allclose(
        model.predict_proba(sets.kaggle_test), again.predict_proba(sets.kaggle_test)
    )
    assert again.get_params()["C"] == 0.5


def test_numpy_scoring_matches_sklearn(sets: TrainingSets) -> None:
    from sklearn.linear_model import LogisticRegression

    model = FakeAccountClassifier().fit(sets.instafake, sets.instafake["is_fake"])
    matrix = model.feature_matrix(sets.instafake)
    standardised = np.nan_to_num((matrix - model.mean_) / model.scale_)
    reference = LogisticRegression(max_iter=5000).fit(standardised, sets.instafake["is_fake"])
    np.testing.assert_allclose(
        model.predict_proba(sets.instafake), reference.predict_proba(standardised), atol=1e-6
    )


def test_sklearn_estimator_shape(sets: TrainingSets) -> None:
    model = FakeAccountClassifier(threshold=0.3)
    assert not hasattr(model, "coef_")
    with pytest.raises(ValueError, match="not fitted"):
        model.predict(sets.kaggle_test)
    model.fit(sets.kaggle_train, sets.kaggle_train["is_fake"])
    assert model.threshold_ == 0.3 and list(model.classes_) == [0, 1]
    assert 0.8 <= model.score(sets.kaggle_test, sets.kaggle_test["is_fake"]) <= 1.0
    assert set(model.predict(sets.kaggle_test)) <= {0, 1}


def test_missing_inputs_are_imputed_and_reported() -> None:
    model = FakeAccountClassifier.load()
    profiles = pd.DataFrame(
        {
            "followers": [12, 5000],
            "following": [4000, 300],
            "posts_count": [0, 400],
            "handle": ["xq83910274", "anna"],
        }
    )
    p = model.predict_proba(profiles)[:, 1]
    assert p[0] > model.threshold_ > p[1]
    missing = model.missing_inputs(profiles)
    assert missing["has_profile_pic"].all() and not missing["log_followers"].any()
    contributions = model.contributions(profiles)
    np.testing.assert_allclose(
        contributions.sum(axis=1) + model.intercept_, model.decision_function(profiles)
    )


def test_rejects_foreign_model_files() -> None:
    with pytest.raises(ModelFormatError):
        FakeAccountClassifier.from_dict({"format": "pickle"})
    payload = json.loads(MODEL_FILE.read_text())
    payload["features"] = [*payload["features"][:-1], "os.system"]
    with pytest.raises(ModelFormatError):
        FakeAccountClassifier.from_dict(payload)
