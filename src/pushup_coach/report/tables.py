"""HTML tables of the report: sets, and one row per rep with its measurements and faults.

Every piece of text passes through :func:`html.escape`. Reps and sets are numbered from 1 for
people (``Rep.index`` 0 is "rep 1"); row ids ``rep-N`` let cues link to their reps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from pushup_coach.config import AnalysisConfig
from pushup_coach.measurements import Measure
from pushup_coach.report.glossary import column_help, fault_info
from pushup_coach.types import Fault, RepAssessment, RepSet, SessionReport

NOT_MEASURED = "not measurable in this view"


def format_time_s(t_s: float) -> str:
    """``12.3 s`` below a minute, ``1:05.2`` from a minute on."""
    if t_s < 60:
        return f"{t_s:.1f} s"
    minutes, seconds = divmod(t_s, 60)
    return f"{int(minutes)}:{seconds:04.1f}"


def format_span_s(start_s: float, end_s: float) -> str:
    """``1.5–3.0 s`` (one unit for both ends), or ``0:58.0–1:02.5`` past a minute."""
    if end_s < 60:
        return f"{start_s:.1f}–{end_s:.1f} s"
    return f"{format_time_s(start_s)}–{format_time_s(end_s)}"


def rep_number(index: int) -> int:
    """The number people see for ``Rep.index`` (counted from 1)."""
    return index + 1


def _cell(text: str, *, over: bool = False, missing: bool = False) -> str:
    classes = ["num", *(["over"] if over else []), *(["na"] if missing else [])]
    title = f' title="{NOT_MEASURED}"' if missing else ""
    return f'<td class="{" ".join(classes)}"{title}>{escape(text)}</td>'


def _metric_cell(value: float | None, fmt: str, *, over: bool = False) -> str:
    if value is None:
        return _cell("—", missing=True)
    return _cell(fmt.format(value), over=over)


def _hips_cell(rep: RepAssessment) -> str:
    sag, pike = rep.metrics.hip_sag_norm, rep.metrics.hip_pike_norm
    if sag is None and pike is None:
        return _cell("—", missing=True)
    sag_v, pike_v = max(sag or 0.0, 0.0), max(pike or 0.0, 0.0)
    text = f"pike {pike_v:.1%}" if pike_v > sag_v else f"sag {sag_v:.1%}"
    over = Fault.HIP_SAG in rep.faults or Fault.HIP_PIKE in rep.faults
    return _cell(text, over=over)


def fault_badges(rep: RepAssessment, config: AnalysisConfig) -> str:
    """Badges for a rep's faults (coloured by severity) and its uncertain faults (dashed)."""
    badges = []
    for fault in rep.faults:
        severity = rep.severity.get(fault)
        level = severity.value if severity is not None else "mild"
        title = escape(fault_info(fault, config).title)
        badges.append(f'<span class="badge {level}">{title} · {escape(level)}</span>')
    for fault in rep.uncertain:
        title = escape(fault_info(fault, config).title)
        hint = "too close to the limit to call, or the body was not seen clearly"
        badges.append(f'<span class="badge uncertain" title="{hint}">{title}?</span>')
    if rep.clean:
        badges.insert(0, '<span class="badge ok">clean</span>')
    elif not rep.form_checked:
        missing = ", ".join(fault_info(f, config).title.lower() for f in rep.not_assessed)
        hint = escape(f"Counted, but not judged from this angle or these landmarks: {missing}")
        badges.insert(0, f'<span class="badge unchecked" title="{hint}">form not checked</span>')
    return " ".join(badges)


def _score_cell(score: int | None) -> str:
    if score is None:
        return _cell("—", missing=True)
    level = "hi" if score >= 85 else "mid" if score >= 60 else "lo"
    return f'<td class="num"><span class="score {level}">{score}</span></td>'


@dataclass(frozen=True)
class _Column:
    """One rep-table column: header, the measurements it shows (its explanation is theirs, from
    the glossary; a column without any explains itself if ``explained``) and how to draw a cell."""

    name: str
    measures: tuple[Measure, ...]  # shown only if some rep has one of these; () = always shown
    cell: Callable[[RepAssessment, AnalysisConfig], str]
    explained: bool = True

    @property
    def help(self) -> str | None:
        return column_help(self.name, self.measures) if self.explained else None


def _metric(name: str, measure: Measure, fmt: str, fault: Fault | None = None) -> _Column:
    """A column showing one measurement, red on reps where ``fault`` was found."""

    def cell(rep: RepAssessment, _config: AnalysisConfig) -> str:
        return _metric_cell(measure(rep.metrics), fmt, over=fault in rep.faults)

    return _Column(name, (measure,), cell)


_REP_COLUMNS = (
    _Column(
        "#",
        (),
        lambda r, _: f'<td class="num"><b>{rep_number(r.rep.index)}</b></td>',
        explained=False,
    ),
    _Column("Set", (), lambda r, _: _cell(str(r.rep.set_index + 1)), explained=False),
    _Column("Time", (), lambda r, _: _cell(format_span_s(r.rep.start_s, r.rep.end_s))),
    # Depth shows what the shallow rule judges (shoulder height left at the bottom); the elbow
    # angle beside it is for reference, as the chart draws it.
    _metric("Depth", lambda m: m.bottom_shoulder_height_norm, "{:.0%} of top", Fault.SHALLOW),
    _metric("Elbow", lambda m: m.min_elbow_deg, "{:.0f}°"),
    _metric("Lockout", lambda m: m.top_elbow_deg, "{:.0f}°", Fault.NO_LOCKOUT),
    _Column(
        "Hips", (lambda m: m.hip_sag_norm, lambda m: m.hip_pike_norm), lambda r, _: _hips_cell(r)
    ),
    _metric("Neck", lambda m: m.neck_drop_norm, "{:.1%}", Fault.HEAD_DROP),
    _metric("Lowering", lambda m: m.lowering_s, "{:.2f} s", Fault.TOO_FAST),
    _metric("Pushing", lambda m: m.pushing_s, "{:.2f} s"),
    _Column("Hands", (lambda m: m.hand_width_ratio,), lambda r, _: _hands_cell(r)),
    _Column("Faults", (), lambda r, c: f"<td>{fault_badges(r, c)}</td>"),
    _Column("Score", (), lambda r, _: _score_cell(r.score)),
)


def _hands_cell(rep: RepAssessment) -> str:
    over = Fault.HANDS_NARROW in rep.faults or Fault.HANDS_WIDE in rep.faults
    return _metric_cell(rep.metrics.hand_width_ratio, "{:.2f}×", over=over)


def _shown_columns(report: SessionReport) -> list[_Column]:
    """Columns that are always there, plus those with a value on at least one rep."""
    return [
        col
        for col in _REP_COLUMNS
        if not col.measures
        or any(measure(r.metrics) is not None for r in report.reps for measure in col.measures)
    ]


def _header_cell(col: _Column) -> str:
    if col.help is None:
        return f'<th scope="col">{escape(col.name)}</th>'
    return f'<th scope="col" title="{escape(col.help)}">{escape(col.name)}</th>'


def reps_table(report: SessionReport, config: AnalysisConfig) -> str:
    """The per-rep table with a header whose cells explain themselves on hover.

    Columns for measurements this view cannot make (no value on any rep) are left out.
    """
    columns = _shown_columns(report)
    head = "".join(_header_cell(col) for col in columns)
    rows = []
    for rep in report.reps:
        cells = "".join(col.cell(rep, config) for col in columns)
        row_class = rep.verdict.value
        rows.append(f'<tr id="rep-{rep_number(rep.rep.index)}" class="{row_class}">{cells}</tr>')
    notes = "".join(
        f"<li><b>{escape(col.name)}</b>: {escape(col.help)}</li>"
        for col in columns
        if col.help is not None
    )
    return (
        f'<div class="table-wrap"><table class="reps"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table></div>"
        f'<details><summary>How to read this table</summary><ul class="plain">{notes}</ul>'
        f'<p class="note">A dash (—) means the value could not be measured for that rep. '
        f"Red values crossed the limit for a fault.</p></details>"
    )


def _set_row(rep_set: RepSet, report: SessionReport, previous_end_s: float | None) -> str:
    members = [r for r in report.reps if r.rep.index in rep_set.rep_indices]
    clean = sum(1 for r in members if r.clean)
    rest = "—" if previous_end_s is None else f"{rep_set.start_s - previous_end_s:.0f} s"
    span = format_span_s(rep_set.start_s, rep_set.end_s)
    cells = [str(rep_set.index + 1), str(len(rep_set.rep_indices)), str(clean), span, rest]
    return "<tr>" + "".join(_cell(c) for c in cells) + "</tr>"


def sets_table(report: SessionReport) -> str:
    """One row per set: reps, clean reps, when it ran and the rest before it."""
    rows, previous_end_s = [], None
    for rep_set in report.sets:
        rows.append(_set_row(rep_set, report, previous_end_s))
        previous_end_s = rep_set.end_s
    head = "".join(
        f'<th scope="col">{h}</th>' for h in ("Set", "Reps", "Clean reps", "Time", "Rest before")
    )
    return (
        f'<div class="table-wrap"><table class="sets"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
