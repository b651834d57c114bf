"""Analyse a path: the one use case behind ``analyze``, ``eval`` and the web app's uploads.

It sizes the progress (the frames the pose model will look at), and keeps a landmark cache whose
entries are named by the clip's CONTENT and by every setting that changes the landmarks
(:data:`POSE_SETTINGS`, and the pose backend's name): a re-run with ``pose_rate_hz=30`` over a cache
filled at 15 Hz poses again instead of scoring 15 Hz landmarks, and a renamed copy of a clip hits.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pushup_coach.analysis import (
    Analysis,
    LandmarkOptions,
    analyze_file,
    analyze_series,
    is_landmark_file,
)
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.pose import PoseBackend, read_landmarks, save_landmarks
from pushup_coach.types import Variation, VideoInfo

# Settings read before or while the pose model runs; the others only act on its landmarks.
POSE_SETTINGS: tuple[str, ...] = ("pose_rate_hz",)
DEFAULT_BACKEND = "mediapipe"
_HASH_CHUNK = 1 << 20
DEFAULT_LANDMARK_OPTIONS = LandmarkOptions()

Progress = Callable[[int, int], None]  # (frames done, frames in all; 0 when unknown)


def content_hash(path: str | Path) -> str:
    """SHA-256 (hex) of the file's bytes, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(path: str | Path, config: AnalysisConfig, backend: str = DEFAULT_BACKEND) -> str:
    """The landmark cache entry's name: the clip's content hash, the backend and the pose
    settings, e.g. ``<sha256>-mediapipe-pose_rate_hz=15``."""
    settings = "-".join(f"{name}={getattr(config, name):g}" for name in POSE_SETTINGS)
    return f"{content_hash(path)}-{backend}-{settings}"


def frames_to_pose(path: str | Path, config: AnalysisConfig) -> int:
    """How many frames of the video ``path`` the pose model will look at (0 when unknown)."""
    from pushup_coach.video.source import frames_posed, pose_stride, probe_video

    info = probe_video(path)
    if not info.n_frames:
        return 0
    return frames_posed(info.n_frames, pose_stride(info.fps, config.pose_rate_hz))


def landmarks_npz(analysis: Analysis) -> bytes:
    """The analysis' raw landmarks as the bytes of a .npz landmark file (what storage keeps)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "landmarks.npz"
        save_landmarks(analysis.series, path, analysis.report.source)
        return path.read_bytes()


def analyse_path(
    path: str | Path,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
    backend_factory: Callable[[], PoseBackend] | None = None,
    backend_name: str = DEFAULT_BACKEND,
    workers: int | None = None,
    landmark_options: LandmarkOptions = DEFAULT_LANDMARK_OPTIONS,
    expected_variation: Variation | None = None,
) -> Analysis:
    """Analyse a video or landmark file, reporting pose progress and using the landmark cache.

    ``on_progress(done, total)`` is called as frames are posed. With ``cache_dir``, a video's
    landmarks are read from (or, after posing, written to) ``cache_dir/<cache_key>.npz``;
    ``backend_name`` names ``backend_factory`` in the key. ``expected_variation``: the one the
    plan asked for (see :func:`pushup_coach.analysis.analyze_series`). Raises ``CoachError``
    subclasses as :func:`pushup_coach.analysis.analyze_file` does.
    """
    if is_landmark_file(path):
        return analyze_file(
            path,
            config,
            landmark_options=landmark_options,
            expected_variation=expected_variation,
        )
    cached = None
    if cache_dir is not None:
        cached = cache_dir / f"{cache_key(path, config, backend_name)}.npz"
        if cached.is_file():
            return _from_cache(cached, path, config, expected_variation)
    total = frames_to_pose(path, config)

    def tick(done: int) -> None:
        if on_progress is not None:
            on_progress(done, total)

    analysis = analyze_file(
        path,
        config,
        backend_factory=backend_factory,
        on_frame=tick,
        workers=workers,
        expected_variation=expected_variation,
    )
    if cached is not None:
        _write_cache(cached, analysis)
    return analysis


def _write_cache(target: Path, analysis: Analysis) -> None:
    """Write the entry atomically (a crash leaves no half file), with the pose notes beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    notes = {"pose_backend": analysis.report.pose_backend, "warnings": analysis.pose_warnings}
    partial = target.with_suffix(".partial")
    partial.write_bytes(landmarks_npz(analysis))
    target.with_suffix(".json").write_text(json.dumps(notes), encoding="utf-8")
    os.replace(partial, target)


def _from_cache(
    cached: Path, path: str | Path, config: AnalysisConfig, expected: Variation | None
) -> Analysis:
    loaded = read_landmarks(cached)
    notes = json.loads(cached.with_suffix(".json").read_text(encoding="utf-8"))
    info: VideoInfo = dataclasses.replace(loaded.info, path=str(path))
    return analyze_series(
        loaded.series,
        info,
        config,
        pose_backend=str(notes.get("pose_backend", "")),
        warnings=tuple(notes.get("warnings", ())),
        expected_variation=expected,
    )


def report_bytes(analysis: Analysis) -> bytes:
    """The report as ``analyze --json`` writes it (UTF-8, no NaN)."""
    buffer = io.StringIO()
    json.dump(analysis.report.to_dict(), buffer, indent=2, allow_nan=False)
    return buffer.getvalue().encode("utf-8")
