"""Prices on every profile come from the planner's own estimator (Workspace.prices)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatorlens._workspace import Workspace
from creatorlens.cli import app
from creatorlens.planner import Brief


def test_profile_prices_match_what_the_planner_pays(workspace_path: Path) -> None:
    with Workspace(workspace_path) as ws:
        p = ws.plan(Brief.build(budget=8000, goal="trust", target="country=US", currency="EUR"))
        assert p.creators
        for c in p.creators[:5]:
            prices = ws.prices(c.handle, c.platform, currency="EUR")
            item = next(d for d in prices.deliverables if d.deliverable == c.deliverable)
            assert (item.price.low, item.price.mid, item.price.high) == pytest.approx(
                (c.price.low, c.price.mid, c.price.high)
            )
            assert item.price.unit == "EUR" and item.cpe.unit == "EUR per engagement"
            assert item.cpm.low <= item.cpm.mid <= item.cpm.high
            assert item.sources and "ECB" in item.price.mid_source
        kinds = {d.deliverable for d in ws.prices(p.creators[0].handle, p.creators[0].platform).deliverables}
        assert kinds  # every deliverable the rate data prices on that platform


def test_show_and_api_and_page_carry_prices(workspace_path: Path) -> None:
    with Workspace(workspace_path) as ws:
        row = ws.store.exec("SELECT handle, platform FROM scorecard WHERE platform = 'instagram' LIMIT 1")
    handle, platform = row[0]
    result = CliRunner().invoke(
        app, ["show", handle, "--platform", platform, "--db", str(workspace_path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Estimated prices" in result.output and "per engagement" in result.output
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from creatorlens.web import create_app

    with TestClient(create_app(workspace_path), base_url="http://127.0.0.1") as client:
        card = client.get(f"/api/v1/creators/{platform}/{handle}").json()
        assert card["prices"]["rows"] and card["prices"]["currency"]
        page = client.get(f"/creator/{platform}/{handle}").text
        section = page[page.index('id="prices"') :]
        assert "price-table" in section[:2000] and re.search(r"per engagement", section[:4000])
