"""Write RGB frames to a browser-playable H.264 MP4 that keeps each frame's real time.

Conventions: frames are upright RGB ``uint8`` arrays of shape (H, W, 3); ``t_s`` is the frame's
presentation time in seconds, exactly as the source gave it. Each frame's pts is ``t_s`` on a
1/90000 s clock, so a variable-frame-rate input comes out with the same timing and duration
(the last frame lasts as long as the median gap before it). Odd widths or heights are padded by
one edge pixel at the right or bottom, because yuv420p needs even dimensions.
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np
from av.video.stream import VideoStream

from pushup_coach.errors import VideoError
from pushup_coach.types import ImageRGB

CLOCK_HZ = 90_000
TIME_BASE = Fraction(1, CLOCK_HZ)

# No B-frames: with them the MP4 muxer mis-states the duration of variable-rate streams by up to a
# frame (measured with PyAV 18 / libx264), and players seek more simply without them.
_X264_OPTIONS = {"bf": "0"}


class VideoWriter:
    """Context manager that encodes frames to H.264 (libx264, yuv420p) in an MP4 with faststart.

    The file appears at ``path`` only when the writer closes without error; until then it is
    written next to it under a temporary name, so a failure never leaves a half-written video.

    >>> with VideoWriter("out.mp4", fps_hint=30.0) as writer:   # doctest: +SKIP
    ...     for frame in frames:
    ...         writer.write(frame.image, frame.t_s)
    """

    def __init__(
        self, path: str | os.PathLike[str], *, fps_hint: float = 30.0, crf: int = 23
    ) -> None:
        self.path = Path(path)
        self._part = self.path.with_name(f".{self.path.name}.part")
        self._fps_hint = fps_hint if fps_hint > 0 else 30.0
        self._crf = crf
        self._container: av.container.OutputContainer | None = None
        self._stream: VideoStream | None = None
        self._size_wh: tuple[int, int] | None = None
        self._pending: tuple[ImageRGB, int] | None = None
        self._gaps: list[int] = []
        self._durations: dict[int, int] = {}
        self._closed = False
        self.frames_written = 0

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    @property
    def size_wh(self) -> tuple[int, int] | None:
        """Encoded (width, height) in pixels, even; None before the first frame."""
        return self._size_wh

    def write(self, image: ImageRGB, t_s: float) -> None:
        """Queue one (H, W, 3) uint8 RGB frame shown from ``t_s`` seconds on."""
        if self._closed:
            raise VideoError(f"cannot write to {self.path}: the video writer is already closed")
        padded = _even_rgb(image)
        pts = round(t_s * CLOCK_HZ)
        if self._stream is None:
            self._open(padded)
        self._check_size(padded)
        if self._pending is not None:
            previous_pts = self._pending[1]
            if pts <= previous_pts:
                raise VideoError(
                    f"frame times must increase: got t={t_s:.6f} s after "
                    f"t={previous_pts / CLOCK_HZ:.6f} s while writing {self.path}"
                )
            self._encode(self._pending[0], previous_pts, pts - previous_pts)
        self._pending = (padded, pts)

    def close(self) -> None:
        """Flush the last frame and the encoder, finish the MP4 and move it to ``path``."""
        if self._closed:
            return
        if self._pending is None:
            self.abort()
            raise VideoError(f"no frames to write to {self.path}: the input had no frames")
        image, pts = self._pending
        self._encode(image, pts, int(np.median(self._gaps)) if self._gaps else self._hint_gap())
        self._pending = None
        try:
            assert self._stream is not None and self._container is not None
            self._mux(self._stream.encode(None))
            self._container.close()
            self._container, self._closed = None, True
            self._part.replace(self.path)
        except (av.FFmpegError, OSError) as exc:
            self.abort()
            raise VideoError(f"could not finish the video {self.path}: {exc}") from exc

    def abort(self) -> None:
        """Stop without producing a file (used when an error interrupts writing); idempotent."""
        self._closed = True
        if self._container is not None:
            # The partial file is deleted next, so a failure to finish its trailer does not matter.
            with contextlib.suppress(av.FFmpegError, OSError):
                self._container.close()
            self._container = None
        self._part.unlink(missing_ok=True)

    def _hint_gap(self) -> int:
        return round(CLOCK_HZ / self._fps_hint)

    def _open(self, image: ImageRGB) -> None:
        height, width = image.shape[:2]
        self._size_wh = (width, height)
        if not self.path.parent.is_dir():
            raise VideoError(
                f"could not create the video {self.path}: folder {self.path.parent} does not exist"
            )
        try:
            container = av.open(
                str(self._part),
                mode="w",
                format="mp4",
                container_options={"movflags": "+faststart"},
            )
            stream = container.add_stream(
                "libx264", rate=Fraction(self._fps_hint).limit_denominator(1001)
            )
        except (av.FFmpegError, OSError) as exc:
            raise VideoError(f"could not create the video {self.path}: {exc}") from exc
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = TIME_BASE
        stream.codec_context.time_base = TIME_BASE
        stream.options = {"crf": str(self._crf), "preset": "superfast", **_X264_OPTIONS}
        self._container, self._stream = container, stream

    def _check_size(self, image: ImageRGB) -> None:
        height, width = image.shape[:2]
        if (width, height) != self._size_wh:
            raise VideoError(
                f"every frame must have the same size: expected {self._size_wh} (w, h) "
                f"but got {(width, height)} while writing {self.path}"
            )

    def _encode(self, image: ImageRGB, pts: int, duration: int) -> None:
        assert self._stream is not None and self._container is not None
        # OpenCV's RGB->I420 (BT.601, limited range: what swscale would do) is about 4 ms a
        # 1080p frame cheaper than handing PyAV an rgb24 frame to convert.
        planes = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2YUV_I420), dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        frame.pts, frame.time_base, frame.duration = pts, TIME_BASE, duration
        self._durations[pts] = duration
        try:
            self._mux(self._stream.encode(frame))
        except (av.FFmpegError, OSError) as exc:
            self.abort()
            raise VideoError(f"could not encode a frame into {self.path}: {exc}") from exc
        self.frames_written += 1
        self._gaps.append(duration)

    def _mux(self, packets: list[av.Packet]) -> None:
        # libx264 stamps every packet with 1/rate; the real gap is what keeps a VFR duration right.
        assert self._container is not None
        for packet in packets:
            if packet.pts is not None and packet.pts in self._durations:
                packet.duration = self._durations.pop(packet.pts)
            self._container.mux(packet)


def _even_rgb(image: ImageRGB) -> ImageRGB:
    """The image as contiguous (H', W', 3) uint8 with H' and W' even (edge pixels repeated)."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] != 3:
        raise VideoError(
            f"frames must be RGB uint8 arrays of shape (H, W, 3), got {arr.dtype} {arr.shape}"
        )
    pad_h, pad_w = arr.shape[0] % 2, arr.shape[1] % 2
    if pad_h or pad_w:
        arr = np.pad(arr, ((0, pad_h), (0, pad_w), (0, 0)), mode="edge")
    return np.ascontiguousarray(arr)
