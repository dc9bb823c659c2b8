"""`creatorlens score` rescores only changed posts; `score --full` rescores every post
(docs/concurrency.md "Incremental scoring")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from creatorlens.cli import app
from creatorlens.content import _content_step
from creatorlens.content.topics import niches

runner = CliRunner()

POSTS_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views,country
ana,12.5K,1,2025-01-01 10:00:00,hello #food #recipe,1.2K,30,5,20K,KR
ben,2500,3,2025-01-03 10:00:00,new skincare routine #skincare,80,4,1,1000,US
"""
MORE_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views,country
ana,12.6K,2,2025-01-05 10:00:00,pasta night #food,1.1K,25,4,18K,KR
"""


def test_score_rescores_changed_posts_and_full_rescores_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    classified: list[list[str]] = []
    classify = niches.classify_posts

    def counting(posts: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
        classified.append(sorted(str(p) for p in posts["post_id"]))
        return classify(posts, *args, **kwargs)

    monkeypatch.setattr(_content_step, "classify_posts", counting)
    db = str(tmp_path / "ws.duckdb")
    for name, text in (("posts.csv", POSTS_CSV), ("more.csv", MORE_CSV)):
        (tmp_path / name).write_text(text, encoding="utf-8")

    def run(*args: str) -> None:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output

    run("ingest", str(tmp_path / "posts.csv"), "--db", db, "--platform", "tiktok")
    run("score", "--db", db)
    assert classified[-1] == ["tiktok:1", "tiktok:3"]
    run("score", "--db", db)
    assert classified[-1] == []  # nothing changed
    run("ingest", str(tmp_path / "more.csv"), "--db", db, "--platform", "tiktok")
    run("score", "--db", db)
    assert classified[-1] == ["tiktok:2"]
    run("score", "--db", db, "--full")
    assert classified[-1] == ["tiktok:1", "tiktok:2", "tiktok:3"]
