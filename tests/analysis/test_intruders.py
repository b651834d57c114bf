"""Messy footage: someone passing in front of the camera, a bumped camera.

(Real rests between sets are in test_reps.py.)
"""

from __future__ import annotations

import pytest

from builders import analyze, rep_keyframes, side_series, standing_series
from pushup_coach.types import PoseSeries

SIX = rep_keyframes(6)


def _swap(series: PoseSeries, start_s: float, stop_s: float, other: PoseSeries) -> PoseSeries:
    """Frames in [start_s, stop_s) show ``other`` instead (the tracker jumped to someone else)."""
    lm = series.landmarks.copy()
    window = (series.t_s >= start_s) & (series.t_s < stop_s)
    lm[window] = other.landmarks[: int(window.sum())]
    return PoseSeries(series.t_s, lm, series.size_wh)


def _shifted(series: PoseSeries, start_s: float, stop_s: float, dx: float, dy: float) -> PoseSeries:
    """The camera knocked: every landmark moves by (dx, dy) of the frame from ``start_s`` on,
    and back at ``stop_s``."""
    lm = series.landmarks.copy()
    window = (series.t_s >= start_s) & (series.t_s < stop_s)
    lm[window, :, 0] += dx
    lm[window, :, 1] += dy
    return PoseSeries(series.t_s, lm, series.size_wh)


@pytest.mark.parametrize(
    ("start_s", "stop_s"),
    [(1.0, 1.3), (2.2, 2.5), (3.0, 3.5), (4.0, 4.2)],
    ids=["at-a-top", "on-the-way-down", "at-a-bottom", "on-the-way-up"],
)
def test_a_second_person_tracked_for_a_moment_changes_nothing(
    start_s: float, stop_s: float
) -> None:
    base = side_series(SIX)
    report = analyze(_swap(base, start_s, stop_s, standing_series(10.0)))
    assert report.rep_count == 6
    assert [len(s.rep_indices) for s in report.sets] == [6]
    assert report.partial_reps == ()


@pytest.mark.parametrize(
    ("start_s", "stop_s", "dx", "dy"),
    [(2.0, 2.3, 0.05, -0.03), (3.0, 99.0, -0.04, 0.02)],
    ids=["shake", "moved-for-good"],
)
def test_a_bumped_camera_keeps_the_count(
    start_s: float, stop_s: float, dx: float, dy: float
) -> None:
    report = analyze(_shifted(side_series(SIX), start_s, stop_s, dx, dy))
    assert report.rep_count == 6
