"""Run live coaching over a :class:`LiveSource` and sum it up as a :class:`SessionReport`.

Latency is measured per processed frame from its arrival (``time.perf_counter`` when the frame
became available) to the moment the count and cue are updated, so it includes any wait in the
one-frame slot, the pose model and the coaching stages, but not drawing or printing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.errors import VideoError
from pushup_coach.feedback import ADVICE, build_cues
from pushup_coach.form import faults_assessed_for
from pushup_coach.live.coach import LiveCoach, LiveUpdate
from pushup_coach.live.sources import Arrival, LiveSource
from pushup_coach.pose.base import PoseBackend
from pushup_coach.reps import assign_sets, group_sets
from pushup_coach.types import Frame, SessionReport, Side, Variation, VideoInfo, View

# Called after each frame (and with frame None after the close); returning False stops the session.
OnUpdate = Callable[[Frame | None, LiveUpdate], bool | None]


@dataclass(frozen=True)
class LiveStats:
    """How the live session kept up: frames processed and dropped, latency in milliseconds."""

    processed: int
    dropped: int
    latency_p50_ms: float
    latency_p95_ms: float
    latency_max_ms: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "frames_processed": self.processed,
            "frames_dropped": self.dropped,
            "latency_p50_ms": round(self.latency_p50_ms, 2),
            "latency_p95_ms": round(self.latency_p95_ms, 2),
            "latency_max_ms": round(self.latency_max_ms, 2),
        }


@dataclass(frozen=True)
class LiveResult:
    report: SessionReport
    stats: LiveStats


def run_live(
    source: LiveSource,
    backend: PoseBackend,
    config: AnalysisConfig = DEFAULT_CONFIG,
    on_update: OnUpdate | None = None,
) -> LiveResult:
    """Coach every frame ``source`` hands over; ``on_update(frame, update)`` after each one.

    Ctrl+C (KeyboardInterrupt) ends the session like the end of the source does. After the
    last frame, ``on_update(None, update)`` reports the reps assessed at the close.
    """
    run = _Run()
    try:
        for arrival in source.arrivals():
            update = run.step(arrival, source.fps, backend, config)
            if on_update is not None and on_update(arrival.frame, update) is False:
                break
    except KeyboardInterrupt:
        pass  # the person stopped the session: sum up what was seen
    coach = run.coach
    if coach is None:
        raise VideoError(f"no frames arrived from {source.name}; check the file or the camera")
    closing = coach.finish()
    if on_update is not None:
        on_update(None, LiveUpdate(t_s=run.last_t_s, rep_count=coach.rep_count, assessed=closing))
    stats = _stats(run.latencies_ms, source.dropped)
    coverage = run.present / max(1, len(run.latencies_ms))
    report = session_report(coach, source, backend.name, coverage)
    return LiveResult(replace(report, extra={"live": stats.to_dict()}), stats)


@dataclass
class _Run:
    """The coach (built at the first frame, when the size is known) and per-frame figures."""

    coach: LiveCoach | None = None
    latencies_ms: list[float] = field(default_factory=list)
    present: int = 0
    last_t_s: float = 0.0

    def step(
        self, arrival: Arrival, fps: float, backend: PoseBackend, config: AnalysisConfig
    ) -> LiveUpdate:
        frame = arrival.frame
        if self.coach is None:
            height, width = frame.image.shape[:2]
            self.coach = LiveCoach((width, height), fps, config)
        raw = backend.estimate(frame)
        update = self.coach.update(frame.t_s, raw)
        self.latencies_ms.append((time.perf_counter() - arrival.arrived_s) * 1000.0)
        self.present += raw is not None
        self.last_t_s = frame.t_s
        return update


def _stats(latencies_ms: list[float], dropped: int) -> LiveStats:
    values = np.asarray(latencies_ms, dtype=np.float64)
    return LiveStats(
        processed=len(values),
        dropped=dropped,
        latency_p50_ms=float(np.percentile(values, 50)),
        latency_p95_ms=float(np.percentile(values, 95)),
        latency_max_ms=float(values.max()),
    )


def session_report(
    coach: LiveCoach, source: LiveSource, backend_name: str, coverage: float
) -> SessionReport:
    """The live session as the same :class:`SessionReport` offline analysis writes."""
    setup = coach.setup
    view = setup.view if setup else View.UNKNOWN
    series = coach.series()
    reps = assign_sets(
        [a.rep for a in coach.assessments],
        coach.in_position_mask,
        coach.config,
        coach.counter.top_holds_s,
        series.t_s,
    )
    assessments = tuple(replace(a, rep=r) for a, r in zip(coach.assessments, reps, strict=True))
    width, height = coach.size_wh
    info = VideoInfo(
        path=source.name,
        width=width,
        height=height,
        fps=source.fps,
        duration_s=series.duration_s,
        n_frames=len(series),
    )
    return SessionReport(
        source=info,
        view=view,
        side=setup.side if setup else Side.LEFT,
        variation=setup.variation if setup else Variation.UNKNOWN,
        reps=assessments,
        partial_reps=tuple(coach.counter.partials),
        sets=tuple(group_sets(reps)),
        faults_assessed=faults_assessed_for(view) if setup else (),
        cues=tuple(build_cues(list(assessments), view)),
        warnings=() if setup else ("No person was seen long enough to start coaching.",),
        advice=ADVICE,
        pose_backend=backend_name,
        pose_coverage=coverage,
    )
