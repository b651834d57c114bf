"""The picture of a month of training: reps, form, ladder level and faults by week.

Four stacked panels sharing one date axis (except the weekly fault bars): total clean and all reps
per session, form score (0-100), ladder rung (sessions the pain rule ended marked with a red X), and
faulty reps per ISO week by fault code. Every panel has a title, and a panel with nothing to draw
says what is missing and why (hand-logged sessions have no form score and no fault codes) instead
of staying blank. Drawn with matplotlib's Figure API on the Agg canvas (no display, no global pyplot
state); written as PNG, or as HTML holding the same figure as inline SVG.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import matplotlib.dates as mdates
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from pushup_coach.coach.history import CheckIn
from pushup_coach.coach.ladder import LADDER, Rung
from pushup_coach.coach.progression import pain_stop_reason
from pushup_coach.errors import ConfigError

UNSPECIFIED_FAULT = "unspecified"
HAND_LOGGED_LABEL = {UNSPECIFIED_FAULT: f"{UNSPECIFIED_FAULT} (logged by hand: no fault code)"}


@dataclass(frozen=True)
class HistoryPoint:
    """One session for the plot; ``faults`` maps a fault code to how many reps had it."""

    on: dt.date
    rung: Rung
    clean_reps: int
    all_reps: int
    form_score: float | None = None
    faults: dict[str, int] = field(default_factory=dict)
    pain_stopped: bool = False  # the pain rule fired on this session's check-in


class SessionLike(Protocol):
    """What a stored session offers the plot (``storage.SessionInfo`` fits)."""

    @property
    def performed_on(self) -> dt.date: ...
    @property
    def rung(self) -> Rung: ...
    @property
    def clean_reps(self) -> tuple[int, ...]: ...
    @property
    def all_reps(self) -> tuple[int, ...]: ...
    @property
    def form_score(self) -> float | None: ...
    @property
    def report(self) -> dict[str, Any] | None: ...
    @property
    def checkin(self) -> CheckIn | None: ...


def point_from_session(s: SessionLike) -> HistoryPoint:
    """A plot point; faults come from the analysis report, else all faulty reps are unspecified."""
    faulty = sum(s.all_reps) - sum(s.clean_reps)
    summary = (s.report or {}).get("faults_summary")
    if summary:
        faults = {str(k): int(v) for k, v in summary.items() if v}
    else:
        faults = {UNSPECIFIED_FAULT: faulty} if faulty else {}
    return HistoryPoint(
        on=s.performed_on,
        rung=s.rung,
        clean_reps=sum(s.clean_reps),
        all_reps=sum(s.all_reps),
        form_score=s.form_score,
        faults=faults,
        pain_stopped=pain_stop_reason(s.checkin) is not None,
    )


def _week_start(on: dt.date) -> dt.date:
    return on - dt.timedelta(days=on.weekday())


def faults_by_week(points: Sequence[HistoryPoint]) -> dict[dt.date, dict[str, int]]:
    """Monday of each week -> fault code -> faulty reps that week."""
    weeks: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in points:
        week = weeks[_week_start(p.on)]
        for code, n in p.faults.items():
            week[code] += n
    return {w: dict(f) for w, f in sorted(weeks.items())}


def build_figure(points: Sequence[HistoryPoint]) -> Figure:
    """A 4-panel figure of ``points`` (oldest first)."""
    if not points:
        raise ConfigError("no sessions to plot yet: log one with `pushup-coach log`")
    fig = Figure(figsize=(9, 12), layout="constrained")
    ax_reps, ax_form, ax_rung, ax_faults = fig.subplots(4, 1)
    dates = _days([p.on for p in points])
    ax_reps.plot(dates, [p.all_reps for p in points], "o-", color="0.6", label="all reps")
    ax_reps.plot(dates, [p.clean_reps for p in points], "o-", color="tab:green", label="clean reps")
    ax_reps.set_ylabel("reps per session")
    ax_reps.legend(loc="upper left")
    ax_reps.set_title("Push-up history: clean and all reps per session")
    _draw_form(ax_form, points)
    _draw_rungs(ax_rung, points)
    _draw_faults(ax_faults, points)
    for ax in (ax_reps, ax_form, ax_rung):
        ax.set_xlim(dates[0] - np.timedelta64(1, "D"), dates[-1] + np.timedelta64(1, "D"))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%a %d %b"))
        ax.tick_params(axis="x", labelrotation=30)
        ax.grid(alpha=0.3)
    return fig


def _days(dates: Sequence[dt.date]) -> npt.NDArray[np.datetime64]:
    return np.array(dates, dtype="datetime64[D]")


def _say_missing(ax: Axes, text: str, y: float = 0.5) -> None:
    """Write what a panel lacks across it, so no panel is blank without a reason."""
    ax.text(0.5, y, text, transform=ax.transAxes, ha="center", va="center", color="0.35")


def _draw_form(ax: Axes, points: Sequence[HistoryPoint]) -> None:
    scored = [(p.on, p.form_score) for p in points if p.form_score is not None]
    ax.set_title("Form score of analysed sessions")
    if scored:
        ax.plot(_days([d for d, _ in scored]), [s for _, s in scored], "o-", color="tab:blue")
    unscored = len(points) - len(scored)
    if not scored:
        _say_missing(
            ax,
            "no session here has a form score: only analysed videos get one\n"
            "(`pushup-coach analyze VIDEO --save`); sessions logged by hand have none",
        )
    elif unscored:
        _say_missing(ax, f"{unscored} session(s) without a form score (logged by hand)", y=0.08)
    ax.set_ylim(0, 100)
    ax.set_ylabel("form score (0-100)")


def _draw_rungs(ax: Axes, points: Sequence[HistoryPoint]) -> None:
    levels = [p.rung.level for p in points]
    ax.step(_days([p.on for p in points]), levels, where="post", color="tab:purple", marker="o")
    used = range(min(levels), max(levels) + 1)
    ax.set_yticks(list(used), [LADDER[i].value for i in used])
    ax.set_ylim(min(levels) - 0.5, max(levels) + 0.5)
    ax.set_ylabel("ladder rung")
    ax.set_title("Ladder rung of each session")
    pain = [p for p in points if p.pain_stopped]
    if pain:
        ax.plot(
            _days([p.on for p in pain]),
            [p.rung.level for p in pain],
            "X",
            color="tab:red",
            markersize=12,
            label="pain rule ended the session",
        )
        ax.legend(loc="upper left")


def _draw_faults(ax: Axes, points: Sequence[HistoryPoint]) -> None:
    weeks = faults_by_week(points)
    codes = sorted({c for w in weeks.values() for c in w})
    labels = [f"wk of {w:%d %b}" for w in weeks]
    bottom = [0] * len(weeks)
    for code in codes:
        counts = [weeks[w].get(code, 0) for w in weeks]
        ax.bar(labels, counts, bottom=bottom, label=HAND_LOGGED_LABEL.get(code, code))
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_ylabel("faults per week (by code)")
    ax.set_title("Faulty reps per week, by fault code")
    if codes:
        ax.legend(loc="upper right", fontsize="small")
    else:
        _say_missing(ax, "no faulty reps recorded in these weeks")


def render_history(points: Sequence[HistoryPoint], path: Path) -> Path:
    """Write the history figure to ``path`` (.png, or .html with the figure as inline SVG)."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".html"):
        raise ConfigError(f"plot path must end in .png or .html, got {path.name!r}")
    fig = build_figure(points)
    canvas = FigureCanvasAgg(fig)
    if suffix == ".png":
        canvas.print_png(str(path))
        return path
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    rows = "".join(
        f"<tr><td>{p.on}</td><td>{html.escape(p.rung.label)}</td><td>{p.clean_reps}</td>"
        f"<td>{p.all_reps}</td></tr>"
        for p in points
    )
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Push-up history</title></head>"
        f"<body><h1>Push-up history</h1>{buf.getvalue()}<table><tr><th>date</th><th>variation"
        f"</th><th>clean reps</th><th>all reps</th></tr>{rows}</table></body></html>",
        encoding="utf-8",
    )
    return path
