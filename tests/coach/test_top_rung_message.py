"""One session of 12s on the highest rung a person may reach promises no move that cannot happen."""

from __future__ import annotations

import datetime as dt

import pytest

from pushup_coach.coach.history import SessionRecord
from pushup_coach.coach.ladder import Ceiling, Rung
from pushup_coach.coach.progression import Action, decide_next
from pushup_coach.coach.screening import ScreeningOutcome, ceiling_for

CLEARED_BACK = ceiling_for(
    ScreeningOutcome.CONSULT, ("back_condition",), dt.datetime(2026, 3, 1, 9, 0)
)


@pytest.mark.parametrize(
    ("rung", "ceiling", "said"),
    [
        (
            Rung.ARCHER,
            None,
            "every set reached 12 clean reps (12, 12, 12), but you are on the top rung of the "
            "ladder: stay on archer push-ups at 12 reps per set",
        ),
        (
            Rung.DIAMOND,
            CLEARED_BACK,
            "every set reached 12 clean reps (12, 12, 12), but diamond push-ups is the highest "
            "rung because you reported a back condition: stay on diamond push-ups at 12 reps "
            "per set",
        ),
        (
            Rung.KNEE,
            None,
            "every set reached 12 clean reps (12, 12, 12): do it again next session to move up "
            "to full push-ups",
        ),
    ],
)
def test_first_session_of_twelves(rung: Rung, ceiling: Ceiling | None, said: str) -> None:
    first = SessionRecord(dt.date(2026, 3, 2), rung, (12, 12, 12), (12, 12, 12))
    decision = decide_next([first], ceiling)
    assert (decision.action, decision.next, decision.reason) == (Action.STAY, rung, said)
