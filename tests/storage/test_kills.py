"""Commands killed at random moments lose nothing committed and the next command works
(issue 14 item 8 and "kill tests").

Each command runs once to count its SQL statements, then is killed (``os._exit`` in
``kill_runner.py``) after the first, a middle and the last of them (and ``import`` also half-way
through copying a kept file). After every kill: SQLite's integrity check passes, every row
committed before is still there, and running the command again gives the full result.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_portability import filled_store, row_counts

from builders import rep_keyframes, side_series
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.pose import save_landmarks
from pushup_coach.storage import Store, export_profile, write_export

RUNNER = Path(__file__).with_name("kill_runner.py")
KILLED = 137


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept files of the stores made in this process land in tmp_path/home, as the child's do."""
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "PUSHUP_COACH_HOME": str(tmp_path / "home"),
        "PUSHUP_COACH_DB": _url(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, str(RUNNER), *args], env=environ, capture_output=True, text=True
    )


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.db'}"


def _kill_points(tmp_path: Path, *args: str) -> list[int]:
    """First, middle and last SQL statement of a dry run of the command on a scratch copy."""
    scratch = tmp_path / "count"
    scratch.mkdir()
    if (tmp_path / "coach.db").exists():
        (scratch / "coach.db").write_bytes((tmp_path / "coach.db").read_bytes())
    counted = scratch / "n"
    run = _cli(scratch, *args, COUNT_SQL_TO=str(counted))
    assert run.returncode == 0, run.stderr
    n = int(counted.read_text())
    for leftover in sorted(scratch.rglob("*"), reverse=True):
        leftover.unlink() if leftover.is_file() else leftover.rmdir()
    scratch.rmdir()
    return sorted({1, n // 2, n})


def _intact(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "coach.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _snapshot(tmp_path: Path) -> dict[str, object]:
    with Store.open(_url(tmp_path), tmp_path / "home" / "files") as store:
        return {n: export_profile(store, n) for n in store.profile_names()}


def test_first_use_killed_during_migration(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(dict.fromkeys(QUESTION_KEYS, False)))
    screen = ("screen", "--profile", "ana", "--answers", str(answers), "--consent", "--tz", "UTC")
    for point in _kill_points(tmp_path, *screen):
        assert _cli(tmp_path, *screen, KILL_AFTER_SQL=str(point)).returncode == KILLED
        _intact(tmp_path)
    assert _cli(tmp_path, *screen).returncode == 0
    assert list(_snapshot(tmp_path)) == ["ana"]


def test_analyze_save_killed(tmp_path: Path) -> None:
    clip = tmp_path / "clip.npz"
    save_landmarks(side_series(rep_keyframes(3, bottom_deg=60.0)), clip)
    filled_store(_url(tmp_path)).close()
    before = _snapshot(tmp_path)
    save = ("analyze", str(clip), "--save", "--profile", "ana", "--variation", "knee", "--quiet")
    for point in _kill_points(tmp_path, *save):
        assert _cli(tmp_path, *save, KILL_AFTER_SQL=str(point)).returncode == KILLED
        _intact(tmp_path)
        assert _snapshot(tmp_path) == before  # the kill came before the commit
    assert _cli(tmp_path, *save).returncode == 0
    after = _snapshot(tmp_path)["ana"]
    assert len(after["sessions"]) == len(before["ana"]["sessions"]) + 1  # type: ignore[index]


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, object]:
    """Profile 'ana' (with a kept file) exported to tmp_path/export, then forgotten; 'ben' stays."""
    url = _url(tmp_path)
    with filled_store(url, "ben"), filled_store(url) as store:
        data = export_profile(store, "ana")
        write_export(store, "ana", tmp_path / "export")
        store.forget("ana")
    return data


@pytest.mark.parametrize("kill", ["KILL_AFTER_SQL", "KILL_AFTER_FILES"])
def test_import_killed_then_run_again(
    tmp_path: Path, exported: dict[str, object], kill: str
) -> None:
    command = ("import", str(tmp_path / "export"))
    points = _kill_points(tmp_path, *command) if kill == "KILL_AFTER_SQL" else [1]
    ben = _snapshot(tmp_path)["ben"]
    for point in points:
        assert _cli(tmp_path, *command, **{kill: str(point)}).returncode == KILLED
        _intact(tmp_path)
        assert _snapshot(tmp_path) == {"ben": ben}
    run = _cli(tmp_path, *command)
    assert run.returncode == 0, run.stderr
    assert _snapshot(tmp_path) == {"ana": exported, "ben": ben}
    files = tmp_path / "home" / "files"
    assert sorted(p.name for p in files.iterdir()) == [".lock", "ana", "ben"]
    assert (files / "ana" / "2026-03-02-clip.mp4").read_bytes() == b"kept video"


def test_forget_killed_then_run_again(tmp_path: Path) -> None:
    url = _url(tmp_path)
    filled_store(url, "ben").close()
    filled_store(url).close()  # keeps a file for each
    ben = _snapshot(tmp_path)["ben"]
    forget = ("forget", "--profile", "ana", "--yes")
    for point in _kill_points(tmp_path, *forget):
        assert _cli(tmp_path, *forget, KILL_AFTER_SQL=str(point)).returncode == KILLED
        _intact(tmp_path)
        assert _snapshot(tmp_path)["ben"] == ben
    run = _cli(tmp_path, *forget)
    assert run.returncode == 0, run.stderr
    assert _snapshot(tmp_path) == {"ben": ben}
    assert not (tmp_path / "home" / "files" / "ana").exists()
    assert row_counts(url)["profiles"] == 1
