"""Live coaching from the browser's camera: the messages, their checks, and one session's state.

The browser poses its own camera (MediaPipe Tasks Vision, wasm) and sends only landmarks; the
server runs the same :class:`~pushup_coach.live.coach.LiveCoach` as ``pushup-coach live`` and
sums the session up with the same :func:`~pushup_coach.live.session.session_report`.

Messages are JSON text, one object each, told apart by ``type``:

- browser -> server: ``{"type": "start", "resume": id | null}`` first; then
  ``{"type": "frame", "t_s": s, "t_sent": ms, "size_wh": [w, h], "landmarks": [[x, y, z,
  visibility] x 33] | null}`` per posed frame (x, y normalised to the picture, null = nobody);
  ``{"type": "finish"}``; ``{"type": "save"}``.
- server -> browser: ``ready`` (session id, pose rate to aim for), ``update`` per frame
  (``rep_count``, ``cue``, ``verdict`` of the last rep judged, ``in_position``, ``t_sent``
  echoed so the page can measure its latency), ``summary`` after finish, ``saved``/``error``.

Every frame is checked (shape, finite numbers in range, increasing time, one picture size, size
and rate limits); a bad one raises :class:`LiveMessageError`, which the socket closes with.
"""

from __future__ import annotations

import functools
import json
import math
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from pushup_coach.coach.ladder import Rung, variation_of
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.errors import InputError
from pushup_coach.live import LiveCoach, LiveSource, LiveUpdate, session_report
from pushup_coach.live.rate import MIN_USEFUL_HZ
from pushup_coach.pose.files import save_landmarks
from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.types import FloatArray, SessionReport

MAX_MESSAGE_CHARS = 16_384  # a frame is about 3 KB of JSON
MAX_FRAMES_PER_S = 60.0  # sustained; the page poses about 15 a second
BURST_FRAMES = 90  # frames that may arrive at once after a stall
MAX_SESSION_S = 30 * 60.0  # one set, or a few, not an afternoon: memory grows with each frame
SIZE_RANGE = (16, 8192)  # pixels, each side of the camera picture
XY_RANGE = (-1.0, 2.0)  # normalised coordinates a little outside the picture are normal
Z_RANGE = (-10.0, 10.0)
CLOSE_POLICY = 1008  # WebSocket close codes: bad message
CLOSE_TOO_BIG = 1009
SOURCE_NAME = "browser camera"
BACKEND_NAME = "mediapipe-tasks-web (BlazePose full, on the device)"
RATE_WINDOW = 30  # frames over which the arrival rate is measured
RATE_SLACK = 0.25  # the filter is retuned when the measured rate is this far from its rate


class LiveMessageError(InputError):
    """A browser message broke the live protocol; ``code`` is the WebSocket close code."""

    def __init__(self, reason: str, code: int = CLOSE_POLICY) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class FrameMessage:
    """One posed frame: time (s, the camera's clock), the page's send time (ms, echoed back),
    the picture size and the (33, 4) landmarks in [x, y, z, visibility], or None for nobody."""

    t_s: float
    t_sent: float
    size_wh: tuple[int, int]
    landmarks: FloatArray | None


def parse_message(text: str | None) -> dict[str, Any]:
    """The JSON object in ``text`` with a known ``type``; :class:`LiveMessageError` otherwise."""
    if text is None:
        raise LiveMessageError("send JSON text messages, not binary")
    if len(text) > MAX_MESSAGE_CHARS:
        raise LiveMessageError(f"message over {MAX_MESSAGE_CHARS} characters", CLOSE_TOO_BIG)
    try:
        msg = json.loads(text)
    except ValueError as exc:
        raise LiveMessageError("message is not JSON") from exc
    if not isinstance(msg, dict) or msg.get("type") not in ("start", "frame", "finish", "save"):
        raise LiveMessageError("message needs a type: start, frame, finish or save")
    return msg


def parse_frame(msg: dict[str, Any]) -> FrameMessage:
    """Check a ``frame`` message's fields (types, finiteness, ranges) and convert them."""
    t_s = _number(msg.get("t_s"), "t_s", 0.0, 1e7)
    t_sent = _number(msg.get("t_sent"), "t_sent", -1e15, 1e15)
    size = msg.get("size_wh")
    if not (isinstance(size, list) and len(size) == 2):
        raise LiveMessageError("size_wh must be [width, height]")
    lo, hi = SIZE_RANGE
    width, height = (int(_number(v, "size_wh", lo, hi)) for v in size)
    raw = msg.get("landmarks")
    return FrameMessage(t_s, t_sent, (width, height), None if raw is None else _landmarks(raw))


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LiveMessageError(f"{name} must be a number")
    number = float(value)
    if not (math.isfinite(number) and lo <= number <= hi):
        raise LiveMessageError(f"{name} out of range [{lo:g}, {hi:g}]")
    return number


def _landmarks(raw: Any) -> FloatArray:
    shape_ok = isinstance(raw, list) and len(raw) == N_LANDMARKS
    if not shape_ok or not all(isinstance(p, list) and len(p) == 4 for p in raw):
        raise LiveMessageError(f"landmarks must be {N_LANDMARKS} x [x, y, z, visibility]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for p in raw for v in p):
        raise LiveMessageError("landmarks must hold numbers only")
    rows = np.array(raw, dtype=np.float64)
    xy, z, vis = rows[:, :2], rows[:, 2], rows[:, 3]
    if not np.isfinite(rows).all():
        raise LiveMessageError("landmarks must be finite numbers")
    if (xy < XY_RANGE[0]).any() or (xy > XY_RANGE[1]).any():
        raise LiveMessageError(f"landmark x, y out of range [{XY_RANGE[0]}, {XY_RANGE[1]}]")
    if (z < Z_RANGE[0]).any() or (z > Z_RANGE[1]).any() or (vis < 0).any() or (vis > 1).any():
        raise LiveMessageError("landmark z or visibility out of range")
    return rows


@dataclass
class RateLimit:
    """A token bucket: ``BURST_FRAMES`` at once, ``MAX_FRAMES_PER_S`` sustained."""

    clock: Callable[[], float] = time.monotonic
    tokens: float = BURST_FRAMES
    last_s: float | None = None

    def take(self) -> None:
        now = self.clock()
        if self.last_s is not None:
            self.tokens = min(BURST_FRAMES, self.tokens + (now - self.last_s) * MAX_FRAMES_PER_S)
        self.last_s = now
        if self.tokens < 1:
            raise LiveMessageError(f"more than {MAX_FRAMES_PER_S:.0f} frames a second")
        self.tokens -= 1


@dataclass
class BrowserSession:
    """One person's live session: frames in, updates out; survives a dropped socket."""

    session_id: str
    owner: str
    config: AnalysisConfig = DEFAULT_CONFIG
    limit: RateLimit = field(default_factory=RateLimit)
    coach: LiveCoach | None = None
    rate_hz: float = 0.0
    last_t_s: float | None = None
    first_t_s: float | None = None
    posed: int = 0
    present: int = 0
    report: SessionReport | None = None
    saved_id: int | None = None
    planned: Rung | None = None  # the rung the owner's plan asks for, looked up at the start
    _arrivals: deque[float] = field(default_factory=lambda: deque(maxlen=RATE_WINDOW))

    @property
    def pose_rate_hz(self) -> float:
        """The rate the page should pose at: the analysis setting (every frame when 0)."""
        return self.config.pose_rate_hz if self.config.pose_rate_hz > 0 else 30.0

    def ready(self) -> dict[str, Any]:
        count = self.coach.rep_count if self.coach else 0
        return {
            "type": "ready",
            "session_id": self.session_id,
            "pose_rate_hz": self.pose_rate_hz,
            "rep_count": count,
            "finished": self.report is not None,
        }

    def frame(self, frame: FrameMessage) -> dict[str, Any]:
        """Feed one frame to the coach; the ``update`` message for the page."""
        self._check(frame)
        if self.coach is None:
            self.rate_hz = self.pose_rate_hz
            expected = None if self.planned is None else variation_of(self.planned)
            self.coach = LiveCoach(
                frame.size_wh, self.rate_hz, self.config, expected_variation=expected
            )
            self.first_t_s = frame.t_s
        self.last_t_s = frame.t_s
        self.posed += 1
        self.present += frame.landmarks is not None
        self._retune(frame.t_s)
        return update_message(self.coach.update(frame.t_s, frame.landmarks), frame.t_sent)

    def _check(self, frame: FrameMessage) -> None:
        if self.report is not None:
            raise LiveMessageError("this session is finished; start a new one")
        self.limit.take()
        if self.last_t_s is not None and frame.t_s <= self.last_t_s:
            raise LiveMessageError("t_s must increase from frame to frame")
        if self.first_t_s is not None and frame.t_s - self.first_t_s > MAX_SESSION_S:
            raise LiveMessageError("session over 30 minutes: finish it and start another")
        if self.coach is not None and frame.size_wh != self.coach.size_wh:
            raise LiveMessageError("the camera picture changed size; start a new session")

    def _retune(self, t_s: float) -> None:
        """Retune the causal filter to the rate frames really arrive at (a slow phone poses
        fewer than asked), as ``pushup-coach live`` does when its machine cannot keep up."""
        self._arrivals.append(t_s)
        if len(self._arrivals) < RATE_WINDOW or self.coach is None:
            return
        measured = (len(self._arrivals) - 1) / (self._arrivals[-1] - self._arrivals[0])
        rate_hz = min(measured, self.pose_rate_hz)
        if abs(rate_hz - self.rate_hz) > RATE_SLACK * self.rate_hz:
            self.rate_hz = rate_hz
            self.coach.set_pose_rate(rate_hz)

    def finish(self) -> dict[str, Any]:
        """Close the session (once) and return its ``summary`` message."""
        if self.report is None:
            if self.coach is None:
                raise LiveMessageError("no frames arrived: nothing to sum up")
            self.coach.finish()
            self.report = self._report(self.coach)
        return summary_message(self.report)

    def _report(self, coach: LiveCoach) -> SessionReport:
        source = LiveSource(frames=(), fps=self.pose_rate_hz)
        report = session_report(coach, source, BACKEND_NAME, self._coverage())
        notes = list(report.warnings)
        if self.rate_hz < MIN_USEFUL_HZ:
            notes.append(
                f"This device posed only {self.rate_hz:.0f} frames a second: fast reps may be "
                "missed. Close other apps or tabs."
            )
        live = {"frames_processed": self.posed, "pose_rate_hz": round(self.rate_hz, 2)}
        return replace(
            report,
            source=replace(report.source, path=SOURCE_NAME),
            warnings=tuple(notes),
            extra={"live": live},
        )

    def _coverage(self) -> float:
        """Frames with a person / frames offline analysis would have posed meanwhile."""
        if self.first_t_s is None or self.last_t_s is None:
            return 0.0
        expected = round((self.last_t_s - self.first_t_s) * self.pose_rate_hz) + 1
        return self.present / max(self.posed, expected, 1)

    def landmarks_npz(self) -> bytes | None:
        """The session's smoothed landmarks as the .npz bytes a saved analysis keeps (written
        through a temporary file: :func:`save_landmarks` is the one .npz writer)."""
        if self.coach is None:
            return None
        with tempfile.TemporaryDirectory(prefix="pushup-live-") as tmp:
            path = Path(tmp) / "landmarks.npz"
            save_landmarks(self.coach.series(), path)
            return path.read_bytes()


@functools.cache
def warm_up() -> None:
    """Run the coach once on a made-up frame so its lazy imports and filter design (about 0.6 s,
    once a process) happen before a page's first frame, not while the person waits for a count."""
    LiveCoach((640, 360), 15.0).update(0.0, np.full((N_LANDMARKS, 4), 0.5))


def update_message(update: LiveUpdate, t_sent: float) -> dict[str, Any]:
    """What the page shows after one frame; ``rep`` and ``verdict`` of the last rep judged."""
    last = update.assessed[-1] if update.assessed else None
    return {
        "type": "update",
        "rep_count": update.rep_count,
        "cue": update.cue,
        "rep": None if last is None else last.rep.index + 1,
        "verdict": None if last is None else last.verdict.value,
        "in_position": update.in_position,
        "t_sent": t_sent,
    }


def summary_message(report: SessionReport) -> dict[str, Any]:
    """The numbers the page shows when the person presses Finish."""
    faults = {f.value: n for f, n in report.faults_summary.items() if n}
    return {
        "type": "summary",
        "reps": report.rep_count,
        "clean": report.clean_rep_count,
        "not_checked": report.not_checked_rep_count,
        "faults": faults,
        "view": report.view.value,
        "variation": report.variation.value,
        "cues": [c.text for c in report.cues],
        "warnings": list(report.warnings),
    }
