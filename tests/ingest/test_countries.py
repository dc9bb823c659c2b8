"""Country cells become ISO 3166-1 alpha-2 codes; what names no country stays unknown, with why."""

from __future__ import annotations

import pycountry
from hypothesis import given, strategies as st

from creatorlens.data import load_toml
from creatorlens.ingest._countries import country_code

ISO = {c.alpha_2 for c in pycountry.countries}


def test_names_codes_and_aliases() -> None:
    cases = {
        "US": "US", "us": "US", "USA": "US", "United States": "US", "United States of America": "US",
        "South Korea": "KR", "Korea, Republic of": "KR", "대한민국": "KR", "KOR": "KR",
        "Russia": "RU", "Turkey": "TR", "Türkiye": "TR", "UK": "GB", "  United   Kingdom ": "GB",
        "Viet Nam": "VN", "Vietnam": "VN", "India": "IN", "Iran": "IR",
    }  # fmt: skip
    for raw, code in cases.items():
        assert country_code(raw) == (code, None), raw


def test_placeholders_and_unknowns_are_no_value_with_a_reason() -> None:
    assert country_code("") == (None, None)
    value, why = country_code("-")
    assert value is None and why == "placeholder '-' means no value"
    assert country_code("NA") == (None, "placeholder 'NA' means no value")  # not Namibia
    for raw in ("Korea", "Atlantis", "10.2M", "0"):  # "Korea" names two countries: not guessed
        value, why = country_code(raw)
        assert value is None and why is not None and repr(raw) in why, raw


def test_every_alias_names_an_iso_code_and_no_iso_name_another_country() -> None:
    aliases: dict[str, list[str]] = load_toml("value_synonyms.toml")["country"]
    for code, names in aliases.items():
        assert code in ISO, code
        for name in names:
            iso = {
                c.alpha_2 for c in pycountry.countries
                for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name")
                if (getattr(c, attr, None) or "").lower() == name.lower()
            }  # fmt: skip
            assert iso <= {code}, (name, code, iso)


@given(st.sampled_from(sorted(ISO)), st.sampled_from(["lower", "upper", "title"]), st.text(" \t", max_size=3))
def test_any_iso_code_or_name_in_any_case_and_spacing(code: str, case: str, pad: str) -> None:
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None
    # "NA" in a cell is "not available" far more often than Namibia (NAM, "Namibia" are read)
    for raw in (code, country.alpha_3, country.name) if code != "NA" else (country.alpha_3, country.name):
        assert country_code(pad + getattr(raw, case)() + pad) == (code, None)


@given(st.text(max_size=20))
def test_any_text_is_a_code_or_unknown(raw: str) -> None:
    value, why = country_code(raw)
    assert (value is None) or (value in ISO and why is None)
    assert value is not None or why is not None or not raw.strip()
