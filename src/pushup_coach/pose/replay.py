"""A pose backend that replays stored landmarks, so the video pipeline runs without the model.

Like httpx's ``MockTransport``: tests and cached analyses feed frames through the same code path as
the real model, and get back the landmarks recorded for each frame's time.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.errors import PoseBackendError
from pushup_coach.types import FloatArray, Frame, PoseSeries


class ReplayBackend:
    """Returns ``series``' landmarks for the row whose ``t_s`` is nearest the frame's.

    The row must lie within half a frame interval (the series' median step) of the frame; a frame
    with no such row is an error, not a silent gap. Rows that are all NaN replay as ``None``.
    """

    name = "replay"

    def __init__(self, series: PoseSeries, name: str = "replay") -> None:
        if len(series) == 0:
            raise PoseBackendError("cannot replay an empty pose series; record some frames first")
        self.name = name
        self._series = series
        self._t_s = np.asarray(series.t_s, dtype=np.float64)
        step_s = float(np.median(np.diff(self._t_s))) if len(series) > 1 else 1.0
        self._tolerance_s = step_s / 2

    def estimate(self, frame: Frame) -> FloatArray | None:
        """(33, 4) landmarks stored for ``frame.t_s``, or None where the series has a gap."""
        row = self._nearest_row(frame.t_s)
        if abs(self._t_s[row] - frame.t_s) > self._tolerance_s:
            raise PoseBackendError(
                f"replayed landmarks have no frame near t={frame.t_s:.3f} s (nearest "
                f"{self._t_s[row]:.3f} s); were they recorded from this video?"
            )
        landmarks = self._series.landmarks[row]
        if np.isnan(landmarks[:, 0]).all():
            return None
        return np.array(landmarks, dtype=np.float64)

    def close(self) -> None:
        """Nothing to release."""

    def _nearest_row(self, t_s: float) -> int:
        right = int(np.searchsorted(self._t_s, t_s))
        if right == 0:
            return 0
        if right == len(self._t_s):
            return right - 1
        left = right - 1
        return left if t_s - self._t_s[left] <= self._t_s[right] - t_s else right
