"""Terminal tables speak the user's language: headers are human labels (data/i18n
``[short_columns]``), coded cells are labels, and only CSV/JSON/Parquet carry the column ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens.cli import app
from creatorlens.cli._creators import LIST_COLUMNS
from creatorlens.presentation._i18n import catalog

runner = CliRunner()

POSTS_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views,country
ana,12.5K,1,2025-01-01 10:00:00,hello #food #recipe,1.2K,30,5,20K,KR
ana,12.5K,2,2025-01-08 10:00:00,again #food #cooking,900,20,4,15K,KR
ben,2500,3,2025-01-03 10:00:00,hi,80,4,1,1000,US
ben,2500,4,2025-01-09 10:00:00,hi again,100,6,0,1500,US
"""
#: A result column's id as it would leak into a table: snake_case with at least one underscore.
SNAKE_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("labels")
    (tmp / "posts.csv").write_text(POSTS_CSV, encoding="utf-8")
    db = tmp / "ws.duckdb"
    ingest = ["ingest", str(tmp / "posts.csv"), "--db", str(db), "--platform", "tiktok"]
    assert runner.invoke(app, [*ingest, "--observed-at", "2025-02-01"]).exit_code == 0
    result = runner.invoke(app, ["score", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_every_list_column_has_a_short_label_in_both_languages() -> None:
    for lang in ("en", "ko"):
        labels = catalog(lang)
        for column in LIST_COLUMNS:
            assert column in labels.short_columns, (lang, column)
            assert not SNAKE_ID.search(labels.short_column(column)), (lang, column)


def test_creators_table_shows_labels_not_ids(scored: Path) -> None:
    result = runner.invoke(app, ["creators", "--db", str(scored)], env={"CREATORLENS_LANG": "en"})
    assert result.exit_code == 0, result.output
    header = result.stdout.split("┡")[0]
    for column in LIST_COLUMNS:
        assert column not in SNAKE_ID.findall(header), column
    assert "Followers" in header and "ER/followers" in header
    assert "TikTok" in result.stdout  # the platform's label, not the code "tiktok"
    assert "Micro" in result.stdout and "Nano" in result.stdout  # ana 12.5K, ben 2.5K


def test_creators_table_in_korean(scored: Path) -> None:
    result = runner.invoke(app, ["creators", "--db", str(scored)], env={"CREATORLENS_LANG": "ko"})
    assert result.exit_code == 0, result.output
    assert "팔로워" in result.stdout and "티어" in result.stdout
    assert "마이크로" in result.stdout and "틱톡" in result.stdout


def test_machine_formats_keep_the_ids(scored: Path) -> None:
    result = runner.invoke(
        app, ["creators", "--db", str(scored), "--format", "json"], env={"CREATORLENS_LANG": "ko"}
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["tier"] for r in rows} == {"micro", "nano"}
    assert {"er_followers_lc_median", "platform"} <= set(rows[0])
