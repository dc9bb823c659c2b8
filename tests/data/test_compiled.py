"""The on-disk cache of compiled hyperscan databases: a cached database matches exactly what a
fresh compile matches, a changed pattern set compiles afresh, and a broken or unwritable cache
costs only the compile."""

from __future__ import annotations

from pathlib import Path

import hyperscan
import pytest

from creatorlens.data import _compiled

EXPRESSIONS = [b"#ad\\b", b"paid partnership", "광고".encode(), b"sponsored by \\w+"]
FLAGS = [hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH] * 4
TEXTS = ["Loving this #AD today", "Paid partnership with acme", "협찬 광고 포함", "Sponsored by Acme", "hi"]


def _matches(database: hyperscan.Database, text: str) -> list[int]:
    found: list[int] = []
    database.scan(text.encode(), match_event_handler=lambda i, *_: found.append(i))
    return sorted(found)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CREATORLENS_CACHE_DIR", str(tmp_path))
    return tmp_path / "hyperscan"


def test_cached_database_matches_what_a_fresh_compile_matches(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    assert len(list(cache.glob("*.hsdb"))) == 1

    def no_compile(*_: object) -> None:
        raise AssertionError("compiled again although the cache holds this database")

    monkeypatch.setattr(_compiled, "_compile", no_compile)
    cached = _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    assert [_matches(cached, t) for t in TEXTS] == [_matches(fresh, t) for t in TEXTS]
    assert [_matches(cached, t) for t in TEXTS] == [[0], [1], [2], [3], []]


def test_other_patterns_or_flags_get_their_own_database(cache: Path) -> None:
    _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    other = _compiled.hyperscan_database(EXPRESSIONS[:2], FLAGS[:2])
    _compiled.hyperscan_database(EXPRESSIONS, [0] * 4)
    assert len(list(cache.glob("*.hsdb"))) == 3
    assert _matches(other, "Sponsored by Acme") == []


def test_a_corrupt_cache_file_is_compiled_over(cache: Path) -> None:
    _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    (path,) = cache.glob("*.hsdb")
    path.write_bytes(b"not a database")
    database = _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    assert _matches(database, "Paid partnership") == [1]
    assert path.read_bytes() != b"not a database"


def test_an_unwritable_cache_only_costs_the_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("CREATORLENS_CACHE_DIR", str(blocker))
    database = _compiled.hyperscan_database(EXPRESSIONS, FLAGS)
    assert _matches(database, "#ad") == [0]
