"""A target audience: who a campaign wants to reach.

Age bands are TikTok's ad bands (13-17, 18-24, 25-34, 35-44, 45-54, 55+). A range on the CLI such
as ``age=18-34`` is the union of the bands it spans and must start and end on band edges, so that
a fit is always computed from whole published buckets and never from an interpolated guess.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from creatorlens.errors import TargetError as TargetError

AGE_BANDS: tuple[str, ...] = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")
_BAND_EDGES: tuple[tuple[int, int | None], ...] = (
    (13, 17),
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, None),
)
GENDERS: tuple[str, ...] = ("female", "male")
_GENDER_SYNONYMS = {
    "female": "female",
    "f": "female",
    "women": "female",
    "woman": "female",
    "male": "male",
    "m": "male",
    "men": "male",
    "man": "male",
}
_KEY_SYNONYMS = {
    "age": "ages",
    "ages": "ages",
    "gender": "genders",
    "genders": "genders",
    "country": "countries",
    "countries": "countries",
    "city": "cities",
    "cities": "cities",
    "language": "languages",
    "languages": "languages",
    "lang": "languages",
    "interest": "interests",
    "interests": "interests",
    "niche": "interests",
    "niches": "interests",
}
_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO639_1 = re.compile(r"^[a-z]{2}$")


def parse_age_range(text: str) -> tuple[str, ...]:
    """Bands covered by ``"18-34"``, ``"18-24"``, ``"55+"``, ``"35+"`` or ``"all"``."""
    raw = text.strip().replace(" ", "")
    if raw.lower() in ("all", "any", "*"):
        return AGE_BANDS
    if raw in AGE_BANDS:
        return (raw,)
    plus = re.fullmatch(r"(\d+)\+", raw)
    span = re.fullmatch(r"(\d+)-(\d+)", raw)
    if plus:
        low, high = int(plus.group(1)), None
    elif span:
        low, high = int(span.group(1)), int(span.group(2))
        if high < low:
            raise TargetError(f"age range {text!r}: {high} is below {low}")
    else:
        raise TargetError(f"age {text!r}: write a band range like 18-34, 55+ or one of {AGE_BANDS}")
    starts = [b[0] for b in _BAND_EDGES]
    ends = [b[1] for b in _BAND_EDGES]
    if low not in starts:
        raise TargetError(
            f"age {text!r}: {low} is not the start of a band; bands start at {starts[0]}, "
            + ", ".join(str(s) for s in starts[1:])
        )
    if high is not None and high not in ends:
        raise TargetError(
            f"age {text!r}: {high} is not the end of a band; bands end at "
            + ", ".join(str(e) for e in ends if e is not None)
            + " (or write 55+)"
        )
    chosen = []
    for band, (start, end) in zip(AGE_BANDS, _BAND_EDGES, strict=True):
        inside_high = high is None or (end is not None and end <= high)
        if start >= low and inside_high:
            chosen.append(band)
    return tuple(chosen)


def _split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_split_list(item))
        return out
    raise TargetError(f"expected a list or a comma-separated string, got {value!r}")


def _checked_codes(codes: dict[str, str], pattern: re.Pattern[str], what: str, hint: str) -> tuple[str, ...]:
    """The codes (as typed -> normalised) once each, in order; a code ``pattern`` rejects is an
    error that names it and says what to use."""
    for part, code in codes.items():
        if not pattern.match(code):
            raise TargetError(f"{what} {part!r}: use a two-letter {hint}")
    return tuple(dict.fromkeys(codes.values()))


class Target(BaseModel):
    """Who to reach. An empty field means "any" on that dimension."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ages: tuple[str, ...] = Field(default=(), description="age bands, subset of AGE_BANDS")
    genders: tuple[Literal["female", "male"], ...] = ()
    countries: tuple[str, ...] = Field(default=(), description="ISO 3166-1 alpha-2, upper case")
    cities: tuple[str, ...] = ()
    languages: tuple[str, ...] = Field(default=(), description="ISO 639-1, lower case")
    interests: tuple[str, ...] = Field(default=(), description="interest or niche labels")

    @field_validator("ages", mode="before")
    @classmethod
    def _ages(cls, value: Any) -> tuple[str, ...]:
        bands: list[str] = []
        for part in _split_list(value):
            for band in parse_age_range(part):
                if band not in bands:
                    bands.append(band)
        return tuple(b for b in AGE_BANDS if b in bands)

    @field_validator("genders", mode="before")
    @classmethod
    def _genders(cls, value: Any) -> tuple[str, ...]:
        out: list[str] = []
        for part in _split_list(value):
            key = part.lower()
            if key in ("any", "all", "*"):
                return ()
            if key not in _GENDER_SYNONYMS:
                raise TargetError(f"gender {part!r}: use female, male or any")
            if _GENDER_SYNONYMS[key] not in out:
                out.append(_GENDER_SYNONYMS[key])
        return () if set(out) == set(GENDERS) else tuple(out)

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, value: Any) -> tuple[str, ...]:
        codes = {part: "GB" if part.upper() == "UK" else part.upper() for part in _split_list(value)}
        return _checked_codes(codes, _ISO2, "country", "ISO 3166 code such as KR, JP, US")

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: Any) -> tuple[str, ...]:
        codes = {part: part.lower() for part in _split_list(value)}
        return _checked_codes(codes, _ISO639_1, "language", "ISO 639-1 code such as en, ko, ja")

    @field_validator("cities", "interests", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.strip().lower() for p in _split_list(value)))

    @property
    def is_everyone(self) -> bool:
        return not any(values for _, values in self.dimensions())

    def dimensions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each dimension's name and the buckets asked for, in the order a target is written."""
        return (
            ("age", self.ages),
            ("gender", self.genders),
            ("country", self.countries),
            ("city", self.cities),
            ("language", self.languages),
            ("interest", self.interests),
        )

    def describe(self) -> str:
        parts = [f"{name} " + ",".join(values) for name, values in self.dimensions() if values]
        return "; ".join(parts) or "everyone"

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse ``"age=18-34 gender=female country=KR,JP interest=beauty"``."""
        fields: dict[str, list[str]] = {}
        for token in text.split():
            if "=" not in token:
                raise TargetError(
                    f"target term {token!r}: write key=value, keys are age, gender, country, city, "
                    "language, interest"
                )
            key, _, value = token.partition("=")
            name = _KEY_SYNONYMS.get(key.strip().lower())
            if name is None:
                raise TargetError(
                    f"target key {key!r}: use age, gender, country, city, language or interest"
                )
            if not value.strip():
                raise TargetError(f"target key {key!r} has no value")
            fields.setdefault(name, []).append(value)
        return cls.from_mapping(fields)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Target:
        """Build from a TOML table / dict whose keys may be singular or plural."""
        fields: dict[str, Any] = {}
        for key, value in data.items():
            name = _KEY_SYNONYMS.get(str(key).lower())
            if name is None:
                raise TargetError(
                    f"target key {key!r}: use age, gender, country, city, language or interest"
                )
            fields.setdefault(name, [])
            fields[name] = [*fields[name], *_split_list(value)]
        try:
            return cls(**fields)
        except ValidationError as exc:
            messages = [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
            raise TargetError("; ".join(messages)) from exc

    @classmethod
    def from_toml(cls, path: str | Path) -> Target:
        """A TOML file with a ``[target]`` table (or the keys at top level)."""
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
        table = data.get("target", data)
        if not isinstance(table, dict):
            raise TargetError(f"{path}: [target] must be a table")
        return cls.from_mapping(table)
