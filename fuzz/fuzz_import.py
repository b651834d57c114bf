"""Fuzz the export importer: any ``profile.json`` imports whole or not at all, with a CoachError.

Each input is written as an export's ``profile.json``; ``read_export`` checks it and, when it
passes, ``import_profile`` stores it in a scratch SQLite database and ``forget`` erases it again.
Besides exceptions other than ``CoachError``, a failed import that leaves a row or a file behind
is a crash. Seeds: a small real export (every table filled) written at start-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pushup_coach"]):
    from pushup_coach.coach.history import CheckIn, PainKind, PainLocation
    from pushup_coach.coach.ladder import Rung
    from pushup_coach.errors import CoachError
    from pushup_coach.storage import NewSession, Store, import_profile, read_export, write_export

from harness import fuzz

SCRATCH = Path(tempfile.mkdtemp(prefix="pushup-coach-fuzz-import-"))
STORE = Store.open(f"sqlite:///{SCRATCH / 'fuzz.db'}", SCRATCH / "files")


def import_seeds() -> dict[str, bytes]:
    """A real export of a profile with a screening, baseline, sessions, check-ins, a correction."""
    name = "seed"
    STORE.create_profile(name, "Europe/Berlin", "mon,wed,fri", dt.datetime(2026, 3, 1, 8))
    STORE.add_screening(name, {"back_condition": True}, "consult", dt.datetime(2026, 3, 1, 8, 5))
    checkin = CheckIn(3, 7, PainLocation.WRIST, PainKind.DULL)
    first = STORE.add_session(
        name,
        NewSession(dt.date(2026, 3, 2), "manual", Rung.KNEE, (11, 10), (9, 8), checkin, note="n"),
    )
    STORE.add_session(
        name,
        NewSession(
            dt.date(2026, 3, 4),
            "analysis",
            Rung.FULL,
            (5,),
            (4,),
            form_score=81.5,
            report={"faults_summary": {"hip_sag": 1}},
            landmarks_npz=b"PK\x03\x04npz",
        ),
    )
    old = STORE.session(name, first)
    STORE.correct_session(name, first, old.as_new(), reason="typo", at=dt.datetime(2026, 3, 5))
    write_export(STORE, name, SCRATCH / "seed-export")
    STORE.forget(name)
    data = (SCRATCH / "seed-export" / "profile.json").read_bytes()
    return {"full.json": data, "compact.json": json.dumps(json.loads(data)).encode()}


def test_one_input(data: bytes) -> None:
    folder = SCRATCH / "input"
    folder.mkdir(exist_ok=True)
    (folder / "profile.json").write_bytes(data)
    with contextlib.suppress(CoachError):  # one clear line for the person: fine
        name = import_profile(STORE, read_export(folder), folder, consent_now=True)
        STORE.forget(name)
    left = STORE.profile_names()
    if left:
        raise AssertionError(f"a failed import left profile(s) {left} behind")


if __name__ == "__main__":
    fuzz(test_one_input, import_seeds())
