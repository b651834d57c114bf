"""Every progression and pain rule of COACHING.md section 4, table-driven, exact reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from pushup_coach.coach.history import CheckIn, PainKind, PainLocation, SessionRecord
from pushup_coach.coach.ladder import Ceiling, Rung
from pushup_coach.coach.progression import Action, decide_next, pain_stop_reason
from pushup_coach.errors import ConfigError

D0 = dt.date(2026, 3, 2)


def session(
    rung: Rung,
    clean: tuple[int, ...],
    all_reps: tuple[int, ...] | None = None,
    day: int = 0,
    checkin: CheckIn | None = None,
) -> SessionRecord:
    return SessionRecord(D0 + dt.timedelta(days=day), rung, clean, all_reps or clean, checkin)


KNEE, FULL, WALL = Rung.KNEE, Rung.FULL, Rung.WALL

PROGRESSION_CASES = [
    (
        "two sessions all 12+ -> progress",
        [session(KNEE, (12, 12, 12)), session(KNEE, (13, 12, 12), day=2)],
        None,
        Action.PROGRESS,
        FULL,
        8,
        "every set reached 12 clean reps in 2 sessions in a row: next session moves up from "
        "knee push-ups to full push-ups",
    ),
    (
        "one session all 12 -> stay, repeat",
        [session(KNEE, (11, 12, 12)), session(KNEE, (12, 12, 12), day=2)],
        None,
        Action.STAY,
        KNEE,
        12,
        "every set reached 12 clean reps (12, 12, 12): do it again next session to move up to "
        "full push-ups",
    ),
    (
        "12s at a different rung before do not count",
        [session(Rung.LOW_INCLINE, (12, 12, 12)), session(KNEE, (12, 12, 12), day=2)],
        None,
        Action.STAY,
        KNEE,
        12,
        "every set reached 12 clean reps (12, 12, 12): do it again next session to move up to "
        "full push-ups",
    ),
    (
        "within 8-12 -> stay, aim one more",
        [session(KNEE, (10, 9, 8))],
        None,
        Action.STAY,
        KNEE,
        9,
        "clean reps 10, 9, 8 are within 8-12: stay on knee push-ups and aim for 9 clean reps in "
        "every set",
    ),
    (
        "a set of 5-7 -> stay, build up one rep",
        [session(KNEE, (9, 7, 5))],
        None,
        Action.STAY,
        KNEE,
        6,
        "clean reps 9, 7, 5 include a set under 8: stay on knee push-ups and aim for 6 clean reps "
        "in every set",
    ),
    (
        "a set under 5 -> regress",
        [session(FULL, (8, 6, 4))],
        None,
        Action.REGRESS,
        KNEE,
        8,
        "set 3 had 4 clean reps, under 5: next session moves down from full push-ups to knee "
        "push-ups",
    ),
    (
        "faults on more than half the reps -> regress",
        [session(FULL, (5, 5), (11, 11))],
        None,
        Action.REGRESS,
        KNEE,
        8,
        "12 of 22 reps had form faults, more than half: next session moves down from full "
        "push-ups to knee push-ups",
    ),
    (
        "faults on exactly half -> not a regression",
        [session(FULL, (8, 8, 8), (16, 16, 16))],
        None,
        Action.STAY,
        FULL,
        9,
        "clean reps 8, 8, 8 are within 8-12: stay on full push-ups and aim for 9 clean reps in "
        "every set",
    ),
    (
        "regress at the bottom rung -> stay",
        [session(WALL, (3, 2))],
        None,
        Action.STAY,
        WALL,
        8,
        "set 1 had 3 clean reps, under 5: wall push-ups is already the easiest rung: next session "
        "stays on wall push-ups",
    ),
    (
        "progress at the top rung -> stay",
        [session(Rung.ARCHER, (12, 12, 12)), session(Rung.ARCHER, (12, 12, 12), day=2)],
        None,
        Action.STAY,
        Rung.ARCHER,
        12,
        "every set reached 12 clean reps in 2 sessions in a row, but you are on the top rung of "
        "the ladder: stay on archer push-ups at 12 reps per set",
    ),
    (
        "progress held by the conservative ceiling",
        [session(KNEE, (12, 12, 12)), session(KNEE, (12, 12, 12), day=2)],
        Ceiling(KNEE, "until your clearance is recorded"),
        Action.STAY,
        KNEE,
        12,
        "every set reached 12 clean reps in 2 sessions in a row, but knee push-ups is the highest "
        "rung until your clearance is recorded: stay on knee push-ups at 12 reps per set",
    ),
    (
        "a session above the ceiling moves down to it",
        [session(Rung.DECLINE, (10, 10))],
        Ceiling(KNEE, "until your clearance is recorded"),
        Action.REGRESS,
        KNEE,
        8,
        "knee push-ups is the highest rung until your clearance is recorded: next session moves "
        "down from decline push-ups (feet raised) to knee push-ups",
    ),
]


@pytest.mark.parametrize(
    ("history", "ceiling", "action", "next_rung", "target", "reason"),
    [c[1:] for c in PROGRESSION_CASES],
    ids=[c[0] for c in PROGRESSION_CASES],
)
def test_progression_rules(
    history: list[SessionRecord],
    ceiling: Ceiling | None,
    action: Action,
    next_rung: Rung,
    target: int,
    reason: str,
) -> None:
    decision = decide_next(history, ceiling)
    assert (decision.action, decision.next, decision.target_reps) == (action, next_rung, target)
    assert decision.reason == reason
    assert decision.pain_override is False


def pain(
    level: int, where: PainLocation = PainLocation.NONE, kind: PainKind = PainKind.NONE
) -> CheckIn:
    return CheckIn(pain_0_10=level, rpe_1_10=7, location=where, kind=kind)


LB = PainLocation.LOWER_BACK
PAIN_CASES = [
    ("no pain", pain(0), None),
    ("dull 2/10 back ache", pain(2, LB, PainKind.DULL), None),
    ("sharp 1/10 wrist", pain(1, PainLocation.WRIST, PainKind.SHARP), None),
    (
        "3/10 anywhere",
        pain(3, PainLocation.SHOULDER, PainKind.DULL),
        "you reported pain 3/10 in the shoulder, dull, which is 3/10 or more",
    ),
    (
        "sharp back pain at 1/10",
        pain(1, LB, PainKind.SHARP),
        "you reported pain 1/10 in the lower back, sharp; sharp back pain always counts",
    ),
    (
        "radiating upper back",
        pain(2, PainLocation.UPPER_BACK, PainKind.RADIATING),
        "you reported pain 2/10 in the upper back, radiating; radiating back pain always counts",
    ),
    (
        "lasting neck",
        pain(1, PainLocation.NECK, PainKind.LASTING),
        "you reported pain 1/10 in the neck, lasting; lasting back pain always counts",
    ),
    (
        "sharp, place not given",
        pain(2, PainLocation.NONE, PainKind.SHARP),
        "you reported pain 2/10, sharp; sharp back pain always counts",
    ),
]


@pytest.mark.parametrize(
    ("checkin", "why"), [c[1:] for c in PAIN_CASES], ids=[c[0] for c in PAIN_CASES]
)
def test_pain_rule(checkin: CheckIn, why: str | None) -> None:
    assert pain_stop_reason(checkin) == why


def test_pain_overrides_a_progression() -> None:
    history = [
        session(KNEE, (12, 12, 12)),
        session(KNEE, (12, 12, 12), day=2, checkin=pain(4, LB, PainKind.SHARP)),
    ]
    decision = decide_next(history)
    assert decision.action == Action.STOP
    assert decision.pain_override is True
    assert decision.next == Rung.LOW_INCLINE
    assert decision.reason == (
        "pain overrides everything: you reported pain 4/10 in the lower back, sharp, which is "
        "3/10 or more. This ends the session; next session moves down from knee push-ups to low "
        "incline push-ups (hands on a bench or step)"
    )
    assert decision.advice == (
        "Stop for today and rest. If the pain persists or comes back, see a healthcare "
        "professional before training again.",
        "This is not medical advice.",
    )


def test_a_painful_session_breaks_the_streak() -> None:
    history = [
        session(KNEE, (12, 12), checkin=pain(1, LB, PainKind.SHARP)),
        session(KNEE, (12, 12), day=2),
    ]
    assert decide_next(history).action == Action.STAY


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pain_0_10": 14}, "pain must be 0-10, got 14"),
        ({"pain_0_10": -1}, "pain must be 0-10, got -1"),
        ({"pain_0_10": 0, "rpe_1_10": 0}, "RPE must be 1-10, got 0"),
    ],
)
def test_checkin_rejects_out_of_range(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        CheckIn(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_no_history_is_an_error() -> None:
    with pytest.raises(ConfigError, match="no sessions yet"):
        decide_next([])


def test_a_pain_kind_without_pain_does_not_stop() -> None:
    assert pain_stop_reason(pain(0, LB, PainKind.SHARP)) is None
