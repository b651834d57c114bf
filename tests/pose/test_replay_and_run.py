"""estimate_series over a real decoded video with the replay backend reproduces the series."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from pushup_coach.errors import PoseBackendError
from pushup_coach.pose import ReplayBackend, estimate_series, landmarks_from_video, opened
from pushup_coach.types import FloatArray, Frame, PoseSeries
from pushup_coach.video import iter_frames

FPS = 25


def _video(path: Path, n_frames: int) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, FPS)
        for i in range(n_frames):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, FPS)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _recorded(n_frames: int, gaps: tuple[int, ...]) -> PoseSeries:
    landmarks = np.random.default_rng(3).uniform(0.0, 1.0, (n_frames, 33, 4))
    landmarks[list(gaps)] = np.nan
    return PoseSeries(
        t_s=np.arange(n_frames) / FPS, landmarks=landmarks, size_wh=(64, 48), source="x"
    )


def test_replay_through_the_video_pipeline_gives_the_series_back(tmp_path: Path) -> None:
    path = _video(tmp_path / "clip.mp4", 10)
    recorded = _recorded(10, gaps=(0, 4, 5))
    seen: list[int] = []
    with opened(lambda: ReplayBackend(recorded)) as backend:
        series = estimate_series(iter_frames(path), backend, (64, 48), "clip", seen.append)
    assert np.array_equal(series.landmarks, recorded.landmarks, equal_nan=True)
    assert series.t_s.tolist() == recorded.t_s.tolist()
    assert series.present.tolist() == [
        False,
        True,
        True,
        True,
        False,
        False,
        True,
        True,
        True,
        True,
    ]
    assert (series.size_wh, series.source, seen) == ((64, 48), "clip", list(range(10)))


def test_landmarks_from_video_closes_its_backend(tmp_path: Path) -> None:
    path = _video(tmp_path / "clip.mp4", 6)
    recorded = _recorded(6, gaps=(2,))
    closed: list[bool] = []

    class Recording(ReplayBackend):
        def close(self) -> None:
            closed.append(True)

    info, series, warnings = landmarks_from_video(path, lambda: Recording(recorded))
    assert (info.width, info.height, info.fps, info.n_frames) == (64, 48, 25.0, 6)
    assert np.array_equal(series.landmarks, recorded.landmarks, equal_nan=True)
    assert (series.source, warnings, closed) == (str(path), [], [True])


def _frame(t_s: float) -> Frame:
    return Frame(index=0, t_s=t_s, image=np.zeros((2, 2, 3), np.uint8))


def test_replay_refuses_a_frame_it_has_no_landmarks_for() -> None:
    backend = ReplayBackend(_recorded(5, gaps=()))
    assert backend.estimate(_frame(0.161)) is not None  # within half a frame of 0.16
    with pytest.raises(PoseBackendError) as excinfo:
        backend.estimate(_frame(0.5))
    assert str(excinfo.value) == (
        "replayed landmarks have no frame near t=0.500 s (nearest 0.160 s); were they recorded "
        "from this video?"
    )


class _WrongShape:
    name = "broken"

    def estimate(self, frame: Frame) -> FloatArray | None:
        return np.zeros((17, 3))

    def close(self) -> None:
        pass


def test_a_backend_returning_the_wrong_shape_is_an_error() -> None:
    with pytest.raises(PoseBackendError) as excinfo:
        estimate_series([_frame(0.0)], _WrongShape(), (2, 2))
    assert str(excinfo.value) == (
        "pose backend 'broken' returned landmarks of shape (17, 3), expected (33, 4)"
    )


def test_no_frames_give_an_empty_series() -> None:
    series = estimate_series([], _WrongShape(), (640, 360))
    assert (len(series), series.landmarks.shape) == (0, (0, 33, 4))
