"""Chart specs: valid Vega-Lite built from rows, with the published benchmark bands."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from creatorlens.metrics import published_benchmarks
from creatorlens.presentation import _charts as charts
from creatorlens.presentation._i18n import catalog
from creatorlens.report import script_json
from creatorlens.tiers import TierScheme


def test_bands_are_follower_based_preferred_figures_per_tier() -> None:
    bands = charts.benchmark_bands(
        published_benchmarks(), TierScheme.load("seed"), "instagram", 5e6
    )
    by_tier = {b["tier"]: b for b in bands}
    # er_benchmarks.csv: Insense 2024 vetting thresholds (Instagram, (likes+comments)/followers)
    assert by_tier["micro"]["er_low"] == 0.02 and by_tier["micro"]["er_high"] == 0.04
    assert (by_tier["micro"]["followers_min"], by_tier["micro"]["followers_max"]) == (
        10_000,
        100_000,
    )
    assert (
        by_tier["macro"]["open_ended"] and by_tier["macro"]["er_high"] == by_tier["macro"]["er_low"]
    )
    assert by_tier["mega"]["followers_max"] == 5e6
    # TikTok's preferred figures divide by views, not followers: no band on a followers axis
    assert (
        charts.benchmark_bands(published_benchmarks(), TierScheme.load("seed"), "tiktok", 1e6) == []
    )


def test_er_scatter_uses_a_log_axis_and_draws_bands() -> None:
    points = [
        {"handle": "a", "platform": "instagram", "tier": "micro", "followers": 20000, "er": 0.03}
    ]
    bands = charts.benchmark_bands(
        published_benchmarks(), TierScheme.load("seed"), "instagram", 2e4
    )
    spec = charts.er_vs_followers(points, bands)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    layers = spec["layer"]
    assert layers[-1]["encoding"]["x"]["scale"]["type"] == "log"
    assert len(layers) == 3
    # the bands' tier codes read as labels in the chart's language (English by default)
    assert layers[0]["data"]["values"] == [{**b, "tier": b["tier"].capitalize()} for b in bands]
    assert charts.er_vs_followers(points, [])["encoding"]["x"]["scale"]["type"] == "log"


def test_other_charts_carry_their_rows() -> None:
    tiers = [{"platform": "tiktok", "tier": "nano", "creators": 3}]
    labelled = [{"platform": "TikTok", "tier": "Nano", "creators": 3}]
    assert charts.tier_distribution(tiers, ["nano", "micro"])["data"]["values"] == labelled
    snaps = [
        {"observed_at": "2025-01-01", "followers": 10},
        {"observed_at": "2025-02-01", "followers": 90},
    ]
    marks = [
        {"observed_at": "2025-02-01", "followers": 90, "kind": "bought", "explanation": "jump"}
    ]
    growth = charts.follower_growth(snaps, marks)
    assert growth["layer"][1]["data"]["values"] == [{**marks[0], "kind": "possible bought followers"}]
    assert growth["layer"][0]["encoding"]["x"]["axis"]["format"] == "%Y-%m-%d"  # with the year
    aud = charts.audience([{"dimension": "age", "bucket": "18-24", "share": 0.5}])
    assert aud["facet"]["field"] == "dimension"
    mix = charts.tier_mix([{"tier": "micro", "spend_share": 1.0, "creators": 2}])
    assert mix["encoding"]["y"]["field"] == "spend_share"
    rc = charts.reach_vs_cost(
        [
            {
                "handle": "a",
                "tier": "micro",
                "cost_low": 1,
                "cost_mid": 2,
                "cost_high": 3,
                "reach_low": 4,
                "reach_mid": 5,
                "reach_high": 6,
            }
        ]
    )
    assert len(rc["layer"]) == 3
    cmp_ = charts.compare_metrics([{"handle": "@a", "metric": "followers", "value": 1}])
    assert cmp_["resolve"]["scale"]["x"] == "independent"


def test_korean_charts_carry_korean_labels_and_axis_titles() -> None:
    """A chart in Korean shows no code ("mega", "bought") and no English axis title."""
    ko = catalog("ko")
    tiers = charts.tier_distribution(
        [{"platform": "tiktok", "tier": "mega", "creators": 3}], ["nano", "mega"], t=ko
    )
    assert tiers["data"]["values"] == [{"platform": "틱톡", "tier": "메가", "creators": 3}]
    assert tiers["encoding"]["x"]["sort"] == ["나노", "메가"]
    point = {"handle": "a", "platform": "instagram", "tier": "micro", "followers": 20000, "er": 0.03}
    scatter = charts.er_vs_followers([point], [], t=ko)
    assert scatter["encoding"]["x"]["title"] == "팔로워 (로그 스케일)"
    assert scatter["encoding"]["y"]["title"] == "팔로워 대비 참여율 (중앙값)"
    assert scatter["data"]["values"][0]["tier"] == "마이크로"
    aud = charts.audience(
        [
            {"dimension": "gender", "bucket": "female", "share": 0.5},
            {"dimension": "interest", "bucket": "pets", "share": 0.5},
        ],
        t=ko,
    )
    assert [(r["dimension"], r["bucket"]) for r in aud["data"]["values"]] == [
        ("성별", "여성"),
        ("관심사", "반려동물"),
    ]
    cmp_ = charts.compare_metrics([{"handle": "@a", "metric": "followers", "value": 1}], t=ko)
    assert cmp_["data"]["values"][0]["metric"] == "팔로워"
    mix = charts.tier_mix([{"tier": "micro", "spend_share": 1.0, "creators": 2}], t=ko)
    assert mix["encoding"]["y"]["title"] == "예산 비중"


def test_every_chart_is_valid_vega_lite() -> None:
    """The chart functions skip Altair's run-time validation (it checks every data row); this
    validates each one's spec against the Vega-Lite schema Altair ships."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    scheme = TierScheme.load("seed")
    bands = charts.benchmark_bands(published_benchmarks(), scheme, "instagram", 2e6)
    point = {"handle": "a", "platform": "instagram", "tier": "micro", "followers": 20000, "er": 0.03}
    plan_row = {
        "handle": "a", "tier": "micro", "cost_low": 1, "cost_mid": 2, "cost_high": 3,
        "reach_low": 4, "reach_mid": 5, "reach_high": 6,
    }  # fmt: skip
    specs = {
        "tier_distribution": charts.tier_distribution(
            [{"platform": "tiktok", "tier": "nano", "creators": 3}], scheme.names, title="t"
        ),
        "er_vs_followers": charts.er_vs_followers([point], bands, title="t"),
        "er_vs_followers (no bands)": charts.er_vs_followers([point], []),
        "follower_growth": charts.follower_growth(
            [{"observed_at": "2025-01-01", "followers": 10}],
            [{"observed_at": "2025-01-01", "followers": 10, "kind": "bought", "explanation": "x"}],
        ),
        "audience": charts.audience([{"dimension": "age", "bucket": "18-24", "share": 0.5}]),
        "compare_metrics": charts.compare_metrics([{"handle": "@a", "metric": "followers", "value": 1}]),
        "tier_mix": charts.tier_mix([{"tier": "micro", "spend_share": 1.0, "creators": 2}]),
        "reach_vs_cost": charts.reach_vs_cost([plan_row]),
    }
    schema = load_schema()
    assert validate_jsonschema({"mark": "no-such-mark"}, schema, raise_error=False) is not None
    for name, spec in specs.items():
        error = validate_jsonschema(spec, schema, raise_error=False)
        assert error is None, f"{name}: {error}"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_script_json_round_trips_and_cannot_break_out(value: object) -> None:
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_er_axis_is_scaled_to_ranked_points_only() -> None:
    """An ER from too few posts is drawn but does not stretch the axis (docs/metrics.md)."""
    points = [
        {"handle": "a", "platform": "tiktok", "tier": "micro", "followers": 2e4, "er": 0.05, "rankable": True},
        {"handle": "b", "platform": "tiktok", "tier": "micro", "followers": 3e4, "er": 0.08, "rankable": True},
        {"handle": "one_post", "platform": "tiktok", "tier": "micro", "followers": 3e4, "er": 108.2,
         "rankable": False},
    ]  # fmt: skip
    spec = charts.er_vs_followers(points, [])
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, pytest.approx(0.08 * 1.05)]
    assert spec["mark"]["clip"] is True
    assert len(spec["data"]["values"]) == 3  # still drawn
