"""The capability scoring steps that `Workspace.score` runs after the scorecard, in order.

Each step is a typed object: its name, the tables it reads and writes, and the function that
runs it. The functions import their module when they run, with ordinary import statements, so
that `creatorlens --help` does not load pandas and the classifiers (tests/cli/test_startup.py);
an import that fails is an error of that step, never a silent skip (docs/errors.md "Scoring
steps"). Only a step that declares an optional ``extra`` may be skipped, and only when the
module missing is one of that extra's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from creatorlens.errors import OptionError

if TYPE_CHECKING:
    from creatorlens.store import Store


@dataclass(frozen=True)
class ScoringStep:
    name: str
    #: Tables the step reads when they exist (the staged scorecard included).
    reads: tuple[str, ...]
    #: Tables the step replaces; nothing else.
    writes: tuple[str, ...]
    run: Callable[[Store], None]
    #: The optional extra (``pip install 'creatorlens[NAME]'``) the step needs, if any, and the
    #: top-level modules of that extra: only a ModuleNotFoundError for one of them skips the
    #: step. The step must import them before it writes anything.
    extra: str | None = None
    extra_modules: tuple[str, ...] = ()
    #: The step's incremental run (docs/concurrency.md "Incremental scoring"): it rescores only the
    #: posts whose inputs changed since the published run. None: the step always runs in full.
    incremental: Callable[[Store], None] | None = None

    def needs_missing_extra(self, exc: ImportError) -> bool:
        """Whether ``exc`` is the step's optional extra not being installed."""
        missing = (exc.name or "").partition(".")[0]
        return (
            self.extra is not None
            and isinstance(exc, ModuleNotFoundError)
            and missing in self.extra_modules
        )


def _content(store: Store, *, incremental: bool = False) -> None:
    from creatorlens.content._content_step import score_content

    score_content(store, incremental=incremental)


def _disclosure(store: Store, *, incremental: bool = False) -> None:
    from creatorlens.content._disclosure_step import score_disclosure

    score_disclosure(store, incremental=incremental)


def _authenticity(store: Store) -> None:
    from creatorlens.authenticity._step import score_authenticity

    score_authenticity(store)


def _brands(store: Store) -> None:
    from creatorlens.content._brand_safety_step import score_brands

    score_brands(store)


def _safety(store: Store, *, incremental: bool = False) -> None:
    from creatorlens.content._brand_safety_step import score_safety

    score_safety(store, incremental=incremental)


def _graph(store: Store) -> None:
    from creatorlens.communities._step import score_graph
    from creatorlens.content._brand_safety_step import brand_account_ids

    score_graph(store, brand_accounts=brand_account_ids(store))


SCORING_STEPS: tuple[ScoringStep, ...] = (
    ScoringStep(
        "content",
        reads=("creators", "posts", "audience", "comments", "scorecard"),
        writes=("content_scores", "post_topics", "content_inputs"),
        run=_content,
        incremental=partial(_content, incremental=True),
    ),
    ScoringStep(
        "disclosure",
        reads=("posts", "comments", "creators"),
        writes=("disclosure_verdicts", "transparency_scores", "disclosure_inputs"),
        run=_disclosure,
        incremental=partial(_disclosure, incremental=True),
    ),
    ScoringStep(
        "authenticity",
        reads=("scorecard", "creators", "follower_snapshots", "posts", "comments", "follower_samples"),
        writes=("authenticity_scores", "growth_anomalies"),
        run=_authenticity,
    ),
    # after disclosure: a post's sponsorship and the accounts its disclosure names come from there
    ScoringStep(
        "brands",
        reads=("posts", "creators", "disclosure_verdicts"),
        writes=("brand_candidates",),
        run=_brands,
    ),
    ScoringStep(
        "safety",
        reads=("posts", "comments", "creators"),
        writes=("safety_flags", "safety_scores", "safety_inputs"),
        run=_safety,
        incremental=partial(_safety, incremental=True),
    ),
    ScoringStep(
        "graph",
        # after brands: mentions of brand accounts are commercial ties, not community ones
        reads=("edges", "comments", "posts", "creators", "content_scores", "brand_candidates"),
        writes=("graph_features", "communities"),
        run=_graph,
    ),
)

STEP_NAMES: tuple[str, ...] = tuple(step.name for step in SCORING_STEPS)


def select_steps(
    names: Sequence[str] | None, steps: Sequence[ScoringStep] = SCORING_STEPS
) -> list[ScoringStep]:
    """The steps to run, in their order: all of them, or those named (an unknown name is the
    caller's mistake, not a step to skip quietly)."""
    if names is None:
        return list(steps)
    known = {step.name for step in steps}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise OptionError(
            f"unknown scoring step(s) {', '.join(map(repr, unknown))}; "
            f"the steps are {', '.join(step.name for step in steps)}"
        )
    return [step for step in steps if step.name in names]
