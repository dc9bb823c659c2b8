"""`fetch youtube` against the loopback emulator: by id, @handle, URL and search; paging to the
end or --max; every response archived before it is ingested."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from creatorlens._workspace import Workspace
from creatorlens.ingest.collect import Archive, FetchSpec, archive_folder
from creatorlens.ingest.collect.youtube import ChannelRef, parse_channel

from .emulator import CHANNEL_ID, CREDENTIALS, OTHER_ID, Clock, Emulator


def run(ws: Workspace, emu: Emulator, clock: Clock, spec: FetchSpec, **options: Any) -> Any:
    return ws.fetch(
        spec, base_url=emu.base_url, credentials=CREDENTIALS, clock=clock, sleep=clock.sleep, **options
    )


def creators(ws: Workspace) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ws.store.table("creators").order_by("creator_id").to_pyarrow().to_pylist()
    return rows


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        (CHANNEL_ID, ChannelRef("id", CHANNEL_ID)),
        ("@veganglow", ChannelRef("forHandle", "@veganglow")),
        ("veganglow", ChannelRef("forHandle", "@veganglow")),
        (f"https://www.youtube.com/channel/{CHANNEL_ID}", ChannelRef("id", CHANNEL_ID)),
        ("youtube.com/@veganglow/videos", ChannelRef("forHandle", "@veganglow")),
        ("https://www.youtube.com/user/VeganGlow", ChannelRef("forUsername", "VeganGlow")),
    ],
)
def test_channel_references(text: str, ref: ChannelRef) -> None:
    assert parse_channel(text) == ref


def test_fetch_by_id_pages_every_upload(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, FetchSpec("youtube", channels=(CHANNEL_ID,)))
        assert report.status == "done"
        assert report.results == [{"channel_id": CHANNEL_ID, "handle": "@veganglow", "videos": 120}]
        # 120 uploads = 3 pages of 50/50/20: 1 channels + 3 playlistItems + 3 videos calls, 1 unit each
        assert (report.stats.requests, report.stats.units) == (7, 7)
        assert report.remaining == 10_000 - 7
        [creator] = creators(ws)
        assert (creator["platform_id"], creator["handle"], creator["followers"]) == (
            CHANNEL_ID,
            "veganglow",
            123_000,
        )
        assert ws.store.table("posts").count().execute() == 120
    pages = emulator.state.served_pages("playlistItems")
    assert sorted(pages.values()) == [1, 1, 1]


def test_fetch_by_handle_with_max(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(ws, emulator, clock, FetchSpec("youtube", channels=("@veganglow",), max_items=60))
        assert report.results[0]["videos"] == 60
        assert ws.store.table("posts").count().execute() == 60
    sizes = [p["maxResults"] for e, p, _ in emulator.state.log if e == "playlistItems"]
    assert sizes == ["50", "10"]


def test_search_region_max(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        report = run(
            ws, emulator, clock, FetchSpec("youtube", search="비건 스킨케어", region="kr", max_items=200)
        )
        assert report.status == "done" and report.results == [{"query": "비건 스킨케어", "results": 2}]
        assert report.stats.units == 100 + 1  # one search.list page, one channels.list call
        assert {c["platform_id"] for c in creators(ws)} == {CHANNEL_ID, OTHER_ID}
    [search] = [p for e, p, _ in emulator.state.log if e == "search"]
    assert (search["regionCode"], search["type"], search["maxResults"]) == ("KR", "channel", "50")


def test_every_response_archived_before_ingest(tmp_path: Path, emulator: Emulator, clock: Clock) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        run(ws, emulator, clock, FetchSpec("youtube", channels=(OTHER_ID,)))
        files = [r["file"] for r in ws.store.table("ingests").to_pyarrow().to_pylist()]
    entries = list(Archive(archive_folder(tmp_path / "ws.duckdb")).entries())
    assert [e.entry["request"]["api_method"] for e in entries] == [
        "channels.list",
        "playlistItems.list",
        "videos.list",
    ]
    for entry in entries:
        doc = json.loads(gzip.decompress(entry.path.read_bytes()))
        assert set(doc) == {"request", "response", "fetched_at"}
        assert entry.path.name == f"{entry.sha256}.json.gz"
    ingested = [e for e in entries if e.entry["ingest"]]
    assert sorted(files) == sorted(f"archive/{e.sha256}.json" for e in ingested)
