"""Rep counting, partial attempts and sets, on built series through the whole pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from builders import STANDING_BLEND_S, analyze, duration_of, rep_keyframes, side_series, then
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.reps import RepCounter, count_reps
from pushup_coach.types import PoseSeries

K = rep_keyframes
CUT = "cut off by the end of the clip"
START = "clip starts mid-rep"
NOT_FULL = "did not go down and up fully"
LOST = "left push-up position or tracking lost"
RESUMED = "resumed mid-rep after tracking or position was lost"


def _ends_mid_descent() -> list[tuple[float, float]]:
    keys = K(3)
    return [*keys[:-1], (keys[-2][0] + 0.5, 100.0)]


def _pause_between(pause_s: float) -> list[tuple[float, float]]:
    first = K(1)
    return then(first, [(0.0, 170.0), *[(t + pause_s, v) for t, v in K(2)]])


def _pause_between_sets(pause_s: float) -> list[tuple[float, float]]:
    """Three reps, ``pause_s`` held in plank at the top, three more reps."""
    return then(then(K(3), [(0.0, 170.0), (pause_s, 170.0)]), K(3))


def _sets_with_rest(rest_s: float) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Two sets of 3 with ``rest_s`` standing between them; returns keys and the standing window."""
    one = K(3)
    keys = then(then(one, [(0.0, 170.0), (rest_s, 170.0)]), K(3))
    end = duration_of(one)
    return keys, (end + 0.5, end + rest_s - 0.5)


REST_KEYS, REST_WINDOW = _sets_with_rest(10.0)

CASES = [
    # id, series, reps, set index per rep, partial reasons
    ("three", side_series(K(3)), 3, [0, 0, 0], []),
    ("three-left", side_series(K(3), facing="left"), 3, [0, 0, 0], []),
    ("starts-at-bottom", side_series(K(3, start_at_bottom=True)), 3, [0, 0, 0], [START]),
    ("ends-mid-descent", side_series(_ends_mid_descent()), 3, [0, 0, 0], [CUT]),
    ("pause-3s-at-top", side_series(_pause_between(3.0)), 3, [0, 0, 0], []),
    ("half-reps", side_series(K(3, bottom_deg=140)), 0, [], [NOT_FULL] * 3),
    ("jitter-3px", side_series(K(3), jitter_px=3.0, seed=7), 3, [0, 0, 0], []),
    ("gap-0.2s-in-rep", side_series(K(3), gaps=[(1.2, 1.4)]), 3, [0, 0, 0], []),
    (
        "gap-0.8s-in-rep",
        side_series(K(3, bottom_deg=60), gaps=[(1.1, 1.9)]),
        2,
        [0, 0],
        [LOST, RESUMED],
    ),
    (
        "gap-1s-at-top",
        side_series(K(3, top_hold_s=1.6), gaps=[(3.9, 4.9)]),
        3,
        [0, 1, 1],
        [],
    ),
    (
        "rest-10s-standing",
        side_series(REST_KEYS, standing=[REST_WINDOW]),
        6,
        [0, 0, 0, 1, 1, 1],
        [],
    ),
    ("rest-10s-at-top", side_series(_pause_between_sets(10.0)), 6, [0, 0, 0, 1, 1, 1], []),
    (
        "rest-10s-at-top-jitter",
        side_series(_pause_between_sets(10.0), jitter_px=2.0, seed=3),
        6,
        [0, 0, 0, 1, 1, 1],
        [],
    ),
    ("walk-in-3s", side_series(K(3), walk_in_s=3.0), 3, [0, 0, 0], []),
    ("slow-6s-reps", side_series(K(2, down_s=3.0, up_s=3.0)), 2, [0, 0], []),
    ("knee", side_series(K(3), knee=True), 3, [0, 0, 0], []),
    ("fps-15", side_series(K(3), fps=15.0), 3, [0, 0, 0], []),
    ("fps-24", side_series(K(3), fps=24.0), 3, [0, 0, 0], []),
    ("fps-29.97", side_series(K(3), fps=30000 / 1001), 3, [0, 0, 0], []),
    ("fps-60", side_series(K(3), fps=60.0), 3, [0, 0, 0], []),
    ("no-top-hold", side_series(K(3, top_hold_s=0.0, down_s=0.4, up_s=0.4)), 3, [0, 0, 0], []),
    ("ten-reps", side_series(K(10, down_s=0.6, up_s=0.6, top_hold_s=0.1)), 10, [0] * 10, []),
    ("downward-dog", side_series(K(3), hip_dev=-0.25), 0, [], []),
]


@pytest.mark.parametrize(
    ("series", "reps", "sets", "partials"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_rep_count_sets_and_partials(
    series: PoseSeries, reps: int, sets: list[int], partials: list[str]
) -> None:
    report = analyze(series)
    assert report.rep_count == reps
    assert [r.rep.set_index for r in report.reps] == sets
    assert [p.reason for p in report.partial_reps] == partials
    assert len(report.sets) == len(set(sets))


def test_nothing_is_counted_during_a_standing_rest() -> None:
    report = analyze(side_series(REST_KEYS, standing=[REST_WINDOW]))
    start, stop = REST_WINDOW  # the person is fully upright STANDING_BLEND_S inside these
    upright = (start + STANDING_BLEND_S, stop - STANDING_BLEND_S)
    assert all(r.rep.end_s <= upright[0] or r.rep.start_s >= upright[1] for r in report.reps)
    assert [(s.index, s.rep_indices) for s in report.sets] == [(0, (0, 1, 2)), (1, (3, 4, 5))]


def test_walking_in_is_not_counted_and_the_first_rep_starts_after_it() -> None:
    report = analyze(side_series(K(3), walk_in_s=3.0))
    assert report.reps[0].rep.start_s >= 3.0 - 0.5


def test_a_pause_longer_than_set_rest_starts_a_new_set() -> None:
    report = analyze(side_series(_pause_between(DEFAULT_CONFIG.set_rest_s + 2.0)))
    assert [r.rep.set_index for r in report.reps] == [0, 1, 1]


@pytest.mark.parametrize(
    ("down_s", "fault"),
    [(0.1, "found"), (0.3, "uncertain"), (1.0, "absent")],
    ids=["drop-0.1s", "drop-0.3s", "controlled-1s"],
)
def test_too_fast(down_s: float, fault: str) -> None:
    report = analyze(side_series(K(3, bottom_deg=60, down_s=down_s, up_s=0.8)))
    assert report.rep_count == 3
    found = ["too_fast" in r.to_dict()["faults"] for r in report.reps]
    uncertain = ["too_fast" in r.to_dict()["uncertain"] for r in report.reps]
    assert found == [fault == "found"] * 3
    assert uncertain == [fault == "uncertain"] * 3


def _angles(keys: list[tuple[float, float]], fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    from builders import smooth_keyframes

    t = np.arange(0.0, duration_of(keys), 1.0 / fps)
    return t, smooth_keyframes(keys, t)


def _motion(elbow_deg: np.ndarray) -> np.ndarray:
    """The motion signal of a side-view push-up with equal upper arm and forearm: shoulder to
    wrist = sin(elbow / 2) arm lengths (the shoulder straight above the hands)."""
    return np.sin(np.radians(elbow_deg) / 2)


@pytest.mark.parametrize(
    ("keys", "reps", "partials"),
    [
        (K(3), 3, []),
        (K(3, bottom_deg=140), 0, [NOT_FULL] * 3),
        (K(3, start_at_bottom=True), 3, [START]),
        (K(1, top_deg=170, bottom_deg=110), 1, []),  # swing 0.18 arm lengths >= 0.15
        (K(1, top_deg=170, bottom_deg=125), 0, [NOT_FULL]),  # swing 0.11 < rep_min_range
        (K(2)[:-1], 2, []),  # ends as the arms straighten: the rep counted on the way up
        ([*K(2)[:-2], (K(2)[-3][0] + 0.5, 110.0)], 1, [CUT]),  # ends on the way up
        # 0.2 s top to top; the last one ends nearly back at the top (within the hysteresis)
        (K(2, down_s=0.1, up_s=0.1, top_hold_s=0.0), 0, [NOT_FULL, NOT_FULL]),
    ],
    ids=[
        "three",
        "half",
        "mid-rep-start",
        "swing-0.18",
        "swing-0.11",
        "ends-at-top",
        "ends-pushing",
        "too-quick",
    ],
)
def test_count_reps_on_clean_angles(
    keys: list[tuple[float, float]], reps: int, partials: list[str]
) -> None:
    t, elbow = _angles(keys)
    got, parts = count_reps(t, _motion(elbow), np.ones(len(t), dtype=bool), elbow_deg=elbow)
    assert len(got) == reps
    assert [p.reason for p in parts] == partials


def test_counter_counts_a_rep_during_the_push_not_at_the_next_top() -> None:
    """Live feedback: the rep is counted on the way up, before the arms are straight again."""
    t, elbow = _angles(K(1))
    counter = RepCounter()
    motion = _motion(elbow)
    counted_at = [i for i in range(len(t)) if counter.update(i, t[i], motion[i], True, elbow[i])]
    assert len(counted_at) == 1
    bottom = int(np.argmin(elbow))
    top_again = bottom + int(np.argmax(elbow[bottom:] >= 169.9))
    assert bottom < counted_at[0] < top_again
    assert counter.reps[0].bottom_i == bottom


@pytest.mark.parametrize(
    ("min_s", "max_s", "reps"),
    [(0.4, 12.0, 0), (0.1, 12.0, 2), (0.0, 0.3, 2), (0.0, 0.05, 0)],
    ids=["default-min", "lower-min", "max-0.3", "max-0.05"],
)
def test_rep_duration_limits(min_s: float, max_s: float, reps: int) -> None:
    t, elbow = _angles(K(2, down_s=0.1, up_s=0.1, top_hold_s=0.0), fps=120.0)
    config = DEFAULT_CONFIG.replace(rep_min_duration_s=min_s, rep_max_duration_s=max_s)
    got, _ = count_reps(t, _motion(elbow), np.ones(len(t), dtype=bool), config, elbow_deg=elbow)
    assert len(got) == reps


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_jitter_does_not_change_the_count(seed: int) -> None:
    """Raw (unsmoothed) motion with Gaussian noise of 0.015 arm lengths and elbow angles with
    3 deg: the hysteresis absorbs it. (Noise dips at the top can still be listed as shallow
    partial attempts.)"""
    t, elbow = _angles(K(3))
    rng = np.random.default_rng(seed)
    motion = _motion(elbow) + rng.normal(0.0, 0.015, size=elbow.shape)
    noisy = elbow + rng.normal(0.0, 3.0, size=elbow.shape)
    reps, partials = count_reps(t, motion, np.ones(len(t), dtype=bool), elbow_deg=noisy)
    assert [r.bottom_s for r in reps] == pytest.approx([1.5, 4.0, 6.5], abs=0.2)
    assert all(p.min_elbow_deg is not None and p.min_elbow_deg > 150 for p in partials)
