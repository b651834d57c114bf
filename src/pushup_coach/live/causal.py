"""Causal (one frame at a time) smoothing of landmark rows for live coaching.

Offline analysis filters forward and backward (zero phase), which needs the future. Live coaching
only has the past, so each coordinate runs through the same 2nd-order Butterworth low-pass
forwards only: the same cut-off, half the attenuation, and a delay of about
``sqrt(2) / (2 pi cutoff)`` (75 ms at 3 Hz). A landmark that disappears comes back as NaN;
after a gap longer than ``max_gap_s`` its filter restarts at the new value rather than gliding
from where the person was before.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.types import BoolArray, FloatArray


class CausalSmoother:
    """Filters (33, 4) landmark rows (x, y, z smoothed; visibility passed through)."""

    def __init__(self, fps: float, cutoff_hz: float, max_gap_s: float) -> None:
        from scipy.signal import butter  # slow to import; only live coaching needs it here

        nyquist = max(fps, 1.0) / 2.0
        b, a = butter(2, min(cutoff_hz / nyquist, 0.95), btype="low")
        self._b = np.asarray(b, dtype=np.float64)
        self._a = np.asarray(a, dtype=np.float64)
        self._max_gap_s = max_gap_s
        # Transposed direct form II state, two delays per coordinate: (2, 33, 3).
        self._state = np.full((2, N_LANDMARKS, 3), np.nan)
        self._last_seen_s = np.full((N_LANDMARKS,), -np.inf)

    def update(self, t_s: float, landmarks: FloatArray | None) -> FloatArray:
        """The smoothed (33, 4) row for the raw row at ``t_s`` (None or NaN rows: not seen)."""
        out = np.full((N_LANDMARKS, 4), np.nan)
        if landmarks is None:
            return out
        raw = np.asarray(landmarks, dtype=np.float64)
        seen: BoolArray = np.asarray(np.isfinite(raw[:, :3]).all(axis=1), dtype=bool)
        restart = seen & (t_s - self._last_seen_s > self._max_gap_s)
        self._reset(restart, raw)
        x = raw[:, :3]
        b, a, z = self._b, self._a, self._state
        y = b[0] * x + z[0]
        new0 = b[1] * x - a[1] * y + z[1]
        new1 = b[2] * x - a[2] * y
        z[0] = np.where(seen[:, None], new0, z[0])
        z[1] = np.where(seen[:, None], new1, z[1])
        out[seen, :3] = y[seen]
        out[seen, 3] = raw[seen, 3]
        self._last_seen_s[seen] = t_s
        return out

    def restart(self) -> None:
        """Forget the past: every landmark's filter starts afresh at its next value."""
        self._last_seen_s[:] = -np.inf

    def _reset(self, joints: BoolArray, raw: FloatArray) -> None:
        """Start the filters of ``joints`` in steady state at their current value."""
        if not joints.any():
            return
        b, a = self._b, self._a
        # Steady state of the transposed direct form II for a constant input x (output x too).
        x = raw[joints, :3]
        self._state[1, joints] = (b[2] - a[2]) * x
        self._state[0, joints] = (b[1] - a[1]) * x + self._state[1, joints]
