"""One creator, one record: platform ids and renamed handles link records (issue 18 section 4)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import creatorlens
from _frames import text
from creatorlens.cli import app
from creatorlens.ingest._identity import IdentityRules, find_links, name_key, name_keys

TOP1000 = "top1000-social-2022"
# The dated monthly YouTube files (the undated ones carry no month: their counts would be dated by
# the files' modification time).
YOUTUBE_2022 = (
    "social media influencers-youtube june 2022 - june 2022.csv",
    "social media influencers - Youtube sep-2022.csv",
    "social media influencers-youtube - --nov 2022.csv",
    "social media influencers-YOUTUBE - --DEC 2022.csv",
)
RULES = IdentityRules.load()


def profile(cid: str, handle: str, display: str | None, first: str, last: str, f0: float, f1: float,
            platform: str = "youtube", platform_id: str | None = None, country: str | None = None) -> dict[str, object]:
    return {
        "creator_id": cid, "platform": platform, "handle": handle, "display_name": display,
        "platform_id": platform_id, "country": country,
        "first_seen": pd.Timestamp(first), "last_seen": pd.Timestamp(last),
        "first_followers": f0, "last_followers": f1,
    }  # fmt: skip


def links(*rows: dict[str, object]) -> list[tuple[str, str, str]]:
    return [(x.alias, x.target, x.reason) for x in find_links(pd.DataFrame(rows), RULES)]


def test_mrbeast_is_one_youtube_creator_across_2022(tmp_path: Path, shared_data: Path) -> None:
    # Checked by hand in the four files: the channel is 'MrBeast6000' (display 'MrBeast') in June,
    # September and November, and 'MrBeast' in December; subscribers 97.3M, 104.1M, 109.1M, 117M.
    # RedeTV: 'RedeTVhdBrasil' until November, 'redetv' in December.
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    reports = ws.ingest([shared_data / TOP1000 / name for name in YOUTUBE_2022]).files
    assert any("youtube:mrbeast6000 -> youtube:mrbeast" in link for r in reports for link in r.links)
    series = ws.snapshots("youtube:mrbeast").to_pandas()
    assert series.observed_at.dt.strftime("%Y-%m").tolist() == ["2022-06", "2022-09", "2022-11", "2022-12"]
    assert series.followers.tolist() == [97_300_000, 104_100_000, 109_100_000, 117_000_000]
    rede = ws.snapshots("youtube:redetv").to_pandas()
    assert rede.followers.tolist() == [12_900_000, 12_900_000, 13_000_000, 13_000_000]
    c = ws.store.table("creators")
    assert c.filter(c.creator_id.isin(["youtube:mrbeast6000", "youtube:redetvhdbrasil"])).count().execute() == 0
    # The other MrBeast channels stay creators of their own.
    for other in ("youtube:mrbeast gaming", "youtube:mrbeast en español"):
        assert c.filter(c.creator_id == other).count().execute() == 1
    ws.score()
    row = ws.creator("MrBeast", platform="youtube")
    assert row["follower_growth_30d"] == pytest.approx(117_000_000 - 109_100_000)
    assert [f["handle"] for f in row["former_handles"]] == ["MrBeast6000"]
    assert row["former_handles"][0]["until"] == datetime(2022, 11, 1)
    assert ws.creator("mrbeast6000", platform="youtube")["creator_id"] == "youtube:mrbeast"
    ws.close()


def test_file_order_does_not_change_the_record(tmp_path: Path, shared_data: Path) -> None:
    ws = creatorlens.open(tmp_path / "ws.duckdb")
    ws.ingest([shared_data / TOP1000 / name for name in reversed(YOUTUBE_2022)])
    assert len(ws.snapshots("youtube:mrbeast").to_pandas()) == 4
    # A file that still uses the old handle, ingested after the link, lands on the same creator.
    late = tmp_path / "youtube-mid-june.csv"
    late.write_text("channel name,youTuber,Subscribers count\nMrBeast6000,MrBeast,98.1M\n", "utf-8")
    again = ws.ingest(late, platform="youtube", observed_at=datetime(2022, 6, 15)).files[0]
    assert again.rows_loaded == 1 and again.creators == 1
    c = ws.store.table("creators")
    assert c.filter(c.creator_id == "youtube:mrbeast6000").count().execute() == 0
    series = ws.snapshots("youtube:mrbeast").to_pandas()
    assert series.followers.tolist() == [97_300_000, 98_100_000, 104_100_000, 109_100_000, 117_000_000]
    # The current record keeps December's handle and count.
    assert ws.store.scalar("SELECT handle FROM creators WHERE creator_id = 'youtube:mrbeast'") == "MrBeast"
    ws.close()


def test_show_without_platform_lists_the_platforms(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "ws.duckdb"
    runner = CliRunner()
    files = [str(shared_data / TOP1000 / n) for n in (
        "social media influencers-YOUTUBE - --DEC 2022.csv",
        "social media influencers-TIKTOK - ---DEC 2022.csv",
        "social media influencers-INSTAGRAM - -DEC 2022.csv",
    )]  # fmt: skip
    assert runner.invoke(app, ["ingest", *files, "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["score", "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["show", "mrbeast", "--db", str(db)])
    assert out.exit_code == 2
    assert "3 platforms" in out.output and "--platform" in out.output
    for platform in ("youtube", "tiktok", "instagram"):
        assert platform in out.output
    one = runner.invoke(app, ["show", "mrbeast", "--platform", "tiktok", "--db", str(db)])
    assert one.exit_code == 0 and "@mrbeast on tiktok" in one.output
    ws = creatorlens.open(db)
    with pytest.raises(creatorlens.AmbiguousCreatorError) as err:
        ws.creator("mrbeast")
    assert sorted(c["platform"] for c in err.value.candidates) == ["instagram", "tiktok", "youtube"]
    ws.close()


def test_same_platform_id_is_one_account_whatever_the_handles() -> None:
    got = links(
        profile("youtube:oldname", "oldname", "Chan", "2022-01-01", "2022-02-01", 10, 11, platform_id="UC1"),
        profile("youtube:newname", "newname", "Other", "2022-01-15", "2022-05-01", 5, 90, platform_id="UC1"),
        profile("youtube:uc1", "UC1", None, "2022-06-01", "2022-06-01", 95, 95, platform_id="UC1"),
    )
    # The survivor has a real handle (not the id standing in for one), then the latest observation.
    assert sorted(got) == [
        ("youtube:oldname", "youtube:newname", "same platform id"),
        ("youtube:uc1", "youtube:newname", "same platform id"),
    ]


def test_rename_needs_every_piece_of_evidence() -> None:
    a = profile("youtube:mrbeast6000", "MrBeast6000", "MrBeast", "2022-06-01", "2022-11-01", 97e6, 109.1e6)
    b = profile("youtube:mrbeast", "MrBeast", None, "2022-12-01", "2022-12-01", 117e6, 117e6)
    assert links(a, b) == [("youtube:mrbeast6000", "youtube:mrbeast", "renamed handle")]
    # Observation periods overlap: two accounts, not one renamed.
    assert links(a, {**b, "first_seen": pd.Timestamp("2022-11-01")}) == []
    # Followers jump more than the ratio allows.
    assert links(a, {**b, "first_followers": 200e6}) == []
    # Another platform.
    assert links(a, {**b, "platform": "tiktok"}) == []
    # Countries disagree.
    assert links({**a, "country": "United States"}, {**b, "country": "Mexico"}) == []
    # Only display names match (display names are not unique): no link.
    assert links(
        profile("tiktok:tommyunold", "tommyunold", "Tommy", "2022-09-01", "2022-09-01", 11e6, 11e6, platform="tiktok"),
        profile("tiktok:tommyinnit", "tommyinnit", "Tommy", "2022-11-01", "2022-11-01", 11.9e6, 11.9e6, platform="tiktok"),
    ) == []
    # Two candidates for one rename: ambiguous, no link.
    c = {**b, "creator_id": "youtube:mr beast", "handle": "Mr Beast"}
    assert links(a, b, c) == []


def test_name_key_folds_case_space_and_punctuation_in_any_script() -> None:
    assert name_key("Beast Reacts") == name_key("BeastReacts") == "beastreacts"
    assert name_key("Kabita's Kitchen") == "kabitaskitchen"
    assert name_key("김우빈 ") == "김우빈"
    assert name_key(None) == "" and name_key(float("nan")) == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(), st.text(alphabet="aBß Ⅻ１é김_-'.0", max_size=6)), max_size=20))
def test_vectorised_name_keys_are_name_key(values: list[str | None]) -> None:
    # name_keys takes an ASCII fast path; any text must still get exactly name_key's key.
    assert list(name_keys(pd.Series(values, dtype=object))) == [name_key(v) for v in values]


names = st.text(alphabet="abcdefgh ", min_size=4, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(names, names, st.integers(0, 5), st.integers(1, 4), st.floats(1e3, 1e7)), min_size=1, max_size=8))
def test_links_are_a_forest_pointing_forward_in_time(rows: list[tuple[str, str, int, int, float]]) -> None:
    frame = pd.DataFrame(
        [
            profile(f"youtube:{i}", handle, display, f"2022-0{start + 1}-01", f"2022-0{start + span + 1}-01"
                    if start + span < 9 else "2022-09-01", followers, followers)
            for i, (handle, display, start, span, followers) in enumerate(rows)
        ]
    )
    got = find_links(frame, RULES)
    aliases = [x.alias for x in got]
    assert len(aliases) == len(set(aliases))  # a record is merged into one creator at most
    seen = frame.set_index("creator_id")
    for x in got:
        assert x.alias != x.target
        assert text(seen, x.alias, "last_seen") < text(seen, x.target, "first_seen")
