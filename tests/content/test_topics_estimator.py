"""TopicClassifier keeps scikit-learn's estimator contract (issue 12 point 8).

scikit-learn's checks feed numeric arrays and numeric labels. The classifier reads text (one caption
per row of a 2-D array) and its classes are the taxonomy's topics, so the checks that need numeric
input validation or classes learned from ``y`` cannot apply; each is listed with the reason. Every
other check (cloning, get/set_params, no work in ``__init__``, NotFittedError before ``fit``,
``fit`` returns self and leaves parameters alone, tags, repr, ...) must pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from creatorlens.content.topics import OTHER, Taxonomy, TopicClassifier

_TEXT = (
    "input is text: a numeric X is read as one caption per row, so numeric input validation "
    "(NaN/inf, sparse, 1-D, object dtype, empty shapes, n_features_in_) does not apply"
)
_CLASSES = (
    "classes_ are the topics of data/topics/taxonomy.toml, not learned from y: predictions are topic "
    "names, never the checks' numeric labels (and the check compares predictions as numbers)"
)
EXPECTED_FAILED = {
    "check_n_features_in_after_fitting": _TEXT,
    "check_n_features_in": _TEXT,
    "check_dtype_object": _TEXT,
    "check_estimators_empty_data_messages": _TEXT,
    "check_estimators_nan_inf": _TEXT,
    "check_estimator_sparse_tag": _TEXT,
    "check_estimator_sparse_array": _TEXT,
    "check_estimator_sparse_matrix": _TEXT,
    "check_classifier_data_not_an_array": _TEXT,
    "check_fit1d": _TEXT,
    "check_fit2d_predict1d": _TEXT,
    "check_estimators_pickle": _CLASSES,
    "check_classifiers_one_label": _CLASSES,
    "check_classifiers_classes": _CLASSES,
    "check_classifiers_train": _CLASSES,
    "check_methods_sample_order_invariance": _CLASSES,
    "check_methods_subset_invariance": _CLASSES,
    "check_fit_idempotent": _CLASSES,
    "check_supervised_y_2d": _CLASSES,
}


@parametrize_with_checks(
    [TopicClassifier(korean="lexicon")],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED,
)
def test_scikit_learn_estimator_checks(estimator: TopicClassifier, check: Callable[[Any], None]) -> None:
    check(estimator)


def test_fitted_attributes_exist_only_after_fit() -> None:
    clf = TopicClassifier(korean="lexicon")
    assert not hasattr(clf, "taxonomy_")
    assert not hasattr(clf, "classes_")
    for method in (clf.predict, clf.predict_proba, clf.classify, clf.classify_frame):
        with pytest.raises(NotFittedError):
            method(["homemade pasta recipe"])
    clf.fit()
    assert clf.taxonomy_ is Taxonomy.load("taxonomy.toml")
    assert list(clf.classes_) == [*clf.taxonomy_.topics, OTHER]
    assert clf.other_weight_ == clf.taxonomy_.weights.other
    assert clf.predict(["homemade pasta recipe with garlic"])[0] == "food"


def test_clone_is_unfitted_and_keeps_parameters() -> None:
    clf = TopicClassifier(other_weight=1.5, korean="lexicon").fit()
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert not hasattr(copy, "taxonomy_")
    assert copy.fit().other_weight_ == 1.5


def test_fit_rejects_continuous_labels_and_a_bad_korean_mode() -> None:
    with pytest.raises(ValueError, match="Unknown label type"):
        TopicClassifier(korean="lexicon").fit(["a", "b"], np.array([0.5, 1.5]))
    with pytest.raises(ValueError, match="korean must be"):
        TopicClassifier(korean="nope").fit()
