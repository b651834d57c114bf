"""Video files -> upright RGB frames with real timestamps, decoded with PyAV.

Conventions:
- ``t_s`` is the frame's presentation time in seconds, ``(pts - stream start) * time_base``, so the
  first frame of a file sits at (about) 0 and variable frame rates are honoured; it strictly
  increases (frames whose timestamp does not move forward are dropped).
- ``index`` counts frames in decode order from the start of the file (after a seek to
  ``start_s > 0`` the first index is estimated as ``round(t_s * fps)``, exact for constant rates).
- Images are RGB uint8 of shape (H, W, 3) in the upright orientation: the container's rotation
  (a phone's display matrix or legacy ``rotate`` tag) is applied, so width/height in
  :class:`VideoInfo` are the upright size.
- ``rotation_deg`` is how far the stored picture is turned *clockwise* to stand upright, one of
  0/90/180/270 (the legacy ``rotate`` tag's meaning; a portrait phone clip is usually 90); a
  mirroring display matrix is undone too (see ``video/picture.py``), with a warning.
- Pictures with a side over ``MAX_DECODE_SIDE_PX`` (4096) are scaled down as they are decoded,
  and :class:`VideoInfo` gives the decoded size; a warning says so.
- Container metadata that is not UTF-8 is read with replacement characters, never an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import av.error
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from pushup_coach.errors import VideoError
from pushup_coach.types import Frame, VideoInfo
from pushup_coach.video.picture import (
    check_picture_size,
    decode_size,
    frame_rgb,
    orientation_of,
    upright_image,
)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")

# A file that declares this many more frames than could be decoded is reported as truncated.
_MISSING_FRAMES_TOLERANCE = 2
# Pictures whose short side is at least this skip the decoder's deblocking filter when they are
# only for pose estimation (see VideoFile's ``for_pose``).
FAST_DECODE_MIN_SIDE = 1000


def pose_stride(fps: float, rate_hz: float) -> int:
    """Every how many frames the pose model needs to look to see at least ``rate_hz`` a second.

    1 (every frame) when ``rate_hz`` is 0 or the video is not faster than it; else the largest
    step that keeps the rate: 2 at 29.97 and 30 fps for 15 Hz, 3 at 50, 4 at 59.94 and 60.
    """
    if rate_hz <= 0 or fps <= 0:
        return 1
    return max(1, int(fps / rate_hz + 0.05))  # 29.97 / 15 is a step of 2, not 1


def frames_posed(n_frames: int, stride: int) -> int:
    """How many of ``n_frames`` evenly timed frames ``frames(stride=...)`` yields: one in
    ``stride``, and the last."""
    if n_frames <= 0:
        return 0
    return -(-n_frames // stride) + (1 if (n_frames - 1) % stride else 0)


def probe_video(path: str | Path) -> VideoInfo:
    """Size (upright), fps, duration, frame count, rotation and codec of a video file.

    Decodes the first frame (the rotation lives in frame side data, and a file none of whose
    frames decode is not a usable video). Raises :class:`VideoError` with a fix-it message.
    """
    with VideoFile(path) as video:
        return video.info


def iter_frames(
    path: str | Path,
    *,
    start_s: float = 0.0,
    end_s: float | None = None,
    warnings_out: list[str] | None = None,
) -> Iterator[Frame]:
    """Decode upright frames with ``start_s <= t_s < end_s`` (see the module docstring).

    A file that breaks part-way stops early; the reason is appended to ``warnings_out`` when given.
    """
    with VideoFile(path) as video:
        yield from video.frames(start_s=start_s, end_s=end_s)
        if warnings_out is not None:
            warnings_out.extend(video.warnings)


class VideoFile:
    """One video file: its :class:`VideoInfo`, its frames, and warnings met while decoding.

    Use as a context manager; each :meth:`frames` call opens its own demuxer, closed on exit.
    ``threaded=False`` decodes on the calling thread only (for a process that has one core).
    ``for_pose=True`` says the frames only feed the pose model: pictures of 1000 pixels and more
    a side then skip H.264/HEVC's deblocking filter, ~30% of their decoding time. The model
    sees a 256x256 reduction, where the filter's smoothing of 8x8 block edges is averaged away;
    on the 27 labelled 1080p clips the answers are the same (one borderline depth verdict
    flips), checked by ``tests/test_cheap_decode.py``. Pictures meant for people (the overlay)
    are decoded in full.
    """

    def __init__(self, path: str | Path, *, threaded: bool = True, for_pose: bool = False) -> None:
        self.path = _check_path(Path(path))
        self.threaded = threaded
        self.for_pose = for_pose
        self.warnings: list[str] = []
        # Frames of the last frames() call dropped because their time did not move forward.
        self.untimed_frames = 0
        self._damaged = False
        self._mirrored = False
        self._decode_wh: tuple[int, int] | None = None  # stored (not upright) decode size
        self._open: list[InputContainer] = []
        self.info = self._probe()

    @property
    def _skip_loop_filter(self) -> bool:
        return self.for_pose and min(self.info.width, self.info.height) >= FAST_DECODE_MIN_SIDE

    def __enter__(self) -> VideoFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every demuxer still open."""
        while self._open:
            self._open.pop().close()

    @property
    def truncated(self) -> bool:
        """True when decoding stopped before the end of the file."""
        return self._damaged

    def frames(
        self,
        *,
        start_s: float = 0.0,
        end_s: float | None = None,
        stride: int = 1,
        on_skip: Callable[[float], None] | None = None,
    ) -> Iterator[Frame]:
        """Yield upright frames with ``start_s <= t_s < end_s`` in decode order.

        ``stride`` > 1 yields one frame in ``stride``, on a grid of frame times (the slots of
        ``stride / fps`` seconds), so a run that starts elsewhere (a parallel segment) picks the
        same frames once it has seen one slot change; variable frame rates get one frame per
        slot. The video's last frame is always yielded (whether the last rep was finished is
        decided there). Skipped frames are decoded (the codec needs them) but never converted
        to RGB; ``on_skip(t_s)`` hears of each.
        """
        container = self._open_container()
        try:
            stream = _video_stream(container, self.path)
            # Threaded decoding overlaps with the pose model on another core; a process that
            # already has a core to itself (a parallel worker) gains nothing from it and would
            # hold more frames in flight.
            # Frame threading holds a full-size picture per thread: not for huge ones.
            big = self._decode_wh is not None
            stream.thread_type = "AUTO" if self.threaded and not big else "SLICE"
            if self._skip_loop_filter:
                stream.codec_context.options = {"skip_loop_filter": "all"}
            origin = stream.start_time or 0
            if start_s > 0:
                _seek(container, stream, start_s, origin)
            decoded = self._decoded(container, stream, origin, start_s, end_s)
            if stride == 1:
                yield from (self._upright(*item) for item in decoded)
            else:
                yield from self._sampled(decoded, stride, on_skip, keep_last=end_s is None)
        finally:
            if container in self._open:
                self._open.remove(container)
            container.close()

    def _sampled(
        self,
        decoded: Iterator[tuple[int, float, VideoFrame]],
        stride: int,
        on_skip: Callable[[float], None] | None,
        keep_last: bool,
    ) -> Iterator[Frame]:
        rate = self.info.fps / stride
        last_slot: int | None = None
        held: tuple[int, float, VideoFrame] | None = None  # the newest frame skipped
        for item in decoded:
            if held is not None and on_skip is not None:
                on_skip(held[1])
            held = None
            # A quarter-slot offset keeps float rounding of t_s * rate away from slot edges.
            slot = math.floor(item[1] * rate + 0.25)
            if slot == last_slot:
                held = item
                continue
            last_slot = slot
            yield self._upright(*item)
        if held is not None and keep_last:
            yield self._upright(*held)
        elif held is not None and on_skip is not None:
            on_skip(held[1])

    def _upright(self, index: int, t_s: float, frame: VideoFrame) -> Frame:
        if self._decode_wh is None:
            rgb = frame_rgb(frame)
        else:  # scaled while converting: the full-size RGB picture is never made
            width, height = self._decode_wh
            small = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA")
            rgb = np.asarray(small.to_ndarray(), dtype=np.uint8)
        image = upright_image(rgb, self.info.rotation_deg)
        if self._mirrored:
            image = np.ascontiguousarray(image[:, ::-1])
        return Frame(index=index, t_s=t_s, image=image)

    def _decoded(
        self,
        container: InputContainer,
        stream: VideoStream,
        origin: int,
        start_s: float,
        end_s: float | None,
    ) -> Iterator[tuple[int, float, VideoFrame]]:
        """(index, t_s, frame) of the decoded frames in range, not yet converted."""
        time_base = stream.time_base or Fraction(1, 1)
        index = -1
        last_t_s = -np.inf
        self.untimed_frames = 0
        for frame in self._decode(container, stream):
            t_s = _frame_time_s(frame, origin, time_base, last_t_s, self.info.fps)
            if t_s <= last_t_s:
                self._untimed()
                continue
            last_t_s = t_s
            if t_s < start_s - 1e-9:
                continue
            if end_s is not None and t_s >= end_s:
                return
            # After a seek the decode position is unknown: estimate it from the nominal rate.
            index = round(t_s * self.info.fps) if index < 0 and start_s > 0 else index + 1
            yield index, t_s, frame
        if start_s <= 0 and end_s is None:
            self._check_complete(index + 1)

    def _decode(self, container: InputContainer, stream: VideoStream) -> Iterator[VideoFrame]:
        """Frames in decode order.

        Packets that fail to decode are skipped; a file that cannot be read further ends there.
        Either way a warning says so, unless no frame decoded at all, which raises VideoError.
        """
        packets = container.demux(stream)
        n_decoded = 0
        problem: av.error.FFmpegError | None = None
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except av.error.FFmpegError as exc:
                problem = exc
                break
            try:
                frames = packet.decode()
            except av.error.FFmpegError as exc:
                problem = exc
                continue
            for frame in frames:
                n_decoded += 1
                yield frame
        if problem is not None:
            self._decode_problem(problem, n_decoded)

    def _untimed(self) -> None:
        self.untimed_frames += 1
        note = (
            f"{self.path.name} has frames with no duration (the same time as the frame before); "
            "they were skipped"
        )
        if note not in self.warnings:
            self.warnings.append(note)

    def _decode_problem(self, problem: av.error.FFmpegError, n_decoded: int) -> None:
        if n_decoded == 0:
            raise VideoError(
                f"no frames could be decoded from {self.path} ({problem.strerror or problem}): "
                "the file is corrupt "
                "or truncated: re-export or re-record it"
            ) from problem
        self._damaged = True
        self.warnings.append(
            f"{self.path.name} is damaged or truncated ({problem.strerror or problem}): only "
            f"{n_decoded} frames could be decoded and analysed"
        )

    def _check_complete(self, n_frames: int) -> None:
        declared = self.info.n_frames
        if n_frames == 0:
            raise VideoError(f"no frames could be decoded from {self.path}; re-export the video")
        n_frames += self.untimed_frames  # there, just without a time of their own
        if declared and n_frames + _MISSING_FRAMES_TOLERANCE < declared and not self.truncated:
            self._damaged = True
            self.warnings.append(
                f"{self.path.name} ends early: decoded {n_frames} of the {declared} frames it "
                "declares (the file is probably truncated); only those frames were analysed"
            )

    def _open_container(self) -> InputContainer:
        container = _open(self.path)
        self._open.append(container)
        return container

    def _probe(self) -> VideoInfo:
        with _open(self.path) as container:
            stream = _video_stream(container, self.path)
            declared = stream.codec_context
            check_picture_size(declared.width, declared.height, str(self.path))
            first = next(self._decode(container, stream), None)
            if first is None:
                raise VideoError(
                    f"no frames could be decoded from {self.path}: the video stream is empty; "
                    "re-export or re-record it"
                )
            check_picture_size(first.width, first.height, str(self.path))
            orientation = orientation_of(first, stream, self.path.name)
            self._mirrored = orientation.mirrored
            if orientation.note:
                self.warnings.append(orientation.note)
            width, height = self._decode_wh_of(first.width, first.height)
            if orientation.rotation_deg in (90, 270):
                width, height = height, width
            return VideoInfo(
                path=str(self.path),
                width=width,
                height=height,
                fps=_fps(stream),
                duration_s=_duration_s(container, stream),
                n_frames=stream.frames or None,
                rotation_deg=orientation.rotation_deg,
                codec=stream.codec_context.name,
            )

    def _decode_wh_of(self, width: int, height: int) -> tuple[int, int]:
        """The stored size frames are decoded at, noting a scale-down in the warnings."""
        self._decode_wh = decode_size(width, height)
        if self._decode_wh is None:
            return width, height
        self.warnings.append(
            f"{self.path.name} is {width}x{height} pixels; its frames were scaled down to "
            f"{self._decode_wh[0]}x{self._decode_wh[1]} to keep memory in bounds (the pose "
            "model looks at 256x256)"
        )
        return self._decode_wh


def _check_path(path: Path) -> Path:
    if not path.exists():
        raise VideoError(f"no such file: {path}")
    if path.is_dir():
        raise VideoError(f"{path} is a directory; give the path of a video file inside it")
    return path


def _open(path: Path) -> InputContainer:
    kinds = "/".join(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
    try:
        # Metadata that is not UTF-8 (an odd camera, a hostile file) must not stop the analysis.
        return av.open(str(path), mode="r", metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise VideoError(
            f"{path} could not be opened as a video ({exc.strerror or exc}): it is not a video, "
            f"or it is corrupt or truncated; give a {kinds} file that plays"
        ) from exc


def _video_stream(container: InputContainer, path: Path) -> VideoStream:
    if not container.streams.video:
        raise VideoError(f"{path} has no video stream (audio only?); give a file with video")
    stream = container.streams.video[0]
    if stream.codec_context is None:  # PyAV has no decoder for the codec the header names
        raise VideoError(
            f"{path} names a video codec FFmpeg cannot decode (a damaged header or a rare "
            "codec); re-export it as H.264 MP4"
        )
    return stream


def _seek(container: InputContainer, stream: VideoStream, start_s: float, origin: int) -> None:
    """Jump to the key frame at or before ``start_s``; the caller skips the frames before it."""
    time_base = stream.time_base or Fraction(1, 1)
    target = origin + int(start_s / time_base)
    try:
        container.seek(target, stream=stream, backward=True, any_frame=False)
    except av.error.FFmpegError as exc:
        raise VideoError(f"cannot seek to {start_s:.3f} s in {container.name}: {exc}") from exc


def _frame_time_s(
    frame: VideoFrame, origin: int, time_base: Fraction, last_t_s: float, fps: float
) -> float:
    if frame.pts is None:
        # No timestamp at all: place it one nominal frame after the previous one.
        return 0.0 if last_t_s == -np.inf else last_t_s + 1.0 / fps
    return float((frame.pts - origin) * time_base)


def _fps(stream: VideoStream) -> float:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return float(rate) if rate else 30.0


def _duration_s(container: InputContainer, stream: VideoStream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return 0.0
