"""analyze_series end to end on built series: report contents, warnings, JSON round trip."""

from __future__ import annotations

import dataclasses
import json
import warnings

import pytest

from builders import (
    analyze,
    duration_of,
    empty_series,
    rep_keyframes,
    side_series,
    standing_series,
    then,
)
from front_builder import front_series
from pushup_coach.types import PoseSeries, SessionReport

K = rep_keyframes
NEVER = (
    "The person was never in push-up position (supported on the hands, body far from upright), "
    "so no reps were counted. If you were doing push-ups, the camera may have looked down from "
    "above or been too close: film from the side at hip height, whole body in the frame."
)
NO_PERSON = "No person was found in the video: film the whole body, well lit."
NO_COMPLETE = "No complete push-up (down to the bottom and back up) was seen."
FRONT = (
    "Filmed from the front: hand width and tempo are judged; body line and depth need a side view."
)
CUT_ONE = "1 attempt(s) cut off by the start or end of the clip were not counted."


def _two_sets() -> PoseSeries:
    one = K(3, bottom_deg=60.0)
    keys = then(then(one, [(0.0, 170.0), (10.0, 170.0)]), K(2, bottom_deg=60.0))
    end = duration_of(one)
    return side_series(keys, hip_dev=0.10, standing=[(end + 0.5, end + 9.5)])


SERIES = {
    "side-faults": side_series(K(3), hip_dev=0.10, head_dev=0.15),
    "two-sets": _two_sets(),
    "front": front_series(K(3), hand_width_ratio=0.5),
    "low-visibility": side_series(K(3), visibility=(0.4, 0.3)),
    "partials": side_series(K(2, bottom_deg=140.0, start_at_bottom=True)),
    "standing": standing_series(),
    "empty": empty_series(),
}


@pytest.mark.parametrize(
    ("name", "view", "variation", "reps", "warnings"),
    [
        ("side-faults", "side", "full", 3, []),
        ("two-sets", "side", "full", 5, []),
        ("front", "front", "full", 3, [FRONT]),
        ("partials", "side", "full", 0, [NO_COMPLETE]),
        ("standing", "side", "unknown", 0, [NEVER]),
        ("empty", "unknown", "unknown", 0, [NO_PERSON]),
    ],
    ids=["side-faults", "two-sets", "front", "partials", "standing", "empty"],
)
def test_report_summary(
    name: str, view: str, variation: str, reps: int, warnings: list[str]
) -> None:
    data = analyze(SERIES[name]).to_dict()
    assert (data["view"], data["variation"], data["rep_count"]) == (view, variation, reps)
    assert data["warnings"] == warnings


def test_partial_coverage_warns_with_the_percentage() -> None:
    series = side_series(K(3), gaps=[(0.0, 4.5)])
    assert analyze(series).warnings[0] == (
        "A person was found in only 44% of frames: results may miss reps. Keep the whole body "
        "in frame."
    )


def test_two_sets_report() -> None:
    data = analyze(SERIES["two-sets"]).to_dict()
    assert [(s["index"], s["reps"]) for s in data["sets"]] == [(0, [0, 1, 2]), (1, [3, 4])]
    assert (data["clean_rep_count"], data["faults_summary"]["hip_sag"]) == (0, 5)
    assert [r["set"] for r in data["reps"]] == [0, 0, 0, 1, 1]


@pytest.mark.parametrize("name", list(SERIES), ids=list(SERIES))
def test_json_round_trip(name: str) -> None:
    report = analyze(SERIES[name])
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    again = SessionReport.from_dict(json.loads(text)).to_dict()
    assert again == data


def test_nan_becomes_null_and_survives_the_round_trip() -> None:
    report = analyze(SERIES["side-faults"])
    first = report.reps[0]
    metrics = dataclasses.replace(first.metrics, lowering_s=float("nan"), elbow_flare_deg=None)
    assert metrics.lowering_s is None  # NaN is "not measured" from the start, not a number
    nan_rep = dataclasses.replace(first, metrics=metrics)
    report = dataclasses.replace(
        report, reps=(nan_rep, *report.reps[1:]), pose_coverage=float("nan")
    )
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert data["reps"][0]["metrics"]["lowering_s"] is None
    assert data["reps"][0]["metrics"]["elbow_flare_deg"] is None
    assert data["pose"]["coverage"] is None
    assert SessionReport.from_dict(data).to_dict() == data


def test_report_keys_and_rep_keys() -> None:
    data = analyze(SERIES["side-faults"]).to_dict()
    assert list(data) == [
        "schema_version",
        "source",
        "view",
        "side",
        "variation",
        "rep_count",
        "clean_rep_count",
        "not_checked_rep_count",
        "partial_reps",
        "sets",
        "faults_assessed",
        "faults_not_assessed",
        "faults_summary",
        "faults_uncertain",
        "reps",
        "cues",
        "advice",
        "warnings",
        "pose",
    ]
    assert list(data["reps"][0]) == [
        "index",
        "set",
        "start_s",
        "bottom_s",
        "end_s",
        "metrics",
        "faults",
        "severity",
        "uncertain",
        "not_assessed",
        "verdict",
        "score",
    ]


@pytest.mark.parametrize(
    "series",
    [empty_series(), side_series(K(3), gaps=[(0.0, 4.5)])],
    ids=["empty", "late-start"],
)
def test_no_numpy_warnings_reach_the_user(series: PoseSeries) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analyze(series)
