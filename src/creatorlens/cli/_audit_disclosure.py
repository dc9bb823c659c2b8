"""`creatorlens audit --disclosure [HANDLE] [--jurisdictions us,kr,uk]`: rendering only.

The `audit` command (cli/_audit.py) calls :func:`render_disclosure_audit` when ``--disclosure`` is
set; the verdicts come from ``Workspace.audit_disclosure`` (creatorlens.content).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table

from creatorlens.cli._app import console, emit, print_rows
from creatorlens.presentation._i18n import catalog

if TYPE_CHECKING:
    from creatorlens._workspace import Workspace

#: Sponsored posts listed per jurisdiction (the rest is counted, not printed).
MAX_ROWS = 40
_STYLE = {
    "compliant": "green",
    "non_compliant": "yellow",
    "undisclosed_likely_ad": "red",
    "not_sponsored": "dim",
}


def _text(value: Any) -> str:
    """A cell's text: a missing value (None, NaN, empty) reads as —, never "nan"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "—"
    return str(value)


def _share(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * float(value):.0f}%"


def render_disclosure_audit(ws: Workspace, handle: str | None, jurisdictions: list[str]) -> None:
    """Print transparency per creator and jurisdiction, then the sponsored posts' verdicts."""
    codes = tuple(jurisdictions) if jurisdictions else ("us", "kr", "uk")
    audit = ws.audit_disclosure(handle, codes)
    transparency = audit.transparency
    table = Table(
        title="Disclosure transparency (compliant / sponsored posts)", header_style="bold"
    )
    for name in ("creator", "jurisdiction", "posts", "sponsored", "compliant", "undisclosed",
                 "transparency"):  # fmt: skip
        table.add_column(name, justify="left" if name in ("creator", "jurisdiction") else "right")
    shown = transparency.sort_values(["transparency", "creator_id"], na_position="last")
    for row in shown.head(MAX_ROWS).itertuples():
        table.add_row(
            str(row.creator_id),
            catalog("en").value("jurisdiction", row.jurisdiction),
            f"{row.posts_checked:,}",
            f"{row.sponsored_posts:,}",
            f"{row.compliant_posts:,}",
            f"{row.undisclosed_posts:,}",
            _share(row.transparency),
        )
    console.print(table)
    if len(shown) > MAX_ROWS:
        console.print(f"[dim]{len(shown) - MAX_ROWS:,} more creator x jurisdiction rows[/]")

    verdicts = audit.verdicts
    sponsored = verdicts[verdicts["sponsored"]]
    if sponsored.empty:
        console.print("No sponsored posts found (no label, no sponsorship signal).")
        return
    for code in codes:
        rows = sponsored[sponsored["jurisdiction"] == code]
        if rows.empty:
            continue
        detail = Table(
            title=f"Sponsored posts — {catalog('en').value('jurisdiction', code)}", header_style="bold"
        )
        for name in ("post", "verdict", "label", "position", "rules", "why"):
            detail.add_column(name, overflow="fold")
        for row in rows.head(MAX_ROWS).itertuples():
            style = _STYLE.get(str(row.verdict), "")
            verdict = catalog("en").value("verdict", row.verdict)
            detail.add_row(
                str(row.post_id),
                f"[{style}]{verdict}[/]" if style else verdict,
                _text(row.label),
                _text(row.label_position).replace("_", " "),
                _text(row.rule_ids),
                f"{row.explanation_en}\n{row.explanation_ko}",
            )
        console.print(detail)
        if len(rows) > MAX_ROWS:
            console.print(
                f"[dim]{len(rows) - MAX_ROWS:,} more sponsored posts for {code}; every verdict: "
                "--format csv|json|parquet --out FILE[/]"
            )


def disclosure_records(ws: Workspace, handle: str | None, jurisdictions: list[str]) -> Any:
    """Every verdict of every post (one row per post x jurisdiction) as an Arrow table, and the
    transparency rows beside it: what ``--format csv|json|parquet`` exports."""
    import pyarrow as pa

    audit = ws.audit_disclosure(handle, tuple(jurisdictions) if jurisdictions else ("us", "kr", "uk"))
    verdicts = pa.Table.from_pandas(audit.verdicts, preserve_index=False)
    transparency = pa.Table.from_pandas(audit.transparency, preserve_index=False)
    return verdicts, transparency


def export_disclosure_audit(
    ws: Workspace,
    handle: str | None,
    jurisdictions: list[str],
    fmt: str,
    out: Path | None,
    report: dict[str, Any] | None = None,
) -> None:
    """Write the disclosure audit in ``fmt``: CSV and Parquet carry every verdict of every post;
    JSON is one document with the verdicts, the transparency rows and (for a creator) the
    authenticity report, so stdout holds valid JSON and nothing else."""
    verdicts, transparency = disclosure_records(ws, handle, jurisdictions)
    if fmt != "json":
        print_rows(verdicts, fmt, out=out)
        return
    document: dict[str, Any] = {
        "transparency": transparency.to_pylist(),
        "verdicts": verdicts.to_pylist(),
    }
    if report is not None:
        document = {"authenticity": report, "disclosure": document}
    text = json.dumps(document, ensure_ascii=False, default=str, indent=1, allow_nan=False)
    emit(text.encode("utf-8"), out)
