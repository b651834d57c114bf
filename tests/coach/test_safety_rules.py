"""Issue 11's safety rules on the pure coach functions, one table each (items 1-4).

Each table fails on the code before the fix: archer reached by a back condition, recurring pain
and chest pain never pausing, radiating leg pain missed, and RPE ignored.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pushup_coach.coach.advice import next_session
from pushup_coach.coach.history import (
    CheckIn,
    PainKind,
    PainLocation,
    SessionRecord,
    Symptom,
)
from pushup_coach.coach.ladder import LADDER, SPINE_HEAVY, Rung, place_from_baseline
from pushup_coach.coach.progression import Action, decide_next, pain_stop_reason
from pushup_coach.coach.safety import pause_for
from pushup_coach.coach.screening import ScreeningOutcome, ceiling_for

D0 = dt.date(2026, 3, 2)
CLEARED = dt.datetime(2026, 3, 1, 9, 0)
LB = PainLocation.LOWER_BACK
TWELVES = (12, 12, 12)


def s(
    rung: Rung, clean: tuple[int, ...], day: int = 0, checkin: CheckIn | None = None
) -> SessionRecord:
    return SessionRecord(D0 + dt.timedelta(days=day), rung, clean, clean, checkin)


def ok(rpe: int = 7) -> CheckIn:
    return CheckIn(0, rpe)


def hurt(level: int, where: PainLocation = LB, kind: PainKind = PainKind.DULL) -> CheckIn:
    return CheckIn(level, 6, where, kind)


# 1. The back-condition ceiling, cleared or not, at every entry ---------------------------------
BACK_CEILINGS = {
    "back condition, not cleared": ceiling_for(ScreeningOutcome.CONSULT, ("back_condition",), None),
    "back condition, cleared": ceiling_for(ScreeningOutcome.CONSULT, ("back_condition",), CLEARED),
    "back pain now, cleared": ceiling_for(ScreeningOutcome.CONSULT, ("back_pain_now",), CLEARED),
}


@pytest.mark.parametrize("who", list(BACK_CEILINGS))
@pytest.mark.parametrize(
    ("tested", "reps"),
    [(Rung.DIAMOND, 25), (Rung.ARCHER, 10), (Rung.DECLINE, 12), (Rung.FULL, 30)],
)
def test_baseline_never_places_a_back_condition_on_a_spine_heavy_rung(
    who: str, tested: Rung, reps: int
) -> None:
    ceiling = BACK_CEILINGS[who]
    placed = place_from_baseline(tested, reps, ceiling).rung
    assert placed not in SPINE_HEAVY
    assert placed.level <= Rung.DIAMOND.level


BACK_PROGRESSION = [
    (
        "diamond 12s twice stays on diamond",
        [s(Rung.DIAMOND, TWELVES), s(Rung.DIAMOND, TWELVES, 2)],
        Rung.DIAMOND,
    ),
    (
        "archer logged well moves down to diamond",
        [s(Rung.ARCHER, TWELVES), s(Rung.ARCHER, TWELVES, 2)],
        Rung.DIAMOND,
    ),
    ("one archer session moves down to diamond", [s(Rung.ARCHER, (12, 12, 11))], Rung.DIAMOND),
    ("decline logged moves down to full", [s(Rung.DECLINE, (10, 10, 10))], Rung.FULL),
    (
        "full 12s twice skips decline",
        [s(Rung.FULL, TWELVES), s(Rung.FULL, TWELVES, 2)],
        Rung.DIAMOND,
    ),
    ("pain on archer lands on diamond", [s(Rung.ARCHER, TWELVES, 0, hurt(4))], Rung.DIAMOND),
]


@pytest.mark.parametrize(
    ("history", "expected"), [c[1:] for c in BACK_PROGRESSION], ids=[c[0] for c in BACK_PROGRESSION]
)
def test_progression_never_offers_a_back_condition_a_spine_heavy_rung(
    history: list[SessionRecord], expected: Rung
) -> None:
    cleared = BACK_CEILINGS["back condition, cleared"]
    decision = decide_next(history, cleared)
    assert decision.next == expected
    assert "archer" not in decision.reason.split(":")[-1] or expected != Rung.ARCHER


def test_no_rung_a_back_ceiling_returns_is_spine_heavy_from_any_history() -> None:
    """Every rung, every outcome of the last session: the next rung is never spine-heavy."""
    ceiling = BACK_CEILINGS["back pain now, cleared"]
    for rung in LADDER:
        for reps in [(3, 3, 3), (9, 9, 9), TWELVES]:
            for history in ([s(rung, reps)], [s(rung, TWELVES), s(rung, reps, 2)]):
                assert decide_next(history, ceiling).next not in SPINE_HEAVY, (rung, reps)


# 2. Recurring pain pauses the plan until clearance ---------------------------------------------
PAUSE_CASES = [
    (
        "pain 3+ in 2 of the last 3",
        [
            s(Rung.KNEE, TWELVES, 0, hurt(3)),
            s(Rung.KNEE, TWELVES, 2, ok()),
            s(Rung.KNEE, TWELVES, 4, hurt(4, PainLocation.SHOULDER)),
        ],
        True,
    ),
    (
        "two pain stops within 7 days",
        [
            s(Rung.KNEE, TWELVES, 0, hurt(1, LB, PainKind.SHARP)),
            s(Rung.KNEE, TWELVES, 2, ok()),
            s(Rung.KNEE, TWELVES, 4, ok()),
            s(Rung.KNEE, TWELVES, 7, hurt(2, LB, PainKind.LASTING)),
        ],
        True,
    ),
    ("six pain stops in a row", [s(Rung.KNEE, TWELVES, 2 * i, hurt(4)) for i in range(6)], True),
    (
        "pain-free sessions after do not lift it",
        [
            s(Rung.KNEE, TWELVES, 0, hurt(5)),
            s(Rung.KNEE, TWELVES, 2, hurt(5)),
            s(Rung.KNEE, TWELVES, 4, ok()),
            s(Rung.KNEE, TWELVES, 6, ok()),
        ],
        True,
    ),
    ("one pain stop", [s(Rung.KNEE, TWELVES, 0, hurt(4)), s(Rung.KNEE, TWELVES, 2, ok())], False),
    (
        "two stops 8 days apart, 1 of 3",
        [
            s(Rung.KNEE, TWELVES, 0, hurt(4)),
            s(Rung.KNEE, TWELVES, 3, ok()),
            s(Rung.KNEE, TWELVES, 5, ok()),
            s(Rung.KNEE, TWELVES, 8, hurt(4)),
        ],
        False,
    ),
    (
        "cleared pain does not count",
        [
            s(Rung.KNEE, TWELVES, 0, CheckIn(4, 6, LB, PainKind.DULL, cleared_at=CLEARED)),
            s(Rung.KNEE, TWELVES, 2, hurt(4)),
        ],
        False,
    ),
]


@pytest.mark.parametrize(
    ("history", "paused"), [c[1:] for c in PAUSE_CASES], ids=[c[0] for c in PAUSE_CASES]
)
def test_recurring_pain_pauses_the_plan(history: list[SessionRecord], paused: bool) -> None:
    decision = next_session(history, None, None, history[-1].on + dt.timedelta(days=1))
    assert (decision.action == Action.PAUSE) is paused
    if paused:
        assert "see a professional before training again" in decision.reason
        assert decision.advice[0] == "See a healthcare professional before training again."


def test_recurring_pain_reason_names_the_sessions() -> None:
    history = [s(Rung.KNEE, TWELVES, 0, hurt(3)), s(Rung.KNEE, TWELVES, 2, hurt(5))]
    pause = pause_for(history)
    assert pause is not None
    assert pause.reason == (
        "recurring pain: you reported pain 3/10 or more in 2 of 2 sessions in a row (3/10 on "
        "2026-03-02, 5/10 on 2026-03-04). The plan is paused: see a professional before "
        "training again"
    )


# 3. Warning signs and radiating pain at any level ----------------------------------------------
SIGN_CASES = [
    ("chest pain 1/10", CheckIn(1, 5, PainLocation.CHEST, PainKind.DULL), "chest pain", True),
    (
        "dizziness, no pain",
        CheckIn(0, 5, symptoms=frozenset({Symptom.DIZZINESS})),
        "dizziness",
        True,
    ),
    ("fainting", CheckIn(0, 5, symptoms=frozenset({Symptom.FAINTING})), "fainting", True),
    (
        "radiating into a leg 1/10",
        CheckIn(1, 5, PainLocation.LEG, PainKind.RADIATING),
        "radiating pain",
        False,
    ),
    (
        "radiating into an arm 2/10",
        CheckIn(2, 5, PainLocation.ELBOW, PainKind.RADIATING),
        "radiating pain",
        False,
    ),
]


@pytest.mark.parametrize(
    ("checkin", "said", "medical"), [c[1:] for c in SIGN_CASES], ids=[c[0] for c in SIGN_CASES]
)
def test_warning_signs_and_radiating_pain_stop_at_any_level(
    checkin: CheckIn, said: str, medical: bool
) -> None:
    why = pain_stop_reason(checkin)
    assert why is not None and said in why
    history = [s(Rung.FULL, (10, 10, 10), 0, checkin)]
    assert decide_next(history).action == Action.STOP
    pause = pause_for(history)
    assert (pause is not None and pause.medical) is medical
    if medical:
        decision = next_session(history, None, None, D0)
        assert decision.action == Action.PAUSE
        assert decision.advice[0] == "Stop now and seek medical advice now."


# 4. Effort (RPE) -------------------------------------------------------------------------------
RPE_CASES = [
    (
        "12s twice at RPE 9: hold",
        [s(Rung.KNEE, TWELVES, 0, ok(7)), s(Rung.KNEE, TWELVES, 2, ok(9))],
        Action.STAY,
        Rung.KNEE,
        12,
    ),
    (
        "12s twice at RPE 10: hold",
        [s(Rung.KNEE, TWELVES, 0, ok(10)), s(Rung.KNEE, TWELVES, 2, ok(10))],
        Action.STAY,
        Rung.KNEE,
        8,
    ),
    (
        "an RPE 9 session breaks the streak",
        [s(Rung.KNEE, TWELVES, 0, ok(9)), s(Rung.KNEE, TWELVES, 2, ok(7))],
        Action.STAY,
        Rung.KNEE,
        12,
    ),
    (
        "RPE 10 and short of 8: fewer reps",
        [s(Rung.KNEE, (8, 7, 6), 0, ok(10))],
        Action.REGRESS,
        Rung.KNEE,
        5,
    ),
    ("RPE 8 and short: build up", [s(Rung.KNEE, (8, 7, 6), 0, ok(8))], Action.STAY, Rung.KNEE, 7),
    (
        "12s twice at RPE 8: progress",
        [s(Rung.KNEE, TWELVES, 0, ok(8)), s(Rung.KNEE, TWELVES, 2, ok(8))],
        Action.PROGRESS,
        Rung.FULL,
        8,
    ),
]


@pytest.mark.parametrize(
    ("history", "action", "rung", "reps"), [c[1:] for c in RPE_CASES], ids=[c[0] for c in RPE_CASES]
)
def test_effort_holds_and_regresses(
    history: list[SessionRecord], action: Action, rung: Rung, reps: int
) -> None:
    decision = decide_next(history)
    assert (decision.action, decision.next, decision.target_reps) == (action, rung, reps)


def test_effort_reason() -> None:
    assert decide_next([s(Rung.KNEE, (8, 7, 6), 0, ok(10))]).reason == (
        "effort 10/10 (maximal) and set 2 had 7 of the 8 clean reps aimed for: stay on knee "
        "push-ups with fewer reps, 5 per set"
    )
