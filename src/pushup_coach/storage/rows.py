"""Converting between ORM rows and the frozen records storage hands out."""

from __future__ import annotations

from pushup_coach.coach.history import (
    CheckIn,
    PainKind,
    PainLocation,
    format_symptoms,
    parse_symptoms,
)
from pushup_coach.coach.ladder import Rung
from pushup_coach.storage.models import CheckInRow, SetRow, TrainingSession
from pushup_coach.storage.records import SessionInfo


def checkin_row(checkin: CheckIn) -> CheckInRow:
    return CheckInRow(
        rpe=checkin.rpe_1_10,
        pain=checkin.pain_0_10,
        pain_location=checkin.location.value,
        pain_kind=checkin.kind.value,
        symptoms=format_symptoms(checkin.symptoms),
        cleared_at=checkin.cleared_at,
    )


def set_rows(all_reps: tuple[int, ...], clean_reps: tuple[int, ...]) -> list[SetRow]:
    return [
        SetRow(position=i, rep_count=total, clean_reps=clean)
        for i, (total, clean) in enumerate(zip(all_reps, clean_reps, strict=True), start=1)
    ]


def session_info(row: TrainingSession) -> SessionInfo:
    c = row.checkin
    checkin = None
    if c is not None:
        checkin = CheckIn(
            c.pain,
            c.rpe,
            PainLocation(c.pain_location),
            PainKind(c.pain_kind),
            parse_symptoms(c.symptoms),
            c.cleared_at,
        )
    return SessionInfo(
        id=row.id,
        performed_on=row.performed_on,
        recorded_at=row.recorded_at,
        source=row.source,
        rung=Rung(row.rung),
        all_reps=tuple(s.rep_count for s in row.sets),
        clean_reps=tuple(s.clean_reps for s in row.sets),
        checkin=checkin,
        form_score=row.form_score,
        report=row.report,
        has_landmarks=row.landmarks_npz is not None,
        video_file=row.video_file,
        note=row.note,
    )


def assign_checkin(row: TrainingSession, checkin: CheckIn | None) -> None:
    """Set, replace or remove a session's check-in (updating in place keeps its unique key)."""
    if checkin is None:
        row.checkin = None
    elif row.checkin is None:
        row.checkin = checkin_row(checkin)
    else:
        new = checkin_row(checkin)
        row.checkin.rpe = new.rpe
        row.checkin.pain = new.pain
        row.checkin.pain_location = new.pain_location
        row.checkin.pain_kind = new.pain_kind
        row.checkin.symptoms = new.symptoms
        row.checkin.cleared_at = new.cleared_at
