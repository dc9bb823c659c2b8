"""Issue 10's ingest findings, one test each: encodings, numbers no file can hold, lists where a
number belongs, JSON Lines line ends, the re-ingest line, upload names, and the file-date note."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import creatorlens
from creatorlens.cli import app as cli_app
from creatorlens.ingest import SourceError

KOREAN = (
    "platform,username,display_name,followers,bio\n"
    "instagram,김민지,민지 뷰티,3000,안녕하세요 뷰티 크리에이터입니다\n"
    'instagram,이서준,서준 여행,"99,999","여행, 먹방 - 부산"\n'
    'instagram,park_jiwoo,박지우,12.5만,"일상 ""브이로그"""\n'
)
PORTUGUESE = (
    "platform,username,display_name,followers,bio\n"
    "instagram,joao.silva,João Conceição,3000,Olá! Maquiagem e coração\n"
    'instagram,ana_lucia,Ana Lúcia,"1,234","ação, emoção; São Paulo"\n'
    "instagram,muller,Jürgen Müller,12.5K,Köln - Straße\n"
)
OBSERVED = datetime(2025, 3, 1)


def stored(ws: creatorlens.Workspace, file: Path) -> list[dict[str, Any]]:
    t = ws.store.table("creators")
    rows = t.filter(t.source_file == str(file)).order_by("creator_id").to_pyarrow().to_pylist()
    return [{k: r[k] for k in ("creator_id", "handle", "display_name", "followers", "bio")} for r in rows]


def write(folder: Path, name: str, text: str, encoding: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [
        ("cp949", "cp949"),
        ("euc-kr", "cp949"),  # cp949 is a superset of EUC-KR: the same characters
        ("utf-16", "utf-16-le"),  # Python writes a little-endian byte-order mark
        ("utf-16-be", "utf-16-be"),  # no mark: told apart by where the NUL bytes are
        ("utf-8-sig", "utf-8"),
    ],
)
def test_korean_file_in_any_encoding_gives_the_utf8_rows(tmp_path: Path, encoding: str, shown: str) -> None:
    with creatorlens.open(tmp_path / "a.duckdb") as a, creatorlens.open(tmp_path / "b.duckdb") as b:
        plain = write(tmp_path, "kr.csv", KOREAN, "utf-8")
        other = write(tmp_path, f"kr-{encoding}.csv", KOREAN, encoding)
        ra = a.ingest(plain, observed_at=OBSERVED).files[0]
        rb = b.ingest(other, observed_at=OBSERVED).files[0]
        assert (ra.encoding, rb.encoding) == ("utf-8", shown)
        assert (rb.rows_read, rb.rows_loaded, rb.rows_quarantined) == (3, 3, 0)
        expected = stored(a, plain)
        assert [r["handle"] for r in expected] == ["park_jiwoo", "김민지", "이서준"]
        assert [r["followers"] for r in expected] == [125_000, 3000, 99_999]
        assert stored(b, other) == expected


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin_script_file_in_a_single_byte_encoding_gives_the_utf8_rows(
    tmp_path: Path, encoding: str
) -> None:
    with creatorlens.open(tmp_path / "a.duckdb") as a, creatorlens.open(tmp_path / "b.duckdb") as b:
        plain = write(tmp_path, "pt.csv", PORTUGUESE, "utf-8")
        other = write(tmp_path, f"pt-{encoding}.csv", PORTUGUESE, encoding)
        a.ingest(plain, observed_at=OBSERVED)
        report = b.ingest(other, observed_at=OBSERVED).files[0]
        assert report.encoding == "cp1252" and report.encoding_detected_by == "charset-normalizer"
        assert stored(b, other) == stored(a, plain)
        assert {r["display_name"] for r in stored(b, other)} >= {"João Conceição", "Jürgen Müller"}


def test_forced_encoding_and_undecodable_rows_are_quarantined_with_the_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "kr.csv", KOREAN, "cp949")
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, observed_at=OBSERVED, encoding="utf-8").files[0]
        # Told UTF-8, the Korean rows cannot be decoded: quarantined, never stored as U+FFFD.
        assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 0, 3)
        assert (report.encoding, report.encoding_detected_by) == ("utf-8", "--encoding")
        q = ws.quarantine().to_pyarrow().to_pylist()
        assert [r["row"] for r in q] == [2, 3, 4]
        assert all("not valid utf-8" in r["reason"] and "--encoding" in r["reason"] for r in q)
        assert "\\xb1" in q[0]["value"] and "\ufffd" not in q[0]["value"]  # 김 = b1 e8 in cp949
        assert stored(ws, path) == []
        # The right encoding, forced, loads everything.
        again = tmp_path / "kr2.csv"
        again.write_bytes(KOREAN.replace("3000", "3001").encode("euc-kr"))
        report = ws.ingest(again, observed_at=OBSERVED, encoding="euc-kr").files[0]
        assert (report.rows_loaded, report.rows_quarantined, report.encoding) == (3, 0, "euc-kr")
    with pytest.raises(SourceError, match="unknown encoding"):
        creatorlens.open(tmp_path / "x.duckdb").ingest(path, encoding="klingon")


def test_mostly_utf8_file_quarantines_only_the_broken_row(tmp_path: Path) -> None:
    data = KOREAN.encode("utf-8") + "instagram,최유나,유나,500,부산\n".encode("cp949")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, observed_at=OBSERVED).files[0]
        assert report.encoding == "utf-8" and "some bytes" in str(report.encoding_detected_by)
        assert (report.rows_loaded, report.rows_quarantined) == (3, 1)
        assert ws.quarantine().to_pyarrow().to_pylist()[0]["row"] == 5


def test_replacement_characters_in_the_data_are_never_stored(tmp_path: Path) -> None:
    path = tmp_path / "garbled.json"
    path.write_text(json.dumps([{"username": "ok", "followers": 1}, {"username": "bad\ufffd", "followers": 2},
                                {"username": "lone", "bio": "\ud800"}]), "utf-8")  # fmt: skip
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 1, 2)
        reasons = [r["reason"] for r in ws.quarantine().to_pyarrow().to_pylist()]
        assert "U+FFFD" in reasons[0] and "surrogate" in reasons[1]
        assert [r["handle"] for r in stored(ws, path)] == ["ok"]


def notes(ws: creatorlens.Workspace) -> list[tuple[int, str, str, str]]:
    rows = ws.value_notes().to_pyarrow().to_pylist()
    return sorted((r["row"], r["column"], r["value"], r["reason"]) for r in rows)


def test_counts_no_column_can_hold_become_null_with_a_note_per_cell(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    cells = ["NaN", "nan", "inf", "1e19", "99999999999999999999", "1e308", "1e400", "9007199254740992", "500"]
    path.write_text("username,followers\n" + "".join(f"u{i},{c}\n" for i, c in enumerate(cells)), "utf-8")
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert (report.rows_loaded, report.rows_quarantined, report.null_cells) == (9, 0, 8)
        got = notes(ws)
        assert [(r, c, v) for r, c, v, _ in got] == [(i + 2, "followers", cells[i]) for i in range(8)]
        assert all(c == "followers" for _, c, _, _ in got)
        assert "2^53" in got[3][3] and "finite" in got[2][3]
        followers = {r["handle"]: r["followers"] for r in stored(ws, path)}
        assert followers == {f"u{i}": None for i in range(8)} | {"u8": 500}


def test_json_special_numbers_get_notes(tmp_path: Path) -> None:
    path = tmp_path / "special.json"
    path.write_text('[{"username":"a","followers":NaN},{"username":"b","followers":Infinity},'
                    '{"username":"c","followers":1e25},{"username":"d","followers":1e400},'
                    '{"username":"e","followers":12}]', "utf-8")  # fmt: skip
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert (report.rows_loaded, report.null_cells) == (5, 4)
        assert [r for r, _, _, _ in notes(ws)] == [1, 2, 3, 4]
        assert {r["handle"]: r["followers"] for r in stored(ws, path)}["e"] == 12


def test_a_list_where_a_number_belongs_affects_only_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text('[{"username":"a","video_id":"v1","likes":10},{"username":"b","video_id":"v2",'
                    '"views":[100,200]},{"username":"c","video_id":"v3","likes":7}]', "utf-8")  # fmt: skip
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="tiktok", observed_at=OBSERVED).files[0]
        assert (report.rows_read, report.rows_loaded, report.posts, report.null_cells) == (3, 3, 3, 1)
        posts = ws.store.table("posts").order_by("post_id").to_pyarrow().to_pylist()
        assert [(p["post_id"], p["likes"], p["views"]) for p in posts] == [
            ("tiktok:v1", 10, None), ("tiktok:v2", None, None), ("tiktok:v3", 7, None),
        ]  # fmt: skip
        [(row, column, value, reason)] = notes(ws)
        assert (row, column, value) == (2, "views", "[100, 200]") and "list" in reason


def test_per_post_arrays_with_overflowing_numbers_do_not_raise(tmp_path: Path) -> None:
    path = tmp_path / "arrays.json"
    path.write_text('[{"username":"a","mediaLikeNumbers":[1e400,3]},'
                    '{"username":"b","mediaLikeNumbers":[1,2],"mediaCommentNumbers":[1]}]', "utf-8")  # fmt: skip
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert (report.rows_loaded, report.rows_quarantined, report.posts) == (1, 1, 2)
        posts = ws.store.table("posts").order_by("post_id").to_pyarrow().to_pylist()
        assert [(p["post_id"], p["likes"]) for p in posts] == [("instagram:a#1", None), ("instagram:a#2", 3)]
        [(row, column, _, reason)] = notes(ws)
        assert (row, column) == (1, "mediaLikeNumbers[0]") and "finite" in reason
        assert "different lengths" in ws.quarantine().to_pyarrow().to_pylist()[0]["reason"]


def test_json_lines_split_on_newlines_only(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    records = [{"username": "a\u2028b", "followers": 5}, {"username": "c\u0085d", "bio": "x\u2029y"}]
    path.write_text("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 2, 0)
        assert sorted(r["handle"] for r in stored(ws, path)) == ["a\u2028b", "c\u0085d"]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_reports_the_encoding_and_a_meaningful_reingest_line(tmp_path: Path) -> None:
    path = write(tmp_path, "kr.csv", KOREAN, "cp949")
    db = str(tmp_path / "w.duckdb")
    first = run("ingest", str(path), "--db", db, "--observed-at", "2025-03-01")
    assert "cp949 (charset-normalizer)" in first
    again = run("ingest", str(path), "--db", db)
    assert "unchanged" in again and "(csv)" in again and "known" not in again and "?" not in again
    assert "read 3 = loaded 3 + quarantined 0" in again and "already in the workspace" in again
    forced = tmp_path / "kr-forced.csv"
    forced.write_bytes(KOREAN.replace("3000", "3002").encode("cp949"))
    out = run("ingest", str(forced), "--db", db, "--encoding", "utf-8", "--observed-at", "2025-03-01")
    assert "quarantined 3" in out and "(--encoding)" in out


def test_the_file_date_note_appears_only_when_that_date_dated_rows(tmp_path: Path) -> None:
    def note(name: str, text: str, **kw: Any) -> list[str]:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        os.utime(path, (1_700_000_000, 1_700_000_000))  # 2023-11-14
        with creatorlens.open(tmp_path / f"{name}.duckdb") as ws:
            report = ws.ingest(path, platform="instagram", **kw).files[0]
            return [w for w in report.warnings if "modification time" in w]

    dated = "username,followers,observed_at\na,1,2025-01-02\nb,2,2025-01-03\n"
    assert note("dated.csv", dated) == []  # every row has its own date
    half = "username,followers,observed_at\na,1,2025-01-02\nb,2,\n"
    [w] = note("half.csv", half)
    assert w.startswith("1 loaded row has") and "2023-11-14" in w  # the one undated row used it
    plain = "username,followers\na,1\nb,2\n"
    [w] = note("plain.csv", plain)
    assert w.startswith("2 loaded rows")
    assert note("export-2025-05-29.csv", plain) == []  # the name's date was used
    assert note("given.csv", plain, observed_at=OBSERVED) == []
    assert note("empty.csv", "username,followers\n,\n") == []  # nothing loaded, nothing dated


def test_upload_errors_name_the_uploaded_file_not_the_server_path(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from creatorlens.web import create_app, create_key

    with creatorlens.open(tmp_path / "api.duckdb") as ws:
        _, key = create_key(ws.store, "t")
    app = create_app(tmp_path / "api.duckdb")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        headers = {"X-API-Key": key}
        r = client.post("/api/v1/ingest", files={"file": ("broken.json", b"[{")}, headers=headers,
                        params={"score": "false"})  # fmt: skip
        assert r.status_code == 400 and "broken.json" in r.text
        assert "creatorlens-upload-" not in r.text and "/tmp" not in r.text
        r = client.post("/api/v1/ingest", files={"file": ("arrays_instagram.json", b'[{"username":"a","mediaLikeNumbers":[1e400,3]}]')},
                        headers=headers, params={"score": "false"})  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["files"][0]["file"] == "arrays_instagram.json"
        ws = app.state.pool.get()
        assert {row["file"] for row in ws.value_notes().to_pyarrow().to_pylist()} == {"arrays_instagram.json"}
    app.state.pool.close()


def test_a_utf16_file_cut_inside_a_character_quarantines_the_last_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("username,followers\na,1\nb,1".encode("utf-16-le")[:-1])  # half a code unit
    with creatorlens.open(tmp_path / "w.duckdb") as ws:
        report = ws.ingest(path, platform="instagram", observed_at=OBSERVED).files[0]
        assert report.encoding == "utf-16-le"
        assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)
        [q] = ws.quarantine().to_pyarrow().to_pylist()
        assert (q["row"], q["column"], q["value"]) == (3, "followers", "\\x31")
