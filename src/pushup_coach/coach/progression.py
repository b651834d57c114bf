"""Progression, effort and pain rules (COACHING.md section 4): what the next session should be.

The decision after a session depends on what was planned for it, so :func:`decide_next` replays
the sessions in order, each one judged against the decision before it. In order of precedence:

1. pain (see ``safety``) ends the session and moves down one rung;
2. a set under 5 clean reps (and under the reps aimed for), or faulty reps over half of all reps,
   moves down one rung;
3. effort: RPE 10 with a set short of the reps aimed for lowers the reps per set; RPE 9-10 holds;
4. a session that does not count (fewer sets than planned, or under 48 h after the last counted
   session) changes nothing;
5. double progression over clean reps: up one rung when every set reaches 12 clean reps in two
   counted sessions in a row; else stay and aim for one rep more than the weakest set (max 12).

A ceiling (screening, back condition) is checked before every move: the next rung is always one
it allows. After a break of 14 days or more the person restarts one rung lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from pushup_coach.coach.history import SessionRecord
from pushup_coach.coach.ladder import TARGET_MAX_REPS, Ceiling, Rung, cap, step
from pushup_coach.coach.safety import NOT_MEDICAL_ADVICE, PAIN_ADVICE, pain_stop_reason
from pushup_coach.errors import ConfigError

__all__ = [
    "NOT_MEDICAL_ADVICE",
    "PAIN_ADVICE",
    "Action",
    "Decision",
    "decide_next",
    "pain_stop_reason",
    "restart_after_break",
]

TARGET_MIN_REPS = 8
PROGRESS_REPS = 12
PROGRESS_SESSIONS = 2
REGRESS_BELOW_REPS = 5
HOLD_RPE = 9  # RPE 9-10: at or near the limit, no moving up
MAX_RPE = 10
MIN_HOURS_BETWEEN = 48  # counted sessions at least this far apart (2 calendar days)
LONG_BREAK_DAYS = 14
PLANNED_SETS = 3


class Action(StrEnum):
    PROGRESS = "progress"
    STAY = "stay"
    REGRESS = "regress"  # one rung down, or fewer reps per set on the same rung
    STOP = "stop"  # the pain rule fired: session over, one rung down
    PAUSE = "pause"  # recurring pain or a warning sign: no plan until clearance


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


def _counts(reps: Sequence[int]) -> str:
    return ", ".join(str(n) for n in reps)


def _move(current: Rung, by: int, ceiling: Ceiling | None) -> tuple[Rung, str]:
    """The rung ``by`` steps away (always allowed), and a note when the ladder's end or the
    ceiling changes where the step lands."""
    wanted = step(current, by)
    nxt = step(current, by, ceiling)
    if ceiling is not None and nxt != wanted:
        if wanted in ceiling.excluded and wanted.level <= ceiling.rung.level:
            return nxt, f"{wanted.label} load the spine and are not offered {ceiling.why}"
        return nxt, f"{ceiling.rung.label} is the highest rung {ceiling.why}"
    if by > 0 and nxt == current:
        return nxt, "you are on the top rung of the ladder"
    if by < 0 and nxt == current:
        return nxt, f"{current.label} is already the easiest rung"
    return nxt, ""


def _moves_sentence(current: Rung, nxt: Rung, note: str) -> str:
    if nxt == current:
        sentence = f"next session stays on {nxt.label}"
    else:
        direction = "up" if nxt.level > current.level else "down"
        sentence = f"next session moves {direction} from {current.label} to {nxt.label}"
    return f"{note}: {sentence}" if note else sentence


def _aimed_for(planned: Decision, last: SessionRecord) -> int:
    """The reps per set the last session aimed for (8 when it was not the planned rung)."""
    return planned.target_reps if planned.next == last.rung else TARGET_MIN_REPS


def _down(last: SessionRecord, planned: Decision, why: str, ceiling: Ceiling | None) -> Decision:
    """One rung down (as far as the ladder and ``ceiling`` allow), at no more than 8 reps."""
    nxt, note = _move(last.rung, -1, ceiling)
    target = min(TARGET_MIN_REPS, _aimed_for(planned, last))
    sentence = _moves_sentence(last.rung, nxt, note)
    action = Action.STAY if nxt == last.rung else Action.REGRESS
    return Decision(action, last.rung, nxt, target, f"{why}: {sentence}")


def _pain_decision(
    last: SessionRecord, planned: Decision, why: str, ceiling: Ceiling | None
) -> Decision:
    nxt, note = _move(last.rung, -1, ceiling)
    reason = f"pain overrides everything: {why}. This ends the session; " + _moves_sentence(
        last.rung, nxt, note
    )
    return Decision(
        action=Action.STOP,
        current=last.rung,
        next=nxt,
        target_reps=min(TARGET_MIN_REPS, _aimed_for(planned, last)),
        reason=reason,
        pain_override=True,
        advice=(PAIN_ADVICE, NOT_MEDICAL_ADVICE),
    )


def _regress_why(last: SessionRecord, aimed: int) -> str | None:
    for i, clean in enumerate(last.clean_reps, start=1):
        if clean < REGRESS_BELOW_REPS and clean < aimed:
            return f"set {i} had {clean} clean reps, under {REGRESS_BELOW_REPS}"
    total = sum(last.all_reps)
    if last.faulty_reps * 2 > total:
        return f"{last.faulty_reps} of {total} reps had form faults, more than half"
    return None


def _effort_decision(last: SessionRecord, planned: Decision, sets: int) -> Decision | None:
    """RPE 10 with a set (or a set's worth) short of the aim: fewer reps; RPE 9-10: hold."""
    rpe = last.checkin.rpe_1_10 if last.checkin else None
    if rpe is None or rpe < HOLD_RPE:
        return None
    aimed = _aimed_for(planned, last)
    short = [(i, c) for i, c in enumerate(last.clean_reps, start=1) if c < aimed]
    if rpe == MAX_RPE and (short or len(last.clean_reps) < sets):
        lower = max(1, min(last.clean_reps) - 1)
        what = (
            f"set {short[0][0]} had {short[0][1]} of the {aimed} clean reps aimed for"
            if short
            else f"{len(last.clean_reps)} of the {sets} sets planned"
        )
        reason = (
            f"effort {rpe}/10 (maximal) and {what}: stay on {last.rung.label} with fewer reps, "
            f"{lower} per set"
        )
        return Decision(Action.REGRESS, last.rung, last.rung, lower, reason)
    target = min(TARGET_MAX_REPS, aimed)
    reason = (
        f"effort {rpe}/10 is at or near your limit: no moving up; stay on {last.rung.label} at "
        f"{target} reps per set until it feels easier (8/10 or less)"
    )
    return Decision(Action.STAY, last.rung, last.rung, target, reason)


def _not_counted_why(sessions: Sequence[SessionRecord], counted: Sequence[bool], sets: int) -> str:
    last = sessions[-1]
    if len(last.clean_reps) < sets:
        return (
            f"{len(last.clean_reps)} of the {sets} sets planned: a session counts toward moving "
            "up only with every planned set"
        )
    prev = next(
        s for s, c in zip(reversed(sessions[:-1]), reversed(counted[:-1]), strict=True) if c
    )
    when = "on the same day as" if last.on == prev.on else "the day after"
    return (
        f"this session came {when} the last counted one ({prev.on}): sessions count toward "
        f"moving up only {MIN_HOURS_BETWEEN} h or more apart"
    )


def _qualifies(s: SessionRecord, counted: bool, rung: Rung) -> bool:
    rpe = s.checkin.rpe_1_10 if s.checkin else None
    return (
        counted
        and s.rung == rung
        and min(s.clean_reps) >= PROGRESS_REPS
        and pain_stop_reason(s.checkin) is None
        and (rpe is None or rpe < HOLD_RPE)
    )


def _streak_at_top(sessions: Sequence[SessionRecord], counted: Sequence[bool]) -> int:
    """Counted sessions in a row, ending with the last, with 12+ clean reps in every set, the
    same rung, no pain, effort under 9, and no long break between them."""
    rung = sessions[-1].rung
    n = 0
    for i in range(len(sessions) - 1, -1, -1):
        if not _qualifies(sessions[i], counted[i], rung):
            break
        if n and (sessions[i + 1].on - sessions[i].on).days >= LONG_BREAK_DAYS:
            break
        n += 1
    return n


def _progress_or_stay(
    sessions: Sequence[SessionRecord], counted: Sequence[bool], ceiling: Ceiling | None
) -> Decision:
    last = sessions[-1]
    clean = _counts(last.clean_reps)
    streak = _streak_at_top(sessions, counted)
    up, note = _move(last.rung, +1, ceiling)
    if streak >= PROGRESS_SESSIONS:
        head = (
            f"every set reached {PROGRESS_REPS} clean reps in {PROGRESS_SESSIONS} sessions in a row"
        )
        if up == last.rung:
            reason = f"{head}, but {note}: stay on {up.label} at {TARGET_MAX_REPS} reps per set"
            return Decision(Action.STAY, last.rung, up, TARGET_MAX_REPS, reason)
        reason = f"{head}: " + _moves_sentence(last.rung, up, note)
        return Decision(Action.PROGRESS, last.rung, up, TARGET_MIN_REPS, reason)
    if streak == 1:
        head = f"every set reached {PROGRESS_REPS} clean reps ({clean})"
        if up == last.rung:
            reason = f"{head}, but {note}: stay on {up.label} at {TARGET_MAX_REPS} reps per set"
        else:
            reason = f"{head}: do it again next session to move up to {up.label}"
        return Decision(Action.STAY, last.rung, last.rung, TARGET_MAX_REPS, reason)
    lowest = min(last.clean_reps)
    target = max(1, min(TARGET_MAX_REPS, lowest + 1))
    if lowest >= TARGET_MIN_REPS:
        head = f"clean reps {clean} are within {TARGET_MIN_REPS}-{TARGET_MAX_REPS}"
    else:
        head = f"clean reps {clean} include a set under {TARGET_MIN_REPS}"
    reason = f"{head}: stay on {last.rung.label} and aim for {target} clean reps in every set"
    return Decision(Action.STAY, last.rung, last.rung, target, reason)


def _within(decision: Decision, ceiling: Ceiling | None) -> Decision:
    """The decision, moved down to an allowed rung when ``ceiling`` does not allow its rung."""
    allowed = cap(decision.next, ceiling)
    if ceiling is None or allowed == decision.next:
        return decision
    reason = (
        f"{ceiling.rung.label} is the highest rung {ceiling.why}: next session moves down "
        f"from {decision.next.label} to {allowed.label}"
    )
    if decision.next in ceiling.excluded and decision.next.level <= ceiling.rung.level:
        reason = (
            f"{decision.next.label} load the spine and are not offered {ceiling.why}: next "
            f"session moves down from {decision.next.label} to {allowed.label}"
        )
    target = min(decision.target_reps, TARGET_MIN_REPS)
    return replace(decision, action=Action.REGRESS, next=allowed, target_reps=target, reason=reason)


def _decide_one(
    sessions: Sequence[SessionRecord],
    counted: Sequence[bool],
    planned: Decision,
    ceiling: Ceiling | None,
    sets: int,
) -> Decision:
    last = sessions[-1]
    why_pain = pain_stop_reason(last.checkin)
    if why_pain:
        return _pain_decision(last, planned, why_pain, ceiling)
    why_down = _regress_why(last, _aimed_for(planned, last))
    if why_down:
        return _down(last, planned, why_down, ceiling)
    effort = _effort_decision(last, planned, sets)
    if effort is not None:
        return _within(effort, ceiling)
    if not counted[-1]:
        target = min(TARGET_MAX_REPS, _aimed_for(planned, last))
        why = _not_counted_why(sessions, counted, sets)
        reason = f"{why}: stay on {last.rung.label} at {target} reps per set"
        return _within(Decision(Action.STAY, last.rung, last.rung, target, reason), ceiling)
    return _within(_progress_or_stay(sessions, counted, ceiling), ceiling)


def restart_after_break(
    decision: Decision, last: SessionRecord | None, gap_days: int, ceiling: Ceiling | None
) -> Decision:
    """After ``gap_days`` >= 14 without training: one rung below the last rung (or lower)."""
    if gap_days < LONG_BREAK_DAYS:
        return decision
    base = decision.next if last is None or decision.next.level <= last.rung.level else last.rung
    nxt, note = _move(base, -1, ceiling)
    where = f"restart one rung lower, on {nxt.label}" if nxt != base else f"restart on {nxt.label}"
    if note and nxt == base:
        where = f"{where} ({note})"
    reason = (
        f"{decision.reason}; but your last training was {gap_days} days ago: after a break of "
        f"{LONG_BREAK_DAYS} days or more, {where}"
    )
    target = min(decision.target_reps, TARGET_MIN_REPS)
    return replace(
        decision,
        action=Action.REGRESS,
        next=nxt,
        target_reps=target,
        reason=reason,
        pain_override=False,
    )


def decide_next(
    sessions: Sequence[SessionRecord],
    ceiling: Ceiling | None = None,
    *,
    start: Decision | None = None,
    sets: int = PLANNED_SETS,
) -> Decision:
    """The decision after the last of ``sessions`` (in date order, oldest first).

    ``start``: what was planned for the first session (the baseline's placement); without it, 8
    reps per set at the first session's rung. ``sets``: sets planned per session. ``ceiling``
    caps every move; its ``why`` is said whenever it holds the person back.
    """
    if not sessions:
        raise ConfigError("no sessions yet: record a baseline or log a session first")
    first = sessions[0].rung
    planned = start or Decision(Action.STAY, first, first, TARGET_MIN_REPS, "")
    counted: list[bool] = []
    last_counted = None
    for i, s in enumerate(sessions):
        if i:
            gap = (s.on - sessions[i - 1].on).days
            planned = restart_after_break(planned, sessions[i - 1], gap, ceiling)
        soon = last_counted is not None and (s.on - last_counted).days * 24 < MIN_HOURS_BETWEEN
        counted.append(len(s.clean_reps) >= sets and not soon)
        if counted[-1]:
            last_counted = s.on
        planned = _decide_one(sessions[: i + 1], counted, planned, ceiling, sets)
    return planned
