"""Progression and pain rules (COACHING.md section 4): what the next session should be, and why.

Double progression over clean reps: move up one rung when every set reaches 12 clean reps in two
sessions in a row; stay while sets are within 8-12; move down one rung when a set falls below 5
clean reps or faulty reps exceed half of all reps. Pain overrides everything: pain 3/10 or more,
or sharp, radiating or lasting back pain, ends the session and moves down one rung.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pushup_coach.coach.history import CheckIn, PainKind, PainLocation, SessionRecord
from pushup_coach.coach.ladder import Ceiling, Rung, step
from pushup_coach.errors import ConfigError

TARGET_MIN_REPS = 8
TARGET_MAX_REPS = 12
PROGRESS_REPS = 12
PROGRESS_SESSIONS = 2
REGRESS_BELOW_REPS = 5
PAIN_STOP_0_10 = 3
STOPPING_BACK_PAIN = frozenset({PainKind.SHARP, PainKind.RADIATING, PainKind.LASTING})

NOT_MEDICAL_ADVICE = "This is not medical advice."
PAIN_ADVICE = (
    "Stop for today and rest. If the pain persists or comes back, see a healthcare professional "
    "before training again."
)


class Action(StrEnum):
    PROGRESS = "progress"
    STAY = "stay"
    REGRESS = "regress"
    STOP = "stop"  # the pain rule fired: session over, one rung down


@dataclass(frozen=True)
class Decision:
    """The next session's rung and reps per set, with the sentence that explains it."""

    action: Action
    current: Rung
    next: Rung
    target_reps: int
    reason: str
    pain_override: bool = False
    advice: tuple[str, ...] = ()


def pain_stop_reason(checkin: CheckIn | None) -> str | None:
    """Why the pain rule ends the session, or None when it does not fire.

    Back pain of a stopping kind counts at any level above 0; a stopping kind with no location
    given is treated as back pain (the safe reading).
    """
    if checkin is None:
        return None
    where = "" if checkin.location == PainLocation.NONE else f" in the {checkin.location.label}"
    kind = "" if checkin.kind == PainKind.NONE else f", {checkin.kind.value}"
    said = f"you reported pain {checkin.pain_0_10}/10{where}{kind}"
    if checkin.pain_0_10 >= PAIN_STOP_0_10:
        return f"{said}, which is {PAIN_STOP_0_10}/10 or more"
    maybe_back = checkin.location.is_back or checkin.location == PainLocation.NONE
    if checkin.pain_0_10 > 0 and maybe_back and checkin.kind in STOPPING_BACK_PAIN:
        return f"{said}; {checkin.kind.value} back pain always counts"
    return None


def _counts(reps: Sequence[int]) -> str:
    return ", ".join(str(n) for n in reps)


def _move(current: Rung, by: int, ceiling: Ceiling | None) -> tuple[Rung, str]:
    """The rung ``by`` steps away, and a note when the ladder's end or the ceiling stops it."""
    wanted = step(current, by)
    capped = step(current, by, ceiling)
    if by > 0 and wanted == current:
        return current, "you are on the top rung of the ladder"
    if by < 0 and wanted == current:
        return current, f"{current.label} is already the easiest rung"
    if ceiling is not None and capped != wanted:
        return capped, f"{ceiling.rung.label} is the highest rung {ceiling.why}"
    return wanted, ""


def _moves_sentence(current: Rung, nxt: Rung, note: str) -> str:
    if nxt == current:
        sentence = f"next session stays on {nxt.label}"
    else:
        direction = "up" if nxt.level > current.level else "down"
        sentence = f"next session moves {direction} from {current.label} to {nxt.label}"
    return f"{note}: {sentence}" if note else sentence


def _pain_decision(last: SessionRecord, why: str, ceiling: Ceiling | None) -> Decision:
    nxt, note = _move(last.rung, -1, ceiling)
    reason = f"pain overrides everything: {why}. This ends the session; " + _moves_sentence(
        last.rung, nxt, note
    )
    return Decision(
        action=Action.STOP,
        current=last.rung,
        next=nxt,
        target_reps=TARGET_MIN_REPS,
        reason=reason,
        pain_override=True,
        advice=(PAIN_ADVICE, NOT_MEDICAL_ADVICE),
    )


def _regress_why(last: SessionRecord) -> str | None:
    for i, clean in enumerate(last.clean_reps, start=1):
        if clean < REGRESS_BELOW_REPS:
            return f"set {i} had {clean} clean reps, under {REGRESS_BELOW_REPS}"
    total = sum(last.all_reps)
    if last.faulty_reps * 2 > total:
        return f"{last.faulty_reps} of {total} reps had form faults, more than half"
    return None


def _streak_at_top(sessions: Sequence[SessionRecord]) -> int:
    """How many sessions in a row, ending with the last, hit 12+ clean reps in every set there."""
    rung = sessions[-1].rung
    n = 0
    for s in reversed(sessions):
        if s.rung != rung or min(s.clean_reps) < PROGRESS_REPS or pain_stop_reason(s.checkin):
            break
        n += 1
    return n


def decide_next(sessions: Sequence[SessionRecord], ceiling: Ceiling | None = None) -> Decision:
    """The decision after the last of ``sessions`` (in date order, oldest first).

    ``ceiling`` caps the next rung (conservative plan or back condition); its ``why`` is said
    whenever it holds the person back.
    """
    if not sessions:
        raise ConfigError("no sessions yet: record a baseline or log a session first")
    last = sessions[-1]
    why_pain = pain_stop_reason(last.checkin)
    if why_pain:
        return _pain_decision(last, why_pain, ceiling)
    why_down = _regress_why(last)
    if why_down:
        nxt, note = _move(last.rung, -1, ceiling)
        action = Action.STAY if nxt == last.rung else Action.REGRESS
        reason = f"{why_down}: " + _moves_sentence(last.rung, nxt, note)
        return Decision(action, last.rung, nxt, TARGET_MIN_REPS, reason)
    return _progress_or_stay(sessions, ceiling)


def _progress_or_stay(sessions: Sequence[SessionRecord], ceiling: Ceiling | None) -> Decision:
    last = sessions[-1]
    clean = _counts(last.clean_reps)
    streak = _streak_at_top(sessions)
    if streak >= PROGRESS_SESSIONS:
        nxt, note = _move(last.rung, +1, ceiling)
        head = (
            f"every set reached {PROGRESS_REPS} clean reps in {PROGRESS_SESSIONS} sessions in a row"
        )
        if nxt == last.rung:
            reason = f"{head}, but {note}: stay on {nxt.label} at {TARGET_MAX_REPS} reps per set"
            return Decision(Action.STAY, last.rung, nxt, TARGET_MAX_REPS, reason)
        reason = f"{head}: " + _moves_sentence(last.rung, nxt, note)
        return Decision(Action.PROGRESS, last.rung, nxt, TARGET_MIN_REPS, reason)
    capped = step(last.rung, 0, ceiling)
    if capped != last.rung and ceiling is not None:
        reason = (
            f"{ceiling.rung.label} is the highest rung {ceiling.why}: next session moves down "
            f"from {last.rung.label} to {capped.label}"
        )
        return Decision(Action.REGRESS, last.rung, capped, TARGET_MIN_REPS, reason)
    if streak == 1:
        up, note = _move(last.rung, +1, ceiling)  # no "move up" promise at the top or a ceiling
        head = f"every set reached {PROGRESS_REPS} clean reps ({clean})"
        if up.level > last.rung.level:
            reason = f"{head}: do it again next session to move up to {up.label}"
        else:
            stay = f"stay on {last.rung.label} at {TARGET_MAX_REPS} reps per set"
            reason = f"{head}, but {note}: {stay}"
        return Decision(Action.STAY, last.rung, last.rung, TARGET_MAX_REPS, reason)
    lowest = min(last.clean_reps)
    target = max(TARGET_MIN_REPS, min(TARGET_MAX_REPS, lowest + 1))
    if lowest >= TARGET_MIN_REPS:
        head = f"clean reps {clean} are within {TARGET_MIN_REPS}-{TARGET_MAX_REPS}"
    else:
        head = f"clean reps {clean} include a set under {TARGET_MIN_REPS}"
    reason = f"{head}: stay on {last.rung.label} and aim for {target} clean reps in every set"
    return Decision(Action.STAY, last.rung, last.rung, target, reason)


def prescribe(
    placement_rung: Rung | None,
    placement_reason: str,
    sessions: Sequence[SessionRecord],
    ceiling: Ceiling | None = None,
) -> Decision:
    """What to do next: the decision after ``sessions`` (those since the latest baseline), or the
    baseline's placement when there are none yet."""
    if sessions:
        return decide_next(sessions, ceiling)
    if placement_rung is None:
        raise ConfigError(
            "no baseline yet: run `pushup-coach baseline --variation knee --reps 9` "
            "(your max clean reps at a variation) or `baseline --report REPORT.json`"
        )
    rung = step(placement_rung, 0, ceiling)
    reason = f"baseline: {placement_reason}"
    return Decision(Action.STAY, placement_rung, rung, TARGET_MIN_REPS, reason)
