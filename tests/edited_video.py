"""Edited videos from built series: the same person seen by another camera after a hard cut."""

from __future__ import annotations

import numpy as np

from pushup_coach.types import PoseSeries


def other_camera(series: PoseSeries, dx: float, scale: float) -> PoseSeries:
    """The same landmarks seen by another camera: shifted by ``dx`` of the width and scaled
    about the picture's centre."""
    lm = series.landmarks.copy()
    lm[:, :, 0] = 0.5 + (lm[:, :, 0] - 0.5) * scale + dx
    lm[:, :, 1] = 0.5 + (lm[:, :, 1] - 0.5) * scale
    return PoseSeries(series.t_s, lm, series.size_wh, series.source)


def edited(first: PoseSeries, second: PoseSeries) -> PoseSeries:
    """``first`` then, after a hard cut, ``second`` from another camera angle."""
    other = other_camera(second, -0.3, 0.6)
    t = np.concatenate([first.t_s, first.t_s[-1] + 1 / 30 + second.t_s])
    lm = np.concatenate([first.landmarks, other.landmarks])
    return PoseSeries(t, lm, first.size_wh, "edited")
