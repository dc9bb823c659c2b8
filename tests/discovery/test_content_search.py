"""Content search through the Workspace: Korean and English captions, filters, evidence, and an
index that updates with ingest (only the new and changed posts)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import creatorlens
from creatorlens._workspace import CreatorFilter

from ._posts import MORE, POSTS


def _workspace(tmp_path: Path) -> creatorlens.Workspace:
    src = tmp_path / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    ws.ingest(src)
    ws.score(steps=["content"])
    return ws


def test_korean_food_query_finds_korean_posts(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        result = ws.content_search("맛집")
        assert [c["handle"] for c in result.creators] == ["seoul_eats"]
        evidence = result.creators[0]["evidence"]
        assert evidence[0]["post_id"] == "instagram:k1"
        assert evidence[0]["matched_terms"] == ["맛집"]


def test_korean_hashtag_parts_and_english_query(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        assert [c["handle"] for c in ws.content_search("비건 스킨케어").creators] == ["seoul_glow"]
        english = ws.content_search("vegan skincare")
        assert english.creators[0]["handle"] == "la_glow"
        assert english.creators[0]["evidence"][0]["matched_terms"] == ["vegan", "skincare"]


def test_filters_combine_with_the_text_query(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        both = {c["handle"] for c in ws.content_search("#foodie 맛집").creators}
        assert both == {"seoul_eats", "la_food"}
        kr = ws.content_search("#foodie 맛집", CreatorFilter(country="KR"))
        assert [c["handle"] for c in kr.creators] == ["seoul_eats"]
        assert ws.content_search("맛집", CreatorFilter(country="US")).creators == []


def test_ingest_updates_the_index_with_only_the_new_post(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        ws.content_search("vegan")  # builds the index
        assert (tmp_path / "ws.duckdb.search").is_dir()
        more = tmp_path / "more.csv"
        more.write_text(MORE, encoding="utf-8")
        ws.ingest(more)  # updates the index: the one new post only (la_food's bio is unchanged)
        update = ws.last_text_index_update
        assert update is not None and (update.added, update.removed) == (1, 0)
        assert update.documents == 7 + 4
        after = ws.update_text_index()
        assert after.up_to_date
        handles = {c["handle"] for c in ws.content_search("vegan").creators}
        assert handles == {"la_glow", "la_food"}
    # a fresh process reads the saved index and its state: nothing to redo
    with creatorlens.open(tmp_path / "ws.duckdb") as again:
        assert again.update_text_index().up_to_date


def test_incremental_update_touches_only_changed_documents(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        first = ws.update_text_index()
        assert first.added == 6 + 4  # six posts, four bios
        more = tmp_path / "more.csv"
        more.write_text(MORE, encoding="utf-8")
        ws.ingest(more)
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        full = ws.update_text_index(full=True)
        assert full.added == 7 + 4 and full.removed == 0


def test_korean_food_hashtag_on_the_demo_finds_korean_food_posts(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    wal = demo_db.with_name(demo_db.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    with creatorlens.open(copy) as ws:
        result = ws.content_search("#맛집")
        assert result.creators, "the demo has Korean food creators"
        for creator in result.creators:
            assert creator["country"] == "KR"
            for post in creator["evidence"]:
                assert "맛집" in post["matched_terms"]
                assert re.search("[가-힣]", post["text"])
        english = ws.content_search("#foodie", CreatorFilter(country="KR"))
        assert all(c["country"] == "KR" for c in english.creators)
