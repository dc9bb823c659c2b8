"""Save or compare the disclosure checker's verdict tables on fixed corpora (refactoring guard).

Usage::

    python scripts/disclosure_verdicts.py save DIR      # write DIR/<corpus>.parquet
    python scripts/disclosure_verdicts.py compare DIR   # recompute, exit 1 on any difference

Corpora: a seeded demo (captions, titles, transcripts, the creators' own comments, dates), the
hand-written cases of tests/content/fixtures/disclosure_cases.toml, the same cases glued in seeded
random pairs (many more pattern combinations for the prefilter), and the real captions of
../shared/data (TikTok trending 2020, TikTok VN 2025 with their hashtags), when present.
Verdicts must be identical before and after a change that claims to keep behaviour.
"""

from __future__ import annotations

import json
import random
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from creatorlens.content import check_disclosure
from creatorlens.content.disclosure import POST_FIELDS

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "content" / "fixtures" / "disclosure_cases.toml"
SHARED = REPO.parent / "shared" / "data"
TIKTOK = SHARED / "tiktok-trending-2020" / "trending.json"
TIKTOK_VN = SHARED / "tiktok-vn-2025" / "raw_data.csv"
JURISDICTIONS = ("us", "kr", "uk")


def demo_posts() -> pd.DataFrame:
    from creatorlens.demo import generate_demo

    data = generate_demo(seed=2026, creators=600, posts_per_creator=30)
    posts: pd.DataFrame = data.posts.to_pandas()
    comments = data.comments.to_pandas()
    creators = data.creators.to_pandas()[["creator_id", "handle"]]
    # the creator's own comments, as the disclosure step joins them
    own = comments.merge(posts[["post_id", "creator_id"]], on="post_id").merge(creators, on="creator_id")
    own = own[
        own["author"].str.lower().str.lstrip().str.replace("@", "")
        == own["handle"].str.lower().str.replace("@", "")
    ]
    own_text = own.groupby("post_id", as_index=False)["text"].agg(lambda t: "\n".join(t.fillna("")))
    posts = posts.merge(own_text.rename(columns={"text": "comments_text"}), on="post_id", how="left")
    present = ["post_id", *[f for f in POST_FIELDS if f in posts.columns]]
    return posts[present].sort_values("post_id", ignore_index=True)


def fixture_posts() -> pd.DataFrame:
    rows = []
    for case in tomllib.loads(FIXTURE.read_text("utf-8"))["case"]:
        row = {k: v for k, v in case.items() if k not in {"id", "expect", "note"}}
        if "transcript" in row:
            row["transcript"] = json.dumps(row["transcript"], ensure_ascii=False)
        row["post_id"] = case["id"]
        rows.append(row)
    return pd.DataFrame(rows)


def fixture_pairs() -> pd.DataFrame:
    captions = [c for c in fixture_posts()["caption"].fillna("").tolist() if c]
    rng = random.Random(7)
    glued = [
        rng.choice(captions) + rng.choice(["\n", " ", "\n\n", " | "]) + rng.choice(captions)
        for _ in range(20_000)
    ]
    return pd.DataFrame({"post_id": range(len(glued)), "caption": glued})


def tiktok_posts() -> pd.DataFrame:
    videos = json.loads(TIKTOK.read_text("utf-8"))["collector"]
    return pd.DataFrame({"post_id": range(len(videos)), "caption": [v.get("text") or "" for v in videos]})


def tiktok_vn_posts() -> pd.DataFrame:
    vn = pd.read_csv(TIKTOK_VN, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {"post_id": range(len(vn)), "caption": vn["vid_caption"], "hashtags": vn["vid_hashtags"]
         .str.replace(",", " ")}
    )  # fmt: skip


def corpora() -> dict[str, Callable[[], pd.DataFrame]]:
    out: dict[str, Callable[[], pd.DataFrame]] = {
        "demo": demo_posts,
        "fixture": fixture_posts,
        "fixture_pairs": fixture_pairs,
    }
    if TIKTOK.exists():
        out["tiktok_trending_2020"] = tiktok_posts
    if TIKTOK_VN.exists():
        out["tiktok_vn_2025"] = tiktok_vn_posts
    return out


def verdicts(posts: pd.DataFrame) -> pd.DataFrame:
    frame = check_disclosure(posts, JURISDICTIONS)
    frame["post_id"] = frame["post_id"].astype(str)
    return frame


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"save", "compare"}:
        print(__doc__)
        return 2
    mode, folder = argv[0], Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, build in corpora().items():
        current = verdicts(build())
        path = folder / f"{name}.parquet"
        if mode == "save":
            current.to_parquet(path, index=False)
            sponsored = int(current.drop_duplicates("post_id")["sponsored"].sum())
            print(f"{name}: {len(current)} rows, {sponsored} sponsored posts -> {path}")
            continue
        saved = pd.read_parquet(path)
        try:
            pd.testing.assert_frame_equal(current, saved, check_dtype=False)
        except AssertionError as error:
            failed += 1
            diff = current.compare(saved) if current.shape == saved.shape else None
            print(f"{name}: DIFFERENT\n{error}\n{diff if diff is not None else ''}")
            continue
        counts = current["verdict"].value_counts().to_dict()
        print(f"{name}: identical ({len(current)} rows; {counts})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
