"""What a page or a report shows, gathered from Workspace methods into plain, JSON-safe dicts.

Shared by the dashboard (creatorlens.web), the REST API and the self-contained HTML report, so
all three show the same numbers. No formulas here: values come from the workspace as stored.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import ibis

from creatorlens._workspace import CreatorFilter
from creatorlens.metrics import (
    HEADLINE_ER,
    benchmark_for,
    headline_er,
    headline_er_value,
    published_benchmarks,
)
from creatorlens.presentation import _charts as charts
from creatorlens.presentation._i18n import DEFAULT_LANG, catalog
from creatorlens.presentation._labels import (
    CAPABILITY_METRICS as CAPABILITY_METRICS,
    capabilities as capabilities,
)
from creatorlens.presentation._values import PERCENT_UNITS, unit_for
from creatorlens.tiers import DEFAULT_SCHEME, TierScheme

if TYPE_CHECKING:
    from creatorlens._workspace import Workspace

#: Result tables of other capabilities shown when present (table -> key column).
OPTIONAL_TABLES = {
    "growth_anomalies": "creator_id",
    "disclosure_verdicts": "post_id",
    "post_topics": "post_id",
}
#: The scorecard metrics shown on a creator page, in order (docs/metrics.md defines each).
SCORECARD_METRICS = (
    "followers",
    "er_followers_lc_median",
    "er_followers_lc_mean",
    "er_followers_lcs_median",
    "er_views_lcs_median",
    "er_views_lcs_mean",
    "er_reach_lc_median",
    "avg_views",
    "median_views",
    "view_rate",
    "comments_per_100_likes",
    "posts_per_week",
    "follower_growth_30d",
    "follower_growth_30d_pct",
)
COMPARE_METRICS = (
    "followers",
    "er_followers_lc_median",
    "er_views_lcs_median",
    "er_percentile_peers",
    "comments_per_100_likes",
    "follower_growth_30d_pct",
    "avg_views",
)
MAX_COMPARE = 5
#: How many creators the overview scatter draws (the first by handle: unrelated to size).
SCATTER_POINTS = 3000
TOP_PER_NICHE = 5
MAX_NICHES = 12


def jsonable(value: Any) -> Any:
    """A value JSON can carry: NaN/inf become None, times become ISO text, bytes base64."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return jsonable(value.item())
    return value


def rows(table: ibis.Table) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = jsonable(table.to_pyarrow().to_pylist())
    return out


def parse_creator_id(creator_id: str) -> tuple[str | None, str]:
    platform, sep, handle = creator_id.partition(":")
    return (platform, handle) if sep else (None, creator_id)


# -- overview -----------------------------------------------------------------------------------
def overview(
    ws: Workspace, platform: str | None = None, scheme: str = DEFAULT_SCHEME, lang: str = DEFAULT_LANG
) -> dict[str, Any]:
    tier_scheme = TierScheme.load(scheme)
    tiers = rows(ws.tiers(scheme))
    if not tiers:
        return {"empty": True, "tiers": [], "charts": {}, "freshness": freshness(ws)}
    platforms = sorted({str(r["platform"]) for r in tiers})
    counts = {p: sum(int(r["creators"]) for r in tiers if r["platform"] == p) for p in platforms}
    chosen = platform if platform in platforms else max(platforms, key=lambda p: counts[p])
    sc = ws.creators(platform=chosen, sort="handle", descending=False, limit=SCATTER_POINTS)
    er = headline_er(sc)
    extra = {}
    if "er_rankable" in sc.columns:
        extra = {"rankable": sc.er_rankable, "er_flags": sc.er_flags}
    points = [
        r
        for r in rows(sc.select("handle", "platform", "tier", "followers", er=er, **extra))
        if r["er"] is not None and (r["followers"] or 0) > 0 and not implausible(r.get("er_flags"))
    ]
    max_followers = max((float(r["followers"]) for r in points), default=1.0)
    bands = charts.benchmark_bands(published_benchmarks(), tier_scheme, chosen, max_followers)
    tier_counts = [
        {"platform": r["platform"], "tier": r["tier"], "creators": r["creators"]} for r in tiers
    ]
    return {
        "empty": False,
        "platform": chosen,
        "platforms": platforms,
        "tiers": tiers,
        "top": top_per_niche(ws),
        "freshness": freshness(ws),
        "bands": bands,
        "charts": {
            "tiers": charts.tier_distribution(
                tier_counts, [*tier_scheme.names, "(below first tier)"], t=catalog(lang)
            ),
            "er_followers": charts.er_vs_followers(points, bands, t=catalog(lang)),
        },
    }


def implausible(flags: str | None) -> bool:
    """An ER flagged by a plausibility bound (not only for too few posts): kept out of charts."""
    return any(part and not part.startswith("too few posts") for part in (flags or "").split("; "))


def top_per_niche(ws: Workspace) -> list[dict[str, Any]]:
    """The best creators (ER percentile among near-size peers) per niche, else per category."""
    card = ws.scorecard()
    column = "main_niche" if "main_niche" in card.columns else "categories"
    labelled = card.filter(card[column].notnull() & (card[column] != ""))
    groups = (
        labelled.group_by(column)
        .aggregate(n=labelled.count())
        .order_by([ibis.desc("n"), column])
        .limit(MAX_NICHES)
    )
    out = []
    # "other" (no niche of the taxonomy) is listed last however many creators it holds
    for group in sorted(rows(groups), key=lambda g: str(g[column]) == "other"):
        value = str(group[column])
        f = CreatorFilter(niche=value) if column == "main_niche" else CreatorFilter()
        t = ws.creators(f, sort="er_percentile_peers")
        if "er_rankable" in t.columns:  # too few posts or implausible: never ranked
            t = t.filter(t.er_rankable)
        if column == "categories":
            t = t.filter(t.categories == value)
        t = t.limit(TOP_PER_NICHE)
        picked = rows(
            t.select(
                "creator_id",
                "handle",
                "platform",
                "tier",
                "followers",
                "er_followers_lc_median",
                "er_followers_lc_mean",
                "er_percentile_peers",
            )
        )
        for c in picked:  # the ER the percentile ranks: the median, else the mean (HEADLINE_ER)
            c["er"] = headline_er_value(c)
            c["er_is_mean"] = c["er"] is not None and c.get("er_followers_lc_median") is None
        out.append({"niche": value, "kind": column, "creators": picked, "n": group["n"]})
    return out


def freshness(ws: Workspace) -> dict[str, Any]:
    ingests = ws.ingests()
    summary = rows(
        ingests.aggregate(
            files=ingests.count(),
            last_ingest=ingests.finished_at.max(),
            creators=ingests.creators.sum(),
            posts=ingests.posts.sum(),
        )
    )[0]
    if ws.store.has_table("scorecard"):
        card = ws.scorecard()
        summary.update(
            rows(
                card.aggregate(
                    latest_observation=card.window_end.max(),
                    scored_at=card.scored_at.max(),
                    scored_creators=card.count(),
                )
            )[0]
        )
    # the scoring window ends at the newest post; snapshots can be newer (a watch run, a ranking)
    summary["latest_snapshot"] = ws.latest_snapshot_at()
    return summary


# -- creator ------------------------------------------------------------------------------------
def creator(
    ws: Workspace,
    handle: str,
    platform: str | None = None,
    posts_limit: int = 30,
    lang: str = DEFAULT_LANG,
) -> dict[str, Any]:
    """Everything the creator page and the creator report show."""
    row: dict[str, Any] = jsonable(ws.creator(handle, platform))
    cid = str(row["creator_id"])
    growth_data = growth(ws, cid)
    audience_rows = audience(ws, cid)
    chart_specs: dict[str, Any] = {}
    if growth_data["snapshots"]:
        chart_specs["growth"] = charts.follower_growth(
            growth_data["snapshots"], growth_data["markers"], t=catalog(lang)
        )
    if audience_rows:
        chart_specs["audience"] = charts.audience(audience_rows, t=catalog(lang))
    history = history_panel(ws, cid)
    if history is not None and history["views_series"]:
        chart_specs["views"] = charts.total_views(history["views_series"], t=catalog(lang))
    profile = optional_rows(ws, "creators", "creator_id", [cid])
    return {
        "row": row,
        "bio": profile[0].get("bio") if profile else None,
        "metrics": scorecard_metrics(row),
        "capabilities": capabilities(row),
        "posts": posts(ws, cid, posts_limit),
        "has_verdicts": ws.store.has_table("disclosure_verdicts"),
        "snapshots": growth_data["snapshots"],
        "anomalies": growth_data["anomalies"],
        "has_anomalies": growth_data["computed"],
        "audience": audience_rows,
        "authenticity": authenticity(ws, str(row["handle"]), str(row["platform"])),
        "prices": prices(ws, row, lang),
        "charts": chart_specs,
        "community": community_panel(ws, row),
        "history": history,
    }


def history_panel(ws: Workspace, creator_id: str, days: int = 30) -> dict[str, Any] | None:
    """The Social Blade-style table of the creator page: the last ``days`` days newest first
    with the day's followers and total views (None: unknown) and their gains, the 1/7/30-day
    changes of both and the follower projections (None without follower snapshots)."""
    history = ws.follower_history(creator_id)
    if not history.daily:
        return None
    views = ws.view_history(creator_id)
    views_by_day = {d.day: d for d in views.daily}
    daily = []
    for d in reversed(history.daily[-days:]):
        v = views_by_day.get(d.day)
        daily.append({
            "day": d.day.isoformat(),
            "followers": f"{d.count:,}",
            "gain": _signed(d.gain),
            "sign": _sign(d.gain),
            "days": d.days,
            "views": None if v is None else f"{v.count:,}",
            "views_gain": None if v is None else _signed(v.gain),
            "views_sign": 0 if v is None else _sign(v.gain),
            "views_days": None if v is None else v.days,
        })  # fmt: skip
    projections = [
        {
            "n": p.days,
            "followers": f"{p.value:,.0f}",
            "low": None if p.low is None else f"{p.low:,.0f}",
            "high": None if p.high is None else f"{p.high:,.0f}",
            "basis": p.basis,
        }
        for p in history.projections
    ]
    return {
        "daily": daily,
        "gains": _gain_rows(history),
        "projections": projections,
        "views_gains": _gain_rows(views) if views.daily else [],
        "views_series": [{"day": d.day.isoformat(), "views": d.count} for d in views.daily],
    }


def _signed(gain: int | None) -> str:
    return "—" if gain is None else f"{gain:+,}"


def _sign(gain: int | None) -> int:
    return 0 if not gain else (1 if gain > 0 else -1)


def _gain_rows(history: Any) -> list[dict[str, Any]]:
    """A ``metrics.History``'s 1/7/30-day changes as the history panel shows them."""
    return [
        {"n": n, "change": None, "sparse": n in history.sparse}
        if g is None
        else {
            "n": n,
            "change": f"{g.change:+,}",
            "pct": None if g.pct is None else f"{g.pct:+.2%}",
            "per_day": f"{g.per_day:+,.1f}",
            "span": g.span,
            "since": g.since.isoformat(),
        }
        for n, g in history.gains.items()
    ]


def community_panel(ws: Workspace, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The creator's community and graph features for its panel; None when the creator is not
    in the interaction graph or no scoring run computed it (a page never starts a scoring run)."""
    found = ws.creator_community(str(row["handle"]), str(row["platform"]), score_missing=False)
    if found is None:
        return None
    summary = dict(found["community"] or {})
    for key in ("main_niches", "countries", "languages"):
        summary[key] = json.loads(summary[key]) if isinstance(summary.get(key), str) else []
    out: dict[str, Any] = jsonable(
        {"features": found["features"], "community": summary, "leaders": found["leaders"]}
    )
    return out


def prices(ws: Workspace, row: Mapping[str, Any], lang: str = DEFAULT_LANG) -> dict[str, Any] | None:
    """The creator's estimated price per deliverable (Workspace.prices) with its formatted rows;
    None when the build has no planner or the row cannot be priced."""
    if not hasattr(ws, "prices"):
        return None
    from creatorlens.presentation._plan import price_rows

    try:
        data: dict[str, Any] = jsonable(ws.prices(dict(row)).model_dump(mode="json"))
    except (ValueError, KeyError) as exc:
        return {"error": str(exc), "rows": [], "columns": []}
    return {**data, **price_rows(data, lang)}


def posts(ws: Workspace, creator_id: str, limit: int = 30) -> list[dict[str, Any]]:
    """Recent posts, each with the disclosure verdicts of the content step when it has run."""
    items = rows(ws.posts(creator_id, limit))
    verdicts = optional_rows(ws, "disclosure_verdicts", "post_id", [p["post_id"] for p in items])
    by_post: dict[str, list[dict[str, Any]]] = {}
    for v in verdicts:
        by_post.setdefault(str(v.get("post_id")), []).append(v)
    for p in items:
        p["verdicts"] = by_post.get(str(p["post_id"]), [])
    return items


def growth(ws: Workspace, creator_id: str) -> dict[str, Any]:
    """Follower snapshots and the anomalies detected in them (with a y value to draw them at)."""
    snapshots = rows(ws.snapshots(creator_id).select("observed_at", "followers"))
    anomalies = optional_rows(ws, "growth_anomalies", "creator_id", [creator_id])
    followers_at = {s["observed_at"]: s["followers"] for s in snapshots}
    markers = [
        {**a, "followers": a.get("followers") or followers_at.get(a.get("observed_at"))}
        for a in anomalies
    ]
    return {
        "snapshots": snapshots,
        "anomalies": anomalies,
        "markers": [m for m in markers if m["followers"] is not None],
        "computed": ws.store.has_table("growth_anomalies"),
    }


def audience(ws: Workspace, creator_id: str) -> list[dict[str, Any]]:
    return rows(ws.audience(creator_id).select("dimension", "bucket", "share", "source"))


def scorecard_metrics(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each scorecard metric with the percentile and the published benchmark beside it."""
    bench = benchmark_for(str(row.get("platform")), row.get("tier"))
    # The percentiles rank the headline ER (the median, else the mean: metrics.HEADLINE_ER), so
    # they stand beside the ER they were computed from; on the median's row when it is unknown
    # they read as a percentile of "—".
    ranked = next(
        (n for n in HEADLINE_ER if isinstance(row.get(n), int | float) and math.isfinite(row[n])),
        HEADLINE_ER[0],
    )
    out = []
    for name in SCORECARD_METRICS:
        item: dict[str, Any] = {
            "metric": name,
            "value": row.get(name),
            "percentile_tier": None,
            "percentile_peers": None,
            "benchmark": None,
        }
        if name == ranked:
            item["percentile_tier"] = row.get("er_percentile_tier")
            item["percentile_peers"] = row.get("er_percentile_peers")
        unranked = name.startswith("er_") and row.get("er_rankable") is False
        if unranked:  # shown, flagged, and compared with no benchmark (docs/metrics.md)
            item["flag"] = row.get("er_flags")
        if bench is not None and bench.compared_metric == name and not unranked:
            item["benchmark"] = {
                "label": bench.label,
                "er_low": bench.er_low,
                "er_high": bench.er_high,
                "formula_differs": bench.formula_differs,
            }
        out.append(item)
    return out


def authenticity(ws: Workspace, handle: str, platform: str) -> dict[str, Any] | None:
    audit = getattr(ws, "audit", None)
    if audit is None:
        return None
    report = audit(handle, platform)
    out: dict[str, Any] = jsonable(report.as_dict() if hasattr(report, "as_dict") else report)
    return out


def optional_rows(
    ws: Workspace, table: str, key: str, values: Sequence[Any]
) -> list[dict[str, Any]]:
    """Rows of another capability's result table for these keys; [] when it has not run."""
    if not values or not ws.store.has_table(table):
        return []
    t = ws.store.table(table)
    if key not in t.columns:
        return []
    return rows(t.filter(t[key].isin(list(values))).limit(1000))


# -- compare ------------------------------------------------------------------------------------
def compare(
    ws: Workspace, creator_ids: Iterable[str], lang: str = DEFAULT_LANG
) -> dict[str, Any]:
    ids = list(dict.fromkeys(c for c in creator_ids if c))
    truncated = len(ids) > MAX_COMPARE
    picked = []
    for cid in ids[:MAX_COMPARE]:
        platform, handle = parse_creator_id(cid)
        picked.append(jsonable(ws.creator(handle, platform)))
    long_rows = [
        {"handle": f"@{r['handle']}", "metric": m, "value": _display_number(r.get(m), m)}
        for r in picked
        for m in COMPARE_METRICS
        if r.get(m) is not None
    ]
    return {
        "creators": picked,
        "metrics": [
            *COMPARE_METRICS,
            *(k for k in CAPABILITY_METRICS if any(k in r for r in picked)),
        ],
        "truncated": truncated,
        "charts": {"compare": charts.compare_metrics(long_rows, t=catalog(lang))} if long_rows else {},
    }


def _display_number(value: Any, column: str) -> Any:
    """A value on the scale the table beside the chart shows it in: a fraction or a rate as
    percentage points (0.0123 -> 1.23), a 0-1 percentile as 0-100; other values unchanged."""
    unit = unit_for(column)
    if isinstance(value, int | float) and (unit in PERCENT_UNITS or unit == "percentile"):
        return value * 100
    return value


# -- plan ---------------------------------------------------------------------------------------
def plan(plan_data: Mapping[str, Any], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """A plan (``Plan.model_dump(mode="json")``) with its charts."""
    from creatorlens.presentation._plan import plan_view

    data: dict[str, Any] = jsonable(dict(plan_data))
    chosen = data.get("creators") or []
    points = [
        {
            "handle": c["handle"],
            "tier": c["tier"],
            "cost_low": c["cost"]["low"],
            "cost_mid": c["cost"]["mid"],
            "cost_high": c["cost"]["high"],
            "reach_low": c["target_reach"]["low"],
            "reach_mid": c["target_reach"]["mid"],
            "reach_high": c["target_reach"]["high"],
        }
        for c in chosen
    ]
    mix = [
        {"tier": m["tier"], "spend_share": m["spend_share"], "creators": m["creators"]}
        for m in data.get("tier_mix") or []
    ]
    specs = {}
    if mix:
        specs["tier_mix"] = charts.tier_mix(mix, t=catalog(lang))
    if points:
        specs["reach_cost"] = charts.reach_vs_cost(points, t=catalog(lang))
    return {"plan": data, "view": plan_view(data, lang), "charts": specs}
