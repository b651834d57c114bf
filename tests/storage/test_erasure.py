"""Erasure that really erases and survives a crash; kept videos never overwrite each other
(issue 14 items 5, 6)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import NotFoundError
from pushup_coach.storage import NewSession, Store, save_analysis
from pushup_coach.storage import store as store_module

SECRET = "my-private-note-about-my-hernia"
REPORT = {
    "variation": "knee",
    "sets": [{"index": 0, "rep_count": 3, "reps": [0, 1, 2]}],
    "reps": [{"index": i, "verdict": "clean", "faults": [], "score": 90} for i in range(3)],
}


def _profile(store: Store, name: str, note: str = "") -> None:
    store.create_profile(name, "UTC", "mon,wed,fri", dt.datetime(2026, 3, 1))
    store.add_screening(name, {}, "clear", dt.datetime(2026, 3, 1))
    for day in range(1, 21):
        store.add_session(
            name,
            NewSession(dt.date(2026, 3, day), "manual", Rung.KNEE, (10, 9), (9, 9), note=note),
        )


def test_forget_crashing_while_removing_files_is_finished_by_a_second_forget(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_url) as store:
        _profile(store, "ana")
        folder = store.profile_dir("ana")
        folder.mkdir(parents=True)
        (folder / "2026-03-02-clip.mp4").write_bytes(b"video")
        real_rmtree = shutil.rmtree

        def crash(*args: Any, **kwargs: Any) -> None:
            monkeypatch.setattr(shutil, "rmtree", real_rmtree)
            raise OSError("the power went out")

        monkeypatch.setattr(shutil, "rmtree", crash)
        with pytest.raises(OSError, match="power"):
            store.forget("ana")
        counts = store.forget("ana")
        assert not folder.exists()
        assert not store.has_profile("ana")
        assert counts["files_deleted"] is True
        with pytest.raises(NotFoundError, match="no profile 'ana'"):
            store.forget("ana")


def test_forget_finishes_files_a_crashed_forget_left_without_rows(db_url: str) -> None:
    with Store.open(db_url) as store:
        folder = store.profile_dir("ana")
        folder.mkdir(parents=True)
        (folder / "2026-03-02-clip.mp4").write_bytes(b"video")
        counts = store.forget("ana")
    assert counts["sessions"] == 0
    assert not folder.exists()


def test_a_forgotten_note_is_not_left_in_the_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    with Store.open(url, tmp_path / "files") as store:
        _profile(store, "ana", note=SECRET * 20)
        _profile(store, "ben")
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        store.forget("ana")
    engine = create_engine(url)
    with engine.connect() as conn:
        free_pages = conn.exec_driver_sql("PRAGMA freelist_count").scalar()
    engine.dispose()
    assert SECRET.encode() not in (tmp_path / "coach.db").read_bytes()
    assert free_pages == 0


def test_two_videos_with_one_name_on_one_day_are_two_files(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "utc_now", lambda: dt.datetime(2026, 3, 1, 8))
    with Store.open(db_url) as store:
        _profile(store, "ana")
    videos = []
    for i, folder in enumerate(("monday", "evening")):
        (tmp_path / folder).mkdir()
        videos.append(tmp_path / folder / "clip.mp4")
        videos[-1].write_bytes(f"video {i}".encode())
    when = dt.datetime(2026, 3, 2, 9)
    ids = [
        save_analysis(db_url, "ana", REPORT, None, when, variation="knee", video_path=v)
        for v in videos
    ]
    with Store.open(db_url) as store:
        kept = [store.session("ana", i).video_file for i in ids]
        assert kept == ["2026-03-02-clip.mp4", "2026-03-02-clip-2.mp4"]
        assert [(store.profile_dir("ana") / k).read_bytes() for k in kept] == [
            b"video 0",
            b"video 1",
        ]
