"""The Python API's use cases on a real workspace file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

import creatorlens
from creatorlens._steps import STEP_NAMES

PROFILES = """\
handle,display_name,bio,followers,country,category
veggiejin,Jin Park,Vegan recipes from Seoul,45000,KR,food
runbo,Bo Lee,Marathons and trail running,8000,KR,fitness
cooksam,Sam Cook,Weeknight dinners,250000,US,food
"""


@pytest.fixture
def scored(tmp_path: Path) -> creatorlens.Workspace:
    path = tmp_path / "profiles.csv"
    path.write_text(PROFILES, encoding="utf-8")
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    ws.ingest(path, platform="instagram", observed_at=datetime(2025, 1, 1))
    ws.score(steps=[])
    return ws


def test_search_finds_handle_name_and_bio(scored: creatorlens.Workspace) -> None:
    def handles(**kw: object) -> list[str]:
        return sorted(scored.creators(**kw).to_pandas().handle)  # type: ignore[arg-type]

    assert handles(search="VEGAN") == ["veggiejin"]  # bio
    assert handles(search="sam") == ["cooksam"]  # handle and name
    assert handles(search="park") == ["veggiejin"]  # display name


def test_filters_sort_and_paging(scored: creatorlens.Workspace) -> None:
    t = scored.creators(country="kr", sort="followers", descending=False)
    assert list(t.to_pandas().handle) == ["runbo", "veggiejin"]
    assert list(scored.creators(category="food", tier="micro").to_pandas().handle) == ["veggiejin"]
    page = scored.creators(sort="handle", descending=False, limit=1, offset=1).to_pyarrow()
    assert page.column("handle").to_pylist() == ["runbo"]
    assert scored.creators().to_polars().height == 3


def test_creator_lookup_and_not_found(scored: creatorlens.Workspace) -> None:
    row = scored.creator("@VeggieJin")
    assert (row["tier"], row["followers"], row["bio"]) == ("micro", 45_000, "Vegan recipes from Seoul")
    with pytest.raises(creatorlens.NotFoundError):
        scored.creator("nobody")


def test_capability_filter_without_its_scores_is_explained(scored: creatorlens.Workspace) -> None:
    if "main_niche" in scored.scorecard().columns:
        pytest.skip("content scores exist in this workspace")
    with pytest.raises(ValueError, match="run `creatorlens score`"):
        scored.creators(niche="food").to_pandas()


def test_read_view_follows_each_scoring_run(scored: creatorlens.Workspace) -> None:
    from creatorlens.store import CREATOR_VIEW

    assert scored.store.has_table(CREATOR_VIEW)  # built by score()
    scored.store.replace_table("content_scores", pa.table({"creator_id": ["instagram:runbo"], "main_niche": ["fitness"], "focus": [0.9]}))
    assert list(scored.creators(niche="fitness").to_pandas().handle) == ["runbo"]  # rebuilt on read


def test_every_step_scores_an_empty_workspace(tmp_path: Path) -> None:
    ws = creatorlens.open(tmp_path / "empty.duckdb")
    report = ws.score()
    assert report.creators == 0
    assert report.steps == list(STEP_NAMES)
    assert ws.creators().to_pyarrow().num_rows == 0


def test_every_step_scores_a_ranking_export_without_posts(tmp_path: Path) -> None:
    """Ranking exports (top-1000 lists) have creators and their stated averages but no posts: each
    capability writes its tables with typed (string) keys, so the read view joins them."""
    export = tmp_path / "ranking.csv"
    export.write_text(
        "handle,followers,avg_likes,avg_comments,category\n"
        "ana,120000,3400,120,Beauty\nbo,8000,,,Food\n",
        encoding="utf-8",
    )
    ws = creatorlens.open(tmp_path / "ranking.duckdb")
    ws.ingest(export, platform="instagram", observed_at=datetime(2025, 1, 1))
    report = ws.score()
    assert report.creators == 2
    assert report.steps == list(STEP_NAMES)
    ana = ws.creator("ana", platform="instagram")
    assert ana["n_posts"] == 0 and ana["er_source"] == "reported_averages"
    assert ana["er_followers_lc_mean"] == pytest.approx((3400 + 120) / 120000)
    assert ana["transparency_us"] is None  # no posts: nothing sponsored to judge
