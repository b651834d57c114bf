"""One rep state machine, shared by offline analysis and live coaching.

It consumes one sample at a time: the body's motion (:func:`pushup_coach.motion.motion_signal`,
the shoulders' distance from the hands in arm lengths: high = top of a push-up), whether the
person is in push-up position, and the elbow angle (only reported, for partial attempts).
Extremes are found with hysteresis: a top is confirmed once the motion has fallen
``rep_hysteresis`` below it, a bottom once it has risen that much above it, so jitter and pauses
never make extremes. A rep is a confirmed top, a bottom far enough below it, and a rise back up
of at least ``rep_min_return`` of that descent, qualifying between ``rep_min_duration_s`` and
``rep_max_duration_s`` after the top; it is counted the moment the rise qualifies (live
feedback), and its end is fixed at the following top.

"Far enough" adapts to the person and the variation: at least ``rep_min_range`` arm lengths (a
floor against tracking jitter) and at least ``rep_range_share`` of the person's typical swing,
the median swing of their last few cycles (a wall push-up moves less than a full one; half-way
dips between full reps are not reps). The counter learns it as it goes, so live and offline
agree. Anything else that went down and up is a partial attempt. Leaving position (standing,
kneeling, walking, tracking lost) or a cut in an edited video ends any rep in progress as partial
and closes the set. Reps chain top to top, so the rest between two reps is the time the body
stays near the top between them (within ``rep_hysteresis`` of it): a hold longer than
``set_rest_s`` also closes the set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.types import BoolArray, FloatArray, PartialRep, Rep, RepSet

NOT_FULL = "did not go down and up fully"
CUT = "cut in the video"
# Why nothing was counted, in words a person can act on (offline and live reports).
NEVER_IN_POSITION = (
    "The person was never in push-up position (supported on the hands, body far from upright), "
    "so no reps were counted. If you were doing push-ups, the camera may have looked down from "
    "above or been too close: film from the side at hip height, whole body in the frame."
)
NO_COMPLETE_REP = "No complete push-up (down to the bottom and back up) was seen."
TYPICAL_OF_LAST = 5  # counted reps whose median swing is the person's typical swing
# The most a rep's swing adds to the typical swing (arm lengths): the shoulders cannot travel
# much more than an arm's length toward the hands (chest to the floor, or a little below the
# hands on parallettes), so a larger swing is a scale artefact (an arm length taken from a few
# foreshortened frames after the person appears), and it must not raise the bar for the rest.
MAX_TYPICAL_SWING = 1.5


class Phase(Enum):
    OUT = "out of position"
    RISING = "rising (tracking a top)"
    FALLING = "falling (tracking a bottom)"


@dataclass
class _Extreme:
    i: int
    t_s: float
    value: float
    elbow_deg: float = math.nan


@dataclass
class RepCounter:
    """Incremental rep counter. Feed samples with :meth:`update`, then call :meth:`finish`.

    ``reps`` holds completed reps (a rep's ``end_*`` is provisional until the next top is
    confirmed or :meth:`finish` runs); ``partials`` holds attempts that did not complete;
    ``top_holds_s`` maps a rep's index to the time (s) spent near the top that ends it, once the
    next descent confirms that top.
    """

    config: AnalysisConfig = DEFAULT_CONFIG
    reps: list[Rep] = field(default_factory=list)
    partials: list[PartialRep] = field(default_factory=list)
    top_holds_s: dict[int, float] = field(default_factory=dict)
    phase: Phase = Phase.OUT
    _top: _Extreme | None = None  # last confirmed top (start of the current cycle)
    _run: _Extreme | None = None  # running extreme of the current phase
    _bottom: _Extreme | None = None  # confirmed bottom of the current cycle
    _first: _Extreme | None = None  # first sample since entering position
    _counted: bool = False  # the current cycle already produced a rep
    _last: _Extreme | None = None
    _rise: list[_Extreme] = field(default_factory=list)  # samples of the current rising phase
    _entries: int = 0  # times the person entered position
    _out_since_s: float | None = None  # start of the current out-of-position spell
    _swings: list[float] = field(default_factory=list)  # top-to-bottom swing of each rep
    _bend: list[float] = field(default_factory=list)  # elbow range [low, high] since the top
    _bend_at_run: list[float] = field(default_factory=list)  # ... up to the running top

    def update(
        self,
        i: int,
        t_s: float,
        motion: float,
        in_position: bool,
        elbow_deg: float = math.nan,
        cut: bool = False,
    ) -> Rep | None:
        """Feed one sample (``motion`` in arm lengths, see :mod:`pushup_coach.motion`); returns
        the rep completed by it, if any.

        Out-of-position spells shorter than ``position_blip_s`` (someone walking past, a
        tracking glitch, a bumped camera) are skipped as if those frames were missing; a longer
        spell ends the cycle, dated from when it began. ``cut`` marks the first frame of a new
        shot in an edited video: the cycle open before it ends there, and what follows starts
        afresh, so a cut neither completes nor splits a rep.
        """
        if cut and in_position and self._out_since_s is None:
            # Between two frames in position; a jump into or out of position (someone walking
            # through the picture) is a position change, handled below.
            self._leave_position(CUT)
        if not in_position or math.isnan(motion):
            if self._out_since_s is None:
                self._out_since_s = t_s
            if t_s - self._out_since_s >= self.config.position_blip_s:
                self._leave_position("left push-up position or tracking lost")
            return None
        self._out_since_s = None
        sample = _Extreme(i, t_s, motion, elbow_deg)
        if not math.isnan(elbow_deg):
            self._bend = (
                [min(self._bend[0], elbow_deg), max(self._bend[1], elbow_deg)]
                if (self._bend)
                else [elbow_deg, elbow_deg]
            )
        previous, self._last = self._last, sample
        if self.phase is Phase.OUT:
            self.phase, self._run, self._first = Phase.RISING, sample, sample
            self._top = self._bottom = None
            self._bend = [] if math.isnan(elbow_deg) else [elbow_deg, elbow_deg]
            self._rise, self._entries = [sample], self._entries + 1
            return None
        if self.phase is Phase.RISING:
            return self._rising(sample, previous)
        self._falling(sample)
        return None

    def _rising(self, s: _Extreme, previous: _Extreme | None) -> Rep | None:
        assert self._run is not None
        self._rise.append(s)
        if s.value > self._run.value:
            self._run, self._bend_at_run = s, list(self._bend)
            return self._maybe_count(s)
        if s.value < self._run.value - self.hysteresis:
            if self._wobble():
                # Turned down again before climbing out of the bottom: one bottom, not a cycle.
                assert self._bottom is not None
                self.phase, self._run = Phase.FALLING, min(self._bottom, s, key=_value)
                return None
            self._record_hold(self._run, previous)
            self._bend = self._bend_at_run  # the cycle ended at its top, not where the fall began
            self._confirm_top(self._run)
            self.phase, self._run = Phase.FALLING, s
        return None

    def _wobble(self) -> bool:
        """Whether the rise being tracked is a wobble at the bottom, not a top: it climbed
        less than ``min_swing`` out of the cycle's bottom, stayed well below the cycle's top,
        and counted no rep."""
        run, bottom, top = self._run, self._bottom, self._top
        if top is None or bottom is None or run is None or self._counted:
            return False
        low = run.value - bottom.value < self.min_swing
        return low and run.value < top.value - self.hysteresis

    def _descent_start(self, top: _Extreme) -> _Extreme:
        """Where the next cycle starts: the last sample still near ``top`` before the descent.

        A rest held at the top (in plank, between sets) belongs to neither rep, so a rep's
        duration is its movement and a long rest does not push it past ``rep_max_duration_s``.
        The value stays the top's own, so the rep's range is measured from the peak.
        """
        near = top.value - self.hysteresis / 2
        leave = next((x for x in reversed(self._rise) if x.value >= near), top)
        return _Extreme(leave.i, leave.t_s, top.value, top.elbow_deg) if leave.i > top.i else top

    def _record_hold(self, top: _Extreme, leave: _Extreme | None) -> None:
        """Time from reaching the top band to leaving it, for the rep this top ends."""
        if not (self._counted and self.reps and leave is not None):
            return
        band = top.value - self.hysteresis
        arrive = next((x for x in self._rise if x.value >= band), top)
        self.top_holds_s[self.reps[-1].index] = max(0.0, float(leave.t_s - arrive.t_s))

    def _falling(self, s: _Extreme) -> None:
        assert self._run is not None
        if s.value < self._run.value:
            self._run = s
        elif s.value > self._run.value + self.hysteresis:
            self._bottom, self._counted = self._run, False
            self.phase, self._run, self._rise = Phase.RISING, s, [s]

    def _maybe_count(self, s: _Extreme) -> Rep | None:
        """Count the current cycle once the rise from its bottom is deep enough."""
        top, bottom, cfg = self._top, self._bottom, self.config
        if top is None or bottom is None or self._counted:
            return None
        swing = top.value - bottom.value
        if swing < self.min_swing:
            return None
        regain = max(cfg.rep_min_range, cfg.rep_min_return * swing)
        if s.value - bottom.value < regain:
            return None
        if not cfg.rep_min_duration_s <= s.t_s - top.t_s <= cfg.rep_max_duration_s:
            return None
        if self._bend and self._bend[1] - self._bend[0] < cfg.rep_min_bend_deg:
            return None  # the shoulders moved on straight arms: rocking or shuffling, not a rep
        self._swings.append(min(swing, MAX_TYPICAL_SWING))
        rep = Rep(
            index=len(self.reps),
            start_i=top.i,
            bottom_i=bottom.i,
            end_i=s.i,
            start_s=top.t_s,
            bottom_s=bottom.t_s,
            end_s=s.t_s,
        )
        self.reps.append(rep)
        self._counted = True
        return rep

    @property
    def typical_swing(self) -> float:
        """Median top-to-bottom swing (arm lengths) of the last ``TYPICAL_OF_LAST`` reps; 0
        before the first."""
        recent = self._swings[-TYPICAL_OF_LAST:]
        return float(np.median(recent)) if recent else 0.0

    @property
    def min_swing(self) -> float:
        """Swing the next rep needs: the floor, or ``rep_range_share`` of the typical swing."""
        cfg = self.config
        return max(cfg.rep_min_range, cfg.rep_range_share * self.typical_swing)

    @property
    def hysteresis(self) -> float:
        """How far the motion must turn back to confirm an extreme: the floor, or
        ``rep_hysteresis_share`` of the typical swing (a wobble of a tracked elbow mid-descent
        in a big rep is not a bottom)."""
        cfg = self.config
        return max(cfg.rep_hysteresis, cfg.rep_hysteresis_share * self.typical_swing)

    def _confirm_top(self, top: _Extreme) -> None:
        """A top is confirmed: close the previous cycle (fix its rep's end, or record a partial)
        and start the next one where the descent from it begins (see :meth:`_descent_start`)."""
        if self._counted and self.reps:
            self._extend_last_rep(top)
        elif self._bottom is not None and self._top is not None:
            self._add_partial(self._top, top, self._bottom, NOT_FULL)
        elif (
            self._top is None
            and self._first is not None
            and top.value - self._first.value >= self.min_swing
        ):
            reason = (
                "clip starts mid-rep"
                if self._entries == 1
                else "resumed mid-rep after tracking or position was lost"
            )
            self._add_partial(self._first, top, self._first, reason)
        self._top, self._bottom, self._counted = self._descent_start(top), None, False
        self._bend = [] if math.isnan(top.elbow_deg) else [top.elbow_deg, top.elbow_deg]

    def _extend_last_rep(self, top: _Extreme) -> None:
        last = self.reps[-1]
        if top.i > last.end_i:
            self.reps[-1] = replace(last, end_i=top.i, end_s=top.t_s)

    def _add_partial(self, start: _Extreme, end: _Extreme, low: _Extreme, reason: str) -> None:
        """Record an attempt, unless the arms stayed straight (standing up, lying down, rocking:
        no attempt at a push-up)."""
        if self._bend and self._bend[1] - self._bend[0] < self.config.rep_min_bend_deg:
            return
        elbow = None if math.isnan(low.elbow_deg) else low.elbow_deg
        self.partials.append(PartialRep(start.t_s, end.t_s, elbow, reason))

    def _leave_position(self, reason: str) -> None:
        if self.phase is Phase.OUT:
            return
        self._close_cycle(reason)
        self.phase, self._run, self._top, self._bottom, self._first = (
            Phase.OUT,
            None,
            None,
            None,
            None,
        )

    def _close_cycle(self, reason: str) -> None:
        """End whatever cycle is open at a loss of position or the end of the data."""
        run, top, last = self._run, self._top, self._last
        if self.phase is Phase.RISING and run is not None:
            if self._counted:
                self._extend_last_rep(run)
            elif top is not None and self._bottom is not None:
                # Back up near its top, the attempt was complete but not a rep, not cut off.
                back_up = run.value >= top.value - self.hysteresis
                self._add_partial(top, run, self._bottom, NOT_FULL if back_up else reason)
        elif (
            self.phase is Phase.FALLING
            and top is not None
            and run is not None
            and last is not None
            and top.value - run.value >= self.min_swing
        ):
            self._add_partial(top, last, run, reason)
        self._counted = False

    def finish(self) -> None:
        """Close the open cycle at the end of the data (a cut-off attempt becomes partial)."""
        self._out_since_s = None
        self._leave_position("cut off by the end of the clip")


def _value(x: _Extreme) -> float:
    return x.value


def count_reps(
    t_s: FloatArray,
    motion: FloatArray,
    in_position: BoolArray,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    elbow_deg: FloatArray | None = None,
    cuts: BoolArray | None = None,
) -> tuple[list[Rep], list[PartialRep]]:
    """Run :class:`RepCounter` over whole (T,) arrays: (reps with sets assigned, partials).

    ``motion`` is :func:`pushup_coach.motion.motion_signal` (arm lengths); ``elbow_deg`` only
    fills in the partial attempts' lowest elbow angle; ``cuts`` marks the first frames of shots.
    """
    counter = RepCounter(config)
    elbow = np.full(len(t_s), np.nan) if elbow_deg is None else elbow_deg
    cut = np.zeros(len(t_s), dtype=bool) if cuts is None else cuts
    for i in range(len(t_s)):
        counter.update(
            i, float(t_s[i]), float(motion[i]), bool(in_position[i]), float(elbow[i]), bool(cut[i])
        )
    counter.finish()
    sets = assign_sets(counter.reps, in_position, config, counter.top_holds_s, t_s)
    return sets, counter.partials


def _longest_out_s(t_s: FloatArray, in_position: BoolArray, start: int, stop: int) -> float:
    """Longest out-of-position spell (s) between frames ``start`` and ``stop`` inclusive."""
    longest, since = 0.0, None
    for i in range(start, stop + 1):
        if not in_position[i]:
            since = t_s[i] if since is None else since
            longest = max(longest, float(t_s[min(i + 1, len(t_s) - 1)] - since))
        else:
            since = None
    return longest


def assign_sets(
    reps: list[Rep],
    in_position: BoolArray,
    config: AnalysisConfig,
    top_holds_s: dict[int, float] | None = None,
    t_s: FloatArray | None = None,
) -> list[Rep]:
    """Give each rep its set index: a new set starts after a rest or after leaving position
    (for at least ``position_blip_s``; ``t_s`` gives the frame times, else frames are 1/30 s).

    The rest before a rep is the gap since the previous rep ended, or the time held at the top
    between them (``RepCounter.top_holds_s``, by the previous rep's index) when that is longer.
    """
    holds = top_holds_s or {}
    if t_s is None:
        t_s = np.arange(len(in_position), dtype=np.float64) / 30.0
    out: list[Rep] = []
    set_index = 0
    for k, rep in enumerate(reps):
        if k > 0:
            prev = reps[k - 1]
            left = _longest_out_s(t_s, in_position, prev.end_i, rep.start_i) >= (
                config.position_blip_s
            )
            rest_s = max(rep.start_s - prev.end_s, holds.get(prev.index, 0.0))
            if rest_s > config.set_rest_s or left:
                set_index += 1
        out.append(replace(rep, set_index=set_index))
    return out


def group_sets(reps: list[Rep]) -> list[RepSet]:
    """Sets from reps that carry their ``set_index``."""
    sets: list[RepSet] = []
    for idx in sorted({r.set_index for r in reps}):
        members = [r for r in reps if r.set_index == idx]
        sets.append(
            RepSet(
                index=len(sets),
                rep_indices=tuple(r.index for r in members),
                start_s=members[0].start_s,
                end_s=members[-1].end_s,
            )
        )
    return sets
