"""Live coaching state: one pose row in, the updated count and (sometimes) a cue out.

The stages are the offline ones run incrementally: causal smoothing
(:mod:`pushup_coach.live.causal`) -> features of the newest frame -> the same
:class:`pushup_coach.reps.RepCounter` -> :func:`pushup_coach.form.assess.assess_rep` ->
:func:`pushup_coach.feedback.rep_cue`, throttled by :class:`pushup_coach.feedback.CueThrottle`.

- View, side and variation are decided once, from the first ``calibrate_s`` seconds with a person
  in them, and then kept; the frames seen until then are fed to the counter at that moment, so a
  rep started during calibration still counts.
- A frame's features come from the last ``FEATURE_WINDOW_S`` of smoothed rows (the body-line floor
  side and arm length use medians and running maxima, which need more than one frame).
- A rep is counted the moment its rise qualifies; it is assessed when its end is fixed (the next
  top is confirmed, position is left, or the session ends). By then the rep is in the past, so
  its raw landmarks (with ``ASSESS_MARGIN_S`` either side) are smoothed zero-phase exactly as
  offline before the fault rules judge it: form verdicts do not carry the causal filter's lag.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.features import choose_side, compute_features
from pushup_coach.feedback import CueThrottle, rep_cue
from pushup_coach.form.assess import assess_rep
from pushup_coach.live.causal import CausalSmoother
from pushup_coach.motion import motion_at_end
from pushup_coach.posture import (
    classify_variation,
    classify_view,
    in_position,
    resolve_variation,
)
from pushup_coach.reps import Phase, RepCounter
from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.smoothing import CUT_MIN_JUMP, jump_ratio, smooth_series
from pushup_coach.types import (
    FeatureSeries,
    FloatArray,
    PoseSeries,
    Rep,
    RepAssessment,
    Side,
    Variation,
    View,
)

CALIBRATE_S = 1.5  # seconds with a person before the view, side and variation are fixed
FEATURE_WINDOW_S = 10.0
LAG_FRAMES = 6  # frames the causal filter may have delayed an extreme by (about 3 at 3 Hz)
ASSESS_MARGIN_S = 2.0  # raw frames before a rep re-smoothed with it for its assessment
_FEATURES = (
    "elbow_deg",
    "hip_dev_norm",
    "hip_angle_deg",
    "neck_dev_norm",
    "shoulder_height_norm",
    "body_incline_deg",
    "hand_width_ratio",
    "elbow_flare_deg",
    "quality",
)


@dataclass(frozen=True)
class Setup:
    """What live coaching decided from the first seconds: view, camera-side body side, variation."""

    view: View
    side: Side
    variation: Variation


@dataclass(frozen=True)
class LiveUpdate:
    """The result of one frame: count so far, reps counted and assessed by it, a cue to give."""

    t_s: float
    rep_count: int
    counted: tuple[Rep, ...] = ()
    assessed: tuple[RepAssessment, ...] = ()
    cue: str | None = None
    in_position: bool = False
    side: str = "left"  # the body side facing the camera, for the head-to-heel line
    hip_dev_norm: float = float("nan")  # this frame's body-line deviation, for the line colour
    landmarks: FloatArray | None = None  # (33, 4) smoothed row, for drawing


@dataclass
class _Rows:
    """Growing (T, ...) arrays with amortised appends."""

    width: tuple[int, ...]
    data: FloatArray = field(default_factory=lambda: np.empty(0))
    n: int = 0

    def append(self, row: FloatArray) -> None:
        if self.n == 0 or self.n == len(self.data):
            grown = np.full((max(256, 2 * self.n), *self.width), np.nan)
            if self.n:
                grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n] = row
        self.n += 1

    def view(self, start: int = 0) -> FloatArray:
        return self.data[start : self.n]


class LiveCoach:
    """Feed it :meth:`update` per processed frame, then :meth:`finish` once."""

    def __init__(
        self,
        size_wh: tuple[int, int],
        fps: float,
        config: AnalysisConfig = DEFAULT_CONFIG,
        *,
        calibrate_s: float = CALIBRATE_S,
        throttle: CueThrottle | None = None,
        expected_variation: Variation | None = None,
    ) -> None:
        """``expected_variation``: what the person's plan asks for; the variation seen is
        checked against it (:attr:`variation_note` says so on a mismatch), and it stands in
        where the camera cannot tell."""
        self.size_wh = size_wh
        self.config = config
        self.setup: Setup | None = None
        self.expected_variation = expected_variation
        self.variation_note: str | None = None
        self.counter = RepCounter(config)
        self.assessments: list[RepAssessment] = []
        self._throttle = throttle or CueThrottle()
        self._calibrate_s = calibrate_s
        self._smoother = CausalSmoother(fps, config.smoothing_cutoff_hz, config.max_gap_s)
        self._t_s = _Rows(())
        self._landmarks = _Rows((N_LANDMARKS, 4))
        self._raw = _Rows((N_LANDMARKS, 4))
        self._margin = max(1, round(ASSESS_MARGIN_S * fps))
        self._features = _Rows((len(_FEATURES),))
        self._in_position: list[bool] = []
        self._fed = 0  # frames given to the counter so far
        self._last_seen: FloatArray | None = None  # last raw row with a person in it
        self._cuts: list[bool] = []  # per frame: the first of a new shot
        self._assessed = 0  # reps assessed so far

    def update(self, t_s: float, raw: FloatArray | None) -> LiveUpdate:
        """Take the raw (33, 4) landmarks of the frame at ``t_s`` (None = no person)."""
        cut = self._is_cut(raw)
        if cut:
            self._smoother.restart()  # a new shot: do not glide from where the old one was
        self._cuts.append(cut)
        row = self._smoother.update(t_s, raw)
        self._t_s.append(np.array(t_s, dtype=np.float64))
        self._landmarks.append(row)
        self._raw.append(np.full((N_LANDMARKS, 4), np.nan) if raw is None else raw)
        if self.setup is None:
            self.setup = self._try_setup()
        counted: list[Rep] = []
        if self.setup is not None:
            while self._fed < self._t_s.n:
                counted.extend(self._feed(self._fed))
        assessed = self._assess_closed(final=False)
        return self._result(t_s, counted, assessed, row)

    def set_pose_rate(self, rate_hz: float) -> None:
        """Frames now arrive ``rate_hz`` a second: retune the causal filter to that rate (each
        landmark's filter restarts at its next value)."""
        cfg = self.config
        self._smoother = CausalSmoother(rate_hz, cfg.smoothing_cutoff_hz, cfg.max_gap_s)

    def finish(self) -> tuple[RepAssessment, ...]:
        """Close the session; returns the assessments of the reps closed by it."""
        if self.setup is None and self._t_s.n:
            self.setup = self._try_setup(force=True)
            while self.setup is not None and self._fed < self._t_s.n:
                self._feed(self._fed)
        self.counter.finish()
        return tuple(self._assess_closed(final=True))

    @property
    def rep_count(self) -> int:
        return len(self.counter.reps)

    @property
    def features(self) -> FeatureSeries:
        """Per-frame features of the frames fed to the counter so far."""
        return _feature_series(self._t_s.view()[: self._fed], self._features.view())

    @property
    def in_position_mask(self) -> np.ndarray:
        return np.asarray(self._in_position, dtype=bool)

    def series(self) -> PoseSeries:
        """The smoothed landmark rows so far as a :class:`PoseSeries`."""
        return PoseSeries(self._t_s.view().copy(), self._landmarks.view().copy(), self.size_wh)

    def _try_setup(self, *, force: bool = False) -> Setup | None:
        series = PoseSeries(self._t_s.view(), self._landmarks.view(), self.size_wh)
        present = series.present
        if not present.any():
            return None
        if not force and series.t_s[-1] - series.t_s[present][0] < self._calibrate_s:
            return None
        view = classify_view(series)
        side = Side.BOTH if view is View.FRONT else choose_side(series)
        detected = classify_variation(series, side, view)
        variation, self.variation_note = resolve_variation(detected, self.expected_variation)
        return Setup(view, side, variation)

    def _feed(self, i: int) -> list[Rep]:
        """Features and motion of frame ``i`` from its trailing window, then one counter step."""
        assert self.setup is not None
        t = self._t_s.view()
        start = max(0, int(np.searchsorted(t[: i + 1], t[i] - FEATURE_WINDOW_S, side="right")))
        window = PoseSeries(t[start : i + 1], self._landmarks.view()[start : i + 1], self.size_wh)
        setup = self.setup
        feats = compute_features(window, setup.side, setup.view, setup.variation)
        mask = in_position(window, feats, setup.view, setup.variation)
        self._features.append(np.array([getattr(feats, name)[-1] for name in _FEATURES]))
        ok = bool(mask[-1])
        self._in_position.append(ok)
        self._fed = i + 1
        motion = motion_at_end(window, setup.side, mask)
        elbow = float(feats.elbow_deg[-1])
        rep = self.counter.update(i, float(t[i]), motion, ok, elbow, self._cuts[i])
        return [rep] if rep is not None else []

    def _is_cut(self, raw: FloatArray | None) -> bool:
        """Whether the raw row starts a new shot (see :func:`smoothing.find_cuts`)."""
        if raw is None or not np.isfinite(raw[:, 0]).any():
            return False
        previous, self._last_seen = self._last_seen, raw
        if previous is None:
            return False
        pair = np.stack([previous, raw])[:, :, :2] * np.array(self.size_wh, dtype=np.float64)
        return bool(jump_ratio(pair[:1], pair[1:])[0] >= CUT_MIN_JUMP)

    def _assess_closed(self, *, final: bool) -> list[RepAssessment]:
        """Assess reps whose end is fixed: all but one still rising, or all at the end."""
        reps = self.counter.reps
        open_reps = 1 if not final and self.counter.phase is Phase.RISING else 0
        new: list[RepAssessment] = []
        while self._assessed < len(reps) - open_reps:
            rep = reps[self._assessed]
            new.append(self._assess(rep))
            self._assessed += 1
        self.assessments.extend(new)
        return new

    def _assess(self, rep: Rep) -> RepAssessment:
        """Judge ``rep`` on its re-smoothed frames, as offline analysis would."""
        setup = self.setup
        assert setup is not None
        lo = max(0, rep.start_i - self._margin)
        hi = self._fed
        raw = PoseSeries(self._t_s.view()[lo:hi], self._raw.view()[lo:hi], self.size_wh)
        smoothed = smooth_series(raw, self.config)
        window = compute_features(smoothed, setup.side, setup.view, setup.variation)
        local = _refine(_shift(rep, -lo), window)
        assessment = assess_rep(window, local, setup.view, self.config)
        return dataclasses.replace(assessment, rep=_shift(local, lo))

    def _result(
        self, t_s: float, counted: list[Rep], assessed: list[RepAssessment], row: FloatArray
    ) -> LiveUpdate:
        cue = None
        for a in assessed:
            text = rep_cue(a)
            if self._throttle.offer(t_s, text):
                cue = text
        return LiveUpdate(
            t_s=t_s,
            rep_count=len(self.counter.reps),
            counted=tuple(counted),
            assessed=tuple(assessed),
            cue=cue,
            in_position=bool(self._in_position[-1]) if self._in_position else False,
            hip_dev_norm=float(self._features.data[self._fed - 1, 1]) if self._fed else math.nan,
            side=self.setup.side.value if self.setup else "left",
            landmarks=row,
        )


def _feature_series(t_s: FloatArray, rows: FloatArray) -> FeatureSeries:
    columns = {name: np.array(rows[:, k]) for k, name in enumerate(_FEATURES)}
    return FeatureSeries(t_s=np.array(t_s), **columns)


def _refine(rep: Rep, features: FeatureSeries) -> Rep:
    """Move the rep's top, bottom and end back to the zero-phase extremes the causal lag hid.

    The causal filter delays the elbow curve by a few frames, so each extreme the counter found
    is searched for again in the ``LAG_FRAMES`` before it on the re-smoothed curve.
    """
    elbow = np.nan_to_num(features.elbow_deg, nan=-np.inf)
    low = np.nan_to_num(features.elbow_deg, nan=np.inf)

    def search(i: int, floor: int, pick: Callable[[FloatArray], np.intp], curve: FloatArray) -> int:
        start = max(floor, i - LAG_FRAMES)
        return start + int(pick(curve[start : i + 1]))

    start_i = search(rep.start_i, 0, np.argmax, elbow)
    bottom_i = search(rep.bottom_i, start_i + 1, np.argmin, low)
    end_i = search(rep.end_i, bottom_i + 1, np.argmax, elbow)
    t_s = features.t_s
    return Rep(
        index=rep.index,
        start_i=start_i,
        bottom_i=bottom_i,
        end_i=end_i,
        start_s=float(t_s[start_i]),
        bottom_s=float(t_s[bottom_i]),
        end_s=float(t_s[end_i]),
        set_index=rep.set_index,
    )


def _shift(rep: Rep, offset: int) -> Rep:
    return Rep(
        index=rep.index,
        start_i=rep.start_i + offset,
        bottom_i=rep.bottom_i + offset,
        end_i=rep.end_i + offset,
        start_s=rep.start_s,
        bottom_s=rep.bottom_s,
        end_s=rep.end_s,
        set_index=rep.set_index,
    )
