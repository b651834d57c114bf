"""Synthetic side-view push-ups as landmark series, and tiny videos whose frames carry their times.

The body faces left on a 640x360 frame: wrists on the floor under the shoulders, the elbow angle
follows a cosine from ``top_deg`` down to ``bottom_deg`` and back for each rep, and the hips can be
pushed toward the floor (``sag_norm``, a fraction of the body length) at the bottom of every rep.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from pushup_coach.skeleton import N_LANDMARKS, Landmark
from pushup_coach.types import FloatArray, PoseSeries

SIZE_WH = (640, 360)
FPS = 30
ARM = 0.17  # upper arm and forearm length, in frame heights
WRIST_X, FLOOR_Y, ANKLE_X = 0.25, 0.85, 0.85


def pushup_series(
    reps: int = 3,
    *,
    top_deg: float = 170.0,
    bottom_deg: float = 40.0,
    rep_s: float = 2.0,
    hold_s: float = 2.0,
    sag_norm: float = 0.0,
) -> PoseSeries:
    """``hold_s`` at the top, ``reps`` cosine reps of ``rep_s`` each, ``hold_s`` at the top."""
    n_hold, n_rep = round(hold_s * FPS), round(rep_s * FPS)
    phase = np.concatenate(
        [np.zeros(n_hold), np.tile((1 - np.cos(np.linspace(0, 2 * np.pi, n_rep))) / 2, reps)]
    )
    phase = np.concatenate([phase, np.zeros(n_hold)])
    elbow = top_deg - (top_deg - bottom_deg) * phase
    rows = np.stack([_pose(e, sag_norm * p) for e, p in zip(elbow, phase, strict=True)])
    t_s = np.arange(len(rows)) / FPS
    return PoseSeries(t_s=t_s, landmarks=rows, size_wh=SIZE_WH, source="synthetic")


def _pose(elbow_deg: float, sag_norm: float) -> FloatArray:
    """(33, 4) normalised landmarks of one frame; both sides coincide, the left is more visible."""
    w, h = SIZE_WH
    reach = 2 * ARM * np.sin(np.radians(elbow_deg) / 2)  # shoulder to wrist, frame heights
    wrist = np.array([WRIST_X * w, FLOOR_Y * h])
    shoulder = wrist - np.array([0.0, reach * h])
    bend = np.sqrt(max(ARM**2 - (reach / 2) ** 2, 0.0)) * h
    elbow = (wrist + shoulder) / 2 + np.array([bend, 0.0])
    ankle = np.array([ANKLE_X * w, (FLOOR_Y - 0.03) * h])
    body = ankle - shoulder
    length = float(np.linalg.norm(body))
    normal = np.array([-body[1], body[0]]) / length  # points toward the floor
    hip = shoulder + 0.45 * body + sag_norm * length * normal
    knee = shoulder + 0.72 * body
    ear = shoulder - 0.12 * body
    points = {
        "ear": ear,
        "shoulder": shoulder,
        "elbow": elbow,
        "wrist": wrist,
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "heel": ankle + np.array([0.02 * w, 0.0]),
        "foot_index": ankle + np.array([0.0, 0.03 * h]),
    }
    out = np.full((N_LANDMARKS, 4), np.nan)
    out[:, :2] = shoulder / (w, h)
    out[:, 2], out[:, 3] = 0.0, 0.9
    for side, visibility, z in (("RIGHT", 0.6, 0.1), ("LEFT", 0.95, -0.1)):
        for role, xy in points.items():
            joint = Landmark[f"{side}_{role.upper()}"]
            out[joint] = (xy[0] / w, xy[1] / h, z, visibility)
    out[Landmark.NOSE] = (*(ear - 0.03 * body) / (w, h), -0.1, 0.95)
    return out


def write_timed_video(path: Path, t_s: FloatArray, size_wh: tuple[int, int] = (64, 48)) -> Path:
    """An H.264 file with one small grey frame per time in ``t_s`` (seconds, exact to 1/30000)."""
    ticks = 30_000
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = *size_wh, "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, ticks)
        stream.codec_context.gop_size = 15
        image = np.full((size_wh[1], size_wh[0], 3), 128, dtype=np.uint8)
        for t in t_s:
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = round(float(t) * ticks)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
