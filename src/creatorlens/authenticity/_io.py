"""The one file reader of this package: follower samples (CSV or JSON profiles) for audits."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


class FollowerFileError(ValueError):
    """A follower file that cannot be read as profiles."""


def read_follower_sample(path: str | Path) -> pd.DataFrame:
    """Profiles from a CSV, a JSON list, a JSON object with a list under ``data``/``users``/
    ``followers``, or a JSON Lines file; ``canonical_profiles`` maps the column spellings."""
    file = Path(path)
    if not file.exists():
        raise FollowerFileError(f"{file}: no such file")
    suffix = file.suffix.lower()
    try:
        if suffix in {".csv", ".tsv", ".txt"}:
            return pd.read_csv(file, sep="\t" if suffix == ".tsv" else ",")
        if suffix == ".jsonl":
            return pd.read_json(file, lines=True)
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise FollowerFileError(f"{file}: cannot read ({exc})") from exc
    if isinstance(payload, dict):
        for key in ("data", "users", "followers", "items", "profiles"):
            if isinstance(payload.get(key), list):
                payload = payload[key]
                break
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise FollowerFileError(f"{file}: expected a list of profile objects")
    return pd.json_normalize(payload)
