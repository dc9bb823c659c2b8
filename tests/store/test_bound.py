"""fetch_bound's compiled-SQL cache: a query answered from a cached shape gives exactly what a
fresh compile gives, for any filter values, sort, order and cursor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis
import pytest
from hypothesis import Phase, given, settings, strategies as st

import creatorlens
from creatorlens._search import page_query
from creatorlens._sorting import SORTABLE
from creatorlens._workspace import CreatorFilter, apply_filters
from creatorlens.store._bound import SHAPES, ShapeCache, bound_sql

TEXT = st.text(max_size=12)  # any text a user can type, quotes and NUL included
NUMBER = st.none() | st.integers(-(2**40), 2**40) | st.floats(-1e12, 1e12, allow_nan=False)


@pytest.fixture(scope="module")
def ws(demo_db: Path) -> Iterator[creatorlens.Workspace]:
    with creatorlens.Workspace(demo_db, read_only=True) as workspace:
        yield workspace


FILTERS = st.builds(
    CreatorFilter,
    platform=st.sampled_from([None, "instagram", "tiktok", "youtube"]),
    tier=st.sampled_from([None, "nano", "micro", "macro", "mega"]),
    country=st.none() | st.sampled_from(["KR", "US,GB", "kr"]) | TEXT,
    min_followers=NUMBER,
    max_followers=NUMBER,
    min_er=st.none() | st.floats(0, 1),
    search=st.none() | TEXT,
    niche=st.none() | st.sampled_from(["food", "beauty,food"]) | TEXT,
    min_posts=st.none() | st.integers(0, 100),
)


@given(
    first=FILTERS,
    second=FILTERS,
    sort=st.sampled_from(SORTABLE),
    order=st.sampled_from(["asc", "desc"]),
    limit=st.integers(1, 40),
)
# no shrinking: each example runs several queries on the demo, and a failure prints its values
@settings(max_examples=60, deadline=None, database=None, phases=(Phase.explicit, Phase.generate))
def test_a_cached_shape_answers_like_a_fresh_compile(
    ws: creatorlens.Workspace, first: CreatorFilter, second: CreatorFilter, sort: str, order: str, limit: int
) -> None:
    for f in (first, second):  # the second often reuses the first's shape with other values
        page = ws.search(f, sort, order, limit, total=True)  # type: ignore[arg-type]
        t = apply_filters(ws.scorecard(), f)
        query = page_query(t, sort, order, limit, None, None)
        sql, values = bound_sql(ws.store.ibis, query)  # compiled now, no cache
        expected = ws.store.raw.execute(sql, values).to_arrow_table()
        # the page query fetches one row more than the page, to know whether a next page exists
        assert page.rows.to_pylist() == _rows(expected.slice(0, limit), page.rows.column_names)
        total_sql, total_values = bound_sql(ws.store.ibis, t.count())
        total = ws.store.raw.execute(total_sql, total_values).fetchone()
        assert total is not None and page.total == total[0]
        if page.next_cursor is not None:  # the next page binds the cursor's values too
            after = ws.search(f, sort, order, limit, page.next_cursor)  # type: ignore[arg-type]
            assert set(after.rows.column("creator_id").to_pylist()).isdisjoint(
                page.rows.column("creator_id").to_pylist()
            )


def _rows(table: object, columns: list[str]) -> list[dict[str, object]]:
    import pyarrow as pa

    assert isinstance(table, pa.Table)
    rows: list[dict[str, object]] = table.select(columns).to_pylist()
    return rows


def test_a_shape_compiles_once_and_its_values_are_slots() -> None:
    con = ibis.duckdb.connect()
    con.raw_sql("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'x'), (5, 'y'), (10000, 'it''s')) v(a, s)")
    t = con.table("t")
    cache = ShapeCache()
    results = []
    for bound, text in ((2, "x"), (4, "it's"), (0, "\x00")):
        expr = t.filter((t.a > bound) | (t.s == text)).order_by("a")
        sql, values = cache.bound_sql(con, expr)
        assert sorted(values.values(), key=str) == sorted([bound, text], key=str)
        results.append(con.con.execute(sql, values).fetchall())
    assert (cache.misses, cache.hits) == (1, 2)
    every = [(1, "x"), (5, "y"), (10_000, "it's")]
    assert results == [every, every[1:], every]  # a > 2 or s = 'x'; a > 4 or s = "it's"; a > 0


def test_a_compiler_constant_stays_a_constant() -> None:
    con = ibis.duckdb.connect()
    con.raw_sql("CREATE TABLE t AS SELECT * FROM (VALUES (1.0::DOUBLE), (2.5::DOUBLE)) v(a)")
    t = con.table("t")
    cache = ShapeCache()
    for digits in (0, 1):
        expr = t.select(r=t.a.round(1) + digits)
        sql, values = cache.bound_sql(con, expr)
        assert sorted(values.values()) == sorted([1, digits])
        assert con.con.execute(sql, values).fetchall() == [(1.0 + digits,), (2.5 + digits,)]


def test_the_process_cache_is_used_by_fetch_bound(ws: creatorlens.Workspace) -> None:
    before = SHAPES.hits
    for n in (1_000, 2_000, 3_000):
        ws.search(CreatorFilter(min_followers=n), "followers", "desc", 5)
    assert SHAPES.hits >= before + 2
