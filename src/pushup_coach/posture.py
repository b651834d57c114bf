"""What the camera sees: the view, the push-up variation, and when the person is in position.

Conventions as in :mod:`pushup_coach.features` (pixels of the upright frame, y down, degrees).
Clip-level decisions use medians over frames with a person, so a few frames of walking into shot
do not decide them. "In position" is per frame: supported on the hands with the body far from
upright, which excludes standing, kneeling upright, walking and sitting between sets.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.features import (
    angle_deg,
    body_points,
    shoulder_width_ratio,
    signed_offset,
    yaw_ratio,
)
from pushup_coach.skeleton import Landmark
from pushup_coach.types import (
    BoolArray,
    FeatureSeries,
    FloatArray,
    PoseSeries,
    Side,
    Variation,
    View,
)

# Shoulder width / torso length: the torso is foreshortened from the front, so the ratio is
# large there (front views 1.3-3.3 on the shared clips, every other view below 0.7).
FRONT_MIN_WIDTH_RATIO = 0.9
# features.yaw_ratio above which the camera is turned toward the head or feet (about 15-20 deg):
# labelled side views reach 0.11, oblique ones 0.17 and up except one close-up at 0.12
# (docs/accuracy.md, "View"); 0.14 sits midway.
OBLIQUE_MIN_YAW_RATIO = 0.14
# Body incline (deg from horizontal) beyond which a floor push-up is not happening.
MAX_FLOOR_INCLINE_DEG = 50.0
WALL_MIN_INCLINE_DEG = 55.0
# A near-vertical body is a wall push-up only when the hands reach out from the body line
# (fraction of body length): standing with the arms hanging keeps the wrists close to it.
WALL_MIN_REACH = 0.12
# Hands above the feet (fraction of body length) that makes an incline; feet above hands a decline.
INCLINE_MIN_RISE = 0.25
DECLINE_MIN_RISE = 0.35
# Hips this far above the body line (fraction of body length) are a downward-dog rest or a pike
# stretch, not a push-up: twice the hip_pike threshold, so a piked push-up is still counted.
MAX_PIKE_IN_POSITION = 0.2
# Toes, not ankles, touch the floor: ankles sit above it by a heel's height.
TOES = {
    Side.LEFT: Landmark.LEFT_FOOT_INDEX,
    Side.RIGHT: Landmark.RIGHT_FOOT_INDEX,
    Side.BOTH: Landmark.LEFT_FOOT_INDEX,
}
# Knee angle (hip-knee-ankle) below which the knees are bent, as in a knee push-up.
KNEE_BENT_DEG = 145.0
FRONT_STRAIGHT_KNEE_DEG = 155.0


def _median(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def classify_view(series: PoseSeries) -> View:
    """``front`` from the shoulder-width / torso ratio, else ``oblique`` or ``side`` by yaw.

    Both are clip medians. A camera raised to look down on a side view widens the shoulders in
    the image as much as a turned one, so the side/oblique split uses only the turn
    (:func:`~pushup_coach.features.yaw_ratio`).
    """
    ratio = _median(shoulder_width_ratio(series))
    if not np.isfinite(ratio):
        return View.UNKNOWN
    if ratio > FRONT_MIN_WIDTH_RATIO:
        return View.FRONT
    yaw = _median(yaw_ratio(series))
    if not np.isfinite(yaw):
        return View.UNKNOWN
    return View.OBLIQUE if yaw > OBLIQUE_MIN_YAW_RATIO else View.SIDE


def classify_variation(series: PoseSeries, side: Side, view: View) -> Variation:
    """Wall, incline, knee, full or decline from body incline, hand/foot heights and knee bend."""
    if view is View.FRONT:
        return _front_variation(series)
    p = body_points(series, side)
    body = np.linalg.norm(p["ankle"] - p["shoulder"], axis=-1)
    dx = np.abs(p["ankle"][:, 0] - p["shoulder"][:, 0])
    incline = _median(np.degrees(np.arctan2(p["ankle"][:, 1] - p["shoulder"][:, 1], dx)))
    if not np.isfinite(incline):
        return Variation.UNKNOWN
    if incline >= WALL_MIN_INCLINE_DEG:
        reach = _median(hands_reach_norm(series, side))
        return Variation.WALL if reach >= WALL_MIN_REACH else Variation.UNKNOWN
    knee = _median(angle_deg(p["hip"], p["knee"], p["ankle"]))
    if np.isfinite(knee) and knee < KNEE_BENT_DEG:
        return Variation.KNEE
    toes = series.pixels()[:, TOES[side]]
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = _median((toes[:, 1] - p["wrist"][:, 1]) / body)  # > 0: hands above feet
    if rise > INCLINE_MIN_RISE:
        return Variation.INCLINE
    if rise < -DECLINE_MIN_RISE:
        return Variation.DECLINE
    return Variation.FULL


def hands_reach_norm(series: PoseSeries, side: Side) -> FloatArray:
    """(T,) distance of the wrist from the shoulder-ankle line / that line's length (pixels)."""
    p = body_points(series, side)
    body = np.linalg.norm(p["ankle"] - p["shoulder"], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.abs(signed_offset(p["wrist"], p["shoulder"], p["ankle"])) / body


def _front_variation(series: PoseSeries) -> Variation:
    """Knee or full from the front, by the knee angle in 3-D (image x, y and BlazePose's z).

    From the front the legs run away from the camera, so the 2-D knee angle is foreshortened;
    BlazePose's relative depth keeps a straight leg near 180 degrees. Incline and decline cannot
    be told from full push-ups from the front, so a straight-legged push-up is reported as full.
    """
    angles = [
        _median(angle_deg(p["hip"], p["knee"], p["ankle"]))
        for p in (body_points(series, s, with_z=True) for s in (Side.LEFT, Side.RIGHT))
    ]
    knee = float(np.nanmean(angles)) if np.isfinite(angles).any() else float("nan")
    if not np.isfinite(knee):
        return Variation.UNKNOWN
    if knee >= FRONT_STRAIGHT_KNEE_DEG:
        return Variation.FULL
    return Variation.KNEE if knee < KNEE_BENT_DEG else Variation.UNKNOWN


def in_position(
    series: PoseSeries, features: FeatureSeries, view: View, variation: Variation
) -> BoolArray:
    """(T,) True where the person is supported on the hands in a push-up (any phase of a rep)."""
    ok = np.isfinite(features.elbow_deg) & (features.quality >= 0.3)
    if view is View.FRONT:
        ratio = shoulder_width_ratio(series)
        with np.errstate(invalid="ignore"):
            # Or a body seen side-on, level and not piked: a second camera of an edited session.
            side_on = (np.abs(features.body_incline_deg) < MAX_FLOOR_INCLINE_DEG) & ~(
                features.hip_dev_norm < -MAX_PIKE_IN_POSITION
            )
            return np.asarray(ok & ((ratio > 0.6 * FRONT_MIN_WIDTH_RATIO) | side_on), dtype=bool)
    incline = np.abs(features.body_incline_deg)
    limit = 90.0 if variation is Variation.WALL else MAX_FLOOR_INCLINE_DEG
    with np.errstate(invalid="ignore"):
        supported = (incline < limit) & ~(features.hip_dev_norm < -MAX_PIKE_IN_POSITION)
        if variation is Variation.WALL:
            # Either arm reaching out will do: the mask does not know which side faces the camera.
            reach = np.fmax(
                hands_reach_norm(series, Side.LEFT), hands_reach_norm(series, Side.RIGHT)
            )
            supported &= reach >= WALL_MIN_REACH
    return np.asarray(ok & supported, dtype=bool)


def position_blips(
    t_s: FloatArray, in_pos: BoolArray, present: BoolArray, max_s: float
) -> BoolArray:
    """(T,) True on frames of out-of-position spells shorter than ``max_s`` seconds that have
    in-position frames on both sides: someone else tracked for a moment, not a rest."""
    out = np.zeros(len(t_s), dtype=bool)
    bad = present & ~in_pos
    i = 0
    while i < len(t_s):
        if not bad[i]:
            i += 1
            continue
        j = i
        while j < len(t_s) and bad[j]:
            j += 1
        bounded = i > 0 and j < len(t_s) and in_pos[i - 1] and in_pos[j]
        if bounded and t_s[j] - t_s[i - 1] < max_s:
            out[i:j] = True
        i = j
    return out
