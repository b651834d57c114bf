"""Safety rules over the check-ins (COACHING.md sections 4-5): when pain or a warning sign ends a
session, when the plan pauses until a professional clears the person, and how a recent pain stop
caps a new baseline. Pure functions over sessions in date order, oldest first.

- Pain 3/10 or more anywhere, sharp or lasting back pain (or place not given) at any level, and
  radiating pain anywhere (into an arm or a leg) at any level end the session (a "pain stop").
- Chest pain, dizziness or fainting during exercise, at any level: stop now, seek medical advice
  now, and no plan until clearance.
- Recurring pain: pain 3/10 or more in two of three sessions in a row, or two pain stops within 7
  days: the plan pauses ("see a professional before training again") until clearance.
- A clearance (``CheckIn.cleared_at``) lifts the pause the check-ins before it caused; a new
  check-in after it counts again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from pushup_coach.coach.history import CheckIn, PainKind, PainLocation, SessionRecord
from pushup_coach.coach.ladder import LADDER, Ceiling
from pushup_coach.errors import ConfigError

PAIN_STOP_0_10 = 3
STOPPING_BACK_PAIN = frozenset({PainKind.SHARP, PainKind.LASTING})
RECURRING_PAIN_0_10 = 3
RECURRING_OF_SESSIONS = (2, 3)  # pain >= 3/10 in 2 of 3 sessions in a row
REPEAT_STOP_DAYS = 7  # two pain stops at most this many days apart
BASELINE_AFTER_PAIN_DAYS = 7  # a baseline this soon after a pain stop is capped below its rung

NOT_MEDICAL_ADVICE = "This is not medical advice."
CLEAR_COMMAND = "pushup-coach clear"
PAIN_ADVICE = (
    "Stop for today and rest. If the pain persists or comes back, see a healthcare professional "
    "before training again."
)


@dataclass(frozen=True)
class Pause:
    """The plan is paused until the person records a professional's clearance."""

    reason: str
    advice: tuple[str, ...]
    medical: bool  # a warning sign: seek medical advice now


def pain_stop_reason(checkin: CheckIn | None) -> str | None:
    """Why the pain rule ends the session, or None when it does not fire.

    Back pain of a stopping kind counts at any level above 0; a stopping kind with no location
    given is treated as back pain (the safe reading).
    """
    if checkin is None:
        return None
    signs = checkin.warning_signs
    if signs:
        return f"you reported {' and '.join(signs)} during exercise"
    where = "" if checkin.location == PainLocation.NONE else f" in the {checkin.location.label}"
    kind = "" if checkin.kind == PainKind.NONE else f", {checkin.kind.value}"
    said = f"you reported pain {checkin.pain_0_10}/10{where}{kind}"
    if checkin.pain_0_10 >= PAIN_STOP_0_10:
        return f"{said}, which is {PAIN_STOP_0_10}/10 or more"
    if checkin.pain_0_10 == 0:
        return None
    maybe_back = checkin.location.is_back or checkin.location == PainLocation.NONE
    if maybe_back and checkin.kind in STOPPING_BACK_PAIN | {PainKind.RADIATING}:
        return f"{said}; {checkin.kind.value} back pain always counts"
    if checkin.kind == PainKind.RADIATING:
        return f"{said}; radiating pain (into an arm or a leg) always counts"
    return None


def _live(s: SessionRecord) -> CheckIn | None:
    """The session's check-in unless a later clearance covers it."""
    return s.checkin if s.checkin is not None and s.checkin.cleared_at is None else None


def _medical_pause(sessions: Sequence[SessionRecord]) -> Pause | None:
    for s in reversed(sessions):
        c = _live(s)
        if c is not None and c.warning_signs:
            return Pause(
                reason=(
                    f"you reported {' and '.join(c.warning_signs)} during exercise on {s.on}. "
                    "Stop now and seek medical advice now; no plan is made until a healthcare "
                    "professional has cleared you"
                ),
                advice=(
                    "Stop now and seek medical advice now.",
                    f"When a professional has cleared you, record it with `{CLEAR_COMMAND}`.",
                    NOT_MEDICAL_ADVICE,
                ),
                medical=True,
            )
    return None


def _recurring_pain(sessions: Sequence[SessionRecord]) -> str | None:
    """Why recurring pain pauses the plan (latest instance first), or None."""
    hits, of = RECURRING_OF_SESSIONS
    for end in range(len(sessions), 0, -1):
        window = sessions[max(0, end - of) : end]
        painful = [s for s in window if (c := _live(s)) and c.pain_0_10 >= RECURRING_PAIN_0_10]
        if len(painful) >= hits:
            said = ", ".join(f"{s.checkin.pain_0_10}/10 on {s.on}" for s in painful if s.checkin)
            return (
                f"you reported pain {RECURRING_PAIN_0_10}/10 or more in {len(painful)} of "
                f"{len(window)} sessions in a row ({said})"
            )
    stops = [s for s in sessions if pain_stop_reason(_live(s))]
    for earlier, later in reversed(list(itertools.pairwise(stops))):
        if (later.on - earlier.on).days <= REPEAT_STOP_DAYS:
            return (
                f"pain ended 2 sessions within {REPEAT_STOP_DAYS} days "
                f"({earlier.on} and {later.on})"
            )
    return None


def pause_for(sessions: Sequence[SessionRecord]) -> Pause | None:
    """Whether the plan is paused, over every session (not only those since the baseline).

    Once a rule fires it holds until clearance: later pain-free sessions do not lift it.
    """
    medical = _medical_pause(sessions)
    if medical is not None:
        return medical
    why = _recurring_pain(sessions)
    if why is None:
        return None
    return Pause(
        reason=(
            f"recurring pain: {why}. The plan is paused: see a professional before training again"
        ),
        advice=(
            "See a healthcare professional before training again.",
            f"When a professional has cleared you, record it with `{CLEAR_COMMAND}`.",
            NOT_MEDICAL_ADVICE,
        ),
        medical=False,
    )


def baseline_pain_ceiling(sessions: Sequence[SessionRecord], on: dt.date) -> Ceiling | None:
    """A ceiling one rung below the lowest pain stop in the 7 days up to a baseline ``on``.

    A stop on the easiest rung leaves nothing below it: the baseline is refused until the 7
    days have passed.
    """
    recent = [
        s
        for s in sessions
        if 0 <= (on - s.on).days <= BASELINE_AFTER_PAIN_DAYS and pain_stop_reason(s.checkin)
    ]
    if not recent:
        return None
    stop = min(recent, key=lambda s: (s.rung.level, s.on))
    if stop.rung.level == 0:
        retry = stop.on + dt.timedelta(days=BASELINE_AFTER_PAIN_DAYS + 1)
        raise ConfigError(
            f"you stopped for pain on {stop.rung.label} on {stop.on}, within "
            f"{BASELINE_AFTER_PAIN_DAYS} days, and there is no easier rung: rest, test again "
            f"from {retry}, and see a healthcare professional if the pain persists"
        )
    return Ceiling(
        LADDER[stop.rung.level - 1],
        f"because pain stopped your {stop.rung.label} on {stop.on}, within "
        f"{BASELINE_AFTER_PAIN_DAYS} days",
    )
