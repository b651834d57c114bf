"""Pre-exercise screening (COACHING.md section 5): PAR-Q+-style questions plus a back section.

A yes to a red flag: no plan, see a healthcare professional now. A yes elsewhere: consult a
professional before starting; the plan stays conservative until the person records clearance.
The product never diagnoses, and every outcome says it is not medical advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pushup_coach.coach.ladder import BACK_CONDITION_CEILING, CONSERVATIVE_CEILING, Ceiling
from pushup_coach.coach.progression import NOT_MEDICAL_ADVICE
from pushup_coach.errors import ConfigError


class Section(StrEnum):
    GENERAL = "general"
    BACK = "back"
    RED_FLAG = "red_flag"


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    section: Section


QUESTIONS: tuple[Question, ...] = (
    Question(
        "heart_condition", "Has a doctor ever said you have a heart condition?", Section.GENERAL
    ),
    Question(
        "chest_pain", "Do you feel pain in your chest at rest or when active?", Section.GENERAL
    ),
    Question(
        "dizziness",
        "Do you lose balance from dizziness, or ever lose consciousness?",
        Section.GENERAL,
    ),
    Question(
        "bone_joint_problem",
        "Do you have a bone or joint problem that exercise could make worse?",
        Section.GENERAL,
    ),
    Question(
        "bp_heart_medication",
        "Do you take medication for blood pressure or a heart condition?",
        Section.GENERAL,
    ),
    Question(
        "pregnant",
        "Are you pregnant or have you given birth in the last 6 months?",
        Section.GENERAL,
    ),
    Question(
        "back_condition", "Do you have a diagnosed back condition or back injury?", Section.BACK
    ),
    Question("back_pain_now", "Do you have back pain now?", Section.BACK),
    Question(
        "pain_after_fall", "Did your back pain start after a fall or an accident?", Section.RED_FLAG
    ),
    Question("leg_numbness", "Do you have numbness or tingling in your legs?", Section.RED_FLAG),
    Question(
        "bladder_bowel", "Have you lost any control of your bladder or bowel?", Section.RED_FLAG
    ),
    Question(
        "night_pain",
        "Does back pain wake you at night or keep you from sleeping?",
        Section.RED_FLAG,
    ),
    Question("weight_loss", "Have you lost weight recently without trying?", Section.RED_FLAG),
    Question("fever_back_pain", "Do you have a fever together with back pain?", Section.RED_FLAG),
)
QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)
# A yes to either back question (a diagnosed condition, or pain now): no spine-heavy rungs ever.
BACK_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS if q.section == Section.BACK)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class ScreeningOutcome(StrEnum):
    CLEAR = "clear"  # no yes: the normal plan
    CONSULT = "consult"  # a yes outside the red flags: consult first, conservative plan
    RED_FLAG = "red_flag"  # a red flag: no plan, see a professional now


@dataclass(frozen=True)
class ScreeningResult:
    outcome: ScreeningOutcome
    flagged: tuple[str, ...]
    reason: str
    advice: tuple[str, ...]


def parse_answers(raw: Mapping[str, object]) -> dict[str, bool]:
    """Validate a full answer set: every question key, each yes/no (bool or yes/no text)."""
    unknown = sorted(set(raw) - set(QUESTION_KEYS))
    missing = [k for k in QUESTION_KEYS if k not in raw]
    if unknown:
        raise ConfigError(f"unknown screening answer(s): {', '.join(unknown)}")
    if missing:
        raise ConfigError(f"screening answers missing: {', '.join(missing)}")
    answers: dict[str, bool] = {}
    for key in QUESTION_KEYS:
        value = raw[key]
        text = str(value).strip().lower()
        if isinstance(value, bool):
            answers[key] = value
        elif text in _YES or text in _NO:
            answers[key] = text in _YES
        else:
            raise ConfigError(f"screening answer {key!r} must be yes or no, got {value!r}")
    return answers


def assess_screening(answers: Mapping[str, bool]) -> ScreeningResult:
    """The outcome of a complete answer set (see :func:`parse_answers`)."""
    by_key = {q.key: q for q in QUESTIONS}
    flagged = tuple(k for k in QUESTION_KEYS if answers[k])
    red = tuple(k for k in flagged if by_key[k].section == Section.RED_FLAG)
    if red:
        return ScreeningResult(
            outcome=ScreeningOutcome.RED_FLAG,
            flagged=flagged,
            reason=f"red flag: {', '.join(red)}. No plan is made.",
            advice=(
                "See a healthcare professional now, before any exercise.",
                NOT_MEDICAL_ADVICE,
            ),
        )
    if flagged:
        return ScreeningResult(
            outcome=ScreeningOutcome.CONSULT,
            flagged=flagged,
            reason=(
                f"you answered yes to: {', '.join(flagged)}. Your plan stays conservative "
                "(lower rungs, no spine-heavy variations) until you record clearance."
            ),
            advice=(
                "Consult a healthcare professional before you start; when they clear you, run "
                "`pushup-coach screen --cleared`.",
                NOT_MEDICAL_ADVICE,
            ),
        )
    return ScreeningResult(
        outcome=ScreeningOutcome.CLEAR,
        flagged=(),
        reason="no yes answers: the normal plan applies.",
        advice=(NOT_MEDICAL_ADVICE,),
    )


def ceiling_for(
    outcome: ScreeningOutcome, flagged: tuple[str, ...], cleared_at: dt.datetime | None
) -> Ceiling | None:
    """The highest rung allowed by a screening (None: the whole ladder).

    Red flags without recorded clearance get no plan at all; callers check :func:`may_plan`.
    """
    if outcome != ScreeningOutcome.CLEAR and cleared_at is None:
        return Ceiling(CONSERVATIVE_CEILING, "until your clearance is recorded", conservative=True)
    if outcome == ScreeningOutcome.RED_FLAG:
        return Ceiling(CONSERVATIVE_CEILING, "after red-flag answers, even with clearance", True)
    if any(k in BACK_KEYS for k in flagged):  # cleared or not: never spine-heavy, never archer
        return Ceiling(BACK_CONDITION_CEILING, "because you reported a back condition")
    return None


def may_plan(outcome: ScreeningOutcome, cleared_at: dt.datetime | None) -> bool:
    """A red flag blocks every plan until a professional's clearance is recorded."""
    return outcome != ScreeningOutcome.RED_FLAG or cleared_at is not None
