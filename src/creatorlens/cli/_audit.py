"""`creatorlens audit`: the authenticity report of a creator, or of a follower sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from creatorlens.cli._app import (
    DEFAULT_DB,
    DbOption,
    app,
    console,
    fail,
    open_workspace,
    split_csv,
    user_errors,
)


def _pct(value: float | None) -> str:
    return "—" if value is None or value != value else f"{100 * value:.1f}%"


def _share_line(share: dict[str, Any] | None) -> str:
    if not share or share.get("value") is None:
        return "—"
    sample = f"n = {share['n']:,}, " if share.get("n") else ""  # indirect estimates have no n
    return (
        f"{_pct(share['value'])}  ({_pct(share['low'])} – {_pct(share['high'])}, "
        f"{sample}{share['method']})"
    )


def _quality_table(quality: dict[str, Any]) -> Table:
    table = Table(title="Audience quality components", header_style="bold")
    for name in ("component", "value", "range", "weight", "basis"):
        table.add_column(name, justify="left" if name in ("component", "basis") else "right")
    for part in quality["components"]:
        table.add_row(
            part["name"],
            _pct(part["value"]),
            f"{_pct(part['low'])} – {_pct(part['high'])}",
            f"{part['weight']:.2f}",
            part["basis"],
        )
    return table


def _render_follower_audit(audit: dict[str, Any]) -> None:
    classifier = audit["classifier"]
    lines = [
        f"followers scored: {audit['n']:,}",
        f"fake share (corrected): {_share_line(audit['fake_share'])}",
        f"apparent fake share: {_pct(audit['apparent_fake_share'])} "
        f"(classifier {classifier['name']}, threshold {classifier['threshold']:.2f}, "
        f"sensitivity {_pct(classifier['sensitivity'])}, "
        f"specificity {_pct(classifier['specificity'])})",
        f"mass followers (following > 1,500): {_share_line(audit['mass_follower_share'])}",
        f"inactive: {_share_line(audit['inactive_share'])}",
    ]
    imputed = [k for k, v in audit["imputed_inputs"].items() if v > 0]
    if imputed:
        lines.append(f"inputs imputed (missing in the file): {', '.join(imputed)}")
    if audit["credibility_warning"]:
        lines.append("[bold red]credibility below 75% (Modash: often a sign of fraud)[/]")
    console.print(Panel("\n".join(lines), title="Follower sample audit"))


def _render_report(report: dict[str, Any]) -> None:
    quality = report["quality"]
    head = [
        f"{report['handle']} on {report['platform']} — {report['followers'] or 0:,.0f} followers, "
        f"tier {report['tier'] or '—'}",
        (
            f"audience quality: [bold]{quality['score']:.0f}[/] / 100 "
            f"(range {quality['low']:.0f} – {quality['high']:.0f}, basis {quality['basis']})"
            if quality
            else "audience quality: [bold]unknown[/] (no evidence; see the notes)"
        ),
        f"fake share: {_share_line(report['fake_share']) if report['fake_share'] else 'unknown'}",
        f"flags: {', '.join(report['flags']) or 'none'}",
    ]
    console.print(Panel("\n".join(head), title="Authenticity"))
    if quality:
        console.print(_quality_table(quality))
    if report["follower_audit"]:
        _render_follower_audit(report["follower_audit"])
    if report["growth_anomalies"]:
        table = Table(title="Growth anomalies", header_style="bold")
        for name in ("from", "to", "kind", "followers", "z", "explanation"):
            table.add_column(name, overflow="fold")
        for event in report["growth_anomalies"]:
            table.add_row(
                str(event["start_at"])[:10],
                str(event["observed_at"])[:10],
                event["label"],
                f"{event['magnitude']:+,.0f}",
                f"{event['z']:.1f}",
                event["explanation"],
            )
        console.print(table)
    if report["engagement_anomalies"]:
        table = Table(title="Engagement anomalies", header_style="bold")
        table.add_column("kind")
        table.add_column("explanation", overflow="fold")
        for item in report["engagement_anomalies"]:
            table.add_row(item["kind"], item["explanation"])
        console.print(table)
    for note in report["notes"]:
        console.print(f"[dim]note:[/] {note}")


@app.command()
def audit(
    handle: Annotated[str | None, typer.Argument(help="Creator handle.")] = None,
    db: DbOption = DEFAULT_DB,
    platform: Annotated[str | None, typer.Option(help="Platform, if ambiguous.")] = None,
    followers: Annotated[
        Path | None,
        typer.Option(help="CSV/JSON file of follower profiles to score (a follower sample)."),
    ] = None,
    disclosure: Annotated[
        bool, typer.Option("--disclosure", help="Also audit sponsorship disclosure.")
    ] = False,
    jurisdictions: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction",
            "--jurisdictions",
            help="Comma-separated jurisdictions for --disclosure: us, kr, uk (default all).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Authenticity report: audience quality with its range, fake share, growth/engagement flags."""
    with user_errors():
        if handle is None and followers is None and not disclosure:
            fail("give a creator HANDLE, --followers FILE, --disclosure, or a combination")
        if handle is None and disclosure and followers is None:
            # The whole workspace's disclosure audit: every creator's sponsored posts.
            from creatorlens.cli._audit_disclosure import render_disclosure_audit

            ws = open_workspace(db, must_exist=True)
            try:
                render_disclosure_audit(ws, None, split_csv(jurisdictions) or ["us", "kr", "uk"])
            finally:
                ws.close()
            return
        if handle is None:
            from creatorlens.authenticity import audit_follower_sample, read_follower_sample

            sample = read_follower_sample(followers)  # type: ignore[arg-type]
            result = audit_follower_sample(sample).as_dict()
            if as_json:
                console.print_json(json.dumps(result, default=str))
            else:
                _render_follower_audit(result)
            return
        ws = open_workspace(db, must_exist=True)
        try:
            report = ws.audit(handle, platform, followers=followers).as_dict()
            if as_json:
                console.print_json(json.dumps(report, default=str))
            else:
                _render_report(report)
            if disclosure:
                # Owned by the disclosure module; imported lazily so audits work without it.
                from creatorlens.cli._audit_disclosure import render_disclosure_audit

                render_disclosure_audit(
                    ws, handle, split_csv(jurisdictions) or ["us", "kr", "uk"]
                )
        finally:
            ws.close()
