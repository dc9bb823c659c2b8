"""Shared fixtures: the real data sets beside the checkout, and a fresh workspace file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import creatorlens

# No time limit per Hypothesis example: its default 200 ms deadline is a timing threshold, which
# fails on a loaded 2-core CI machine without saying anything about correctness (speed is for
# benchmarks/). A test's own @settings still set its number of examples.
settings.register_profile("creatorlens", deadline=None)
settings.load_profile("creatorlens")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def missing(what: str) -> None:
    """A dependency of a test is absent: a failure, never a skip (`make test` installs them all)."""
    pytest.fail(f"{what}; `make test` installs every test dependency (see the Makefile)", pytrace=False)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        missing("../shared/data is not beside this checkout (CI clones with ../shared beside it)")
    return SHARED_DATA


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[creatorlens.Workspace]:
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    yield ws
    ws.close()


#: Three TikTok posts of two creators: enough for `score` and every scoring step to run.
TINY_POSTS_CSV = """\
username,followers,video_id,create_time,caption,likes,comments,shares,views
ana,12500,1,2025-01-01 10:00:00,hello #food,1200,30,5,20000
ana,12500,2,2025-01-08 10:00:00,again #ad,900,20,4,15000
ben,2500,3,2025-01-03 10:00:00,hi,80,4,1,1000
"""


@pytest.fixture
def tiny_db(tmp_path: Path) -> Path:
    """A workspace file with TINY_POSTS_CSV ingested and nothing scored yet."""
    source = tmp_path / "tiny_posts.csv"
    source.write_text(TINY_POSTS_CSV, encoding="utf-8")
    target = tmp_path / "tiny.duckdb"
    with creatorlens.open(target) as ws:
        ws.ingest(source, platform="tiktok")
    return target


#: Creators the demo leaves out: ERs from fewer posts than the scoring minimum (not rankable),
#: two of them level on followers (ties), one with no posts at all.
DEMO_EXTRA_POSTS = """\
platform,handle,followers,post_id,posted_at,caption,likes,comments,views
instagram,fewposts_a,20000,fa1,2025-01-05 10:00:00,only one #food,900,20,5000
instagram,fewposts_b,20000,fb1,2025-01-06 10:00:00,first #food,300,4,2000
instagram,fewposts_b,20000,fb2,2025-01-07 10:00:00,second #food,350,5,2100
instagram,hugeer,20000,he1,2025-01-05 10:00:00,one #food,19000,900,30000
"""


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scored demo workspace file (150 generated creators plus DEMO_EXTRA_POSTS), built once
    per session. Tests only read it."""
    folder = tmp_path_factory.mktemp("demo-ws")
    extra = folder / "extra_posts.csv"
    extra.write_text(DEMO_EXTRA_POSTS, encoding="utf-8")
    path = folder / "demo.duckdb"
    with creatorlens.open(path) as ws:
        ws.demo(seed=7, creators=150, posts_per_creator=6, score=False)
        ws.ingest(extra)
        ws.score()
    return path
