"""The annotated video: per-frame status, counter and cue choices, and the MP4 end to end."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
from report_builders import FPS, RepSpec, build_features, build_pose_series, build_report

from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.errors import VideoError
from pushup_coach.feedback import GOOD_REP, SHORT_CUE
from pushup_coach.report.video import (
    choose_cue_position,
    cue_at,
    landmarks_at,
    line_status,
    nearest_index,
    write_overlay_video,
)
from pushup_coach.skeleton import Landmark
from pushup_coach.types import Fault, Frame, PoseSeries, SessionReport, Severity

SAG, PIKE = DEFAULT_CONFIG.hip_sag_dev, DEFAULT_CONFIG.hip_pike_dev


@pytest.mark.parametrize(
    ("hip_dev_norm", "expected"),
    [
        (0.0, "good"),
        (0.74 * SAG, "good"),
        (0.75 * SAG, "warn"),
        (0.99 * SAG, "warn"),
        (SAG, "bad"),
        (-0.74 * PIKE, "good"),
        (-0.8 * PIKE, "warn"),
        (-1.2 * PIKE, "bad"),
        (math.nan, "unknown"),
    ],
)
def test_line_status(hip_dev_norm: float, expected: str) -> None:
    assert line_status(hip_dev_norm, DEFAULT_CONFIG) == expected


@pytest.mark.parametrize(
    ("t", "expected"),
    [(0.0, 0), (0.049, 0), (0.051, 1), (0.2, 2), (0.25, 2), (0.26, None), (-0.06, None)],
)
def test_nearest_index_within_half_a_step(t: float, expected: int | None) -> None:
    assert nearest_index(np.array([0.0, 0.1, 0.2]), t) == expected


def test_nearest_index_of_empty_series() -> None:
    assert nearest_index(np.array([]), 1.0) is None


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (2.9, None),  # before the first rep ends
        (3.0, GOOD_REP),  # rep 1 (clean) just ended
        (4.4, GOOD_REP),
        (4.6, None),  # praise is brief
        (7.0, SHORT_CUE[Fault.HIP_SAG]),  # rep 3: sagging hips
        (8.9, SHORT_CUE[Fault.HIP_SAG]),  # held until the next rep ends
        (9.0, SHORT_CUE[Fault.HIP_SAG]),  # rep 4: sag cue ranks before too_fast
        (11.0, GOOD_REP),  # rep 5 only uncertain: no fault cue
        (23.0, SHORT_CUE[Fault.SHALLOW]),  # rep 7
    ],
)
def test_cue_at(realistic_report: SessionReport, t: float, expected: str | None) -> None:
    assert cue_at(realistic_report, t) == expected


def test_landmarks_at_hides_unseen_joints_and_missing_times(
    realistic_report: SessionReport,
) -> None:
    features = build_features(realistic_report)
    series = build_pose_series(features, (640, 360))
    series.landmarks[0, Landmark.LEFT_KNEE, 3] = 0.2
    points = landmarks_at(series, 0.0, 1280, 720, DEFAULT_CONFIG)
    assert points is not None
    assert points.shape == (33, 2)
    np.testing.assert_allclose(points[Landmark.LEFT_SHOULDER], (256.0, 396.0))
    assert np.isnan(points[Landmark.LEFT_KNEE]).all()
    assert np.isnan(points[Landmark.NOSE]).all()
    assert landmarks_at(series, 100.0, 1280, 720, DEFAULT_CONFIG) is None


@pytest.mark.parametrize(
    ("t", "expected_x"),
    [
        (0.0, 100.0),  # on a sample
        (1 / 30, 150.0),  # a frame the model skipped: halfway between its neighbours
        (0.05, 175.0),
        (0.2, 400.0),  # the last sample before a gap
        (0.22, 400.0),  # in the gap, within half a step of a sample: that sample
        (0.4, None),  # in the gap, far from any sample
    ],
)
def test_skipped_frames_are_drawn_between_their_neighbours(
    t: float, expected_x: float | None
) -> None:
    """Posed at 15 Hz (every second frame of 30 fps), the skeleton still moves every frame."""
    t_s = np.array([0.0, 1 / 15, 2 / 15, 0.2, 0.6])
    landmarks = np.full((5, 33, 4), 0.5)
    landmarks[:, 0, 0] = [0.1, 0.2, 0.3, 0.4, 0.5]  # the nose moves right, 1000 px frame
    series = PoseSeries(t_s=t_s, landmarks=landmarks, size_wh=(1000, 1000))
    points = landmarks_at(series, t, 1000, 1000, DEFAULT_CONFIG)
    if expected_x is None:
        assert points is None
    else:
        assert points is not None and points[0, 0] == pytest.approx(expected_x)


def test_cue_goes_on_top_only_when_the_body_is_low(realistic_report: SessionReport) -> None:
    series = build_pose_series(build_features(realistic_report), (640, 360))
    assert choose_cue_position(series, DEFAULT_CONFIG) == "top"  # wrists at 75% of the height
    series.landmarks[:, :, 1] -= 0.3
    assert choose_cue_position(series, DEFAULT_CONFIG) == "bottom"


def _short_session() -> SessionReport:
    return build_report(
        [
            RepSpec(0.5),
            RepSpec(2.5, hip_sag_norm=2 * SAG, faults={Fault.HIP_SAG: Severity.MILD}),
        ],
        duration_s=5.0,
    )


def _frames(times_s: np.ndarray, size_wh: tuple[int, int]) -> list[Frame]:
    w, h = size_wh
    return [Frame(i, float(t), np.full((h, w, 3), 90, np.uint8)) for i, t in enumerate(times_s)]


def test_write_overlay_video_end_to_end(tmp_path: Path) -> None:
    report = _short_session()
    features = build_features(report)
    series = build_pose_series(features, (640, 360))
    path, counts = tmp_path / "overlay.mp4", []
    frames = _frames(features.t_s, (640, 360))
    write_overlay_video(frames, series, features, report, path, on_frame=counts.append)
    assert counts == list(range(1, len(frames) + 1))
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        decoded = {
            round(f.time * FPS): f.to_ndarray(format="rgb24") for f in container.decode(stream)
        }
        assert stream.codec_context.name == "h264"
        assert stream.duration is not None
        duration_s = float(stream.duration * stream.time_base)
    assert sorted(decoded) == list(range(len(frames)))
    assert duration_s == pytest.approx(len(frames) / FPS, abs=1 / FPS)
    # shoulder->hip midpoint: green while straight, red at the bottom of the sagging rep
    r, g, _ = decoded[round(0.2 * FPS)][200, 224].astype(int)
    assert g > 150 and r < 100
    bottom_i = report.reps[1].rep.bottom_i
    hip_y = 198 + 0.5 * 2 * SAG * 0.6 * 640
    r, g, _ = decoded[bottom_i][round(hip_y), 224].astype(int)
    assert r > 180 and g < 110


def test_body_line_is_not_coloured_where_the_view_cannot_judge_it(tmp_path: Path) -> None:
    report = replace(_short_session(), faults_assessed=(Fault.TOO_FAST,))
    features = build_features(report)
    series = build_pose_series(features, (640, 360))
    bottom_i = report.reps[1].rep.bottom_i
    frames = _frames(features.t_s[bottom_i : bottom_i + 2], (640, 360))
    path = tmp_path / "front.mp4"
    write_overlay_video(frames, series, features, report, path)
    with av.open(str(path)) as container:
        image = next(container.decode(video=0)).to_ndarray(format="rgb24")
    hip_y = 198 + 0.5 * 2 * SAG * 0.6 * 640
    r, g, b = image[round(hip_y), 224].astype(int)
    assert max(r, g, b) - min(r, g, b) < 30  # grey or white, not red


def test_write_overlay_video_with_no_frames_is_an_error(tmp_path: Path) -> None:
    report = _short_session()
    features = build_features(report)
    series = build_pose_series(features, (640, 360))
    with pytest.raises(VideoError, match="no frames to write"):
        write_overlay_video([], series, features, report, tmp_path / "x.mp4")
    assert list(tmp_path.iterdir()) == []


CLIP = (
    Path(__file__).parents[3] / "shared" / "data" / "pushup-clips" / "kaggle" / "correct-c101.mp4"
)


@pytest.mark.model
@pytest.mark.realdata
def test_overlay_of_a_real_clip_keeps_every_frame_time(tmp_path: Path) -> None:
    if not CLIP.is_file():
        pytest.skip(f"real clip not found at {CLIP} (needs ../shared/data)")
    from pushup_coach.analysis import analyze_file
    from pushup_coach.video.source import iter_frames

    analysis = analyze_file(CLIP, workers=1)
    source_times = [f.t_s for f in iter_frames(CLIP)]
    path = tmp_path / "overlay.mp4"
    write_overlay_video(
        iter_frames(CLIP), analysis.smoothed, analysis.features, analysis.report, path
    )
    with av.open(str(CLIP)) as original, av.open(str(path)) as written:
        src, out = original.streams.video[0], written.streams.video[0]
        assert (out.codec_context.width, out.codec_context.height) == (640, 360)
        assert out.duration is not None and src.duration is not None
        out_duration_s = float(out.duration * out.time_base)
        src_duration_s = float(src.duration * src.time_base)
        out_times = [float(f.time) for f in written.decode(out)]
    np.testing.assert_allclose(out_times, source_times, atol=1e-4)
    assert out_duration_s == pytest.approx(src_duration_s, abs=1 / float(src.average_rate or 25))
