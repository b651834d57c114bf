"""Stored pictures -> upright RGB images: conversion, turn and mirror, and the decoded size.

- The display matrix (FFmpeg's ``AV_FRAME_DATA_DISPLAYMATRIX``: nine int32, a b u / c d v / x y w,
  a..d in 16.16 fixed point) says how players show the stored picture. Its determinant tells a
  turn (positive) from a mirror (negative) from nothing at all (zero, a broken matrix). A mirror
  is undone by turning, then flipping left-right, so it is never read as a 180-degree turn.
- Pictures with a side over :data:`MAX_DECODE_SIDE_PX` are scaled down while they are converted
  to RGB; the pose model sees 256x256 anyway. Pictures over :data:`MAX_DECODE_PIXELS` (more than
  any H.264 or HEVC level allows, 8K included) are refused before the decoder is opened: its
  reference frames alone would take 0.7 GB for 8000x8000 (docs/reliability.md).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from pushup_coach.errors import VideoError
from pushup_coach.types import ImageRGB

# Longest side (pixels) of a decoded picture; larger ones are scaled down to it (4K DCI fits).
MAX_DECODE_SIDE_PX = 4096
# Largest picture (pixels) decoded at all: H.264/HEVC level 6.2's limit, above 8K UHD's 7680x4320.
MAX_DECODE_PIXELS = 8192 * 4352


@dataclass(frozen=True)
class Orientation:
    """Clockwise quarter turn (0/90/180/270) that makes the picture upright, then whether to
    flip it left-right; ``note`` says what was assumed about a strange matrix ("" if nothing)."""

    rotation_deg: int = 0
    mirrored: bool = False
    note: str = ""


def upright_image(image: ImageRGB, rotation_deg: int) -> ImageRGB:
    """Turn a stored (H, W, 3) picture ``rotation_deg`` (0/90/180/270) clockwise, upright."""
    quarter_turns = (rotation_deg // 90) % 4
    if quarter_turns == 0:
        return image
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(image, k=-quarter_turns))


def frame_rgb(frame: VideoFrame) -> ImageRGB:
    """The decoded picture as RGB (H, W, 3) uint8, as stored (before any rotation).

    4:2:0 pictures with even sides (nearly every phone and camera video) are converted by
    OpenCV's SIMD YUV->RGB (BT.601, limited range), which at 1080p takes about half the CPU time
    of PyAV's swscale path; any other format goes through swscale. Measured on the 81 labelled
    clips, the two conversions (a mean 1.3 levels apart) gave identical analyses.
    """
    if frame.format.name == "yuv420p" and frame.width % 2 == 0 and frame.height % 2 == 0:
        import cv2  # here, not at the top: a process that only probes videos does not load it

        planes = frame.to_ndarray()  # (H * 3 / 2, W): Y, then U and V at half size
        return np.asarray(cv2.cvtColor(planes, cv2.COLOR_YUV2RGB_I420), dtype=np.uint8)
    return np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)


def orientation_of(frame: VideoFrame, stream: VideoStream, name: str) -> Orientation:
    """The orientation of ``frame`` (from its display matrix, else the legacy ``rotate`` tag)."""
    matrix = _display_matrix(frame)
    if matrix is None:
        return Orientation(_quarter_turn(_legacy_rotate_tag(stream)))
    a, b, c, d = matrix[0], matrix[1], matrix[3], matrix[4]
    determinant = a * d - b * c
    if determinant == 0:
        return Orientation(
            note=f"{name} has an empty display matrix (it would show nothing), so the picture "
            "is used as stored, not turned; re-export the video if it looks sideways"
        )
    mirrored = determinant < 0
    if mirrored:  # take the left-right flip out: what is left is a turn
        a, c = -a, -c
    clockwise = math.degrees(math.atan2(b / math.hypot(b, d), a / math.hypot(a, c)))
    notes = [
        f"{name} is stored mirrored (its display matrix flips it), so frames were flipped back "
        "to how a player shows them"
    ] * mirrored
    turn = _quarter_turn(clockwise)
    if abs((clockwise - turn + 180) % 360 - 180) > 1:  # found by fuzz/fuzz_video.py
        notes.append(
            f"{name}'s display matrix turns the picture {clockwise:.0f} degrees, not a quarter "
            f"turn, so it was turned {turn} degrees; re-export the video if it looks tilted"
        )
    return Orientation(turn, mirrored, "; ".join(notes))


def check_picture_size(width: int, height: int, name: str) -> None:
    """Refuse a picture larger than MAX_DECODE_PIXELS with one line (0 = size not known yet)."""
    if width * height > MAX_DECODE_PIXELS:
        raise VideoError(
            f"{name} is {width}x{height} pixels, more than the {MAX_DECODE_PIXELS / 1e6:.1f} "
            "megapixels of 8K video that pushup-coach decodes; re-export it at 4K or less"
        )


def decode_size(width: int, height: int) -> tuple[int, int] | None:
    """The (width, height) to decode a ``width`` x ``height`` picture at, or None to keep it."""
    longest = max(width, height)
    if longest <= MAX_DECODE_SIDE_PX:
        return None
    scale = MAX_DECODE_SIDE_PX / longest
    return max(2, round(width * scale)), max(2, round(height * scale))


def _display_matrix(frame: VideoFrame) -> tuple[int, ...] | None:
    side_data: Any = frame.side_data.get("DISPLAYMATRIX")  # SideData: a buffer of 9 int32
    if side_data is None:
        return None
    raw = bytes(side_data)
    return struct.unpack("=9i", raw[:36]) if len(raw) >= 36 else (0,) * 9


def _legacy_rotate_tag(stream: VideoStream) -> float:
    try:
        return float(stream.metadata.get("rotate", "0"))
    except ValueError:
        return 0.0


def _quarter_turn(clockwise_deg: float) -> int:
    if not math.isfinite(clockwise_deg):
        return 0
    return (round(clockwise_deg / 90) * 90) % 360
