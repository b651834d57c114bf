"""Correcting a logged session (the right to rectification), with an audit row per changed field."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pushup_coach.coach.history import CheckIn, format_symptoms
from pushup_coach.storage.models import Correction, TrainingSession
from pushup_coach.storage.records import CorrectionInfo, NewSession
from pushup_coach.storage.rows import assign_checkin, session_info, set_rows


def _checkin_text(c: CheckIn | None) -> str:
    if c is None:
        return "none"
    rpe = "-" if c.rpe_1_10 is None else str(c.rpe_1_10)
    text = f"rpe={rpe} pain={c.pain_0_10} location={c.location.value} kind={c.kind.value}"
    if c.symptoms:
        text += f" symptoms={format_symptoms(c.symptoms)}"
    return text


def _counts(reps: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in reps)


def _fields(s: NewSession) -> dict[str, str]:
    """The editable fields of a session as text, the way the audit trail records them."""
    return {
        "performed_on": s.performed_on.isoformat(),
        "rung": s.rung.value,
        "all_reps": _counts(s.all_reps),
        "clean_reps": _counts(s.clean_reps),
        "checkin": _checkin_text(s.checkin),
        "note": s.note,
    }


def apply_correction(
    session: Session, row: TrainingSession, corrected: NewSession, reason: str, at: dt.datetime
) -> list[CorrectionInfo]:
    """Write ``corrected`` over ``row`` inside the caller's transaction; return the audit rows."""
    current = session_info(row)
    before = _fields(
        NewSession(
            current.performed_on,
            current.source,
            current.rung,
            current.all_reps,
            current.clean_reps,
            current.checkin,
            note=current.note,
        )
    )
    after = _fields(corrected)
    changed = [k for k in before if before[k] != after[k]]
    if not changed:
        return []
    row.performed_on = corrected.performed_on
    row.rung = corrected.rung.value
    row.note = corrected.note
    if "all_reps" in changed or "clean_reps" in changed:
        row.sets = set_rows(corrected.all_reps, corrected.clean_reps)
        row.rep_count = sum(corrected.all_reps)
        row.clean_rep_count = sum(corrected.clean_reps)
    if "checkin" in changed:
        assign_checkin(row, corrected.checkin)
    audit = [CorrectionInfo(row.id, at, k, before[k], after[k], reason) for k in changed]
    session.add_all(_audit_row(row.profile_id, a) for a in audit)
    session.flush()
    return audit


def _audit_row(profile_id: int, a: CorrectionInfo) -> Correction:
    return Correction(
        profile_id=profile_id,
        session_id=a.session_id,
        corrected_at=a.corrected_at,
        field=a.field,
        old_value=a.old_value,
        new_value=a.new_value,
        reason=a.reason,
    )
