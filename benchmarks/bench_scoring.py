"""Foundation benchmark: score 200K creators x 30 posts (6M posts) and ingest a 1M-row CSV.

Contenders for scoring, all computing the same per-creator metrics over the same window (latest 30
posts at least 7 days old when observed):

- creatorlens: ``Workspace.score()`` on a workspace holding the data (the load is timed apart);
- pandas: the code a user would write (read_parquet, sort, groupby head, agg, merge);
- DuckDB SQL written by hand (row_number window + group by with median), the floor.

The three results are compared on a sample of creators before any number is reported. Each
contender runs in its own process so its peak RSS is its own.

Run: ``.venv/bin/python benchmarks/bench_scoring.py`` (``--creators N`` for a smaller trial).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DATA_DIR,
    Measurement,
    PhaseTimer,
    child_main,
    fmt_rate,
    fmt_seconds,
    library_versions,
    load_average,
    machine_facts,
    markdown_table,
    run_isolated,
    utc_now,
    write_section,
)

SEED = 20250701
POSTS_PER_CREATOR = 30
DEFAULT_CREATORS = 200_000
CSV_ROWS = 1_000_000
LAST_N = 30
MIN_AGE_DAYS = 7
SAMPLE_CREATORS = 2_000
DATA_VERSION = 1  # bump when the generator changes, so cached files are rebuilt
SCRAPE_START = datetime(2025, 7, 1)
HISTORY_DAYS = 182

#: The metrics every contender computes, by their scorecard names.
METRICS = (
    "n_posts",
    "eng_lc_mean", "eng_lc_median", "eng_lcs_mean", "eng_lcs_median",
    "er_followers_lc_mean", "er_followers_lc_median",
    "er_followers_lcs_mean", "er_followers_lcs_median",
    "er_views_lc_mean", "er_views_lc_median", "er_views_lcs_mean", "er_views_lcs_median",
    "avg_views", "avg_likes", "avg_comments", "avg_shares", "comments_per_100_likes",
)  # fmt: skip
#: Metrics the scorecard stores (the engagement sums are an intermediate it does not keep).
SCORECARD_METRICS = tuple(m for m in METRICS if not m.startswith("eng_"))


# -- data ----------------------------------------------------------------------------------------
def data_paths(n_creators: int, csv_rows: int) -> dict[str, Path]:
    base = DATA_DIR / f"v{DATA_VERSION}-{n_creators}-{csv_rows}"
    return {
        "dir": base,
        "creators": base / "creators.parquet",
        "posts": base / "posts.parquet",
        "snapshots": base / "follower_snapshots.parquet",
        "csv": base / "tiktok_posts.csv",
        "workspace": base / "workspace.duckdb",
    }


def _strings(prefix: str, numbers: np.ndarray, width: int = 0) -> pa.Array:
    text = pc.cast(pa.array(numbers), pa.string())
    if width:
        text = pc.utf8_lpad(text, width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def generate(n_creators: int, csv_rows: int) -> dict[str, Path]:
    """Write the data set (seeded, so every run builds the same bytes) unless it is cached."""
    paths = data_paths(n_creators, csv_rows)
    if all(paths[k].exists() for k in ("creators", "posts", "snapshots", "csv")):
        return paths
    paths["dir"].mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    n = n_creators
    platforms = np.array(["tiktok", "instagram", "youtube"])
    platform_idx = rng.choice(3, size=n, p=[0.5, 0.35, 0.15])
    platform = platforms[platform_idx]
    handles = _strings("c", np.arange(n), width=7)
    creator_id = pc.binary_join_element_wise(pa.array(platform), handles, ":")
    # Follower counts are heavy-tailed: log-normal with a median near 13K and a long right tail.
    followers = np.exp(rng.normal(9.5, 1.9, size=n)).round().astype(np.int64)
    followers_null = rng.random(n) < 0.005
    followers[rng.random(n) < 0.002] = 0
    scraped = np.datetime64(SCRAPE_START) + (rng.random(n) * 3 * 86400).astype("timedelta64[s]")
    countries = np.array(["US", "KR", "VN", "BR", "IN", "ID", "GB", "DE", "JP", "MX"])
    categories = np.array(["beauty", "gaming", "food", "travel", "fitness", "tech", "fashion"])
    creators = pa.table(
        {
            "creator_id": creator_id,
            "platform": pa.array(platform),
            "handle": handles,
            "platform_id": _strings("", np.arange(n) + 6_000_000_000),
            "display_name": pc.binary_join_element_wise(pa.scalar("Creator "), handles, ""),
            "bio": pa.array(["links below | collabs by email"] * n, mask=rng.random(n) < 0.3),
            "followers": pa.array(followers, mask=followers_null),
            "following": pa.array(np.exp(rng.normal(6, 1.5, size=n)).round().astype(np.int64)),
            "posts_count": pa.array(rng.integers(30, 3000, size=n)),
            "verified": pa.array(rng.random(n) < 0.03),
            "country": pa.array(countries[rng.integers(0, len(countries), size=n)]),
            "language": pa.array(["en"] * n, mask=rng.random(n) < 0.2),
            "categories": pa.array(categories[rng.integers(0, len(categories), size=n)]),
            "observed_at": pa.array(scraped.astype("datetime64[us]")),
            "source_file": pa.array(["bench"] * n),
        }
    )
    pq.write_table(creators, paths["creators"])

    # Three snapshots per creator, 30 days apart, so growth is computed as in a real workspace.
    snap_offsets = np.array([-60, -30, 0]) * 86400
    snap_at = (scraped[:, None] + snap_offsets.astype("timedelta64[s]")).ravel()
    growth = 1 + rng.normal(0.02, 0.03, size=(n, 1)) * np.array([-2, -1, 0])
    snap_followers = (followers[:, None] * growth).round().astype(np.int64).ravel()
    snapshots = pa.table(
        {
            "creator_id": pc.take(creator_id, pa.array(np.repeat(np.arange(n), 3))),
            "observed_at": pa.array(snap_at.astype("datetime64[us]")),
            "followers": pa.array(snap_followers, mask=np.repeat(followers_null, 3)),
            "following": pa.array(np.zeros(3 * n, dtype=np.int64)),
            "posts_count": pa.array(np.zeros(3 * n, dtype=np.int64)),
            "source_file": pa.array(["bench"] * (3 * n)),
        }
    )
    pq.write_table(snapshots, paths["snapshots"])
    del snapshots

    k = POSTS_PER_CREATOR
    m = n * k
    owner = np.repeat(np.arange(n), k)
    # Posting times: 30 distinct instants per creator over the 6 months before the scrape, so the
    # newest ~4% are younger than 7 days and fall outside the window; no two posts of a creator
    # share a second, so "latest 30" is the same set for every contender.
    offsets = np.sort(rng.random((n, k)) * HISTORY_DAYS * 86400, axis=1).astype(np.int64)
    offsets = offsets + np.arange(k)[None, :]
    posted_at = (scraped[:, None] - (HISTORY_DAYS * 86400 + k - offsets).astype("timedelta64[s]")).ravel()
    post_observed = np.repeat(scraped, k)
    post_plat = platform_idx[owner]
    # Per-creator reach rate times per-post log-normal noise, with rare viral posts.
    base_views = np.maximum(followers, 50)[owner] * np.exp(rng.normal(-1.0, 0.8, size=n))[owner]
    noise = np.exp(rng.normal(0, 0.9, size=m)) * np.where(rng.random(m) < 0.01, 20.0, 1.0)
    views = (base_views * noise).round().astype(np.int64)
    like_rate = np.exp(rng.normal(-2.9, 0.5, size=n))[owner] * np.exp(rng.normal(0, 0.35, size=m))
    likes = (views * np.minimum(like_rate, 0.9)).round().astype(np.int64)
    comments = (likes * np.exp(rng.normal(-4.0, 0.7, size=m))).round().astype(np.int64)
    shares = (likes * np.exp(rng.normal(-2.8, 0.8, size=m))).round().astype(np.int64)
    saves = (likes * np.exp(rng.normal(-2.5, 0.8, size=m))).round().astype(np.int64)
    kinds_by_platform = [
        np.array(["video"]),
        np.array(["photo", "carousel", "reel"]),
        np.array(["video", "short"]),
    ]
    kind = np.empty(m, dtype=object)
    for p, options in enumerate(kinds_by_platform):
        where = post_plat == p
        kind[where] = options[rng.integers(0, len(options), size=int(where.sum()))]
    # Realistic gaps: Instagram photos/carousels have no views and Instagram hides shares; likes
    # are hidden on some posts; a few views are 0 (a removed video) and some counts are missing.
    is_ig_still = (post_plat == 1) & (kind != "reel")
    views_null = is_ig_still | (rng.random(m) < 0.01)
    views[rng.random(m) < 0.002] = 0
    likes_null = rng.random(m) < 0.01
    comments_null = rng.random(m) < 0.005
    shares_null = (post_plat == 1) | (rng.random(m) < 0.01)
    saves_null = (post_plat == 2) | (rng.random(m) < 0.05)
    reach = np.where(post_plat == 1, (views * 0.8).round(), 0).astype(np.int64)
    reach_null = (post_plat != 1) | (rng.random(m) < 0.7)
    post_number = np.arange(m, dtype=np.int64) + 7_300_000_000_000_000_000
    plat_names = pa.array(platforms[post_plat])
    platform_post_id = _strings("", post_number)
    observed_null = rng.random(m) < 0.001
    captions = pa.array([f"day {i} of my routine #tag{i % 50} #fyp" for i in range(997)])
    hashtags = pa.array([f"tag{i % 50} fyp" for i in range(997)])
    caption_pick = pa.array(rng.integers(0, 997, size=m))
    posts = pa.table(
        {
            "post_id": pc.binary_join_element_wise(plat_names, platform_post_id, ":"),
            "creator_id": pc.take(creator_id, pa.array(owner)),
            "platform": plat_names,
            "platform_post_id": platform_post_id,
            "posted_at": pa.array(posted_at.astype("datetime64[us]")),
            "kind": pa.array(kind.astype(str)),
            "caption": pc.take(captions, caption_pick),
            "hashtags": pc.take(hashtags, caption_pick),
            "duration_s": pa.array(
                np.where(is_ig_still, np.nan, rng.integers(5, 600, size=m)), from_pandas=True
            ),
            "views": pa.array(views, mask=views_null),
            "likes": pa.array(likes, mask=likes_null),
            "comments": pa.array(comments, mask=comments_null),
            "shares": pa.array(shares, mask=shares_null),
            "saves": pa.array(saves, mask=saves_null),
            "reach": pa.array(reach, mask=reach_null),
            "is_paid": pa.array(rng.random(m) < 0.04),
            "observed_at": pa.array(post_observed.astype("datetime64[us]"), mask=observed_null),
            "source_file": pa.array(["bench"] * m),
        }
    )
    pq.write_table(posts, paths["posts"], row_group_size=1_000_000)

    # The CSV a user would export from a TikTok scraper: the first TikTok creators' posts, with
    # follower counts written the way scrapers print them ("304.9K") on every tenth row.
    tiktok = pc.equal(posts["platform"], "tiktok")
    tk = posts.filter(tiktok).slice(0, csv_rows)
    owner_rows = pc.index_in(tk["creator_id"], creators["creator_id"])
    tk_followers = pc.take(creators["followers"], owner_rows)
    followers_text = pc.cast(tk_followers, pa.string())
    short = pc.binary_join_element_wise(
        pc.cast(pc.round(pc.divide(pc.cast(tk_followers, pa.float64()), 1000.0), 1), pa.string()),
        "K",
        "",
    )
    every_tenth = pa.array(np.arange(tk.num_rows) % 10 == 0)
    csv_table = pa.table(
        {
            "user_name": pc.take(creators["handle"], owner_rows),
            "user_nfollower": pc.if_else(every_tenth, short, followers_text),
            "vid_id": tk["platform_post_id"],
            "vid_caption": tk["caption"],
            "vid_postTime": pc.strftime(
                pc.cast(tk["posted_at"], pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S"
            ),
            "vid_scrapeTime": pc.strftime(
                pc.cast(tk["observed_at"], pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S"
            ),
            "vid_nview": tk["views"],
            "vid_nlike": tk["likes"],
            "vid_ncomment": tk["comments"],
            "vid_nshare": tk["shares"],
            "vid_nsave": tk["saves"],
            "vid_hashtags": tk["hashtags"],
        }
    )
    pacsv.write_csv(csv_table, paths["csv"])
    return paths


# -- contenders (each runs in its own process: ``--child NAME JSON``) ------------------------------
def _opts(argv: list[str]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(argv[0])
    return parsed


def _write_sample(table: pa.Table, sample_path: str, out_path: str) -> None:
    """Keep the rows of the sampled creators, for the cross-check in the parent."""
    ids = pq.read_table(sample_path).column("creator_id")
    pq.write_table(table.filter(pc.is_in(table["creator_id"], value_set=ids)), out_path)


def child_generate(argv: list[str]) -> None:
    opts = _opts(argv)
    timer = PhaseTimer()
    with timer.phase("generate"):
        generate(opts["creators"], opts["csv_rows"])
    timer.report()


def _fresh_file(path: str) -> Path:
    """A database path with no file (nor write-ahead log) left from an earlier run."""
    database = Path(path)
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return database


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def child_load(argv: list[str]) -> None:
    """Load the Parquet files into a fresh workspace file (the tables keep their primary keys)."""
    import creatorlens
    from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS, POSTS

    opts = _opts(argv)
    workspace = _fresh_file(opts["workspace"])
    timer = PhaseTimer()
    with timer.phase("open"):
        ws = creatorlens.open(workspace)
    rows = {}
    with timer.phase("load"):
        with ws.store.transaction():
            for spec, key in (
                (CREATORS, "creators"),
                (POSTS, "posts"),
                (FOLLOWER_SNAPSHOTS, "snapshots"),
            ):
                present = set(pq.read_schema(opts[key]).names)
                sql_types = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE",
                             "bool": "BOOLEAN", "timestamp": "TIMESTAMP"}  # fmt: skip
                select = ", ".join(
                    f'"{c}"' if c in present else f'CAST(NULL AS {sql_types[t]}) AS "{c}"'
                    for c, t in spec.columns.items()
                )
                quoted = ", ".join(f'"{c}"' for c in spec.columns)
                ws.store.exec(
                    f'INSERT INTO "{spec.name}" ({quoted}) SELECT {select} '
                    f"FROM read_parquet({_sql_literal(opts[key])})"
                )
                rows[spec.name] = int(ws.store.scalar(f'SELECT count(*) FROM "{spec.name}"'))
        ws.store.exec("CHECKPOINT")
    ws.close()
    timer.report(rows=rows)


def child_creatorlens(argv: list[str]) -> None:
    """``Workspace.score()``: the scorecard only (the capability steps are other benchmarks')."""
    import creatorlens

    opts = _opts(argv)
    timer = PhaseTimer()
    with timer.phase("open"):
        ws = creatorlens.open(opts["workspace"])
    with timer.phase("score"):
        report = ws.score(steps=())
    if opts.get("sample_out"):
        scorecard = ws.store.table("scorecard").select("creator_id", *SCORECARD_METRICS).to_pyarrow()
        _write_sample(scorecard, opts["sample"], opts["sample_out"])
    ws.close()
    # score() times its own steps; "engagement" is the scorecard alone, the rest of the call
    # materialises the read view (scorecard joined with the capability tables) for searches.
    steps = {k: float(v) for k, v in getattr(report, "seconds", {}).items()}
    timer.report(creators=report.creators, steps=steps)


def child_creatorlens_profile(argv: list[str]) -> None:
    """Where ``score()`` spends its time: compile, execute, write, and its parts one by one.

    The window step is timed on the same posts as creatorlens builds it (``row_number() - 1 <
    30``: Ibis numbers rows from 0) and as a DuckDB user writes it (``QUALIFY row_number() <=
    30``), which DuckDB rewrites into a per-group top-N instead of sorting every post.
    """
    import ibis

    import creatorlens
    from creatorlens.metrics import (
        Window,
        creator_engagement,
        post_engagement_metrics,
        scorecard_expr,
        windowed_posts,
    )
    from creatorlens.tiers import TierScheme

    opts = _opts(argv)
    timer = PhaseTimer()
    ws = creatorlens.open(opts["workspace"])
    store = ws.store
    creators, posts, snaps = (store.table(n) for n in ("creators", "posts", "follower_snapshots"))
    window = Window(last_n=LAST_N, min_age_days=MIN_AGE_DAYS)
    with timer.phase("build the Ibis expression and compile it to SQL"):
        expr = scorecard_expr(creators, posts, snaps, scheme=TierScheme.load("seed"), window=window)
        sql = str(ibis.to_sql(expr, dialect="duckdb"))
    with timer.phase("scorecard: run in the engine into a table (CREATE TABLE AS)"):
        store.replace_table("bench_profile_scorecard", expr)
    store.exec("DROP TABLE bench_profile_scorecard")
    counted = ("views", "likes", "comments", "shares")
    with timer.phase("latest-30 window alone, as creatorlens builds it"):
        w = windowed_posts(posts, window)
        store.ibis.to_pyarrow(w.aggregate(**{c: w[c].sum() for c in counted}))
    with timer.phase("latest-10 window alone, as creatorlens builds it (every creator ranked)"):
        w = windowed_posts(posts, Window(last_n=10, min_age_days=MIN_AGE_DAYS))
        store.ibis.to_pyarrow(w.aggregate(**{c: w[c].sum() for c in counted}))
    eligible = (
        f"posted_at IS NOT NULL AND (observed_at IS NULL OR "
        f"posted_at <= observed_at - INTERVAL {MIN_AGE_DAYS} DAY)"
    )
    with timer.phase("latest-30 window alone, as hand SQL writes it (top-N rewrite)"):
        store.exec(
            "SELECT " + ", ".join(f"sum({c})" for c in counted) + " FROM (SELECT * FROM posts "
            f"WHERE {eligible} QUALIFY row_number() OVER (PARTITION BY creator_id "
            f"ORDER BY posted_at DESC) <= {LAST_N})"
        )
    with timer.phase("latest-30 window alone, hand SQL with the post_id tie-break"):
        store.exec(
            "SELECT " + ", ".join(f"sum({c})" for c in counted) + " FROM (SELECT * FROM posts "
            f"WHERE {eligible} QUALIFY row_number() OVER (PARTITION BY creator_id "
            f"ORDER BY posted_at DESC, post_id) <= {LAST_N})"
        )
    with timer.phase("post aggregates (window + group by: 7 medians, 10 means)"):
        store.ibis.to_pyarrow(post_engagement_metrics(posts, creators, window))
    with timer.phase("creator_engagement (aggregates + join + ERs + null reasons)"):
        store.ibis.to_pyarrow(creator_engagement(creators, posts, window))
    ws.close()
    timer.report(sql_chars=len(sql), windows=sql.count("OVER ("), medians=sql.count("QUANTILE_CONT"))


def _pandas_scores(posts_path: str, creators_path: str, timer: PhaseTimer) -> Any:
    """The code a pandas user would write for these metrics."""
    import pandas as pd

    with timer.phase("read"):
        posts = pd.read_parquet(
            posts_path,
            columns=[
                "creator_id",
                "posted_at",
                "observed_at",
                "views",
                "likes",
                "comments",
                "shares",
            ],
        )
        creators = pd.read_parquet(creators_path, columns=["creator_id", "followers"])
    with timer.phase("compute"):
        old_enough = posts["observed_at"].isna() | (
            posts["posted_at"] <= posts["observed_at"] - pd.Timedelta(days=MIN_AGE_DAYS)
        )
        posts = posts[posts["posted_at"].notna() & old_enough]
        posts = posts.sort_values(["creator_id", "posted_at"], ascending=[True, False])
        window = posts.groupby("creator_id").head(LAST_N).copy()
        window["eng_lc"] = window["likes"] + window["comments"]
        window["eng_lcs"] = window["eng_lc"] + window["shares"]
        views = window["views"].where(window["views"] > 0)
        window["ev_lc"] = window["eng_lc"] / views
        window["ev_lcs"] = window["eng_lcs"] / views
        agg = window.groupby("creator_id").agg(
            n_posts=("posted_at", "size"),
            eng_lc_mean=("eng_lc", "mean"),
            eng_lc_median=("eng_lc", "median"),
            eng_lcs_mean=("eng_lcs", "mean"),
            eng_lcs_median=("eng_lcs", "median"),
            er_views_lc_mean=("ev_lc", "mean"),
            er_views_lc_median=("ev_lc", "median"),
            er_views_lcs_mean=("ev_lcs", "mean"),
            er_views_lcs_median=("ev_lcs", "median"),
            avg_views=("views", "mean"),
            avg_likes=("likes", "mean"),
            avg_comments=("comments", "mean"),
            avg_shares=("shares", "mean"),
            sum_likes=("likes", "sum"),
            sum_comments=("comments", "sum"),
        )
        out = creators.merge(agg, on="creator_id", how="left")
        out["n_posts"] = out["n_posts"].fillna(0).astype("int64")
        for variant in ("lc", "lcs"):
            for stat in ("mean", "median"):
                out[f"er_followers_{variant}_{stat}"] = out[f"eng_{variant}_{stat}"] / out["followers"]
        out["comments_per_100_likes"] = out["sum_comments"] * 100 / out["sum_likes"]
        out = out.replace([np.inf, -np.inf], np.nan)
    return out


def child_pandas(argv: list[str]) -> None:
    opts = _opts(argv)
    timer = PhaseTimer()
    out = _pandas_scores(opts["posts"], opts["creators"], timer)
    if opts.get("sample_out"):
        table = pa.Table.from_pandas(out[["creator_id", *METRICS]], preserve_index=False)
        _write_sample(table, opts["sample"], opts["sample_out"])
    timer.report(creators=len(out))


def hand_sql(posts: str, creators: str, *, tie_break: bool = False) -> str:
    """The floor: one query a DuckDB user would write for the same metrics.

    ``tie_break`` orders posts with the same ``posted_at`` by ``post_id`` as creatorlens does (so
    the window is the same on every engine); the generated data has no such ties, so both forms
    give the same result here, but only the form without it gets DuckDB's top-N window rewrite.
    """
    order = "posted_at DESC, post_id" if tie_break else "posted_at DESC"
    return f"""
    WITH w AS (
        SELECT creator_id, views, likes, comments, shares,
               likes + comments AS eng_lc, likes + comments + shares AS eng_lcs
        FROM {posts}
        WHERE posted_at IS NOT NULL
          AND (observed_at IS NULL OR posted_at <= observed_at - INTERVAL {MIN_AGE_DAYS} DAY)
        QUALIFY row_number() OVER (PARTITION BY creator_id ORDER BY {order}) <= {LAST_N}
    ), a AS (
        SELECT creator_id, count(*) AS n_posts,
               avg(eng_lc) AS eng_lc_mean, median(eng_lc) AS eng_lc_median,
               avg(eng_lcs) AS eng_lcs_mean, median(eng_lcs) AS eng_lcs_median,
               avg(CASE WHEN views > 0 THEN eng_lc / views END) AS er_views_lc_mean,
               median(CASE WHEN views > 0 THEN eng_lc / views END) AS er_views_lc_median,
               avg(CASE WHEN views > 0 THEN eng_lcs / views END) AS er_views_lcs_mean,
               median(CASE WHEN views > 0 THEN eng_lcs / views END) AS er_views_lcs_median,
               avg(views) AS avg_views, avg(likes) AS avg_likes, avg(comments) AS avg_comments,
               avg(shares) AS avg_shares, sum(likes) AS sum_likes, sum(comments) AS sum_comments
        FROM w GROUP BY creator_id
    )
    SELECT c.creator_id, coalesce(a.n_posts, 0) AS n_posts,
           eng_lc_mean, eng_lc_median, eng_lcs_mean, eng_lcs_median,
           eng_lc_mean / nullif(c.followers, 0) AS er_followers_lc_mean,
           eng_lc_median / nullif(c.followers, 0) AS er_followers_lc_median,
           eng_lcs_mean / nullif(c.followers, 0) AS er_followers_lcs_mean,
           eng_lcs_median / nullif(c.followers, 0) AS er_followers_lcs_median,
           er_views_lc_mean, er_views_lc_median, er_views_lcs_mean, er_views_lcs_median,
           avg_views, avg_likes, avg_comments, avg_shares,
           100.0 * sum_comments / nullif(sum_likes, 0) AS comments_per_100_likes
    FROM {creators} AS c LEFT JOIN a USING (creator_id)
    """


def child_sql(argv: list[str]) -> None:
    """Hand-written SQL over the workspace's tables (``source=workspace``) or the Parquet files."""
    import duckdb

    opts = _opts(argv)
    timer = PhaseTimer()
    with timer.phase("open"):
        if opts["source"] == "workspace":
            con = duckdb.connect(opts["workspace"])
            query = hand_sql("posts", "creators", tie_break=bool(opts.get("tie_break")))
        else:
            con = duckdb.connect()
            query = hand_sql(
                f"read_parquet({_sql_literal(opts['posts'])})",
                f"read_parquet({_sql_literal(opts['creators'])})",
            )
    with timer.phase("score"):
        con.execute(f"CREATE OR REPLACE TABLE bench_hand_scores AS {query}")
    if opts.get("sample_out"):
        table = con.execute("SELECT * FROM bench_hand_scores").to_arrow_table()
        _write_sample(table, opts["sample"], opts["sample_out"])
    creators = con.execute("SELECT count(*) FROM bench_hand_scores").fetchone()
    con.execute("DROP TABLE bench_hand_scores")
    con.close()
    timer.report(creators=int(creators[0]) if creators else 0)


def child_ingest_creatorlens(argv: list[str]) -> None:
    opts = _opts(argv)
    if opts.get("src"):  # another checkout's creatorlens (``--before-src``: the code before a change)
        sys.path.insert(0, opts["src"])
    import creatorlens

    workspace = _fresh_file(opts["workspace"])
    timer = PhaseTimer()
    ws = creatorlens.open(workspace)
    with timer.phase("ingest"):
        report = ws.ingest(opts["csv"], platform="tiktok")
    counts = {
        t: int(ws.store.scalar(f"SELECT count(*) FROM {t}"))
        for t in ("posts", "creators", "follower_snapshots", "quarantine", "value_notes")
    }
    ws.close()
    timer.report(
        rows_read=report.rows_read,
        rows_loaded=report.rows_loaded,
        rows_quarantined=report.rows_quarantined,
        counts=counts,
    )


def child_ingest_pandas(argv: list[str]) -> None:
    """Baseline: pandas.read_csv, then the frame inserted into a DuckDB file as it is."""
    import duckdb
    import pandas as pd

    opts = _opts(argv)
    workspace = _fresh_file(opts["workspace"])
    timer = PhaseTimer()
    with timer.phase("ingest"):
        frame = pd.read_csv(opts["csv"])
        con = duckdb.connect(str(workspace))
        con.register("frame", frame)
        con.execute("CREATE TABLE posts AS SELECT * FROM frame")
        con.unregister("frame")
        con.close()
    timer.report(rows_loaded=len(frame))


def child_ingest_duckdb(argv: list[str]) -> None:
    """Floor: DuckDB's own CSV reader straight into a table, no parsing of '12.7K' or checks."""
    import duckdb

    opts = _opts(argv)
    workspace = _fresh_file(opts["workspace"])
    timer = PhaseTimer()
    with timer.phase("ingest"):
        con = duckdb.connect(str(workspace))
        con.execute(f"CREATE TABLE posts AS SELECT * FROM read_csv({_sql_literal(opts['csv'])})")
        loaded = con.execute("SELECT count(*) FROM posts").fetchone()
        con.close()
    timer.report(rows_loaded=int(loaded[0]) if loaded else 0)


CHILDREN = {
    "generate": child_generate,
    "load": child_load,
    "creatorlens": child_creatorlens,
    "creatorlens-profile": child_creatorlens_profile,
    "pandas": child_pandas,
    "sql": child_sql,
    "ingest-creatorlens": child_ingest_creatorlens,
    "ingest-pandas": child_ingest_pandas,
    "ingest-duckdb": child_ingest_duckdb,
}


# -- the run -------------------------------------------------------------------------------------
def _child(name: str, **opts: Any) -> Measurement:
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", name, json.dumps(opts)]
    label = opts.pop("label", name)
    print(f"  running {label} ...", flush=True)
    result = run_isolated(label, argv)
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in result.phases.items())
    print(f"    {phases}; peak RSS {result.peak_rss_gb:.2f} GB", flush=True)
    return result


def _best(runs: list[Measurement], phase: str) -> Measurement:
    """The median run by the timed phase (runs repeated to smooth out a noisy machine)."""
    ordered = sorted(runs, key=lambda r: r.phases[phase])
    return ordered[len(ordered) // 2]


def compare_samples(reference: Path, other: Path, metrics: tuple[str, ...]) -> tuple[int, list[str]]:
    """Rows compared and the mismatches (value pairs) between two contenders' sampled results."""
    left = pq.read_table(reference).to_pandas().set_index("creator_id").sort_index()
    right = pq.read_table(other).to_pandas().set_index("creator_id").sort_index()
    problems = []
    if list(left.index) != list(right.index):
        problems.append(f"creators differ: {len(left)} vs {len(right)} rows")
        return len(left), problems
    for metric in metrics:
        a = left[metric].astype("float64").to_numpy()
        b = right[metric].astype("float64").to_numpy()
        same = np.isclose(a, b, rtol=1e-9, atol=1e-12) | (np.isnan(a) & np.isnan(b))
        for i in np.flatnonzero(~same)[:3]:
            problems.append(f"{metric} for {left.index[i]}: {a[i]!r} vs {b[i]!r}")
    return len(left), problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=DEFAULT_CREATORS)
    parser.add_argument("--csv-rows", type=int, default=CSV_ROWS)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the fast contenders (median kept)")
    parser.add_argument("--no-profile", action="store_true", help="skip the breakdown of score()")
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument(
        "--ingest-only",
        action="store_true",
        help="only the ingest contenders; replaces the ingest block of the section",
    )
    parser.add_argument(
        "--before-src",
        help="with --ingest-only: also time the creatorlens in this src/ folder (e.g. main's "
        "checkout before a change), in the same run",
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="print the section instead of updating BENCHMARKS.md",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    load_before = load_average()
    if load_before > 0.8:
        print(f"warning: load average {load_before:.2f}; other jobs may skew the timings", flush=True)
    paths = data_paths(args.creators, args.csv_rows)
    print(f"data: {paths['dir']}", flush=True)
    gen = _child("generate", creators=args.creators, csv_rows=args.csv_rows)
    if args.ingest_only:
        return run_ingest_only(args, paths)
    run_dir = paths["dir"] / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    sample = run_dir / "sample_ids.parquet"
    creator_ids = pq.read_table(paths["creators"], columns=["creator_id"]).column("creator_id")
    step = max(1, creator_ids.length() // SAMPLE_CREATORS)
    pq.write_table(
        pa.table({"creator_id": creator_ids.take(pa.array(range(0, creator_ids.length(), step)))}),
        sample,
    )
    n_posts = pq.read_metadata(paths["posts"]).num_rows
    files = {k: str(paths[k]) for k in ("creators", "posts", "snapshots", "csv")}
    workspace = str(paths["workspace"])

    print("scoring", flush=True)
    load = _child("load", workspace=workspace, **files)
    outs = {name: str(run_dir / f"{name}.parquet") for name in ("creatorlens", "pandas", "sql")}
    cl_runs = [
        _child("creatorlens", workspace=workspace, sample=str(sample),
               sample_out=outs["creatorlens"] if i == 0 else None)
        for i in range(args.repeat)
    ]  # fmt: skip
    sql_runs = [
        _child("sql", label="sql (workspace)", source="workspace", workspace=workspace,
               sample=str(sample),
               sample_out=outs["sql"] if i == 0 else None)
        for i in range(args.repeat)
    ]  # fmt: skip
    sqltie_runs = [
        _child("sql", label="sql (workspace, post_id tie-break)", source="workspace",
               workspace=workspace, tie_break=True)
        for _ in range(args.repeat)
    ]  # fmt: skip
    sqlpq_runs = [
        _child("sql", label="sql (parquet)", source="parquet", sample=str(sample), **files)
        for _ in range(args.repeat)
    ]
    pandas = _child("pandas", sample=str(sample), sample_out=outs["pandas"], **files)

    checks = []
    for name, path, metrics in (
        ("pandas vs hand SQL", outs["pandas"], METRICS),
        ("creatorlens vs hand SQL", outs["creatorlens"], SCORECARD_METRICS),
    ):
        compared, problems = compare_samples(Path(outs["sql"]), Path(path), metrics)
        checks.append((name, compared, len(metrics), problems))
        status = "agree" if not problems else "DISAGREE: " + "; ".join(problems[:6])
        print(f"  check {name}: {compared} creators x {len(metrics)} metrics {status}", flush=True)
    agree = all(not c[3] for c in checks)

    profile = None
    if not args.no_profile:
        profile = _child("creatorlens-profile", workspace=workspace)

    ingest: list[Measurement] = []
    if not args.no_ingest:
        print("ingest", flush=True)
        for name in ("ingest-creatorlens", "ingest-pandas", "ingest-duckdb"):
            ingest.append(_child(name, workspace=str(run_dir / f"{name}.duckdb"), csv=files["csv"]))
    total = time.perf_counter() - started
    print(f"total {total:.0f} s", flush=True)

    cl, sql, sqlpq = _best(cl_runs, "score"), _best(sql_runs, "score"), _best(sqlpq_runs, "score")
    summary = {
        "creatorlens_score_s": cl.phases["score"],
        "pandas_total_s": pandas.phases["read"] + pandas.phases["compute"],
        "pandas_compute_s": pandas.phases["compute"],
        "sql_workspace_s": sql.phases["score"],
        "speedup_vs_pandas_compute": pandas.phases["compute"] / cl.phases["score"],
        "ratio_to_hand_sql": cl.phases["score"] / sql.phases["score"],
        "creatorlens_peak_rss_gb": cl.peak_rss_gb,
        "agree": agree,
    }
    print(json.dumps(summary, indent=1))
    sqltie = _best(sqltie_runs, "score")
    runs = (gen, load, cl, sql, sqltie, sqlpq, pandas)
    body = render(args, *runs, checks, profile, ingest, n_posts, load_before, total)
    if args.no_write:
        print(body)
    else:
        write_section("foundation-scoring", "Foundation: scoring and ingest", body, at_top=True)
        print("BENCHMARKS.md updated")
    return 0 if agree else 1


def render(
    args: argparse.Namespace,
    gen: Measurement,
    load: Measurement,
    cl: Measurement,
    sql: Measurement,
    sqltie: Measurement,
    sqlpq: Measurement,
    pandas: Measurement,
    checks: list[tuple[str, int, int, list[str]]],
    profile: Measurement | None,
    ingest: list[Measurement],
    n_posts: int,
    load_before: float,
    total: float,
) -> str:
    n = args.creators
    cl_s, sql_s = cl.phases["score"], sql.phases["score"]
    card_s = float(cl.extra.get("steps", {}).get("engagement", cl_s))
    pd_read, pd_compute = pandas.phases["read"], pandas.phases["compute"]
    pd_total = pd_read + pd_compute
    gb = 1024**3

    def target(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        f"Measured {utc_now()} on {machine_facts()}; load average {load_before:.2f} at the start. "
        f"{library_versions(['duckdb', 'ibis-framework', 'pandas', 'pyarrow', 'numpy'])}.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_scoring.py` (data are generated with a "
        "fixed "
        f"seed and cached in `benchmarks/.data/`; the whole run took {total / 60:.1f} min).",
        "",
        f"**Data:** {n:,} creators x {POSTS_PER_CREATOR} posts = {n_posts:,} posts over "
        f"{HISTORY_DAYS} days (TikTok 50%, Instagram 35%, YouTube 15%; log-normal followers and "
        "per-post counts with 1% viral posts; Instagram photos have no views and no shares; 0.5-1% "
        "of likes/comments/views/followers missing), 3 follower snapshots per creator. Generated "
        f"in {gen.phases['generate']:.0f} s; loaded from Parquet into the workspace file (tables "
        f"with their primary keys) in {load.phases['load']:.1f} s "
        f"(peak RSS {load.peak_rss_gb:.2f} GB), "
        "not counted below.",
        "",
        f"**Metrics (all contenders):** per creator over the latest {LAST_N} posts at least "
        f"{MIN_AGE_DAYS} days old when observed: n posts; mean and median of likes+comments and of "
        "likes+comments+shares; ER by followers (mean, median; both numerators); ER by views "
        "(mean, median of per-post eng/views over posts with views > 0); average views, likes, "
        "comments, shares; comments per 100 likes. Each contender runs in its own process; peak "
        "RSS is that process's `ru_maxrss`. creatorlens and hand SQL times are the median of "
        f"{args.repeat} run(s); each writes its result as a table in the workspace file.",
        "",
    ]
    rows = [
        ["creatorlens `Workspace.score()` (scorecard + read view)", fmt_seconds(cl_s),
         fmt_rate(n_posts, cl_s), f"{cl.peak_rss_bytes / gb:.2f} GB"],
        ["creatorlens scorecard step alone (`ScoreReport.seconds['engagement']`)",
         fmt_seconds(card_s), fmt_rate(n_posts, card_s), "(same process)"],
        ["hand-written DuckDB SQL on the workspace tables (floor)", fmt_seconds(sql_s),
         fmt_rate(n_posts, sql_s), f"{sql.peak_rss_bytes / gb:.2f} GB"],
        ["same, with creatorlens's post_id tie-break in the window order",
         fmt_seconds(sqltie.phases["score"]), fmt_rate(n_posts, sqltie.phases["score"]),
         f"{sqltie.peak_rss_bytes / gb:.2f} GB"],
        ["hand-written DuckDB SQL on the Parquet files", fmt_seconds(sqlpq.phases["score"]),
         fmt_rate(n_posts, sqlpq.phases["score"]), f"{sqlpq.peak_rss_bytes / gb:.2f} GB"],
        ["pandas: read_parquet + compute", fmt_seconds(pd_total), fmt_rate(n_posts, pd_total),
         f"{pandas.peak_rss_bytes / gb:.2f} GB"],
        ["pandas: compute only (after read_parquet)", fmt_seconds(pd_compute),
         fmt_rate(n_posts, pd_compute), "(same process)"],
    ]  # fmt: skip
    lines += [markdown_table(["contender", "time", "posts/s", "peak RSS"], rows), ""]
    speedup_compute, speedup_total, ratio = pd_compute / cl_s, pd_total / cl_s, cl_s / sql_s
    card_ratio = card_s / sql_s
    lines += [
        "| target | measured | |",
        "|---|---|---|",
        f"| creatorlens >= 10x faster than pandas | {speedup_compute:.1f}x vs pandas compute only; "
        f"{speedup_total:.1f}x vs pandas read+compute | {target(speedup_compute >= 10)} |",
        f"| creatorlens <= 1.5x the hand SQL | {ratio:.2f}x ({cl_s / sqltie.phases['score']:.2f}x "
        f"against the hand SQL with the same tie-break; scorecard step alone {card_ratio:.2f}x) "
        f"| {target(ratio <= 1.5)} |",
        f"| peak RSS < 3 GB | {cl.peak_rss_gb:.2f} GB | {target(cl.peak_rss_gb < 3)} |",
        "",
        f"On this 2-core machine the hand SQL floor itself is {pd_compute / sql_s:.1f}x faster "
        f"than pandas compute-only ({pd_total / sql_s:.1f}x read+compute): the 10x target is out "
        "of reach for any contender computing these metrics in one DuckDB process here. The 1.5x "
        "ratio counts against creatorlens everything the scorecard computes beyond the shared "
        "list (below).",
        "",
        "The scorecard computes more than the shared metric list (likes+comments+shares+saves "
        "variants, ER by reach, median views, view rate, posting cadence, follower growth from "
        "snapshots, tier, near-size peer group and tier percentiles, the published benchmark and "
        "a JSON of null reasons); the other contenders compute only the list above.",
        "",
        f"**Agreement** (checked in this run on a sample of {checks[0][1]:,} creators, every "
        f"{max(1, n // SAMPLE_CREATORS)}-th; relative tolerance 1e-9, nulls must match):",
        "",
    ]
    for name, compared, n_metrics, problems in checks:
        status = "agree" if not problems else "disagree: " + "; ".join(problems[:4])
        lines.append(f"- {name}: {compared:,} creators x {n_metrics} metrics, {status}.")
    lines.append("")
    if profile is not None:
        lines += [
            "**Where `score()` spends its time** (a separate process on the same workspace; each "
            "step is the Ibis expression the scorecard is built from, executed alone):",
            "",
            markdown_table(
                ["step", "time"],
                [[k, fmt_seconds(v)] for k, v in profile.phases.items()],
            ),
            "",
            diagnosis(profile, sql_s),
            "",
        ]
    if ingest:
        lines += render_ingest(ingest, data_paths(n, args.csv_rows)["csv"])
    return "\n".join(lines)


def render_ingest(ingest: list[Measurement], csv_path: Path) -> list[str]:
    """The ingest block of the section: the contenders' times and what creatorlens stored."""
    gb = 1024**3
    lines: list[str] = []
    if ingest:
        by_name = {m.name: m for m in ingest}
        cli = by_name["ingest-creatorlens"]
        rows_in = int(cli.extra.get("rows_read", 0))
        labels = {
            "ingest-creatorlens": 'creatorlens `ws.ingest(path, platform="tiktok")`',
            "ingest-creatorlens-before": "creatorlens before the columnar reader (row by row, "
            "`--before-src`)",
            "ingest-pandas": "pandas.read_csv + insert into DuckDB (baseline, no parsing)",
            "ingest-duckdb": "DuckDB read_csv into a table (floor, no parsing)",
        }
        table_rows = [
            [labels[m.name], fmt_seconds(m.phases["ingest"]), fmt_rate(rows_in, m.phases["ingest"]),
             f"{m.peak_rss_bytes / gb:.2f} GB"]
            for m in ingest
        ]  # fmt: skip
        counts = cli.extra.get("counts", {})
        csv_mb = csv_path.stat().st_size / 1024**2
        lines += [
            f"**Ingest:** a {rows_in:,}-row TikTok-scraper CSV "
            f"({csv_mb:.0f} MB; follower counts "
            "written like `12.7K` on every tenth row).",
            "",
            markdown_table(["contender", "time", "rows/s", "peak RSS"], table_rows),
            "",
            f"creatorlens read {cli.extra.get('rows_read', 0):,} rows: loaded "
            f"{cli.extra.get('rows_loaded', 0):,}, quarantined "
            f"{cli.extra.get('rows_quarantined', 0):,}; the workspace then holds "
            f"{counts.get('posts', 0):,} posts, {counts.get('creators', 0):,} creators and "
            f"{counts.get('follower_snapshots', 0):,} follower snapshots. It parses every count "
            "and date, maps the columns, derives creators and snapshots, and writes the file in "
            "one transaction; the baselines load the raw text columns as they are.",
            "",
        ]
    return lines


def run_ingest_only(args: argparse.Namespace, paths: dict[str, Path]) -> int:
    """``--ingest-only``: the three ingest contenders (median of ``--repeat`` runs each) on the
    cached CSV; prints the ingest block, or replaces it in BENCHMARKS.md's section."""
    load_before = load_average()
    run_dir = paths["dir"] / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    ingest: list[Measurement] = []
    names = ["ingest-creatorlens", "ingest-pandas", "ingest-duckdb"]
    if args.before_src:
        names.insert(1, "ingest-creatorlens-before")
    for name in names:
        child = "ingest-creatorlens" if name == "ingest-creatorlens-before" else name
        extra = {"src": args.before_src, "label": name} if child != name else {}
        runs = [
            _child(child, workspace=str(run_dir / f"{name}.duckdb"), csv=str(paths["csv"]), **extra)
            for _ in range(args.repeat)
        ]
        for run in runs:
            run.name = name
        ingest.append(sorted(runs, key=lambda m: m.phases["ingest"])[len(runs) // 2])
    block = render_ingest(ingest, paths["csv"])
    runs_text = f"median of {args.repeat} runs" if args.repeat > 1 else "one run"
    block[1:1] = [
        "",
        f"Ingest measured {utc_now()} ({runs_text} "
        f"each, same run for all contenders; load average {load_before:.2f} at the start) with "
        "`benchmarks/bench_scoring.py --ingest-only`.",
    ]
    text = "\n".join(block)
    if args.no_write:
        print(text)
        return 0
    bench = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
    doc = bench.read_text(encoding="utf-8")
    start = doc.index("**Ingest:**")
    end = doc.index("the baselines load the raw text columns as they are.", start)
    end = doc.index("\n", end) + 1
    bench.write_text(doc[:start] + text.rstrip("\n") + "\n" + doc[end:], encoding="utf-8")
    print(text)
    print("BENCHMARKS.md updated (ingest block)")
    return 0


def diagnosis(profile: Measurement, hand_s: float) -> str:
    """The causes of the gap to the hand SQL, in this run's numbers."""
    p = profile.phases
    win_cl = p["latest-30 window alone, as creatorlens builds it"]
    win_ranked = p["latest-10 window alone, as creatorlens builds it (every creator ranked)"]
    win_hand = p["latest-30 window alone, as hand SQL writes it (top-N rewrite)"]
    win_tie = p["latest-30 window alone, hand SQL with the post_id tie-break"]
    execute = p["scorecard: run in the engine into a table (CREATE TABLE AS)"]
    engagement = p["creator_engagement (aggregates + join + ERs + null reasons)"]
    aggregates = p["post aggregates (window + group by: 7 medians, 10 means)"]
    compile_s = p["build the Ibis expression and compile it to SQL"]
    return (
        f"Reading the table: (1) the latest-{LAST_N} window costs {win_cl:.1f} s as creatorlens "
        f"builds it against {win_hand:.1f} s as written by hand ({win_tie:.1f} s by hand with "
        "the post_id tie-break). creatorlens counts each creator's eligible posts (a hash "
        f"aggregate) and ranks only the creators with more than {LAST_N}; in this data set no "
        f"creator has more than {POSTS_PER_CREATOR} posts, so nothing is ranked. When every "
        f"creator must be ranked (the latest-10 window on the same posts) it costs "
        f"{win_ranked:.1f} s: Ibis numbers rows from 0, so its SQL is `ROW_NUMBER() OVER (...) "
        "- 1 AS _rank ... WHERE _rank < N` and the `- 1` hides the pattern DuckDB's top-N window "
        "rewrite looks for, and the window orders by `posted_at DESC, post_id` (the tie-break "
        "that makes DuckDB and PostgreSQL agree), and DuckDB 1.5 applies the rewrite to a single "
        "ORDER BY key only. "
        f"(2) The post aggregates take {aggregates:.1f} s with the window: the scorecard keeps "
        f"{profile.extra.get('medians', '?')} medians (likes+comments, +shares, +saves, per-view "
        "ERs, reach, views) where the shared metric list needs 4, and median is a holistic "
        "aggregate (each group's values are kept and sorted). "
        f"(3) Everything after the aggregates (joins, ER columns, null reasons, follower growth, "
        f"tiers, percentile windows over narrow rows, benchmarks, the descriptive columns, writing "
        f"the table) adds "
        f"{max(execute - aggregates, 0):.1f} s "
        f"({max(engagement - aggregates, 0):.1f} s up to creator_engagement). "
        f"(4) Building and compiling the {profile.extra.get('sql_chars', 0) / 1000:.0f} KB of "
        f"SQL takes {compile_s:.1f} s (whatever the data size); the result is written by the "
        "engine itself (`CREATE OR REPLACE TABLE ... AS`). `score()` then materialises the read "
        "view the web and `creators` query (the scorecard joined with the capability tables), "
        f"which the hand SQL does not do. The hand SQL computes the shared metrics in {hand_s:.1f} s."
    )

if __name__ == "__main__":
    if not child_main(CHILDREN):
        sys.exit(main())
