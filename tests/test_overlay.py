"""Overlay drawing: the body line's colour per status, nothing drawn for unseen landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from pushup_coach.overlay import (
    BONE_RGB,
    LINE_COLORS_RGB,
    body_line_points,
    draw_overlay,
    text_width_px,
    wrap_text,
)
from pushup_coach.skeleton import N_LANDMARKS, Landmark

GREY = 90
SIZE_HW = (360, 640)


def _image(size_hw: tuple[int, int] = SIZE_HW) -> np.ndarray:
    return np.full((*size_hw, 3), GREY, dtype=np.uint8)


def _left_side_plank() -> np.ndarray:
    """(33, 2) pixels of a left-side plank at y=200; every other landmark unseen (NaN)."""
    points = np.full((N_LANDMARKS, 2), np.nan)
    points[Landmark.LEFT_EAR] = (110, 190)
    points[Landmark.LEFT_SHOULDER] = (150, 200)
    points[Landmark.LEFT_ELBOW] = (150, 240)
    points[Landmark.LEFT_WRIST] = (150, 280)
    points[Landmark.LEFT_HIP] = (350, 200)
    points[Landmark.LEFT_KNEE] = (450, 200)
    points[Landmark.LEFT_ANKLE] = (550, 200)
    return points


def _draw(points: np.ndarray | None, status: str = "good", **kwargs: object) -> np.ndarray:
    options: dict[str, object] = {"rep_count": 3, "cue": None, "side": "left", **kwargs}
    return draw_overlay(_image(), points, line_status=status, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", ["good", "warn", "bad"])
def test_body_line_has_the_status_colour(status: str) -> None:
    out = _draw(_left_side_plank(), status)
    # middle of the shoulder->hip and hip->ankle segments
    assert tuple(out[200, 250]) == LINE_COLORS_RGB[status]
    assert tuple(out[200, 450]) == LINE_COLORS_RGB[status]


def test_unknown_status_draws_no_body_line_only_the_skeleton() -> None:
    out = _draw(_left_side_plank(), "unknown")
    assert tuple(out[200, 250]) == BONE_RGB  # the shoulder->hip bone, not a coloured line
    assert tuple(out[195, 130]) != LINE_COLORS_RGB["unknown"]  # no ear->shoulder line


def test_status_colours_are_distinct() -> None:
    assert len(set(LINE_COLORS_RGB.values())) == 4


def test_input_image_is_not_mutated() -> None:
    image = _image()
    before = image.copy()
    out = draw_overlay(
        image, _left_side_plank(), line_status="bad", rep_count=2, cue="Hips up", side="left"
    )
    np.testing.assert_array_equal(image, before)
    assert out is not image


def test_without_landmarks_only_counter_and_cue_areas_change() -> None:
    out = _draw(None, "unknown", cue="Lower yourself slowly")
    changed = np.any(out != GREY, axis=2)
    assert changed[20, 20]  # counter box, top left
    assert changed[340, 320]  # cue box, bottom centre
    assert not changed[130:290, :].any()  # everything between them untouched
    assert not changed[:, 250:].any(axis=1)[130:290].any()


def test_all_nan_landmarks_draw_the_same_as_none() -> None:
    nan_points = np.full((N_LANDMARKS, 2), np.nan)
    np.testing.assert_array_equal(_draw(nan_points, "unknown"), _draw(None, "unknown"))


def test_missing_hip_breaks_the_line_and_nothing_goes_to_the_origin() -> None:
    points = _left_side_plank()
    points[Landmark.LEFT_HIP] = np.nan
    out = _draw(points, "bad")
    assert tuple(out[200, 250]) == (GREY, GREY, GREY)  # no shoulder->ankle shortcut
    assert tuple(out[195, 130]) == LINE_COLORS_RGB["bad"]  # ear->shoulder still drawn
    assert tuple(out[0, 0]) == (GREY, GREY, GREY)


def test_far_off_frame_landmarks_are_ignored() -> None:
    points = _left_side_plank()
    points[Landmark.LEFT_ANKLE] = (1e12, 1e12)
    points[Landmark.LEFT_KNEE] = np.nan
    out = _draw(points, "good")
    assert tuple(out[200, 450]) == (GREY, GREY, GREY)


def _changed_box_hw(out: np.ndarray) -> tuple[int, int]:
    height, width = out.shape[:2]
    quadrant = np.any(out[: height // 2, : width // 2] != GREY, axis=2)
    rows, cols = np.nonzero(quadrant)
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def test_counter_scales_with_frame_size() -> None:
    small = draw_overlay(
        _image((360, 640)), None, line_status="good", rep_count=12, cue=None, side="left"
    )
    large = draw_overlay(
        _image((1080, 1920)), None, line_status="good", rep_count=12, cue=None, side="left"
    )
    small_h, small_w = _changed_box_hw(small)
    large_h, large_w = _changed_box_hw(large)
    assert large_h / small_h == pytest.approx(3.0, rel=0.05)
    assert large_w / small_w == pytest.approx(3.0, rel=0.05)


@pytest.mark.parametrize("position", ["bottom", "top"])
def test_cue_position(position: str) -> None:
    out = _draw(None, "unknown", cue="Good rep", cue_position=position)
    changed_rows = np.nonzero(np.any(out[:, 300:340] != GREY, axis=(1, 2)))[0]
    if position == "bottom":
        assert changed_rows.min() > 300
    else:
        assert changed_rows.max() < 180


@pytest.mark.parametrize(
    ("text", "width_px", "expected"),
    [
        ("Good rep", 600, ["Good rep"]),
        ("one two three four", 10_000, ["one two three four"]),
        ("", 600, []),
    ],
)
def test_wrap_text_exact(text: str, width_px: int, expected: list[str]) -> None:
    assert wrap_text(text, width_px, 20) == expected


def test_wrap_text_keeps_lines_within_width_and_cuts_with_ellipsis() -> None:
    cue = "Keep your hips in line with your shoulders and heels: squeeze your glutes and brace"
    lines = wrap_text(cue, 250, 20)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(text_width_px(line, 20) <= 250 for line in lines[:-1])
    assert " ".join(lines).startswith("Keep your hips in line")


@pytest.mark.parametrize(
    ("side", "drop", "expected"),
    [
        ("left", None, [(110, 190), (150, 200), (350, 200), (550, 200)]),
        ("left", Landmark.LEFT_ANKLE, [(110, 190), (150, 200), (350, 200), (450, 200)]),
        ("left", Landmark.LEFT_EAR, [None, (150, 200), (350, 200), (550, 200)]),
        ("right", None, [None, None, None, None]),
        ("both", None, [(110, 190), (150, 200), (350, 200), (550, 200)]),
    ],
)
def test_body_line_points(side: str, drop: Landmark | None, expected: list[object]) -> None:
    points = _left_side_plank()
    if drop is not None:
        points[drop] = np.nan
    assert body_line_points(points, side) == expected


def test_body_line_points_both_sides_average() -> None:
    points = _left_side_plank()
    points[Landmark.RIGHT_HIP] = (370, 220)
    assert body_line_points(points, "both")[2] == (360.0, 210.0)
