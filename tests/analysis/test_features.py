"""The builder's geometry is what features.py measures; view, side and variation from it."""

from __future__ import annotations

import numpy as np
import pytest

from builders import rep_keyframes, side_series, smooth_keyframes, standing_series
from front_builder import front_series
from pushup_coach.features import choose_side, compute_features
from pushup_coach.posture import classify_variation, classify_view, in_position
from pushup_coach.skeleton import Landmark
from pushup_coach.types import PoseSeries, Side, Variation, View

KEYS = rep_keyframes(3)


@pytest.mark.parametrize(
    ("facing", "knee", "hip_dev", "head_dev"),
    [
        ("right", False, 0.0, 0.0),
        ("left", False, 0.0, 0.0),
        ("right", False, 0.10, 0.04),
        ("left", False, -0.15, 0.12),
        ("right", True, 0.06, 0.0),
        ("left", True, -0.05, 0.08),
    ],
    ids=["right", "left", "sag-right", "pike-head-left", "knee-sag", "knee-pike-left"],
)
def test_side_geometry_is_measured_exactly(
    facing: str, knee: bool, hip_dev: float, head_dev: float
) -> None:
    series = side_series(KEYS, facing=facing, knee=knee, hip_dev=hip_dev, head_dev=head_dev)
    side = Side.LEFT if facing == "right" else Side.RIGHT
    variation = Variation.KNEE if knee else Variation.FULL
    f = compute_features(series, side, View.SIDE, variation)
    want = smooth_keyframes(KEYS, series.t_s)
    assert np.max(np.abs(f.elbow_deg - want)) < 1.0
    assert np.max(np.abs(f.hip_dev_norm - hip_dev)) < 0.005
    assert np.max(np.abs(f.neck_dev_norm - head_dev)) < 0.005
    assert np.all(f.quality == pytest.approx(0.95))


def test_keyframed_hip_deviation_follows_the_keys() -> None:
    hip = [(0.0, 0.0), (3.0, 0.1), (7.0, -0.05)]
    series = side_series(KEYS, hip_dev=hip)
    f = compute_features(series, Side.LEFT, View.SIDE)
    assert np.max(np.abs(f.hip_dev_norm - smooth_keyframes(hip, series.t_s))) < 0.005


def test_front_geometry_is_measured_at_the_bottom() -> None:
    series = front_series(KEYS, hand_width_ratio=1.5, flare_deg=80.0)
    f = compute_features(series, Side.BOTH, View.FRONT, Variation.UNKNOWN)
    bottom = np.argmin(smooth_keyframes(KEYS, series.t_s))
    assert f.elbow_deg[bottom] == pytest.approx(85.0, abs=1.0)
    assert f.elbow_flare_deg[bottom] == pytest.approx(80.0, abs=1.0)
    assert np.nanmedian(f.hand_width_ratio) == pytest.approx(1.5, abs=1e-6)


def _leaning(series: PoseSeries, lean: float) -> PoseSeries:
    """The series with every point shifted forward in proportion to its height (a body lean)."""
    lm = series.landmarks.copy()
    w, h = series.size_wh
    lm[:, :, 0] += (np.nanmax(lm[:, :, 1]) - lm[:, :, 1]) * h / w * lean
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh)


@pytest.mark.parametrize(
    ("series", "view", "side", "variation"),
    [
        (side_series(KEYS, facing="right"), View.SIDE, Side.LEFT, Variation.FULL),
        (side_series(KEYS, facing="left"), View.SIDE, Side.RIGHT, Variation.FULL),
        (side_series(KEYS, knee=True), View.SIDE, Side.LEFT, Variation.KNEE),
        (side_series(KEYS, knee=True, facing="left"), View.SIDE, Side.RIGHT, Variation.KNEE),
        (front_series(KEYS), View.FRONT, Side.BOTH, Variation.FULL),
        (standing_series(), View.SIDE, Side.LEFT, Variation.UNKNOWN),
        (_leaning(standing_series(), 0.08), View.SIDE, Side.LEFT, Variation.UNKNOWN),
    ],
    ids=["side-right", "side-left", "knee", "knee-left", "front", "standing", "standing-lean"],
)
def test_view_side_and_variation(
    series: PoseSeries, view: View, side: Side, variation: Variation
) -> None:
    got_view = classify_view(series)
    got_side = Side.BOTH if got_view is View.FRONT else choose_side(series)
    assert (got_view, got_side) == (view, side)
    assert classify_variation(series, got_side, got_view) is variation


def _far_side_moved(series: PoseSeries, along: float, across: float) -> PoseSeries:
    """The series with the far (right) shoulder and hip moved by fractions of the torso length.

    ``along`` moves them along the torso, as when the camera turns toward the head; ``across``
    moves them across it, as when a raised camera looks down on the far side of the body.
    """
    lm = series.landmarks.copy()
    w, h = series.size_wh
    px = lm[:, :, :2] * np.array([w, h])
    torso = px[:, Landmark.LEFT_HIP] - px[:, Landmark.LEFT_SHOULDER]
    length = np.linalg.norm(torso, axis=-1, keepdims=True)
    unit = torso / length
    normal = np.stack([-unit[:, 1], unit[:, 0]], axis=-1)
    shift = (unit * along + normal * across) * length
    for joint in (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP):
        lm[:, joint, :2] = (px[:, joint] + shift) / np.array([w, h])
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh)


@pytest.mark.parametrize(
    ("along", "across", "view"),
    [(0.0, 0.0, View.SIDE), (0.0, 0.35, View.SIDE), (0.3, 0.0, View.OBLIQUE)],
    ids=["square", "raised-camera", "turned-camera"],
)
def test_a_turned_camera_is_oblique_and_a_raised_one_is_not(
    along: float, across: float, view: View
) -> None:
    series = _far_side_moved(side_series(KEYS), along, across)
    assert classify_view(series) is view


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (side_series(KEYS), True),
        (side_series(KEYS, knee=True), True),
        (front_series(KEYS), True),
        (side_series(KEYS, hip_dev=-0.25), False),  # downward dog, not a push-up
        (standing_series(), False),
        (_leaning(standing_series(), 0.08), False),
    ],
    ids=["full", "knee", "front", "downward-dog", "standing", "standing-lean"],
)
def test_in_position_on_every_frame(series: PoseSeries, expected: bool) -> None:
    view = classify_view(series)
    side = Side.BOTH if view is View.FRONT else choose_side(series)
    variation = classify_variation(series, side, view)
    f = compute_features(series, side, view, variation)
    mask = in_position(series, f, view, variation)
    assert mask.tolist() == [expected] * len(series)
