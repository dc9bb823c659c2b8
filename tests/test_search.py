"""Workspace.search on the demo workspace: keyset pages, their order, their cursors."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import creatorlens
from creatorlens._search import CursorError, Page, decode_cursor, encode_cursor
from creatorlens._sorting import SORTABLE
from creatorlens._workspace import FILTER_COLUMNS, CreatorFilter, apply_filters


@pytest.fixture(scope="module")
def ws(demo_db: Path) -> Iterator[creatorlens.Workspace]:
    with creatorlens.Workspace(demo_db, read_only=True) as workspace:
        yield workspace


def ids(page: Page) -> list[str]:
    out: list[str] = page.rows.column("creator_id").to_pylist()
    return out


def all_pages(ws: creatorlens.Workspace, f: CreatorFilter, sort: str, order: Any, limit: int) -> list[Page]:
    pages = [ws.search(f, sort, order, limit)]
    while pages[-1].next_cursor is not None:
        pages.append(ws.search(f, sort, order, limit, pages[-1].next_cursor))
        assert len(pages) < 1000, "the cursor does not advance"
    return pages


def rank_key(row: dict[str, Any], sort: str) -> Any:
    """The documented order, computed here independently of the query: an unrankable ER (under
    an ER sort) and a NaN are no value; no value comes last."""
    value = row[sort]
    if sort.startswith("er_") and not row.get("er_rankable"):
        value = None
    if isinstance(value, float) and math.isnan(value):
        value = None
    return value


def assert_in_listing_order(rows: list[dict[str, Any]], sort: str, order: str) -> None:
    for a, b in itertools.pairwise(rows):
        ka, kb = rank_key(a, sort), rank_key(b, sort)
        if ka is None or kb is None:
            assert kb is None, (a, b)  # nulls last, in either direction
            if ka is None:
                assert a["creator_id"] < b["creator_id"], (a, b)
            continue
        if ka == kb:
            assert a["creator_id"] < b["creator_id"], (a, b)  # ties by creator_id
        else:
            assert (ka > kb) if order == "desc" else (ka < kb), (a, b)


FILTERS = st.builds(
    CreatorFilter,
    platform=st.sampled_from([None, "instagram", "tiktok", "youtube"]),
    tier=st.sampled_from([None, "nano", "micro", "macro"]),
    country=st.sampled_from([None, "KR", "US,GB"]),
    min_followers=st.sampled_from([None, 5_000.0, 20_000.0]),
    search=st.sampled_from([None, "a", "kim", "few"]),
    niche=st.sampled_from([None, "food", "gaming"]),
)


@given(
    f=FILTERS,
    sort=st.sampled_from(SORTABLE),
    order=st.sampled_from(["asc", "desc"]),
    limit=st.integers(min_value=6, max_value=60),
)
@settings(max_examples=30, deadline=None, database=None)
def test_paging_yields_every_match_once_in_the_unpaged_order(
    ws: creatorlens.Workspace, f: CreatorFilter, sort: str, order: str, limit: int
) -> None:
    whole = ws.search(f, sort, order, None, columns=["creator_id", sort, "er_rankable"], total=True)  # type: ignore[arg-type]
    assert whole.next_cursor is None and whole.total == whole.rows.num_rows
    pages = all_pages(ws, f, sort, order, limit)
    seen = [cid for page in pages for cid in ids(page)]
    assert seen == ids(whole)
    assert len(set(seen)) == len(seen)
    assert all(p.rows.num_rows == limit for p in pages[:-1]) and pages[-1].rows.num_rows <= limit
    assert_in_listing_order(whole.rows.to_pylist(), sort, order)


def test_unrankable_ers_come_after_the_ranked_ones_both_ways(ws: creatorlens.Workspace) -> None:
    f = CreatorFilter(platform="instagram")
    for order in ("asc", "desc"):
        rows = ws.search(f, "er_followers_lc_median", order, None).rows.to_pylist()
        rankable = [bool(r["er_rankable"]) for r in rows]
        assert rankable.count(False) >= 2  # the few-post creators of the fixture
        first_unranked = rankable.index(False)
        assert not any(rankable[first_unranked:]), order
        assert_in_listing_order(rows, "er_followers_lc_median", order)


def test_ties_are_broken_by_creator_id(ws: creatorlens.Workspace) -> None:
    rows = ws.search(
        CreatorFilter(min_followers=20_000, max_followers=20_001), "followers", "desc", None
    ).rows
    tied = rows.column("creator_id").to_pylist()
    assert len(tied) >= 3 and tied == sorted(tied)


def test_a_page_has_the_requested_columns_and_a_total(ws: creatorlens.Workspace) -> None:
    page = ws.search(
        CreatorFilter(country="KR"), "handle", "asc", 5, columns=["handle", "followers"], total=True
    )
    assert page.rows.column_names == ["handle", "followers"]
    assert page.rows.num_rows == 5 and page.total is not None and page.total > 5
    nxt = ws.search(CreatorFilter(country="KR"), "handle", "asc", 5, page.next_cursor, columns=["handle"])
    assert nxt.rows.column("handle").to_pylist()[0] > page.rows.column("handle").to_pylist()[-1]


def test_bad_cursors_and_sorts_are_user_errors(ws: creatorlens.Workspace) -> None:
    first = ws.search(None, "followers", "desc", 3)
    assert first.next_cursor is not None
    with pytest.raises(CursorError, match="different sort order"):
        ws.search(None, "handle", "desc", 3, first.next_cursor)
    with pytest.raises(CursorError, match="different sort order"):
        ws.search(None, "followers", "asc", 3, first.next_cursor)
    for bad in ("not-a-cursor", first.next_cursor[:-3], encode_cursor("many", "x:y", "followers", "desc")):
        with pytest.raises(CursorError, match="not valid"):
            ws.search(None, "followers", "desc", 3, bad)
    with pytest.raises(ValueError, match="cannot sort by"):
        ws.search(None, "bio", "desc", 3)
    with pytest.raises(ValueError, match="order"):
        ws.search(None, "followers", "up", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown column"):
        ws.search(None, "followers", "desc", 3, columns=["nope"])


def test_filter_text_is_bound_not_sql(ws: creatorlens.Workspace) -> None:
    for text in ("a\x00b", "' OR 1=1 --", "%", "_"):
        assert ws.search(CreatorFilter(search=text, country=text), "followers", "desc", 5).rows.num_rows == 0


@given(
    value=st.none()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30).filter(lambda s: not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in s)),
    creator_id=st.text(min_size=1, max_size=30).filter(
        lambda s: not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in s)
    ),
)
def test_cursor_round_trip(value: Any, creator_id: str) -> None:
    cursor = encode_cursor(value, creator_id, "handle", "asc")
    assert cursor.isascii()
    assert decode_cursor(cursor, "handle", "asc") == (value, creator_id)


def test_filter_columns_are_all_a_full_filter_reads(ws: creatorlens.Workspace) -> None:
    """Workspace.search narrows the view to FILTER_COLUMNS before filtering: every filter must
    find its column there."""
    full = CreatorFilter(
        platform="instagram", tier="micro", min_followers=1, max_followers=1e9, min_er=0, max_er=1,
        country="KR", category="food", niche="food", min_focus=0, transparency_below=1,
        min_quality=0, search="a", min_posts=1,
    )  # fmt: skip
    card = ws.scorecard()
    narrow = card.select(*[c for c in card.columns if c in FILTER_COLUMNS])
    expected = ws.creators(full, sort="handle", descending=False).to_pyarrow().column("handle")
    found = apply_filters(narrow, full).order_by("handle").to_pyarrow().column("handle")
    assert found.to_pylist() == expected.to_pylist()
