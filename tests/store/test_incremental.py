"""Incremental scoring gives the tables a full score gives (store/_incremental.py,
docs/concurrency.md "Incremental scoring").

Two copies of one demo workspace go through the same changes — held-back posts arrive, captions
and a bio are edited, a post is deleted, the topic and disclosure rules change — and after each
change one copy is scored incrementally, the other with ``full=True``. Every result table must be
equal: rows sorted, floats within 1e-9, JSON columns compared parsed."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import creatorlens
from creatorlens import _steps
from creatorlens._workspace import Workspace
from creatorlens.content import _brand_safety_step, _content_step, _disclosure_step, disclosure, safety
from creatorlens.content.topics import niches
from creatorlens.store import _incremental

RESULT_TABLES = ("scorecard", *[t for step in _steps.SCORING_STEPS for t in step.writes])


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    first = tmp_path / "incremental.duckdb"
    ws = creatorlens.open(first)
    ws.demo(seed=5, creators=40, posts_per_creator=7, score=False)
    # hold back a tenth of the posts (and their comments): they "arrive" later
    ws.store.exec("CREATE TABLE held_posts AS SELECT * FROM posts WHERE hash(post_id) % 10 = 0")
    ws.store.exec(
        "CREATE TABLE held_comments AS SELECT * FROM comments "
        "WHERE post_id IN (SELECT post_id FROM held_posts)"
    )
    ws.store.exec("DELETE FROM comments WHERE post_id IN (SELECT post_id FROM held_posts)")
    ws.store.exec("DELETE FROM posts WHERE post_id IN (SELECT post_id FROM held_posts)")
    ws.close()
    second = tmp_path / "full.duckdb"
    shutil.copy(first, second)
    a, b = creatorlens.open(first), creatorlens.open(second)
    yield a, b
    a.close()
    b.close()


def _both(pair: tuple[Workspace, Workspace], sql: str) -> None:
    for ws in pair:
        ws.store.exec(sql)


#: when the run happened, not what it computed
RUN_COLUMNS = ("scored_at",)


def _rows(ws: Workspace, name: str) -> list[tuple[Any, ...]]:
    columns = [r[0] for r in ws.store.exec(f'DESCRIBE "{name}"') if r[0] not in RUN_COLUMNS]
    listed = ", ".join(f'"{c}"' for c in columns)
    return [tuple(r) for r in ws.store.exec(f'SELECT {listed} FROM "{name}" ORDER BY ALL')]


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=0, abs_tol=1e-9)
    if isinstance(x, str) and isinstance(y, str) and x != y and x[:1] in "[{":
        try:
            return bool(json.loads(x) == json.loads(y))
        except ValueError:
            return False
    return bool(x == y) or (pd.isna(x) and pd.isna(y)) if not isinstance(x, str) else x == y


def _assert_equal(incremental: Workspace, full: Workspace, when: str) -> None:
    for name in RESULT_TABLES:
        mine, theirs = _rows(incremental, name), _rows(full, name)
        assert len(mine) == len(theirs), f"{when}: {name} has {len(mine)} rows, full {len(theirs)}"
        assert mine, f"{when}: {name} is empty"
        for r1, r2 in zip(mine, theirs, strict=True):
            assert all(_same(x, y) for x, y in zip(r1, r2, strict=True)), (
                f"{when}: {name} differs:\n{r1}\n{r2}"
            )


def _score(pair: tuple[Workspace, Workspace], when: str) -> dict[str, int]:
    """Score the first incrementally and the second in full; compare; the posts each
    incremental per-post step rescored."""
    incremental, full = pair
    incremental.score()
    changed = {
        step: int(incremental.store.scalar(f"SELECT count(*) FROM _delta_{step} WHERE changed"))
        for step in ("content", "disclosure", "safety")
    }
    full.score(full=True)
    _assert_equal(incremental, full, when)
    return changed


def test_incremental_equals_full_after_ingests_edits_and_rule_changes(
    pair: tuple[Workspace, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = pair
    n_posts = int(a.store.scalar("SELECT count(*) FROM posts"))
    held = int(a.store.scalar("SELECT count(*) FROM held_posts"))
    assert held > 10

    # 1. the first run has nothing to reuse: every post is scored
    assert _score(pair, "first run") == {"content": n_posts, "disclosure": n_posts, "safety": n_posts}
    # 2. nothing changed: nothing is rescored
    assert _score(pair, "unchanged") == {"content": 0, "disclosure": 0, "safety": 0}

    # 3. new posts arrive (with their comments)
    _both(pair, "INSERT INTO posts SELECT * FROM held_posts")
    _both(pair, "INSERT INTO comments SELECT * FROM held_comments")
    assert _score(pair, "new posts") == {"content": held, "disclosure": held, "safety": held}

    # 4. captions edited (a sponsorship appears), one bio edited, one post deleted
    edited = "SELECT post_id FROM posts ORDER BY post_id LIMIT 7"
    _both(
        pair,
        "UPDATE posts SET caption = coalesce(caption, '') || ' Thanks to @glowco for the skincare "
        f"serum #ad #skincare #makeup' WHERE post_id IN ({edited})",
    )
    creator = a.store.scalar("SELECT creator_id FROM posts ORDER BY post_id DESC LIMIT 1")
    own = int(a.store.scalar("SELECT count(*) FROM posts WHERE creator_id = ?", [creator]))
    _both(pair, f"UPDATE creators SET bio = 'Gaming and esports streams daily' WHERE creator_id = '{creator}'")
    gone = a.store.scalar("SELECT post_id FROM posts ORDER BY post_id LIMIT 1 OFFSET 20")
    _both(pair, f"DELETE FROM comments WHERE post_id = '{gone}'")
    _both(pair, f"DELETE FROM posts WHERE post_id = '{gone}'")
    changed = _score(pair, "edits")
    assert changed["disclosure"] == changed["safety"] == 7  # a bio is no input of either check
    assert 7 + own - 1 <= changed["content"] <= 7 + own

    # 5. the rules change: every post is rescored, and the new rules' results are those of a full run
    digest = _incremental.rules_digest
    monkeypatch.setattr(_incremental, "rules_digest", lambda *args: digest(*args) + "-v2")
    classify = niches.classify_posts

    def classify_v2(*args: Any, **kwargs: Any) -> pd.DataFrame:
        frame = classify(*args, **kwargs)
        frame["evidence"] = frame["evidence"].str.upper()
        return frame

    check = disclosure.check_disclosure

    def check_v2(*args: Any, **kwargs: Any) -> pd.DataFrame:
        frame = check(*args, **kwargs)
        frame["explanation_en"] = frame["explanation_en"] + " (rules v2)"
        return frame

    screen = safety.screen

    def screen_v2(*args: Any, **kwargs: Any) -> pd.DataFrame:
        frame = screen(*args, **kwargs)
        frame["terms"] = frame["terms"] + " (v2)"
        return frame

    monkeypatch.setattr(_brand_safety_step, "screen", screen_v2)
    monkeypatch.setattr(_content_step, "classify_posts", classify_v2)  # the names the steps call
    monkeypatch.setattr(_disclosure_step, "check_disclosure", check_v2)
    n_now = int(a.store.scalar("SELECT count(*) FROM posts"))
    assert _score(pair, "rule change") == {"content": n_now, "disclosure": n_now, "safety": n_now}
    assert a.store.scalar("SELECT count(*) FROM disclosure_verdicts WHERE explanation_en NOT LIKE '%(rules v2)'") == 0
    assert a.store.scalar("SELECT count(*) FROM safety_flags WHERE terms NOT LIKE '%(v2)'") == 0
    assert a.store.scalar("SELECT count(*) FROM safety_flags") > 0
