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
        direct_graph_calls: bool = True,
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
        self._direct = direct_graph_calls and _has_graph_internals(self._pose)
        self._packet_types = sys.modules["mediapipe.python.solution_base"].PacketDataType
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
        self._last_t_s = frame.t_s
        try:
            if self._started:
                landmarks = self._landmarks_proto(frame)
            else:
                with quiet_stderr():  # the graph's start-up log lines come with the first frame
                    landmarks = self._landmarks_proto(frame)
                self._started = True
        except (RuntimeError, ValueError) as exc:
            raise PoseBackendError(f"MediaPipe Pose failed on frame {frame.index}: {exc}") from exc
        if landmarks is None:
            return None
        points = landmarks.landmark
        return np.array([(p.x, p.y, p.z, p.visibility) for p in points], dtype=np.float64)

    def close(self) -> None:
        """Release the MediaPipe graph (safe to call twice)."""
        if not self._closed:
            self._closed = True
            self._pose.close()

    def _landmarks_proto(self, frame: Frame) -> Any:
        """The graph's ``pose_landmarks`` for the frame (a NormalizedLandmarkList), or None.

        The packet is stamped with the frame's real time: the legacy API's own clock is a
        simulated 30 fps (+33333 us a call), and the landmark smoothing filter needs the true
        intervals (25 fps, variable rates). The graph is then run with the same calls as
        ``SolutionBase.process`` of mediapipe 0.10.14, without the two costs that method adds to
        every frame (building a namedtuple class, converting the world landmarks nobody reads):
        about 0.6 ms of a 12 ms frame, identical landmarks (tests/pose checks both paths).
        """
        pose = self._pose
        t_us = round(frame.t_s * 1e6)
        if not self._direct:
            pose._simulated_timestamp = t_us - 33333  # process() adds 33333
            return pose.process(frame.image).pose_landmarks
        if frame.image.ndim != 3 or frame.image.shape[2] != 3:
            raise ValueError("Input image must contain three channel rgb data.")
        pose._simulated_timestamp = t_us
        pose._graph_outputs.clear()
        packet = pose._make_packet(self._packet_types.IMAGE_FRAME, frame.image).at(t_us)
        pose._graph.add_packet_to_input_stream(stream="image", packet=packet)
        pose._graph.wait_until_idle()
        output = pose._graph_outputs.get("pose_landmarks")
        if output is None or output.is_empty():
            return None
        return pose._get_packet_content(self._packet_types.PROTO, output)


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


def _has_graph_internals(pose: Any) -> bool:
    """Whether ``pose`` has the SolutionBase internals :meth:`MediaPipePose._landmarks_proto` uses
    (mediapipe 0.10.14 has them; another version falls back to the public ``process``)."""
    names = ("_graph", "_graph_outputs", "_make_packet", "_get_packet_content")
    return all(hasattr(pose, name) for name in names) and hasattr(pose, "_simulated_timestamp")


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
