"""Tiny videos made with PyAV, so the decoding tests need no real footage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

WriteVideo = Callable[..., Path]
TICKS_PER_S = 30_000  # exact for 25, 30 fps and whole milliseconds


def write_video(
    path: Path,
    images: Sequence[npt.NDArray[np.uint8]],
    *,
    pts_ms: Sequence[int] | None = None,
    fps: int = 30,
    display_rotation_ccw_deg: int | None = None,
    faststart: bool = False,
    gop: int = 10,
) -> Path:
    """Encode RGB ``images`` as H.264; ``pts_ms`` sets each frame's time in milliseconds (VFR)."""
    options = {"movflags": "faststart"} if faststart else {}
    height, width = images[0].shape[:2] if images else (48, 64)
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, TICKS_PER_S)
        stream.codec_context.gop_size = gop
        if display_rotation_ccw_deg is not None:
            stream.set_display_rotation(display_rotation_ccw_deg)
        for i, image in enumerate(images):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            t_ms = pts_ms[i] if pts_ms is not None else i * 1000 / fps
            frame.pts = round(t_ms * TICKS_PER_S / 1000)
            frame.time_base = Fraction(1, TICKS_PER_S)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def noise_images(n: int, size_wh: tuple[int, int] = (64, 48)) -> list[npt.NDArray[np.uint8]]:
    """``n`` frames of random pixels (they compress badly, so files have real bulk to cut)."""
    rng = np.random.default_rng(0)
    width, height = size_wh
    return [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(n)]
