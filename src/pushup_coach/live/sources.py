"""Where live frames come from: a camera, or a video file played at its real pace.

A producer thread reads frames at the source's pace and leaves the newest one in a one-frame slot,
stamped with its arrival time (``time.perf_counter``). The coach takes whatever is in the slot
when it is free: a frame replaced before it was taken was *dropped*, as a camera drops frames a
slow consumer never reads. ``realtime=False`` (files only) hands over every frame without pacing
or dropping, for tests that need every frame; so does a source built on an iterable of frames
(``frames=``), the seam tests use to drive live coaching without a video or a camera.

A :class:`VirtualClock` (``clock=``) replays a file or frames at their real pace on a clock the
caller advances (a test's backend "takes" a fixed time per frame): the newest frame due by the
clock's time is handed over and the ones it replaced are dropped, exactly as the one-frame slot
would, but without threads or sleeping, so drops do not depend on how busy the machine is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pushup_coach.errors import InputError, VideoError
from pushup_coach.types import Frame
from pushup_coach.video.source import VideoFile

_CAMERA_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Arrival:
    """A frame and the ``time.perf_counter()`` reading when it became available."""

    frame: Frame
    arrived_s: float


class VirtualClock:
    """A clock that only moves when told to: ``clock()`` reads it, ``sleep(s)`` advances it."""

    def __init__(self, start_s: float = 0.0) -> None:
        self.now_s = start_s

    def __call__(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.now_s += max(0.0, seconds)


class FrameSlot:
    """A one-frame mailbox between a producer thread and the coach (newest frame wins)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Arrival | None = None
        self._closed = False
        self.dropped = 0
        self.error: BaseException | None = None

    def put(self, item: Arrival) -> None:
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cond.notify()

    def close(self, error: BaseException | None = None) -> None:
        with self._cond:
            self._closed, self.error = True, error
            self._cond.notify()

    def take(self) -> Arrival | None:
        """The newest frame (waiting for one), or None once the producer is done."""
        with self._cond:
            while self._item is None and not self._closed:
                self._cond.wait()
            item, self._item = self._item, None
            return item


class LiveSource:
    """Frames from a file (``path``), a camera (``camera`` index) or an iterable (``frames``)."""

    def __init__(
        self,
        *,
        path: str | Path | None = None,
        camera: int | None = None,
        realtime: bool = True,
        frames: Iterable[Frame] | None = None,
        fps: float = 30.0,
        clock: VirtualClock | None = None,
    ) -> None:
        if sum(x is not None for x in (path, camera, frames)) != 1:
            raise InputError("give either a video file or a camera index, not both or neither")
        if camera is not None and (not realtime or clock is not None):
            raise InputError("a camera always runs in real time; --no-realtime needs --source")
        self.path, self.camera = path, camera
        self.realtime = (realtime and frames is None) or clock is not None
        self.virtual = clock
        # What latency and the pose rate are measured with: the machine's clock, or the virtual one.
        self.clock: Callable[[], float] = clock if clock is not None else time.perf_counter
        self._virtual_dropped = 0
        self.slot = FrameSlot()
        self.fps = fps
        self._frames = frames
        self._stop = threading.Event()
        if path is not None:
            with VideoFile(path) as video:
                self.fps = video.info.fps

    @property
    def name(self) -> str:
        """What the frames come from, for reports: the path, ``camera:N`` or ``frames``."""
        if self.camera is not None:
            return f"camera:{self.camera}"
        return str(self.path) if self.path is not None else "frames"

    @property
    def dropped(self) -> int:
        return self.slot.dropped + self._virtual_dropped

    def arrivals(self) -> Iterator[Arrival]:
        """Every frame (not real time), or the newest frame whenever the consumer asks."""
        if self.virtual is not None:
            yield from self._virtual_pace(self.virtual)
            return
        if not self.realtime:
            yield from self._every_frame()
            return
        producer = threading.Thread(target=self._produce, daemon=True)
        producer.start()
        try:
            while (item := self.slot.take()) is not None:
                yield item
            if self.slot.error is not None:
                raise self.slot.error
        finally:
            self._stop.set()
            producer.join(timeout=_CAMERA_TIMEOUT_S)

    def _every_frame(self) -> Iterator[Arrival]:
        for frame in self._frame_iter():
            yield Arrival(frame, time.perf_counter())

    def _frame_iter(self) -> Iterator[Frame]:
        if self._frames is not None:
            yield from self._frames
            return
        assert self.path is not None
        with VideoFile(self.path, for_pose=True) as video:
            yield from video.frames()

    def _virtual_pace(self, clock: VirtualClock) -> Iterator[Arrival]:
        """The newest frame due on ``clock`` each time the consumer asks; frames it replaced
        are dropped. A frame is due ``t_s`` after the first on the clock's time."""
        start = clock()
        frames = self._frame_iter()
        waiting = next(frames, None)
        first_t_s = waiting.t_s if waiting is not None else 0.0
        while waiting is not None:
            due = start + waiting.t_s - first_t_s
            clock.sleep(due - clock())  # nothing new yet: wait for the next frame
            newest, waiting = waiting, next(frames, None)
            while waiting is not None and start + waiting.t_s - first_t_s <= clock():
                newest, waiting = waiting, next(frames, None)
                self._virtual_dropped += 1
            yield Arrival(newest, start + newest.t_s - first_t_s)

    def _produce(self) -> None:
        try:
            if self.path is not None:
                self._play_file()
            else:
                self._read_camera()
        except (VideoError, InputError) as exc:
            self.slot.close(exc)
            return
        self.slot.close()

    def _play_file(self) -> None:
        """Put each frame in the slot at ``t_s`` after the first, on this machine's clock."""
        assert self.path is not None
        with VideoFile(self.path, for_pose=True) as video:
            start = time.perf_counter()
            first_t_s: float | None = None
            for frame in video.frames():
                if self._stop.is_set():
                    return
                first_t_s = frame.t_s if first_t_s is None else first_t_s
                delay = start + (frame.t_s - first_t_s) - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                self.slot.put(Arrival(frame, time.perf_counter()))

    def _read_camera(self) -> None:
        import cv2

        assert self.camera is not None
        capture = cv2.VideoCapture(self.camera)
        if not capture.isOpened():
            raise InputError(f"camera {self.camera} could not be opened; try --camera 0 or 1")
        start, index = time.perf_counter(), 0
        try:
            while not self._stop.is_set():
                ok, bgr = capture.read()
                if not ok:
                    return
                arrived = time.perf_counter()
                rgb = np.ascontiguousarray(bgr[:, :, ::-1], dtype=np.uint8)
                self.slot.put(Arrival(Frame(index, arrived - start, rgb), arrived))
                index += 1
        finally:
            capture.release()
