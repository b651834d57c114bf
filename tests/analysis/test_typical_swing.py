"""The adaptive swing threshold is not raised by an impossible swing.

On a fast contest clip filmed from the front at 320x240 (ucf101 correct62) the person was lost
for most of the first second; the arm length the motion is scaled by came from a few bent-arm
frames, so the first rep measured a swing of 3.7 arm lengths. As the person's "typical swing"
that asked 1.85 arm lengths of every later rep, and real ones of 1.1-1.6 were not counted.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pushup_coach.reps import MAX_TYPICAL_SWING, count_reps

FPS = 25.0


def motion_through(*extremes: float, frames: int = 10) -> np.ndarray:
    """A motion signal (arm lengths) moving smoothly (half cosines, ``frames`` each) through
    alternating tops and bottoms."""
    half = (1 - np.cos(np.linspace(0.0, np.pi, frames, endpoint=False))) / 2
    runs = [a + (b - a) * half for a, b in itertools.pairwise(extremes)]
    return np.concatenate([*runs, np.array(extremes[-1:])])


@pytest.mark.parametrize(
    ("first_top", "expected"),
    [(1.8, 4), (3.2, 4), (4.0, 4)],
    ids=["normal-first-rep", "artefact-3.7", "artefact-4.5"],
)
def test_an_artefact_first_rep_does_not_hide_the_next_ones(first_top: float, expected: int) -> None:
    motion = motion_through(first_top, -0.5, 1.8, 0.2, 1.4, 0.2, 1.3, 0.2, 1.2)
    t = np.arange(len(motion)) / FPS
    reps, _ = count_reps(t, motion, np.ones(len(t), dtype=bool))
    assert len(reps) == expected


def test_the_cap_is_above_any_real_swing() -> None:
    """Chest to the floor from straight arms is about one arm length; parallettes add a little."""
    assert 1.2 < MAX_TYPICAL_SWING <= 2.0
