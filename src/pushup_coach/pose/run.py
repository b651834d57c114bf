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
from pushup_coach.video.source import VideoFile, pose_stride


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
    # One growing array rather than a list of per-frame arrays: small long-lived allocations
    # interleaved with the big short-lived frame buffers fragment the heap, so the process would
    # keep growing with the video's length (measured: ~13 KB a frame at 320x240).
    times_s = np.empty(1024, dtype=np.float64)
    rows = np.empty((1024, N_LANDMARKS, 4), dtype=np.float64)
    n = 0
    for i, frame in enumerate(frames):
        if n == len(times_s):
            times_s = np.resize(times_s, 2 * n)
            rows = np.resize(rows, (2 * n, N_LANDMARKS, 4))
        landmarks = backend.estimate(frame)
        rows[n] = np.nan if landmarks is None else _checked(landmarks, backend.name)
        times_s[n] = frame.t_s
        n += 1
        if on_frame is not None:
            on_frame(i)
    return PoseSeries(
        t_s=times_s[:n].copy(), landmarks=rows[:n].copy(), size_wh=size_wh, source=source
    )


def landmarks_from_video(
    path: str | Path,
    backend_factory: Callable[[], PoseBackend] = MediaPipePose,
    on_frame: Callable[[int], None] | None = None,
    *,
    start_s: float = 0.0,
    end_s: float | None = None,
    rate_hz: float = 0.0,
) -> tuple[VideoInfo, PoseSeries, list[str]]:
    """Decode ``path`` and find the person in every frame with a fresh backend.

    Returns the video's info, its pose series (``source`` = the path) and the warnings met while
    decoding (e.g. a truncated file). ``start_s``/``end_s`` restrict it to a segment; a
    ``rate_hz`` above 0 poses only enough frames for that rate (see :func:`pose_stride`).
    """
    with VideoFile(path, for_pose=True) as video:
        stride = pose_stride(video.info.fps, rate_hz)
        backend = backend_factory()
        try:
            series = estimate_series(
                video.frames(start_s=start_s, end_s=end_s, stride=stride),
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
