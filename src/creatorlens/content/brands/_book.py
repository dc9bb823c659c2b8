"""A brand book: the user's list of brands, each with the handles and hashtags that name it.

TOML (``[[brand]]`` tables with ``name``, ``handles``, ``hashtags``) or CSV (columns ``brand``,
``kind`` = handle | hashtag, ``value``). Handles and hashtags are compared lowercased, without
``@`` / ``#``. Reading the file is the caller's job (the Workspace); this module parses text.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field

from creatorlens.errors import UserError

__all__ = ["Brand", "BrandBook", "BrandBookError", "normalise"]


class BrandBookError(UserError):
    """A brand file that cannot be read (the message names the file's problem)."""


def normalise(token: str) -> str:
    return token.strip().lstrip("@#").lower()


@dataclass(frozen=True)
class Brand:
    name: str
    handles: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrandBook:
    brands: tuple[Brand, ...] = ()
    by_handle: dict[str, str] = field(default_factory=dict, compare=False)
    by_hashtag: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, brands: Iterable[Brand]) -> BrandBook:
        listed = tuple(brands)
        by_handle: dict[str, str] = {}
        by_hashtag: dict[str, str] = {}
        for brand in listed:
            for handle in brand.handles:
                by_handle[normalise(handle)] = brand.name
            for tag in brand.hashtags:
                by_hashtag[normalise(tag)] = brand.name
        return cls(listed, by_handle, by_hashtag)

    @classmethod
    def parse(cls, text: str, name: str = "brand file") -> BrandBook:
        """A TOML or CSV brand file's text (TOML when it has a ``[[brand]]`` table)."""
        if "[[brand]]" in text:
            return cls._toml(text, name)
        return cls._csv(text, name)

    @classmethod
    def _toml(cls, text: str, name: str) -> BrandBook:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise BrandBookError(f"{name}: not valid TOML ({exc})") from exc
        brands = []
        for number, entry in enumerate(doc.get("brand", []), start=1):
            if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
                raise BrandBookError(f"{name}: brand {number} has no name")
            handles = entry.get("handles", [])
            hashtags = entry.get("hashtags", [])
            if not isinstance(handles, list) or not isinstance(hashtags, list):
                raise BrandBookError(f"{name}: brand {entry['name']!r}: handles and hashtags are lists")
            brands.append(
                Brand(
                    str(entry["name"]).strip(),
                    tuple(normalise(str(h)) for h in handles if str(h).strip()),
                    tuple(normalise(str(h)) for h in hashtags if str(h).strip()),
                )
            )
        return cls.of(brands)

    @classmethod
    def _csv(cls, text: str, name: str) -> BrandBook:
        rows = list(csv.DictReader(io.StringIO(text)))
        if rows and not {"brand", "kind", "value"} <= set(rows[0]):
            raise BrandBookError(f"{name}: a CSV brand file has the columns brand, kind, value")
        handles: dict[str, list[str]] = {}
        hashtags: dict[str, list[str]] = {}
        for number, row in enumerate(rows, start=2):
            brand, kind, value = (str(row.get(k) or "").strip() for k in ("brand", "kind", "value"))
            if not brand or not value:
                continue
            if kind.lower() not in ("handle", "hashtag"):
                raise BrandBookError(f"{name}: line {number}: kind is handle or hashtag, not {kind!r}")
            target = handles if kind.lower() == "handle" else hashtags
            target.setdefault(brand, []).append(normalise(value))
            (hashtags if target is handles else handles).setdefault(brand, [])
        return cls.of(Brand(b, tuple(handles.get(b, [])), tuple(hashtags.get(b, []))) for b in handles)
