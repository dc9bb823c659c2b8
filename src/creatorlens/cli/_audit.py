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
    emit,
    fail,
    open_workspace,
    split_csv,
    user_errors,
)
from creatorlens.errors import LabelError, MissingFileError
from creatorlens.presentation._i18n import catalog

#: Output formats of `audit` (the CLI's one convention: table, csv, json, parquet).
FORMATS = ("table", "csv", "json", "parquet")


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
    fake_line = (
        f"[bold]withheld[/]: {audit['withheld']}"
        if audit.get("withheld")
        else _share_line(audit["fake_share"])
    )
    lines = [
        f"followers scored: {audit['n']:,}",
        f"fake share (corrected): {fake_line}",
        f"apparent fake share: {_pct(audit['apparent_fake_share'])} "
        f"(classifier {classifier['name']}, threshold {classifier['threshold']:.2f}, "
        f"sensitivity {_pct(classifier['sensitivity'])}, "
        f"specificity {_pct(classifier['specificity'])})",
        f"mass followers (following > 1,500): {_share_line(audit['mass_follower_share'])}",
        f"inactive: {_share_line(audit['inactive_share'])}",
    ]
    parts = audit.get("interval_parts")
    if parts:
        lines.append(
            f"interval width {100 * parts['total']:.1f} points: sampling alone "
            f"{100 * parts['sampling']:.1f}, classifier transfer (Se/Sp across populations) alone "
            f"{100 * parts['classifier']:.1f}"
        )
    two_phase = audit.get("two_phase")
    if two_phase:
        lines.append(
            f"[bold]fake share (two-phase, {two_phase['labelled']} labelled)[/]: "
            f"{_pct(two_phase['value'])}  ({_pct(two_phase['low'])} – {_pct(two_phase['high'])}; "
            f"Se {_pct(two_phase['sensitivity'])}, Sp {_pct(two_phase['specificity'])} "
            "on this population)"
        )
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
        f"flags: {', '.join(catalog('en').value('flag', f) for f in report['flags']) or 'none'}",
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


def _audit_follower_file(
    followers: Path,
    platform: str | None,
    sample_to_label: int | None,
    out: Path | None,
    labels: Path | None,
    seed: int,
) -> dict[str, Any] | None:
    """Score a follower file; or write a subsample to label; or correct with hand labels."""
    import pandas as pd

    from creatorlens.authenticity import audit_follower_sample, read_follower_sample
    from creatorlens.authenticity._features import canonical_profiles
    from creatorlens.authenticity._two_phase import (
        draw_label_sample,
        match_labels,
        two_phase_share,
    )

    sample = canonical_profiles(read_follower_sample(followers))
    if (sample_to_label is not None or labels is not None) and "handle" not in sample.columns:
        fail(f"{followers}: no handle/username column, so hand labels cannot be matched to rows")
    if sample_to_label is not None:
        if out is None:
            fail("--sample-to-label needs --out FILE (the CSV to fill in)")
        assert out is not None
        rows = draw_label_sample(len(sample), sample_to_label, seed=seed)
        shown = [c for c in ("handle", "display_name", "followers", "following", "posts_count",
                             "bio") if c in sample.columns]
        table = sample.iloc[rows][shown].assign(is_fake="")
        table.to_csv(out, index=False)
        console.print(
            f"wrote {len(table)} followers drawn at random (seed {seed}) to {out}: open each "
            "profile, fill is_fake with 1 (fake) or 0 (real), then run\n  creatorlens audit "
            f"--followers {followers} --labels {out}"
        )
        return None
    result = audit_follower_sample(sample, platform=platform, source=str(followers))
    payload = result.as_dict()
    if labels is not None:
        if not labels.is_file():
            raise MissingFileError(f"{labels}: label file not found")
        try:
            table = pd.read_csv(labels, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise LabelError(f"{labels}: not a readable CSV ({exc})") from exc
        positions, values = match_labels(sample["handle"], table, str(labels))
        estimate = two_phase_share(
            result.followers["predicted_fake"].to_numpy(), positions, values, seed=seed
        )
        payload["two_phase"] = estimate.as_dict()
    return payload


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
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="table, csv, json or parquet. With --disclosure, csv/parquet hold every verdict "
            "of every post (one row per post x jurisdiction); json is one document.",
        ),
    ] = "table",
    as_json: Annotated[
        bool, typer.Option("--json", help="Alias of --format json (kept for old scripts).")
    ] = False,
    sample_to_label: Annotated[
        int | None,
        typer.Option(
            "--sample-to-label",
            help="With --followers: draw this many followers at random to check by hand "
            "(written to --out with an empty is_fake column).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="File to write --format csv/json/parquet to (stdout when omitted); with "
            "--sample-to-label, the CSV of the subsample to label."
        ),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="With --followers: CSV of hand labels (handle, is_fake 1/0) of a random "
            "subsample; corrects the fake share on this population (two-phase)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the subsample to label.")] = 0,
) -> None:
    """Authenticity report: audience quality with its range, fake share, growth/engagement flags."""
    with user_errors():
        fmt = "json" if as_json else fmt.lower()
        if fmt not in FORMATS:
            fail(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
        if handle is None and followers is None and not disclosure:
            fail("give a creator HANDLE, --followers FILE, --disclosure, or a combination")
        if fmt in ("csv", "parquet") and not disclosure:
            fail(f"--format {fmt}: the authenticity report is not one table; use --format json "
                 "(or --disclosure for the verdict rows)")  # fmt: skip
        codes = split_csv(jurisdictions) or ["us", "kr", "uk"]
        if handle is None and disclosure and followers is None:
            # The whole workspace's disclosure audit: every creator's sponsored posts.
            from creatorlens.cli._audit_disclosure import export_disclosure_audit, render_disclosure_audit

            ws = open_workspace(db, must_exist=True)
            try:
                if fmt == "table":
                    render_disclosure_audit(ws, None, codes)
                else:
                    export_disclosure_audit(ws, None, codes, fmt, out)
            finally:
                ws.close()
            return
        if (sample_to_label is not None or labels is not None) and followers is None:
            fail("--sample-to-label and --labels need --followers FILE")
        if handle is None:
            assert followers is not None
            result = _audit_follower_file(followers, platform, sample_to_label, out, labels, seed)
            if result is None:
                return
            if fmt == "json":
                emit(json.dumps(result, default=str, ensure_ascii=False).encode("utf-8"), out)
            else:
                _render_follower_audit(result)
            return
        ws = open_workspace(db, must_exist=True)
        try:
            from creatorlens.presentation._context import jsonable  # NaN -> null: valid JSON

            report = ws.audit(handle, platform, followers=followers).as_dict()
            if disclosure and fmt != "table":
                # One output: the verdict rows (csv/parquet) or one JSON document with both.
                from creatorlens.cli._audit_disclosure import export_disclosure_audit

                export_disclosure_audit(ws, handle, codes, fmt, out, report=jsonable(report))
            elif fmt == "json":
                emit(json.dumps(jsonable(report), default=str, ensure_ascii=False).encode("utf-8"), out)
            else:
                _render_report(report)
            if disclosure and fmt == "table":
                # Owned by the disclosure module; imported lazily so audits work without it.
                from creatorlens.cli._audit_disclosure import render_disclosure_audit

                render_disclosure_audit(ws, handle, codes)
        finally:
            ws.close()
