"""HTML tables of the report: sets, and one row per rep with its measurements and faults.

Every piece of text passes through :func:`html.escape`. Reps and sets are numbered from 1 for
people (``Rep.index`` 0 is "rep 1"); row ids ``rep-N`` let cues link to their reps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from pushup_coach.config import AnalysisConfig
from pushup_coach.report.glossary import METRIC_HELP, fault_info
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
    sag, pike = rep.metrics.get("hip_sag_norm"), rep.metrics.get("hip_pike_norm")
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
    """One rep-table column: header, help key, the metrics it shows and how to draw its cell."""

    name: str
    help_key: str | None
    metrics: tuple[str, ...]  # shown only if some rep has one of these; () = always shown
    cell: Callable[[RepAssessment, AnalysisConfig], str]


def _metric(name: str, fmt: str, fault: Fault | None = None) -> Callable[..., str]:
    def cell(rep: RepAssessment, _config: AnalysisConfig) -> str:
        return _metric_cell(rep.metrics.get(name), fmt, over=fault in rep.faults)

    return cell


_REP_COLUMNS = (
    _Column("#", None, (), lambda r, _: f'<td class="num"><b>{rep_number(r.rep.index)}</b></td>'),
    _Column("Set", None, (), lambda r, _: _cell(str(r.rep.set_index + 1))),
    _Column("Time", "time", (), lambda r, _: _cell(format_span_s(r.rep.start_s, r.rep.end_s))),
    _Column(
        "Depth", "depth", ("min_elbow_deg",), _metric("min_elbow_deg", "{:.0f}°", Fault.SHALLOW)
    ),
    _Column(
        "Lockout",
        "lockout",
        ("top_elbow_deg",),
        _metric("top_elbow_deg", "{:.0f}°", Fault.NO_LOCKOUT),
    ),
    _Column("Hips", "hips", ("hip_sag_norm", "hip_pike_norm"), lambda r, _: _hips_cell(r)),
    _Column(
        "Neck", "neck", ("neck_drop_norm",), _metric("neck_drop_norm", "{:.1%}", Fault.HEAD_DROP)
    ),
    _Column(
        "Lowering", "lowering", ("lowering_s",), _metric("lowering_s", "{:.2f} s", Fault.TOO_FAST)
    ),
    _Column("Pushing", "pushing", ("pushing_s",), _metric("pushing_s", "{:.2f} s")),
    _Column("Hands", "hands", ("hand_width_ratio",), lambda r, _: _hands_cell(r)),
    _Column(
        "Elbows",
        "elbows",
        ("elbow_flare_deg",),
        _metric("elbow_flare_deg", "{:.0f}°", Fault.ELBOW_FLARE),
    ),
    _Column("Faults", "faults", (), lambda r, c: f"<td>{fault_badges(r, c)}</td>"),
    _Column("Score", "score", (), lambda r, _: _score_cell(r.score)),
)


def _hands_cell(rep: RepAssessment) -> str:
    over = Fault.HANDS_NARROW in rep.faults or Fault.HANDS_WIDE in rep.faults
    return _metric_cell(rep.metrics.get("hand_width_ratio"), "{:.2f}×", over=over)


def _shown_columns(report: SessionReport) -> list[_Column]:
    """Columns that are always there, plus those with a value on at least one rep."""
    return [
        col
        for col in _REP_COLUMNS
        if not col.metrics
        or any(r.metrics.get(name) is not None for r in report.reps for name in col.metrics)
    ]


def _header_cell(col: _Column) -> str:
    if col.help_key is None:
        return f'<th scope="col">{escape(col.name)}</th>'
    return f'<th scope="col" title="{escape(METRIC_HELP[col.help_key])}">{escape(col.name)}</th>'


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
        f"<li><b>{escape(col.name)}</b>: {escape(METRIC_HELP[col.help_key])}</li>"
        for col in columns
        if col.help_key
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
