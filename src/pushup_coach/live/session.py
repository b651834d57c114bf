"""Run live coaching over a :class:`LiveSource` and sum it up as a :class:`SessionReport`.

Latency is measured per processed frame from its arrival (the source's clock when the frame
became available) to the moment the count and cue are updated, so it includes any wait in the
one-frame slot, the pose model and the coaching stages, but not drawing or printing.

When posing takes longer than the camera's frame interval, :class:`~pushup_coach.live.rate.PoseRate`
poses fewer frames on purpose (evenly spaced) and the causal filter is retuned to that rate; the
report says so. Frames are *skipped* (on purpose) or *dropped* (replaced in the one-frame slot
before the coach could take them). ``pose_coverage`` is the share of the frames offline analysis
would have posed (``pose_rate_hz`` a second, or every frame of slower video) that live coaching
posed and found a person in, so dropped and skipped frames lower it; a rep whose cycle fell in a
gap between posed frames is named in a warning.
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
from pushup_coach.live.rate import MIN_USEFUL_HZ, PoseRate
from pushup_coach.live.sources import Arrival, LiveSource
from pushup_coach.pose.base import PoseBackend
from pushup_coach.reps import NEVER_IN_POSITION, NO_COMPLETE_REP, assign_sets, group_sets
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
    skipped: int = 0  # frames not posed on purpose (see PoseRate)
    pose_rate_hz: float | None = None  # the rate posing settled on, None while every frame

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "frames_processed": self.processed,
            "frames_dropped": self.dropped,
            "frames_skipped": self.skipped,
            "pose_rate_hz": None if self.pose_rate_hz is None else round(self.pose_rate_hz, 2),
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
    expected_variation: Variation | None = None,
) -> LiveResult:
    """Coach every frame ``source`` hands over; ``on_update(frame, update)`` after each one.

    ``expected_variation``: the one the plan asks for (see :class:`LiveCoach`).

    Ctrl+C (KeyboardInterrupt) ends the session like the end of the source does. After the
    last frame, ``on_update(None, update)`` reports the reps assessed at the close.
    """
    # SciPy's signal module (the causal filter's design) takes about a second to import: before
    # the first frame arrives, not while the camera's frames pile up behind it.
    import scipy.signal  # noqa: F401

    run = _Run(PoseRate(source.fps) if source.realtime else None, source.clock, expected_variation)
    try:
        for arrival in source.arrivals():
            update = run.step(arrival, source.fps, backend, config)
            if update is None:
                continue  # skipped on purpose: nothing new to show
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
    stats = _stats(run, source.dropped)
    report = session_report(coach, source, backend.name, run.coverage(source.fps, config))
    notes = (*report.warnings, *drop_warnings(report, stats, coach.series().t_s, run.rate))
    report = replace(report, warnings=notes, extra={"live": stats.to_dict()})
    return LiveResult(report, stats)


@dataclass
class _Run:
    """The coach (built at the first frame, when the size is known) and per-frame figures.

    ``rate`` is None when every frame is handed over without pacing (nothing to keep up with).
    """

    rate: PoseRate | None
    clock: Callable[[], float] = time.perf_counter
    expected_variation: Variation | None = None
    coach: LiveCoach | None = None
    latencies_ms: list[float] = field(default_factory=list)
    present: int = 0
    skipped: int = 0
    first_t_s: float | None = None
    last_t_s: float = 0.0

    def step(
        self, arrival: Arrival, fps: float, backend: PoseBackend, config: AnalysisConfig
    ) -> LiveUpdate | None:
        """Pose and coach one frame; None when the pose plan skips it."""
        frame, rate = arrival.frame, self.rate
        if rate is not None and not rate.take(frame.t_s):
            self.skipped += 1
            return None
        if self.coach is None:
            height, width = frame.image.shape[:2]
            self.coach = LiveCoach(
                (width, height), fps, config, expected_variation=self.expected_variation
            )
        started = self.clock()
        raw = backend.estimate(frame)
        update = self.coach.update(frame.t_s, raw)
        done = self.clock()
        self.latencies_ms.append((done - arrival.arrived_s) * 1000.0)
        self.present += raw is not None
        self.first_t_s = frame.t_s if self.first_t_s is None else self.first_t_s
        self.last_t_s = frame.t_s
        if rate is not None:
            every = rate.every
            rate.record(frame.t_s, done - started)
            if rate.every != every:
                self.coach.set_pose_rate(rate.rate_hz)
        return update

    def coverage(self, fps: float, config: AnalysisConfig) -> float:
        """Frames posed with a person / frames offline analysis would have posed meanwhile."""
        posed = len(self.latencies_ms)
        if self.first_t_s is None or fps <= 0:
            return 0.0
        rate_hz = min(fps, config.pose_rate_hz) if config.pose_rate_hz > 0 else fps
        expected = round((self.last_t_s - self.first_t_s + 1.0 / fps) * rate_hz)
        return self.present / max(posed, expected, 1)


def _stats(run: _Run, dropped: int) -> LiveStats:
    values = np.asarray(run.latencies_ms, dtype=np.float64)
    slowed = run.rate is not None and run.rate.every > 1
    return LiveStats(
        processed=len(values),
        dropped=dropped,
        latency_p50_ms=float(np.percentile(values, 50)),
        latency_p95_ms=float(np.percentile(values, 95)),
        latency_max_ms=float(values.max()),
        skipped=run.skipped,
        pose_rate_hz=run.rate.rate_hz if slowed and run.rate is not None else None,
    )


def _count_notes(coach: LiveCoach) -> tuple[str, ...]:
    """Why nothing was counted, as offline analysis says it."""
    if coach.setup is None:
        return ("No person was seen long enough to start coaching.",)
    if not coach.in_position_mask.any():
        return (NEVER_IN_POSITION,)
    return () if coach.rep_count else (NO_COMPLETE_REP,)


def drop_warnings(
    report: SessionReport, stats: LiveStats, posed_t_s: np.ndarray, rate: PoseRate | None
) -> list[str]:
    """What the person should know about frames this machine could not pose."""
    notes = []
    if rate is not None and rate.every > 1:
        notes.append(
            f"This computer could not pose every frame: it posed {rate.rate_hz:.0f} frames a "
            f"second of {rate.fps:.0f} on purpose ({stats.skipped} skipped, {stats.dropped} "
            "dropped). Close other programs or use a lower camera resolution."
            + (" Fast reps may be missed at this rate." if rate.rate_hz < MIN_USEFUL_HZ else "")
        )
    elif stats.dropped > 0.1 * (stats.processed + stats.dropped):
        notes.append(f"{stats.dropped} frames were dropped: the computer was busy.")
    for assessed in report.reps:
        gap = _largest_gap(posed_t_s, assessed.rep.start_s, assessed.rep.end_s)
        if gap > max(MAX_UNSEEN_S, MAX_UNSEEN_SHARE * (assessed.rep.end_s - assessed.rep.start_s)):
            notes.append(
                f"Rep {assessed.rep.index + 1}: {gap:.1f} s of its cycle was not seen (frames "
                "dropped); it was counted and judged on what was seen."
            )
    return notes


MAX_UNSEEN_S = 0.25  # a gap between posed frames inside a rep longer than this is worth saying
MAX_UNSEEN_SHARE = 0.3  # ... and longer than this share of the rep


def _largest_gap(t_s: np.ndarray, start_s: float, end_s: float) -> float:
    """Longest time (s) between consecutive posed frames within [start_s, end_s]."""
    inside = t_s[(t_s >= start_s) & (t_s <= end_s)]
    return float(np.max(np.diff(inside))) if inside.size > 1 else 0.0


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
        warnings=_count_notes(coach) + ((coach.variation_note,) if coach.variation_note else ()),
        advice=ADVICE,
        pose_backend=backend_name,
        pose_coverage=coverage,
    )
