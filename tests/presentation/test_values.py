"""One formatter for every interface: a value reads from its column's declared unit."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import pytest
from hypothesis import given, strategies as st

from creatorlens.cli._app import fmt_value
from creatorlens.presentation._context import SCORECARD_METRICS, capabilities
from creatorlens.presentation._html import environment
from creatorlens.presentation._i18n import SUPPORTED, catalog, column_label
from creatorlens.presentation._labels import CAPABILITY_METRICS, shown_er
from creatorlens.presentation._values import format_range, format_value, unit_for
from creatorlens.store import RESULT_TABLES, UNITS, column_unit


def test_the_cli_pages_and_reports_share_one_formatter() -> None:
    assert fmt_value is format_value
    assert environment().filters["fmt"] is format_value


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (0.0123, "er_followers_lc_median", "1.23%"),  # rate
        (0.5, "er_percentile_peers", "p50"),  # percentile (fraction)
        (73.0, "niche_er_percentile", "p73"),  # percentile100
        (0.05, "follower_growth_30d_pct", "+5.00%"),  # change: signed
        (-0.05, "follower_growth_30d_pct", "-5.00%"),
        (0.00004, "fake_share", "0.004%"),  # a small share is not "0.00%"
        (0.25, "share", "25.00%"),  # the audience share: no result column, by name
        (0.31, "spend_share", "31.00%"),
        (62.345, "expertise", "62.3"),  # score
        (999.6, "avg_views", "1,000"),  # not "1e+03"
        (0.006999999999999998, "", "0.007"),  # no float noise
        (0.0000123, "", "0.0000123"),  # not "1.23e-05"
        (1234567, "followers", "1,234,567"),
        (True, "er_rankable", "yes"),
        (False, "", "no"),
        (None, "", "—"),
        ("", "", "—"),
        (math.nan, "er_followers_lc_mean", "—"),
        (["beauty", "food"], "", "beauty, food"),
        ({"age": 0.5}, "", "age: 0.5"),
        ("too few posts (1 < 3)", "er_flags", "too few posts (1 < 3)"),
    ],
)
def test_values_read_from_their_unit(value: object, column: str, text: str) -> None:
    assert format_value(value, column) == text


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "er_followers_lc_median", "fake_share", "follower_growth_30d_pct", "avg_views"]),
)
def test_no_number_reads_in_scientific_notation_or_as_zero(value: float, column: str) -> None:
    text = format_value(value, column)
    assert "e" not in text.lower(), text
    if value != 0:
        assert any(ch in "123456789" for ch in text), (value, column, text)


def test_a_small_cost_per_engagement_is_not_zero_to_zero() -> None:
    figure = {"low": 0.004, "mid": 0.007, "high": 0.012, "unit": "USD per engagement"}
    assert format_range(figure) == "0.004 – 0.012 (mid 0.007) USD per engagement"
    assert format_range({"low": 100000, "mid": 2e5, "high": 300000.4, "unit": "KRW"}) == (
        "100,000 – 300,000 (mid 200,000) KRW"
    )
    assert format_range(None) == "—"


def test_every_capability_column_shown_is_a_result_column() -> None:
    """A name that is no column is never shown (the API used to list `authenticity_flags`)."""
    for name in CAPABILITY_METRICS:
        assert column_unit(name) is not None, name
    row = {"creator_id": "instagram:a", "flags": "bought followers", "transparency_kr": 0.5, "focus": None}
    assert capabilities(row) == [("transparency_kr", 0.5), ("flags", "bought followers")]


def test_declared_units_all_read() -> None:
    for spec in RESULT_TABLES.values():
        for column, unit in spec.units.items():
            assert unit in UNITS or unit.startswith("money:"), (spec.name, column)
            if "*" not in column and unit in ("rate", "fraction", "change"):
                assert format_value(0.1, column).endswith("%"), (spec.name, column)
    assert unit_for("er_percentile") == "percentile"


def test_the_headline_er_is_the_median_else_the_mean() -> None:
    assert shown_er({"er_followers_lc_median": 0.02, "er_followers_lc_mean": 0.03}) == 0.02
    assert shown_er({"er_followers_lc_median": None, "er_followers_lc_mean": 0.03}) == 0.03
    assert shown_er({"er_followers_lc_median": math.nan, "er_followers_lc_mean": None}) is None


def test_every_shown_metric_has_a_label_in_english_and_korean() -> None:
    tables = {}
    for lang in SUPPORTED:
        text = resources.files("creatorlens").joinpath(f"data/i18n/{lang}.toml").read_text("utf-8")
        tables[lang] = tomllib.loads(text)["columns"]
    assert set(tables["ko"]) == set(tables["en"])
    for name in (*SCORECARD_METRICS, *CAPABILITY_METRICS):
        for lang in SUPPORTED:
            assert name in tables[lang], (lang, name)
            assert catalog(lang).column(name) == tables[lang][name] != name
    assert column_label("er_followers_lc_median", "ko").startswith("팔로워 대비 참여율")
    assert column_label("no_such_column", "ko") == "no_such_column"


def test_json_columns_read_as_values_and_shares() -> None:
    # the communities table stores its lists as JSON text (store/_schema.py units "json")
    niches = '[{"value": "tech", "share": 0.1956}, {"value": "gaming", "share": 0.5}]'
    assert format_value(niches, "main_niches") == "tech 19.56%, gaming 50.00%"
    assert format_value('["youtube:a", "youtube:b"]', "top_creators") == "youtube:a, youtube:b"
    assert format_value("[]", "countries") == "—"
    assert format_value("not json", "languages") == "not json"  # shown as it is, never lost
