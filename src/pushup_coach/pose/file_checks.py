"""Checks shared by the .npz and .csv landmark loaders: every bad value becomes one clear line.

A landmark file may come from anywhere (another tool, a hand edit, a hostile upload), so nothing
in it is trusted: the embedded ``VideoInfo`` JSON must be an object with known keys of the right
types, frame sizes are positive and at most :data:`pushup_coach.config.MAX_FRAME_SIDE_PX` a side,
times and coordinates are finite, and a normalised coordinate lies within
:data:`MAX_NORMALISED_COORD` frames of the picture. NaN stays what it always is: "not seen".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from pushup_coach.config import MAX_FRAME_SIDE_PX
from pushup_coach.errors import LandmarkFileError
from pushup_coach.skeleton import LANDMARK_NAMES
from pushup_coach.types import FloatArray, VideoInfo

# A joint just out of frame sits a little outside 0..1; ten frame widths away is not a joint.
MAX_NORMALISED_COORD = 10.0
# Frame rates a landmark file may declare (fps); beyond this it is a typo or an attack.
MAX_FPS = 10_000.0
# Times (s) beyond this are not a recording (a Unix timestamp is about 1.7e9).
MAX_ABS_TIME_S = 1e12

_AXES = ("x", "y", "z", "v")
_INFO_TYPES: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "width": (int,),
    "height": (int,),
    "fps": (int, float),
    "duration_s": (int, float),
    "n_frames": (int, type(None)),
    "rotation_deg": (int,),
    "codec": (str,),
}
_INFO_REQUIRED = ("path", "width", "height", "fps", "duration_s")


def check_size_wh(size_wh: tuple[int, int], where: str) -> tuple[int, int]:
    """``size_wh`` as two ints of 1..MAX_FRAME_SIDE_PX; else LandmarkFileError naming ``where``."""
    width, height = size_wh
    if not all(1 <= side <= MAX_FRAME_SIDE_PX for side in (width, height)):
        raise LandmarkFileError(
            f"{where}: frame size {width}x{height} is out of range; each side must be 1 to "
            f"{MAX_FRAME_SIDE_PX} pixels (for example 1920x1080)"
        )
    return int(width), int(height)


def video_info_from_json(text: str, where: str) -> VideoInfo:
    """Parse a ``VideoInfo`` written by ``json.dumps(dataclasses.asdict(info))``.

    The JSON must be an object whose keys are VideoInfo's fields (path, width, height, fps and
    duration_s required) with values of the right type and range.
    """
    fix = "remove it or write the file again with pushup-coach"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LandmarkFileError(
            f"{where}: the video info is not valid JSON ({exc}); {fix}"
        ) from None
    if not isinstance(data, dict):
        raise LandmarkFileError(
            f"{where}: the video info must be a JSON object, got {type(data).__name__}; {fix}"
        )
    unknown = sorted(set(data) - set(_INFO_TYPES))
    missing = [key for key in _INFO_REQUIRED if key not in data]
    if unknown or missing:
        what = (f"unknown keys {', '.join(map(repr, unknown))}" if unknown else "") + (
            f"{'; ' if unknown else ''}missing keys {', '.join(missing)}" if missing else ""
        )
        raise LandmarkFileError(f"{where}: the video info has {what}; {fix}")
    for key, value in data.items():
        if not _info_value_ok(key, value):
            raise LandmarkFileError(
                f"{where}: the video info's {key} is {_short(value)}, which is not a valid "
                f"{key}; {fix}"
            )
    return VideoInfo(**data)


def _info_value_ok(key: str, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, _INFO_TYPES[key]):
        return False
    if not isinstance(value, int | float):
        return True  # the strings, and n_frames=None
    limits = {
        "width": (1, MAX_FRAME_SIDE_PX),
        "height": (1, MAX_FRAME_SIDE_PX),
        "fps": (0, MAX_FPS),
        "duration_s": (0, MAX_ABS_TIME_S),
        "n_frames": (0, 10**12),
    }
    if key == "rotation_deg":
        return value in (0, 90, 180, 270)
    low, high = limits[key]
    return bool(low <= value <= high)  # NaN compares False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_fps(value: float, where: str) -> float:
    """A frame rate above 0 and at most MAX_FPS."""
    if not 0 < value <= MAX_FPS:
        raise LandmarkFileError(
            f"{where}: fps {value!r} is out of range; give a frame rate above 0 and at most "
            f"{MAX_FPS:g} (for example 30)"
        )
    return value


def check_times(t_s: FloatArray, path: Path) -> None:
    """Times must be finite and at most MAX_ABS_TIME_S in size (order is checked elsewhere)."""
    bad = np.flatnonzero(~(np.abs(t_s) <= MAX_ABS_TIME_S))
    if bad.size:
        i = int(bad[0])
        raise LandmarkFileError(
            f"{path}: frame {i} has the time {float(t_s[i])!r} s; times must be finite seconds "
            f"of at most {MAX_ABS_TIME_S:g} in size"
        )


def check_landmark_values(landmarks: FloatArray, path: Path) -> None:
    """(T, 33, 4) normalised landmarks: each value NaN (not seen) or finite and in range.

    x, y and z must lie within MAX_NORMALISED_COORD frames of the picture and visibility must
    be finite: an infinite or absurd value would otherwise flow into the angles and could turn a
    faulty rep into a clean one.
    """
    limits = np.array([MAX_NORMALISED_COORD] * 3 + [np.inf])
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(landmarks) & ~(np.abs(landmarks) <= limits)
    if not bad.any():
        return
    frame, landmark, axis = (int(i) for i in np.argwhere(bad)[0])
    value = float(landmarks[frame, landmark, axis])
    raise LandmarkFileError(
        f"{path}: frame {frame}, {LANDMARK_NAMES[landmark]}_{_AXES[axis]} is {value!r} after "
        f"normalising; coordinates must be finite and within {MAX_NORMALISED_COORD:g} frame "
        "sizes of the picture (leave the value empty or NaN for 'not seen')"
    )
