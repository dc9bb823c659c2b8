"""Agreement of a found partition with a known one (validity tests, benchmarks). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


@dataclass(frozen=True)
class PartitionAgreement:
    #: normalised mutual information, arithmetic normalisation (scikit-learn's default), in [0, 1]
    nmi: float
    #: adjusted Rand index: 0 for a random partition, 1 for the same one
    ari: float


def agreement(truth: Sequence[int], found: Sequence[int]) -> PartitionAgreement:
    """NMI and ARI of ``found`` against ``truth`` (one label per node, same node order)."""
    if len(truth) != len(found):
        raise ValueError(f"{len(truth)} true labels but {len(found)} found labels")
    return PartitionAgreement(
        float(normalized_mutual_info_score(truth, found)), float(adjusted_rand_score(truth, found))
    )


__all__ = ["PartitionAgreement", "agreement"]
