"""Every packaged data file loads through creatorlens.data: registered, integer version, schema."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from creatorlens import data
from creatorlens.data._schemas import SPECS

FILES = data.data_files()


def test_every_shipped_file_is_registered_and_every_registered_file_ships() -> None:
    assert FILES, "no data files found in the package"
    assert set(FILES) == set(SPECS)


@pytest.mark.parametrize("name", FILES)
def test_a_data_file_loads_through_the_loader(name: str) -> None:
    if name.endswith(".toml"):
        doc = data.load_toml(name)
        assert type(doc["version"]) is int
        assert doc["version"] == SPECS[name].version
    elif name.endswith(".csv"):
        rows = data.load_csv(name)
        assert rows, f"{name} has no rows"
        assert all(all(key for key in row) for row in rows)  # no unnamed (extra) cells
    else:
        assert data.read_text(name).strip()


@pytest.mark.parametrize("name", [n for n in FILES if n.endswith(".toml")])
def test_the_loader_returns_the_file_as_written(name: str) -> None:
    raw = resources.files("creatorlens.data").joinpath(name).read_text("utf-8")
    assert data.load_toml(name) == tomllib.loads(raw)


def test_a_file_is_parsed_once() -> None:
    assert data.load_csv("er_benchmarks.csv") is data.load_csv("er_benchmarks.csv")
    assert data.load_toml("identity.toml") is data.load_toml("identity.toml")


def test_an_unregistered_or_missing_file_is_a_data_file_error() -> None:
    with pytest.raises(data.DataFileError, match="not registered"):
        data.load_toml("nope.toml")


def _fake(monkeypatch: pytest.MonkeyPatch, text: str, version: int = 1) -> None:
    from creatorlens.data import _schemas

    class Text:
        def read_text(self, encoding: str) -> str:
            return text

    monkeypatch.setitem(_schemas.SPECS, "fake.toml", _schemas.Spec(version, _schemas.PeerGroups))
    monkeypatch.setitem(_schemas.SPECS, "fake.csv", _schemas.Spec(version, _schemas.MinorUnitRow))
    monkeypatch.setattr(data, "_file", lambda name: Text())
    data.load_toml.cache_clear()
    data.load_csv.cache_clear()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('version = "1"\nbins_per_decade = 5\nmin_followers = 1\nmin_group_size = 3', "must be an integer"),
        ("version = 2\nbins_per_decade = 5\nmin_followers = 1\nmin_group_size = 3", "reads version 1"),
        ("bins_per_decade = 5\nmin_followers = 1\nmin_group_size = 3", "must be an integer, found None"),
        ("version = 1\nbins_per_decade = 5\nmin_followers = 1", "min_group_size"),
        ("version = 1\nbins_per_decade = 5\nmin_followers = 1\nmin_group_size = 3\ntypo = 1", "typo"),
        ("version = 1\nbins_per_decade = 0\nmin_followers = 1\nmin_group_size = 3", "bins_per_decade"),
    ],
)
def test_a_toml_file_that_breaks_its_version_or_schema_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    _fake(monkeypatch, text)
    try:
        with pytest.raises(data.DataFileError, match=message):
            data.load_toml("fake.toml")
    finally:
        data.load_toml.cache_clear()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency,minor_units\nUSD,2", "must be an integer, found None"),
        ("# version: 3 - x\ncurrency,minor_units\nUSD,2", "reads version 1"),
        ("# version: 1 - x\ncurrency,minor_units\nUSD,two", "row 1"),
        ("# version: 1 - x\ncurrency,minor_units,extra\nUSD,2,3", "extra"),
    ],
)
def test_a_csv_file_that_breaks_its_version_or_schema_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    _fake(monkeypatch, text)
    try:
        with pytest.raises(data.DataFileError, match=message):
            data.load_csv("fake.csv")
    finally:
        data.load_csv.cache_clear()


def test_a_good_csv_skips_comments_and_blank_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(monkeypatch, "# version: 1 - x\n# a note\ncurrency,minor_units\nUSD,2\n\nKRW,0\n")
    try:
        assert data.load_csv("fake.csv") == ({"currency": "USD", "minor_units": "2"},
                                             {"currency": "KRW", "minor_units": "0"})
    finally:
        data.load_csv.cache_clear()


def test_code_defaults_do_not_copy_the_data() -> None:
    """The rules objects take every number from their data file (no dataclass default to drift)."""
    from creatorlens.authenticity import GrowthRules, PodRules
    from creatorlens.ingest._identity import IdentityRules
    from creatorlens.metrics import EngagementRules

    anomalies = data.load_toml("authenticity/anomalies.toml")
    assert GrowthRules.from_config().engagement_spike_z == anomalies["growth"]["engagement_spike_z"]
    with pytest.raises(TypeError):
        IdentityRules()  # type: ignore[call-arg]
    for rules in (GrowthRules, PodRules):  # pydantic models of the file's sections
        with pytest.raises(ValueError, match="Field required"):
            rules()  # type: ignore[call-arg]  # the required fields missing on purpose
    with pytest.raises(TypeError):
        EngagementRules()  # type: ignore[call-arg]
