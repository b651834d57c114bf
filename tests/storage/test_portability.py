"""Data rights: export -> import restores exactly; forget leaves no row and no file behind."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from history_builder import four_week_history
from sqlalchemy import create_engine

from pushup_coach.coach.history import CheckIn
from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import ConfigError, InputError, NotFoundError
from pushup_coach.storage import (
    BaselineInfo,
    NewSession,
    Store,
    export_profile,
    import_profile,
    read_export,
    write_export,
)

ROW_TABLES = (
    "profiles",
    "consents",
    "screenings",
    "baselines",
    "sessions",
    "sets",
    "checkins",
    "corrections",
)


def filled_store(db_url: str, name: str = "ana") -> Store:
    """A profile with a screening, a baseline, four weeks of sessions, a correction, a kept file."""
    store = Store.open(db_url)
    store.create_profile(
        name, "Europe/Berlin", "mon,wed,fri", dt.datetime(2026, 3, 1, 8, 0, 0, 123456)
    )
    store.add_screening(name, {"back_condition": True}, "consult", dt.datetime(2026, 3, 1, 8, 5))
    store.record_clearance(name, dt.datetime(2026, 3, 1, 9, 0))
    store.add_baseline(
        name, BaselineInfo(dt.date(2026, 3, 1), Rung.KNEE, 9, Rung.KNEE, "manual", "why")
    )
    ids = [store.add_session(name, s, dt.datetime(2026, 3, 1, 10, 0)) for s in four_week_history()]
    first = store.session(name, ids[0])
    store.correct_session(
        name,
        ids[0],
        NewSession(
            first.performed_on,
            first.source,
            first.rung,
            first.all_reps,
            first.clean_reps,
            CheckIn(1, 6),
            note="fixed pain",
        ),
        reason="forgot the wrist",
        at=dt.datetime(2026, 3, 3, 7, 0),
    )
    folder = store.profile_dir(name)
    folder.mkdir(parents=True)
    (folder / "2026-03-02-clip.mp4").write_bytes(b"kept video")
    return store


def row_counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        counts = {
            t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() or 0)
            for t in ROW_TABLES
        }
    engine.dispose()
    return counts


def test_export_forget_import_round_trip_is_exact(db_url: str, tmp_path: Path) -> None:
    with filled_store(db_url) as store:
        first = export_profile(store, "ana")
        written = write_export(store, "ana", tmp_path / "export")
        store.forget("ana")
        assert not store.has_profile("ana")
        assert import_profile(store, read_export(tmp_path / "export"), tmp_path / "export") == "ana"
        again = export_profile(store, "ana")
        kept = (store.profile_dir("ana") / "2026-03-02-clip.mp4").read_bytes()
    assert again == first
    assert kept == b"kept video"
    assert [p.name for p in written] == [
        "profile.json",
        "profile.csv",
        "consents.csv",
        "screenings.csv",
        "baselines.csv",
        "sessions.csv",
        "sets.csv",
        "checkins.csv",
        "corrections.csv",
        "2026-03-02-clip.mp4",
    ]
    assert len(first["sessions"]) == 12
    assert first["corrections"][0]["session_number"] == 1
    assert first["profile"]["created_at"] == "2026-03-01T08:00:00.123456"


def test_csv_files_hold_every_row(db_url: str, tmp_path: Path) -> None:
    with filled_store(db_url) as store:
        write_export(store, "ana", tmp_path)
    with (tmp_path / "sets.csv").open() as f:
        sets = list(csv.DictReader(f))
    with (tmp_path / "sessions.csv").open() as f:
        sessions = list(csv.DictReader(f))
    assert len(sets) == 36
    assert sets[0] == {"session_number": "1", "position": "1", "rep_count": "11", "clean_reps": "9"}
    assert [s["rung"] for s in sessions][:8] == ["knee"] * 7 + ["full"]
    assert json.loads((tmp_path / "profile.json").read_text())["format"] == "pushup-coach-export"


def test_forget_leaves_no_row_and_no_file(db_url: str) -> None:
    with filled_store(db_url) as store, filled_store(db_url, "ben") as other:
        folder = store.profile_dir("ana")
        counts = store.forget("ana")
        assert counts == {
            "sessions": 12,
            "screenings": 1,
            "baselines": 1,
            "corrections": 2,
            "consents": 1,
            "files_deleted": True,
        }
        assert not folder.exists()
        assert other.profile_dir("ben").exists()
        with pytest.raises(NotFoundError):
            store.sessions("ana")
        other.forget("ben")
    assert row_counts(db_url) == dict.fromkeys(ROW_TABLES, 0)


def test_import_refuses_to_overwrite(db_url: str, tmp_path: Path) -> None:
    with filled_store(db_url) as store:
        write_export(store, "ana", tmp_path)
        with pytest.raises(ConfigError) as info:
            import_profile(store, read_export(tmp_path))
    assert str(info.value) == "profile 'ana' already exists; `forget` it first to import over it"


def test_read_export_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="is not a pushup-coach export"):
        read_export(bad)
