"""Bad landmark files (issue 14, items 10 and 12): each gives one LandmarkFileError line, never a
traceback, and nothing absurd (infinite coordinates, a 10^20-pixel frame) gets through."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pushup_coach.errors import LandmarkFileError
from pushup_coach.pose.csv_format import landmark_columns
from pushup_coach.pose.files import read_landmarks, save_landmarks
from pushup_coach.types import PoseSeries, VideoInfo

INFO = VideoInfo(path="clip.mp4", width=640, height=480, fps=30.0, duration_s=0.1, n_frames=3)
HEADER = "t_s," + ",".join(landmark_columns())
ROW = ",".join(["0.5"] * 132)


def _series(n: int = 3, source: str = "clip.mp4") -> PoseSeries:
    landmarks = np.full((n, 33, 4), 0.5)
    return PoseSeries(
        t_s=np.arange(n) / 30.0, landmarks=landmarks, size_wh=(640, 480), source=source
    )


def _csv(*directives: str, rows: tuple[str, ...] = (f"0.0,{ROW}", f"0.1,{ROW}")) -> str:
    return "".join(f"# {d}\n" for d in directives) + HEADER + "\n" + "\n".join(rows) + "\n"


def _npz(**overrides: object) -> Callable[[Path], None]:
    arrays: dict[str, object] = {
        "format_version": np.array(1),
        "t_s": np.arange(3) / 30.0,
        "landmarks": np.full((3, 33, 4), 0.5),
        "size_wh": np.array([640, 480]),
        "source": np.array("clip.mp4"),
        "video_info": np.array(""),
    }
    arrays.update(overrides)

    def write(path: Path) -> None:
        np.savez(path, **arrays)  # type: ignore[arg-type]

    return write


def _text(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def _npy_renamed(path: Path) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    path.write_bytes(buffer.getvalue())


INFO_FIX = "remove it or write the file again with pushup-coach"
VIDEO_LINE = "lm.csv, '# video=' line"

# (id, file name, how to make it, the message after '<tmp>/')
BAD_FILES = [
    (
        "video-bad-json",
        "lm.csv",
        _text(_csv("video={not json")),
        f"{VIDEO_LINE}: the video info is not valid JSON (Expecting property name enclosed in "
        f"double quotes: line 1 column 2 (char 1)); {INFO_FIX}",
    ),
    (
        "video-list",
        "lm.csv",
        _text(_csv("video=[1, 2]")),
        f"{VIDEO_LINE}: the video info must be a JSON object, got list; {INFO_FIX}",
    ),
    (
        "video-null",
        "lm.csv",
        _text(_csv("video=null")),
        f"{VIDEO_LINE}: the video info must be a JSON object, got NoneType; {INFO_FIX}",
    ),
    (
        "video-string",
        "lm.csv",
        _text(_csv('video="clip.mp4"')),
        f"{VIDEO_LINE}: the video info must be a JSON object, got str; {INFO_FIX}",
    ),
    (
        "video-unknown-key",
        "lm.csv",
        _text(_csv("video=" + json.dumps({**INFO.__dict__, "owner": "x"}))),
        f"{VIDEO_LINE}: the video info has unknown keys 'owner'; {INFO_FIX}",
    ),
    (
        "video-missing-key",
        "lm.csv",
        _text(_csv('video={"path": "a.mp4"}')),
        f"{VIDEO_LINE}: the video info has missing keys width, height, fps, duration_s; {INFO_FIX}",
    ),
    (
        "video-wrong-type",
        "lm.csv",
        _text(_csv("video=" + json.dumps({**INFO.__dict__, "width": "640"}))),
        f"{VIDEO_LINE}: the video info's width is '640', which is not a valid width; {INFO_FIX}",
    ),
    (
        "csv-field-over-128k",
        "lm.csv",
        _text(_csv(rows=(f'0.0,"{"9" * 140_000}",{ROW[4:]}',))),
        "lm.csv, line 2: not a CSV row (field larger than field limit (131072); the limit is "
        "131072 characters a cell); landmark cells are numbers",
    ),
    (
        "csv-quote-across-lines",
        "lm.csv",
        _text(_csv(rows=(f'0.0,"{ROW[4:]}', f"0.1,{ROW}"))),
        "lm.csv, line 2: 2 cells but the header has 133",
    ),
    (
        "size-absurd",
        "lm.csv",
        _text(_csv("size=99999999999999999999x1")),
        "lm.csv, '# size=' line: frame size 99999999999999999999x1 is out of range; each side "
        "must be 1 to 16384 pixels (for example 1920x1080)",
    ),
    (
        "size-zero",
        "lm.csv",
        _text(_csv("size=0x480")),
        "lm.csv, '# size=' line: frame size 0x480 is out of range; each side must be 1 to 16384 "
        "pixels (for example 1920x1080)",
    ),
    (
        "fps-infinite",
        "lm.csv",
        _text(_csv("fps=1e999")),
        "lm.csv, '# fps=' line: fps inf is out of range; give a frame rate above 0 and at most "
        "10000 (for example 30)",
    ),
    (
        "cell-inf",
        "lm.csv",
        _text(_csv(rows=(f"0.0,inf,{ROW[4:]}",))),
        "lm.csv, line 2: column nose_x is 'inf'; values must be finite numbers (leave a cell "
        "empty for 'not seen')",
    ),
    (
        "cell-1e308",
        "lm.csv",
        _text(_csv("coords=normalized", rows=(f"0.0,0.5,1e308,{ROW[8:]}",))),
        "lm.csv: frame 0, nose_y is 1e+308 after normalising; coordinates must be finite and "
        "within 10 frame sizes of the picture (leave the value empty or NaN for 'not seen')",
    ),
    (
        "time-huge",
        "lm.csv",
        _text(_csv(rows=(f"0.0,{ROW}", f"1e300,{ROW}"))),
        "lm.csv: frame 1 has the time 1e+300 s; times must be finite seconds of at most 1e+12 "
        "in size",
    ),
    (
        "npz-zero-bytes",
        "lm.npz",
        lambda path: path.write_bytes(b""),
        "lm.npz is not a .npz archive (a zip of NumPy arrays; this one is empty); give a file "
        "written by save_landmarks or --landmarks-out",
    ),
    (
        "npz-is-npy",
        "lm.npz",
        _npy_renamed,
        "lm.npz is not a .npz archive (a zip of NumPy arrays; this one is a single .npy array "
        "renamed); give a file written by save_landmarks or --landmarks-out",
    ),
    (
        "npz-text-version",
        "lm.npz",
        _npz(format_version=np.array("one")),
        "lm.npz: array format_version must be one integer, got dtype <U3 and shape (); write the "
        "file with save_landmarks",
    ),
    (
        "npz-one-value-size",
        "lm.npz",
        _npz(size_wh=np.array([640])),
        "lm.npz: array size_wh must hold two integers (width, height), got dtype int64 and shape "
        "(1,); write the file with save_landmarks",
    ),
    (
        "npz-huge-size",
        "lm.npz",
        _npz(size_wh=np.array([2**62, 480])),
        f"lm.npz: frame size {2**62}x480 is out of range; each side must be 1 to 16384 pixels "
        "(for example 1920x1080)",
    ),
    (
        "npz-video-info-not-json",
        "lm.npz",
        _npz(video_info=np.array("{")),
        "lm.npz: the video info is not valid JSON (Expecting property name enclosed in double "
        f"quotes: line 1 column 2 (char 1)); {INFO_FIX}",
    ),
    (
        "npz-video-info-array",
        "lm.npz",
        _npz(video_info=np.array(["a", "b"])),
        "lm.npz: array video_info must be one string, got dtype <U1 and shape (2,); write the "
        "file with save_landmarks",
    ),
    (
        "npz-video-info-rotation",
        "lm.npz",
        _npz(video_info=np.array(json.dumps({**INFO.__dict__, "rotation_deg": 45}))),
        f"lm.npz: the video info's rotation_deg is 45, which is not a valid rotation_deg; "
        f"{INFO_FIX}",
    ),
    (
        "npz-landmark-inf",
        "lm.npz",
        _npz(
            landmarks=np.where(np.arange(3)[:, None, None] == 1, np.inf, np.full((3, 33, 4), 0.5))
        ),
        "lm.npz: frame 1, nose_x is inf after normalising; coordinates must be finite and within "
        "10 frame sizes of the picture (leave the value empty or NaN for 'not seen')",
    ),
    (
        "npz-complex-times",
        "lm.npz",
        _npz(t_s=np.arange(3) / 30.0 + 0j),
        "lm.npz: array t_s must hold real numbers, got dtype complex128",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES]
)
def test_bad_file_gives_one_clear_line(
    tmp_path: Path, name: str, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(LandmarkFileError) as caught:
        read_landmarks(path)
    assert str(caught.value) == f"{tmp_path}/{message}"


def test_nan_rows_stay_missing_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "lm.csv"
    path.write_text(_csv(rows=(f"0.0,{ROW}", "0.1," + ",".join(["nan"] * 132), f"0.2,{ROW}")))
    assert read_landmarks(path).series.present.tolist() == [True, False, True]


@pytest.mark.parametrize(
    "source", ["line one\nline two.mp4", "a\rb.mp4", "para\u2029graph.mp4", 'quote"d\\.mp4']
)
def test_a_source_with_line_breaks_is_written_on_one_line_and_reads_back(
    tmp_path: Path, source: str
) -> None:
    path = tmp_path / "lm.csv"
    save_landmarks(_series(source=source), path, INFO)
    directive = [line for line in path.read_text().splitlines() if line.startswith("# source=")]
    assert directive == [f"# source={source if source.isprintable() else json.dumps(source)}"]
    assert read_landmarks(path).info == INFO


@pytest.mark.parametrize(
    ("size_wh", "message"),
    [((0, 480), "0x480"), ((99999999999999999999, 1), "99999999999999999999x1")],
)
def test_a_given_size_is_range_checked(
    tmp_path: Path, size_wh: tuple[int, int], message: str
) -> None:
    path = tmp_path / "lm.csv"
    save_landmarks(_series(), path)
    with pytest.raises(LandmarkFileError) as caught:
        read_landmarks(path, size_wh=size_wh)
    assert str(caught.value) == (
        f"the given size: frame size {message} is out of range; each side must be 1 to 16384 "
        "pixels (for example 1920x1080)"
    )
