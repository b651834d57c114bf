"""Storage on SQLite and PostgreSQL: migrations, sessions, transactions, corrections, analysis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from history_builder import four_week_history
from sqlalchemy import create_engine, inspect

import pushup_coach.storage.store as store_module
from pushup_coach.coach.history import CheckIn, PainKind, PainLocation
from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import ConfigError, NotFoundError
from pushup_coach.storage import NewSession, Store, save_analysis
from pushup_coach.storage.migrate import alembic_config
from pushup_coach.storage.models import Base

TABLES = {
    "alembic_version",
    "profiles",
    "screenings",
    "baselines",
    "sessions",
    "sets",
    "checkins",
    "corrections",
    "consents",
    "jobs",
    "accounts",
    "logins",
}


def open_with_profile(db_url: str, name: str = "ana") -> Store:
    store = Store.open(db_url)
    store.create_profile(name, "Europe/Berlin", "mon,wed,fri", dt.datetime(2026, 3, 1, 8, 0))
    return store


def screened_profile(db_url: str, name: str = "ana") -> None:
    """A profile whose screening lets it store sessions (the gate ``save_analysis`` checks)."""
    with open_with_profile(db_url, name) as store:
        store.add_screening(name, {}, "clear", dt.datetime(2026, 3, 1, 8, 5))


def test_migrates_an_empty_database_to_the_models(db_url: str) -> None:
    Store.open(db_url).close()
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) == TABLES
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert diff == []
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    Store.open(db_url).close()  # a second open is a no-op upgrade


def test_unknown_profile_says_how_to_create_it(db_url: str) -> None:
    with Store.open(db_url) as store, pytest.raises(NotFoundError) as info:
        store.sessions("bob")
    assert str(info.value) == "no profile 'bob'; create it with `pushup-coach screen --profile bob`"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "",
            "profile name '' must be 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
        ),
        (
            "../x",
            "profile name '../x' must be 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
        ),
    ],
)
def test_bad_profile_names(db_url: str, name: str, message: str) -> None:
    with Store.open(db_url) as store, pytest.raises(ConfigError) as info:
        store.create_profile(name, "UTC", "mon,wed,fri")
    assert str(info.value) == message


def test_duplicate_profile(db_url: str) -> None:
    with open_with_profile(db_url) as store, pytest.raises(ConfigError, match="already exists"):
        store.create_profile("ana", "UTC", "mon,wed,fri")


def test_session_round_trip(db_url: str) -> None:
    new = NewSession(
        performed_on=dt.date(2026, 3, 2),
        source="manual",
        rung=Rung.KNEE,
        all_reps=(11, 10, 9),
        clean_reps=(10, 9, 8),
        checkin=CheckIn(2, 7, PainLocation.WRIST, PainKind.DULL),
        note="gym",
    )
    with open_with_profile(db_url) as store:
        sid = store.add_session("ana", new)
        [got] = store.sessions("ana")
    assert got.id == sid
    assert (got.performed_on, got.rung, got.all_reps, got.clean_reps) == (
        dt.date(2026, 3, 2),
        Rung.KNEE,
        (11, 10, 9),
        (10, 9, 8),
    )
    assert got.checkin == CheckIn(2, 7, PainLocation.WRIST, PainKind.DULL)
    assert (got.rep_count, got.clean_rep_count, got.note, got.has_landmarks) == (
        30,
        27,
        "gym",
        False,
    )


def test_failure_mid_write_leaves_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_checkin: CheckIn) -> Any:
        raise RuntimeError("disk pulled out after the sets were written")

    monkeypatch.setattr(store_module, "checkin_row", explode)
    new = four_week_history()[0]
    with open_with_profile(db_url) as store:
        with pytest.raises(RuntimeError, match="disk pulled out"):
            store.add_session("ana", new)
        assert store.sessions("ana") == []
    engine = create_engine(db_url)
    with engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in ("sessions", "sets", "checkins")
        ]
    engine.dispose()
    assert counts == [0, 0, 0]


def test_invalid_counts_are_rejected_before_writing(db_url: str) -> None:
    bad = NewSession(dt.date(2026, 3, 2), "manual", Rung.KNEE, (5,), (6,))
    with open_with_profile(db_url) as store:
        with pytest.raises(
            ConfigError, match=r"clean reps must be 0\.\.all reps in each set, got 6/5"
        ):
            store.add_session("ana", bad)
        assert store.sessions("ana") == []


HAND_MADE_REPORT: dict[str, Any] = {
    "schema_version": "1.0",
    "variation": "knee",
    "rep_count": 5,
    "clean_rep_count": 3,
    "sets": [
        {"index": 0, "rep_count": 3, "reps": [0, 1, 2]},
        {"index": 1, "rep_count": 2, "reps": [3, 4]},
    ],
    "reps": [
        {"index": 0, "faults": [], "verdict": "clean", "score": 100},
        {"index": 1, "faults": ["hip_sag"], "verdict": "faulty", "score": 70},
        {"index": 2, "faults": [], "verdict": "clean", "score": 95},
        {"index": 3, "faults": [], "verdict": "clean", "score": 90},
        {"index": 4, "faults": ["too_fast", "shallow"], "verdict": "faulty", "score": 50},
    ],
}


def test_save_analysis(db_url: str) -> None:
    screened_profile(db_url)
    when = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # already 3 March in Berlin
    sid = save_analysis(db_url, "ana", HAND_MADE_REPORT, b"npz-bytes", when)
    with Store.open(db_url) as store:
        got = store.session("ana", sid)
        blob = store.landmarks("ana", sid)
    assert (got.performed_on, got.source, got.rung) == (dt.date(2026, 3, 3), "analysis", Rung.KNEE)
    assert (got.all_reps, got.clean_reps, got.form_score) == ((3, 2), (2, 1), 81.0)
    assert got.report == HAND_MADE_REPORT
    assert blob == b"npz-bytes"
    assert got.video_file is None


def test_save_analysis_unknown_variation_needs_override(db_url: str) -> None:
    screened_profile(db_url)
    report = {**HAND_MADE_REPORT, "variation": "unknown"}
    with pytest.raises(ConfigError, match="could not tell the variation"):
        save_analysis(db_url, "ana", report, None)
    sid = save_analysis(db_url, "ana", report, None, variation="full")
    with Store.open(db_url) as store:
        assert store.session("ana", sid).rung == Rung.FULL


def test_save_analysis_keeps_video_only_when_asked(db_url: str, tmp_path: Path) -> None:
    screened_profile(db_url)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not really a video")
    sid = save_analysis(
        db_url, "ana", HAND_MADE_REPORT, None, dt.datetime(2026, 3, 2, 9, 0), video_path=video
    )
    with Store.open(db_url) as store:
        got = store.session("ana", sid)
        kept = store.profile_dir("ana") / "2026-03-02-clip.mp4"
    assert got.video_file == "2026-03-02-clip.mp4"
    assert kept.read_bytes() == b"not really a video"


def test_correction_is_audited(db_url: str) -> None:
    at = dt.datetime(2026, 3, 3, 10, 0)
    with open_with_profile(db_url) as store:
        sid = store.add_session("ana", four_week_history()[0])
        before = store.session("ana", sid)
        fixed = NewSession(
            before.performed_on,
            before.source,
            Rung.FULL,
            (11, 10, 9),
            (10, 10, 9),
            CheckIn(0, 5),
            note=before.note,
        )
        audit = store.correct_session("ana", sid, fixed, reason="it was full push-ups", at=at)
        after = store.session("ana", sid)
        stored_audit = store.corrections("ana")
    assert [(a.field, a.old_value, a.new_value) for a in audit] == [
        ("rung", "knee", "full"),
        ("clean_reps", "9,8,8", "10,10,9"),
        ("checkin", "rpe=6 pain=0 location=none kind=none", "rpe=5 pain=0 location=none kind=none"),
    ]
    assert stored_audit == audit
    assert (after.rung, after.clean_reps, after.checkin) == (Rung.FULL, (10, 10, 9), CheckIn(0, 5))


def test_clearance_recorded_on_latest_screening(db_url: str) -> None:
    answers = {"back_condition": True}
    with open_with_profile(db_url) as store:
        with pytest.raises(NotFoundError, match="no screening to clear"):
            store.record_clearance("ana")
        store.add_screening("ana", answers, "consult", dt.datetime(2026, 3, 1, 9, 0))
        store.record_clearance("ana", dt.datetime(2026, 3, 5, 9, 0))
        latest = store.latest_screening("ana")
    assert latest is not None
    assert (latest.outcome, latest.answers, latest.cleared_at) == (
        "consult",
        answers,
        dt.datetime(2026, 3, 5, 9, 0),
    )
