"""MediaPipe BlazePose (full model) through mediapipe 0.10.14's legacy ``solutions.pose`` graph.

The wheel bundles the pose detector and the *full* landmark model only, so ``model_complexity=1``
is the one setting that runs offline; 0 (lite) and 2 (heavy) would try to download their model at
run time, which this project never does. mediapipe is imported when a backend is built, not when
this module is imported, because importing it takes about a second and loads TensorFlow Lite.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from pushup_coach.errors import PoseBackendError
from pushup_coach.types import FloatArray, Frame

MEDIAPIPE_VERSION = "0.10.14"

_LANDMARK_MODEL_FILES = {
    0: "pose_landmark_lite.tflite",
    1: "pose_landmark_full.tflite",
    2: "pose_landmark_heavy.tflite",
}
_MODEL_NAMES = {0: "lite", 1: "full", 2: "heavy"}


class MediaPipePose:
    """Single-person BlazePose in video (tracking) mode; one instance per video or segment."""

    name = f"mediapipe-blazepose-full-{MEDIAPIPE_VERSION}"

    def __init__(
        self,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        model_complexity: int = 1,
    ) -> None:
        _check_bundled(model_complexity)
        mp_pose = _import_pose_solution()
        try:
            with quiet_stderr():
                self._pose = mp_pose.Pose(
                    static_image_mode=False,
                    model_complexity=model_complexity,
                    smooth_landmarks=True,
                    enable_segmentation=False,
                    min_detection_confidence=min_detection_confidence,
                    min_tracking_confidence=min_tracking_confidence,
                )
        except (RuntimeError, ValueError, OSError) as exc:
            raise PoseBackendError(f"could not start MediaPipe Pose: {exc}") from exc
        self.name = f"mediapipe-blazepose-{_MODEL_NAMES[model_complexity]}-{MEDIAPIPE_VERSION}"
        self._last_t_s = -np.inf
        self._closed = False
        self._started = False

    def estimate(self, frame: Frame) -> FloatArray | None:
        """(33, 4) normalised x, y, z, visibility of the most prominent person, or None."""
        if self._closed:
            raise PoseBackendError("this MediaPipePose was closed; build a new one")
        if frame.t_s <= self._last_t_s:
            raise PoseBackendError(
                f"frame times must strictly increase for pose tracking (got {frame.t_s:.4f} s "
                f"after {self._last_t_s:.4f} s); use one MediaPipePose per video or segment"
            )
        self._advance_clock(frame.t_s)
        self._last_t_s = frame.t_s
        try:
            if self._started:
                result = self._pose.process(frame.image)
            else:
                with quiet_stderr():  # the graph's start-up log lines come with the first frame
                    result = self._pose.process(frame.image)
                self._started = True
        except (RuntimeError, ValueError) as exc:
            raise PoseBackendError(f"MediaPipe Pose failed on frame {frame.index}: {exc}") from exc
        if result.pose_landmarks is None:
            return None
        points = result.pose_landmarks.landmark
        return np.array([(p.x, p.y, p.z, p.visibility) for p in points], dtype=np.float64)

    def close(self) -> None:
        """Release the MediaPipe graph (safe to call twice)."""
        if not self._closed:
            self._closed = True
            self._pose.close()

    def _advance_clock(self, t_s: float) -> None:
        # The legacy API stamps packets with a simulated 30 fps clock (+33333 us per call). Setting
        # it to the real time lets the landmark smoothing filter see true intervals (25 fps, VFR).
        if hasattr(self._pose, "_simulated_timestamp"):
            self._pose._simulated_timestamp = round(t_s * 1e6) - 33333


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the block.

    MediaPipe's C++ graph threads write start-up chatter ("Created TensorFlow Lite XNNPACK
    delegate", "Feedback manager requires ...") straight to fd 2 before absl logging is set up,
    past any Python-level redirect; set PUSHUP_COACH_MEDIAPIPE_LOGS=1 to see them.
    """
    if os.environ.get("PUSHUP_COACH_MEDIAPIPE_LOGS"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _check_bundled(model_complexity: int) -> None:
    if model_complexity not in _LANDMARK_MODEL_FILES:
        raise PoseBackendError(f"model_complexity must be 0, 1 or 2, got {model_complexity}")
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or spec.origin is None:
        raise PoseBackendError(
            f"mediapipe is not installed; install mediapipe=={MEDIAPIPE_VERSION} "
            "(pip install -e . installs it)"
        )
    model_file = Path(spec.origin).parent / "modules" / "pose_landmark"
    model_file = model_file / _LANDMARK_MODEL_FILES[model_complexity]
    if not model_file.is_file():
        raise PoseBackendError(
            f"the {_MODEL_NAMES[model_complexity]} pose model (model_complexity="
            f"{model_complexity}) is not bundled with mediapipe and cannot be downloaded here; "
            "use model_complexity=1 (the full model)"
        )


def _import_pose_solution() -> Any:
    # Quieten glog / TensorFlow Lite unless the user asked for their logs. A few start-up lines
    # still reach stderr: MediaPipe's graph threads log them before absl logging is initialised.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # mediapipe 0.10.14 calls a protobuf API that protobuf 4.x flags as deprecated.
    warnings.filterwarnings("ignore", message="SymbolDatabase.GetPrototype", category=UserWarning)
    try:
        from mediapipe.python.solutions import pose as mp_pose
    except ImportError as exc:
        raise PoseBackendError(
            f"cannot import mediapipe ({exc}); install mediapipe=={MEDIAPIPE_VERSION}"
        ) from exc
    try:
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    except ImportError:
        pass  # absl only affects log noise
    return mp_pose
