"""Lockout is judged at a top the camera saw: a clip that begins mid-rep has no seen top before
its first rep, so that rep is judged at the top it ends on (calimiro/push-up_4 and a kaggle
knee clip were flagged no_lockout at 131 and 87 degrees: their first frames)."""

from __future__ import annotations

import numpy as np
import pytest

from pushup_coach.form.metrics import TOP_WINDOW, lockout_top_deg
from pushup_coach.types import Rep

NAN = float("nan")


def rep(start_i: int, bottom_i: int, end_i: int) -> Rep:
    return Rep(0, start_i, bottom_i, end_i, start_i / 15, bottom_i / 15, end_i / 15)


def elbow(*segments: tuple[float, float, int]) -> np.ndarray:
    """Elbow angles: linear runs (from, to, frames), joined."""
    return np.concatenate([np.linspace(a, b, n) for a, b, n in segments])


# 0..9 top at 170 -> bottom 80 at 19 -> top 170 at 29 -> more frames to 39
FULL = elbow((170, 170, 10), (170, 80, 10), (80, 170, 10), (170, 170, 10))
# the clip starts at the bottom: first frame 90, up to 170 by frame 9, down, up
MID = elbow((90, 170, 10), (170, 80, 10), (80, 170, 10), (170, 170, 10))


@pytest.mark.parametrize(
    ("angles", "the_rep", "expected"),
    [
        (FULL, rep(9, 19, 29), 170.0),  # a seen top: judged where the rep starts
        (MID, rep(0, 19, 29), 170.0),  # no seen top before it: the end top
        (MID[:31], rep(0, 19, 29), None),  # and the clip ends there too: not assessed
        (np.r_[np.full(5, NAN), MID], rep(5, 24, 34), 170.0),  # the person appears mid-rep
        (np.r_[np.full(5, NAN), FULL[: 20 + TOP_WINDOW]], rep(14, 24, 24), 170.0),
        (np.full(10, NAN), rep(2, 4, 6), None),  # nothing measured
    ],
)
def test_lockout_is_judged_at_a_top_the_camera_saw(
    angles: np.ndarray, the_rep: Rep, expected: float | None
) -> None:
    got = lockout_top_deg(angles, the_rep)
    assert got == (None if expected is None else pytest.approx(expected, abs=0.5))
