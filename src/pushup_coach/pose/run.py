"""Run a pose backend over frames into a :class:`PoseSeries` (frames without a person -> NaN)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from pushup_coach.errors import PoseBackendError
from pushup_coach.pose.base import PoseBackend
from pushup_coach.pose.mediapipe_backend import MediaPipePose
from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.types import FloatArray, Frame, PoseSeries, VideoInfo
from pushup_coach.video.source import VideoFile


def estimate_series(
    frames: Iterable[Frame],
    backend: PoseBackend,
    size_wh: tuple[int, int],
    source: str = "",
    on_frame: Callable[[int], None] | None = None,
) -> PoseSeries:
    """Landmarks of every frame: (T, 33, 4) normalised x, y, z, visibility; NaN rows = no person.

    ``size_wh`` is the upright frame size in pixels; ``on_frame(i)`` is called after each frame
    (``i`` counts frames handled, from 0) to report progress.
    """
    times_s: list[float] = []
    rows: list[FloatArray] = []
    gap = np.full((N_LANDMARKS, 4), np.nan)
    for i, frame in enumerate(frames):
        landmarks = backend.estimate(frame)
        rows.append(gap if landmarks is None else _checked(landmarks, backend.name))
        times_s.append(frame.t_s)
        if on_frame is not None:
            on_frame(i)
    stacked = np.stack(rows) if rows else np.empty((0, N_LANDMARKS, 4))
    return PoseSeries(
        t_s=np.asarray(times_s, dtype=np.float64),
        landmarks=stacked.astype(np.float64),
        size_wh=size_wh,
        source=source,
    )


def landmarks_from_video(
    path: str | Path,
    backend_factory: Callable[[], PoseBackend] = MediaPipePose,
    on_frame: Callable[[int], None] | None = None,
    *,
    start_s: float = 0.0,
    end_s: float | None = None,
) -> tuple[VideoInfo, PoseSeries, list[str]]:
    """Decode ``path`` and find the person in every frame with a fresh backend.

    Returns the video's info, its pose series (``source`` = the path) and the warnings met while
    decoding (e.g. a truncated file). ``start_s``/``end_s`` restrict it to a segment.
    """
    with VideoFile(path) as video:
        backend = backend_factory()
        try:
            series = estimate_series(
                video.frames(start_s=start_s, end_s=end_s),
                backend,
                size_wh=(video.info.width, video.info.height),
                source=str(path),
                on_frame=on_frame,
            )
        finally:
            backend.close()
        return video.info, series, list(video.warnings)


def _checked(landmarks: FloatArray, backend_name: str) -> FloatArray:
    array = np.asarray(landmarks, dtype=np.float64)
    if array.shape != (N_LANDMARKS, 4):
        raise PoseBackendError(
            f"pose backend {backend_name!r} returned landmarks of shape {array.shape}, "
            f"expected ({N_LANDMARKS}, 4)"
        )
    return array
