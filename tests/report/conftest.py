"""Fixtures: a realistic eight-rep report and a zero-rep one."""

from __future__ import annotations

import pytest
from report_builders import FPS, build_report, realistic_specs

from pushup_coach.types import (
    Fault,
    PartialRep,
    SessionReport,
    Side,
    Variation,
    VideoInfo,
    View,
)


@pytest.fixture
def realistic_report() -> SessionReport:
    return build_report(
        realistic_specs(),
        warnings=("Lighting was low in the first 2 s; tracking may be less reliable there.",),
    )


@pytest.fixture
def empty_report() -> SessionReport:
    return SessionReport(
        source=VideoInfo("/videos/empty.mp4", 640, 360, FPS, 4.0, 120),
        view=View.UNKNOWN,
        side=Side.LEFT,
        variation=Variation.UNKNOWN,
        reps=(),
        partial_reps=(PartialRep(0.5, 2.0, 130.0, "did not go down far enough to count"),),
        sets=(),
        faults_assessed=(Fault.TOO_FAST,),
        cues=(),
        warnings=("No person was found in 80% of the frames: keep your whole body in view.",),
        advice=(),
        pose_coverage=0.2,
    )
