"""The typed per-rep record: its JSON twin, old and newer reports, NaN, and the names tied to it.

A measurement that is missing, NaN or infinite is "not measured" (None); a fault whose measurement
is not measured is "not assessed" on that rep, and the rep is "form not checked", never clean.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import jsonschema
import numpy as np
import pytest

from builders import analyze, rep_keyframes, side_series
from metrics_builder import FRONT_CLEAN, SIDE_CLEAN, metrics
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.form.assess import assess_metrics
from pushup_coach.form.rules import RULES, Outcome
from pushup_coach.measurements import RepMetrics, measure_name, metric_names
from pushup_coach.report import plots, tables
from pushup_coach.report.glossary import METRIC_HELP
from pushup_coach.schemas import session_report_schema
from pushup_coach.types import Fault, Rep, RepVerdict, SessionReport, View

# The JSON keys, in order, that reports have always carried (the schema and stored reports).
REPORT_KEYS = [
    "min_elbow_deg",
    "bottom_shoulder_height_norm",
    "top_elbow_deg",
    "hip_sag_norm",
    "hip_pike_norm",
    "min_hip_angle_deg",
    "neck_drop_norm",
    "lowering_s",
    "pushing_s",
    "bottom_pause_s",
    "duration_s",
    "body_incline_deg",
    "hand_width_ratio",
    "elbow_flare_deg",
    "quality",
]
REP = Rep(0, 0, 10, 20, 0.0, 0.7, 1.4)


def test_to_dict_keeps_the_report_keys_order_and_rounding() -> None:
    record = RepMetrics(**{name: 1.23456789 + i for i, name in enumerate(REPORT_KEYS)})
    assert list(record.to_dict()) == REPORT_KEYS == list(metric_names())
    assert record.to_dict()["min_elbow_deg"] == 1.2346
    assert RepMetrics.unmeasured().to_dict() == dict.fromkeys(REPORT_KEYS)


@pytest.mark.parametrize(
    "record",
    [SIDE_CLEAN, FRONT_CLEAN, RepMetrics.unmeasured(), metrics(lowering_s=float("nan"))],
    ids=["side", "front", "unmeasured", "nan"],
)
def test_round_trip_through_json(record: RepMetrics) -> None:
    text = json.dumps(record.to_dict(), allow_nan=False)
    assert RepMetrics.from_dict(json.loads(text)) == record


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({}, RepMetrics.unmeasured()),
        # a report from before depth was measured as shoulder height
        (
            {"min_elbow_deg": 85, "hip_sag_norm": 0.02},
            metrics(min_elbow_deg=85.0, hip_sag_norm=0.02),
        ),
        # a report from a newer version with a measurement this one does not know
        ({"lowering_s": 1.1, "knee_angle_deg": 160.0}, metrics(lowering_s=1.1)),
        ({"lowering_s": None, "quality": 0.8}, metrics(quality=0.8)),
    ],
    ids=["empty", "older", "newer", "null"],
)
def test_from_dict_reads_older_and_newer_reports(
    stored: dict[str, Any], expected: RepMetrics
) -> None:
    assert RepMetrics.from_dict(stored) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), None),
        (np.nan, None),
        (np.float32("nan"), None),
        (math.inf, None),
        (-math.inf, None),
        (None, None),
        (np.float32(1.5), 1.5),
        (np.float64(0.25), 0.25),
        (2, 2.0),
    ],
    ids=["nan", "np-nan", "f32-nan", "inf", "-inf", "none", "f32", "f64", "int"],
)
def test_not_a_finite_number_is_not_measured(value: Any, expected: float | None) -> None:
    got = metrics(lowering_s=value).lowering_s
    assert got == expected
    assert got is None or type(got) is float


@pytest.mark.parametrize("value", ["1.5", True, [1.0]], ids=["str", "bool", "list"])
def test_a_non_number_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match=r"RepMetrics\.lowering_s must be a number or None"):
        metrics(lowering_s=value)


JUDGED_RULES = [r for r in RULES if r.views]  # elbow_flare is judged from no view


@pytest.mark.parametrize("rule", JUDGED_RULES, ids=[r.fault.value for r in JUDGED_RULES])
@pytest.mark.parametrize("missing", [None, float("nan")], ids=["none", "nan"])
def test_a_rule_without_its_measurement_is_not_assessed_and_the_rep_not_clean(
    rule: Any, missing: float | None
) -> None:
    view = View.FRONT if View.FRONT in rule.views and View.SIDE not in rule.views else View.SIDE
    measured = FRONT_CLEAN if view is View.FRONT else SIDE_CLEAN
    judged = assess_metrics(REP, measured, view)
    assert rule.fault not in judged.not_assessed
    assert judged.verdict is (RepVerdict.CLEAN if view is View.SIDE else RepVerdict.NOT_CHECKED)
    unmeasured = dataclasses.replace(measured, **{measure_name(rule.measure): missing})
    assert rule.judge(unmeasured, DEFAULT_CONFIG) == (Outcome.NOT_ASSESSED, None)
    rep = assess_metrics(REP, unmeasured, view)
    assert rule.fault in rep.not_assessed
    assert (rep.verdict, rep.clean, rep.score) == (RepVerdict.NOT_CHECKED, False, None)
    assert rep.to_dict()["verdict"] == "not_checked"


def test_an_old_stored_report_reads_back_valid_with_the_same_verdicts() -> None:
    report = analyze(side_series(rep_keyframes(3, bottom_deg=60.0)))
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    for rep in data["reps"]:
        del rep["metrics"]["bottom_shoulder_height_norm"], rep["metrics"]["min_hip_angle_deg"]
        rep["metrics"]["knee_angle_deg"] = 150.0
    again = SessionReport.from_dict(data).to_dict()
    jsonschema.validate(again, session_report_schema())
    assert [list(r["metrics"]) for r in again["reps"]] == [REPORT_KEYS] * len(data["reps"])
    assert {r["metrics"]["min_hip_angle_deg"] for r in again["reps"]} == {None}
    keep = ("faults", "verdict", "score", "not_assessed")
    assert [[r[k] for k in keep] for r in again["reps"]] == [
        [r[k] for k in keep] for r in data["reps"]
    ]


def test_every_rule_reads_one_field() -> None:
    names = [measure_name(rule.measure) for rule in RULES]
    assert set(names) <= set(metric_names())
    assert dict(zip((r.fault for r in RULES), names, strict=True))[Fault.SHALLOW] == (
        "bottom_shoulder_height_norm"
    )


def test_measure_name_refuses_what_is_not_one_field() -> None:
    for measure in (lambda m: None, lambda m: 100.0 * (m.lowering_s or 0.0) + 0.5):
        with pytest.raises(ValueError, match="one RepMetrics field"):
            measure_name(measure)


def test_every_measurement_the_report_shows_is_a_field_with_a_glossary_entry() -> None:
    columns = [m for col in tables._REP_COLUMNS for m in col.measures]
    panels = [m for panel in plots._panels(DEFAULT_CONFIG) for m in panel.shows]
    shown = {measure_name(m) for m in [*columns, *panels]}
    assert shown <= set(metric_names())
    assert set(METRIC_HELP) == shown
