"""``pushup-coach analyze`` on landmark files from the builder, bad inputs, and real clips."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from builders import rep_keyframes, side_series, standing_series
from pushup_coach.cli import main
from pushup_coach.pose import save_landmarks
from pushup_coach.types import PoseSeries

CLIPS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pushup-clips"
SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "pushup_coach"
    / "schemas"
    / "session-report.schema.json"
)
NEVER = (
    "The person was never in push-up position (supported on the hands, body far from upright), "
    "so no reps were counted. If you were doing push-ups, the camera may have looked down from "
    "above or been too close: film from the side at hip height, whole body in the frame."
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the console entry point in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as stop:
        main(args)
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err


def _saved(tmp_path: Path, series: PoseSeries, name: str = "clip.npz") -> Path:
    path = tmp_path / name
    save_landmarks(series, path)
    return path


@pytest.mark.parametrize(
    ("series", "reps", "sets"),
    [
        (side_series(rep_keyframes(3, bottom_deg=60.0)), 3, 1),
        (side_series(rep_keyframes(5, bottom_deg=60.0), facing="left", jitter_px=2.0), 5, 1),
        (side_series(rep_keyframes(2, bottom_deg=60.0), knee=True), 2, 1),
    ],
    ids=["three", "five-left-jitter", "knee-two"],
)
def test_json_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], series: PoseSeries, reps: int, sets: int
) -> None:
    code, out, err = run(["analyze", str(_saved(tmp_path, series)), "--json", "-"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data["source"])[:5] == ["path", "duration_s", "fps", "width", "height"]
    assert (data["source"]["width"], data["source"]["height"]) == (1280, 720)
    assert data["source"]["fps"] == pytest.approx(30.0)
    assert (data["view"], data["rep_count"], len(data["sets"])) == ("side", reps, sets)
    assert data["clean_rep_count"] == reps
    for key in ("side", "variation", "partial_reps", "faults_assessed", "faults_summary"):
        assert key in data
    for rep in data["reps"]:
        assert {"index", "start_s", "bottom_s", "end_s", "metrics", "faults", "score"} <= set(rep)
    assert [c["code"] for c in data["cues"]] == ["good_form"]
    if SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(data, json.loads(SCHEMA.read_text("utf-8")))


def test_json_to_file_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _saved(tmp_path, side_series(rep_keyframes(3, bottom_deg=60.0), hip_dev=0.1))
    target = tmp_path / "report.json"
    code, out, err = run(["analyze", str(source), "--json", str(target)], capsys)
    assert (code, err) == (0, "")
    data = json.loads(target.read_text("utf-8"))
    assert (data["rep_count"], data["faults_summary"]["hip_sag"]) == (3, 3)
    assert str(target) in out


def test_nobody_in_position_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _saved(tmp_path, standing_series())
    code, out, err = run(["analyze", str(source), "--json", "-"], capsys)
    data = json.loads(out)
    assert (code, err, data["rep_count"], data["warnings"]) == (0, "", 0, [NEVER])


def _bad_npz(path: Path) -> None:
    np.savez(
        path,
        format_version=np.array(1),
        t_s=np.arange(3.0),
        landmarks=np.zeros((3, 17, 4)),
        size_wh=np.array([640, 480]),
        source=np.array(""),
        video_info=np.array(""),
    )


def _truncated_clip(path: Path) -> None:
    clip = CLIPS / "kaggle" / "correct-c1.mp4"
    if not clip.is_file():
        pytest.skip(f"{clip} is absent: the shared clips are not on this machine")
    data = clip.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.3)])


BAD_INPUTS = [
    ("missing", "missing.mp4", None, "error: no such file: {path}"),
    (
        "text-as-mp4",
        "text.mp4",
        lambda p: p.write_text("not a video\n"),
        "error: {path} could not be opened as a video",
    ),
    ("empty-mp4", "empty.mp4", lambda p: p.write_bytes(b""), "error: {path} could not be opened"),
    ("truncated-mp4", "cut.mp4", _truncated_clip, "error: {path} could not be opened as a video"),
    (
        "npz-wrong-shape",
        "bad.npz",
        _bad_npz,
        "error: {path}: landmarks must have shape (T, 33, 4) with t_s of shape (T,), got "
        "landmarks (3, 17, 4) and t_s (3,)",
    ),
    (
        "csv-missing-columns",
        "bad.csv",
        lambda p: p.write_text("t_s,nose_x\n0.0,0.5\n"),
        "error: {path}: missing columns: nose_y, nose_z, nose_v, left_shoulder_x,",
    ),
    ("missing-npz", "gone.npz", None, "error: no such file: {path}"),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), [pytest.param(*c[1:], id=c[0]) for c in BAD_INPUTS]
)
def test_bad_input_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    if callable(make):
        make(path)
    code, out, err = run(["analyze", str(path), "--json", "-"], capsys)
    assert (code, out) == (1, "")
    assert err.startswith(message.format(path=path))
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "nonsense=1",
            "error: --set expects name=value with a known setting, got 'nonsense=1'; see "
            "docs/configuration.md\n",
        ),
        ("hip_sag_dev", "error: --set expects name=value with a known setting, got 'hip_sag_dev'"),
        ("hip_sag_dev=lots", "error: --set hip_sag_dev: 'lots' is not a number\n"),
    ],
    ids=["unknown", "no-value", "not-a-number"],
)
def test_bad_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    source = _saved(tmp_path, side_series(rep_keyframes(1)))
    code, out, err = run(["analyze", str(source), "--set", setting], capsys)
    assert (code, out) == (1, "")
    assert err.startswith(message)


def test_setting_changes_the_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _saved(tmp_path, side_series(rep_keyframes(3, bottom_deg=60.0), hip_dev=0.06))
    args = ["analyze", str(source), "--json", "-"]
    strict = json.loads(run(args, capsys)[1])
    loose = json.loads(run([*args, "--set", "hip_sag_dev=0.09"], capsys)[1])
    assert (strict["faults_summary"]["hip_sag"], loose["faults_summary"]["hip_sag"]) == (3, 0)


def test_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("pushup-coach")
    exe = str(script) if script.is_file() else shutil.which("pushup-coach")
    if exe is None:
        pytest.skip("the pushup-coach console script is not installed")
    source = _saved(tmp_path, side_series(rep_keyframes(2, bottom_deg=60.0)))
    done = subprocess.run(
        [exe, "analyze", str(source), "--json", "-"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, json.loads(done.stdout)["rep_count"]) == (0, 2)
    bad = subprocess.run(
        [exe, "analyze", str(tmp_path / "nope.mp4")], capture_output=True, text=True, check=False
    )
    assert (bad.returncode, bad.stderr) == (1, f"error: no such file: {tmp_path / 'nope.mp4'}\n")


REAL_CLIPS = ["calimiro/push-up_2.mp4", "kaggle/correct-c100.mp4", "kaggle/wrong-c150.mp4"]


def _labelled_reps() -> dict[str, int]:
    with (CLIPS / "labels.csv").open(newline="") as fh:
        return {row["clip"]: int(row["reps"]) for row in csv.DictReader(fh)}


@pytest.mark.realdata
@pytest.mark.model
@pytest.mark.parametrize("clip", REAL_CLIPS, ids=REAL_CLIPS)
def test_real_clip_rep_count(tmp_path: Path, capsys: pytest.CaptureFixture[str], clip: str) -> None:
    if not (CLIPS / "labels.csv").is_file():
        pytest.skip(f"{CLIPS} is absent: the shared clips are not on this machine")
    target = tmp_path / "report.json"
    code, _, err = run(["analyze", str(CLIPS / clip), "--json", str(target), "-q"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(target.read_text("utf-8"))
    assert data["rep_count"] == _labelled_reps()[clip]
    if SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(data, json.loads(SCHEMA.read_text("utf-8")))
