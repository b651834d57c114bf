"""Cues: back safety first, each naming its reps; praise when clean; the safety advice."""

from __future__ import annotations

import pytest

from builders import analyze, rep_keyframes, side_series
from metrics_builder import metrics
from pushup_coach.feedback import ADVICE, CUE_TEXT, GOOD_REP, CueThrottle, build_cues, rep_cue
from pushup_coach.types import Fault, Rep, RepAssessment, Severity, View


def _assessment(index: int, *faults: Fault) -> RepAssessment:
    rep = Rep(index, 0, 1, 2, 0.0, 0.5, 1.0)
    severity = {f: Severity.MILD for f in faults}
    return RepAssessment(
        rep, metrics(), tuple(faults), severity, (), 100 - 15 * len(faults), not_assessed=()
    )


@pytest.mark.parametrize(
    ("reps", "expected"),
    [
        (
            [
                _assessment(0, Fault.TOO_FAST),
                _assessment(1, Fault.HEAD_DROP, Fault.TOO_FAST),
                _assessment(2, Fault.HIP_SAG),
            ],
            [("hip_sag", [2]), ("head_drop", [1]), ("too_fast", [0, 1])],
        ),
        (
            [_assessment(0, Fault.HANDS_WIDE), _assessment(1, Fault.ELBOW_FLARE)],
            [("elbow_flare", [1]), ("hands_wide", [0])],
        ),
        (
            [_assessment(0), _assessment(1), _assessment(2)],
            [("good_form", [0, 1, 2])],
        ),
        ([], []),
    ],
    ids=["back-first", "front-faults", "all-clean", "no-reps"],
)
def test_cue_order_and_reps(
    reps: list[RepAssessment], expected: list[tuple[str, list[int]]]
) -> None:
    cues = build_cues(reps, View.SIDE)
    assert [(c.code, list(c.reps)) for c in cues] == expected
    assert [c.priority for c in cues] == list(range(len(cues)))


def test_cue_text_is_the_plain_language_one() -> None:
    (cue,) = build_cues([_assessment(0, Fault.HIP_SAG)], View.SIDE)
    assert cue.text == (
        "Keep your hips up: squeeze your glutes and brace your belly so your lower back does not "
        "sag."
    )
    assert set(CUE_TEXT) == set(Fault)


def test_pipeline_cues_name_the_reps_they_come_from() -> None:
    head = [(0.0, 0.0), (2.2, 0.0), (2.4, 0.15), (3.6, 0.15), (3.8, 0.0)]  # rep 1: 2.0 - 4.0 s
    keys = rep_keyframes(3, bottom_deg=60.0, down_s=0.1, up_s=1.4)
    report = analyze(side_series(keys, hip_dev=0.10, head_dev=head))
    assert [(c["code"], c["reps"]) for c in report.to_dict()["cues"]] == [
        ("hip_sag", [0, 1, 2]),
        ("head_drop", [1]),
        ("too_fast", [0, 1, 2]),
    ]


def test_clean_session_gets_the_good_form_cue() -> None:
    report = analyze(side_series(rep_keyframes(3, bottom_deg=60.0)))
    assert [c.to_dict() for c in report.cues] == [
        {
            "code": "good_form",
            "text": "Good form on every rep: keep it up, and add reps gradually.",
            "reps": [0, 1, 2],
        }
    ]


@pytest.mark.parametrize(
    "needle",
    ["consult a healthcare professional", "Stop if you feel pain", "not medical advice"],
    ids=["professional", "pain", "not-medical-advice"],
)
def test_advice_has_the_safety_lines(needle: str) -> None:
    report = analyze(side_series(rep_keyframes(1)))
    assert report.advice == ADVICE
    assert sum(needle in line for line in report.to_dict()["advice"]) == 1


@pytest.mark.parametrize(
    ("faults", "cue"),
    [
        ((), GOOD_REP),
        ((Fault.TOO_FAST, Fault.HIP_SAG), "Hips up, brace your core"),
        ((Fault.SHALLOW,), "Go lower"),
    ],
    ids=["clean", "worst-first", "shallow"],
)
def test_rep_cue(faults: tuple[Fault, ...], cue: str) -> None:
    assert rep_cue(_assessment(0, *faults)) == cue


def test_throttle_repeats_a_cue_only_after_repeat_s() -> None:
    throttle = CueThrottle(repeat_s=10.0, min_gap_s=2.0)
    offers = [(0.0, "a"), (1.0, "b"), (3.0, "a"), (4.0, "a"), (14.0, "a"), (15.0, "b")]
    # b comes too soon after a; a again within repeat_s is held back; b too soon after a.
    assert [throttle.offer(t, text) for t, text in offers] == [
        True,
        False,
        False,
        False,
        True,
        False,
    ]
