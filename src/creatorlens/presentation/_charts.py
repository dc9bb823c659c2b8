"""Chart specs as pure functions: plain rows in, a Vega-Lite dict out (built with Altair).

The dashboard and the HTML report share these, so a chart looks the same in both. Nothing here
reads the workspace; callers pass the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt

from creatorlens.metrics import PublishedBenchmark
from creatorlens.presentation._i18n import DEFAULT_LANG, Catalog, catalog
from creatorlens.tiers import TierScheme

Row = Mapping[str, Any]
Spec = dict[str, Any]

_WIDTH = "container"
_PERCENT = ".2%"


def _data(rows: Iterable[Row]) -> alt.Data:
    return alt.Data(values=[dict(r) for r in rows])  # type: ignore[no-untyped-call]


def _labelled(rows: Iterable[Row], t: Catalog, **kinds: str) -> list[dict[str, Any]]:
    """Rows whose coded fields (``tier="tier"``: field -> value kind) read as human labels in the
    chart's language: a chart shows "메가", never the code "mega" (the codes stay in JSON/CSV)."""
    return [
        {**r, **{f: t.value(kind, r.get(f)) for f, kind in kinds.items() if f in r}} for r in rows
    ]


def _t(t: Catalog | None) -> Catalog:
    return t if t is not None else catalog(DEFAULT_LANG)


#: Chart text's font families (style.css's body font; "Noto Sans KR" is the packaged one).
CHART_FONT = '"Noto Sans KR", system-ui, -apple-system, "Segoe UI", sans-serif'

#: Dates on time axes carry the year (2022 data must not look current) in every language.
_DATE_FORMAT = "%Y-%m-%d"


def _finish(chart: alt.TopLevelMixin, title: str | None = None) -> Spec:
    if title is not None:
        chart = chart.properties(title=title)
    # No schema validation at run time: Altair validates every data row too, which cost about a
    # second per page for the 20K-point scatter. tests/report/test_charts.py validates the spec of
    # every chart function against the Vega-Lite schema instead.
    spec: Spec = chart.to_dict(validate=False)
    # the page's families, so Vega measures and draws Hangul with the packaged Korean font (its
    # default "sans-serif" has no Hangul on a machine without a CJK font: boxes, clipped legends)
    spec.setdefault("config", {})["font"] = CHART_FONT
    return spec


def tier_distribution(
    rows: Sequence[Row],
    tier_order: Sequence[str],
    title: str | None = None,
    *,
    t: Catalog | None = None,
) -> Spec:
    """Stacked bars: creators per tier, coloured by platform. Rows: platform, tier, creators."""
    t = _t(t)
    chart = (
        alt.Chart(_data(_labelled(rows, t, tier="tier", platform="platform")))
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=[t.value("tier", x) for x in tier_order], title=None),
            y=alt.Y("creators:Q", title=None),
            color=alt.Color("platform:N", title=t("platform")),
            tooltip=[
                alt.Tooltip("platform:N", title=t("platform")),
                alt.Tooltip("tier:N", title=t("tier")),
                alt.Tooltip("creators:Q", title=t("creators_count"), format=","),
            ],
        )
        .properties(width=_WIDTH, height=220)
    )
    return _finish(chart, title)


def benchmark_bands(
    benchmarks: Iterable[PublishedBenchmark],
    scheme: TierScheme,
    platform: str,
    max_followers: float,
) -> list[dict[str, Any]]:
    """One band per tier of ``scheme`` that a preferred, follower-based published figure covers.

    A tier without an upper bound is drawn up to ``max_followers`` (the largest account plotted);
    a figure published as a floor only ("1.5%+") is drawn as a line at that floor.
    """
    bands = []
    by_tier = {t.name: t for t in scheme.tiers}
    for b in benchmarks:
        if b.platform != platform or not b.preferred or b.denominator != "followers":
            continue
        tier = by_tier.get(b.tier)
        if tier is None:
            continue
        upper = tier.max_followers if tier.max_followers is not None else max_followers
        bands.append(
            {
                "tier": tier.name,
                "followers_min": max(tier.min_followers, 1),
                "followers_max": max(upper, tier.min_followers),
                "er_low": b.er_low,
                "er_high": b.er_high if b.er_high is not None else b.er_low,
                "open_ended": b.er_high is None,
                "label": b.label,
                "formula_differs": b.formula_differs,
            }
        )
    return bands


def er_vs_followers(
    points: Sequence[Row],
    bands: Sequence[Row],
    title: str | None = None,
    *,
    t: Catalog | None = None,
) -> Spec:
    """Scatter of ER (by followers) against followers on a log axis, over benchmark bands.

    Points: handle, platform, tier, followers, er, and optionally ``rankable`` (False for an ER
    from too few posts: drawn, but the ER axis is scaled to the ranked points and the bands, and
    points beyond it are clipped). Bands: from :func:`benchmark_bands`.
    """
    t = _t(t)
    points = _labelled(points, t, tier="tier", platform="platform")
    bands = _labelled(bands, t, tier="tier")
    x_scale = alt.Scale(type="log")
    ranked = [float(p["er"]) for p in points if p.get("rankable", True) and p.get("er") is not None]
    top = max([*ranked, *(float(b["er_high"]) for b in bands if b.get("er_high") is not None)], default=0.0)
    y_scale = alt.Scale(domain=[0, top * 1.05], clamp=False) if top > 0 else alt.Undefined
    dots = (
        alt.Chart(_data(points))
        .mark_circle(size=40, opacity=0.7, clip=True)
        .encode(
            x=alt.X("followers:Q", scale=x_scale, title=t("axis_followers_log")),
            y=alt.Y(
                "er:Q", axis=alt.Axis(format="%"), title=t("axis_er_followers"), scale=y_scale
            ),
            color=alt.Color("tier:N", title=t("tier")),
            tooltip=[
                alt.Tooltip("handle:N", title=t("handle")),
                alt.Tooltip("platform:N", title=t("platform")),
                alt.Tooltip("tier:N", title=t("tier")),
                alt.Tooltip("followers:Q", format=",", title=t("followers")),
                alt.Tooltip("er:Q", format=_PERCENT, title=t("er_median")),
            ],
        )
    )
    if not bands:
        return _finish(dots.properties(width=_WIDTH, height=300), title)
    band = (
        alt.Chart(_data(bands))
        .mark_rect(opacity=0.18, color="#2a7")
        .encode(
            x=alt.X("followers_min:Q", scale=x_scale),
            x2="followers_max:Q",
            y="er_low:Q",
            y2="er_high:Q",
            strokeDash=alt.condition("datum.formula_differs", alt.value([4, 3]), alt.value([1, 0])),
            tooltip=[alt.Tooltip("tier:N", title=t("tier")), alt.Tooltip("label:N", title=t("benchmark"))],
        )
    )
    outline = band.mark_rect(fillOpacity=0, stroke="#2a7", strokeWidth=1)
    return _finish(alt.layer(band, outline, dots).properties(width=_WIDTH, height=300), title)


def _count_line(rows: Sequence[Row], when: Any, count: str, count_title: str) -> Any:
    """A count over time (followers, total views): a line with a point per row, dates on x (the
    field of the ``when`` tooltip), the count on a y axis that need not start at zero."""
    field = str(when.shorthand)
    return (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(field, title=None, axis=alt.Axis(format=_DATE_FORMAT, labelAngle=-30)),
            y=alt.Y(
                f"{count}:Q",
                title=count_title,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f", tickMinStep=1),
            ),
            tooltip=[when, alt.Tooltip(f"{count}:Q", format=",", title=count_title)],
        )
    )


def follower_growth(
    snapshots: Sequence[Row],
    anomalies: Sequence[Row],
    title: str | None = None,
    *,
    t: Catalog | None = None,
) -> Spec:
    """Followers over time, with a red marker at each detected anomaly.

    Snapshots: observed_at (ISO text), followers.
    Anomalies: observed_at, followers, kind, explanation.
    """
    t = _t(t)
    anomalies = _labelled(anomalies, t, kind="anomaly")
    when = alt.Tooltip("observed_at:T", format=_DATE_FORMAT, title=t("observed_at"))
    line = _count_line(snapshots, when, "followers", t("followers"))
    if not anomalies:
        return _finish(line.properties(width=_WIDTH, height=220), title)
    marks = (
        alt.Chart(_data(anomalies))
        .mark_point(shape="triangle-up", size=140, filled=True, color="#d33")
        .encode(
            x="observed_at:T",
            y="followers:Q",
            tooltip=[when, alt.Tooltip("kind:N", title=t("anomaly")), "explanation:N"],
        )
    )
    return _finish(alt.layer(line, marks).properties(width=_WIDTH, height=220), title)


def _faceted_bars(
    rows: Sequence[Row], facet: str, columns: int, size: tuple[int, int], independent: str, **encoding: Any
) -> alt.FacetChart:
    """Bars (``encoding``) in one panel per ``facet`` value, each panel on its own ``independent``
    axis; ``size`` = (panel width, pixels per bar)."""
    width, step = size
    chart: alt.FacetChart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(**encoding)
        .properties(width=width, height=alt.Step(step))
        .facet(facet=alt.Facet(facet, title=None), columns=columns)
        .resolve_scale(**{independent: "independent"})
    )
    return chart


def audience(rows: Sequence[Row], title: str | None = None, *, t: Catalog | None = None) -> Spec:
    """Horizontal bars of audience share per bucket, one panel per dimension."""
    t = _t(t)
    rows = [
        {**r, "dimension": t.value("dimension", r.get("dimension")), "bucket": _bucket(t, r)}
        for r in rows
    ]
    chart = _faceted_bars(
        rows, "dimension:N", 2, (260, 14), "y",
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title=None),
        y=alt.Y("bucket:N", sort="-x", title=None),
        tooltip=[
            alt.Tooltip("dimension:N", title=t("audience")),
            alt.Tooltip("bucket:N", title=" "),
            alt.Tooltip("share:Q", format=".1%", title=t("share")),
        ],
    )  # fmt: skip
    return _finish(chart, title)


def _bucket(t: Catalog, row: Row) -> str:
    """An audience bucket's label: a niche, gender or other coded bucket by its dimension (the
    codes of countries, languages and age ranges read as they are; "other", the rest of a
    dimension, by its label)."""
    bucket, dimension = row.get("bucket"), row.get("dimension")
    if dimension == "interest":
        return t.value("niche", bucket)
    if dimension == "gender" or bucket == "other":  # "other": the rest of any dimension
        return t.value("bucket", bucket)
    return str(bucket)


def compare_metrics(
    rows: Sequence[Row], title: str | None = None, *, t: Catalog | None = None
) -> Spec:
    """Side-by-side bars per metric. Rows: handle, metric, value (each metric on its own scale)."""
    t = _t(t)
    rows = [{**r, "metric": t.column(str(r.get("metric")))} for r in rows]
    chart = _faceted_bars(
        rows, "metric:N", 3, (220, 18), "x",
        x=alt.X("value:Q", title=None),
        y=alt.Y("handle:N", title=None),
        color=alt.Color("handle:N", legend=None),
        tooltip=[
            alt.Tooltip("handle:N", title=t("handle")),
            alt.Tooltip("metric:N", title=t("metric")),
            alt.Tooltip("value:Q", title=t("value")),
        ],
    )  # fmt: skip
    return _finish(chart, title)


def tier_mix(rows: Sequence[Row], title: str | None = None, *, t: Catalog | None = None) -> Spec:
    """Budget share per tier. Rows: tier, spend_share, creators."""
    t = _t(t)
    chart = (
        alt.Chart(_data(_labelled(rows, t, tier="tier")))
        .mark_bar()
        .encode(
            x=alt.X("tier:N", title=None),
            y=alt.Y("spend_share:Q", axis=alt.Axis(format="%"), title=t("axis_spend_share")),
            tooltip=[
                alt.Tooltip("tier:N", title=t("tier")),
                alt.Tooltip("creators:Q", title=t("creators_count")),
                alt.Tooltip("spend_share:Q", format=".1%", title=t("axis_spend_share")),
            ],
        )
        .properties(width=_WIDTH, height=200)
    )
    return _finish(chart, title)


def reach_vs_cost(rows: Sequence[Row], title: str | None = None, *, t: Catalog | None = None) -> Spec:
    """Each chosen creator's target reach against cost, with the low–high range of both.

    Rows: handle, tier, cost_low/mid/high, reach_low/mid/high.
    """
    t = _t(t)
    base = alt.Chart(_data(_labelled(rows, t, tier="tier")))
    points = base.mark_circle(size=70).encode(
        x=alt.X("cost_mid:Q", title=t("axis_cost_mid")),
        y=alt.Y("reach_mid:Q", title=t("axis_reach_mid")),
        color=alt.Color("tier:N", title=t("tier")),
        tooltip=[
            alt.Tooltip("handle:N", title=t("handle")),
            alt.Tooltip("tier:N", title=t("tier")),
            alt.Tooltip("cost_low:Q", format=",.0f", title=t("axis_cost_low")),
            alt.Tooltip("cost_high:Q", format=",.0f", title=t("axis_cost_high")),
            alt.Tooltip("reach_low:Q", format=",.0f", title=t("axis_reach_low")),
            alt.Tooltip("reach_high:Q", format=",.0f", title=t("axis_reach_high")),
        ],
    )
    reach_range = base.mark_rule(opacity=0.5).encode(
        x="cost_mid:Q", y="reach_low:Q", y2="reach_high:Q"
    )
    cost_range = base.mark_rule(opacity=0.5).encode(
        y="reach_mid:Q", x="cost_low:Q", x2="cost_high:Q"
    )
    chart = alt.layer(reach_range, cost_range, points).properties(width=_WIDTH, height=260)
    return _finish(chart, title)


def total_views(daily: Sequence[Row], title: str | None = None, *, t: Catalog | None = None) -> Spec:
    """The account's lifetime total views a day (the views history's daily series).

    Rows: day (ISO text), views."""
    t = _t(t)
    when = alt.Tooltip("day:T", format=_DATE_FORMAT, title=t("history_day"))
    line = _count_line(daily, when, "views", t("history_views"))
    return _finish(line.properties(width=_WIDTH, height=180), title)
