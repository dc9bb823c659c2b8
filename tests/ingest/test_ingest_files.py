"""Ingest end to end into a real DuckDB file: formats, mapping, quarantine, idempotency, updates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

import creatorlens
from creatorlens.ingest import MappingError, SourceError

MESSY = """\
Username,Platform,#Followers,Following,Avg. likes,Country
alice,instagram,13.8M,120,1.2K,US
bob,tiktok,"3.5만",80,#VALOR!,KR
,instagram,1000,1,1,US
carol,facebook,100,1,1,US
dave,youtube,N/A,,,GB
alice,instagram,13.9M,121,1.3K,US
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(ws: creatorlens.Workspace, table: str) -> int:
    return int(ws.store.scalar(f'SELECT count(*) FROM "{table}"'))


def test_every_row_is_loaded_or_quarantined_with_a_reason(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path, "export.csv", MESSY)
    report = workspace.ingest(path, observed_at=datetime(2025, 1, 1)).files[0]
    assert report.rows_read == 6
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    assert report.rows_loaded == 3
    q = workspace.quarantine().to_pandas()
    reasons = dict(zip(q.row, q.reason, strict=True))
    assert reasons[4] == "no creator handle"
    assert "platform" in reasons[5]
    assert reasons[7].startswith("duplicate creator (same as row 2)")
    assert set(q.file) == {str(path)}
    creators = workspace.store.table("creators").to_pandas().set_index("creator_id")
    assert creators.loc["instagram:alice", "followers"] == 13_800_000
    assert creators.loc["tiktok:bob", "followers"] == 35_000
    assert pd.isna(creators.loc["tiktok:bob", "avg_likes_reported"])
    assert pd.isna(creators.loc["youtube:dave", "followers"])
    notes = workspace.value_notes().to_pandas()
    assert {"#VALOR!", "N/A"} <= set(notes.value)
    assert all(notes.reason.str.len() > 0)


def test_same_file_twice_changes_nothing(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", MESSY)
    workspace.ingest(path, observed_at=datetime(2025, 1, 1))
    before = {
        t: count(workspace, t)
        for t in ("creators", "follower_snapshots", "quarantine", "value_notes", "ingests")
    }
    again = workspace.ingest(path, observed_at=datetime(2025, 1, 1)).files[0]
    assert again.already_ingested
    assert before == {t: count(workspace, t) for t in before}


def test_newer_observation_updates_counts_and_appends_a_snapshot(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    old = write(tmp_path, "jan.csv", "handle,followers,bio\nalice,100,hello\n")
    new = write(tmp_path, "feb.csv", "handle,followers\nalice,150\n")
    workspace.ingest(old, platform="instagram", observed_at=datetime(2025, 1, 1))
    workspace.ingest(new, platform="instagram", observed_at=datetime(2025, 2, 1))
    row = workspace.store.table("creators").to_pandas().iloc[0]
    assert row.followers == 150
    assert row.bio == "hello"  # a partial newer export keeps what it does not mention
    snaps = workspace.snapshots("instagram:alice").to_pandas()
    assert list(snaps.followers) == [100, 150]
    # an older export arriving later appends history but does not roll the current count back
    older = write(tmp_path, "dec.csv", "handle,followers\nalice,90\n")
    workspace.ingest(older, platform="instagram", observed_at=datetime(2024, 12, 1))
    assert workspace.store.table("creators").to_pandas().iloc[0].followers == 150
    assert len(workspace.snapshots("instagram:alice").to_pandas()) == 3


def test_rows_observed_at_the_same_time_last_one_wins_everywhere(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    """A post export repeats the creator's count on every row, rounded on some ("9.9K") and exact
    on others: which one is kept must be a rule (the last row in the file), the same for the
    creator's current count and its snapshot, not whichever row the engine met first."""
    rows = ["user_name,user_nfollower,vid_id,vid_scrapeTime"]
    rows += [f"ana,{'9.9K' if i % 2 else 9934 + i},{i},2025-07-02 21:32:22" for i in range(400)]
    rows += ["ana,9941,400,2025-07-02 21:32:22"]
    workspace.ingest(write(tmp_path, "posts.csv", "\n".join(rows) + "\n"), platform="tiktok")
    assert workspace.store.table("creators").to_pandas().iloc[0].followers == 9941
    snaps = workspace.snapshots("tiktok:ana").to_pandas()
    assert list(snaps.followers) == [9941]
    # a second file observed at the same time is the later row: it wins too
    workspace.ingest(
        write(tmp_path, "again.csv", "user_name,user_nfollower,vid_id,vid_scrapeTime\nana,9.9K,401,2025-07-02 21:32:22\n"),
        platform="tiktok",
    )
    assert list(workspace.snapshots("tiktok:ana").to_pandas().followers) == [9900]
    assert workspace.store.table("creators").to_pandas().iloc[0].followers == 9900


def test_map_option_and_unknown_field(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "es.csv", "cuenta,seguidores\nana,2.5K\n")
    workspace.ingest(
        path, platform="tiktok", column_map={"cuenta": "handle", "seguidores": "followers"}
    )
    assert workspace.store.table("creators").to_pandas().iloc[0].followers == 2500
    with pytest.raises(MappingError):
        creatorlens.ingest.parse_map_options(["seguidores=fans"])


def test_platform_must_be_known(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "handle,followers\nana,10\n")
    with pytest.raises(ValueError, match="platform"):
        workspace.ingest(path)


def test_unknown_format_and_missing_file(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown file format"):
        workspace.ingest(write(tmp_path, "x.docx", "hi"))
    with pytest.raises(SourceError, match="not found"):
        workspace.ingest(tmp_path / "missing.csv")


def test_post_level_files_in_every_format(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "username": ["ana", "ana", "ben"],
            "followers": ["1.2K", "1.2K", "5000"],
            "video_id": ["1", "2", "3"],
            "create_time": ["2025-01-01 10:00:00", "2025-01-05 10:00:00", "2025-01-07 10:00:00"],
            "caption": ["hello #food #맛집", "second @ben", "third"],
            "likes": ["100", "1.1K", "50"],
            "comments": ["10", "20", "5"],
            "views": ["1000", "10K", "500"],
        }
    )
    paths = []
    frame.to_csv(p := tmp_path / "posts.csv", index=False)
    paths.append(p)
    frame.to_csv(p := tmp_path / "posts.tsv", index=False, sep="\t")
    paths.append(p)
    frame.to_excel(p := tmp_path / "posts.xlsx", index=False)
    paths.append(p)
    frame.to_parquet(p := tmp_path / "posts.parquet", index=False)
    paths.append(p)
    (p := tmp_path / "posts.json").write_text(frame.to_json(orient="records"), encoding="utf-8")
    paths.append(p)
    (p := tmp_path / "posts.jsonl").write_text(
        frame.to_json(orient="records", lines=True), encoding="utf-8"
    )
    paths.append(p)
    for path in paths:
        ws = creatorlens.open(tmp_path / f"{path.suffix[1:]}.duckdb")
        report = ws.ingest(path, platform="tiktok", observed_at=datetime(2025, 2, 1)).files[0]
        assert (report.rows_read, report.rows_loaded, report.creators, report.posts) == (
            3,
            3,
            2,
            3,
        ), path
        posts = ws.store.table("posts").to_pandas().set_index("post_id")
        assert posts.loc["tiktok:2", "likes"] == 1100
        assert posts.loc["tiktok:1", "hashtags"] == "food 맛집"
        assert posts.loc["tiktok:2", "mentions"] == "ben"
        assert posts.loc["tiktok:1", "kind"] == "video"
        ws.close()


def test_jsonl_broken_line_is_quarantined(workspace: creatorlens.Workspace, tmp_path: Path) -> None:
    lines = [
        json.dumps({"handle": "a", "followers": 10}),
        "{broken",
        json.dumps({"handle": "b", "followers": 20}),
    ]
    path = write(tmp_path, "x.jsonl", "\n".join(lines))
    report = workspace.ingest(path, platform="instagram").files[0]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert "not valid JSON" in workspace.quarantine().to_pandas().reason.iloc[0]


def test_shifted_numeric_column_is_not_loaded_but_kept(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    rows = "\n".join(f"user{i},{1000 + i},Spain" for i in range(10))
    path = write(tmp_path, "x.csv", "handle,followers,Views avg.\n" + rows + "\n")
    report = workspace.ingest(path, platform="instagram").files[0]
    assert report.rows_loaded == 10
    assert any("not numbers" in w for w in report.warnings)
    extra = workspace.store.table("creators").to_pandas().extra.iloc[0]
    assert json.loads(extra)["Views avg."] == "Spain"


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_ragged_row_with_a_broken_byte_after_a_utf8_mark_is_quarantined(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    # Arrow's CSV reader cannot hand such a row to its invalid-row handler (the row is not UTF-8;
    # the handler's error is swallowed): the file goes to the row reader before Arrow sees it.
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xef\xbb\xbfusername,followers\nana,10\nben,\xff,x\ncarl,30\n")
    report = workspace.ingest(path, platform="tiktok").files[0]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    q = workspace.quarantine().to_pandas()
    assert q.row.tolist() == [3] and "fields" in q.reason.iloc[0]


def test_all_zero_reported_averages_are_not_measured(
    workspace: creatorlens.Workspace, tmp_path: Path
) -> None:
    """'0,0,0' beside 147M subscribers (the Dec 2022 Top-1000 YouTube export's SET India) is a
    placeholder: no ER of 0% ranked at p0. A single real zero among numbers stays."""
    text = (
        "handle,platform,followers,avg views,avg likes,avg comments\n"
        "setindia,youtube,147.2M,0,0,0\n"
        "checkgate,youtube,146.6M,9.5M,48.3K,0\n"
        "nobody,youtube,0,0,0,0\n"
    )
    path = write(tmp_path, "ranking.csv", text)
    report = workspace.ingest(path, observed_at=datetime(2022, 12, 1)).files[0]
    assert report.rows_loaded == 3
    creators = workspace.store.table("creators").to_pandas().set_index("creator_id")
    for field in ("avg_views_reported", "avg_likes_reported", "avg_comments_reported"):
        assert pd.isna(creators.loc["youtube:setindia", field]), field
        assert creators.loc["youtube:nobody", field] == 0, field  # no followers: nothing to misread
    assert creators.loc["youtube:checkgate", "avg_comments_reported"] == 0  # comments turned off
    assert creators.loc["youtube:checkgate", "avg_views_reported"] == 9_500_000
    notes = workspace.value_notes().to_pandas()
    mine = notes[notes.row == 2]
    assert set(mine.column) == {"avg views", "avg likes", "avg comments"}
    assert all("not measured" in r and "147,200,000 followers" in r for r in mine.reason)
    assert set(notes.row) == {2}
