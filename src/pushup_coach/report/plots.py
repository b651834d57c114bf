"""The report's plots as inline SVG strings, drawn with matplotlib's object API (no pyplot state).

Conventions: time in seconds on x; angles in degrees (180 = straight arm); the body line is drawn
as hip height relative to the head-to-heel line in percent of body length, **up = hips piked, down
= hips sagging** (the sign is flipped from ``hip_dev_norm``, where + is toward the floor), so the
curve moves the way the hips did. Each SVG carries an ``aria-label`` describing it in words.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pushup_coach.config import AnalysisConfig
from pushup_coach.measurements import Measure, RepMetrics
from pushup_coach.types import Fault, FeatureSeries, RepAssessment, SessionReport

GOOD = "#16a34a"
WARN = "#d97706"
BAD = "#dc2626"
INK = "#1e293b"
MUTED = "#64748b"
GRID = "#e2e8f0"
HIP_FAULTS = (Fault.HIP_SAG, Fault.HIP_PIKE)


# Reference line on the elbow plot: depth is judged by chest height (see config), but elbows
# at about 90 degrees is what a person aims for.
FULL_DEPTH_ELBOW_DEG = 90.0


def _chest_height_pct(metrics: RepMetrics) -> float | None:
    """Lowest shoulder height above the hands, in % of that height at the rep's top (arms
    straight): the depth the rule judges."""
    value = metrics.bottom_shoulder_height_norm
    return None if value is None else 100.0 * value


def _figure(height_in: float, rows: int = 1) -> tuple[Figure, list[Axes]]:
    fig = Figure(figsize=(10.0, height_in), layout="constrained")
    axes = [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]
    for ax in axes:
        ax.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        ax.spines["left"].set_color(MUTED)
        ax.spines["bottom"].set_color(MUTED)
        ax.tick_params(colors=MUTED, labelsize=9)
    return fig, axes


def to_svg(fig: Figure, label: str) -> str:
    """The figure as an ``<svg>`` element that scales to its container, with an accessible label."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg[^>]*?\s(width="[^"]*"\s+height="[^"]*")', _drop_size, svg, count=1)
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{safe}"', 1)


def _drop_size(match: re.Match[str]) -> str:
    return match.group(0).replace(match.group(1), "")


def _rep_color(rep: RepAssessment, faults: Sequence[Fault] | None = None) -> str:
    relevant = rep.faults if faults is None else [f for f in rep.faults if f in faults]
    return BAD if relevant else GOOD


def _shade_reps(
    ax: Axes, reps: Sequence[RepAssessment], faults: Sequence[Fault] | None, *, ribbon: bool
) -> None:
    """Mark each rep's span, numbered: full-height bands, or a ribbon along the top edge."""
    for rep in reps:
        color = _rep_color(rep, faults)
        start, end = rep.rep.start_s, rep.rep.end_s
        if ribbon:
            ax.axvspan(start, end, ymin=0.92, ymax=1.0, facecolor=color, edgecolor="white")
        else:
            ax.axvspan(start, end, color=color, alpha=0.10, linewidth=0)
        ax.annotate(
            str(rep.rep.index + 1),
            ((start + end) / 2, 0.96 if ribbon else 0.99),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="center" if ribbon else "top",
            fontsize=8,
            color="white" if ribbon else color,
            fontweight="bold",
        )


def _threshold(ax: Axes, y: float, text: str, color: str) -> None:
    ax.axhline(y, color=color, linestyle="--", linewidth=1.0)
    ax.annotate(
        text,
        (1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 3),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        color=color,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.0},
    )


def elbow_plot_svg(report: SessionReport, features: FeatureSeries, config: AnalysisConfig) -> str:
    """Elbow angle over time: rep spans shaded (red = faulty rep), bottoms marked, limits dashed."""
    fig, (ax,) = _figure(3.2)
    ax.plot(features.t_s, features.elbow_deg, color=INK, linewidth=1.4)
    ax.set_ylim(30, 195)
    ax.set_xlim(*_time_range(report, features))
    if Fault.NO_LOCKOUT in report.faults_assessed:
        lockout = config.lockout_elbow_deg
        _threshold(ax, lockout, f"lockout: top above {lockout:.0f}°", GOOD)
    if Fault.SHALLOW in report.faults_assessed:
        _threshold(ax, FULL_DEPTH_ELBOW_DEG, "elbows at 90°: full depth", WARN)
    _shade_reps(ax, report.reps, None, ribbon=False)
    for rep in report.reps:
        y = rep.metrics.min_elbow_deg
        if y is None:
            y = float(np.interp(rep.rep.bottom_s, features.t_s, features.elbow_deg))
        color = BAD if Fault.SHALLOW in rep.faults else GOOD
        ax.plot(
            [rep.rep.bottom_s], [y], marker="^", color=color, markersize=8, markeredgecolor="white"
        )
    ax.set_xlabel("time (s)", color=MUTED, fontsize=9)
    ax.set_ylabel("elbow angle (°)", color=MUTED, fontsize=9)
    label = "Elbow angle over time; shaded spans are reps, triangles mark each rep's bottom."
    return to_svg(fig, label)


def body_line_plot_svg(
    report: SessionReport, features: FeatureSeries, config: AnalysisConfig
) -> str:
    """Hip height vs the head-to-heel line (up = pike, down = sag) with the fault zones banded."""
    fig, (ax,) = _figure(3.2)
    height_pct = -100.0 * np.asarray(features.hip_dev_norm, dtype=float)
    sag, pike = 100.0 * config.hip_sag_dev, 100.0 * config.hip_pike_dev
    finite = height_pct[np.isfinite(height_pct)]
    top = max(1.6 * pike, 1.15 * float(finite.max(initial=0.0)))
    bottom = -max(1.6 * sag, -1.15 * float(finite.min(initial=0.0)))
    ax.set_ylim(bottom, top)
    ax.set_xlim(*_time_range(report, features))
    ax.axhspan(pike, top, color=BAD, alpha=0.06, linewidth=0)
    ax.axhspan(bottom, -sag, color=BAD, alpha=0.06, linewidth=0)
    ax.axhspan(0.75 * pike, pike, color=WARN, alpha=0.10, linewidth=0)
    ax.axhspan(-sag, -0.75 * sag, color=WARN, alpha=0.10, linewidth=0)
    ax.axhline(0, color=MUTED, linewidth=0.8)
    _threshold(ax, pike, f"pike zone (hips up > {pike:.0f}%)", BAD)
    _threshold(ax, -sag, f"sag zone (hips down > {sag:.0f}%)", BAD)
    ax.plot(features.t_s, height_pct, color=INK, linewidth=1.4)
    for rep in report.reps:
        if any(f in rep.faults for f in HIP_FAULTS):
            inside = (features.t_s >= rep.rep.start_s) & (features.t_s <= rep.rep.end_s)
            ax.plot(features.t_s[inside], height_pct[inside], color=BAD, linewidth=2.2)
    _shade_reps(ax, report.reps, HIP_FAULTS, ribbon=True)
    ax.set_xlabel("time (s)", color=MUTED, fontsize=9)
    ax.set_ylabel("hips vs body line (%)", color=MUTED, fontsize=9)
    label = "Hip height relative to the straight head-to-heel line over time; red reps broke it."
    return to_svg(fig, label)


def _time_range(report: SessionReport, features: FeatureSeries) -> tuple[float, float]:
    t = np.asarray(features.t_s, dtype=float)
    if t.size:
        return float(t[0]), float(max(t[-1], t[0] + 1e-3))
    return 0.0, max(report.source.duration_s, 1.0)


@dataclass(frozen=True)
class _Panel:
    """One per-rep bar chart: the measurements behind it, which faults colour it, its limit lines,
    and its bar for a rep (default: the one measurement as it is; None where not measured)."""

    title: str
    shows: tuple[Measure, ...]
    faults: tuple[Fault, ...]
    limits: tuple[tuple[float, str, str], ...]  # (y, label, colour)
    value: Measure | None = None

    def bar(self, rep: RepAssessment) -> float | None:
        return (self.value or self.shows[0])(rep.metrics)


def _panels(config: AnalysisConfig) -> tuple[_Panel, ...]:
    c = config
    return (
        _Panel(
            "chest height (% of top)",
            (lambda m: m.bottom_shoulder_height_norm,),
            (Fault.SHALLOW,),
            ((100 * c.shallow_shoulder_height, "shallow above", WARN),),
            _chest_height_pct,
        ),
        _Panel(
            "hips (%)",
            (lambda m: m.hip_sag_norm, lambda m: m.hip_pike_norm),
            HIP_FAULTS,
            ((100 * c.hip_pike_dev, "pike", BAD), (-100 * c.hip_sag_dev, "sag", BAD)),
            _signed_hip_pct,
        ),
        _Panel(
            "lowering (s)",
            (lambda m: m.lowering_s,),
            (Fault.TOO_FAST,),
            ((c.too_fast_lowering_s, "too fast below", BAD),),
        ),
        _Panel(
            "hand width (×)",
            (lambda m: m.hand_width_ratio,),
            (Fault.HANDS_NARROW, Fault.HANDS_WIDE),
            ((c.hands_narrow_ratio, "narrow below", BAD), (c.hands_wide_ratio, "wide above", BAD)),
        ),
    )


def rep_bars_svg(report: SessionReport, config: AnalysisConfig) -> str:
    """Per-rep bars of each measurement this view made (depth, hips, lowering, hands, elbows),
    red where that rep had the fault; "" when no rep has any of them."""
    panels = [
        (p, [p.bar(r) for r in report.reps])
        for p in _panels(config)
        if any(p.bar(r) is not None for r in report.reps)
    ]
    if not panels:
        return ""
    fig, axes = _figure(1.0 + 1.5 * len(panels), rows=len(panels))
    numbers = [r.rep.index + 1 for r in report.reps]
    for ax, (panel, values) in zip(axes, panels, strict=True):
        _bars(ax, numbers, values, _colors(report.reps, panel.faults), panel.title)
        if any(f in report.faults_assessed for f in panel.faults):
            for y, text, color in panel.limits:
                _threshold(ax, y, text, color)
        if min((v for v in values if v is not None), default=0.0) < 0:
            ax.axhline(0, color=MUTED, linewidth=0.8)
    axes[-1].set_xlabel("rep", color=MUTED, fontsize=9)
    titles = ", ".join(p.title.split(" (")[0] for p, _ in panels)
    return to_svg(fig, f"Per-rep bars of {titles}; red bars had that fault.")


def _signed_hip_pct(metrics: RepMetrics) -> float | None:
    """The larger hip excursion in percent, up (pike) positive and down (sag) negative."""
    sag, pike = metrics.hip_sag_norm, metrics.hip_pike_norm
    if sag is None and pike is None:
        return None
    sag_v, pike_v = max(sag or 0.0, 0.0), max(pike or 0.0, 0.0)
    return 100.0 * pike_v if pike_v > sag_v else -100.0 * sag_v


def _colors(reps: Sequence[RepAssessment], faults: Sequence[Fault]) -> list[str]:
    colors = []
    for rep in reps:
        if any(f in rep.faults for f in faults):
            colors.append(BAD)
        elif any(f in rep.uncertain for f in faults):
            colors.append(WARN)
        else:
            colors.append(GOOD)
    return colors


def _bars(
    ax: Axes, numbers: list[int], values: list[float | None], colors: list[str], title: str
) -> None:
    heights = [np.nan if v is None else v for v in values]
    ax.bar(numbers, heights, color=colors, width=0.6)
    for n, v in zip(numbers, values, strict=True):
        if v is None:
            ax.text(n, 0, "n/a", ha="center", va="bottom", fontsize=8, color=MUTED)
    ax.set_ylabel(title, color=MUTED, fontsize=9)
    ax.set_xticks(numbers)
    ax.margins(y=0.15)
    ax.set_xlim(0.4, max(numbers, default=1) + 0.6)
