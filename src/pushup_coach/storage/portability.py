"""Export and import of everything about one profile (the right to access and portability).

``export_profile`` gives one JSON-ready dict with no database ids: sessions are numbered 1.. in date
order and corrections point at those numbers, so export -> forget -> import -> export is identical.
``write_export`` writes it as ``profile.json`` plus one CSV per table, and copies kept files.
The consent record travels with the data: an import restores it, and an export without one (made
before consent was recorded) is imported only when the person agrees again (``consent_now``).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pushup_coach.errors import ConfigError, ConsentError
from pushup_coach.storage import store as store_module
from pushup_coach.storage.consent import POLICY_DOC, POLICY_VERSION
from pushup_coach.storage.export_schema import check_export, load_export_json
from pushup_coach.storage.kept_files import (
    clear_staging,
    copy_private,
    export_file_entries,
    install_staged,
    stage_files,
)
from pushup_coach.storage.models import (
    Baseline,
    CheckInRow,
    Consent,
    Correction,
    Profile,
    Screening,
    SetRow,
    TrainingSession,
)
from pushup_coach.storage.private import private_dir, private_file, write_private_text
from pushup_coach.storage.store import Store, check_profile_name

EXPORT_FORMAT = "pushup-coach-export"
EXPORT_VERSION = 1
JSON_NAME = "profile.json"


def _t(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _session_dict(number: int, r: TrainingSession) -> dict[str, Any]:
    c = r.checkin
    return {
        "number": number,
        "performed_on": r.performed_on.isoformat(),
        "recorded_at": _t(r.recorded_at),
        "source": r.source,
        "rung": r.rung,
        "rep_count": r.rep_count,
        "clean_rep_count": r.clean_rep_count,
        "form_score": r.form_score,
        "note": r.note,
        "video_file": r.video_file,
        "landmarks_npz_base64": (
            None if r.landmarks_npz is None else base64.b64encode(r.landmarks_npz).decode("ascii")
        ),
        "sets": [
            {"position": s.position, "rep_count": s.rep_count, "clean_reps": s.clean_reps}
            for s in r.sets
        ],
        "checkin": None
        if c is None
        else {
            "rpe": c.rpe,
            "pain": c.pain,
            "pain_location": c.pain_location,
            "pain_kind": c.pain_kind,
            "symptoms": c.symptoms,
            "cleared_at": _t(c.cleared_at),
        },
        "report": r.report,
    }


def _screening_dict(r: Screening) -> dict[str, Any]:
    return {
        "taken_at": _t(r.taken_at),
        "answers": r.answers,
        "outcome": r.outcome,
        "cleared_at": _t(r.cleared_at),
    }


def _baseline_dict(r: Baseline) -> dict[str, Any]:
    return {
        "taken_on": r.taken_on.isoformat(),
        "tested_rung": r.tested_rung,
        "clean_reps": r.clean_reps,
        "placed_rung": r.placed_rung,
        "source": r.source,
        "reason": r.reason,
    }


def _correction_dict(r: Correction, number: dict[int, int]) -> dict[str, Any]:
    return {
        "session_number": number.get(r.session_id) if r.session_id else None,
        "corrected_at": _t(r.corrected_at),
        "field": r.field,
        "old_value": r.old_value,
        "new_value": r.new_value,
        "reason": r.reason,
    }


def export_profile(store: Store, name: str) -> dict[str, Any]:
    """Everything stored about ``name`` as plain JSON types."""
    with store.transaction() as s:
        p = store.profile_row(s, name)
        sessions = sorted(p.sessions, key=lambda r: (r.performed_on, r.id))
        number = {r.id: i for i, r in enumerate(sessions, start=1)}
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "profile": {
                "name": p.name,
                "timezone": p.timezone,
                "training_days": p.training_days,
                "created_at": _t(p.created_at),
            },
            "consents": [
                {"given_at": _t(r.given_at), "policy_version": r.policy_version}
                for r in sorted(p.consents, key=lambda r: (r.given_at, r.id))
            ],
            "screenings": [
                _screening_dict(r) for r in sorted(p.screenings, key=lambda r: (r.taken_at, r.id))
            ],
            "baselines": [
                _baseline_dict(r) for r in sorted(p.baselines, key=lambda r: (r.taken_on, r.id))
            ],
            "sessions": [_session_dict(number[r.id], r) for r in sessions],
            "corrections": [
                _correction_dict(r, number)
                for r in sorted(p.corrections, key=lambda r: (r.corrected_at, r.id))
            ],
        }


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0]) if rows else []
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
            )


def _csv_tables(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    sessions, sets, checkins = [], [], []
    for s in data["sessions"]:
        flat = {k: v for k, v in s.items() if k not in ("sets", "checkin", "report")}
        flat.pop("landmarks_npz_base64")
        flat["has_landmarks"] = s["landmarks_npz_base64"] is not None
        sessions.append(flat)
        sets += [{"session_number": s["number"], **x} for x in s["sets"]]
        if s["checkin"]:
            checkins.append({"session_number": s["number"], **s["checkin"]})
    return {
        "profile": [data["profile"]],
        "consents": data.get("consents", []),
        "screenings": data["screenings"],
        "baselines": data["baselines"],
        "sessions": sessions,
        "sets": sets,
        "checkins": checkins,
        "corrections": data["corrections"],
    }


def write_export(store: Store, name: str, folder: Path) -> list[Path]:
    """Write ``profile.json``, one CSV per table and any kept files into ``folder``.

    A new folder is made 0700 and every file 0600: an export holds health data.
    """
    data = export_profile(store, name)
    if not folder.exists():
        private_dir(folder)
    written = [write_private_text(folder / JSON_NAME, json.dumps(data, indent=2, sort_keys=True))]
    for table, rows in _csv_tables(data).items():
        path = folder / f"{table}.csv"
        _write_csv(private_file(path), rows)
        written.append(path)
    kept = store.profile_dir(name)
    if kept.is_dir():
        files = private_dir(folder / "files")
        for src in sorted(kept.iterdir()):
            (files / src.name).unlink(missing_ok=True)
            copy_private(src, files / src.name)
            written.append(files / src.name)
    return written


def read_export(path: Path) -> dict[str, Any]:
    """The export from a folder written by :func:`write_export` or its ``profile.json``, checked
    against ``schemas/export.schema.json`` (an InputError for anything else)."""
    return load_export_json(path / JSON_NAME if path.is_dir() else path)


def _dt(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _session_row(d: dict[str, Any]) -> TrainingSession:
    c = d["checkin"]
    blob = d["landmarks_npz_base64"]
    row = TrainingSession(
        performed_on=dt.date.fromisoformat(d["performed_on"]),
        recorded_at=_dt(d["recorded_at"]),
        source=d["source"],
        rung=d["rung"],
        rep_count=d["rep_count"],
        clean_rep_count=d["clean_rep_count"],
        form_score=d["form_score"],
        note=d["note"],
        video_file=d["video_file"],
        landmarks_npz=None if blob is None else base64.b64decode(blob, validate=True),
        report=d["report"],
    )
    row.sets = [SetRow(**x) for x in d["sets"]]
    if c is not None:  # exports made before symptoms and clearance were kept lack those keys
        row.checkin = CheckInRow(
            **{**c, "symptoms": c.get("symptoms", ""), "cleared_at": _dt(c.get("cleared_at"))}
        )
    return row


def _consent_rows(data: dict[str, Any], consent_now: bool) -> list[Consent]:
    """The export's consent record, or a new one when the person agrees now; else refuse."""
    rows = [
        Consent(given_at=_dt(r["given_at"]), policy_version=str(r["policy_version"]))
        for r in data.get("consents", [])
    ]
    if rows:
        return rows
    if not consent_now:
        raise ConsentError(
            f"the export of {data['profile']['name']!r} carries no consent record, so nothing "
            f"was imported: read {POLICY_DOC}, then import again with --consent to agree"
        )
    return [Consent(given_at=store_module.utc_now(), policy_version=POLICY_VERSION)]


def _add_rows(session: Session, profile: Profile, data: dict[str, Any]) -> None:
    for r in data["screenings"]:
        profile.screenings.append(
            Screening(
                taken_at=_dt(r["taken_at"]),
                answers=r["answers"],
                outcome=r["outcome"],
                cleared_at=_dt(r["cleared_at"]),
            )
        )
    for r in data["baselines"]:
        profile.baselines.append(
            Baseline(**{**r, "taken_on": dt.date.fromisoformat(r["taken_on"])})
        )
    by_number: dict[int, TrainingSession] = {}
    for d in data["sessions"]:
        by_number[d["number"]] = _session_row(d)
        profile.sessions.append(by_number[d["number"]])
    session.flush()  # sessions get their ids, which corrections point at
    for r in data["corrections"]:
        target = by_number.get(r["session_number"])
        fields = {k: v for k, v in r.items() if k not in ("session_number", "corrected_at")}
        profile.corrections.append(
            Correction(
                session_id=None if target is None else target.id,
                corrected_at=_dt(r["corrected_at"]),
                **fields,
            )
        )


def import_profile(
    store: Store,
    data: dict[str, Any],
    source_folder: Path | None = None,
    *,
    consent_now: bool = False,
) -> str:
    """Restore an export as a new profile; returns the profile's name. All or nothing.

    ``data`` is checked against the export schema first. Kept files in ``source_folder/files`` are
    copied to a staging folder, then the rows are written in one transaction that moves the files
    into place just before it commits: a failure or a kill at any point leaves neither rows nor
    files (a leftover staging folder is removed by the next import or erasure).

    The export's consent record comes along; ``consent_now`` records the person's agreement today
    for an export that has none (otherwise such an export is refused and nothing is stored).
    """
    check_export(data)
    p = data["profile"]
    name = check_profile_name(p["name"])
    if store.has_profile(name):
        raise ConfigError(f"profile {name!r} already exists; `forget` it first to import over it")
    consents = _consent_rows(data, consent_now)
    entries = [] if source_folder is None else export_file_entries(source_folder)
    with store.files_lock():
        clear_staging(store.files_dir)
        staging = stage_files(store.files_dir, entries)
        target = store.profile_dir(name)
        try:
            with store.transaction() as s:
                profile = Profile(
                    name=name,
                    timezone=p["timezone"],
                    training_days=p["training_days"],
                    created_at=_dt(p["created_at"]),
                )
                profile.consents = consents
                s.add(profile)
                _add_rows(s, profile, data)
                s.flush()
                install_staged(staging, target)
        except BaseException:
            for leftover in (staging, target):
                if leftover is not None and leftover.exists():
                    shutil.rmtree(leftover)
            raise
    return name
