"""The one file reader of this package: follower samples (CSV or JSON profiles) for audits."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from creatorlens.errors import FollowerFileError as FollowerFileError


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


_SAMPLE_FLAGS = ("has_profile_pic", "is_private", "has_external_url")
_SAMPLE_COUNTS = ("followers", "following", "posts_count")


def follower_sample_rows(
    profiles: pd.DataFrame,
    creator_id: str,
    observed_at: pd.Timestamp,
    source_file: str,
) -> pd.DataFrame:
    """A follower file's profiles (any spelling ``canonical_profiles`` knows) as rows of the
    ``follower_samples`` table for ``creator_id``. Pure.

    A profile without a handle is keyed ``#<row>`` (its row in the file, header = 1), so no row is
    lost (the audit reads such a key as "no handle"); counts that do not parse become null; flags
    accept 1/0, true/false, yes/no.
    """
    from creatorlens.authenticity._features import _parse_flag, canonical_profiles

    frame = canonical_profiles(profiles).reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    rows = pd.Series([f"#{i + 2}" for i in range(len(frame))], index=frame.index)
    handles = (
        frame["handle"].astype("string").str.strip().str.lstrip("@")
        if "handle" in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    out["creator_id"] = creator_id
    out["handle"] = handles.where(handles.notna() & (handles != ""), rows).astype(str)
    for column in ("display_name", "bio"):
        if column in frame.columns:
            out[column] = frame[column].astype("string")
    for column in _SAMPLE_COUNTS:
        if column in frame.columns:
            out[column] = pd.to_numeric(frame[column], errors="coerce").round().astype("Int64")
    for column in _SAMPLE_FLAGS:
        if column in frame.columns:
            out[column] = frame[column].map(_parse_flag).map(
                lambda v: pd.NA if v != v else bool(v)
            ).astype("boolean")
    if "last_post_at" in frame.columns:
        out["last_post_at"] = pd.to_datetime(
            frame["last_post_at"], errors="coerce", utc=True
        ).dt.tz_localize(None)
    out["observed_at"] = pd.Timestamp(observed_at)
    out["source_file"] = source_file
    return out
