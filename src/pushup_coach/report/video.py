"""SessionReport + frames -> an annotated MP4: skeleton, body-line colour, rep count and cues.

Conventions: each frame is drawn with the pose and features at its own time: interpolated between
the two samples around it when they are one sample step apart (the model may have looked at only
every second frame, see ``pose_rate_hz``), else the nearest sample within half a step, so the
overlay never borrows landmarks from another moment. The body line is "bad" past a fault
threshold and "warn" from ``WARN_FRACTION`` of it. A rep counts from its ``end_s`` on; after it,
the overlay shows the short cue for the first report cue that names that rep, or for
``GOOD_REP_SHOW_S`` "Good rep" after a clean one and "Rep counted, form not checked" after one whose
form could not be judged (never praise for what was not seen).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.feedback import GOOD_REP, NOT_CHECKED_REP, SHORT_CUE
from pushup_coach.overlay import LineStatus, draw_overlay
from pushup_coach.types import (
    Fault,
    FeatureSeries,
    FloatArray,
    Frame,
    ImageRGB,
    PoseSeries,
    RepAssessment,
    SessionReport,
)
from pushup_coach.video.writer import VideoWriter

WARN_FRACTION = 0.75
GOOD_REP_SHOW_S = 1.5
# Put the cue at the top when the body's lowest point usually sits below this fraction of height.
LOW_BODY_Y = 0.7

_FAULT_CODES = {fault.value: fault for fault in SHORT_CUE}


def write_overlay_video(
    frames: Iterable[Frame],
    series: PoseSeries,
    features: FeatureSeries,
    report: SessionReport,
    path: str | os.PathLike[str],
    *,
    config: AnalysisConfig = DEFAULT_CONFIG,
    on_frame: Callable[[int], None] | None = None,
) -> None:
    """Draw the coaching overlay on every frame and write an H.264 MP4 with the frames' timing.

    ``series`` and ``features`` are the pose and measurements of the same video (matched to frames
    by time); ``on_frame`` is called with the number of frames written so far. Raises VideoError
    if the video cannot be written or ``frames`` is empty.
    """
    overlay = _Overlay(series, features, report, config, choose_cue_position(series, config))
    with VideoWriter(path, fps_hint=report.source.fps or series.fps or 30.0) as writer:
        for count, frame in enumerate(frames, start=1):
            writer.write(overlay.draw(frame), frame.t_s)
            if on_frame is not None:
                on_frame(count)


@dataclass(frozen=True)
class _Overlay:
    """Everything needed to annotate any frame of one analysed video."""

    series: PoseSeries
    features: FeatureSeries
    report: SessionReport
    config: AnalysisConfig
    cue_position: Literal["top", "bottom"]

    @cached_property
    def _steps_s(self) -> tuple[float, float]:
        return sample_step_s(self.series.t_s), sample_step_s(self.features.t_s)

    def draw(self, frame: Frame) -> ImageRGB:
        t, report = frame.t_s, self.report
        height, width = frame.image.shape[:2]
        last = last_completed_rep(report, t)
        return draw_overlay(
            frame.image,
            landmarks_at(self.series, t, width, height, self.config, self._steps_s[0]),
            line_status=line_status(self._hip_dev_norm(t), self.config),
            rep_count=sum(1 for r in report.reps if r.rep.end_s <= t),
            cue=cue_at(report, t),
            side=report.side.value,
            extra_text=None if last is None else rep_caption(last),
            cue_position=self.cue_position,
        )

    def _hip_dev_norm(self, t: float) -> float:
        """Hip deviation at ``t``; NaN where unknown or where this view does not judge it (from
        the front or at an angle a body-line colour would mislead)."""
        if not any(f in self.report.faults_assessed for f in (Fault.HIP_SAG, Fault.HIP_PIKE)):
            return math.nan
        at = interpolation(self.features.t_s, t, self._steps_s[1])
        return math.nan if at is None else float(at.of(self.features.hip_dev_norm))


def nearest_index(t_s: FloatArray, t: float, step_s: float | None = None) -> int | None:
    """Index of the sample of ``t_s`` (increasing, seconds) nearest ``t``, if within half a step.

    ``step_s`` is the series' typical step (:func:`sample_step_s`); pass it when calling once per
    frame, as working it out costs a pass over the whole series.
    """
    n = int(np.asarray(t_s).shape[0])
    if n == 0:
        return None
    i = int(np.searchsorted(t_s, t))
    candidates = [j for j in (i - 1, i) if 0 <= j < n]
    best = min(candidates, key=lambda j: abs(float(t_s[j]) - t))
    step = sample_step_s(t_s) if step_s is None else step_s
    return best if abs(float(t_s[best]) - t) <= 0.5 * step + 1e-6 else None


@dataclass(frozen=True)
class _Between:
    """A time as a weighted pair of samples: ``(1 - w) * x[i] + w * x[j]``."""

    i: int
    j: int
    w: float

    def of(self, values: FloatArray) -> FloatArray:
        if self.w == 0.0:
            return np.asarray(values[self.i])
        if self.w == 1.0:
            return np.asarray(values[self.j])
        return np.asarray((1.0 - self.w) * values[self.i] + self.w * values[self.j])


def interpolation(t_s: FloatArray, t: float, step_s: float | None = None) -> _Between | None:
    """``t`` between the samples of ``t_s`` around it, when they are at most 1.5 steps apart;
    else the nearest sample within half a step (:func:`nearest_index`); else None."""
    step = sample_step_s(t_s) if step_s is None else step_s
    n = int(np.asarray(t_s).shape[0])
    j = int(np.searchsorted(t_s, t))
    if 0 < j < n and float(t_s[j] - t_s[j - 1]) <= 1.5 * step:
        return _Between(j - 1, j, (t - float(t_s[j - 1])) / float(t_s[j] - t_s[j - 1]))
    i = nearest_index(t_s, t, step)
    return None if i is None else _Between(i, i, 0.0)


def sample_step_s(t_s: FloatArray) -> float:
    """The median interval of ``t_s`` (0.1 s for fewer than two samples)."""
    return float(np.median(np.diff(t_s))) if len(t_s) > 1 else 0.1


def landmarks_at(
    series: PoseSeries,
    t: float,
    width: int,
    height: int,
    config: AnalysisConfig,
    step_s: float | None = None,
) -> FloatArray | None:
    """(33, 2) pixels in a ``width`` x ``height`` frame at time ``t``; NaN where not seen."""
    at = interpolation(series.t_s, t, step_s)
    if at is None:
        return None
    row = at.of(series.landmarks)
    points = row[:, :2] * np.array([width, height], dtype=np.float64)
    unseen = row[:, 3] < config.min_visibility  # NaN visibility compares False: kept
    points[unseen] = np.nan
    if not np.isfinite(points).any():
        return None
    return np.asarray(points, dtype=np.float64)


def line_status(hip_dev_norm: float, config: AnalysisConfig) -> LineStatus:
    """Body-line colour for one frame's hip deviation (+ toward the floor = sag)."""
    if not math.isfinite(hip_dev_norm):
        return "unknown"
    sag, pike = hip_dev_norm / config.hip_sag_dev, -hip_dev_norm / config.hip_pike_dev
    worst = max(sag, pike)
    if worst >= 1.0:
        return "bad"
    if worst >= WARN_FRACTION:
        return "warn"
    return "good"


def last_completed_rep(report: SessionReport, t: float) -> RepAssessment | None:
    """The rep that ended most recently at or before ``t`` seconds."""
    done = [r for r in report.reps if r.rep.end_s <= t]
    return max(done, key=lambda r: r.rep.end_s) if done else None


def cue_at(report: SessionReport, t: float) -> str | None:
    """Short cue to show at ``t``: for the last completed rep's first cue, or brief praise."""
    last = last_completed_rep(report, t)
    if last is None:
        return None
    for cue in sorted(report.cues, key=lambda c: c.priority):
        if last.rep.index in cue.reps and cue.code in _FAULT_CODES:
            return SHORT_CUE[_FAULT_CODES[cue.code]]
    if t - last.rep.end_s <= GOOD_REP_SHOW_S:
        if last.clean:
            return GOOD_REP
        if not last.form_checked:
            return NOT_CHECKED_REP
    return None


def rep_caption(rep: RepAssessment) -> str:
    """``Rep 3 · score 85``, or ``Rep 3 · form not checked`` when no judgement was made."""
    if rep.score is None:
        return f"Rep {rep.rep.index + 1} · form not checked"
    return f"Rep {rep.rep.index + 1} · score {rep.score}"


def choose_cue_position(series: PoseSeries, config: AnalysisConfig) -> Literal["top", "bottom"]:
    """``top`` when the body usually sits in the lower part of the frame, as in most push-up
    videos filmed from the floor, so the cue does not hide it; ``bottom`` otherwise."""
    y = np.where(series.visibility >= config.min_visibility, series.landmarks[:, :, 1], np.nan)
    present = np.isfinite(y).any(axis=1)
    if not present.any():
        return "bottom"
    lowest = np.nanmax(y[present], axis=1)
    return "top" if float(np.median(lowest)) > LOW_BODY_Y else "bottom"
