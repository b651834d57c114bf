"""Honest verdicts: a rep is clean only when every fault that matters for it was judged.

What matters is the body line (hip sag and pike, whatever the view) plus every fault the view can
measure. A rep counted without that judgement is "counted, form not checked" in the JSON, the
terminal, the HTML report, the overlay, the live cue, and in what storage and the baseline take as
clean reps.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from builders import analyze, rep_keyframes, side_series
from front_builder import front_series
from metrics_builder import FRONT_CLEAN, SIDE_CLEAN, metrics
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.errors import ConfigError
from pushup_coach.feedback import GOOD_REP, NOT_CHECKED_REP, build_cues, rep_cue
from pushup_coach.form import faults_not_assessed
from pushup_coach.measurements import RepMetrics
from pushup_coach.report.html import render_html
from pushup_coach.report.video import cue_at, rep_caption
from pushup_coach.skeleton import Landmark
from pushup_coach.storage.analysis import clean_reps_of_report, sets_from_report
from pushup_coach.types import (
    Fault,
    PoseSeries,
    Rep,
    RepAssessment,
    RepVerdict,
    SessionReport,
    View,
)

SIDE_NEEDS = (
    Fault.HIP_SAG,
    Fault.HIP_PIKE,
    Fault.HEAD_DROP,
    Fault.SHALLOW,
    Fault.NO_LOCKOUT,
    Fault.TOO_FAST,
)


@pytest.mark.parametrize(
    ("measured", "view", "expected"),
    [
        (SIDE_CLEAN, View.SIDE, ()),
        (replace(SIDE_CLEAN, hip_sag_norm=None, hip_pike_norm=None), View.SIDE, SIDE_NEEDS[:2]),
        (replace(SIDE_CLEAN, neck_drop_norm=None), View.SIDE, (Fault.HEAD_DROP,)),
        (replace(SIDE_CLEAN, lowering_s=float("nan")), View.SIDE, (Fault.TOO_FAST,)),
        (replace(SIDE_CLEAN, quality=0.1), View.SIDE, SIDE_NEEDS),
        (replace(SIDE_CLEAN, quality=None), View.SIDE, SIDE_NEEDS),
        # An oblique camera judges only tempo; the body line is never judged from it.
        (SIDE_CLEAN, View.OBLIQUE, (Fault.HIP_SAG, Fault.HIP_PIKE)),
        (FRONT_CLEAN, View.FRONT, (Fault.HIP_SAG, Fault.HIP_PIKE)),
        (SIDE_CLEAN, View.UNKNOWN, (Fault.HIP_SAG, Fault.HIP_PIKE)),
    ],
    ids=[
        "side-all-seen",
        "side-hips-unseen",
        "side-head-unseen",
        "side-tempo-untimed",
        "side-unclear",
        "side-no-quality",
        "oblique",
        "front",
        "unknown-view",
    ],
)
def test_faults_not_assessed(measured: RepMetrics, view: View, expected: tuple[Fault, ...]) -> None:
    assert faults_not_assessed(measured, view, DEFAULT_CONFIG) == expected


def _rep(
    faults: tuple[Fault, ...], not_assessed: tuple[Fault, ...], index: int = 0
) -> RepAssessment:
    rep = Rep(index, 0, 1, 2, 0.0, 0.5, 1.0)
    score = None if not_assessed and not faults else 85
    return RepAssessment(rep, metrics(), faults, {}, (), score, not_assessed=not_assessed)


@pytest.mark.parametrize(
    ("faults", "not_assessed", "verdict", "cue"),
    [
        ((), (), RepVerdict.CLEAN, GOOD_REP),
        ((Fault.TOO_FAST,), (), RepVerdict.FAULTY, "Slow down on the way down"),
        ((Fault.TOO_FAST,), (Fault.HIP_SAG,), RepVerdict.FAULTY, "Slow down on the way down"),
        ((), (Fault.HIP_SAG, Fault.HIP_PIKE), RepVerdict.NOT_CHECKED, NOT_CHECKED_REP),
        ((), (Fault.HEAD_DROP,), RepVerdict.NOT_CHECKED, NOT_CHECKED_REP),
    ],
    ids=["clean", "faulty", "faulty-partly-unjudged", "body-line-unjudged", "head-unjudged"],
)
def test_verdict_and_live_cue(
    faults: tuple[Fault, ...], not_assessed: tuple[Fault, ...], verdict: RepVerdict, cue: str
) -> None:
    a = _rep(faults, not_assessed)
    assert a.verdict is verdict
    assert a.clean is (verdict is RepVerdict.CLEAN)
    assert rep_cue(a) == cue
    assert a.to_dict()["verdict"] == verdict.value


def test_cues_never_praise_reps_whose_form_was_not_checked() -> None:
    reps = [_rep((), ()), _rep((), (Fault.HIP_SAG, Fault.HIP_PIKE), index=1)]
    cues = build_cues(reps, View.OBLIQUE)
    assert [(c.code, c.reps) for c in cues] == [("form_not_checked", (1,))]
    assert cues[0].text == (
        "Counted, form not checked on 1 of 2 reps: an oblique camera cannot see the line from head "
        "to heels. For a form check, film from the side at hip height with the whole body in the "
        "frame."
    )


def _front_report() -> SessionReport:
    return analyze(front_series(rep_keyframes(3, bottom_deg=60.0)))


def test_front_view_reps_are_counted_but_never_clean() -> None:
    report = _front_report()
    assert report.view is View.FRONT
    assert report.rep_count == 3
    assert report.clean_rep_count == 0
    assert report.not_checked_rep_count == 3
    data = report.to_dict()
    assert data["clean_rep_count"] == 0
    assert data["not_checked_rep_count"] == 3
    assert [r["verdict"] for r in data["reps"]] == ["not_checked"] * 3
    assert [r["score"] for r in data["reps"]] == [None, None, None]
    assert [r["not_assessed"] for r in data["reps"]] == [["hip_sag", "hip_pike"]] * 3
    assert "good_form" not in [c["code"] for c in data["cues"]]
    assert "form_not_checked" in [c["code"] for c in data["cues"]]


def _hide(series: PoseSeries, marks: tuple[Landmark, ...]) -> PoseSeries:
    lm = series.landmarks.copy()
    lm[:, list(marks), :] = np.nan
    return PoseSeries(series.t_s, lm, series.size_wh, series.source)


FEET = (
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
    Landmark.LEFT_HEEL,
    Landmark.RIGHT_HEEL,
    Landmark.LEFT_FOOT_INDEX,
    Landmark.RIGHT_FOOT_INDEX,
)


def test_side_view_with_feet_out_of_frame_is_not_called_clean() -> None:
    seen = analyze(side_series(rep_keyframes(3, bottom_deg=60.0)))
    assert (seen.rep_count, seen.clean_rep_count) == (3, 3)
    hidden = analyze(_hide(side_series(rep_keyframes(3, bottom_deg=60.0)), FEET))
    assert hidden.rep_count == 3
    assert hidden.clean_rep_count == 0
    assert {r.verdict for r in hidden.reps} == {RepVerdict.NOT_CHECKED}
    assert all(Fault.HIP_SAG in r.not_assessed for r in hidden.reps)


def test_html_report_says_form_not_checked() -> None:
    page = render_html(_front_report())
    assert "3 form not checked" in page
    assert "Counted, form not checked on every rep: a front camera cannot see" in page
    assert "Every rep was clean" not in page
    assert 'class="badge ok"' not in page
    assert page.count("badge unchecked") == 3


def test_overlay_says_counted_not_good_rep() -> None:
    report = _front_report()
    first = report.reps[0]
    assert cue_at(report, first.rep.end_s + 0.1) == NOT_CHECKED_REP
    assert rep_caption(first) == "Rep 1 · form not checked"
    side = analyze(side_series(rep_keyframes(1, bottom_deg=60.0)))
    assert cue_at(side, side.reps[0].rep.end_s + 0.1) == GOOD_REP
    assert rep_caption(side.reps[0]) == f"Rep 1 · score {side.reps[0].score}"


def test_json_round_trip_keeps_verdicts() -> None:
    report = _front_report()
    back = SessionReport.from_dict(report.to_dict())
    assert [r.verdict for r in back.reps] == [RepVerdict.NOT_CHECKED] * 3


def test_report_written_before_verdicts_is_not_read_as_clean() -> None:
    data = _front_report().to_dict()
    for rep in data["reps"]:
        del rep["verdict"], rep["not_assessed"]
        rep["score"] = 100  # what older versions wrote
    data["faults_assessed"] = ["too_fast"]  # an old oblique-view report
    assert SessionReport.from_dict(data).clean_rep_count == 0
    assert sets_from_report(data) == ((3,), (0,))


def test_storage_counts_only_clean_verdicts() -> None:
    side = analyze(side_series(rep_keyframes(3, bottom_deg=60.0))).to_dict()
    assert sets_from_report(side) == ((3,), (3,))
    assert sets_from_report(_front_report().to_dict()) == ((3,), (0,))


def test_baseline_refuses_reps_whose_form_was_not_checked() -> None:
    with pytest.raises(ConfigError, match="counted but their form was not checked from a front"):
        clean_reps_of_report(_front_report().to_dict())
    side = analyze(side_series(rep_keyframes(3, bottom_deg=60.0))).to_dict()
    assert clean_reps_of_report(side) == 3
