"""Re-encode a real clip with one change a phone or an editor could make (the metamorphic tests).

Every transform decodes the source upright with the project's own reader and writes a new H.264
file into a temporary folder; nothing is written next to the shared data.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from pushup_coach.types import Frame
from pushup_coach.video.source import VideoFile

TICKS_PER_S = 90_000
Transform = Callable[[list[Frame]], tuple[list[np.ndarray], list[float], int | None]]


def read_frames(path: Path) -> list[Frame]:
    with VideoFile(path) as video:
        return list(video.frames())


def write(
    path: Path, images: list[np.ndarray], times_s: list[float], rotation_ccw: int | None
) -> Path:
    """Encode RGB images at the given times; ``rotation_ccw`` sets the display-matrix rotation."""
    height, width = images[0].shape[:2]
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = (
            width - width % 2,
            height - height % 2,
            "yuv420p",
        )
        stream.time_base = stream.codec_context.time_base = Fraction(1, TICKS_PER_S)
        stream.options = {"crf": "18"}
        if rotation_ccw is not None:
            stream.set_display_rotation(rotation_ccw)
        for image, t_s in zip(images, times_s, strict=True):
            even = np.ascontiguousarray(image[: height - height % 2, : width - width % 2])
            frame = av.VideoFrame.from_ndarray(even, format="rgb24")
            frame.pts = round(t_s * TICKS_PER_S)
            frame.time_base = Fraction(1, TICKS_PER_S)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def mirrored(frames: list[Frame]) -> tuple[list[np.ndarray], list[float], int | None]:
    return [np.ascontiguousarray(f.image[:, ::-1]) for f in frames], [f.t_s for f in frames], None


def rotated_in_container(frames: list[Frame]) -> tuple[list[np.ndarray], list[float], int | None]:
    """Pixels stored turned a quarter, with the display matrix saying how to turn them back,
    as a phone held upright records."""
    stored = [np.ascontiguousarray(np.rot90(f.image, k=1)) for f in frames]
    return stored, [f.t_s for f in frames], -90


def cropped_80(
    frames: list[Frame], box: tuple[int, int, int, int]
) -> tuple[list[np.ndarray], list[float], int | None]:
    x0, y0, x1, y1 = box
    return (
        [np.ascontiguousarray(f.image[y0:y1, x0:x1]) for f in frames],
        [f.t_s for f in frames],
        None,
    )


def half_frame_rate(frames: list[Frame]) -> tuple[list[np.ndarray], list[float], int | None]:
    kept = frames[::2]
    return [f.image for f in kept], [f.t_s for f in kept], None


def retimed(factor: float) -> Transform:
    """Played ``factor`` times as long (1.25 = slowed by 25%, 0.8 = sped up by 25%)."""

    def transform(frames: list[Frame]) -> tuple[list[np.ndarray], list[float], int | None]:
        t0 = frames[0].t_s
        return [f.image for f in frames], [(f.t_s - t0) * factor for f in frames], None

    return transform


def crop_box_80(
    size_wh: tuple[int, int], person_box: tuple[float, float, float, float]
) -> tuple[int, int, int, int]:
    """An 80% x 80% window of the frame that keeps the person's box (pixels) inside if it can."""
    w, h = size_wh
    cw, ch = int(w * 0.8), int(h * 0.8)
    px0, py0, px1, py1 = person_box
    cx, cy = (px0 + px1) / 2, (py0 + py1) / 2
    x0 = int(min(max(cx - cw / 2, 0), w - cw))
    y0 = int(min(max(cy - ch / 2, 0), h - ch))
    return x0, y0, x0 + cw, y0 + ch
