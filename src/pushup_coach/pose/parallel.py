"""Pose estimation over contiguous time segments of one video, one ``spawn`` process per segment.

One MediaPipe graph uses about one core, so a video is cut into ``workers`` segments of equal
duration. Each worker opens the file itself, seeks to ``warmup_s`` before its segment, and runs a
fresh backend from there: the warm-up frames only let the tracker and its landmark filter settle
and are dropped, so the landmarks at a join come from a tracker in the same state as a single pass
would have (within the model's own jitter). Segments are split by frame time: a frame belongs to
the segment with ``start_s <= t_s < end_s``, so stitching gives every frame exactly once, in order.

A worker whose parent dies without cleaning up (killed with SIGKILL, or SIGTERM, where the
``daemon`` flag's clean-up never runs) notices within ``_PARENT_POLL_S`` and exits, so no orphan
keeps a core busy posing for nobody.

Workers send back only landmarks ((T, 33, 4) float64, about 1 KB a frame) and times, never
images, so the parent's memory grows with the number of frames by that much and no more. Progress
and errors travel on one queue: a :class:`CoachError` raised in a worker is raised again here
with its one-line message.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pushup_coach.errors import CoachError, PoseBackendError
from pushup_coach.pose.base import PoseBackend
from pushup_coach.pose.mediapipe_backend import quiet_stderr
from pushup_coach.pose.run import estimate_series
from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.types import FloatArray, Frame, PoseSeries, VideoInfo
from pushup_coach.video.source import VideoFile, pose_stride

WARMUP_S = 1.0  # frames posed before each segment start, then dropped
PROGRESS_EVERY = 15  # frames between progress messages from a worker
_POLL_S = 0.5  # how often the parent checks that workers are still alive
_PARENT_POLL_S = 1.0  # how often a worker checks that its parent is still alive
# A file that declares this many more frames than were decoded is reported as truncated.
_MISSING_FRAMES_TOLERANCE = 2


@dataclass(frozen=True)
class Segment:
    """Frames ``start_s <= t_s < end_s`` (``end_s`` None: to the end), posed from ``warm_s``."""

    index: int
    start_s: float
    end_s: float | None
    warm_s: float


def split_segments(duration_s: float, workers: int, warmup_s: float = WARMUP_S) -> list[Segment]:
    """``workers`` contiguous segments covering ``0 .. duration_s`` and beyond, of equal work.

    Every segment but the first also poses ``warmup_s`` before its start, so those are shorter by
    that much: each worker poses the same length of video and none waits for another at the end.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    posed_s = (duration_s + (workers - 1) * warmup_s) / workers
    if posed_s <= warmup_s:  # too short to balance: plain equal parts
        posed_s, warmup_s = duration_s / workers, 0.0
    bounds = [k * posed_s - max(0, k - 1) * warmup_s for k in range(workers)] + [duration_s]
    return [
        Segment(
            index=k,
            start_s=bounds[k],
            end_s=None if k == workers - 1 else bounds[k + 1],
            warm_s=max(0.0, bounds[k] - warmup_s) if k else 0.0,
        )
        for k in range(workers)
    ]


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def landmarks_parallel(
    path: str | Path,
    backend_factory: Callable[[], PoseBackend],
    workers: int,
    on_frame: Callable[[int], None] | None = None,
    *,
    warmup_s: float = WARMUP_S,
    rate_hz: float = 0.0,
) -> tuple[VideoInfo, PoseSeries, list[str]]:
    """Like :func:`pushup_coach.pose.landmarks_from_video`, with ``workers`` processes.

    ``backend_factory`` must be picklable (a class, or a ``functools.partial`` of one), since
    each worker builds its own backend. ``on_frame(i)`` is called in this process with the
    number of frames finished so far, minus one. ``rate_hz`` samples frames as
    :func:`pushup_coach.pose.landmarks_from_video` does. Raises what a worker raised (VideoError,
    PoseBackendError, ...) or PoseBackendError when a worker dies without a word.
    """
    with VideoFile(path) as video:
        info = video.info
    segments = split_segments(info.duration_s, workers, warmup_s)
    stride = pose_stride(info.fps, rate_hz)
    parts = _run_workers(str(path), backend_factory, segments, stride, on_frame)
    t_s = np.concatenate([part[0] for part in parts])
    rows = [part[1] for part in parts if len(part[1])]
    landmarks = np.concatenate(rows) if rows else np.empty((0, N_LANDMARKS, 4))
    notes = [note for part in parts for note in part[2]]
    notes.extend(_completeness(info, len(t_s) + sum(part[3] for part in parts), path))
    series = PoseSeries(
        t_s=t_s, landmarks=landmarks, size_wh=(info.width, info.height), source=str(path)
    )
    return info, series, list(dict.fromkeys(notes))


def _completeness(info: VideoInfo, n_frames: int, path: str | Path) -> list[str]:
    declared = info.n_frames
    if declared and n_frames + _MISSING_FRAMES_TOLERANCE < declared:
        return [
            f"{Path(path).name} ends early: decoded {n_frames} of the {declared} frames it "
            "declares (the file is probably truncated); only those frames were analysed"
        ]
    return []


# (t_s, landmarks, warnings, frames of the segment skipped by the stride)
_Part = tuple[FloatArray, FloatArray, list[str], int]


def _run_workers(
    path: str,
    backend_factory: Callable[[], PoseBackend],
    segments: list[Segment],
    stride: int,
    on_frame: Callable[[int], None] | None,
) -> list[_Part]:
    """Start one process per segment, relay progress, collect each segment's :data:`_Part`."""
    context = multiprocessing.get_context("spawn")
    messages: Any = context.Queue()
    processes = [
        context.Process(
            target=_worker,
            args=(path, backend_factory, segment, stride, messages, os.getpid()),
            daemon=True,
        )
        for segment in segments
    ]
    for process in processes:
        process.start()
    try:
        return _collect(messages, processes, len(segments), on_frame)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        messages.close()


def _collect(
    messages: Any,
    processes: list[Any],
    n_segments: int,
    on_frame: Callable[[int], None] | None,
) -> list[_Part]:
    done: dict[int, _Part] = {}
    progress = [0] * n_segments
    while len(done) < n_segments:
        try:
            kind, k, payload = messages.get(timeout=_POLL_S)
        except queue.Empty:
            _check_alive(processes, done)
            continue
        if kind == "error":
            raise payload
        if kind == "progress":
            progress[k] = payload
            if on_frame is not None:
                on_frame(sum(progress) - 1)
        else:
            done[k] = payload
    return [done[k] for k in range(n_segments)]


def _check_alive(processes: list[Any], done: dict[int, _Part]) -> None:
    for k, process in enumerate(processes):
        if k not in done and not process.is_alive() and process.exitcode not in (None, 0):
            raise PoseBackendError(
                f"pose worker {k + 1} of {len(processes)} stopped unexpectedly (exit code "
                f"{process.exitcode}); try --workers 1"
            )


def _worker(
    path: str,
    backend_factory: Callable[[], PoseBackend],
    segment: Segment,
    stride: int,
    messages: Any,
    parent_pid: int,
) -> None:
    """Process entry point: pose one segment and put ("done", k, part) or ("error", k, exc).

    The worker's stderr is quiet: MediaPipe's graph threads print start-up lines at moments no
    narrower redirect can catch, and everything a worker has to say travels on the queue.
    """
    _exit_with_parent(parent_pid)
    try:
        with quiet_stderr():
            part = _pose_segment(path, backend_factory, segment, stride, messages)
        messages.put(("done", segment.index, part))
    except CoachError as exc:
        messages.put(("error", segment.index, _portable(exc)))
    except Exception as exc:
        error = PoseBackendError(f"pose worker failed on {path}: {type(exc).__name__}: {exc}")
        messages.put(("error", segment.index, error))


def _exit_with_parent(parent_pid: int) -> None:
    """Exit this worker as soon as ``parent_pid`` is no longer its parent (the parent died and the
    worker was handed to init or a subreaper): its results would have nowhere to go."""

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _portable(exc: CoachError) -> CoachError:
    """The same error class and message, without the traceback and chained causes."""
    try:
        return type(exc)(str(exc))
    except TypeError:
        return PoseBackendError(str(exc))


def _pose_segment(
    path: str,
    backend_factory: Callable[[], PoseBackend],
    segment: Segment,
    stride: int,
    messages: Any,
) -> _Part:
    def tick(i: int) -> None:
        if (i + 1) % PROGRESS_EVERY == 0:
            messages.put(("progress", segment.index, max(0, i + 1 - n_warm[0])))

    def skip(t_s: float) -> None:
        n_skipped[0] += t_s >= segment.start_s

    n_warm, n_skipped = [0], [0]
    # One worker per core: decode in line.
    with VideoFile(path, threaded=False, for_pose=True) as video:
        decoded = video.frames(
            start_s=segment.warm_s, end_s=segment.end_s, stride=stride, on_skip=skip
        )
        frames = _counting_warmup(decoded, segment.start_s, n_warm)
        backend = backend_factory()
        try:
            series = estimate_series(frames, backend, (1, 1), on_frame=tick)
        finally:
            backend.close()
        warnings = list(video.warnings)
    # Times increase, so the warm-up frames are a prefix: slice it off without copying.
    first = int(np.searchsorted(series.t_s, segment.start_s)) if segment.index else 0
    messages.put(("progress", segment.index, len(series) - first))
    # Frames without a duration of their own were there too: not a sign of truncation.
    return (
        series.t_s[first:],
        series.landmarks[first:],
        warnings,
        n_skipped[0] + video.untimed_frames,
    )


def _counting_warmup(frames: Any, start_s: float, n_warm: list[int]) -> Any:
    """Pass frames through, counting those before ``start_s`` (posed only to warm up)."""
    frame: Frame
    for frame in frames:
        if frame.t_s < start_s:
            n_warm[0] += 1
        yield frame
