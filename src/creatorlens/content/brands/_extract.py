"""Brand mention candidates per post, and their resolution to brands (docs/brands.md).

``candidates`` reads what names an account or a brand in a post: its @mentions, the partner
fields of a paid partnership (``data/brands/fields.toml``), the accounts named in the disclosure
evidence (content/disclosure), and the hashtags that equal a mentioned handle (or its stem,
``#glowlab`` for ``@glowlab_official``). ``resolve`` then decides which candidates are brands: the
user's brand book first; otherwise the data: an account named as a paid partner or in disclosure
evidence, or mentioned in sponsored posts of at least ``min_sponsoring_creators`` creators.
A mention of an account that is none of these (a friend, a collaborator) is not a brand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from typing import Any

import pandas as pd

from creatorlens.content.brands._book import BrandBook, normalise
from creatorlens.data import load_toml

__all__ = [
    "CANDIDATE_COLUMNS",
    "MENTION_COLUMNS",
    "candidates",
    "handle_stem",
    "label_brands",
    "partner_fields",
    "resolve",
]

#: The stored candidates (table ``brand_candidates``): one row per post x token x kind.
CANDIDATE_COLUMNS: tuple[str, ...] = ("creator_id", "post_id", "posted_at", "token", "kind", "sponsored")
#: A resolved brand mention: one row per post x brand; ``via`` lists the kinds that named it.
MENTION_COLUMNS: tuple[str, ...] = (
    "creator_id",
    "post_id",
    "posted_at",
    "brand",
    "via",
    "sponsored",
    "source",
)
KINDS = ("partner", "disclosure", "mention", "hashtag")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
#: Suffixes brands add to a handle (``glowlab_official``): the stem before them is a hashtag.
_HANDLE_SUFFIX = re.compile(r"[._]?(official|global|kr|korea|us|usa|uk|app|co|shop|store|inc)$")
MIN_STEM = 4


@cache
def partner_fields() -> tuple[str, ...]:
    return tuple(str(f).lower() for f in load_toml("brands/fields.toml")["paid_partner_fields"])


@cache
def _label_affixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    doc = load_toml("brands/fields.toml")
    return tuple(doc["label_brand_prefixes"]), tuple(doc["label_brand_suffixes"])


_LABEL_TAG = re.compile(r"label:\s*#(\w+)")


def label_brands(evidence: str) -> list[str]:
    """The brands named inside disclosure label hashtags of the evidence text:
    ``label: #lorealparispartner`` -> ``lorealparis`` (``#ad`` alone names none)."""
    return [stem for tag in _LABEL_TAG.findall(evidence) if (stem := label_tag_brand(tag))]


def label_tag_brand(tag: str) -> str | None:
    """The brand a label hashtag carries once its label prefix or suffix is cut off
    (data/brands/fields.toml): ``hoptaccungUnilever`` -> ``unilever``, ``lorealparispartner`` ->
    ``lorealparis``; None when the tag is no such compound (or what is left is too short)."""
    prefixes, suffixes = _label_affixes()
    low = tag.lstrip("#").lower()
    for prefix in prefixes:
        if low.startswith(prefix) and len(low) - len(prefix) >= MIN_STEM:
            return low[len(prefix) :]
    for suffix in suffixes:
        if low.endswith(suffix) and len(low) - len(suffix) >= MIN_STEM:
            return low[: -len(suffix)]
    return None


def handle_stem(handle: str) -> str:
    """``glowlab_official`` -> ``glowlab``; ``dewyskin.kr`` -> ``dewyskin``; punctuation dropped."""
    stem = _HANDLE_SUFFIX.sub("", handle.lower())
    return re.sub(r"[._]", "", stem)


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [normalise(part) for part in str(value).split() if normalise(part)]


def _partners(extra: Any) -> list[str]:
    if not isinstance(extra, str) or not extra.startswith("{"):
        return []
    try:
        doc = json.loads(extra)
    except ValueError:
        return []
    if not isinstance(doc, dict):
        return []
    found: list[str] = []
    for key, value in doc.items():
        if str(key).lower() not in partner_fields():
            continue
        values = value if isinstance(value, list) else re.split(r"[,\s]+", str(value or ""))
        for item in values:
            name = item.get("username") if isinstance(item, dict) else item
            if name and normalise(str(name)):
                found.append(normalise(str(name)))
    return found


def candidates(
    posts: pd.DataFrame,
    own_handles: pd.Series,
    sponsored: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``CANDIDATE_COLUMNS`` for ``posts`` (post_id, creator_id, posted_at, caption, mentions,
    hashtags, is_paid, extra). ``own_handles``: creator_id -> handle (a creator naming itself is
    no brand). ``sponsored``: post_id, sponsored, sponsored_evidence (the disclosure verdicts)."""
    flags: dict[Any, tuple[bool, str]] = {}
    if sponsored is not None and not sponsored.empty:
        for post_id, is_sponsored, evidence in sponsored[
            ["post_id", "sponsored", "sponsored_evidence"]
        ].itertuples(index=False):
            flags[post_id] = (bool(is_sponsored), str(evidence or ""))
    rows: list[tuple[Any, ...]] = []
    handle_of = {str(k): normalise(str(v)) for k, v in own_handles.items()}
    per_post: list[tuple[Any, Any, Any, list[str], bool]] = []
    mentioned: set[str] = set()
    for post in posts.itertuples(index=False):
        own = handle_of.get(str(post.creator_id), "")
        is_sponsored, evidence = flags.get(post.post_id, (False, ""))
        is_sponsored = is_sponsored or bool(getattr(post, "is_paid", False) is True)
        named: list[tuple[str, str]] = []
        listed = _split(getattr(post, "mentions", None))
        if not listed:
            listed = [m.lower() for m in _MENTION.findall(str(getattr(post, "caption", "") or ""))]
        named += [(m, "mention") for m in listed]
        named += [(p, "partner") for p in _partners(getattr(post, "extra", None))]
        named += [(m.lower(), "disclosure") for m in _MENTION.findall(evidence)]
        named += [(b, "disclosure") for b in label_brands(evidence)]
        seen: set[tuple[str, str]] = set()
        for token, kind in named:
            if token == own or (token, kind) in seen:
                continue
            seen.add((token, kind))
            mentioned.add(token)
            rows.append((post.creator_id, post.post_id, post.posted_at, token, kind, is_sponsored))
        per_post.append(
            (
                post.creator_id,
                post.post_id,
                post.posted_at,
                _split(getattr(post, "hashtags", None)),
                is_sponsored,
            )
        )
    # hashtags that name an account mentioned somewhere in the workspace (or its stem)
    tag_names = set(mentioned) | {s for h in mentioned if len(s := handle_stem(h)) >= MIN_STEM}
    for creator_id, post_id, posted_at, tags, is_sponsored in per_post:
        for tag in dict.fromkeys(tags):
            if tag in tag_names:
                rows.append((creator_id, post_id, posted_at, tag, "hashtag", is_sponsored))
    frame = pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))
    frame["sponsored"] = frame["sponsored"].astype(bool)
    return frame


def resolve(
    found: pd.DataFrame,
    book: BrandBook | None = None,
    *,
    book_hashtags: pd.DataFrame | None = None,
    min_sponsoring_creators: int = 2,
    creator_ids: Collection[str] | None = None,
) -> pd.DataFrame:
    """``MENTION_COLUMNS``: the candidates that are brands, one row per post x brand.

    ``book_hashtags`` are extra candidates (kind ``hashtag``) the caller found for the book's
    hashtags that the stored candidates do not hold (a hashtag no account is named by).
    ``source`` says how the brand was recognised: ``book`` or ``data``. With ``creator_ids``
    only those creators' mentions are returned; which accounts are brands is still decided from
    every candidate in ``found`` (a brand is one because *other* creators were paid by it)."""
    book = book or BrandBook()
    frame = (
        found
        if book_hashtags is None or book_hashtags.empty
        else pd.concat([found, book_hashtags], ignore_index=True)
    )
    if frame.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="bool" if c == "sponsored" else "object") for c in MENTION_COLUMNS}
        )
    frame = frame.copy()
    is_tag = frame["kind"].eq("hashtag")
    from_book = frame["token"].map(book.by_handle).where(~is_tag, frame["token"].map(book.by_hashtag))
    data_brands = _data_brands(frame[~is_tag], min_sponsoring_creators)
    if creator_ids is not None:
        # One creator's page: resolving and grouping only its rows keeps `show` from grouping
        # every mention of the workspace (0.4 s on a 2,000-creator demo) to keep a handful.
        keep = frame["creator_id"].isin(list(creator_ids)).to_numpy()
        frame, is_tag, from_book = frame[keep], is_tag[keep], from_book[keep]
    by_stem = {handle_stem(h): h for h in sorted(data_brands) if len(handle_stem(h)) >= MIN_STEM}
    data_tag = frame["token"].map(
        lambda t: t if t in data_brands else by_stem.get(t)
    )
    data_handle = frame["token"].map(lambda t: t if t in data_brands else None)
    from_data = data_handle.where(~is_tag, data_tag)
    # a data brand whose handle is in the book is the book's brand
    from_data = from_data.map(lambda b: book.by_handle.get(b, b) if isinstance(b, str) else b)
    frame["brand"] = from_book.where(from_book.notna(), from_data)
    frame["source"] = pd.Series("data", index=frame.index).where(from_book.isna(), "book")
    frame = frame[frame["brand"].notna()]
    if frame.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="bool" if c == "sponsored" else "object") for c in MENTION_COLUMNS}
        )
    order = {k: i for i, k in enumerate(KINDS)}
    frame["_rank"] = frame["kind"].map(order)
    grouped = (
        frame.sort_values("_rank")
        .groupby(["post_id", "brand"], as_index=False, sort=False)
        .agg(
            creator_id=("creator_id", "first"),
            posted_at=("posted_at", "first"),
            via=("kind", lambda s: ",".join(dict.fromkeys(s))),
            sponsored=("sponsored", "max"),
            source=("source", "min"),  # "book" before "data"
        )
    )
    return grouped[list(MENTION_COLUMNS)].sort_values(["brand", "posted_at", "post_id"], ignore_index=True)


def brand_accounts(found: pd.DataFrame, min_sponsoring_creators: int = 2) -> set[str]:
    """The accounts (normalised handles) that the data shows are brands, from brand candidates
    (``CANDIDATE_COLUMNS``): the same rule ``resolve`` uses without a brand book."""
    if found.empty:
        return set()
    return _data_brands(found[~found["kind"].eq("hashtag")], min_sponsoring_creators)


def _data_brands(accounts: pd.DataFrame, min_creators: int) -> set[str]:
    """Accounts the data shows are brands: named as a paid partner or in disclosure evidence, or
    mentioned in sponsored posts of ``min_creators`` creators or more."""
    if accounts.empty:
        return set()
    strong = set(accounts.loc[accounts["kind"].isin(["partner", "disclosure"]), "token"])
    sponsored = accounts[accounts["sponsored"] & accounts["kind"].eq("mention")]
    spread = sponsored.groupby("token")["creator_id"].nunique()
    return strong | set(spread[spread >= min_creators].index)


def tokens_of(frame: pd.DataFrame, kinds: Sequence[str]) -> Iterable[str]:
    return frame.loc[frame["kind"].isin(list(kinds)), "token"]
