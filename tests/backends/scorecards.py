"""Input tables for the cross-engine scorecard tests, and the column-by-column comparison.

Two data sets:

- ``edge_case_tables``: a seeded synthetic workspace built with ``conform`` that contains every
  case the metric spec treats specially (followers 0 / unknown / on tier boundaries, posts with
  missing or zero views, missing components, young posts, tied timestamps, more posts than the
  window, creators without posts with and without reported averages, several snapshots with some
  less than a day apart or outside the 90-day growth window, fractional-second timestamps) and
  crowds dense enough that near-size peer percentiles come out of both the fine and the coarse
  group.
- ``real_export_tables``: real exports from ../shared/data ingested with ``Workspace.ingest``
  (TikTok posts, the 12 monthly top-1000 ranking files = reported averages and several snapshots).
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

import creatorlens
from creatorlens.metrics import Window, scorecard_expr
from creatorlens.store import CREATORS, FOLLOWER_SNAPSHOTS, POSTS, TableSpec, conform
from creatorlens.tiers import TierScheme

TABLE_NAMES = ("creators", "posts", "follower_snapshots")
OBSERVED = datetime(2025, 3, 1, 12, 0, 0)
SCORED_AT = datetime(2025, 3, 2)
#: Floats agree to this relative tolerance: engines sum and average in different orders and
#: PostgreSQL averages integers as exact numerics before the cast to double.
REL_TOL = 1e-9
ABS_TOL = 1e-12


#: (window, tier scheme) per case: the default, a short window that keeps young posts (and cuts
#: through tied timestamps), and a since/until range with another scheme.
CASES = {
    "default-window-seed": (Window(), "seed"),
    "last-5-any-age-nielsen": (Window(last_n=5, min_age_days=0), "nielsen_2022"),
    "since-until-later-fohr": (
        Window(since=OBSERVED - timedelta(days=120), until=OBSERVED - timedelta(days=3)),
        "later_fohr_2021",
    ),
}


def scorecard(tables: dict[str, ir.Table], window: Window, scheme: str) -> pa.Table:
    """The scorecard of one backend's tables, with a fixed scored_at so runs compare."""
    expr = scorecard_expr(
        tables["creators"], tables["posts"], tables["follower_snapshots"],
        scheme=TierScheme.load(scheme), window=window, scored_at=SCORED_AT,
    )  # fmt: skip
    return expr.to_pyarrow()


def _micro_jitter(rng: random.Random) -> timedelta:
    return timedelta(seconds=rng.randrange(86_400), microseconds=rng.randrange(1_000_000))


def _maybe(rng: random.Random, value: int, p_missing: float) -> int | None:
    return None if rng.random() < p_missing else value


def edge_case_tables(seed: int = 20251126) -> dict[str, pa.Table]:  # noqa: C901 (one branch per edge case)
    rng = random.Random(seed)
    creators: list[dict[str, object]] = []
    posts: list[dict[str, object]] = []
    snapshots: list[dict[str, object]] = []

    def add_creator(platform: str, handle: str, followers: int | None, **reported: float | None) -> str:
        cid = f"{platform}:{handle}"
        creators.append(
            {"creator_id": cid, "platform": platform, "handle": handle, "followers": followers,
             "observed_at": OBSERVED, **reported}
        )  # fmt: skip
        return cid

    def add_posts(cid: str, platform: str, n: int, *, days: Iterable[float] | None = None) -> None:
        ages = list(days) if days is not None else [rng.uniform(0, 200) for _ in range(n)]
        for i, age in enumerate(ages):
            likes = int(rng.lognormvariate(6, 1.5))
            posted = OBSERVED - timedelta(days=age) + timedelta(microseconds=rng.randrange(1_000_000))
            posts.append(
                {
                    "post_id": f"{cid}:{i}",
                    "creator_id": cid,
                    "platform": platform,
                    "posted_at": posted,
                    "observed_at": None if rng.random() < 0.03 else OBSERVED,
                    "likes": _maybe(rng, likes, 0.03),
                    "comments": _maybe(rng, int(likes * rng.uniform(0, 0.2)), 0.05),
                    "shares": _maybe(rng, int(likes * rng.uniform(0, 0.1)), 0.15),
                    "saves": _maybe(rng, int(likes * rng.uniform(0, 0.05)), 0.5)
                    if platform == "instagram" else None,
                    "reach": _maybe(rng, int(likes * rng.uniform(5, 40)), 0.4)
                    if platform == "instagram" else None,
                    "views": rng.choice([None, 0]) if rng.random() < 0.12 else int(likes * rng.uniform(3, 60)),
                }
            )  # fmt: skip
        if days is None and n >= 4 and rng.random() < 0.3:
            # two posts with the same timestamp: the window's order must not depend on the engine
            posts[-1]["posted_at"] = posts[-2]["posted_at"]

    def add_snapshots(cid: str, followers: int | None, n: int) -> None:
        at = OBSERVED
        count = followers
        for k in range(n):
            snapshots.append(
                {"creator_id": cid, "observed_at": at,
                 "followers": None if (k and rng.random() < 0.05) else count}
            )  # fmt: skip
            at -= rng.choice([timedelta(hours=6), timedelta(days=rng.uniform(1, 60))]) + _micro_jitter(rng)
            if count is not None:
                count = max(0, int(count * rng.uniform(0.85, 1.02)))

    # Crowds: one dense fine peer group (TikTok, 20.0K-21.5K = group 103), one coarse group whose
    # fine groups are too small alone (32K-46K), and a spread over every tier and platform.
    for i in range(30):
        cid = add_creator("tiktok", f"fine{i}", rng.randrange(20_000, 21_500))
        add_posts(cid, "tiktok", rng.randrange(1, 45))
    for i in range(25):
        cid = add_creator("tiktok", f"coarse{i}", rng.randrange(32_000, 46_000))
        add_posts(cid, "tiktok", rng.randrange(1, 12))
    for platform in ("instagram", "tiktok", "youtube"):
        for i in range(40):
            followers = int(10 ** rng.uniform(1.5, 7.5))
            cid = add_creator(platform, f"spread{i}", followers)
            add_posts(cid, platform, rng.choice([0, 1, 2, 3, 8, 30, 31, 40]))
            add_snapshots(cid, followers, rng.randrange(0, 7))
    # Exact tier and decade boundaries: log10 and the tier cases must agree at the edges.
    for followers in (99, 100, 1_000, 9_999, 10_000, 100_000, 999_999, 1_000_000, 10_000_000):
        cid = add_creator("instagram", f"edge{followers}", followers)
        add_posts(cid, "instagram", 6)
        add_snapshots(cid, followers, 3)
    # Ties: identical creators must share a percentile on every engine.
    for i in range(3):
        cid = add_creator("tiktok", f"twin{i}", 20_500)
        add_posts(cid, "tiktok", 4, days=[10, 20, 30, 40])
        for k, p in enumerate(posts[-4:]):
            p.update(likes=500, comments=20, shares=5, views=10_000, observed_at=OBSERVED)
            p["posted_at"] = OBSERVED - timedelta(days=10 * (k + 1))
    # Special cases named by the spec.
    zero = add_creator("tiktok", "zero_followers", 0)
    add_posts(zero, "tiktok", 5)
    add_snapshots(zero, 0, 3)
    unknown = add_creator("youtube", "unknown_followers", None)
    add_posts(unknown, "youtube", 5)
    no_views = add_creator("tiktok", "no_views", 50_000)
    add_posts(no_views, "tiktok", 6)
    for p in posts[-6:]:
        p["views"] = None
    add_creator("youtube", "young_only", 250_000)
    add_posts("youtube:young_only", "youtube", 4, days=[0.5, 1, 3, 6.9])
    add_creator("instagram", "same_day", 70_000)
    add_posts("instagram:same_day", "instagram", 3, days=[12, 12, 12])
    for p in posts[-3:]:
        p["posted_at"] = OBSERVED - timedelta(days=12)
    add_creator("instagram", "one_post", 8_000)
    add_posts("instagram:one_post", "instagram", 1, days=[9])
    add_creator("tiktok", "no_comments", 30_000)
    add_posts("tiktok:no_comments", "tiktok", 5)
    for p in posts[-5:]:
        p["comments"] = None
    add_creator("instagram", "reported", 1_200_000, avg_likes_reported=25_000.0, avg_comments_reported=310.5,
                avg_shares_reported=90.0, avg_views_reported=400_000.0)  # fmt: skip
    add_creator("youtube", "reported_engagement_only", 3_400_000, avg_engagement_reported=51_000.0)
    add_creator("tiktok", "reported_zero_views", 150_000, avg_likes_reported=2_000.0,
                avg_comments_reported=40.0, avg_shares_reported=10.0, avg_views_reported=0.0)  # fmt: skip
    add_creator("tiktok", "nothing_reported", 40_000)
    grow = add_creator("instagram", "grower", 120_000)
    add_posts(grow, "instagram", 10)
    snapshots.extend(
        {"creator_id": grow, "observed_at": OBSERVED - timedelta(days=d, microseconds=417), "followers": f}
        for d, f in ((0, 120_000), (30, 100_000), (89, 90_000), (91, 10_000), (150, 5_000))
    )
    close = add_creator("tiktok", "snapshots_hours_apart", 60_000)
    add_posts(close, "tiktok", 3)
    snapshots.extend(
        {"creator_id": close, "observed_at": OBSERVED - timedelta(hours=h), "followers": 60_000 - h}
        for h in (0, 5, 20)
    )
    from_zero = add_creator("youtube", "grew_from_zero", 5_000)
    snapshots.extend(
        {"creator_id": from_zero, "observed_at": OBSERVED - timedelta(days=d), "followers": f}
        for d, f in ((0, 5_000), (40, 0))
    )
    # Snapshots of a creator whose profile is not in `creators` must not add a row.
    snapshots.append({"creator_id": "tiktok:ghost", "observed_at": OBSERVED, "followers": 10})

    return {
        "creators": conform(pa.Table.from_pylist(creators, schema=_partial(CREATORS, creators)), CREATORS),
        "posts": conform(pa.Table.from_pylist(posts, schema=_partial(POSTS, posts)), POSTS),
        "follower_snapshots": conform(
            pa.Table.from_pylist(snapshots, schema=_partial(FOLLOWER_SNAPSHOTS, snapshots)),
            FOLLOWER_SNAPSHOTS,
        ),
    }


def _partial(spec: TableSpec, rows: list[dict[str, object]]) -> pa.Schema:
    """The declared types of the columns these rows use (conform adds the rest as nulls)."""
    full = spec.arrow_schema()
    used = {k for row in rows for k in row}
    return pa.schema([f for f in full if f.name in used])


def real_export_tables(shared_data: Path, workspace_path: Path) -> dict[str, pa.Table]:
    """TikTok posts and the monthly top-1000 ranking exports, ingested as a user would."""
    files = [shared_data / "tiktok-vn-2025" / "raw_data.csv"]
    files += sorted((shared_data / "top1000-social-2022").glob("*.csv"))
    ws = creatorlens.open(workspace_path)
    try:
        for path in files:
            ws.ingest(path)
        return {name: ws.store.table(name).to_pyarrow() for name in TABLE_NAMES}
    finally:
        ws.close()


def load(con: ibis.BaseBackend, tables: dict[str, pa.Table], prefix: str = "") -> dict[str, ir.Table]:
    """Create each table on the backend (under ``prefix + name``), keyed by its plain name."""
    out = {}
    for name, table in tables.items():
        if con.name == "duckdb":
            # Ibis 12's DuckDB create_table(arrow) ends with a DROP VIEW that sqlglot 30 renders
            # without its name; the workspace store loads Arrow the same direct way.
            raw = con.con
            raw.register("_arrow_input", table)
            raw.execute(f'CREATE TABLE "{prefix}{name}" AS SELECT * FROM _arrow_input')
            raw.unregister("_arrow_input")
            out[name] = con.table(prefix + name)
        else:
            out[name] = con.create_table(prefix + name, table)
    return out


def assert_same_scorecard(
    expected: pa.Table,
    actual: pa.Table,
    engine: str,
    *,
    rel_tol: Mapping[str, float] | None = None,
    skip: Collection[str] = (),
) -> None:
    """Same rows, same types; floats within REL_TOL (or ``rel_tol[column]``), the rest equal.

    ``skip`` names columns with a known, documented difference (tested separately).
    """
    assert actual.schema == expected.schema, f"{engine}: schema differs"
    expected, actual = expected.sort_by("creator_id"), actual.sort_by("creator_id")
    ids = expected.column("creator_id").to_pylist()
    assert actual.column("creator_id").to_pylist() == ids
    mismatches: list[str] = []
    for field in expected.schema:
        if field.name in skip:
            continue
        tol = (rel_tol or {}).get(field.name, REL_TOL)
        want, got = expected.column(field.name).to_pylist(), actual.column(field.name).to_pylist()
        bad = [(cid, w, g) for cid, w, g in zip(ids, want, got, strict=True) if not _same(w, g, tol)]
        mismatches += [f"{field.name} {cid}: duckdb={w!r} {engine}={g!r}" for cid, w, g in bad[:5]]
        if pa.types.is_floating(field.type):
            assert not any(isinstance(v, float) and not math.isfinite(v) for v in got), field.name
    assert not mismatches, f"{engine} disagrees with DuckDB:\n" + "\n".join(mismatches)


def _same(want: object, got: object, rel_tol: float) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return math.isclose(want, got, rel_tol=rel_tol, abs_tol=ABS_TOL)
    return want == got
