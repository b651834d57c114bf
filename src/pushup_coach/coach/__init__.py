"""The coach: screening, ladder placement, progression and the weekly plan.

Pure functions over a person's history (no SQL, no I/O, no clock): every decision is a small frozen
dataclass that carries a ``reason`` sentence a person can read. Rules: COACHING.md sections 4-5.
"""

from pushup_coach.coach.history import CheckIn, PainKind, PainLocation, SessionRecord
from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.plan import PlannedSession, WeekPlan, plan_week
from pushup_coach.coach.progression import Action, Decision, decide_next
from pushup_coach.coach.screening import ScreeningOutcome, ScreeningResult, assess_screening

__all__ = [
    "Action",
    "CheckIn",
    "Decision",
    "PainKind",
    "PainLocation",
    "PlannedSession",
    "Rung",
    "ScreeningOutcome",
    "ScreeningResult",
    "SessionRecord",
    "WeekPlan",
    "assess_screening",
    "decide_next",
    "plan_week",
]
