from __future__ import annotations

from pathlib import Path

import ibis
import pytest
from hypothesis import given, settings, strategies as st

from creatorlens.tiers import PeerGroups, TierScheme, TierSchemeError, available_schemes


def test_seed_scheme_boundaries_are_half_open() -> None:
    seed = TierScheme.load("seed")
    assert [seed.assign(x) for x in (99, 100, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000)] == [
        None, "nano", "nano", "micro", "micro", "macro", "macro", "mega",
    ]  # fmt: skip


def test_every_packaged_scheme_loads() -> None:
    assert {"seed", "nielsen_2022", "hypeauditor_aqs_2019", "later_fohr_2021", "refersion"} <= set(
        available_schemes()
    )
    for name in available_schemes():
        assert TierScheme.load(name).tiers


def test_user_toml_scheme(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "agency"\n[[tiers]]\nname = "small"\nmin = 0\nmax = 5000\n[[tiers]]\nname = "big"\nmin = 5000\n'
    )
    scheme = TierScheme.load(path)
    assert (
        scheme.name == "agency" and scheme.assign(4999) == "small" and scheme.assign(5000) == "big"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('[[tiers]]\nname = "a"\nmin = 0\nmax = 10\n[[tiers]]\nname = "b"\nmin = 5\n')
    with pytest.raises(TierSchemeError, match="overlap"):
        TierScheme.load(bad)
    with pytest.raises(TierSchemeError, match="unknown tier scheme"):
        TierScheme.load("nope")


@settings(deadline=None, max_examples=50)  # each example runs a query
@given(st.integers(0, 10**10))
def test_ibis_expression_agrees_with_python(followers: int) -> None:
    seed = TierScheme.load("seed")
    result = ibis.literal(followers).pipe(seed.expr).execute()
    assert (result if isinstance(result, str) else None) == seed.assign(followers)


@given(st.integers(1, 10**10))
def test_peer_groups_are_log_spaced_and_contain_the_count(followers: int) -> None:
    peers = PeerGroups.load()
    group = peers.group(followers)
    assert group is not None
    lo, hi = peers.bounds(group)
    assert lo * (1 - 1e-9) <= followers < hi * (1 + 1e-9)
    assert hi / lo == pytest.approx(10 ** (1 / peers.bins_per_decade))


@settings(deadline=None, max_examples=50)
@given(st.sampled_from([10**k for k in range(0, 10)]) | st.integers(1, 10**10))
def test_peer_group_expression_agrees_with_python(followers: int) -> None:
    peers = PeerGroups.load()
    assert int(ibis.literal(followers).pipe(peers.expr).execute()) == peers.group(followers)
