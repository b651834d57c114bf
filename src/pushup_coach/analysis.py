"""The analysis pipeline over a pose series: smoothing -> side, view, variation -> features ->
in-position mask -> reps and sets -> form -> cues -> :class:`SessionReport`.

This module holds no geometry of its own; it orders the stages and turns what they found (or did
not find) into warnings a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.errors import NoPersonError
from pushup_coach.features import choose_side, compute_features
from pushup_coach.feedback import ADVICE, build_cues
from pushup_coach.form import assess_reps, faults_assessed_for
from pushup_coach.motion import motion_signal
from pushup_coach.pose import MediaPipePose, PoseBackend, landmarks_from_video, read_landmarks
from pushup_coach.pose.parallel import default_workers, landmarks_parallel
from pushup_coach.posture import (
    classify_variation,
    classify_view,
    in_position,
    position_blips,
    resolve_variation,
)
from pushup_coach.reps import NEVER_IN_POSITION, NO_COMPLETE_REP, count_reps, group_sets
from pushup_coach.smoothing import find_cuts, smooth_series, without_frames
from pushup_coach.types import (
    BoolArray,
    FeatureSeries,
    PoseSeries,
    SessionReport,
    Side,
    Variation,
    VideoInfo,
    View,
)
from pushup_coach.video.source import probe_video

PARALLEL_MIN_S = 10.0  # videos longer than this are posed by one process per core by default
MIN_COVERAGE = 0.5  # below this fraction of frames with a person, say the tracking was poor


@dataclass(frozen=True)
class Analysis:
    """A report together with the per-frame data it came from (for plots, overlays, storage)."""

    report: SessionReport
    series: PoseSeries
    smoothed: PoseSeries
    features: FeatureSeries
    in_position: BoolArray
    # what the pose stage said (decoding problems), as given to analyze_series; the report's
    # warnings start with these (a landmark cache keeps them to give the same report again)
    pose_warnings: tuple[str, ...] = ()


def analyze_series(
    series: PoseSeries,
    info: VideoInfo,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    pose_backend: str = "",
    warnings: tuple[str, ...] = (),
    expected_variation: Variation | None = None,
) -> Analysis:
    """Run every stage after pose estimation on ``series`` (raw landmarks, NaN rows = no person).

    ``expected_variation`` is the one the plan asked for: the detected variation is checked
    against it (a mismatch adds a warning) and it is used where detection says ``unknown``.
    """
    notes = list(warnings)
    coverage = float(series.present.mean()) if len(series) else 0.0
    smoothed = smooth_series(series, config)
    if coverage == 0.0:
        notes.append("No person was found in the video: film the whole body, well lit.")
        return _empty(series, smoothed, info, config, notes, pose_backend, coverage)
    if coverage < MIN_COVERAGE:
        notes.append(
            f"A person was found in only {coverage:.0%} of frames: results may miss reps. "
            "Keep the whole body in frame."
        )
    view = classify_view(smoothed)
    side = Side.BOTH if view is View.FRONT else choose_side(smoothed)
    variation, note = resolve_variation(
        classify_variation(smoothed, side, view), expected_variation
    )
    notes.extend([note] if note else [])
    # Frames of a brief intruder (a second person tracked for a moment, a bumped camera) are
    # dropped before filtering, so the filter does not smear them into the reps around them.
    raw_mask = in_position(series, compute_features(series, side, view, variation), view, variation)
    blips = position_blips(series.t_s, raw_mask, series.present, config.position_blip_s)
    kept = without_frames(series, blips) if blips.any() else series
    if blips.any():
        smoothed = smooth_series(kept, config)
    features = compute_features(smoothed, side, view, variation)
    mask = in_position(smoothed, features, view, variation)
    cuts = find_cuts(kept)
    reps, partials = count_reps(
        features.t_s,
        motion_signal(smoothed, side, mask),
        mask,
        config,
        elbow_deg=features.elbow_deg,
        cuts=cuts,
    )
    assessments = assess_reps(features, reps, view, config)
    notes.extend(_explain(mask, reps, partials, view))
    if cuts.any():
        notes.append(
            f"The video jumps between shots {int(cuts.sum())} time(s) (an edited video): counting "
            "restarts at each cut, so an attempt a cut interrupts is not counted."
        )
    report = SessionReport(
        source=info,
        view=view,
        side=side,
        variation=variation,
        reps=tuple(assessments),
        partial_reps=tuple(partials),
        sets=tuple(group_sets(reps)),
        faults_assessed=faults_assessed_for(view),
        cues=tuple(build_cues(assessments, view)),
        warnings=tuple(notes),
        advice=ADVICE,
        pose_backend=pose_backend,
        pose_coverage=coverage,
    )
    return Analysis(report, series, smoothed, features, mask, tuple(warnings))


def _explain(mask: BoolArray, reps: list, partials: list, view: View) -> list[str]:
    """Warnings that explain a surprising result in words a person can act on."""
    notes = []
    if not mask.any():
        notes.append(NEVER_IN_POSITION)
    elif not reps:
        notes.append(NO_COMPLETE_REP)
    if view is View.OBLIQUE:
        notes.append(
            "Filmed at an angle: reps are counted and tempo is timed, but the body line, neck and "
            "depth are not judged from an oblique camera. Film from the side for form feedback."
        )
    if view is View.FRONT:
        notes.append(
            "Filmed from the front: hand width and tempo are judged; body line and depth need a "
            "side view."
        )
    cut = sum(1 for p in partials if "clip" in p.reason)
    if cut:
        notes.append(f"{cut} attempt(s) cut off by the start or end of the clip were not counted.")
    return notes


def _empty(
    series: PoseSeries,
    smoothed: PoseSeries,
    info: VideoInfo,
    config: AnalysisConfig,
    notes: list[str],
    pose_backend: str,
    coverage: float,
) -> Analysis:
    """A zero-rep analysis for a series without any person in it."""
    features = compute_features(smoothed, Side.LEFT, View.UNKNOWN)
    report = SessionReport(
        source=info,
        view=View.UNKNOWN,
        side=Side.LEFT,
        variation=Variation.UNKNOWN,
        reps=(),
        partial_reps=(),
        sets=(),
        faults_assessed=(),
        cues=(),
        warnings=tuple(notes),
        advice=ADVICE,
        pose_backend=pose_backend,
        pose_coverage=coverage,
    )
    return Analysis(report, series, smoothed, features, np.zeros(len(series), dtype=bool))


LANDMARK_SUFFIXES = (".npz", ".csv")


@dataclass(frozen=True)
class LandmarkOptions:
    """How to read a CSV landmark file (see docs/landmark-files.md)."""

    coords: str = "auto"
    size_wh: tuple[int, int] | None = None
    fps: float | None = None


def is_landmark_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in LANDMARK_SUFFIXES


def analyze_file(
    path: str | Path,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    landmark_options: LandmarkOptions = LandmarkOptions(),
    backend_factory: Callable[[], PoseBackend] | None = None,
    on_frame: Callable[[int], None] | None = None,
    workers: int | None = None,
    expected_variation: Variation | None = None,
) -> Analysis:
    """Analyse a video file (pose model) or a landmark file (no model needed).

    ``on_frame(i)`` reports pose progress for videos. ``workers`` pose processes share a video
    (see :mod:`pushup_coach.pose.parallel`); None picks one per core for videos longer than
    ``PARALLEL_MIN_S`` posed with the default model, else one. Raises :class:`CoachError`
    subclasses for missing, unreadable or malformed inputs, and :class:`NoPersonError` when no
    frame of a video holds a person. ``expected_variation``: see :func:`analyze_series`.
    """
    if is_landmark_file(path):
        loaded = read_landmarks(
            path,
            coords=landmark_options.coords,  # type: ignore[arg-type]
            size_wh=landmark_options.size_wh,
            fps=landmark_options.fps,
        )
        return analyze_series(
            loaded.series,
            loaded.info,
            config,
            pose_backend="replay",
            warnings=loaded.warnings,
            expected_variation=expected_variation,
        )
    factory = backend_factory or MediaPipePose
    n_workers = workers or _auto_workers(path, backend_factory)
    rate_hz = config.pose_rate_hz
    if n_workers > 1:
        info, series, notes = landmarks_parallel(
            path, factory, n_workers, on_frame, rate_hz=rate_hz
        )
    else:
        info, series, notes = landmarks_from_video(path, factory, on_frame, rate_hz=rate_hz)
    if len(series) and not series.present.any():
        raise NoPersonError(
            f"no person was found in any of the {len(series)} frames of {path}: film the whole "
            "body from the side, in good light"
        )
    return analyze_series(
        series,
        info,
        config,
        pose_backend=_backend_name(factory),
        warnings=tuple(notes),
        expected_variation=expected_variation,
    )


def _auto_workers(path: str | Path, backend_factory: Callable[[], PoseBackend] | None) -> int:
    # A custom factory may not pickle into a worker process; short clips do not repay the
    # second or so each worker spends loading the model.
    if backend_factory is not None or probe_video(path).duration_s <= PARALLEL_MIN_S:
        return 1
    return default_workers()


def _backend_name(factory: Callable[[], PoseBackend]) -> str:
    name = getattr(factory, "name", "")
    return name if isinstance(name, str) and name else getattr(factory, "__name__", "")
