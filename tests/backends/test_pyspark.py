"""The scorecard's Ibis expressions on a local Spark session, compared with DuckDB.

Two documented differences (docs/backends.md):

- Spark's ``unix_timestamp`` (Ibis ``epoch_seconds``) has whole-second resolution, so time spans
  lose their fraction of a second: ``posts_per_week`` and follower growth agree to 1e-4 relative
  (spans here are hours to months), not 1e-9.
- ``peer_group`` at exact powers of ten: sqlglot renders ``LOG10(x)`` as ``LOG(10, x)`` for Spark,
  which Spark computes as ln(x)/ln(10) = 2.9999999999999996 for 1000, so 1,000 and 1,000,000
  followers would land one bin lower; ``PeerGroups.expr`` corrects the bin against its bounds.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from .scorecards import CASES, assert_same_scorecard, edge_case_tables, load, scorecard

#: Columns computed from time spans (epoch seconds): Spark truncates to whole seconds.
TIME_SPAN_COLUMNS = {"posts_per_week": 1e-4, "follower_growth_30d": 1e-4, "follower_growth_30d_pct": 1e-4}


def load_spark(
    session: Any, con: ibis.BaseBackend, tables: dict[str, pa.Table], prefix: str
) -> dict[str, ir.Table]:
    """Arrow straight into Spark (Ibis's create_table goes through pandas and turns nulls into 'NaN')."""
    for name, table in tables.items():
        session.createDataFrame(table).createOrReplaceTempView(prefix + name)
    return {name: con.table(prefix + name) for name in tables}


pytestmark = pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")  # pyspark 4.0 on pandas 3

Scorecards = dict[str, tuple[pa.Table, pa.Table]]


@pytest.fixture(scope="module")
def scorecards(spark_session: Any) -> Scorecards:
    """Per case of CASES: (DuckDB's scorecard, Spark's scorecard) over the same edge-case tables."""
    data = edge_case_tables()
    duck = load(ibis.duckdb.connect(), data)
    spark = load_spark(spark_session, ibis.pyspark.connect(spark_session), data, "edge_")
    return {
        name: (scorecard(duck, window, scheme), scorecard(spark, window, scheme))
        for name, (window, scheme) in CASES.items()
    }


def test_pyspark_scorecard_matches_duckdb_on_edge_cases(scorecards: Scorecards) -> None:
    for name, (expected, actual) in scorecards.items():
        assert pc.count(expected.column("posts_per_week")).as_py() > 50
        assert_same_scorecard(
            expected,
            actual,
            f"pyspark[{name}]",
            rel_tol=TIME_SPAN_COLUMNS,
            skip={"peer_group"},  # asserted below, on its own
        )


def test_pyspark_peer_groups_match_duckdb(scorecards: Scorecards) -> None:
    expected, actual = (t.sort_by("creator_id") for t in scorecards["default-window-seed"])
    assert actual.column("peer_group").to_pylist() == expected.column("peer_group").to_pylist()
