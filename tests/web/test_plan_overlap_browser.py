"""The web planner in a real Chromium shows which picks' audience overlap was measured from
follower lists (issue 15 section 4, docs/planner.md "Measured overlap")."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import pytest

from creatorlens import Workspace
from creatorlens.web import create_app

from ._browser import ARTIFACTS, open_session, serving
from .webdata import build_workspace

pytestmark = pytest.mark.browser

#: follower lists: two creators with the same followers, two of their own; nanobeauty has none
LISTS = {
    "glowkim": {f"fan{i}" for i in range(2000)},
    "xssbio": {f"fan{i}" for i in range(2000)},
    "imgbio": {f"other{i}" for i in range(2000)},
    "seoulfood": {f"fan{i}" for i in range(1500, 2500)},
}


@pytest.fixture(scope="module")
def overlap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("plan-overlap")
    web = build_workspace(folder)
    edges = folder / "follows.csv"
    with edges.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "target", "kind", "weight", "time"])
        for handle, fans in LISTS.items():
            for fan in sorted(fans):
                writer.writerow([fan, handle, "follow", 1, "2025-05-01"])
    with Workspace(web.path) as ws:
        ws.ingest(edges, platform="instagram", kind="edges")
    with serving(create_app(web.path)) as base:
        yield base


def test_plan_page_marks_measured_and_modelled_picks(browser: Any, overlap_server: str) -> None:
    with open_session(browser, overlap_server) as s:
        page = s.page
        page.goto(f"{overlap_server}/plan")
        page.fill("input[name=budget]", "5000000")
        page.fill("input[name=target]", "country=KR")
        page.click("#run-plan")
        page.wait_for_selector("#plan-table", timeout=60_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#plan-summary").screenshot(path=str(ARTIFACTS / "plan-overlap.png"))
        rows = page.locator("#plan-table tbody tr.has-why")
        by_handle = {}
        for k in range(rows.count()):
            cells = rows.nth(k).locator("td")
            by_handle[cells.nth(0).inner_text().lstrip("@")] = cells.nth(cells.count() - 1).inner_text()
        assert by_handle, "the plan has picks"
        for handle, overlap in by_handle.items():
            assert overlap == ("measured (follower lists)" if handle in LISTS else "modelled (segments)")
        totals = page.locator("#plan-totals").inner_text()
        measured = [h for h in by_handle if h in LISTS]
        union = set().union(*(LISTS[h] for h in measured))
        assert f"{len(measured)} of {len(by_handle)} picks from follower lists" in totals
        assert f"{len(union):,} (exact union of follower ids)" in totals
        assert "segment model alone" in totals
