"""Synthetic push-up landmark series from a small kinematic model, for exact analysis tests.

Side view (:func:`side_series`): a 2-D body in the sagittal plane, in pixels of a ``size_wh`` frame
(image y down), converted to BlazePose's normalised coordinates at the end. The ankle (or the knee,
for a knee push-up) is a fixed pivot; the hands are fixed on the floor, placed so the shoulder is
straight above the wrist at ``top_deg``. Each frame, the elbow angle sets the shoulder-wrist
distance (equal upper arm and forearm: distance = 2 * arm * sin(angle / 2)), and the shoulder sits
where that circle around the wrist meets the body-length circle around the pivot. So the elbow
angle, the hip deviation and the ear deviation that features.py measures equal the requested ones.

The front view is in ``front_builder.py``.

Angles are degrees, 180 = straight; deviations are fractions of the body length, + toward the floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pushup_coach.analysis import analyze_series
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.skeleton import N_LANDMARKS, SIDE_JOINTS, Landmark
from pushup_coach.types import FloatArray, PoseSeries, SessionReport, VideoInfo

Keyframes = Sequence[tuple[float, float]]
Windows = Sequence[tuple[float, float]]

SIZE_WH = (1280, 720)
BODY_FRACTION = 0.6  # shoulder-to-ankle length / frame width
ARM_FRACTION = 0.2  # upper arm (= forearm) / body length
HIP_AT = 0.38  # hip position along the shoulder->ankle line
KNEE_AT = 0.7
NECK = 0.15  # shoulder-to-ear / body length
FLOOR_Y = 0.85  # floor height / frame height
WRIST_ABOVE_FLOOR = 0.02  # of body length
ANKLE_ABOVE_FLOOR = 0.057
FAR_SIDE_SHIFT_PX = (6.0, -4.0)  # the far limb, seen just behind the near one
STANDING_BLEND_S = 0.5


def smooth_keyframes(keys: Keyframes, t_s: FloatArray) -> FloatArray:
    """(T,) values through ``(t_s, value)`` keyframes with cosine easing (zero speed at each key).

    Before the first key and after the last the value is held.
    """
    kt = np.array([k[0] for k in keys], dtype=np.float64)
    kv = np.array([k[1] for k in keys], dtype=np.float64)
    if np.any(np.diff(kt) <= 0):
        raise ValueError(f"keyframe times must increase, got {kt.tolist()}")
    seg = np.clip(np.searchsorted(kt, t_s, side="right") - 1, 0, len(kt) - 1)
    nxt = np.minimum(seg + 1, len(kt) - 1)
    span = np.where(nxt > seg, kt[nxt] - kt[seg], 1.0)
    u = np.clip((t_s - kt[seg]) / span, 0.0, 1.0)
    ease = (1.0 - np.cos(np.pi * u)) / 2.0
    return kv[seg] + (kv[nxt] - kv[seg]) * ease


def rep_keyframes(
    cycles: int,
    *,
    top_deg: float = 170.0,
    bottom_deg: float = 85.0,
    down_s: float = 1.0,
    up_s: float = 1.0,
    top_hold_s: float = 0.5,
    start_s: float = 0.0,
    start_at_bottom: bool = False,
) -> list[tuple[float, float]]:
    """Keyframes of ``cycles`` push-ups: hold at the top, lower, push up; ends after a top hold.

    ``start_at_bottom`` begins at the bottom (the clip starts mid-rep) and pushes up first.
    """
    t = start_s
    keys: list[tuple[float, float]] = []
    if start_at_bottom:
        keys += [(t, bottom_deg), (t + up_s, top_deg)]
        t += up_s
    else:
        keys.append((t, top_deg))
    for _ in range(cycles):
        if top_hold_s > 0:
            t += top_hold_s
            keys.append((t, top_deg))
        keys += [(t + down_s, bottom_deg), (t + down_s + up_s, top_deg)]
        t += down_s + up_s
    if top_hold_s > 0:
        keys.append((t + top_hold_s, top_deg))
    return keys


def then(keys: Keyframes, more: Keyframes) -> list[tuple[float, float]]:
    """``more`` appended after ``keys`` (its times shifted to follow the last key)."""
    last = keys[-1][0]
    first = more[0][0]
    shifted = [(last + (t - first) + 1e-3, v) for t, v in more]
    return list(keys) + shifted


def duration_of(keys: Keyframes) -> float:
    return float(keys[-1][0])


@dataclass(frozen=True)
class SideGeometry:
    """Pixel lengths of the side-view body."""

    size_wh: tuple[int, int]
    knee: bool

    @property
    def body_px(self) -> float:
        full = BODY_FRACTION * self.size_wh[0]
        return full * (HIP_AT + (1 - HIP_AT) * 0.45) if self.knee else full

    @property
    def arm_px(self) -> float:
        return ARM_FRACTION * BODY_FRACTION * self.size_wh[0]

    @property
    def floor_y(self) -> float:
        return FLOOR_Y * self.size_wh[1]


def _unit(v: FloatArray) -> FloatArray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _down_normal(direction: FloatArray) -> FloatArray:
    """(T, 2) unit normals of (T, 2) directions, pointing down the image (+y)."""
    n = _unit(np.stack([-direction[:, 1], direction[:, 0]], axis=-1))
    return np.where(n[:, 1:2] < 0, -n, n)


def _circle_meet(c0: FloatArray, r0: float, c1: FloatArray, r1: FloatArray) -> FloatArray:
    """(T, 2) upper (smaller y) intersection of circles around (2,) ``c0`` and (T, 2) ``c1``."""
    d_vec = c1 - c0
    d = np.linalg.norm(d_vec, axis=-1)
    a = (r0**2 - r1**2 + d**2) / (2 * d)
    h = np.sqrt(np.maximum(r0**2 - a**2, 0.0))
    base = c0 + (a / d)[:, None] * d_vec
    perp = np.stack([-d_vec[:, 1], d_vec[:, 0]], axis=-1) / d[:, None]
    p1, p2 = base + h[:, None] * perp, base - h[:, None] * perp
    return np.where((p1[:, 1] < p2[:, 1])[:, None], p1, p2)


def _elbow_between(shoulder: FloatArray, wrist: FloatArray, arm: float) -> FloatArray:
    """(T, 2) elbow with upper arm = forearm = ``arm``, pointing back toward the feet (-x)."""
    sw = wrist - shoulder
    half = np.linalg.norm(sw, axis=-1) / 2
    off = np.sqrt(np.maximum(arm**2 - half**2, 0.0))[:, None] * _down_normal(sw)
    one, other = shoulder + sw / 2 + off, shoulder + sw / 2 - off
    return np.where((one[:, 0] < other[:, 0])[:, None], one, other)


def _legs(
    hip: FloatArray, pivot: FloatArray, geo: SideGeometry
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(knee, ankle, toe) (T, 2) points: on the hip-ankle line, or shins up behind the knee."""
    n, full_body = hip.shape[0], BODY_FRACTION * geo.size_wh[0]
    if geo.knee:
        knee = np.broadcast_to(pivot, (n, 2))
        shin = 0.26 * full_body
        ankle = knee + shin * np.array([-np.cos(np.radians(40)), -np.sin(np.radians(40))])
        return knee, ankle, ankle + 0.05 * full_body * np.array([-0.3, -1.0])
    ankle = np.broadcast_to(pivot, (n, 2))
    knee = hip + (KNEE_AT - HIP_AT) / (1 - HIP_AT) * (ankle - hip)
    return knee, ankle, np.broadcast_to([pivot[0] + 0.01 * full_body, geo.floor_y], (n, 2))


def _side_joints(
    elbow_deg: FloatArray, hip_dev: FloatArray, head_dev: FloatArray, geo: SideGeometry, top: float
) -> dict[str, FloatArray]:
    """Role -> (T, 2) pixel points of a push-up facing right (head at larger x)."""
    n = elbow_deg.shape[0]
    body, arm, floor = geo.body_px, geo.arm_px, geo.floor_y
    full_body = BODY_FRACTION * geo.size_wh[0]
    reach = 2 * arm * np.sin(np.radians(elbow_deg) / 2)
    wrist_y = floor - WRIST_ABOVE_FLOOR * full_body
    pivot_y = floor - (0.02 if geo.knee else ANKLE_ABOVE_FLOOR) * full_body
    rise = wrist_y - 2 * arm * np.sin(np.radians(top) / 2) - pivot_y
    pivot = np.array([0.12 * geo.size_wh[0], pivot_y])
    wrist = np.broadcast_to([pivot[0] + np.sqrt(body**2 - rise**2), wrist_y], (n, 2))
    shoulder = _circle_meet(pivot, body, wrist, reach)
    along = pivot - shoulder
    hip_t = HIP_AT / (HIP_AT + (1 - HIP_AT) * 0.45) if geo.knee else HIP_AT
    hip = shoulder + hip_t * along + (hip_dev * body)[:, None] * _down_normal(along)
    ear = shoulder + NECK * full_body * _unit(shoulder - hip)
    ear = ear + (head_dev * body)[:, None] * _down_normal(shoulder - hip)
    knee, ankle, toe = _legs(hip, pivot, geo)
    return {
        "shoulder": shoulder,
        "elbow": _elbow_between(shoulder, wrist, arm),
        "wrist": wrist,
        "hip": hip,
        "knee": np.asarray(knee),
        "ankle": np.asarray(ankle),
        "ear": ear,
        "nose": ear + np.array([0.06, 0.02]) * full_body,
        "eye": ear + np.array([0.045, -0.01]) * full_body,
        "mouth": ear + np.array([0.05, 0.035]) * full_body,
        "heel": ankle + np.array([-0.04, -0.03]) * full_body,
        "toe": np.asarray(toe),
    }


def _standing_joints(n: int, x_px: FloatArray, geo: SideGeometry) -> dict[str, FloatArray]:
    """Role -> (T, 2) points of a person standing upright (side view, arms hanging)."""
    full = BODY_FRACTION * geo.size_wh[0] * 0.62  # standing height fits in the frame
    floor = geo.floor_y
    x = np.asarray(x_px, dtype=np.float64)

    def at(dx: float, height: float) -> FloatArray:
        return np.stack([x + dx * full, np.full(n, floor - height * full)], axis=-1)

    return {
        "ankle": at(0.0, 0.05),
        "heel": at(-0.04, 0.02),
        "toe": at(0.08, 0.0),
        "knee": at(0.01, 0.3),
        "hip": at(0.0, 0.55),
        "shoulder": at(0.0, 0.92),
        "elbow": at(0.02, 0.74),
        "wrist": at(0.05, 0.57),
        "ear": at(0.01, 1.05),
        "nose": at(0.07, 1.03),
        "eye": at(0.055, 1.06),
        "mouth": at(0.06, 1.0),
    }


def extra_landmarks(side: str) -> dict[str, tuple[Landmark, ...]]:
    """Role -> the landmarks besides SIDE_JOINTS that sit at that role's point, for one side."""
    s = side.upper()
    return {
        "eye": (Landmark[f"{s}_EYE_INNER"], Landmark[f"{s}_EYE"], Landmark[f"{s}_EYE_OUTER"]),
        "mouth": (Landmark.MOUTH_LEFT if side == "left" else Landmark.MOUTH_RIGHT,),
        "heel": (Landmark[f"{s}_HEEL"],),
        "toe": (Landmark[f"{s}_FOOT_INDEX"],),
        "wrist": (Landmark[f"{s}_PINKY"], Landmark[f"{s}_INDEX"], Landmark[f"{s}_THUMB"]),
    }


def _place_side(
    joints: dict[str, FloatArray], near: str, visibility: tuple[float, float]
) -> FloatArray:
    """(T, 33, 4) pixel x, y, z (near side nearer) and visibility from side-view role points."""
    n = joints["shoulder"].shape[0]
    out = np.zeros((n, N_LANDMARKS, 4))
    far = "right" if near == "left" else "left"
    # Far side first, so the nose (shared) ends up with the near side's values.
    for side, shift, z, vis in (
        (far, FAR_SIDE_SHIFT_PX, 0.1, visibility[1]),
        (near, (0.0, 0.0), -0.1, visibility[0]),
    ):
        placed: dict[str, tuple[Landmark, ...]] = {
            role: (lm,) for role, lm in SIDE_JOINTS[side].items()
        }
        placed.update({"nose": (Landmark.NOSE,)})
        for role, extra in extra_landmarks(side).items():
            placed[role] = placed.get(role, ()) + extra
        for role, landmarks in placed.items():
            for lm in landmarks:
                out[:, lm, :2] = joints[role] + np.array(shift)
                out[:, lm, 2:] = (z, vis)
    return out


def _as_track(value: float | Keyframes, t_s: FloatArray) -> FloatArray:
    if isinstance(value, (int, float)):
        return np.full(t_s.shape, float(value))
    return smooth_keyframes(value, t_s)


def _in_windows(t_s: FloatArray, windows: Windows) -> FloatArray:
    """(T,) 0..1 weight of being inside any window, ramping over STANDING_BLEND_S at its edges."""
    w = np.zeros_like(t_s)
    for start, stop in windows:
        ramp_in = np.clip((t_s - start) / STANDING_BLEND_S, 0.0, 1.0)
        ramp_out = np.clip((stop - t_s) / STANDING_BLEND_S, 0.0, 1.0)
        w = np.maximum(w, np.minimum(ramp_in, ramp_out))
    return w


def side_series(
    elbow_keys: Keyframes,
    *,
    fps: float = 30.0,
    duration_s: float | None = None,
    hip_dev: float | Keyframes = 0.0,
    head_dev: float | Keyframes = 0.0,
    top_deg: float | None = None,
    facing: str = "right",
    knee: bool = False,
    standing: Windows = (),
    walk_in_s: float = 0.0,
    gaps: Windows = (),
    jitter_px: float = 0.0,
    seed: int = 0,
    visibility: tuple[float, float] = (0.95, 0.6),
    size_wh: tuple[int, int] = SIZE_WH,
) -> PoseSeries:
    """A side-view push-up series whose elbow angle follows ``elbow_keys`` ((t_s, deg) pairs).

    ``hip_dev`` (+ sag, - pike) and ``head_dev`` (+ ear toward the floor) are fractions of the
    body length, constant or keyframed. ``top_deg`` is the elbow angle at which the shoulder is
    straight above the wrist (default: the highest keyframe). ``facing`` is where the head points;
    the body side toward the camera follows (right-facing shows the left side). ``standing``
    windows (t0, t1) show the person upright instead; ``walk_in_s`` > 0 adds that many seconds of
    walking in, upright, before the elbow keyframes start. ``gaps`` windows are NaN rows.
    ``jitter_px`` is Gaussian noise (pixels, fixed ``seed``); ``visibility`` is (near, far) side.
    """
    keys = [(t + walk_in_s, v) for t, v in elbow_keys]
    end_s = duration_s if duration_s is not None else duration_of(keys)
    t_s = np.arange(0.0, end_s, 1.0 / fps)
    geo = SideGeometry(size_wh, knee)
    top = top_deg if top_deg is not None else max(v for _, v in keys)
    elbow = smooth_keyframes(keys, t_s)
    joints = _side_joints(elbow, _as_track(hip_dev, t_s), _as_track(head_dev, t_s), geo, top)
    windows = list(standing)
    walk_x = np.interp(t_s, [0.0, max(walk_in_s, 1e-6)], [1.05 * size_wh[0], 0.55 * size_wh[0]])
    if walk_in_s > 0:
        windows.append((-STANDING_BLEND_S, walk_in_s))
    if windows:
        weight = _in_windows(t_s, windows)[:, None]
        stand = _standing_joints(len(t_s), np.where(t_s < walk_in_s, walk_x, walk_x[-1]), geo)
        joints = {r: (1 - weight) * p + weight * stand[r] for r, p in joints.items()}
    near = "left" if facing == "right" else "right"
    lm = _place_side(joints, near, visibility)
    if facing == "left":
        lm[:, :, 0] = size_wh[0] - lm[:, :, 0]
    return finish_series(t_s, lm, size_wh, gaps, jitter_px, seed, "synthetic side view")


def finish_series(
    t_s: FloatArray,
    lm_px: FloatArray,
    size_wh: tuple[int, int],
    gaps: Windows,
    jitter_px: float,
    seed: int,
    source: str,
) -> PoseSeries:
    """Add jitter and gaps, normalise pixels (z by the width) and wrap as a PoseSeries."""
    lm = np.array(lm_px, dtype=np.float64)
    if jitter_px > 0:
        rng = np.random.default_rng(seed)
        lm[:, :, :2] += rng.normal(0.0, jitter_px, size=lm[:, :, :2].shape)
    w, h = size_wh
    lm[:, :, 0] /= w
    lm[:, :, 1] /= h
    for start, stop in gaps:
        lm[(t_s >= start) & (t_s < stop)] = np.nan
    return PoseSeries(t_s=t_s, landmarks=lm, size_wh=size_wh, source=source)


def standing_series(
    duration_s: float = 5.0, *, fps: float = 30.0, size_wh: tuple[int, int] = SIZE_WH
) -> PoseSeries:
    """A person standing still, side-on, arms hanging: never in push-up position."""
    t_s = np.arange(0.0, duration_s, 1.0 / fps)
    geo = SideGeometry(size_wh, knee=False)
    joints = _standing_joints(len(t_s), np.full(len(t_s), 0.5 * size_wh[0]), geo)
    lm = _place_side(joints, "left", (0.95, 0.6))
    return finish_series(t_s, lm, size_wh, (), 0.0, 0, "synthetic standing")


def empty_series(
    duration_s: float = 2.0, *, fps: float = 30.0, size_wh: tuple[int, int] = SIZE_WH
) -> PoseSeries:
    """No person in any frame (all NaN)."""
    t_s = np.arange(0.0, duration_s, 1.0 / fps)
    lm = np.full((len(t_s), N_LANDMARKS, 4), np.nan)
    return PoseSeries(t_s=t_s, landmarks=lm, size_wh=size_wh, source="synthetic empty")


def analyze(series: PoseSeries, config: AnalysisConfig = DEFAULT_CONFIG) -> SessionReport:
    """The pipeline's report on a built series (no model, no file)."""
    info = VideoInfo(
        path="synthetic.npz",
        width=series.size_wh[0],
        height=series.size_wh[1],
        fps=series.fps,
        duration_s=series.duration_s,
        n_frames=len(series),
    )
    return analyze_series(series, info, config).report
