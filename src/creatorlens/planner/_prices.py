"""A creator's estimated price per deliverable, with the CPM and cost per engagement it implies:
the planner's own estimator (``price_deliverables`` + ``expected_outcomes``) for one profile, so
`show`, the creator page, the API scorecard and the report quote what a plan would pay
(docs/planner.md "Prices on profiles")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from creatorlens.planner._costs import CostError, deliverables, price_deliverables
from creatorlens.planner._figures import Figure, ratio_figure
from creatorlens.planner._money import default_currency, exchange_rate, manual_rate
from creatorlens.planner._outcomes import RATE_KEYS, add_view_rates, expected_outcomes


class DeliverablePrice(BaseModel):
    model_config = ConfigDict(frozen=True)

    deliverable: str
    price: Figure
    cpm: Figure
    cpe: Figure
    sources: list[str]


class CreatorPrices(BaseModel):
    """Price ranges for every deliverable the rate data can price on the creator's platform."""

    model_config = ConfigDict(frozen=True)

    creator_id: str
    handle: str
    platform: str
    currency: str
    exchange_rate: dict[str, Any]
    impressions: Figure
    engagements: Figure
    deliverables: list[DeliverablePrice]
    note: str


def creator_prices(
    row: Mapping[str, Any], *, currency: str = "", usd_per_unit: float | None = None
) -> CreatorPrices:
    """Prices for one scorecard row (``Workspace.creator``). Currency: given, else the creator's
    country's (KR -> KRW), else USD."""
    code = (currency or "").strip().upper() or default_currency(
        [str(row.get("country") or "")] if row.get("country") else []
    )
    rate = manual_rate(code, usd_per_unit) if usd_per_unit is not None else exchange_rate(code)
    fx = rate.usd_per_unit
    note_fx = "" if rate.currency == "USD" else "; " + rate.note()
    frame = pd.DataFrame([dict(row)])
    for column in ("followers", "median_views", "avg_views", "view_rate"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame = add_view_rates(frame)
    outcomes = expected_outcomes(frame)
    frame = pd.concat([frame, outcomes], axis=1)
    frame["expected_views"] = frame["views_mid"]
    platform = str(row["platform"])

    def figure(prefix: str, unit: str, scale: float = 1.0, note: str = "") -> Figure:
        out = outcomes.iloc[0]
        return Figure(
            low=float(out[f"{prefix}_low"]) * scale,
            mid=float(out[f"{prefix}_mid"]) * scale,
            high=float(out[f"{prefix}_high"]) * scale,
            unit=unit,
            low_source=str(out.get(f"{prefix}_low_source", "")) + note,
            mid_source=str(out.get(f"{prefix}_mid_source", "")) + note,
            high_source=str(out.get(f"{prefix}_high_source", "")) + note,
        )

    impressions = figure("views", "impressions")
    engagements = figure("engagements", "engagements")
    items = []
    for plat, kind in deliverables():
        if plat != platform:
            continue
        try:
            cost = price_deliverables(frame, deliverable={platform: kind}).iloc[0]
        except CostError:
            continue
        if not np.isfinite(float(cost["cost_mid"])):
            continue
        price = Figure(
            low=float(cost["cost_low"]) / fx,
            mid=float(cost["cost_mid"]) / fx,
            high=float(cost["cost_high"]) / fx,
            unit=rate.currency,
            low_source=str(cost["cost_low_source"]) + note_fx,
            mid_source=str(cost["cost_mid_source"]) + note_fx,
            high_source=str(cost["cost_high_source"]) + note_fx,
        )
        items.append(
            DeliverablePrice(
                deliverable=kind,
                price=price,
                cpm=ratio_figure(price, impressions, f"{rate.currency} per 1K impressions", 1000),
                cpe=ratio_figure(price, engagements, f"{rate.currency} per engagement"),
                sources=sorted({str(cost[f"cost_{k}_source"]) for k in RATE_KEYS}),
            )
        )
    return CreatorPrices(
        creator_id=str(row["creator_id"]),
        handle=str(row["handle"]),
        platform=platform,
        currency=rate.currency,
        exchange_rate=rate.info(),
        impressions=impressions,
        engagements=engagements,
        deliverables=items,
        note=(
            "estimates from published rate cards and CPMs x this creator's expected views "
            "(data/costs/*.csv), the same estimator the planner uses; a quote replaces them"
            + note_fx
        ),
    )
