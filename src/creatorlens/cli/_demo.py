"""`creatorlens demo`: build the deterministic demo workspace, score it and show a summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    err_console,
    open_workspace,
    print_rows,
    score_step_count,
    step_progress,
    user_errors,
)

_TOP_COLUMNS = (
    "handle", "platform", "country", "followers", "er_followers_lc_median",
    "er_views_lc_median", "er_percentile_tier",
)  # fmt: skip
_TIERS = ("nano", "micro", "macro", "mega")


@app.command()
def demo(
    db: DbOption = DEFAULT_DB,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed builds the same data.")] = 7,
    creators: Annotated[int, typer.Option(min=1, help="Number of creators.")] = 20_000,
    posts: Annotated[int, typer.Option(min=1, help="Posts per creator.")] = 30,
    top: Annotated[int, typer.Option(min=0, help="Creators shown per tier.")] = 5,
) -> None:
    """Build a synthetic demo workspace (EN/KR creators on TikTok, Instagram, YouTube), score it."""
    with user_errors():
        started = time.perf_counter()
        ws = open_workspace(db, write=True)
        err_console.print(f"generating {creators:,} creators x {posts} posts (seed {seed}), then scoring")
        with step_progress(score_step_count()) as on_step:
            data, report = ws.demo(seed=seed, creators=creators, posts_per_creator=posts, on_step=on_step)
        elapsed = time.perf_counter() - started
        console.print(
            f"demo (seed {seed}): {data.creators.num_rows:,} creators, {data.posts.num_rows:,} "
            f"posts, {data.follower_snapshots.num_rows:,} follower snapshots, "
            f"{data.audience.num_rows:,} audience rows, {data.comments.num_rows:,} comments, "
            f"{data.edges.num_rows:,} follow edges; ground truth in demo_truth_creators / "
            f"demo_truth_events / demo_truth_posts / demo_truth_communities "
            f"({elapsed:.1f} s)"
        )
        if report is not None:
            steps = ", ".join(f"{name} {sec:.0f}s" for name, sec in report.seconds.items())
            console.print(f"scored {report.creators:,} creators; steps: {steps}")
        print_rows(ws.tiers().to_pyarrow(), title="Creators per platform and tier (seed scheme)")
        for tier in _TIERS if top else ():
            rows = ws.creators(tier=tier, sort="er_percentile_tier", limit=top)
            keep = [c for c in _TOP_COLUMNS if c in rows.columns]
            print_rows(
                rows.select(*keep).to_pyarrow(),
                title=f"Top {tier} creators (ER percentile in tier)",
            )
        ws.close()
        console.print(f"workspace: {Path(db).expanduser().resolve()}")
