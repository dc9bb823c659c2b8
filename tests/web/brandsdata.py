"""A small workspace with brand mentions, unsafe captions and contacts (the brand and safety
pages' tests, web and CLI)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from creatorlens import Workspace

CAPTION_XSS = "<script>alert('safety')</script> so fucking good"
#: handle -> (bio, followers, captions)
CREATORS: dict[str, tuple[str, int, list[str]]] = {
    "mina.eats": (
        "서울 맛집 🍜 협업 문의 mina@example.com · linktr.ee/mina.eats",
        52_000,
        ["@crunchybites_ 협찬 받아 먹어봤어요 #광고", "맥주 한잔 술자리 🍺 #먹스타그램", "김치찌개 레시피 #집밥", CAPTION_XSS],
    ),
    "jaycooks": (
        "home cook. business: https://jaycooks.example.com",
        18_000,
        ["gifted by @crunchybites_ #ad", "thanks @brewbean_coffee for the beans #sponsored", "@brewbean_coffee morning"],
    ),
    "sooyoung": ("", 9_000, ["@brewbean_coffee latte art #ad", "vote today, everyone", "brunch with @jaycooks"]),
}


def build_brands_workspace(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    creators, posts = folder / "creators.csv", folder / "posts.csv"
    with creators.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["platform", "handle", "display_name", "bio", "followers", "following", "country"])
        for handle, (bio, followers, _) in CREATORS.items():
            w.writerow(["instagram", handle, handle, bio, followers, 100, "KR"])
    with posts.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["platform", "handle", "post_id", "posted_at", "caption", "likes", "comments"])
        for handle, (_, followers, captions) in CREATORS.items():
            for i, caption in enumerate(captions):
                day = date(2025, 1, 1) + timedelta(days=7 * i)
                w.writerow(["instagram", handle, f"{handle}{i}", day.isoformat(), caption, followers // 40, 12])
    path = folder / "brands.duckdb"
    with Workspace(path) as ws:
        ws.ingest(creators, observed_at=datetime(2025, 3, 1))
        ws.ingest(posts, observed_at=datetime(2025, 3, 1))
        ws.score()
    return path
