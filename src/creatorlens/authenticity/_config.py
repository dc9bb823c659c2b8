"""Load the authenticity data files (thresholds, weights, feature catalogue) from the package
(through the data loader, which reads and checks each file once)."""

from __future__ import annotations

from typing import Any

from creatorlens.data import load_toml, read_text


def _read_toml(name: str) -> dict[str, Any]:
    return load_toml(f"authenticity/{name}")


def feature_catalogue() -> dict[str, Any]:
    """``data/authenticity/features.toml``: every feature, its Cresci data-cost group and source."""
    return _read_toml("features.toml")


def audience_quality_config() -> dict[str, Any]:
    """``data/authenticity/audience_quality.toml``: thresholds and score weights."""
    return _read_toml("audience_quality.toml")


def anomaly_config() -> dict[str, Any]:
    """``data/authenticity/anomalies.toml``: growth and engagement anomaly rules."""
    return _read_toml("anomalies.toml")


def packaged_model_text(name: str = "fake_account_v1") -> str:
    """The JSON text of a model shipped in ``data/models``."""
    return read_text(f"models/{name}.json")
