"""Bad values and bad output paths on ``analyze`` (issue 14, items 9 and 12): one line, the right
exit code, and nothing slow started (or lost) first."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import pushup_coach.cli.analysis as cli_analysis
from builders import rep_keyframes, side_series
from pushup_coach.cli import main
from pushup_coach.config import DEFAULT_CONFIG, settings_valid
from pushup_coach.errors import ConfigError, OutputError
from pushup_coach.pose import save_landmarks


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(args)
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err


@pytest.fixture
def landmarks(tmp_path: Path) -> Path:
    path = tmp_path / "clip.npz"
    save_landmarks(side_series(rep_keyframes(2, bottom_deg=60.0)), path)
    return path


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("pose_rate_hz=nan", "setting pose_rate_hz must be from 0 to 240, got nan"),
        ("smoothing_cutoff_hz=nan", "setting smoothing_cutoff_hz must be from 0 to 60, got nan"),
        ("hip_sag_dev=inf", "setting hip_sag_dev must be from 0 to 1, got inf"),
        ("hip_sag_dev=1e308", "setting hip_sag_dev must be from 0 to 1, got 1e+308"),
        ("min_visibility=-0.5", "setting min_visibility must be from 0 to 1, got -0.5"),
        ("marked_factor=0.5", "setting marked_factor must be from 1 to 10, got 0.5"),
    ],
)
def test_set_values_are_range_checked(
    landmarks: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    code, out, err = run(["analyze", str(landmarks), "--set", setting], capsys)
    assert (code, out, err) == (1, "", f"error: {message}; see docs/configuration.md\n")


def test_every_default_is_inside_its_own_range() -> None:
    for name, (low, high) in settings_valid().items():
        assert low <= getattr(DEFAULT_CONFIG, name) <= high, name
    with pytest.raises(ConfigError, match="setting max_gap_s must be from 0 to 10, got 11"):
        DEFAULT_CONFIG.replace(max_gap_s=11)


def test_workers_has_an_upper_bound(landmarks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    most = (os.cpu_count() or 1) * 4
    code, out, err = run(["analyze", str(landmarks), "--workers", str(most + 1)], capsys)
    assert (code, out) == (2, "")
    assert f"Invalid value for '--workers': {most + 1} is more than {most} (4 per core" in err


def test_a_directory_as_input_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", str(tmp_path), "--json", "-"], capsys)
    assert (code, out, err) == (
        1,
        "",
        f"error: {tmp_path} is a directory; give a video file (or a landmark file) inside it\n",
    )


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("99999999999999999999x1", "--size 99999999999999999999x1: each side must be 1 to 16384"),
        ("0x480", "--size 0x480: each side must be 1 to 16384"),
    ],
)
def test_size_is_range_checked(
    landmarks: Path, capsys: pytest.CaptureFixture[str], size: str, message: str
) -> None:
    code, out, err = run(["analyze", str(landmarks), "--size", size], capsys)
    assert (code, out) == (1, "")
    assert err == f"error: {message} pixels, for example 1920x1080\n"


@pytest.mark.parametrize(
    ("option", "target", "problem"),
    [
        (
            "--json",
            "missing/out.json",
            "the folder {tmp}/missing does not exist; create it or choose another path",
        ),
        (
            "--report",
            "missing/out.html",
            "the folder {tmp}/missing does not exist; create it or choose another path",
        ),
        (
            "--landmarks-out",
            "missing/lm.npz",
            "the folder {tmp}/missing does not exist; create it or choose another path",
        ),
        ("--json", ".", "it is a directory; give a file name"),
    ],
)
def test_unwritable_outputs_fail_before_the_analysis(
    tmp_path: Path,
    landmarks: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    target: str,
    problem: str,
) -> None:
    report = tmp_path / "report.html"
    out_path = tmp_path / target
    code, out, err = run(
        ["analyze", str(landmarks), "--report", str(report), option, str(out_path)], capsys
    )
    shown = out_path if target != "." else tmp_path
    assert (code, out) == (1, "")
    assert err == f"error: cannot write {option} {shown}: {problem.format(tmp=tmp_path)}\n"
    assert not report.exists()  # refused before the analysis and the other outputs


def test_bad_landmarks_out_suffix_and_overlay_of_landmarks_fail_first(
    tmp_path: Path, landmarks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_out = tmp_path / "out.json"
    code, _, err = run(
        ["analyze", str(landmarks), "--json", str(json_out), "--landmarks-out", "x.txt"], capsys
    )
    assert (code, err) == (1, "error: --landmarks-out must end in .npz or .csv, got '.txt'\n")
    code, _, err = run(
        ["analyze", str(landmarks), "--json", str(json_out), "--overlay", "x.mp4"], capsys
    )
    assert (code, err) == (
        1,
        "error: --overlay needs the original video as INPUT, not a landmark file\n",
    )
    assert not json_out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_read_only_folder_is_refused_first(
    tmp_path: Path, landmarks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    code, _, err = run(["analyze", str(landmarks), "--json", str(folder / "o.json")], capsys)
    assert (code, err) == (
        1,
        f"error: cannot write --json {folder / 'o.json'}: permission denied; choose a path you "
        "can write to\n",
    )


def test_a_failing_overlay_still_leaves_the_json(
    tmp_path: Path,
    landmarks: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"stands in for the video the landmarks came from")
    analysis = cli_analysis.analyze_file(landmarks)
    monkeypatch.setattr(cli_analysis, "_run", lambda *args, **kwargs: analysis)

    def broken_overlay(*args: object) -> None:
        raise OutputError("cannot write over.mp4: No space left on device")

    monkeypatch.setattr(cli_analysis, "_write_overlay", broken_overlay)
    json_out = tmp_path / "out.json"
    code, _, err = run(
        ["analyze", str(video), "--json", str(json_out), "--overlay", str(tmp_path / "o.mp4")],
        capsys,
    )
    assert (code, err) == (1, "error: cannot write over.mp4: No space left on device\n")
    assert json.loads(json_out.read_text())["rep_count"] == 2
