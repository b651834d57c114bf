"""Landmark files: exact .npz/.csv round trips, CSV variants, every LandmarkFileError message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pushup_coach.errors import LandmarkFileError, OutputError
from pushup_coach.pose.csv_format import landmark_columns
from pushup_coach.pose.files import (
    LandmarkFileWarning,
    load_landmarks,
    read_landmarks,
    save_landmarks,
)
from pushup_coach.skeleton import LANDMARK_NAMES, Landmark
from pushup_coach.types import PoseSeries, VideoInfo

PLANK_CSV = Path(__file__).parents[3] / "shared" / "data" / "plank-sag-pike" / "labelled.csv"


def _series(n: int = 5, gaps: tuple[int, ...] = (2,)) -> PoseSeries:
    """Random normalised landmarks at 30 fps with all-NaN rows at ``gaps``."""
    rng = np.random.default_rng(7)
    landmarks = rng.uniform(0.0, 1.0, (n, 33, 4))
    landmarks[list(gaps)] = np.nan
    return PoseSeries(
        t_s=np.arange(n) / 30.0 + 0.0123,
        landmarks=landmarks,
        size_wh=(1920, 1080),
        source="clip.mp4",
    )


INFO = VideoInfo(
    path="clip.mp4",
    width=1920,
    height=1080,
    fps=29.97,
    duration_s=5.005,
    n_frames=150,
    codec="h264",
)


@pytest.mark.parametrize("suffix", [".npz", ".csv"])
@pytest.mark.parametrize("info", [INFO, None])
def test_round_trip_is_exact(tmp_path: Path, suffix: str, info: VideoInfo | None) -> None:
    series = _series()
    path = tmp_path / f"lm{suffix}"
    save_landmarks(series, path, info)
    loaded = read_landmarks(path)
    assert np.array_equal(loaded.series.landmarks, series.landmarks, equal_nan=True)
    assert np.array_equal(loaded.series.t_s, series.t_s)
    assert loaded.series.size_wh == (1920, 1080)
    assert loaded.series.present.tolist() == [True, True, False, True, True]
    assert loaded.warnings == ()
    expected_info = info or VideoInfo(
        path=str(path),
        width=1920,
        height=1080,
        fps=loaded.series.fps,
        duration_s=loaded.series.duration_s,
        n_frames=5,
    )
    assert loaded.info == expected_info
    assert not list(tmp_path.glob(".*partial"))


def test_csv_header_and_nan_cells(tmp_path: Path) -> None:
    path = tmp_path / "lm.csv"
    save_landmarks(_series(n=3, gaps=(1,)), path)
    lines = path.read_text().splitlines()
    assert lines[:3] == ["# format_version=1", "# coords=normalized", "# size=1920x1080"]
    header = lines[5].split(",")
    assert header[:5] == ["t_s", "nose_x", "nose_y", "nose_z", "nose_v"]
    assert len(header) == 1 + 33 * 4
    assert lines[7] == repr(1 / 30.0 + 0.0123) + "," * 132


def _write_csv(path: Path, header: list[str], rows: list[list[object]], *comments: str) -> Path:
    lines = [*comments, ",".join(header)]
    lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def _pixel_row(t: float, x_px: float, y_px: float) -> list[object]:
    return [t, *[x_px, y_px, 0.0, 0.9] * 33]


@pytest.mark.parametrize(
    ("comments", "kwargs"),
    [
        (("# coords=pixel", "# size=200x100"), {}),
        (("# size=200x100",), {}),  # auto-detected: values above 2
        ((), {"coords": "pixel", "size_wh": (200, 100)}),
    ],
)
def test_pixel_csv_is_normalised(tmp_path: Path, comments: tuple[str, ...], kwargs: dict) -> None:
    path = _write_csv(
        tmp_path / "px.csv",
        ["t_s", *landmark_columns()],
        [_pixel_row(0.0, 50.0, 25.0), _pixel_row(0.1, 150.0, 75.0)],
        *comments,
    )
    loaded = read_landmarks(path, **kwargs)
    assert loaded.series.size_wh == (200, 100)
    shoulder = loaded.series.landmarks[:, Landmark.LEFT_SHOULDER]
    assert shoulder.tolist() == [[0.25, 0.25, 0.0, 0.9], [0.75, 0.75, 0.0, 0.9]]


def test_frame_column_uses_the_declared_fps(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "frames.csv",
        ["frame", *landmark_columns()],
        [[0, *[0.5] * 132], [2, *[0.5] * 132], [3, *[0.5] * 132]],
        "# fps=25",
        "# size=640x360",
    )
    loaded = read_landmarks(path)
    assert loaded.series.t_s.tolist() == [0.0, 0.08, 0.12]
    assert loaded.info.fps == 25.0
    assert read_landmarks(path, fps=50).series.t_s.tolist() == [0.0, 0.04, 0.06]


def test_plank_style_csv_loads_with_warnings(tmp_path: Path) -> None:
    """A leading label column, 17 landmarks, no time column (like plank-sag-pike/labelled.csv)."""
    names = [LANDMARK_NAMES[i] for i in (0, *range(11, 17), *range(23, 33))]
    header = ["label"] + [f"{n}_{a}" for n in names for a in "xyzv"]
    path = _write_csv(tmp_path / "plank.csv", header, [["C", *[0.5] * 68], ["H", *[0.4] * 68]])
    with pytest.warns(LandmarkFileWarning) as caught:
        series, info = load_landmarks(path)
    assert [str(w.message) for w in caught] == [
        "ignored columns that are not landmarks or time: label",
        "16 landmarks are not in the file and count as not seen: left_eye_inner, left_eye, "
        "left_eye_outer, right_eye_inner, right_eye, right_eye_outer, left_ear, right_ear, "
        "mouth_left, mouth_right, left_pinky, right_pinky, left_index, right_index, left_thumb, "
        "right_thumb",
        "no t_s or frame column: rows are taken as consecutive frames at 30 fps",
        "no frame size given: assuming a square frame; pass the video's size (or add "
        "'# size=WxH') if angles look wrong",
    ]
    assert series.t_s.tolist() == [0.0, 1 / 30]
    assert np.isnan(series.landmarks[:, Landmark.LEFT_EAR]).all()
    assert series.landmarks[1, Landmark.LEFT_HIP].tolist() == [0.4] * 4
    assert (info.width, info.height, info.fps, info.n_frames) == (1000, 1000, 30.0, 2)


@pytest.mark.realdata
def test_the_shared_plank_csv_loads() -> None:
    if not PLANK_CSV.is_file():
        pytest.skip(f"shared data not found at {PLANK_CSV}")
    loaded = read_landmarks(PLANK_CSV)
    assert len(loaded.series) == 710
    assert loaded.series.present.all()


def _full_header() -> list[str]:
    return ["t_s", *landmark_columns()]


def _row(t: object, value: object = 0.5) -> list[object]:
    return [t, *[value] * 132]


def _drop(header: list[str], *names: str) -> list[str]:
    return [h for h in header if h not in names]


CSV_ERRORS = [
    (
        "missing",
        _drop(_full_header(), "left_hip_x", "left_hip_y", "left_hip_z", "left_hip_v", "nose_v"),
        [_row(0.0)[:-5]],
        (),
        "{path}: missing columns: nose_v, left_hip_x, left_hip_y, left_hip_z, left_hip_v "
        "(each landmark needs _x, _y, _z and _v columns; shoulders, elbows, wrists and hips "
        "are required)",
    ),
    (
        "text",
        _full_header(),
        [_row(0.0), [0.1, "oops", *[0.5] * 131]],
        (),
        "{path}, line 3: column nose_x has the non-numeric value 'oops'; use numbers, and "
        "leave a cell empty for 'not seen'",
    ),
    (
        "time",
        _full_header(),
        [_row(0.0), _row(0.2), _row(0.2)],
        (),
        "{path}, line 4: t_s 0.2 does not come after 0.2 on line 3; t_s must strictly increase",
    ),
    (
        "pixel",
        _full_header(),
        [_row(0.0, 640.0)],
        (),
        "{path}: coordinates are pixels (values up to 640) but no frame size is given: add a "
        "'# size=1920x1080' line or pass size_wh",
    ),
    (
        "fps",
        ["frame", *landmark_columns()],
        [_row(0)],
        (),
        "{path}: the frame column needs a frame rate: add a '# fps=30' line to the file or "
        "pass fps",
    ),
    ("cells", _full_header(), [[0.0, 0.5]], (), "{path}, line 2: 2 cells but the header has 133"),
    (
        "size",
        _full_header(),
        [_row(0.0)],
        ("# size=big",),
        "{path}: '# size=big' must look like '# size=1920x1080'",
    ),
    (
        "empty",
        _full_header(),
        [],
        (),
        "{path} needs a header line and at least one data row; see docs/landmark-files.md",
    ),
]


@pytest.mark.parametrize(("name", "header", "rows", "comments", "message"), CSV_ERRORS)
def test_csv_errors_say_what_is_wrong(
    tmp_path: Path, name: str, header: list[str], rows: list, comments: tuple, message: str
) -> None:
    path = _write_csv(tmp_path / f"{name}.csv", header, rows, *comments)
    with pytest.raises(LandmarkFileError) as excinfo:
        read_landmarks(path)
    assert str(excinfo.value) == message.format(path=path)


def _npz(path: Path, **overrides: object) -> Path:
    save_landmarks(_series(), path)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays.update(overrides)
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"landmarks": np.zeros((5, 17, 4))},
            "{path}: landmarks must have shape (T, 33, 4) with t_s of shape (T,), got landmarks "
            "(5, 17, 4) and t_s (5,)",
        ),
        (
            {"t_s": np.array([0.0, 0.1, 0.1, 0.2, 0.3])},
            "{path}: time must strictly increase, but row 2 (t_s=0.1) does not come after row 1 "
            "(t_s=0.1); sort the rows and drop duplicates",
        ),
        ({"t_s": np.array(["a"] * 5)}, "{path}: array t_s must hold real numbers, got dtype <U1"),
        (
            {"format_version": np.array(9)},
            "{path} has landmark format version 9; this pushup-coach reads up to 1: "
            "upgrade pushup-coach",
        ),
    ],
)
def test_npz_errors_say_what_is_wrong(tmp_path: Path, overrides: dict, message: str) -> None:
    path = _npz(tmp_path / "bad.npz", **overrides)
    with pytest.raises(LandmarkFileError) as excinfo:
        read_landmarks(path)
    assert str(excinfo.value) == message.format(path=path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lm.txt", "x", "{path}: landmark files must end in .npz or .csv, got '.txt'"),
        ("none.csv", None, "no such file: {path}"),
    ],
)
def test_wrong_path_errors(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(LandmarkFileError) as excinfo:
        read_landmarks(path)
    assert str(excinfo.value) == message.format(path=path)


def test_npz_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.npz"
    path.write_text("not a zip")
    with pytest.raises(LandmarkFileError, match=r"fake\.npz is not a \.npz archive"):
        read_landmarks(path)


def test_saving_into_a_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "lm.npz"
    with pytest.raises(OutputError) as excinfo:
        save_landmarks(_series(), path)
    assert str(excinfo.value) == (
        f"cannot write {path}: No such file or directory; check that the folder exists and is "
        "writable"
    )
