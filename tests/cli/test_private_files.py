"""Health data is the person's alone: folders 0700, files 0600, any umask (issue 14 item 3).

A new user goes through the commands that write something (screen, baseline, log, a saved
analysis with its video kept, plan --ical, history --plot, export) with a permissive umask: every
folder and file pushup-coach made under the data folder, the export, the calendar and the plot is
private.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pushup_coach.cli import cli
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.storage import Store, save_analysis

REPORT = {
    "variation": "knee",
    "sets": [{"index": 0, "rep_count": 3, "reps": [0, 1, 2]}],
    "reps": [{"index": i, "verdict": "clean", "faults": [], "score": 90} for i in range(3)],
}


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _modes(root: Path) -> dict[str, str]:
    """Every folder and file under ``root`` (root itself included) -> its mode in octal."""
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def test_everything_written_is_private(
    umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home" / "pushup-coach"
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(home))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(dict.fromkeys(QUESTION_KEYS, False)))
    _run("screen", "--profile", "ana", "--answers", str(answers), "--tz", "UTC", "--consent")
    _run("baseline", "--profile", "ana", "--variation", "knee", "--reps", "12")
    _run("log", "--profile", "ana", "--sets", "12,12,12", "--rpe", "7", "--pain", "0")
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    _run("plan", "--profile", "ana", "--ical", str(out / "week.ics"))
    _run("history", "--profile", "ana", "--plot", str(out / "history.png"))
    _run("export", "--profile", "ana", str(out / "export"))
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"a video")
    os.chmod(video, 0o644)
    save_analysis(None, "ana", REPORT, None, variation="knee", video_path=video)
    outputs = _modes(out)
    assert outputs.pop(".") == "0o755"  # the person's own folder is left as it was
    assert set(outputs.values()) <= {"0o700", "0o600"}, outputs
    assert outputs["week.ics"] == outputs["history.png"] == outputs["export/profile.json"]
    assert outputs["export"] == "0o700"
    data = _modes(home)
    assert data["."] == "0o700"
    assert data["pushup-coach.db"] == "0o600"
    assert data["files/ana"] == "0o700"
    assert any(k.startswith("files/ana/") and k.endswith("-clip.mp4") for k in data)
    assert set(data.values()) <= {"0o700", "0o600"}, data


def test_an_existing_public_data_folder_is_made_private(
    umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o755)
    (home / "pushup-coach.db").touch()
    os.chmod(home / "pushup-coach.db", 0o644)
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(home))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    Store.open().close()
    assert _modes(home) == {".": "0o700", "pushup-coach.db": "0o600"}
