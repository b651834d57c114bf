"""The body's push-up motion as one number per frame, for counting reps in any view and variation.

A push-up moves the shoulders toward the hands and back. Per frame, the shoulder's position
relative to the wrist (2-D, image pixels of the upright frame, y down) is divided by the arm's
length (upper arm + forearm, the median over the trailing window), and projected on the main axis
along which that vector moved over the trailing ``MOTION_WINDOW_S`` seconds (the larger principal
axis of its covariance), oriented so that a larger value means the shoulder farther from the hands.
The result is in arm lengths: high at the top of a rep, low at the bottom.

Why not the elbow angle alone: the elbow is the joint BlazePose tracks worst (it flips to the
wrong side on a bar, hides behind the body), a front camera foreshortens it, and in a decline or
a fast, shallow contest rep it swings little while the shoulders still go down and up. The main
axis follows the motion whatever its direction: vertical for floor, knee and decline push-ups,
horizontal for a wall push-up, toward the camera's image centre for one seen from above.

Every value uses only the frames at or before it (a trailing window), so live coaching computes
the same number from the frames it has seen as offline analysis does from the whole series.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pushup_coach.features import body_points
from pushup_coach.types import BoolArray, FloatArray, PoseSeries, Side

MOTION_WINDOW_S = 10.0  # seconds of past frames that set the arm length and the axis of motion
MIN_WINDOW_FRAMES = 2
# Variance (arm lengths squared) the axis of motion starts with along the shoulder-to-hand line:
# until the shoulders have moved more than about this (0.1 arm length, several times the jitter
# of a still pose), the signal is their distance from the hands, so the first frames of a clip
# or of a rest are not projected on an axis that only jitter chose.
AXIS_PRIOR_VAR = 0.01


def shoulder_offset(series: PoseSeries, side: Side) -> tuple[FloatArray, FloatArray]:
    """(T, 2) shoulder minus wrist and (T,) arm length (upper arm + forearm), in pixels.

    ``Side.BOTH`` averages the two arms' offsets (front and top views see both).
    """
    p = body_points(series, side)
    offset = p["shoulder"] - p["wrist"]
    arm = np.linalg.norm(p["shoulder"] - p["elbow"], axis=-1) + np.linalg.norm(
        p["elbow"] - p["wrist"], axis=-1
    )
    return offset, arm


def motion_signal(
    series: PoseSeries,
    side: Side,
    in_position: BoolArray | None = None,
    window_s: float = MOTION_WINDOW_S,
) -> FloatArray:
    """(T,) shoulder distance from the hands along the main axis of motion, in arm lengths.

    Only the frames ``in_position`` (T,) (all when None) set the arm length and the axis, so
    standing up, walking in or kneeling between sets do not tilt the axis of the push-ups.
    NaN where the shoulder, elbow or wrist is not seen. See the module docstring.
    """
    n = len(series)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    offset, arm = shoulder_offset(series, side)
    use = np.ones(n, dtype=bool) if in_position is None else np.asarray(in_position, dtype=bool)
    frames = max(MIN_WINDOW_FRAMES, round(window_s * series.fps)) if n > 1 else 1
    scale = _trailing_median(np.where(use, arm, np.nan), frames)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = offset / scale[:, None]
    seen = np.isfinite(v).all(axis=1)
    counted = seen & use
    axis = _trailing_axis(np.where(counted[:, None], v, 0.0), counted, frames)
    ok = seen & np.isfinite(axis).all(axis=1)
    out[ok] = np.sum(v[ok] * axis[ok], axis=1)
    return out


def motion_at_end(series: PoseSeries, side: Side, in_position: BoolArray) -> float:
    """``motion_signal(series, side, in_position)[-1]`` for a series no longer than the trailing
    window, computed for the last frame only (live coaching calls it once per frame)."""
    if len(series) == 0:
        return float("nan")
    offset, arm = shoulder_offset(series, side)
    use = np.asarray(in_position, dtype=bool)
    arms = arm[use & np.isfinite(arm)]
    if not arms.size:
        return float("nan")
    v = offset / float(np.median(arms))
    counted = use & np.isfinite(v).all(axis=1)
    if not np.isfinite(v[-1]).all() or not counted.any():
        return float("nan")
    axis = _trailing_axis(np.where(counted[:, None], v, 0.0), counted, len(series))[-1]
    return float(np.dot(v[-1], axis)) if np.isfinite(axis).all() else float("nan")


def _trailing_median(values: FloatArray, frames: int) -> FloatArray:
    """(T,) median of the finite values among each frame and the ``frames - 1`` before it."""
    padded = np.concatenate([np.full(frames - 1, np.nan), values])
    windows = sliding_window_view(padded, frames)
    finite = np.isfinite(windows).any(axis=1)
    out = np.full(len(values), np.nan)
    if finite.any():
        out[finite] = np.nanmedian(windows[finite], axis=1)
    return out


def _trailing_axis(v: FloatArray, seen: BoolArray, frames: int) -> FloatArray:
    """(T, 2) unit principal axis of the seen rows of (T, 2) ``v`` over each trailing window,
    signed to point along the window's mean of ``v`` (away from the hands)."""
    w = seen.astype(np.float64)
    cols = [w, v[:, 0], v[:, 1], v[:, 0] ** 2, v[:, 1] ** 2, v[:, 0] * v[:, 1]]
    sums = [_trailing_sum(c * (w if k else 1.0), frames) for k, c in enumerate(cols)]
    count, sx, sy, sxx, syy, sxy = sums
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / count, sy / count
        prior = AXIS_PRIOR_VAR / (mx**2 + my**2)
        cxx = sxx / count - mx**2 + prior * mx**2
        cyy = syy / count - my**2 + prior * my**2
        cxy = sxy / count - mx * my + prior * mx * my
    # Larger eigenvector of [[cxx, cxy], [cxy, cyy]]: angle 0.5 * atan2(2 cxy, cxx - cyy).
    theta = 0.5 * np.arctan2(2 * cxy, cxx - cyy)
    axis = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    flip = axis[:, 0] * mx + axis[:, 1] * my < 0
    axis[flip] *= -1.0
    return axis


def _trailing_sum(values: FloatArray, frames: int) -> FloatArray:
    """(T,) sum of each value and the ``frames - 1`` before it."""
    total = np.cumsum(np.concatenate([[0.0], values]))
    idx = np.arange(1, len(values) + 1)
    return total[idx] - total[np.maximum(0, idx - frames)]
