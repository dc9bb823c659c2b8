"""The validity suite: the product's estimates against the truth.

Two sources of truth: the demo generator's planted truth (a seeded demo small enough for CI,
``validity_demo``) and the labelled real data in ``../shared/data`` (``shared_data``, from the root
conftest). Every test states its figure through ``record_figure`` as well as asserting its
threshold, so that ``scripts/validity_report.py`` can regenerate ``docs/validity.md`` from the
suite's own output (one JSON line per figure under ``build/validity/``).
"""

from __future__ import annotations

import fcntl
import functools
import importlib.util
import json
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

import creatorlens
from creatorlens.demo import DemoData

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(os.environ.get("CREATORLENS_VALIDITY_DIR", REPO / "build" / "validity"))

# The seeded validity demo: big enough for per-tier figures, small enough for CI (~40 s to build
# and score on 2 cores).
VALIDITY_SEED = 2026
VALIDITY_CREATORS = 2000
VALIDITY_POSTS = 30


@dataclass(frozen=True)
class Figure:
    """One row of docs/validity.md: what was estimated, against which truth, how well."""

    estimate: str  # e.g. "audience quality (follower sample)"
    truth: str  # e.g. "demo planted fake share"
    metric: str  # e.g. "AUC planted-fake vs clean"
    figure: float
    n: int
    threshold: str = ""  # the acceptance bound the test asserts, e.g. ">= 0.90"
    section: str = ""  # the table it belongs to in docs/validity.md, e.g. "authenticity"


RecordFigure = Callable[..., Figure]


@functools.cache
def validity_report() -> ModuleType:
    """scripts/validity_report.py as a module (it renders and parses docs/validity.md)."""
    name = "creatorlens_validity_report"
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "validity_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def record_figure(worker_id: str) -> Iterator[RecordFigure]:
    """Write each figure as a JSON line to build/validity/results-<worker>.jsonl.

    At the end of the session every figure recorded must have its row in docs/validity.md (by
    name: section, estimate, truth, metric; values vary from run to run): a new or renamed figure
    fails the session's last validity test until ``scripts/validity_report.py`` is run."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"results-{worker_id}.jsonl"
    path.unlink(missing_ok=True)
    names: set[tuple[str, str, str, str]] = set()
    with path.open("a", encoding="utf-8") as out:

        def record(**fields: object) -> Figure:
            fig = Figure(**fields)  # type: ignore[arg-type]
            out.write(json.dumps(asdict(fig), ensure_ascii=False) + "\n")
            out.flush()
            names.add((fig.section or "other", fig.estimate, fig.truth, fig.metric))
            return fig

        yield record
    report = validity_report()
    doc = report.DOC.read_text("utf-8") if report.DOC.exists() else ""
    missing = sorted(names - report.doc_names(doc))
    assert not missing, (
        "docs/validity.md lacks these figures; run `python scripts/validity_report.py` after the "
        "validity suite:\n" + "\n".join(" / ".join(m) for m in missing)
    )


@dataclass(frozen=True)
class ValidityDemo:
    path: Path
    data: DemoData


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> tuple[Path, object]:
    """A workspace built by the first test process that asks for it and copied by the others.

    Under pytest-xdist every worker has its own session fixtures, so the seeded demo and the
    real-export workspace were each built and scored twice in `make test`. The build runs under
    an exclusive lock in the directory all workers share; each worker then works on its own
    copy of the file, so a test that writes cannot disturb another. ``build(path)`` builds the
    file at ``path`` and returns what the fixture needs besides it (pickled next to it).
    """
    base = tmp_path_factory.getbasetemp()
    # under xdist, basetemp is <run>/popen-gwN and <run> is this run's own, shared by its workers
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    built, extra = shared / f"{name}.duckdb", shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            building = shared / f"{name}.building.duckdb"
            result = build(building)
            extra.write_bytes(pickle.dumps(result))
            os.replace(building, built)
    copy = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    shutil.copyfile(built, copy)
    return copy, pickle.loads(extra.read_bytes())


def _build_validity_demo(path: Path) -> DemoData:
    ws = creatorlens.open(path)
    try:
        data, _ = ws.demo(
            seed=VALIDITY_SEED, creators=VALIDITY_CREATORS, posts_per_creator=VALIDITY_POSTS
        )
    finally:
        ws.close()
    return data


@pytest.fixture(scope="session")
def validity_demo(tmp_path_factory: pytest.TempPathFactory) -> ValidityDemo:
    """The seeded demo, built and scored once per `make test` run (see ``built_once``); open it
    with ``creatorlens.open``."""
    path, data = built_once(tmp_path_factory, "validity-demo", _build_validity_demo)
    assert isinstance(data, DemoData)
    return ValidityDemo(path=path, data=data)


@dataclass(frozen=True)
class RealWorkspace:
    path: Path


#: The real exports a user would ingest (tests/ingest/test_real_datasets.py checks each one's
#: counts): file under ../shared/data -> ingest keywords.
REAL_EXPORTS: tuple[tuple[str, dict[str, object]], ...] = (
    ("tiktok-vn-2025/raw_data.csv", {}),
    ("tiktok-trending-2020/trending.json", {}),
    (
        "instagram-reach/instagram_reach.csv",
        {"platform": "instagram", "observed_at": datetime(2018, 7, 10)},
    ),
    (
        "ig-influencers-kim2020/influencers.txt",
        {"platform": "instagram", "observed_at": datetime(2019, 1, 1)},
    ),
)


def _build_real_workspace(path: Path, shared_data: Path) -> None:
    ws = creatorlens.open(path)
    try:
        for name, options in REAL_EXPORTS:
            ws.ingest(shared_data / name, **options)  # type: ignore[arg-type]
        for f in sorted((shared_data / "top1000-social-2022").glob("*.csv")):
            # PROVENANCE: three files carry no month; dated before June as in the ingest tests
            ws.ingest(f, observed_at=None if "2022" in f.name else datetime(2022, 3, 1))
        ws.score()
    finally:
        ws.close()


@pytest.fixture(scope="session")
def real_workspace(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> RealWorkspace:
    """A workspace built from the real exports in ../shared/data and scored, once per `make test`
    run (see ``built_once``)."""
    path, _ = built_once(
        tmp_path_factory, "validity-real", lambda p: _build_real_workspace(p, shared_data)
    )
    return RealWorkspace(path=path)
