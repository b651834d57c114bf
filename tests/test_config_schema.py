"""Docs and schema stay in step with the code."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from metrics_builder import metrics
from pushup_coach.config import DEFAULT_CONFIG, settings_help, settings_markdown
from pushup_coach.errors import ConfigError
from pushup_coach.measurements import metric_names
from pushup_coach.schemas import session_report_schema
from pushup_coach.types import (
    Cue,
    Fault,
    PartialRep,
    Rep,
    RepAssessment,
    RepSet,
    SessionReport,
    Severity,
    Side,
    Variation,
    VideoInfo,
    View,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented_with_its_default() -> None:
    text = (DOCS / "configuration.md").read_text()
    assert settings_markdown() in text
    for name, (_, help_text) in settings_help().items():
        assert help_text, f"setting {name} has no help text"


def test_replace_rejects_unknown_settings_and_keeps_defaults() -> None:
    changed = DEFAULT_CONFIG.replace(hip_sag_dev=0.07)
    assert changed.hip_sag_dev == 0.07
    assert DEFAULT_CONFIG.hip_sag_dev != 0.07
    with pytest.raises(ConfigError, match="unknown setting"):
        DEFAULT_CONFIG.replace(hip_sagg=0.1)


def _report() -> SessionReport:
    rep = Rep(index=0, start_i=0, bottom_i=10, end_i=20, start_s=0.0, bottom_s=0.4, end_s=0.8)
    measured = metrics(
        min_elbow_deg=88.0,
        top_elbow_deg=171.0,
        hip_sag_norm=0.1,
        hip_pike_norm=-0.1,
        min_hip_angle_deg=150.0,
        neck_drop_norm=float("nan"),
        lowering_s=0.4,
        pushing_s=0.3,
        bottom_pause_s=0.0,
        duration_s=0.8,
        body_incline_deg=10.0,
        quality=0.9,
    )
    return SessionReport(
        source=VideoInfo("clip.mp4", 640, 360, 29.97, 1.0, 30, 0, "h264"),
        view=View.SIDE,
        side=Side.LEFT,
        variation=Variation.FULL,
        reps=(
            RepAssessment(
                rep,
                measured,
                (Fault.HIP_SAG,),
                {Fault.HIP_SAG: Severity.MARKED},
                (),
                70,
                not_assessed=(),
            ),
        ),
        partial_reps=(PartialRep(0.8, 1.0, 120.0, "cut off by the end of the clip"),),
        sets=(RepSet(0, (0,), 0.0, 0.8),),
        faults_assessed=(Fault.HIP_SAG, Fault.TOO_FAST),
        cues=(Cue("hip_sag", "Keep your hips up.", (0,), 0),),
        warnings=("w",),
        advice=("a",),
        pose_backend="test",
        pose_coverage=1.0,
    )


def test_report_json_validates_against_the_schema_with_nan_as_null() -> None:
    data = json.loads(json.dumps(_report().to_dict(), allow_nan=False))
    jsonschema.validate(data, session_report_schema())
    assert data["reps"][0]["metrics"]["neck_drop_norm"] is None
    assert data["faults_summary"] == {"hip_sag": 1, "too_fast": 0}
    assert "elbow_flare" in data["faults_not_assessed"]


def test_schema_rejects_an_unknown_fault_code() -> None:
    data = _report().to_dict()
    data["reps"][0]["faults"] = ["bad_posture"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, session_report_schema())


def test_schema_describes_every_rep_metric() -> None:
    schema = session_report_schema()["properties"]["reps"]["items"]["properties"]["metrics"]
    assert list(schema["properties"]) == list(metric_names())
    assert set(schema["required"]) <= set(metric_names())


def test_report_round_trips_through_dict() -> None:
    data = _report().to_dict()
    assert SessionReport.from_dict(data).to_dict() == data
