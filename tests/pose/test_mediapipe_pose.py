"""The MediaPipe backend: offline-only model choice, time order, and a real clip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pushup_coach.errors import PoseBackendError
from pushup_coach.pose import MediaPipePose, landmarks_from_video
from pushup_coach.types import Frame

CLIP = Path(__file__).parents[3] / "shared" / "data" / "pushup-clips" / "calimiro" / "push-up_1.mp4"


@pytest.mark.parametrize(
    ("complexity", "message"),
    [
        (
            0,
            "the lite pose model (model_complexity=0) is not bundled with mediapipe and cannot "
            "be downloaded here; use model_complexity=1 (the full model)",
        ),
        (
            2,
            "the heavy pose model (model_complexity=2) is not bundled with mediapipe and cannot "
            "be downloaded here; use model_complexity=1 (the full model)",
        ),
        (3, "model_complexity must be 0, 1 or 2, got 3"),
    ],
)
def test_only_the_bundled_model_is_accepted(complexity: int, message: str) -> None:
    with pytest.raises(PoseBackendError) as excinfo:
        MediaPipePose(model_complexity=complexity)
    assert str(excinfo.value) == message


@pytest.mark.model
def test_time_must_move_forward_and_closed_backends_refuse_work() -> None:
    backend = MediaPipePose()
    blank = np.zeros((64, 64, 3), np.uint8)
    assert backend.estimate(Frame(index=0, t_s=0.5, image=blank)) is None
    with pytest.raises(PoseBackendError) as excinfo:
        backend.estimate(Frame(index=1, t_s=0.5, image=blank))
    assert str(excinfo.value) == (
        "frame times must strictly increase for pose tracking (got 0.5000 s after 0.5000 s); "
        "use one MediaPipePose per video or segment"
    )
    backend.close()
    backend.close()
    with pytest.raises(PoseBackendError, match="this MediaPipePose was closed; build a new one"):
        backend.estimate(Frame(index=2, t_s=1.0, image=blank))


@pytest.mark.model
@pytest.mark.realdata
def test_a_real_clip_has_a_person_in_almost_every_frame() -> None:
    if not CLIP.is_file():
        pytest.skip(f"real clip not found at {CLIP} (needs ../shared/data)")
    info, series, warnings = landmarks_from_video(CLIP)
    assert (info.width, info.height, len(series), warnings) == (1920, 1080, 150, [])
    assert series.present.mean() > 0.95
    xy = series.landmarks[series.present][:, :, :2]
    assert xy.min() >= -0.2
    assert xy.max() <= 1.2


def test_importing_the_package_does_not_load_mediapipe() -> None:
    code = "import sys, pushup_coach.pose; print('mediapipe' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


@pytest.mark.model
@pytest.mark.realdata
def test_direct_graph_calls_give_the_landmarks_of_process() -> None:
    """The fast path (graph calls without SolutionBase.process) changes speed, not answers."""
    if not CLIP.exists():
        pytest.skip(f"real clip not found at {CLIP} (needs ../shared/data)")
    results = []
    for direct in (True, False):
        backend = MediaPipePose(direct_graph_calls=direct)
        assert backend._direct is direct
        _, series, _ = landmarks_from_video(CLIP, lambda b=backend: b, end_s=3.0)
        results.append(series.landmarks)
    assert results[0].shape == results[1].shape and len(results[0]) > 60
    np.testing.assert_array_equal(results[0], results[1])
