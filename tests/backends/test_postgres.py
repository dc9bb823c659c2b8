"""The scorecard's Ibis expressions give DuckDB's results on a real PostgreSQL server.

The same ``scorecard_expr`` runs over the same three input tables loaded into DuckDB and into
PostgreSQL (``con.create_table``); every column must agree: floats to 1e-9 relative, strings,
integers, timestamps and nulls exactly. Medians, percentiles, growth, benchmarks and
``null_reasons`` included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow.compute as pc
import pytest

from creatorlens.demo import generate_demo
from creatorlens.metrics import Window

from .scorecards import (
    CASES,
    TABLE_NAMES,
    assert_same_scorecard,
    edge_case_tables,
    load,
    real_export_tables,
    scorecard,
)


@pytest.fixture(scope="module")
def postgres(postgres_database: dict[str, object]) -> Iterator[ibis.BaseBackend]:
    con = ibis.postgres.connect(**postgres_database)
    yield con
    con.disconnect()


@pytest.fixture(scope="module")
def edge_cases(postgres: ibis.BaseBackend) -> tuple[dict[str, ir.Table], dict[str, ir.Table]]:
    data = edge_case_tables()
    duck = ibis.duckdb.connect()
    return load(duck, data), load(postgres, data, prefix="edge_")


def test_postgres_scorecard_matches_duckdb_on_edge_cases(
    edge_cases: tuple[dict[str, ir.Table], dict[str, ir.Table]],
) -> None:
    duck_tables, pg_tables = edge_cases
    for name, (window, scheme) in CASES.items():
        expected = scorecard(duck_tables, window, scheme)
        assert_same_scorecard(expected, scorecard(pg_tables, window, scheme), f"postgres[{name}]")


def test_edge_cases_exercise_every_special_case(
    edge_cases: tuple[dict[str, ir.Table], dict[str, ir.Table]],
) -> None:
    """The agreement above is only meaningful if the data reach every branch of the spec."""
    rows = {r["handle"]: r for r in scorecard(edge_cases[1], Window(), "seed").to_pylist()}
    with_posts = [r for r in rows.values() if r["er_source"] == "posts"]
    assert any(r["n_posts"] == 30 for r in with_posts)  # more eligible posts than the window
    assert any(r["n_posts"] % 2 == 0 and r["er_followers_lc_median"] is not None for r in with_posts)
    assert rows["reported"]["er_source"] == "reported_averages"
    assert rows["reported"]["er_followers_lc_median"] is None
    assert rows["reported_engagement_only"]["er_followers_lc_mean"] == pytest.approx(51_000 / 3_400_000)
    assert rows["nothing_reported"]["er_source"] is None
    assert '"er_followers": "followers is 0"' in rows["zero_followers"]["null_reasons"]
    assert '"er_views": "no view counts"' in rows["no_views"]["null_reasons"]
    assert rows["young_only"]["n_posts"] == 0
    assert rows["same_day"]["posts_per_week"] is None and rows["same_day"]["n_posts"] == 3
    assert rows["edge99"]["tier"] is None and rows["edge10000"]["tier"] == "micro"
    assert rows["grower"]["follower_growth_30d"] == pytest.approx(30_000 / 89 * 30, rel=1e-6)
    assert rows["snapshots_hours_apart"]["follower_growth_30d"] is None
    assert rows["grew_from_zero"]["follower_growth_30d"] is not None
    assert rows["grew_from_zero"]["follower_growth_30d_pct"] is None
    assert len({rows[f"twin{i}"]["er_percentile_tier"] for i in range(3)}) == 1
    rankable = [r for r in with_posts if r["tier"] is not None and r["er_followers_lc_median"] is not None]
    assert any(r["er_percentile_peers"] is not None for r in rankable)
    assert any(r["er_percentile_peers"] is None for r in rankable)
    assert any(r["handle"].startswith("coarse") and r["er_percentile_peers"] is not None for r in rankable)
    assert any(r["benchmark_er"] is not None for r in rows.values())


def test_postgres_scorecard_matches_duckdb_on_real_exports(
    postgres: ibis.BaseBackend, shared_data: Path, tmp_path: Path
) -> None:
    data = real_export_tables(shared_data, tmp_path / "ws.duckdb")
    duck = load(ibis.duckdb.connect(), data)
    pg = load(postgres, data, prefix="real_")
    expected = scorecard(duck, Window(), "seed")
    counts = pc.value_counts(expected.column("er_source")).to_pylist()
    assert {c["values"] for c in counts} >= {"posts", "reported_averages"}
    assert pc.count(expected.column("follower_growth_30d")).as_py() > 100  # monthly ranking snapshots
    assert pc.count(expected.column("er_percentile_peers")).as_py() > 100
    assert_same_scorecard(expected, scorecard(pg, Window(), "seed"), "postgres[real exports]")


def test_postgres_scorecard_matches_duckdb_on_demo_workspace(postgres: ibis.BaseBackend) -> None:
    """The calibrated synthetic workspace: 40 posts per creator, so the 30-post window cuts."""
    demo = generate_demo(seed=11, creators=400, posts_per_creator=40).source_tables()
    data = {name: demo[name] for name in TABLE_NAMES}
    duck = load(ibis.duckdb.connect(), data)
    expected = scorecard(duck, Window(), "seed")
    assert pc.max(expected.column("n_posts")).as_py() == 30
    assert_same_scorecard(
        expected, scorecard(load(postgres, data, prefix="demo_"), Window(), "seed"), "postgres[demo]"
    )
