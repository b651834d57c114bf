"""SessionReport -> one self-contained HTML page (inline CSS and SVG plots; opens offline).

The page puts the verdict and the cues first, then sets, reps, plots, what was and was not
assessed, a legend of fault codes, warnings, advice and the not-medical-advice note. All text is
escaped with :func:`html.escape`; nothing is loaded from the network.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from html import escape
from importlib import resources
from pathlib import Path

from pushup_coach import __version__
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.errors import OutputError
from pushup_coach.feedback import not_checked_text
from pushup_coach.report import plots
from pushup_coach.report.glossary import fault_info, not_assessed_reason, view_phrase
from pushup_coach.report.tables import (
    format_span_s,
    format_time_s,
    rep_number,
    reps_table,
    sets_table,
)
from pushup_coach.types import Fault, FeatureSeries, SessionReport, Variation

DISCLAIMER = (
    "Not medical advice. This report describes how the movement looked on video; it does not "
    "diagnose anything. If you have a back condition, pain, or any doubt, consult a healthcare "
    "professional."
)
PRIVACY_NOTE = "Made locally on this computer; nothing was uploaded."


def render_html(
    report: SessionReport,
    features: FeatureSeries | None = None,
    *,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> str:
    """The whole report page as an HTML string.

    ``features`` (per-frame series) enables the two curves over time; without it (a report read
    back from JSON) the page says so and shows the per-rep bars only.
    """
    sections = [
        _verdict(report, config),
        _cues(report),
        _warnings(report),
        _reps_section(report, config),
        _plots(report, features, config),
        _assessed(report, config),
        _legend(config),
        _advice(report),
    ]
    body = "\n".join(s for s in sections if s)
    title = f"Push-up report: {_clip_name(report)}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_css()}</style></head>"
        f"<body><main>\n{body}\n{_footer()}\n</main></body></html>\n"
    )


def write_html(
    report: SessionReport,
    path: str | os.PathLike[str],
    features: FeatureSeries | None = None,
    *,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> None:
    """Write :func:`render_html` to ``path`` (UTF-8); raise OutputError if it cannot be written."""
    page = render_html(report, features, config=config)
    target = Path(path)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"could not write the report to {target}: {exc.strerror or exc}; "
            "check that the folder exists and is writable"
        ) from exc


def _css() -> str:
    return resources.files("pushup_coach.report").joinpath("templates/report.css").read_text()


def _clip_name(report: SessionReport) -> str:
    return Path(report.source.path).name or "video"


def _section(title: str, inner: str, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f"<section{cls}><h2>{escape(title)}</h2>\n{inner}\n</section>"


def _reps_phrase(numbers: Sequence[int]) -> str:
    """``rep 3`` / ``reps 1, 2 and 5`` with links to the rep rows."""
    links = [f'<a href="#rep-{n}">{n}</a>' for n in numbers]
    if len(links) == 1:
        return f"rep {links[0]}"
    return f"reps {', '.join(links[:-1])} and {links[-1]}"


def _summary_sentence(report: SessionReport, config: AnalysisConfig) -> str:
    if report.rep_count == 0:
        why = (
            "See the warnings below for why."
            if report.warnings
            else "Film the whole body from the side, in good light, and do full reps."
        )
        return f"No complete push-up was found in this video. {why}"
    if report.clean_rep_count == report.rep_count:
        return "Every rep was clean: no fault found among those this camera view can judge."
    if not report.faults_found:
        return not_checked_text(report.view, report.not_checked_rep_count, report.rep_count)
    worst, count = max(report.faults_summary.items(), key=lambda item: item[1])
    title = fault_info(worst, config).title.lower()
    reps = "rep" if report.rep_count == 1 else "reps"
    return f"Most frequent issue: {title}, on {count} of {report.rep_count} {reps}."


def _verdict(report: SessionReport, config: AnalysisConfig) -> str:
    n, clean = report.rep_count, report.clean_rep_count
    big = (
        "No reps counted"
        if n == 0
        else f'{n} rep{"s" if n != 1 else ""} · <span class="clean">{clean} clean</span>'
    )
    if report.not_checked_rep_count:
        big += f' · <span class="unchecked">{report.not_checked_rep_count} form not checked</span>'

    chips = [
        ("Camera", view_phrase(report.view, report.side.value)),
        ("Push-up", _variation_phrase(report.variation)),
        ("Length", format_time_s(report.source.duration_s)),
        ("Sets", str(len(report.sets))),
    ]
    if not math.isnan(report.pose_coverage):
        chips.append(("Body tracked", f"{report.pose_coverage:.0%} of frames"))
    if report.partial_reps:
        chips.append(("Incomplete attempts", str(len(report.partial_reps))))
    items = "".join(f"<li>{escape(k)}: <b>{escape(v)}</b></li>" for k, v in chips)
    return (
        f'<header class="verdict"><h1>Push-up report · {escape(_clip_name(report))}</h1>'
        f'<p class="big">{big}</p>'
        f'<p class="summary">{escape(_summary_sentence(report, config))}</p>'
        f'<ul class="chips">{items}</ul></header>'
    )


def _variation_phrase(variation: Variation) -> str:
    if variation is Variation.UNKNOWN:
        return "not recognised"
    return f"{variation.value} push-up"


def _cues(report: SessionReport) -> str:
    if not report.cues:
        return ""
    fault_codes = {f.value for f in Fault}
    items = []
    for cue in sorted(report.cues, key=lambda c: c.priority):
        numbers = [rep_number(i) for i in cue.reps]
        praise = cue.code == "good_form"
        source = ""
        if numbers and cue.code in fault_codes:
            source = f'<span class="from">Seen on {_reps_phrase(numbers)}</span>'
        css = (
            ' class="praise"' if praise else ' class="note"' if cue.code not in fault_codes else ""
        )
        items.append(f'<li{css}><span class="cue-text">{escape(cue.text)}</span>{source}</li>')
    any_fault = any(c.code in fault_codes for c in report.cues)
    title = "What to work on first" if any_fault else "Coach's note"
    return _section(title, f'<ol class="cues">{"".join(items)}</ol>')


def _reps_section(report: SessionReport, config: AnalysisConfig) -> str:
    parts = []
    if len(report.sets) > 1:
        parts.append(_section("Sets", sets_table(report)))
    if report.reps:
        parts.append(_section("Every rep", reps_table(report, config)))
    if report.partial_reps:
        items = "".join(
            f"<li>{escape(format_span_s(p.start_s, p.end_s))}: {escape(p.reason)}</li>"
            for p in report.partial_reps
        )
        parts.append(
            _section(
                "Attempts not counted",
                f'<p class="note">Movements that did not complete a full rep (top, bottom, '
                f'top):</p><ul class="plain">{items}</ul>',
            )
        )
    return "\n".join(parts)


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


ELBOW_CAPTION = (
    "Elbow angle over time. Each shaded band is a rep (red: it had a fault), numbered at the "
    "top; triangles mark the bottom of each rep."
)
ELBOW_LIMITS_CAPTION = (
    " A good rep goes from above the green line at the top to below the amber line at the bottom."
)
BODY_CAPTION = (
    "Where the hips were compared with a straight line from head to heels. Up means hips raised "
    "(pike), down means hips sagging. Red zones are faults; amber is close to one."
)
BARS_CAPTION = (
    "One bar per rep for each measurement this view allows. Red bars had that fault, amber ones "
    "were too close to call."
)


def _time_curves(report: SessionReport, features: FeatureSeries, config: AnalysisConfig) -> str:
    limits = Fault.SHALLOW in report.faults_assessed or Fault.NO_LOCKOUT in report.faults_assessed
    caption = ELBOW_CAPTION + (ELBOW_LIMITS_CAPTION if limits else "")
    parts = [_figure(plots.elbow_plot_svg(report, features, config), caption)]
    if any(f in report.faults_assessed for f in plots.HIP_FAULTS):
        parts.append(_figure(plots.body_line_plot_svg(report, features, config), BODY_CAPTION))
    return "\n".join(parts)


def _plots(report: SessionReport, features: FeatureSeries | None, config: AnalysisConfig) -> str:
    figures = []
    if features is not None and len(features) > 1:
        figures.append(_time_curves(report, features, config))
    elif report.reps:
        figures.append(
            '<p class="note">Curves over time are not available for this report '
            "(it was made without the per-frame measurements).</p>"
        )
    bars = plots.rep_bars_svg(report, config) if report.reps else ""
    if bars:
        figures.append(_figure(bars, BARS_CAPTION))
    return _section("Charts", "\n".join(figures)) if figures else ""


def _assessed(report: SessionReport, config: AnalysisConfig) -> str:
    summary = report.faults_summary
    checked = "".join(
        f"<li><b>{escape(fault_info(f, config).title)}</b>: "
        f"{escape(_found_phrase(summary.get(f, 0), report.rep_count))}</li>"
        for f in report.faults_assessed
    )
    missing = [f for f in Fault if f not in report.faults_assessed]
    skipped = "".join(
        f"<li><b>{escape(fault_info(f, config).title)}</b>: "
        f"not assessed, {escape(not_assessed_reason(f, report.view, config))}</li>"
        for f in missing
    )
    checked = checked or "<li>nothing</li>"
    skipped = skipped or "<li>nothing: every fault was checked</li>"
    left = f'<div><h3>Checked</h3><ul class="plain">{checked}</ul></div>'
    right = f'<div><h3>Not checked in this video</h3><ul class="plain">{skipped}</ul></div>'
    note = (
        '<p class="note">A fault that was not checked is unknown, not absent: film from the view '
        "it needs to have it checked.</p>"
    )
    return _section("What was checked", f'<div class="cols">{left}{right}</div>{note}')


def _found_phrase(count: int, total: int) -> str:
    if total == 0:
        return "no reps to check"
    if count == 0:
        return "not found"
    return f"found on {count} of {total} rep{'s' if total != 1 else ''}"


def _legend(config: AnalysisConfig) -> str:
    rows = "".join(
        f"<dt>{escape(fault_info(f, config).title)}<code>{escape(f.value)}</code></dt>"
        f"<dd>{escape(fault_info(f, config).meaning)}</dd>"
        for f in Fault
    )
    return _section("Fault codes explained", f'<dl class="legend">{rows}</dl>')


def _warnings(report: SessionReport) -> str:
    if not report.warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
    return _section("Warnings", f'<ul class="plain">{items}</ul>', "warnings")


def _advice(report: SessionReport) -> str:
    if not report.advice:
        return ""
    items = "".join(f"<li>{escape(a)}</li>" for a in report.advice)
    return _section("Advice", f'<ul class="plain">{items}</ul>')


def _footer() -> str:
    return (
        f'<footer><p class="disclaimer">{escape(DISCLAIMER)}</p>'
        f"<p>{escape(PRIVACY_NOTE)} pushup-coach {escape(__version__)}.</p></footer>"
    )
