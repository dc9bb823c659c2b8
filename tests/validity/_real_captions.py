"""Real captions from ../shared/data in one workspace, and the hand labels of tests/validity/labels.

The workspace is built the way a user builds it (``Workspace.ingest`` of the three caption exports,
then ``Workspace.score`` of the step a test needs), once per test process. The labels file holds
only ids, labels and a one-line reason; the caption text is read from ../shared at test time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import creatorlens

LABELS = Path(__file__).parent / "labels" / "disclosure_real.csv"
#: The caption exports with text, and the platform each one is ingested as.
EXPORTS: tuple[tuple[str, str, str], ...] = (
    ("tiktok-vn-2025", "tiktok-vn-2025/raw_data.csv", "tiktok"),
    ("tiktok-trending-2020", "tiktok-trending-2020/trending.json", "tiktok"),
    ("instagram-reach", "instagram-reach/instagram_reach.csv", "instagram"),
)


def load_labels() -> pd.DataFrame:
    labels = pd.read_csv(LABELS, comment="#", dtype=str, keep_default_na=False)
    duplicated = labels.duplicated(["dataset", "post_id"])
    assert not duplicated.any(), labels[duplicated]
    return labels


_built: dict[Path, Path] = {}


def _workspace_path(shared_data: Path, folder: Path) -> Path:
    if shared_data in _built:
        return _built[shared_data]
    path = folder / "real.duckdb"
    ws = creatorlens.open(path)
    try:
        for _name, relative, platform in EXPORTS:
            ws.ingest(shared_data / relative, platform=platform)
    finally:
        ws.close()
    _built[shared_data] = path
    return path


_scored: set[tuple[Path, str]] = set()


def scored_workspace(shared_data: Path, step: str, tmp: pytest.TempPathFactory) -> Path:
    """The real-captions workspace (built once per process under pytest's temporary folder) with
    ``step`` (``disclosure`` or ``content``) scored."""
    path = _workspace_path(shared_data, tmp.mktemp("real-captions"))
    if (path, step) not in _scored:
        ws = creatorlens.open(path)
        try:
            ws.score(steps=[step])
        finally:
            ws.close()
        _scored.add((path, step))
    return path


def source_ids(ws: creatorlens.Workspace) -> pd.DataFrame:
    """post_id -> (dataset, the id the labels use): the export's own video id, or for
    instagram-reach (no post id) the 0-based data row of the CSV."""
    posts = ws.store.table("posts").select(
        "post_id", "platform_post_id", "source_file", "extra", "hashtags", "caption"
    )
    frame: pd.DataFrame = posts.to_pandas()
    frame["dataset"] = frame["source_file"].map(lambda p: Path(str(p)).parent.name)
    is_reach = frame["dataset"].eq("instagram-reach")
    frame["source_id"] = frame["platform_post_id"].astype(str)
    # the ingest names a post without an id "<file stem>#<line number>" (line 1 is the header)
    frame.loc[is_reach, "source_id"] = [
        str(int(ppid.rsplit("#", 1)[1]) - 2) for ppid in frame.loc[is_reach, "platform_post_id"]
    ]
    return frame[["post_id", "dataset", "source_id", "hashtags", "caption"]]


def precision_recall(truth: pd.Series, predicted: pd.Series) -> tuple[float, float, int, int]:
    """Precision and recall of boolean ``predicted`` against boolean ``truth``; (p, r, tp+fp, tp+fn)."""
    tp = int((truth & predicted).sum())
    flagged = int(predicted.sum())
    positives = int(truth.sum())
    precision = tp / flagged if flagged else float("nan")
    recall = tp / positives if positives else float("nan")
    return precision, recall, flagged, positives


def record_precision_recall(
    record_figure: Callable[..., object],
    estimate: str,
    truth: str,
    section: str,
    figures: tuple[float, float, int, int],
    thresholds: tuple[str, str],
    metrics: tuple[str, str] = ("precision", "recall"),
) -> None:
    """Record a (precision, recall, flagged, positives) pair as two figures of docs/validity.md."""
    precision, recall, flagged, positives = figures
    for metric, figure, n, threshold in (
        (metrics[0], precision, flagged, thresholds[0]),
        (metrics[1], recall, positives, thresholds[1]),
    ):
        record_figure(
            estimate=estimate, truth=truth, metric=metric, figure=round(figure, 3), n=n,
            threshold=threshold, section=section,
        )  # fmt: skip
