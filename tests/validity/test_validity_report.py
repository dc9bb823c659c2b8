"""scripts/validity_report.py: figures -> docs/validity.md, and the name check."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .conftest import validity_report

report = validity_report()


def write(path: Path, *figures: dict[str, object]) -> None:
    path.write_text("".join(json.dumps(f) + "\n" for f in figures), "utf-8")


def fig(metric: str, value: float, **extra: object) -> dict[str, object]:
    base = {"estimate": "ER | tiktok", "truth": "planted", "metric": metric, "figure": value,
            "n": 1200, "threshold": ">= 0.9", "section": "units"}  # fmt: skip
    return {**base, **extra}


def test_render_parse_and_newest_file_wins(tmp_path: Path) -> None:
    write(tmp_path / "old.jsonl", fig("AUC", 0.5), fig("recall", 0.25, section="other stuff"))
    write(tmp_path / "new.jsonl", fig("AUC", 0.93))
    os.utime(tmp_path / "old.jsonl", (1, 1))
    rows = report.read_results(tmp_path)
    assert sorted((r.metric, r.figure) for r in rows) == [("AUC", 0.93), ("recall", 0.25)]
    text = report.render(rows)
    assert "| ER \\| tiktok | planted | AUC | 0.930 | 1,200 | >= 0.9 |" in text
    assert text.index("## units") < text.index("## other stuff")  # known sections first
    assert report.doc_names(text) == {r.name for r in rows}


def test_check_compares_names_not_values(tmp_path: Path) -> None:
    results, doc = tmp_path / "results", tmp_path / "validity.md"
    results.mkdir()
    write(results / "a.jsonl", fig("AUC", 0.91))
    assert report.main(["--results", str(results), "--out", str(doc)]) == 0
    write(results / "a.jsonl", fig("AUC", 0.42))  # another run, another value: still in sync
    assert report.main(["--results", str(results), "--out", str(doc), "--check"]) == 0
    write(results / "a.jsonl", fig("AUC", 0.42), fig("MCC", 0.7))  # a new figure: out of sync
    assert report.main(["--results", str(results), "--out", str(doc), "--check"]) == 1


def test_the_committed_page_is_a_rendered_page() -> None:
    text = report.DOC.read_text("utf-8")
    assert text.startswith(report.HEADER)
    names = report.doc_names(text)
    assert names and all(all(part for part in name) for name in names)
    assert "docs/validity.md" in Path(report.REPO / "README.md").read_text("utf-8")
