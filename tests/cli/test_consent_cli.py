"""Consent as docs/privacy.md promises it, and one storage policy for every entry point (issue 11).

Nothing personal is stored before the person agrees; the agreement and its date are recorded and
travel with an export; withdrawing erases everything; every write path refuses without consent;
a red-flag profile stores no session whichever way it comes in.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import pushup_coach.storage.store as store_module
from pushup_coach.cli import main
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.errors import CoachError, ConfigError, ConsentError, NotFoundError
from pushup_coach.storage import Store, save_analysis
from pushup_coach.storage.migrate import upgrade
from pushup_coach.storage.policy import check_may_store_sessions

NO_TO_ALL = dict.fromkeys(QUESTION_KEYS, False)
TABLES = ("profiles", "consents", "screenings", "baselines", "sessions", "sets", "checkins")
AGREED_AT = dt.datetime(2026, 3, 1, 8, 0)
NO_CONSENT = (
    "error: profile 'ana' has not agreed to pushup-coach storing their data, so nothing was "
    "saved: read docs/privacy.md, then run `pushup-coach consent --profile ana` "
    "(or `screen --consent`)\n"
)
RED_FLAG = (
    "error: your screening found a red flag: no plan is made. See a healthcare professional "
    "now. Not medical advice.\n"
)
REPORT = {
    "variation": "knee",
    "sets": [{"index": 0, "rep_count": 3, "reps": [0, 1, 2]}],
    "reps": [{"index": i, "faults": [], "score": 90} for i in range(3)],
}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PUSHUP_COACH_DB", url)
    monkeypatch.setattr(store_module, "utc_now", lambda: AGREED_AT)
    return url


def run_main(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """Through the real entry point, with ``stdin`` as all the input there is (then end of file)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def row_counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        counts = {
            t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() or 0) for t in TABLES
        }
    engine.dispose()
    return counts


def answers_file(tmp_path: Path, *yes: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**NO_TO_ALL, **dict.fromkeys(yes, True)}))
    return str(path)


def legacy_profile(db_url: str, *yes: str) -> None:
    """A profile and screening stored before consent was recorded (a database at migration 0001)."""
    engine = create_engine(db_url)
    upgrade(engine, "0001")
    outcome = "consult" if yes else "clear"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO profiles (id, name, timezone, training_days, created_at) "
                "VALUES (1, 'ana', 'Europe/Berlin', 'mon,wed,fri', '2026-02-01 08:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO screenings (profile_id, taken_at, answers, outcome) "
                "VALUES (1, '2026-02-01 08:05:00.000000', :answers, :outcome)"
            ),
            {"answers": json.dumps({**NO_TO_ALL, **dict.fromkeys(yes, True)}), "outcome": outcome},
        )
    engine.dispose()


NOTHING = dict.fromkeys(TABLES, 0)
FIRST_UNANSWERED = (
    "error: no answer to 'bone_joint_problem' (Do you have a bone or joint problem that exercise "
    "could make worse?), so nothing was stored: answer every question at a terminal, or give "
    "them all with `--answers FILE` (keys: `pushup-coach screen --help`, docs/coach.md)\n"
)


@pytest.mark.parametrize(
    ("stdin", "code", "err", "rows"),
    [
        (
            "",
            1,
            "error: no answer to the consent question (no terminal to ask on?), so nothing was "
            "stored: add --consent to agree to docs/privacy.md, or run "
            "`pushup-coach consent --profile ana` first\n",
            NOTHING,
        ),
        (
            "n\n",
            1,
            "error: you did not agree, so nothing was stored: pushup-coach keeps your data only "
            "with your consent (see docs/privacy.md)\n",
            NOTHING,
        ),
        (
            "y\nn\nn\nn\n",
            1,
            FIRST_UNANSWERED,
            NOTHING,
        ),  # aborted screening: nothing, not even consent
        (
            "y\n" + "n\n" * len(QUESTION_KEYS),
            0,
            "",
            {**NOTHING, "profiles": 1, "consents": 1, "screenings": 1},
        ),
    ],
)
def test_screen_asks_consent_before_storing_anything(
    db: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: str,
    code: int,
    err: str,
    rows: dict[str, int],
) -> None:
    got = run_main(capsys, monkeypatch, "screen", "--profile", "ana", stdin=stdin)
    assert (got[0], got[2]) == (code, err)
    assert got[1].startswith("pushup-coach keeps your screening answers")  # asked first
    assert row_counts(db) == rows


def test_consent_and_its_date_are_recorded_and_exported(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("screen", "--profile", "ana", "--consent", "--answers", answers_file(tmp_path))
    assert run_main(capsys, monkeypatch, *args)[0] == 0
    code, out, _ = run_main(capsys, monkeypatch, "consent", "--profile", "ana")
    assert (code, out) == (
        0,
        "'ana' agreed to the privacy policy (version 1) on 2026-03-01 08:00 UTC. Withdraw "
        "(erasing everything) with `pushup-coach consent --withdraw --profile ana`.\n",
    )
    assert run_main(capsys, monkeypatch, "export", "--profile", "ana", str(tmp_path / "x"))[0] == 0
    exported = json.loads((tmp_path / "x" / "profile.json").read_text())
    assert exported["consents"] == [{"given_at": "2026-03-01T08:00:00", "policy_version": "1"}]


@pytest.mark.parametrize(
    "args",
    [
        ["baseline", "--profile", "ana", "--variation", "knee", "--reps", "9"],
        [
            "log",
            "--profile",
            "ana",
            "--variation",
            "knee",
            "--sets",
            "9",
            "--rpe",
            "5",
            "--pain",
            "0",
        ],
        ["plan", "--profile", "ana", "--days", "tue,thu,sat"],
        ["screen", "--profile", "ana", "--cleared"],
        ["analyze", "{junk}", "--save", "--profile", "ana"],
    ],
)
def test_every_write_path_refuses_without_consent(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    legacy_profile(db, "back_condition")
    Store.open(db).close()  # migrates to the newest schema: the profile has no consent
    before = row_counts(db)
    junk = tmp_path / "clip.npz"
    junk.write_bytes(b"not landmarks")  # refused before the analysis would read it
    code, _, err = run_main(capsys, monkeypatch, *(a.format(junk=junk) for a in args))
    assert (code, err) == (1, NO_CONSENT)
    assert row_counts(db) == before
    assert run_main(capsys, monkeypatch, "consent", "--profile", "ana", "--yes")[::2] == (0, "")
    log = [
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "9",
        "--rpe",
        "5",
        "--pain",
        "0",
    ]
    assert run_main(capsys, monkeypatch, *log)[0] == 0  # with consent it stores again
    assert row_counts(db)["sessions"] == before["sessions"] + 1


def test_screen_of_a_profile_without_consent_asks_first(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy_profile(db)
    Store.open(db).close()
    args = ("screen", "--profile", "ana", "--answers", answers_file(tmp_path))
    assert run_main(capsys, monkeypatch, *args)[0] == 1
    assert row_counts(db)["screenings"] == 1
    assert run_main(capsys, monkeypatch, *args, stdin="y\n")[0] == 0
    assert row_counts(db)["screenings"] == 2
    with Store.open(db) as store:
        assert store.consent("ana") == store_module.ConsentInfo(AGREED_AT, "1")


@pytest.mark.parametrize(
    ("extra", "stdin", "code", "out_end", "kept"),
    [
        ((), "n\n", 1, "This cannot be undone [y/N]: ", True),
        (
            ("--yes",),
            "",
            0,
            "Consent withdrawn for 'ana'; erased 1 sessions, 1 screenings, 0 baselines, "
            "0 corrections and kept files deleted.\n",
            False,
        ),
    ],
)
def test_withdrawing_consent_erases_like_forget(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: tuple[str, ...],
    stdin: str,
    code: int,
    out_end: str,
    kept: bool,
) -> None:
    args = ("screen", "--profile", "ana", "--consent", "--answers", answers_file(tmp_path))
    run_main(capsys, monkeypatch, *args)
    log = [
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "9",
        "--rpe",
        "5",
        "--pain",
        "0",
    ]
    run_main(capsys, monkeypatch, *log)
    folder = tmp_path / "home" / "files" / "ana"
    folder.mkdir(parents=True)
    (folder / "kept.mp4").write_bytes(b"video")
    got = run_main(
        capsys, monkeypatch, "consent", "--withdraw", "--profile", "ana", *extra, stdin=stdin
    )
    assert (got[0], got[1][-len(out_end) :]) == (code, out_end)
    assert folder.exists() == kept
    expected = {
        **NOTHING,
        "profiles": 1,
        "consents": 1,
        "screenings": 1,
        "sessions": 1,
        "sets": 1,
        "checkins": 1,
    }
    assert row_counts(db) == (expected if kept else NOTHING)


def test_import_carries_the_consent_record(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("screen", "--profile", "ana", "--consent", "--answers", answers_file(tmp_path))
    run_main(capsys, monkeypatch, *args)
    export = tmp_path / "export"
    run_main(capsys, monkeypatch, "export", "--profile", "ana", str(export))
    run_main(capsys, monkeypatch, "forget", "--profile", "ana", "--yes")
    monkeypatch.setattr(store_module, "utc_now", lambda: dt.datetime(2026, 4, 1, 9, 0))
    assert run_main(capsys, monkeypatch, "import", str(export))[0] == 0
    with Store.open(db) as store:
        assert store.consent("ana") == store_module.ConsentInfo(AGREED_AT, "1")  # not re-dated
        store.forget("ana")
    data = json.loads((export / "profile.json").read_text())
    del data["consents"]  # an export made before consent was recorded
    (export / "profile.json").write_text(json.dumps(data))
    code, _, err = run_main(capsys, monkeypatch, "import", str(export))
    assert (code, err) == (
        1,
        "error: the export of 'ana' carries no consent record, so nothing was imported: read "
        "docs/privacy.md, then import again with --consent to agree\n",
    )
    assert row_counts(db) == NOTHING
    assert run_main(capsys, monkeypatch, "import", "--consent", str(export))[0] == 0
    with Store.open(db) as store:
        assert store.consent("ana") == store_module.ConsentInfo(dt.datetime(2026, 4, 1, 9, 0), "1")


# item 7: one policy for every entry point that stores a session -------------------------------


def _log(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    log = [
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "9",
        "--rpe",
        "5",
        "--pain",
        "0",
    ]
    return run_main(capsys, mp, *log)[2]


def _analyze_save(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    junk = tmp_path / "clip.npz"
    junk.write_bytes(b"not landmarks")  # refused before the analysis would read it
    return run_main(capsys, mp, "analyze", str(junk), "--save", "--profile", "ana")[2]


def _library(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    try:
        save_analysis(db, "ana", REPORT, None, dt.datetime(2026, 3, 2, 18, 0))
    except CoachError as exc:
        return f"error: {exc}\n"
    return ""


@pytest.mark.parametrize("store_a_session", [_log, _analyze_save, _library])
def test_red_flag_profile_stores_no_session_by_any_entry_point(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    store_a_session: object,
) -> None:
    args = (
        "screen",
        "--profile",
        "ana",
        "--consent",
        "--answers",
        answers_file(tmp_path, "night_pain"),
    )
    assert run_main(capsys, monkeypatch, *args)[0] == 0
    assert store_a_session(db, tmp_path, capsys, monkeypatch) == RED_FLAG  # type: ignore[operator]
    assert row_counts(db)["sessions"] == 0


@pytest.mark.parametrize(
    ("yes", "cleared", "consented", "error"),
    [
        (None, False, True, (NotFoundError, "has no screening yet")),
        ((), False, False, (ConsentError, "has not agreed")),
        (("night_pain",), False, True, (ConfigError, "red flag")),
        (("night_pain",), True, True, None),
        (("back_condition",), False, True, None),
        ((), False, True, None),
    ],
)
def test_the_one_storage_policy(
    db: str,
    yes: tuple[str, ...] | None,
    cleared: bool,
    consented: bool,
    error: tuple[type[CoachError], str] | None,
) -> None:
    if consented:
        with Store.open(db) as store:
            store.create_profile("ana", "Europe/Berlin", "mon,wed,fri")
            if yes is not None:
                store.add_screening(
                    "ana",
                    {**NO_TO_ALL, **dict.fromkeys(yes, True)},
                    "red_flag" if yes == ("night_pain",) else ("consult" if yes else "clear"),
                )
            if cleared:
                store.record_clearance("ana")
    else:
        legacy_profile(db, *yes or ())
    with Store.open(db) as store:
        if error is None:
            check_may_store_sessions(store, "ana")
        else:
            with pytest.raises(error[0], match=error[1]):
                check_may_store_sessions(store, "ana")
