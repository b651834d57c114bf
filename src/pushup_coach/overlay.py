"""Draw the skeleton, the head-to-heel line, a rep counter and the current cue on a copy of a frame.

Conventions: images are upright RGB ``uint8`` arrays (H, W, 3), so colours here are RGB; landmark
pixels are (33, 2) float x, y with image y growing downward, NaN where a landmark was not seen
(nothing is drawn for it, never a point at (0, 0)). Sizes scale with the shorter image side so a
360p and a 1080p frame look alike. Text uses OpenCV 5's built-in anti-aliased sans font.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from pushup_coach.skeleton import BONES, SIDE_JOINTS, Landmark
from pushup_coach.types import FloatArray, ImageRGB

LineStatus = Literal["good", "warn", "bad", "unknown"]
ColorRGB = tuple[int, int, int]

LINE_COLORS_RGB: dict[str, ColorRGB] = {
    "good": (34, 197, 94),
    "warn": (245, 158, 11),
    "bad": (239, 68, 68),
    "unknown": (148, 163, 184),
}
LINE_LABELS: dict[str, str] = {
    "good": "Body line straight",
    "warn": "Watch your hips",
    "bad": "Body line broken",
    "unknown": "Body line not judged",
}
BONE_RGB: ColorRGB = (245, 245, 245)
SHADOW_RGB: ColorRGB = (15, 23, 42)
TEXT_RGB: ColorRGB = (255, 255, 255)
_MAX_CUE_LINES = 3
# Landmarks further than this many frame sizes outside the image are tracking garbage.
_MAX_OUTSIDE = 2.0


@dataclass(frozen=True)
class _Style:
    """Pixel sizes for one frame size; ``unit`` is 1.0 at 360 px on the shorter side."""

    unit: float
    margin_px: int
    bone_px: int
    line_px: int
    joint_px: int
    count_font_px: int
    label_font_px: int
    cue_font_px: int

    @classmethod
    def for_size(cls, width: int, height: int) -> _Style:
        unit = max(min(width, height), 120) / 360.0
        return cls(
            unit=unit,
            margin_px=round(10 * unit),
            bone_px=max(1, round(2 * unit)),
            line_px=max(2, round(5 * unit)),
            joint_px=max(2, round(3 * unit)),
            count_font_px=round(40 * unit),
            label_font_px=round(12 * unit),
            cue_font_px=round(17 * unit),
        )


def draw_overlay(
    image: ImageRGB,
    landmarks_px: FloatArray | None,
    *,
    line_status: LineStatus,
    rep_count: int,
    cue: str | None,
    side: str,
    extra_text: str | None = None,
    cue_position: Literal["bottom", "top"] = "bottom",
) -> ImageRGB:
    """A copy of ``image`` (H, W, 3) RGB with the coaching overlay drawn on it.

    ``landmarks_px`` is (33, 2) pixels (NaN = not seen) or None when no person was found;
    ``side`` ("left", "right" or "both") picks the joints of the head-to-heel line, coloured by
    ``line_status`` and left out when that is "unknown" (not seen, or not judged in this view).
    The rep counter sits top left, ``extra_text`` top right and the cue in a box at the bottom
    (or under the counter with ``cue_position="top"``, for videos where the body fills the lower
    part of the frame), wrapped to the frame width.
    """
    out = np.ascontiguousarray(image).copy()
    height, width = out.shape[:2]
    style = _Style.for_size(width, height)
    if landmarks_px is not None:
        points = _sane_points(landmarks_px, width, height)
        _draw_skeleton(out, points, style)
        if line_status != "unknown":
            chain = body_line_points(points, side)
            _draw_body_line(out, chain, LINE_COLORS_RGB[line_status], style)
    _draw_counter(out, rep_count, line_status, style)
    if extra_text:
        _draw_corner_text(out, extra_text, style)
    if cue:
        _draw_cue(out, cue, style, cue_position)
    return out


def body_line_points(landmarks_px: FloatArray, side: str) -> list[tuple[float, float] | None]:
    """Ear, shoulder, hip and ankle (knee when the ankle is unseen) of ``side``; None = unseen.

    For ``both`` each point is the mean of the left and right joints that were seen.
    """
    sides = ("left", "right") if side not in SIDE_JOINTS else (side,)
    chain: list[tuple[float, float] | None] = []
    for role in ("ear", "shoulder", "hip", "ankle"):
        point = _mean_point(landmarks_px, [SIDE_JOINTS[s][role] for s in sides])
        if point is None and role == "ankle":
            point = _mean_point(landmarks_px, [SIDE_JOINTS[s]["knee"] for s in sides])
        chain.append(point)
    return chain


def _mean_point(landmarks_px: FloatArray, joints: Sequence[Landmark]) -> tuple[float, float] | None:
    seen = [landmarks_px[j] for j in joints if np.all(np.isfinite(landmarks_px[j]))]
    if not seen:
        return None
    x, y = np.mean(seen, axis=0)
    return float(x), float(y)


def _sane_points(landmarks_px: FloatArray, width: int, height: int) -> FloatArray:
    """(33, 2) copy with far-off-frame points set to NaN, so integer casts cannot overflow."""
    points = np.array(landmarks_px, dtype=np.float64, copy=True)[:, :2]
    limit = np.array([width, height]) * _MAX_OUTSIDE
    far = np.any(np.abs(points) > limit, axis=1)
    points[far] = np.nan
    return points


def _px(point: Sequence[float] | FloatArray) -> tuple[int, int]:
    return round(float(point[0])), round(float(point[1]))


def _draw_skeleton(out: ImageRGB, points: FloatArray, style: _Style) -> None:
    seen = np.all(np.isfinite(points), axis=1)
    for a, b in BONES:
        if seen[a] and seen[b]:
            start, end = _px(points[a]), _px(points[b])
            cv2.line(out, start, end, SHADOW_RGB, style.bone_px + 2, cv2.LINE_AA)
            cv2.line(out, start, end, BONE_RGB, style.bone_px, cv2.LINE_AA)
    for a, b in BONES:
        for joint in (a, b):
            if seen[joint]:
                cv2.circle(out, _px(points[joint]), style.joint_px, BONE_RGB, -1, cv2.LINE_AA)


def _draw_body_line(
    out: ImageRGB, chain: list[tuple[float, float] | None], color: ColorRGB, style: _Style
) -> None:
    """Segments only between neighbours that were both seen: a missing hip breaks the line."""
    for start, end in itertools.pairwise(chain):
        if start is not None and end is not None:
            cv2.line(out, _px(start), _px(end), SHADOW_RGB, style.line_px + 2, cv2.LINE_AA)
            cv2.line(out, _px(start), _px(end), color, style.line_px, cv2.LINE_AA)
    hip = chain[2]
    if hip is not None:
        cv2.circle(out, _px(hip), style.line_px * 2, SHADOW_RGB, -1, cv2.LINE_AA)
        cv2.circle(out, _px(hip), style.line_px * 2 - 1, color, -1, cv2.LINE_AA)


@functools.cache
def _font() -> cv2.FontFace:
    return cv2.FontFace("sans")


def text_width_px(text: str, size_px: int, weight: int = 600) -> int:
    """Width in pixels of ``text`` drawn in the overlay font at ``size_px`` pixels."""
    _, _, width, _ = cv2.getTextSize((0, 0), text, (0, 0), _font(), size_px, weight)
    return int(width)


def _put_text(
    out: ImageRGB, text: str, org: tuple[int, int], size_px: int, color: ColorRGB, weight: int
) -> None:
    """Draw ``text`` with its baseline starting at ``org`` (x, y)."""
    cv2.putText(out, text, org, color, _font(), size_px, weight)


def _shade(out: ImageRGB, box: tuple[int, int, int, int], color: ColorRGB, alpha: float) -> None:
    """Blend ``color`` over the (x0, y0, x1, y1) box, clipped to the image."""
    height, width = out.shape[:2]
    x0, y0, x1, y1 = max(box[0], 0), max(box[1], 0), min(box[2], width), min(box[3], height)
    if x1 <= x0 or y1 <= y0:
        return
    region = out[y0:y1, x0:x1]  # a view: blended in place, in uint8 (rounded, saturated)
    cv2.addWeighted(region, 1.0 - alpha, np.full_like(region, color), alpha, 0.0, dst=region)


def _draw_counter(out: ImageRGB, rep_count: int, line_status: str, style: _Style) -> None:
    """A dark box top left with REPS, the count, and a chip naming the body-line status."""
    m, u = style.margin_px, style.unit
    label = LINE_LABELS[line_status]
    chip_w = text_width_px(label, style.label_font_px) + round(26 * u)
    count_w = text_width_px(str(rep_count), style.count_font_px, 800)
    box_w = max(chip_w, count_w, text_width_px("REPS", style.label_font_px)) + round(16 * u)
    box_h = _counter_height_px(style)
    _shade(out, (m, m, m + box_w, m + box_h), SHADOW_RGB, 0.72)
    x = m + round(8 * u)
    y = m + round(6 * u) + style.label_font_px
    _put_text(out, "REPS", (x, y), style.label_font_px, (203, 213, 225), 700)
    y += style.count_font_px
    _put_text(out, str(rep_count), (x, y), style.count_font_px, TEXT_RGB, 800)
    dot_y = y + round(14 * u)
    color = LINE_COLORS_RGB[line_status]
    cv2.circle(out, (x + round(5 * u), dot_y), max(2, round(5 * u)), color, -1, cv2.LINE_AA)
    label_org = (x + round(15 * u), dot_y + style.label_font_px // 2 - 1)
    _put_text(out, label, label_org, style.label_font_px, TEXT_RGB, 600)


def _counter_height_px(style: _Style) -> int:
    return round(42 * style.unit) + style.label_font_px + style.count_font_px


def _draw_corner_text(out: ImageRGB, text: str, style: _Style) -> None:
    m, u, size = style.margin_px, style.unit, style.label_font_px
    width = out.shape[1]
    text_w = text_width_px(text, size)
    x1 = width - m
    x0 = max(x1 - text_w - round(16 * u), 0)
    _shade(out, (x0, m, x1, m + size + round(14 * u)), SHADOW_RGB, 0.72)
    _put_text(out, text, (x0 + round(8 * u), m + size + round(5 * u)), size, TEXT_RGB, 600)


def wrap_text(
    text: str, max_width_px: int, size_px: int, max_lines: int = _MAX_CUE_LINES
) -> list[str]:
    """Greedy word wrap to ``max_width_px``; the last kept line ends with an ellipsis if cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width_px(candidate, size_px) > max_width_px:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip(".,;:") + "…"]
    return lines


def _draw_cue(out: ImageRGB, cue: str, style: _Style, position: str) -> None:
    """The cue centred in a dark box at the bottom or under the counter, wrapped to the frame."""
    height, width = out.shape[:2]
    m, u, size = style.margin_px, style.unit, style.cue_font_px
    pad = round(10 * u)
    lines = wrap_text(cue, width - 2 * m - 2 * pad, size)
    line_h = math.ceil(size * 1.3)
    box_w = max(text_width_px(line, size) for line in lines) + 2 * pad
    box_h = line_h * len(lines) + 2 * pad - (line_h - size)
    x0 = (width - box_w) // 2
    y0 = height - m - box_h if position == "bottom" else 2 * m + _counter_height_px(style)
    _shade(out, (x0, y0, x0 + box_w, y0 + box_h), SHADOW_RGB, 0.78)
    for i, line in enumerate(lines):
        x = (width - text_width_px(line, size)) // 2
        baseline = y0 + pad + size + i * line_h - round(3 * u)
        _put_text(out, line, (x, baseline), size, TEXT_RGB, 600)
