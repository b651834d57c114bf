"""Hand width is measured only where both wrists and shoulders are seen.

BlazePose still places a wrist it cannot see; on a 320x240 front clip (luizfcharry's) it put the
planted hands 0.4 shoulder widths apart on the three reps where the wrists were lost, 1.6 on the
seven others, and "hands too narrow" was reported. A rep with too few measured frames is "not
assessed" for hand width (so never clean), not judged on guessed wrists.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from builders import analyze, rep_keyframes
from front_builder import front_series
from pushup_coach.skeleton import Landmark
from pushup_coach.types import Fault, PoseSeries, RepVerdict

WRISTS = [Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST]


def with_lost_wrists(series: PoseSeries, lo_s: float, hi_s: float, width: float) -> PoseSeries:
    """The wrists hidden (visibility 0.1) between ``lo_s`` and ``hi_s``, and misplaced there
    ``width`` x the shoulders' distance apart."""
    lm = series.landmarks.copy()
    span = (series.t_s >= lo_s) & (series.t_s < hi_s)
    sh = lm[:, [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER], 0]
    centre, half = sh.mean(axis=1), np.abs(sh[:, 0] - sh[:, 1]) / 2
    lm[span, Landmark.LEFT_WRIST, 0] = (centre + width * half * np.sign(sh[:, 0] - centre))[span]
    lm[span, Landmark.RIGHT_WRIST, 0] = (centre + width * half * np.sign(sh[:, 1] - centre))[span]
    lm[np.ix_(span, WRISTS, [3])] = 0.1
    return dataclasses.replace(series, landmarks=lm)


def test_a_rep_whose_wrists_were_lost_is_not_judged_on_them() -> None:
    keys = rep_keyframes(3)
    series = front_series(keys, hand_width_ratio=1.5)
    report = analyze(series)
    assert report.rep_count == 3
    second = report.reps[1].rep
    lost = with_lost_wrists(series, second.start_s, second.end_s, width=0.4)
    got = analyze(lost)
    widths = [r.metrics.hand_width_ratio for r in got.reps]
    assert widths[0] is not None and abs(widths[0] - 1.5) < 0.05
    assert widths[1] is None  # not 0.4
    assert widths[2] is not None and abs(widths[2] - 1.5) < 0.05
    assert all(Fault.HANDS_NARROW not in r.faults for r in got.reps)
    assert Fault.HANDS_NARROW in got.reps[1].not_assessed
    assert got.reps[1].verdict is RepVerdict.NOT_CHECKED


def test_wrists_seen_in_most_of_a_rep_still_measure_it() -> None:
    keys = rep_keyframes(3)
    series = front_series(keys, hand_width_ratio=0.6)
    second = analyze(series).reps[1].rep
    brief = with_lost_wrists(series, second.bottom_s - 0.2, second.bottom_s + 0.2, width=1.5)
    got = analyze(brief).reps[1]
    assert got.metrics.hand_width_ratio is not None
    assert abs(got.metrics.hand_width_ratio - 0.6) < 0.05
    assert Fault.HANDS_NARROW in got.faults
