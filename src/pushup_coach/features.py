"""Push-up geometry per frame: pure functions over landmark arrays (COACHING.md section 2).

Conventions: image y grows downward; angles in degrees, 180 = straight; lengths in pixels of the
upright frame unless normalised (``_norm``: divided by the body length, shoulder to ankle, or by the
upper-arm length where the name says so). Deviations are signed, positive toward the floor: down
the image for a body flatter than 45 degrees (a level camera), else the side of the body line the
wrists are on (a wall push-up). The body line is measured only where its far end (ankle, or knee
in a knee push-up) is seen: visible and inside the frame, because BlazePose extrapolates limbs
outside the frame along the thighs, which turned a decline's piked hips into a "sag".
"""

from __future__ import annotations

import numpy as np

from pushup_coach.skeleton import SIDE_JOINTS, Landmark
from pushup_coach.types import (
    BoolArray,
    FeatureSeries,
    FloatArray,
    PoseSeries,
    Side,
    Variation,
    View,
)

# BlazePose visibility from which a landmark counts as seen (as config.min_visibility), and how
# far outside the frame (fraction of its size) a seen landmark may lie: just past the edge
# BlazePose places feet well, far past it it guesses along the thighs.
SEEN_VISIBILITY = 0.5
SEEN_MARGIN = 0.1
# Knee angle (hip-knee-ankle) below which the legs are bent (see compute_features).
LEGS_BENT_DEG = 145.0


def angle_deg(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Angle a-b-c at ``b`` in degrees, for (T, D) point arrays; NaN where any point is NaN."""
    u = a - b
    v = c - b
    dot = np.sum(u * v, axis=-1)
    norm = np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip(dot / norm, -1.0, 1.0)
    return np.degrees(np.arccos(cos))


def signed_offset(p: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Signed perpendicular distance of ``p`` from the line a->b, in the units of the inputs.

    Shapes (T, 2). The sign is that of the 2-D cross product (b - a) x (p - a): positive when ``p``
    is clockwise of the direction a->b in image coordinates (y down).
    """
    d = b - a
    length = np.linalg.norm(d, axis=-1)
    cross = d[:, 0] * (p[:, 1] - a[:, 1]) - d[:, 1] * (p[:, 0] - a[:, 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return cross / length


def choose_side(series: PoseSeries) -> Side:
    """Which body side faces the camera: the one whose joints are more visible and nearer (z)."""
    lm = series.landmarks
    left = [int(j) for j in SIDE_JOINTS["left"].values()]
    right = [int(j) for j in SIDE_JOINTS["right"].values()]
    vis_gap = np.nanmean(lm[:, left, 3]) - np.nanmean(lm[:, right, 3])
    z_gap = np.nanmedian(lm[:, right, 2]) - np.nanmedian(lm[:, left, 2])  # > 0: left is nearer
    if not np.isfinite(vis_gap) or not np.isfinite(z_gap):
        return Side.LEFT
    score = vis_gap * 4.0 + np.tanh(z_gap * 5.0)
    return Side.LEFT if score >= 0 else Side.RIGHT


def shoulder_width_ratio(series: PoseSeries) -> FloatArray:
    """(T,) shoulder-to-shoulder distance / shoulder-mid to hip-mid distance, in pixels.

    Small (< ~0.4) when the camera looks at the body from the side, large (> ~1) from the front,
    where the torso runs away from the camera and is foreshortened.
    """
    px = series.pixels()
    ls, rs = px[:, Landmark.LEFT_SHOULDER], px[:, Landmark.RIGHT_SHOULDER]
    lh, rh = px[:, Landmark.LEFT_HIP], px[:, Landmark.RIGHT_HIP]
    width = np.linalg.norm(ls - rs, axis=-1)
    torso = np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return width / torso


def yaw_ratio(series: PoseSeries) -> FloatArray:
    """(T,) how far the camera is turned from side-on toward the head or feet (0 = square side).

    Turning the camera about the vertical axis swings the left-right body axis into the
    direction of the torso, so the shoulder and hip pairs separate *along* the torso; raising
    the camera to look down on a side view separates them *across* it instead, which does not
    foreshorten the sagittal plane in the same way. Per frame: the geometric mean of the
    shoulders' and the hips' along-torso separation, each divided by the torso length. Needing
    both pairs to agree keeps one noisy pair (hips splayed by loose clothing) from deciding.
    """
    px = series.pixels()
    ls, rs = px[:, Landmark.LEFT_SHOULDER], px[:, Landmark.RIGHT_SHOULDER]
    lh, rh = px[:, Landmark.LEFT_HIP], px[:, Landmark.RIGHT_HIP]
    axis = (lh + rh) / 2 - (ls + rs) / 2
    torso = np.linalg.norm(axis, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = axis / torso[:, None]
        shoulders = np.abs(np.sum((ls - rs) * unit, axis=-1)) / torso
        hips = np.abs(np.sum((lh - rh) * unit, axis=-1)) / torso
    return np.sqrt(shoulders * hips)


def body_points(series: PoseSeries, side: Side, with_z: bool = False) -> dict[str, FloatArray]:
    """Role -> (T, 2) pixel points (or (T, 3) with z scaled like x) for the chosen side."""
    w, h = series.size_wh
    scale = np.array([w, h, w], dtype=np.float64)[: 3 if with_z else 2]
    names = SIDE_JOINTS["left" if side is Side.LEFT else "right"]
    if side is Side.BOTH:
        other = SIDE_JOINTS["right"]
        return {
            role: (
                series.landmarks[:, lm, : scale.size]
                + series.landmarks[:, other[role], : scale.size]
            )
            / 2
            * scale
            for role, lm in SIDE_JOINTS["left"].items()
        }
    return {role: series.landmarks[:, lm, : scale.size] * scale for role, lm in names.items()}


def floor_sign(series: PoseSeries, side: Side) -> float:
    """+1 or -1: the sign of :func:`signed_offset` for points on the floor side of the body line.

    For a body line flatter than 45 degrees the floor is down the image (gravity, a level
    camera): the wrists decide only for steep lines (wall push-ups), because a misplaced ankle
    (out of frame, extrapolated) can swing the line past the wrists.
    """
    p = body_points(series, side)
    direction = p["ankle"] - p["shoulder"]
    dx, dy = (_median_finite(direction[:, k]) for k in (0, 1))
    if np.isfinite(dx) and np.isfinite(dy) and abs(dy) < abs(dx) and dx != 0:
        return 1.0 if dx > 0 else -1.0
    offsets = signed_offset(p["wrist"], p["shoulder"], p["ankle"])
    med = _median_finite(offsets)
    if np.isfinite(med) and med != 0:
        return float(np.sign(med))
    return 1.0 if not np.isfinite(dx) or dx >= 0 else -1.0


def seen_mask(series: PoseSeries, landmarks: tuple[Landmark, ...]) -> BoolArray:
    """(T,) True where every one of ``landmarks`` is seen: visibility at least
    ``SEEN_VISIBILITY`` and at most ``SEEN_MARGIN`` outside the frame."""
    lm = series.landmarks[:, list(landmarks)]
    lo, hi = -SEEN_MARGIN, 1.0 + SEEN_MARGIN
    with np.errstate(invalid="ignore"):
        inside = np.all((lm[..., :2] >= lo) & (lm[..., :2] <= hi), axis=(-1, -2))
        visible = np.all(lm[..., 3] >= SEEN_VISIBILITY, axis=-1)
    return np.asarray(inside & visible, dtype=bool)


def line_end_seen(series: PoseSeries, side: Side, variation: Variation) -> BoolArray:
    """(T,) True where the far end of the body line (ankle, or knee for a knee push-up) is seen
    on ``side`` (either side for ``Side.BOTH``)."""
    role = "knee" if variation is Variation.KNEE else "ankle"
    sides = ("left", "right") if side is Side.BOTH else (side.value,)
    masks = [seen_mask(series, (SIDE_JOINTS[s][role],)) for s in sides]
    return np.asarray(np.logical_or.reduce(masks), dtype=bool)


def elbow_angle_deg(series: PoseSeries, side: Side, view: View) -> FloatArray:
    """(T,) elbow angle, 180 = arms straight.

    Side and oblique views: the 2-D shoulder-elbow-wrist angle of the camera-side arm. From the
    front the arms bend toward the camera, so the 2-D angle barely moves; there the angle is
    estimated from how far the shoulder is from the wrist relative to the arm's full length
    (upper arm + forearm, the running maximum so far, which live coaching can compute too):
    for equal segments, distance = length * sin(angle / 2). Both arms are averaged.
    """
    if view is not View.FRONT:
        p = body_points(series, side)
        return angle_deg(p["shoulder"], p["elbow"], p["wrist"])
    estimates = []
    for arm_side in (Side.LEFT, Side.RIGHT):
        p = body_points(series, arm_side)
        arm = np.linalg.norm(p["shoulder"] - p["elbow"], axis=-1) + np.linalg.norm(
            p["elbow"] - p["wrist"], axis=-1
        )
        full = np.fmax.accumulate(np.nan_to_num(arm, nan=0.0))
        reach = np.linalg.norm(p["shoulder"] - p["wrist"], axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.clip(reach / full, 0.0, 1.0)
        estimates.append(np.degrees(2.0 * np.arcsin(ratio)))
    return _nanmean_rows(np.stack(estimates))


def _median_finite(values: FloatArray) -> float:
    """Median of the finite values of a 1-D array; NaN (without numpy's warning) when none."""
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def _nanmean_rows(stack: FloatArray) -> FloatArray:
    """Column-wise mean of a (K, T) stack ignoring NaN; NaN where a column has no value."""
    count = np.sum(np.isfinite(stack), axis=0)
    total = np.nansum(stack, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def compute_features(
    series: PoseSeries, side: Side, view: View, variation: Variation = Variation.FULL
) -> FeatureSeries:
    """All per-frame measurements of COACHING.md section 2 for one series (see FeatureSeries).

    The body line runs shoulder to ankle, or shoulder to knee in a knee push-up; the hip's
    deviation and angle are NaN where that end is not seen (:func:`line_end_seen`).
    """
    p = body_points(series, side)
    sign = floor_sign(series, side)
    end = p["knee"] if variation is Variation.KNEE else p["ankle"]
    body_len = np.linalg.norm(end - p["shoulder"], axis=-1)
    unseen = ~line_end_seen(series, side, variation)
    if variation is not Variation.KNEE:
        # Knees bent above the hips, or in a decline: the feet are up on a wall or bench with the
        # legs folded, and the shoulder-ankle segment is no body line. (Knees bent below the
        # hips of a floor push-up, sagging toward the floor, are part of a sag: still measured.)
        with np.errstate(invalid="ignore"):
            folded = angle_deg(p["hip"], p["knee"], p["ankle"]) < LEGS_BENT_DEG
            raised = (p["knee"][:, 1] < p["hip"][:, 1]) | (variation is Variation.DECLINE)
            unseen |= folded & raised
    with np.errstate(invalid="ignore", divide="ignore"):
        hip_dev = sign * signed_offset(p["hip"], p["shoulder"], end) / body_len
        hip_dev[unseen] = np.nan
        hip_angle = angle_deg(p["shoulder"], p["hip"], end)
        hip_angle[unseen] = np.nan
        # The shoulder->hip line runs the same way as shoulder->ankle, so the floor sign applies.
        neck_dev = sign * signed_offset(p["ear"], p["shoulder"], p["hip"]) / body_len
        arm = np.linalg.norm(p["elbow"] - p["shoulder"], axis=-1) + np.linalg.norm(
            p["wrist"] - p["elbow"], axis=-1
        )
        shoulder_height = (p["wrist"][:, 1] - p["shoulder"][:, 1]) / _median_finite(arm)
        dx = np.abs(p["ankle"][:, 0] - p["shoulder"][:, 0])
        incline = np.degrees(np.arctan2(p["ankle"][:, 1] - p["shoulder"][:, 1], dx))
    return FeatureSeries(
        t_s=np.asarray(series.t_s, dtype=np.float64),
        elbow_deg=elbow_angle_deg(series, side, view),
        hip_dev_norm=hip_dev,
        hip_angle_deg=hip_angle,
        neck_dev_norm=neck_dev,
        shoulder_height_norm=shoulder_height,
        body_incline_deg=incline,
        hand_width_ratio=hand_width_ratio(series),
        elbow_flare_deg=elbow_flare_deg(series),
        quality=side_quality(series, side),
    )


HAND_WIDTH_JOINTS = (
    Landmark.LEFT_WRIST,
    Landmark.RIGHT_WRIST,
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
)


def hand_width_ratio(series: PoseSeries) -> FloatArray:
    """(T,) wrist-to-wrist / shoulder-to-shoulder horizontal distance (front view); NaN where a
    wrist or shoulder is not seen (:func:`seen_mask`). BlazePose still places a hidden wrist,
    and on low-resolution front clips it put the planted hands at 0.4 shoulder widths for the
    reps where the wrists were lost at the bottom, 1.6 for the rest."""
    px = series.pixels()
    wrists = np.abs(px[:, Landmark.LEFT_WRIST, 0] - px[:, Landmark.RIGHT_WRIST, 0])
    shoulders = np.abs(px[:, Landmark.LEFT_SHOULDER, 0] - px[:, Landmark.RIGHT_SHOULDER, 0])
    seen = seen_mask(series, HAND_WIDTH_JOINTS)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seen & (shoulders > 1e-6), wrists / shoulders, np.nan)


def elbow_flare_deg(series: PoseSeries) -> FloatArray:
    """(T,) mean over both arms of the 3-D angle between upper arm and torso (shoulder to hip)."""
    angles = []
    for side in (Side.LEFT, Side.RIGHT):
        q = body_points(series, side, with_z=True)
        angles.append(angle_deg(q["elbow"], q["shoulder"], q["hip"]))
    return _nanmean_rows(np.stack(angles))


def side_quality(series: PoseSeries, side: Side) -> FloatArray:
    """(T,) mean visibility of the joints the side-view measures rely on (0 where no person)."""
    roles = ("shoulder", "elbow", "wrist", "hip", "ankle")
    sides = ("left", "right") if side is Side.BOTH else (side.value,)
    idx = [int(SIDE_JOINTS[s][r]) for s in sides for r in roles]
    vis = series.landmarks[:, idx, 3]
    return np.where(np.isnan(vis).all(axis=1), 0.0, np.nanmean(np.nan_to_num(vis, nan=0.0), axis=1))
