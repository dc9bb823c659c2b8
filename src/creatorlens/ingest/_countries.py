"""Country cells as ISO 3166-1 alpha-2 codes, the form every filter, target and peer group uses.

Exports name countries in many ways: "KR", "KOR", "South Korea", "Korea, Republic of", "대한민국".
A code or name that ISO 3166 (through pycountry's copy of it) or ``value_synonyms.toml [country]``
knows becomes its two-letter code; a placeholder ("-", "N/A") is no value; anything else is stored
as unknown with a reason naming the cell (``value_notes``), never guessed (a fuzzy match would turn
"Korea" into one of two countries).
"""

from __future__ import annotations

from functools import cache

from creatorlens.data import load_toml
from creatorlens.ingest._numbers import MISSING_MARKERS, short

#: Field names whose cells are countries.
COUNTRY_FIELDS = ("country", "audience_top_country")


@cache
def _codes() -> dict[str, str]:
    """Lower-cased code or name -> alpha-2 code."""
    import pycountry

    known: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                known[value.lower()] = code
    aliases: dict[str, list[str]] = load_toml("value_synonyms.toml").get("country", {})
    for code, names in aliases.items():
        for name in names:
            known[name.lower()] = code
    return known


def country_code(raw: str) -> tuple[str | None, str | None]:
    """``(code, None)`` for a known country, else ``(None, why)``: a placeholder, or text that
    names no country ISO 3166 knows (``(None, None)`` for a blank cell)."""
    text = " ".join(raw.split())
    if not text:
        return None, None
    if text.lower() in MISSING_MARKERS:
        return None, f"placeholder {short(text)} means no value"
    code = _codes().get(text.lower())
    if code is not None:
        return code, None
    return None, (
        f"country {short(text)} is no ISO 3166 code or country name; stored as unknown "
        "(add a name to value_synonyms.toml [country], or fix the cell)"
    )
