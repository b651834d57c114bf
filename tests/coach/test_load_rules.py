"""Issue 11's load rules on the pure coach functions: the starting load, what counts toward
moving up, a long break, and a baseline soon after a pain stop (items 5, 6 and 8).

Each table fails on the code before the fix: a start above the tested max, back-to-back, one-set
and after-a-break sessions counting, and a re-baseline after a pain stop landing above it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pushup_coach.coach.advice import next_session
from pushup_coach.coach.history import (
    BaselineTest,
    CheckIn,
    PainKind,
    PainLocation,
    SessionRecord,
)
from pushup_coach.coach.ladder import Ceiling, Rung, place_from_baseline
from pushup_coach.coach.progression import Action, decide_next
from pushup_coach.errors import ConfigError

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


# 5. Starting load: 50-70% of the tested max, never above it -------------------------------------
@pytest.mark.parametrize("max_reps", range(1, 40))
@pytest.mark.parametrize("tested", [Rung.WALL, Rung.KNEE, Rung.FULL, Rung.ARCHER])
def test_start_is_never_above_the_tested_max(tested: Rung, max_reps: int) -> None:
    placement = place_from_baseline(tested, max_reps, None)
    if placement.rung == tested:
        assert placement.target_reps <= max_reps
        assert placement.target_reps <= 12
        if 5 <= max_reps <= 19:
            assert 0.5 * max_reps <= placement.target_reps <= 0.7 * max_reps


@pytest.mark.parametrize(
    ("max_reps", "reps"), [(5, 3), (6, 4), (9, 5), (10, 6), (12, 7), (15, 9), (19, 11)]
)
def test_start_reps(max_reps: int, reps: int) -> None:
    placement = place_from_baseline(Rung.KNEE, max_reps, None)
    assert (placement.rung, placement.target_reps) == (Rung.KNEE, reps)


def test_reps_build_up_before_the_rung_moves() -> None:
    start = next_session([], BaselineTest(D0, Rung.KNEE, 5), None, D0)
    assert (start.next, start.target_reps) == (Rung.KNEE, 3)
    history: list[SessionRecord] = []
    targets = []
    decision = start
    for i in range(11):
        history.append(s(decision.next, (decision.target_reps,) * 3, 1 + 2 * i, ok(7)))
        decision = next_session(history, BaselineTest(D0, Rung.KNEE, 5), None, history[-1].on)
        targets.append((decision.next, decision.target_reps))
    assert targets[:4] == [(Rung.KNEE, 4), (Rung.KNEE, 5), (Rung.KNEE, 6), (Rung.KNEE, 7)]
    assert all(rung == Rung.KNEE for rung, _ in targets[:10])
    assert targets[-1] == (Rung.FULL, 8)  # 12s twice, then up


# 6. What counts toward progress ---------------------------------------------------------------
COUNT_CASES = [
    (
        "back-to-back days",
        [s(Rung.KNEE, TWELVES, 0), s(Rung.KNEE, TWELVES, 1)],
        Action.STAY,
        Rung.KNEE,
    ),
    (
        "same day twice",
        [s(Rung.KNEE, TWELVES, 0), s(Rung.KNEE, TWELVES, 0)],
        Action.STAY,
        Rung.KNEE,
    ),
    (
        "two one-set sessions",
        [s(Rung.KNEE, (12,), 0), s(Rung.KNEE, (12,), 2)],
        Action.STAY,
        Rung.KNEE,
    ),
    (
        "48 h apart, every set",
        [s(Rung.KNEE, TWELVES, 0), s(Rung.KNEE, TWELVES, 2)],
        Action.PROGRESS,
        Rung.FULL,
    ),
    (
        "a 20-day break between",
        [s(Rung.KNEE, TWELVES, 0), s(Rung.KNEE, TWELVES, 20)],
        Action.STAY,
        Rung.KNEE,
    ),
]


@pytest.mark.parametrize(
    ("history", "action", "rung"), [c[1:] for c in COUNT_CASES], ids=[c[0] for c in COUNT_CASES]
)
def test_what_counts_toward_progress(
    history: list[SessionRecord], action: Action, rung: Rung
) -> None:
    decision = decide_next(history)
    assert (decision.action, decision.next) == (action, rung)


def test_not_counted_reasons() -> None:
    back_to_back = decide_next([s(Rung.KNEE, TWELVES, 0), s(Rung.KNEE, TWELVES, 1)])
    assert back_to_back.reason == (
        "this session came the day after the last counted one (2026-03-02): sessions count "
        "toward moving up only 48 h or more apart: stay on knee push-ups at 12 reps per set"
    )
    one_set = decide_next([s(Rung.KNEE, (12,), 0)])
    assert one_set.reason == (
        "1 of the 3 sets planned: a session counts toward moving up only with every planned "
        "set: stay on knee push-ups at 8 reps per set"
    )


@pytest.mark.parametrize(("gap", "rung"), [(13, Rung.FULL), (14, Rung.KNEE), (40, Rung.KNEE)])
def test_long_break_restarts_one_rung_lower(gap: int, rung: Rung) -> None:
    history = [s(Rung.FULL, (10, 10, 10), 0, ok())]
    decision = next_session(history, None, None, D0 + dt.timedelta(days=gap))
    assert decision.next == rung
    if gap >= 14:
        assert decision.reason.endswith(
            f"; but your last training was {gap} days ago: after a break of 14 days or more, "
            "restart one rung lower, on knee push-ups"
        )


# 8. A baseline soon after a pain stop ----------------------------------------------------------
@pytest.mark.parametrize(
    ("days_after", "placed"), [(1, Rung.FULL), (7, Rung.FULL), (8, Rung.DIAMOND)]
)
def test_baseline_after_a_pain_stop_is_capped_below_it(days_after: int, placed: Rung) -> None:
    stop = s(Rung.DIAMOND, (8, 8, 8), 0, hurt(5, LB, PainKind.SHARP))
    test = BaselineTest(D0 + dt.timedelta(days=days_after), Rung.DIAMOND, 12)
    decision = next_session([stop], test, None, test.taken_on)
    assert decision.next == placed
    if placed != Rung.DIAMOND:
        assert "capped at full push-ups because pain stopped your diamond push-ups on " in (
            decision.reason
        )


def test_baseline_after_a_pain_stop_on_the_easiest_rung_is_refused() -> None:
    stop = s(Rung.WALL, (8, 8, 8), 0, hurt(4))
    with pytest.raises(ConfigError, match="there is no easier rung: rest, test again from"):
        next_session([stop], BaselineTest(D0 + dt.timedelta(days=2), Rung.KNEE, 9), None, D0)


def test_a_ceiling_is_always_checked_against_spine_heavy() -> None:
    assert Ceiling(Rung.ARCHER, "test").allows(Rung.DECLINE) is False
