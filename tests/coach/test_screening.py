"""Screening outcomes (COACHING.md section 5) and the ceiling each one puts on the ladder."""

from __future__ import annotations

import datetime as dt

import pytest

from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.screening import (
    QUESTION_KEYS,
    ScreeningOutcome,
    assess_screening,
    ceiling_for,
    may_plan,
    parse_answers,
)
from pushup_coach.errors import ConfigError

CLEARED = dt.datetime(2026, 3, 1, 9, 0)


def answers(*yes: str) -> dict[str, bool]:
    return {k: k in yes for k in QUESTION_KEYS}


OUTCOME_CASES = [
    ("all no", answers(), ScreeningOutcome.CLEAR, "no yes answers: the normal plan applies."),
    (
        "heart condition",
        answers("heart_condition"),
        ScreeningOutcome.CONSULT,
        "you answered yes to: heart_condition. Your plan stays conservative (lower rungs, no "
        "spine-heavy variations) until you record clearance.",
    ),
    (
        "back condition and pain now",
        answers("back_condition", "back_pain_now"),
        ScreeningOutcome.CONSULT,
        "you answered yes to: back_condition, back_pain_now. Your plan stays conservative (lower "
        "rungs, no spine-heavy variations) until you record clearance.",
    ),
    (
        "red flag wins over the rest",
        answers("pregnant", "leg_numbness", "bladder_bowel"),
        ScreeningOutcome.RED_FLAG,
        "red flag: leg_numbness, bladder_bowel. No plan is made.",
    ),
]


@pytest.mark.parametrize(
    ("given", "outcome", "reason"),
    [c[1:] for c in OUTCOME_CASES],
    ids=[c[0] for c in OUTCOME_CASES],
)
def test_outcomes(given: dict[str, bool], outcome: ScreeningOutcome, reason: str) -> None:
    result = assess_screening(given)
    assert result.outcome == outcome
    assert result.reason == reason
    assert result.advice[-1] == "This is not medical advice."


@pytest.mark.parametrize(
    "key",
    [
        "pain_after_fall",
        "leg_numbness",
        "bladder_bowel",
        "night_pain",
        "weight_loss",
        "fever_back_pain",
    ],
)
def test_every_red_flag_blocks_the_plan(key: str) -> None:
    result = assess_screening(answers(key))
    assert result.outcome == ScreeningOutcome.RED_FLAG
    assert result.advice[0] == "See a healthcare professional now, before any exercise."
    assert may_plan(result.outcome, None) is False


CEILING_CASES = [
    ("clear", ScreeningOutcome.CLEAR, (), None, None),
    ("consult, not cleared", ScreeningOutcome.CONSULT, ("dizziness",), None, Rung.KNEE),
    ("consult, cleared", ScreeningOutcome.CONSULT, ("dizziness",), CLEARED, None),
    (
        "back condition, cleared",
        ScreeningOutcome.CONSULT,
        ("back_condition",),
        CLEARED,
        Rung.DIAMOND,
    ),
    ("red flag, cleared", ScreeningOutcome.RED_FLAG, ("night_pain",), CLEARED, Rung.KNEE),
]


@pytest.mark.parametrize(
    ("outcome", "flagged", "cleared", "rung"),
    [c[1:] for c in CEILING_CASES],
    ids=[c[0] for c in CEILING_CASES],
)
def test_ceilings(
    outcome: ScreeningOutcome,
    flagged: tuple[str, ...],
    cleared: dt.datetime | None,
    rung: Rung | None,
) -> None:
    ceiling = ceiling_for(outcome, flagged, cleared)
    assert (ceiling.rung if ceiling else None) == rung


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**answers(), "extra": True}, "unknown screening answer(s): extra"),
        ({k: False for k in QUESTION_KEYS[1:]}, "screening answers missing: heart_condition"),
        (
            {**answers(), "pregnant": "maybe"},
            "screening answer 'pregnant' must be yes or no, got 'maybe'",
        ),
    ],
)
def test_bad_answer_files(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_answers(raw)
    assert str(info.value) == message


def test_yes_no_text_is_accepted() -> None:
    raw: dict[str, object] = {k: "no" for k in QUESTION_KEYS}
    raw["dizziness"] = "Yes"
    assert parse_answers(raw) == answers("dizziness")
