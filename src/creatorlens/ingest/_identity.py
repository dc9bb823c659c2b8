"""One creator, one record: link accounts that the data shows are the same creator.

Creators are keyed ``platform:handle`` when a row first names them. Handles change (YouTube's
``MrBeast6000`` became ``MrBeast`` in late 2022), so two further rules join records after each
ingest, with the rules in ``data/identity.toml``:

- the same platform id (channel id, user id) is one account whatever its handles;
- a renamed handle in id-less ranking exports is linked by the evidence the files have (names,
  follower continuity, disjoint observation periods, uniqueness), see ``find_links``.

Linked records are merged into the most recently observed one; the older ``creator_id`` becomes an
alias (table ``creator_aliases``) with the reason and evidence, so a later file that still uses
the old handle lands on the same creator and ``show OLDHANDLE`` finds it.

``find_links`` is pure (a frame of account profiles in, links out); ``link_identities`` reads the
store, calls it and applies the merges.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creatorlens.data import load_toml
from creatorlens.store import CREATOR_ALIASES, Store

__all__ = [
    "IdentityRules",
    "Link",
    "apply_aliases",
    "find_links",
    "link_identities",
    "merge_links",
    "name_key",
    "name_keys",
    "profiles_of",
]


@dataclass(frozen=True)
class IdentityRules:
    """When two records are one creator (numbers in data/identity.toml, read by :meth:`load`)."""

    by_platform_id: bool
    by_rename: bool
    max_follower_ratio: float
    min_name_length: int

    @classmethod
    def load(cls) -> IdentityRules:
        return _default_rules()


@cache
def _default_rules() -> IdentityRules:
    raw = load_toml("identity.toml")
    rename = raw["rename"]
    return IdentityRules(
        by_platform_id=bool(raw["platform_id"]["enabled"]),
        by_rename=bool(rename["enabled"]),
        max_follower_ratio=float(rename["max_follower_ratio"]),
        min_name_length=int(rename["min_name_length"]),
    )


@dataclass(frozen=True)
class Link:
    """``alias`` (an older record) is the same creator as ``target``; why, in words and data."""

    alias: str
    target: str
    reason: str  # "same platform id" | "renamed handle"
    evidence: str


def name_key(name: object) -> str:
    """A name folded for comparison: NFKC, case-folded, letters and digits only (any script)."""
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return ""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def name_keys(names: pd.Series) -> pd.Series:
    """:func:`name_key` of every name, the same keys, vectorised for the ASCII names.

    For ASCII text NFKC changes nothing, casefold is lower and ``isalnum`` is ``[a-z0-9]``, so
    Arrow's kernels give exactly :func:`name_key`; other names (Korean, accented) go through it.
    Ingest links identities over the whole workspace after every file: a per-name Python call
    made a 120-row file cost 38 s at 150K creators (issue 16)."""
    text = pa.array(names.astype(object).where(names.notna(), None), type=pa.string())
    ascii_mask = pc.fill_null(pc.string_is_ascii(text), True)
    fast = pc.replace_substring_regex(pc.utf8_lower(text), pattern="[^a-z0-9]", replacement="")
    keys = pd.Series(pc.fill_null(fast, "").to_pylist(), index=names.index, dtype=object)
    slow = ~ascii_mask.to_numpy(zero_copy_only=False)
    if slow.any():
        keys[slow] = [name_key(v) for v in names[slow]]
    return keys


def _fmt_count(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.4g}{suffix}"
    return f"{value:.0f}"


def find_links(profiles: pd.DataFrame, rules: IdentityRules, touched: set[str] | None = None) -> list[Link]:
    """Links between account records, each alias pointing at the most recently seen record.

    ``profiles`` has one row per record: creator_id, platform, handle, display_name, platform_id,
    country, first_seen, last_seen, first_followers, last_followers. With ``touched``, only links
    that involve one of those records are returned (the others were examined at earlier ingests).
    """
    if profiles.empty:
        return []
    links: list[Link] = []
    if rules.by_platform_id:
        links += _same_platform_id(profiles, touched)
    if rules.by_rename:
        linked = {link.alias for link in links} | {link.target for link in links}
        rest = profiles[~profiles.creator_id.isin(linked)]
        links += _renamed_handles(rest, rules, touched)
    return links


def _same_platform_id(profiles: pd.DataFrame, touched: set[str] | None) -> list[Link]:
    with_id = profiles[profiles.platform_id.notna() & (profiles.platform_id.astype(str) != "")]
    # Only ids held by two or more records can link: the loop below then sees a handful of
    # groups, not one per creator of the workspace.
    with_id = with_id[with_id.duplicated(["platform", "platform_id"], keep=False)]
    links = []
    for (platform, pid), group in with_id.groupby(["platform", "platform_id"], sort=True):
        if len(group) < 2 or (touched is not None and not touched & set(group.creator_id)):
            continue
        # The survivor is the record with a real handle (not the id standing in for one, as a
        # video payload without its channel gives), then the most recently seen.
        named = (group.handle.map(name_key) != name_key(pid)).astype(int)
        ordered = group.assign(_named=named).sort_values(
            ["_named", "last_seen", "creator_id"], na_position="first"
        )
        target = ordered.iloc[-1]
        for _, alias in ordered.iloc[:-1].iterrows():
            links.append(
                Link(
                    str(alias.creator_id),
                    str(target.creator_id),
                    "same platform id",
                    f"{platform} id {pid}: handle {alias.handle!r} and later {target.handle!r}",
                )
            )
    return links


def _sharing_a_name(profiles: pd.DataFrame, rules: IdentityRules) -> pd.DataFrame:
    """The records that share a name key with another record of their platform.

    A rename links two records through a shared key, so the others can be left out exactly."""
    handle_key, display_key = name_keys(profiles.handle), name_keys(profiles.display_name)
    rows = np.arange(len(profiles))
    long = pd.DataFrame(
        {
            "row": np.concatenate([rows, rows]),
            "platform": np.concatenate([profiles.platform.to_numpy(object)] * 2),
            "key": np.concatenate([handle_key.to_numpy(object), display_key.to_numpy(object)]),
        }
    )
    long = long[long.key.str.len() >= rules.min_name_length].drop_duplicates()
    shared = long[long.duplicated(["platform", "key"], keep=False)]
    return profiles.iloc[sorted(set(shared.row))]


def _renamed_handles(profiles: pd.DataFrame, rules: IdentityRules, touched: set[str] | None) -> list[Link]:
    profiles = _sharing_a_name(profiles, rules)
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in profiles.to_dict("records")]
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys: list[set[str]] = []
    for i, row in enumerate(rows):
        names = {name_key(row["handle"]), name_key(row["display_name"])}
        names = {n for n in names if len(n) >= rules.min_name_length}
        keys.append(names)
        for n in names:
            by_key[(row["platform"], n)].append(i)
    candidates: dict[int, set[int]] = defaultdict(set)  # older record -> newer records
    for i, row in enumerate(rows):
        for n in keys[i]:
            for j in by_key[(row["platform"], n)]:
                # Display names are not unique on a platform, handles are: the shared name must
                # be the handle of one of the two (B's handle was A's display name, say).
                handles = {name_key(row["handle"]), name_key(rows[j]["handle"])}
                if j != i and n in handles and _plausible_rename(row, rows[j], rules):
                    candidates[i].add(j)
    older_of: dict[int, set[int]] = defaultdict(set)
    for i, newer in candidates.items():
        for j in newer:
            older_of[j].add(i)
    links = []
    for i, newer in sorted(candidates.items()):
        if len(newer) != 1:
            continue
        (j,) = newer
        if older_of[j] != {i}:
            continue
        a, b = rows[i], rows[j]
        if touched is not None and a["creator_id"] not in touched and b["creator_id"] not in touched:
            continue
        shared = sorted(keys[i] & keys[j])
        links.append(
            Link(
                str(a["creator_id"]),
                str(b["creator_id"]),
                "renamed handle",
                f"handle {a['handle']!r} seen {a['first_seen']:%Y-%m-%d}..{a['last_seen']:%Y-%m-%d}, "
                f"then {b['handle']!r} from {b['first_seen']:%Y-%m-%d}; shared name "
                f"{shared[0]!r}; followers {_fmt_count(a['last_followers'])} -> "
                f"{_fmt_count(b['first_followers'])}",
            )
        )
    return links


def _plausible_rename(a: dict[str, Any], b: dict[str, Any], rules: IdentityRules) -> bool:
    """Could record ``a`` (older) have been renamed to record ``b`` (newer)?"""
    if pd.isna(a["last_seen"]) or pd.isna(b["first_seen"]) or not a["last_seen"] < b["first_seen"]:
        return False
    for field in ("country", "platform_id"):
        x, y = a.get(field), b.get(field)
        if isinstance(x, str) and isinstance(y, str) and x and y and x.casefold() != y.casefold():
            return False
    fa, fb = a["last_followers"], b["first_followers"]
    if pd.isna(fa) or pd.isna(fb) or fa <= 0 or fb <= 0:
        return False
    return bool(max(fa / fb, fb / fa) <= rules.max_follower_ratio)


_PROFILES_SQL = """
WITH seen AS (
    SELECT creator_id, observed_at, followers FROM follower_snapshots
    UNION ALL
    SELECT creator_id, observed_at, followers FROM creators
), spans AS (
    SELECT creator_id,
           min(observed_at) AS first_seen,
           max(observed_at) AS last_seen,
           arg_min(followers, observed_at) AS first_followers,
           arg_max(followers, observed_at) AS last_followers
    FROM seen WHERE observed_at IS NOT NULL GROUP BY creator_id
)
SELECT c.creator_id, c.platform, c.handle, c.display_name, c.platform_id, c.country,
       s.first_seen, s.last_seen, s.first_followers, s.last_followers
FROM creators c LEFT JOIN spans s USING (creator_id)
ORDER BY c.creator_id
"""


def link_identities(
    store: Store, touched: set[str] | None = None, rules: IdentityRules | None = None
) -> list[Link]:
    """Find and merge records of one creator (repeated until nothing links); returns the links."""
    rules = rules or IdentityRules.load()
    done: list[Link] = []
    for _ in range(5):  # a chain A -> B -> C links one step per round
        profiles = store.raw.sql(_PROFILES_SQL).df()
        links = find_links(profiles, rules, touched)
        if not links:
            break
        merge_links(store, links, profiles)
        done += links
        touched = None if touched is None else touched | {link.target for link in links}
    return done


def merge_links(store: Store, links: list[Link], profiles: pd.DataFrame | None = None) -> None:
    """Merge each link's alias record into its target and record the alias with its evidence."""
    if not links:
        return
    if profiles is None:
        profiles = store.raw.sql(_PROFILES_SQL).df()
    now = datetime.now(UTC).replace(tzinfo=None)
    by_id = profiles.set_index("creator_id")
    alias_rows = []
    for link in links:
        old = by_id.loc[link.alias]
        alias_rows.append(
            {
                "alias_id": link.alias,
                "creator_id": link.target,
                "platform": _py(old.platform),
                "handle": _py(old.handle),
                "display_name": _py(old.display_name),
                "first_seen": _py(old.first_seen),
                "last_seen": _py(old.last_seen),
                "reason": link.reason,
                "evidence": link.evidence,
                "linked_at": now,
            }
        )
        store.merge_creator(link.alias, link.target)
    store.upsert_latest(
        CREATOR_ALIASES,
        pa.Table.from_pylist(alias_rows, schema=CREATOR_ALIASES.arrow_schema()),
        order_by="linked_at",
    )


def profiles_of(store: Store) -> pd.DataFrame:
    """One row per creator record with its first/last observation and follower counts."""
    return store.raw.sql(_PROFILES_SQL).df()


def _py(value: Any) -> Any:
    """A pandas cell as a plain value (NaN / NaT -> None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value


def apply_aliases(table: pa.Table, aliases: dict[str, str]) -> pa.Table:
    """Rewrite ``creator_id`` through the alias map, so old handles land on their creator."""
    if not aliases or "creator_id" not in table.column_names or table.num_rows == 0:
        return table
    ids = table.column("creator_id")
    if not pc.any(pc.is_in(ids, value_set=pa.array(list(aliases)))).as_py():
        return table
    mapped = pa.array([aliases.get(v, v) if v is not None else None for v in ids.to_pylist()], pa.string())
    return table.set_column(table.column_names.index("creator_id"), "creator_id", mapped)
