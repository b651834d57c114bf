"""Variation from the pose, checked against the plan; and the issue-12 form measures on built
series: the body line only where its end is seen, depth per variation, the visible descent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from builders import analyze, rep_keyframes, side_series
from front_builder import front_series
from pushup_coach.analysis import analyze_series
from pushup_coach.cli import cli
from pushup_coach.features import choose_side
from pushup_coach.pose import save_landmarks
from pushup_coach.posture import classify_variation, classify_view, resolve_variation
from pushup_coach.skeleton import Landmark
from pushup_coach.types import PoseSeries, SessionReport, Side, Variation, VideoInfo, View

DEEP = rep_keyframes(3, bottom_deg=60.0)
LEGS = (
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
    Landmark.LEFT_HEEL,
    Landmark.RIGHT_HEEL,
    Landmark.LEFT_FOOT_INDEX,
    Landmark.RIGHT_FOOT_INDEX,
)


def _variation(series: PoseSeries) -> Variation:
    view = classify_view(series)
    side = Side.BOTH if view is View.FRONT else choose_side(series)
    return classify_variation(series, side, view)


def _tilted(series: PoseSeries, deg: float) -> PoseSeries:
    """The scene turned by ``deg`` about the mean wrist (head side up for a right-facing body)
    and shrunk to stay in frame: a push-up with the hands raised on a bench or bar, the body
    ``deg`` steeper than the built one (20 deg from the feet to the shoulders, median)."""
    w, h = series.size_wh
    px = series.landmarks[:, :, :2] * np.array([w, h])
    pivot = np.nanmean(px[:, [Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST]], axis=(0, 1))
    a = np.radians(deg)
    rot = 0.7 * np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    lm = series.landmarks.copy()
    lm[:, :, :2] = ((px - pivot) @ rot.T + pivot) / np.array([w, h])
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh)


def _feet_out_of_frame(series: PoseSeries) -> PoseSeries:
    """The feet cropped off the left edge: BlazePose extrapolates them along the thighs, well
    outside the frame and with low visibility (as on the decline clips of the extra set)."""
    w, h = series.size_wh
    lm = series.landmarks.copy()
    px = lm[:, :, :2] * np.array([w, h])
    for hip, knee, ends in (
        (Landmark.LEFT_HIP, Landmark.LEFT_KNEE, (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL)),
        (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL)),
    ):
        thigh = px[:, knee] - px[:, hip]
        for end in ends:
            lm[:, end, :2] = (px[:, knee] + 2.5 * thigh) / np.array([w, h])
            lm[:, end, 3] = 0.3
    lm[:, [Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX]] = lm[
        :, [Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]
    ]
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh)


def _report(series: PoseSeries, planned: Variation | None = None) -> SessionReport:
    info = VideoInfo("built.npz", *series.size_wh, series.fps, series.duration_s, len(series))
    return analyze_series(series, info, expected_variation=planned).report


@pytest.mark.parametrize(
    ("series", "variation"),
    [
        (side_series(DEEP), Variation.FULL),
        (side_series(DEEP, knee=True, facing="left"), Variation.KNEE),
        (front_series(DEEP, knees_down=True), Variation.KNEE),
        (front_series(DEEP), Variation.FULL),
        # From the front the body hides the legs and BlazePose places them straight whatever
        # they do: no evidence either way, so neither "full" nor a guess.
        (front_series(DEEP, leg_visibility=0.05), Variation.UNKNOWN),
        (front_series(DEEP, knees_down=True, leg_visibility=0.05), Variation.UNKNOWN),
        (_tilted(side_series(DEEP), 25.0), Variation.INCLINE),
        # A steep incline on a bar (59 deg on the real clip) is not a wall push-up.
        (_tilted(side_series(DEEP), 38.0), Variation.INCLINE),
        (_tilted(side_series(DEEP), -35.0), Variation.DECLINE),
    ],
    ids=[
        "side-full",
        "side-knee",
        "front-knee-legs-seen",
        "front-full-legs-seen",
        "front-legs-hidden",
        "front-knee-legs-hidden",
        "incline-45deg",
        "incline-58deg-bar",
        "decline-35",
    ],
)
def test_variation_from_the_pose(series: PoseSeries, variation: Variation) -> None:
    assert _variation(series) is variation


@pytest.mark.parametrize(
    ("detected", "planned", "used", "note"),
    [
        (Variation.KNEE, None, Variation.KNEE, None),
        (Variation.KNEE, Variation.KNEE, Variation.KNEE, None),
        (
            Variation.UNKNOWN,
            Variation.KNEE,
            Variation.KNEE,
            "The camera could not tell the push-up variation (the legs were not seen well "
            "enough), so the planned one, knee, was used to judge form.",
        ),
        (
            Variation.FULL,
            Variation.KNEE,
            Variation.FULL,
            "The plan said knee push-ups, but these look like full push-ups: they were judged "
            "as full. If that is wrong, film the whole body from the side.",
        ),
        (Variation.UNKNOWN, None, Variation.UNKNOWN, None),
    ],
    ids=["no-plan", "agrees", "unknown-uses-plan", "mismatch-warns", "unknown-no-plan"],
)
def test_the_plan_checks_and_fills_in_the_variation(
    detected: Variation, planned: Variation | None, used: Variation, note: str | None
) -> None:
    assert resolve_variation(detected, planned) == (used, note)


def test_a_planned_variation_reaches_the_report() -> None:
    hidden = front_series(DEEP, knees_down=True, leg_visibility=0.05)
    assert _report(hidden).variation is Variation.UNKNOWN
    planned = _report(hidden, Variation.KNEE)
    assert planned.variation is Variation.KNEE
    assert any("planned one, knee" in w for w in planned.warnings)
    mismatch = _report(side_series(DEEP), Variation.KNEE)
    assert mismatch.variation is Variation.FULL
    assert any("The plan said knee push-ups" in w for w in mismatch.warnings)


def test_analyze_variation_option(tmp_path: Path) -> None:
    lm = tmp_path / "hidden.npz"
    series = front_series(DEEP, knees_down=True, leg_visibility=0.05)
    info = VideoInfo("hidden.mp4", *series.size_wh, series.fps, series.duration_s, len(series))
    save_landmarks(series, lm, info)
    runner = CliRunner()
    out = tmp_path / "r.json"
    done = runner.invoke(cli, ["analyze", str(lm), "--json", str(out), "-q", "--variation", "knee"])
    assert done.exit_code == 0, done.output
    assert '"variation": "knee"' in out.read_text()
    bad = runner.invoke(cli, ["analyze", str(lm), "-q", "--variation", "kneeling"])
    assert bad.exit_code == 2
    assert "'kneeling' is not one of 'wall', 'incline', 'knee', 'full', 'decline'" in bad.output


def test_a_clear_inverted_v_is_a_pike() -> None:
    report = analyze(side_series(DEEP, hip_dev=-0.19))
    assert report.rep_count == 3
    assert [r.to_dict()["faults"] for r in report.reps] == [["hip_pike"]] * 3


def test_feet_out_of_frame_leave_the_body_line_unjudged_not_sagging() -> None:
    """A pike whose feet BlazePose extrapolated far outside the frame: the line from the
    shoulder to that guess runs above the hips, which used to read as a sag."""
    report = analyze(_feet_out_of_frame(side_series(DEEP, hip_dev=-0.15)))
    assert report.rep_count == 3
    for rep in report.reps:
        assert not {"hip_sag", "hip_pike"} & set(rep.to_dict()["faults"])
        assert {"hip_sag", "hip_pike"} <= set(rep.to_dict()["not_assessed"])
        assert rep.to_dict()["verdict"] == "not_checked"


@pytest.mark.parametrize("deg", [20.0, 38.0], ids=["incline-40deg", "incline-58deg"])
def test_an_incline_with_the_chest_to_the_support_is_not_shallow(deg: float) -> None:
    """The hands on a bench or bar: depth is judged against the rep's own top, so the tilt
    that shrinks every vertical distance does not make a full-range rep shallow."""
    report = analyze(_tilted(side_series(DEEP), deg))
    assert report.variation is Variation.INCLINE
    assert report.rep_count == 3
    assert [r.to_dict()["faults"] for r in report.reps] == [[]] * 3
    depth = [r.metrics.bottom_shoulder_height_norm for r in report.reps]
    level = analyze(side_series(DEEP)).reps[0].metrics.bottom_shoulder_height_norm
    assert depth == pytest.approx([level] * 3, abs=0.05)


def test_a_rep_that_starts_with_bent_arms_is_still_judged_for_depth() -> None:
    """No lockout (top 125 deg) does not excuse depth: the top counts as one arm length."""
    report = analyze(side_series(rep_keyframes(3, top_deg=125.0, bottom_deg=115.0 - 20.0)))
    assert all("shallow" in r.to_dict()["faults"] for r in report.reps)


@pytest.mark.parametrize(
    ("builder", "down_s", "low", "high"),
    [
        (side_series, 1.0, 0.8, 1.05),
        (side_series, 2.0, 1.6, 2.1),
        (front_series, 1.0, 0.85, 1.05),
        (front_series, 2.0, 1.7, 2.1),
    ],
    ids=["side-1s", "side-2s", "front-1s", "front-2s"],
)
def test_lowering_time_is_the_visible_descent(
    builder: object, down_s: float, low: float, high: float
) -> None:
    """A descent keyed over ``down_s`` seconds (eased at both ends) measures about that long,
    not the middle half that level bands used to keep."""
    report = analyze(builder(rep_keyframes(3, bottom_deg=60.0, down_s=down_s)))  # type: ignore[operator]
    lowering = [r.metrics.lowering_s for r in report.reps]
    assert report.rep_count == 3
    assert all(low <= x <= high for x in lowering), lowering
    assert not any("too_fast" in r.to_dict()["faults"] for r in report.reps)
