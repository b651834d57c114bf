"""Synthetic front-view push-up series (see ``builders.py`` for the side view and keyframes).

The camera looks along the body from in front of the head; x, y are pixels, z is depth in pixels
(stored divided by the frame width, as BlazePose does). The shoulder sinks straight toward the
wrists; the elbow sits on its circle around the shoulder-wrist axis where the 3-D upper-arm/torso
angle is closest to ``flare_deg``. Angles in degrees, 180 = straight.
"""

from __future__ import annotations

import numpy as np

from builders import (
    FLOOR_Y,
    SIZE_WH,
    Keyframes,
    Windows,
    duration_of,
    extra_landmarks,
    finish_series,
    smooth_keyframes,
)
from pushup_coach.skeleton import N_LANDMARKS, SIDE_JOINTS, Landmark
from pushup_coach.types import FloatArray, PoseSeries


def _perpendicular_basis(axis: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two (T, 3) unit vectors perpendicular to each other and to the (T, 3) unit ``axis``."""
    helper = np.broadcast_to([0.0, 0.0, 1.0], axis.shape)
    e1 = np.cross(axis, helper)
    e1 = e1 / np.linalg.norm(e1, axis=-1, keepdims=True)
    return e1, np.cross(axis, e1)


def _angle3(u: FloatArray, v: FloatArray) -> FloatArray:
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _front_arm(
    shoulder: FloatArray, wrist: FloatArray, hip: FloatArray, arm: float, flare_deg: float
) -> FloatArray:
    """(T, 3) elbow on its circle around the shoulder-wrist axis, flare closest to ``flare_deg``.

    Upper arm = forearm = ``arm``; among equally close candidates the one farther out sideways.
    """
    sw = wrist - shoulder
    d = np.linalg.norm(sw, axis=-1, keepdims=True)
    axis = sw / d
    radius = np.sqrt(np.maximum(arm**2 - (d / 2) ** 2, 0.0))
    e1, e2 = _perpendicular_basis(axis)
    phis = np.radians(np.arange(0.0, 360.0, 0.25))
    best = np.zeros_like(shoulder)
    for i in range(shoulder.shape[0]):
        ring = np.cos(phis)[:, None] * e1[i] + np.sin(phis)[:, None] * e2[i]
        cands = shoulder[i] + sw[i] / 2 + radius[i] * ring
        miss = np.abs(_angle3(cands - shoulder[i], hip[i] - shoulder[i]) - flare_deg)
        outward = np.abs(cands[:, 0] - shoulder[i, 0]) * np.sign(
            shoulder[i, 0] - wrist[i, 0] + 1e-9
        )
        best[i] = cands[np.lexsort((-outward, np.round(miss, 1)))[0]]
    return best


def front_series(
    elbow_keys: Keyframes,
    *,
    fps: float = 30.0,
    hand_width_ratio: float = 1.3,
    flare_deg: float = 45.0,
    gaps: Windows = (),
    jitter_px: float = 0.0,
    seed: int = 0,
    visibility: float = 0.9,
    size_wh: tuple[int, int] = SIZE_WH,
    knees_down: bool = False,
    leg_visibility: float | None = None,
) -> PoseSeries:
    """A front-view push-up series (camera in front of the head, looking along the body).

    Wrists sit ``hand_width_ratio`` x shoulder width apart on the floor; the shoulders sink
    straight toward the floor so their 3-D distance to the wrists is 2 * arm * sin(angle / 2);
    elbows take the flare closest to ``flare_deg`` (3-D upper arm vs shoulder->hip, z scaled like
    x, as features.elbow_flare_deg measures it). Hips lie behind the shoulders along the depth
    axis, so the torso looks short (shoulder width / torso length well above 0.9).
    ``knees_down``: a knee push-up, knees on the floor behind the hips and shins raised.
    ``leg_visibility``: the visibility of knees, ankles and feet (default ``visibility``), low
    where the body hides them.
    """
    w, h = size_wh
    t_s = np.arange(0.0, duration_of(elbow_keys), 1.0 / fps)
    width = 0.18 * w  # shoulder joint to shoulder joint, pixels
    arm = 0.75 * width
    reach = 2 * arm * np.sin(np.radians(smooth_keyframes(elbow_keys, t_s)) / 2)
    out = np.zeros((len(t_s), N_LANDMARKS, 4))
    for side, sx in (("left", 1.0), ("right", -1.0)):  # the person's left is image right
        floor = FLOOR_Y * h
        wrist = np.tile([w / 2 + sx * hand_width_ratio * width / 2, floor, 0.0], (len(t_s), 1))
        dx = (hand_width_ratio - 1.0) * width / 2
        height = np.sqrt(np.maximum(reach**2 - dx**2, 0.0))
        shoulder = np.stack([wrist[:, 0] - sx * dx, floor - height, np.zeros(len(t_s))], -1)
        body = _front_body(shoulder, wrist, sx, width, arm, flare_deg)
        if knees_down:
            body.update(_knee_legs(body["hip"], floor, width))
        _place(out, side, body)
    out[:, Landmark.NOSE, :3] = (out[:, Landmark.LEFT_EAR, :3] + out[:, Landmark.RIGHT_EAR, :3]) / 2
    out[:, :, 3] = visibility
    legs = [lm for s in ("left", "right") for r in ("knee", "ankle") for lm in _role(s, r)]
    out[:, legs, 3] = visibility if leg_visibility is None else leg_visibility
    out[:, :, 2] /= w  # BlazePose's z is on the scale of x
    return finish_series(t_s, out, size_wh, gaps, jitter_px, seed, "synthetic front view")


def _front_body(
    shoulder: FloatArray, wrist: FloatArray, sx: float, width: float, arm: float, flare_deg: float
) -> dict[str, FloatArray]:
    """Role -> (T, 3) points of one body side; ``sx`` is +1 for the side at larger image x."""
    hip = shoulder + np.array([-sx * 0.08 * width, 0.3 * width, 1.4 * width])
    knee = hip + np.array([0.0, 0.25 * width, 1.3 * width])
    ankle = knee + np.array([0.0, 0.2 * width, 1.3 * width])
    ear = shoulder + np.array([-sx * 0.3 * width, -0.45 * width, -0.3 * width])
    elbow = _front_arm(shoulder, wrist, hip, arm, flare_deg)
    return {
        "shoulder": shoulder,
        "elbow": elbow,
        "wrist": wrist,
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "ear": ear,
        "eye": ear,
        "mouth": ear,
        "heel": ankle,
        "toe": ankle,
    }


def _knee_legs(hip: FloatArray, floor_y: float, width: float) -> dict[str, FloatArray]:
    """(T, 3) knee on the floor a thigh's length behind the hip, shin raised straight up."""
    knee = np.stack([hip[:, 0], np.full(len(hip), floor_y), hip[:, 2] + 0.6 * width], axis=-1)
    ankle = knee + np.array([0.0, -0.9 * width, 0.3 * width])
    return {"knee": knee, "ankle": ankle, "heel": ankle, "toe": ankle}


def _role(side: str, role: str) -> list[Landmark]:
    """Every landmark placed at ``role``'s point on ``side``."""
    return [SIDE_JOINTS[side][role], *extra_landmarks(side).get(role, ())]


def _place(out: FloatArray, side: str, body: dict[str, FloatArray]) -> None:
    """Write one side's (T, 3) role points into the (T, 33, 4) array ``out``."""
    for role, lm in SIDE_JOINTS[side].items():
        out[:, lm, :3] = body[role]
    for role, extra in extra_landmarks(side).items():
        for lm in extra:
            out[:, lm, :3] = body[role]
