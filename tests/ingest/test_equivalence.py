"""The columnar ingest stores exactly what the row-by-row ingest stored (issue 16 §4).

fixtures/ingest_equivalence.json holds, per case, the row count and a digest of every stored
table (posts, creators, follower_snapshots, quarantine with its reasons, value_notes with each
null cell's reason, ingests, aliases) and of the file reports, computed with the row-by-row code
before the columnar reader replaced it. Cases: real exports in ../shared/data and seeded messy
files (tests/ingest/_equivalence.py: ragged and blank rows, BOM, UTF-16, cp949, broken bytes,
U+FFFD, "12.7K", "3.5만", "#VALOR!", odd dates, a file larger than a read block).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from . import _equivalence as eq

EXPECTED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "ingest_equivalence.json").read_text()
)


@pytest.fixture(scope="module")
def cases(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return eq.case_files(shared_data, tmp_path_factory.mktemp("messy"))


def test_every_case_has_expectations() -> None:
    assert set(EXPECTED) == set(eq.SHARED_CASES) | {
        "messy-utf8", "messy-platforms-bom", "messy-tsv-utf16", "messy-cp949",
        "messy-broken-bytes", "messy-creators", "messy-snapshots", "bench-shaped", "messy-large",
    }  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_same_tables_as_row_by_row_ingest(
    case: str, cases: dict[str, Any], tmp_path: Path
) -> None:
    files, options = cases[case]
    tables, reports = eq.ingest_case(tmp_path / "ws.duckdb", files, options)
    got = eq.digests(tables, reports)
    expected = EXPECTED[case]
    assert {k: v[0] for k, v in got.items() if k != "reports"} == {
        k: v[0] for k, v in expected.items() if k != "reports"
    }
    assert {k: got[k] for k in sorted(got)} == {k: expected[k] for k in sorted(expected)}
