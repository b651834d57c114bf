"""Terminal summaries a person reads: the session's reps and cues, and evaluation scores."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pushup_coach.types import SessionReport


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def print_summary(report: SessionReport, written: list[str]) -> None:
    """Verdict, per-rep table, cues (most important first), warnings and files written."""
    console = Console()
    src = report.source
    unchecked = report.not_checked_rep_count
    not_checked = f"{unchecked} form not checked, " if unchecked else ""
    console.print(
        f"[bold]{_count(report.rep_count, 'rep')}[/bold] ({report.clean_rep_count} clean, "
        f"{not_checked}{len(report.partial_reps)} partial) in {src.duration_s:.1f} s - "
        f"{report.view.value} view, {report.variation.value} push-ups, "
        f"{_count(len(report.sets), 'set')}"
    )
    if report.reps:
        console.print(_rep_table(report))
    for cue in report.cues:
        reps = ", ".join(str(r + 1) for r in cue.reps)
        console.print(f"[bold yellow]>[/bold yellow] {escape(cue.text)} [dim](reps {reps})[/dim]")
    not_assessed = report.to_dict()["faults_not_assessed"]
    if not_assessed:
        console.print(f"[dim]Not assessed from this view: {escape(', '.join(not_assessed))}[/dim]")
    for warning in report.warnings:
        console.print(f"[red]![/red] {escape(warning)}")
    for path in written:
        console.print(f"[green]wrote[/green] {escape(str(path))}")
    console.print("[dim]Coaching feedback, not medical advice. Stop if anything hurts.[/dim]")


def _rep_table(report: SessionReport) -> Table:
    table = Table(show_edge=False)
    for col in ("rep", "set", "time s", "depth % top", "hips", "lower s", "faults", "score"):
        table.add_column(col, justify="right" if col not in ("faults",) else "left")
    for a in report.reps:
        m = a.metrics
        faults = [f.value + ("!" if a.severity.get(f) == "marked" else "") for f in a.faults]
        faults += [f"{f.value}?" for f in a.uncertain]
        table.add_row(
            str(a.rep.index + 1),
            str(a.rep.set_index + 1),
            f"{a.rep.start_s:.1f}-{a.rep.end_s:.1f}",
            _fmt(m.bottom_shoulder_height_norm, ".0%"),  # what the shallow rule judges
            _fmt(m.hip_sag_norm, "+.2f"),
            _fmt(m.lowering_s, ".2f"),
            " ".join(faults) or ("clean" if a.clean else "not checked"),
            "-" if a.score is None else str(a.score),
        )
    return table


def print_eval(data: dict[str, Any]) -> None:
    """The evaluation scores as two tables: overall, and per fault."""
    console = Console()
    overall = Table(title="Evaluation", show_edge=False)
    overall.add_column("measure")
    overall.add_column("value", justify="right")
    for key in (
        "clips",
        "clips_failed",
        "reps_exact",
        "reps_within_one",
        "reps_mae",
        "verdict_accuracy",
        "view_accuracy",
        "variation_accuracy",
    ):
        overall.add_row(key, str(data.get(key)))
    console.print(overall)
    faults = Table(title="Faults (clip level)", show_edge=False)
    for col in ("fault", "tp", "fp", "fn", "tn", "precision", "recall", "f1"):
        faults.add_column(col, justify="left" if col == "fault" else "right")
    for code, s in data["faults"].items():
        faults.add_row(
            code,
            *(str(s[k]) for k in ("tp", "fp", "fn", "tn")),
            *(_fmt(s[k], ".2f") for k in ("precision", "recall", "f1")),
        )
    console.print(faults)
