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
    floor_sign,
    seen_mask,
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
# A body steeper than this is a wall push-up; between MAX_FLOOR_INCLINE_DEG and this it is a
# steep incline (hands on a bar or a bench): a steep incline on a bar measured 59 deg, wall
# push-ups stand at 70-85 deg.
WALL_MIN_INCLINE_DEG = 65.0
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
KNEES = {
    Side.LEFT: (Landmark.LEFT_KNEE,),
    Side.RIGHT: (Landmark.RIGHT_KNEE,),
    Side.BOTH: (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
}
# Knee angle (hip-knee-ankle) below which the knees are bent, as in a knee push-up.
KNEE_BENT_DEG = 145.0
FRONT_STRAIGHT_KNEE_DEG = 155.0
# A knee push-up rests on the knees: the bent knee points toward the floor, away from the
# hip-ankle line by this fraction of that line (knee push-ups measure 0.44-0.96, straight legs
# at most 0.13), and sits below the hips (by this fraction of the body length). Bent knees
# above the hips are feet raised on a wall or bench: a decline.
KNEE_ON_FLOOR_BEND = 0.25
KNEE_BELOW_HIP = 0.02
# The legs must be seen (features.seen_mask) in this share of the frames with a person before
# the variation is judged from them. From the front the legs run behind the body and are hidden
# in nearly every clip, so the variation is usually not seen there.
MIN_SEEN_SHARE = 0.3


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
    """Wall, incline, knee, full or decline from body incline, hand/foot heights and the knees;
    ``unknown`` when the legs are not seen well enough to tell (out of frame, hidden)."""
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
    knees = seen_mask(series, KNEES[side])
    if knees.mean() < MIN_SEEN_SHARE:
        return Variation.UNKNOWN
    with np.errstate(invalid="ignore", divide="ignore"):
        knee_below_hip = _median(((p["knee"][:, 1] - p["hip"][:, 1]) / body)[knees])
        rise = _median((series.pixels()[:, TOES[side], 1] - p["wrist"][:, 1]) / body)
    if _median(angle_deg(p["hip"], p["knee"], p["ankle"])[knees]) < KNEE_BENT_DEG:
        bend = _median(knee_bend_norm(series, side)[knees])
        if knee_below_hip < 0:
            return Variation.DECLINE
        if bend >= KNEE_ON_FLOOR_BEND and knee_below_hip >= KNEE_BELOW_HIP:
            return Variation.KNEE
        return Variation.UNKNOWN
    if rise > INCLINE_MIN_RISE:
        return Variation.INCLINE
    if rise < -DECLINE_MIN_RISE or knee_below_hip < 0:
        return Variation.DECLINE
    return Variation.FULL


def resolve_variation(
    detected: Variation, planned: Variation | None
) -> tuple[Variation, str | None]:
    """The variation to judge with, and a note for the person: what the pose shows, checked
    against the plan's ``planned`` variation; the plan stands in where the pose cannot tell."""
    if planned is None or planned is Variation.UNKNOWN or detected is planned:
        return detected, None
    if detected is Variation.UNKNOWN:
        return planned, (
            f"The camera could not tell the push-up variation (the legs were not seen well "
            f"enough), so the planned one, {planned.value}, was used to judge form."
        )
    return detected, (
        f"The plan said {planned.value} push-ups, but these look like {detected.value} "
        f"push-ups: they were judged as {detected.value}. If that is wrong, film the whole body "
        "from the side."
    )


def knee_bend_norm(series: PoseSeries, side: Side) -> FloatArray:
    """(T,) distance of the knee from the hip-ankle line toward the floor / that line's length:
    large when the knee rests on the floor with the hips and feet up, about 0 for straight legs."""
    p = body_points(series, side)
    leg = np.linalg.norm(p["ankle"] - p["hip"], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        off = signed_offset(p["knee"], p["hip"], p["ankle"]) / leg
    return np.asarray(floor_sign(series, side) * off, dtype=np.float64)


def hands_reach_norm(series: PoseSeries, side: Side) -> FloatArray:
    """(T,) distance of the wrist from the shoulder-ankle line / that line's length (pixels)."""
    p = body_points(series, side)
    body = np.linalg.norm(p["ankle"] - p["shoulder"], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.abs(signed_offset(p["wrist"], p["shoulder"], p["ankle"])) / body


def _front_variation(series: PoseSeries) -> Variation:
    """Knee or full from the front, by the knee angle in 3-D (image x, y and BlazePose's z);
    ``unknown`` when the legs are hidden behind the body, as they nearly always are from there.

    From the front the legs run away from the camera, so the 2-D knee angle is foreshortened;
    BlazePose's relative depth keeps a straight leg near 180 degrees, but for hidden legs it
    places them straight whatever they do (knee push-ups measured 175-177 degrees), so only
    legs it sees count. Incline and decline cannot be told from full push-ups from the front.
    """
    legs = seen_mask(series, (*KNEES[Side.BOTH], Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE))
    if legs.mean() < MIN_SEEN_SHARE:
        return Variation.UNKNOWN
    angles = [
        _median(angle_deg(p["hip"], p["knee"], p["ankle"])[legs])
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
    # Feet out of frame: the torso's incline (shoulders to hips) stands in for the body's.
    incline = np.abs(
        np.where(
            np.isfinite(features.body_incline_deg),
            features.body_incline_deg,
            torso_incline_deg(series),
        )
    )
    raised = variation in (Variation.WALL, Variation.INCLINE)
    limit = 90.0 if raised else MAX_FLOOR_INCLINE_DEG
    with np.errstate(invalid="ignore"):
        supported = (incline < limit) & ~(features.hip_dev_norm < -MAX_PIKE_IN_POSITION)
        if raised:
            # Either arm reaching out will do: the mask does not know which side faces the camera.
            reach = np.fmax(
                hands_reach_norm(series, Side.LEFT), hands_reach_norm(series, Side.RIGHT)
            )
            supported &= (incline < MAX_FLOOR_INCLINE_DEG) | (reach >= WALL_MIN_REACH)
    return np.asarray(ok & supported, dtype=bool)


def torso_incline_deg(series: PoseSeries) -> FloatArray:
    """(T,) angle (deg) of the shoulder-to-hip line (both sides' midpoints) to the horizontal."""
    p = body_points(series, Side.BOTH)
    dx = np.abs(p["hip"][:, 0] - p["shoulder"][:, 0])
    return np.asarray(np.degrees(np.arctan2(p["hip"][:, 1] - p["shoulder"][:, 1], dx)))


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
