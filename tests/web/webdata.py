"""A small real workspace for the web tests: KR beauty creators (two carry XSS payloads in their
bio and name), posts, two follower snapshots each, an audience breakdown, and one API key."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from creatorlens._workspace import Workspace
from creatorlens.store import AUDIENCE
from creatorlens.web import create_key

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(2)>"

#: handle -> (name, bio, followers on 2025-01-01, followers on 2025-03-01, country, categories)
CREATORS = {
    "glowkim": ("Glow Kim", "K-beauty skincare routines", 40_000, 45_000, "KR", "Beauty|Skincare"),
    "xssbio": ("XSS Tester", XSS_SCRIPT, 22_000, 23_000, "KR", "Beauty"),
    "imgbio": (XSS_IMG, XSS_IMG, 30_000, 31_000, "KR", "Beauty"),
    "seoulfood": ("Seoul Food", "Food in Seoul", 11_000, 12_000, "KR", "Food"),
    "nanobeauty": ("Nano Beauty", "tiny beauty", 4_000, 5_000, "KR", "Beauty"),
    "usmacro": ("US Macro", "fitness coach", 240_000, 250_000, "US", "Fitness"),
}
MICRO_BEAUTY_KR = {"glowkim", "xssbio", "imgbio"}
CAPTION_XSS = "<script>alert('caption')</script> new serum #ad"


def write_creators(path: Path, column: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "platform",
                "handle",
                "display_name",
                "bio",
                "followers",
                "following",
                "country",
                "categories",
            ]
        )
        for handle, (name, bio, *followers, country, cats) in CREATORS.items():
            w.writerow(["instagram", handle, name, bio, followers[column], 100, country, cats])


def write_posts(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "platform",
                "handle",
                "post_id",
                "posted_at",
                "caption",
                "hashtags",
                "likes",
                "comments",
                "views",
                "is_paid",
            ]
        )
        for n, (handle, values) in enumerate(CREATORS.items()):
            followers = values[3]
            for i in range(10):
                day = date(2025, 1, 1) + timedelta(days=5 * i)
                caption = CAPTION_XSS if handle == "xssbio" and i == 9 else f"post {i} #beauty"
                likes = int(followers * (0.02 + 0.002 * n) * (1 + (i % 3) / 10))
                w.writerow(
                    [
                        "instagram",
                        handle,
                        f"{handle}{i}",
                        day.isoformat(),
                        caption,
                        "beauty skincare",
                        likes,
                        likes // 30,
                        followers // 3,
                        str(i == 9).lower(),
                    ]
                )


@dataclass
class WebWorkspace:
    path: Path
    key: str
    files: Path


def build_workspace(folder: Path) -> WebWorkspace:
    folder.mkdir(parents=True, exist_ok=True)
    early, late, posts = (
        folder / "creators_early.csv",
        folder / "creators_late.csv",
        folder / "posts.csv",
    )
    write_creators(early, 0)
    write_creators(late, 1)
    write_posts(posts)
    path = folder / "web.duckdb"
    with Workspace(path) as ws:
        ws.ingest(early, observed_at=datetime(2025, 1, 1))
        ws.ingest(late, observed_at=datetime(2025, 3, 1))
        ws.ingest(posts, observed_at=datetime(2025, 3, 1))
        ws.store.insert_new(
            AUDIENCE,
            pa.table(
                {
                    "creator_id": ["instagram:glowkim"] * 3,
                    "dimension": ["country", "country", "age"],
                    "bucket": ["KR", "US", "18-24"],
                    "share": [0.8, 0.2, 0.6],
                    "source": ["test"] * 3,
                    "observed_at": [datetime(2025, 3, 1)] * 3,
                }
            ),
        )
        ws.score()
        _, key = create_key(ws.store, "tests")
    return WebWorkspace(path, key, folder)


def planted(demo_db: Path, language: str) -> set[str]:
    """The creators the demo generator made in ``language`` (its truth table), for the language
    filter's tests on the demo workspace (``demo_db``)."""
    with Workspace(demo_db, read_only=True) as ws:
        truth = ws.store.table("demo_truth_creators").to_pyarrow().to_pylist()
    return {str(r["creator_id"]) for r in truth if r["language"] == language}
