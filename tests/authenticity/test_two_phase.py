"""Two-phase (double-sampling) estimate, label matching, and refusing non-follower files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from creatorlens.authenticity import FollowerFileError, audit_follower_sample
from creatorlens.authenticity._two_phase import (
    LabelError,
    draw_label_sample,
    match_labels,
    two_phase_share,
)
from creatorlens.cli import app


def test_all_labelled_gives_the_true_share_exactly() -> None:
    rng = np.random.default_rng(3)
    truth = (rng.random(400) < 0.2).astype(int)
    flags = np.where(rng.random(400) < 0.85, truth, 1 - truth).astype(bool)
    estimate = two_phase_share(flags, np.arange(400), truth)
    assert estimate.value == pytest.approx(truth.mean())
    # Se/Sp on this population are the empirical ones.
    assert estimate.sensitivity == pytest.approx(flags[truth == 1].mean())
    assert estimate.specificity == pytest.approx((~flags[truth == 0]).mean())


@settings(max_examples=80, deadline=None)
@given(n=st.integers(5, 300), m=st.integers(1, 60), seed=st.integers(0, 10_000))
def test_estimate_is_a_share_with_an_interval(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    flags = rng.random(n) < rng.random()
    positions = draw_label_sample(n, m, seed=seed)
    labels = (rng.random(len(positions)) < 0.3).astype(int)
    estimate = two_phase_share(flags, positions, labels, draws=300, seed=seed)
    assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0
    assert estimate.labelled == len(set(positions.tolist())) == min(m, n)


def test_match_labels_names_file_row_and_column() -> None:
    handles = pd.Series(["Anna", "@bob", "carl"])
    labels = pd.DataFrame({"handle": ["@anna", "BOB", "carl"], "is_fake": ["1", "0", ""]})
    positions, values = match_labels(handles, labels, "labels.csv")
    assert positions.tolist() == [0, 1] and values.tolist() == [1, 0]
    with pytest.raises(LabelError, match=r"labels.csv: row 2, column is_fake"):
        match_labels(handles, pd.DataFrame({"handle": ["anna", "bob"], "is_fake": ["1", "x"]}), "labels.csv")
    with pytest.raises(LabelError, match=r"row 1, column handle: 'zed' is not in the sample"):
        match_labels(handles, pd.DataFrame({"handle": ["zed"], "is_fake": ["1"]}), "labels.csv")
    with pytest.raises(LabelError, match="no 'is_fake' column"):
        match_labels(handles, pd.DataFrame({"handle": ["anna"]}), "labels.csv")


def test_a_file_that_is_not_a_follower_sample_is_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame({"handle": ["a", "b"], "followers": [10, 20], "er": [0.1, 0.2]})
    with pytest.raises(FollowerFileError, match=r"creators\.csv: not a follower sample"):
        audit_follower_sample(frame, source="creators.csv")
    path = tmp_path / "creators.csv"
    frame.to_csv(path, index=False)
    result = CliRunner().invoke(app, ["audit", "--followers", str(path)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert str(path.name) in text and "missing columns: following, posts_count" in text
    assert "100/100" not in text and "0.0%" not in text


def test_cli_two_phase_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 300
    fake = rng.random(n) < 0.15
    handles = [f"user{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(n)]
    followers = pd.DataFrame(
        {
            "username": handles,
            "followers": np.where(fake, rng.integers(0, 40, n), rng.integers(80, 3000, n)),
            "following": np.where(fake, rng.integers(1500, 7000, n), rng.integers(50, 800, n)),
            "posts": np.where(fake, 0, rng.integers(3, 400, n)),
            "profile_pic": np.where(fake, rng.random(n) < 0.5, True).astype(int),
            "private": 0,
            "biography_length": np.where(fake, 0, rng.integers(0, 120, n)),
        }
    )
    path, out = tmp_path / "followers.csv", tmp_path / "to_label.csv"
    followers.to_csv(path, index=False)
    runner = CliRunner()
    drawn = runner.invoke(
        app, ["audit", "--followers", str(path), "--sample-to-label", "80", "--out", str(out)]
    )
    assert drawn.exit_code == 0, drawn.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == 80 and (table["is_fake"] == "").all()
    truth = dict(zip(handles, fake.astype(int), strict=True))
    table["is_fake"] = table["handle"].map(truth).astype(str)
    table.to_csv(out, index=False)
    result = runner.invoke(
        app,
        ["audit", "--followers", str(path), "--platform", "instagram", "--labels", str(out),
         "--json"],
    )
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.output)
    estimate = payload["two_phase"]
    assert estimate["labelled"] == 80
    assert estimate["low"] <= fake.mean() <= estimate["high"]

    # A label file that is not there is the user's to fix (exit 2), not a bug (exit 1).
    missing = tmp_path / "no_such_labels.csv"
    result = runner.invoke(app, ["audit", "--followers", str(path), "--labels", str(missing)])
    assert result.exit_code == 2 and "label file not found" in result.output, result.output
