"""Public contact details of a creator: emails, link-in-bio and other URLs, phone numbers, read
from the bio text and from the profile fields a source gave (data/brands/fields.toml names them).

Only what the data states: nothing is guessed from a handle or a name (docs/brands.md "Contacts").
Pure: a profile row in, a list of contacts out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from creatorlens.data import load_toml

__all__ = ["CONTACT_COLUMNS", "Contact", "contacts_of"]

CONTACT_COLUMNS: tuple[str, ...] = ("kind", "value", "source")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()]+", re.IGNORECASE)
#: a bare domain with a path ("linktr.ee/name"), only for the known link-in-bio services
_BARE = re.compile(r"\b([a-z0-9-]+(?:\.[a-z0-9-]+)+/[^\s<>\"'()]+)", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’"


@dataclass(frozen=True)
class Contact:
    kind: str  # email | link_in_bio | website | phone
    value: str
    source: str  # "bio" or the profile field's name

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@cache
def _fields() -> Mapping[str, Any]:
    contacts: Mapping[str, Any] = load_toml("brands/fields.toml")["contacts"]
    return contacts


def _url_kind(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
    bio_hosts = _fields()["link_in_bio_domains"]
    return "link_in_bio" if any(host == d or host.endswith("." + d) for d in bio_hosts) else "website"


def _from_text(text: str, source: str) -> list[Contact]:
    found: list[Contact] = []
    for email in _EMAIL.findall(text):
        found.append(Contact("email", email.rstrip(_TRAILING), source))
    urls = [u.rstrip(_TRAILING) for u in _URL.findall(text)]
    bio_hosts = tuple(_fields()["link_in_bio_domains"])
    for bare in _BARE.findall(text):
        if bare.lower().startswith(bio_hosts) and not any(bare in u for u in urls):
            urls.append(bare.rstrip(_TRAILING))
    for url in urls:
        if "@" in url.split("/")[0]:
            continue
        found.append(Contact(_url_kind(url), url, source))
    return found


def _values(value: Any) -> list[str]:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()]


def contacts_of(bio: str | None, extra: str | Mapping[str, Any] | None = None) -> list[Contact]:
    """The contacts in a creator's ``bio`` and its profile fields (``extra``: the JSON object the
    ingest keeps for columns that map to no field). Each (kind, value) once, fields first."""
    found: list[Contact] = []
    doc: Mapping[str, Any] = {}
    if isinstance(extra, str) and extra.startswith("{"):
        try:
            parsed = json.loads(extra)
        except ValueError:
            parsed = {}
        doc = parsed if isinstance(parsed, dict) else {}
    elif isinstance(extra, Mapping):
        doc = extra
    fields = _fields()
    lowered = {str(k).lower(): v for k, v in doc.items()}
    for name in fields["email_fields"]:
        for value in _values(lowered.get(name)):
            found += [c for c in _from_text(value, name) if c.kind == "email"]
    for name in fields["url_fields"]:
        for value in _values(lowered.get(name)):
            url = value if "://" in value or value.startswith("www.") else f"https://{value}"
            if "." in url.split("://", 1)[-1].split("/")[0]:
                found.append(Contact(_url_kind(url), url, name))
    for name in fields["phone_fields"]:
        for value in _values(lowered.get(name)):
            if sum(ch.isdigit() for ch in value) >= 7:
                found.append(Contact("phone", value, name))
    if bio:
        found += _from_text(str(bio), "bio")
    seen: set[tuple[str, str]] = set()
    unique: list[Contact] = []
    for contact in found:
        key = (contact.kind, contact.value.lower().rstrip("/"))
        if key not in seen:
            seen.add(key)
            unique.append(contact)
    return unique
