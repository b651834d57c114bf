"""How many frames a second live coaching poses: every frame while the machine keeps up, fewer on
purpose when it does not.

Posing a frame costs the pose model's time plus the coaching stages. When that cost is longer than
the camera's frame interval, frames pile up and the one-frame slot drops whichever arrive while
the model is busy, so the frames that do get posed are irregularly spaced and the causal filter,
tuned for the camera's rate, smooths the wrong amount. Instead :class:`PoseRate` measures the cost
(the median of the last ``COST_WINDOW`` frames, so one stall does not slow the rest of the
session; the very first frame, which pays for the model's warm-up, is left out) and poses every
``k``-th frame, ``k`` the smallest whole number of frame intervals that leaves ``HEADROOM`` over
the cost, and skips the frames in between on purpose. ``k`` grows as soon as the cost does and
shrinks back only when the cost has clearly fallen, so the rate does not flip on every frame.

Times are seconds on the clock the session runs on (``time.perf_counter`` or a test's virtual
clock).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from statistics import median

HEADROOM = 1.2  # pose interval / cost: room for the coaching stages and the odd slow frame
COST_WINDOW = 5  # posed frames whose median cost sets the rate
SHRINK_MARGIN = 0.25  # frame intervals the cost must fall below k - 1 before k shrinks
MIN_USEFUL_HZ = 8.0  # below this, a fast rep (about 0.5 s) is seen in fewer than 4 frames


@dataclass
class PoseRate:
    """Decides, frame by frame, which frames to pose (``take``) and learns from their cost."""

    fps: float
    every: int = 1  # pose every ``every``-th frame
    cost_s: float | None = None  # the median recent cost
    changes: list[tuple[float, float]] = field(default_factory=list)  # (t_s, new rate in Hz)
    _last_t_s: float | None = None
    _warmed_up: bool = False
    _costs: deque[float] = field(default_factory=lambda: deque(maxlen=COST_WINDOW))

    @property
    def interval_s(self) -> float:
        return self.every / self.fps

    @property
    def rate_hz(self) -> float:
        return self.fps / self.every

    def take(self, t_s: float) -> bool:
        """Whether to pose the frame at ``t_s`` (half a frame of tolerance for jittery stamps)."""
        if self._last_t_s is not None and t_s - self._last_t_s < self.interval_s - 0.5 / self.fps:
            return False
        self._last_t_s = t_s
        return True

    def record(self, t_s: float, cost_s: float) -> None:
        """Learn the cost (s) of posing the frame at ``t_s``; may change ``every``."""
        if not self._warmed_up:
            self._warmed_up = True  # the first frame also paid for loading the model
            return
        self._costs.append(cost_s)
        self.cost_s = median(self._costs)
        needed = self.cost_s * HEADROOM * self.fps  # frame intervals one pose takes
        grow = math.ceil(needed - 1e-9)
        if grow > self.every or needed < self.every - 1 - SHRINK_MARGIN:
            self.every = max(1, grow)
            self.changes.append((t_s, self.rate_hz))
