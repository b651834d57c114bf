"""What a person typed or named is printed as written, not read as Rich markup (issue 14 item 4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builders import rep_keyframes, side_series
from pushup_coach.cli import main
from pushup_coach.coach.ladder import Rung
from pushup_coach.pose import save_landmarks
from pushup_coach.storage import NewSession, Store


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.parametrize("source", ["[/]", "[bold]x[/bold]", "[link=file:///etc]y"])
def test_history_prints_a_markup_like_source_as_written(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    with Store.open(url, tmp_path / "files") as store:
        store.create_profile("ana", "UTC", "mon,wed,fri", dt.datetime(2026, 3, 1))
        store.add_session("ana", NewSession(dt.date(2026, 3, 2), source, Rung.KNEE, (9,), (9,)))
    code, out, err = _run(capsys, "history", "--profile", "ana", "--db", url)
    assert (code, err) == (0, "")
    assert source in out


def test_analyze_names_a_bracketed_output_file_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = tmp_path / "clip.npz"
    save_landmarks(side_series(rep_keyframes(3, bottom_deg=60.0)), clip)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(capsys, "analyze", str(clip), "--json", "out [final].json")
    assert code == 0
    assert "wrote out [final].json" in " ".join(out.split())
    assert (tmp_path / "out [final].json").is_file()
