"""What storage hands back and takes in: frozen dataclasses, never ORM rows.

Times are naive UTC datetimes; ``performed_on`` / ``taken_on`` are dates in the person's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pushup_coach.coach.history import CheckIn, SessionRecord
from pushup_coach.coach.ladder import Rung


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    timezone: str
    training_days: str  # "mon,wed,fri"
    created_at: dt.datetime


@dataclass(frozen=True)
class ConsentInfo:
    """The person agreed to privacy policy ``policy_version`` (docs/privacy.md) at ``given_at``."""

    given_at: dt.datetime
    policy_version: str


@dataclass(frozen=True)
class ScreeningInfo:
    taken_at: dt.datetime
    answers: dict[str, bool]
    outcome: str
    cleared_at: dt.datetime | None


@dataclass(frozen=True)
class BaselineInfo:
    taken_on: dt.date
    tested_rung: Rung
    clean_reps: int
    placed_rung: Rung
    source: str  # analysis | manual
    reason: str


@dataclass(frozen=True)
class NewSession:
    """A session to save. ``all_reps`` / ``clean_reps``: one count per set."""

    performed_on: dt.date
    source: str  # analysis | manual
    rung: Rung
    all_reps: tuple[int, ...]
    clean_reps: tuple[int, ...]
    checkin: CheckIn | None = None
    form_score: float | None = None
    report: dict[str, Any] | None = None
    landmarks_npz: bytes | None = None
    video_file: str | None = None
    note: str = ""

    def to_record(self) -> SessionRecord:
        """Validates the counts the way the coach will read them."""
        return SessionRecord(
            self.performed_on, self.rung, self.clean_reps, self.all_reps, self.checkin
        )


@dataclass(frozen=True)
class SessionInfo:
    id: int
    performed_on: dt.date
    recorded_at: dt.datetime
    source: str
    rung: Rung
    all_reps: tuple[int, ...]
    clean_reps: tuple[int, ...]
    checkin: CheckIn | None
    form_score: float | None
    report: dict[str, Any] | None
    has_landmarks: bool
    video_file: str | None
    note: str

    @property
    def rep_count(self) -> int:
        return sum(self.all_reps)

    @property
    def clean_rep_count(self) -> int:
        return sum(self.clean_reps)

    def to_record(self) -> SessionRecord:
        return SessionRecord(
            self.performed_on, self.rung, self.clean_reps, self.all_reps, self.checkin
        )

    def as_new(self) -> NewSession:
        """The session's editable fields, to change and pass to ``Store.correct_session``."""
        return NewSession(
            performed_on=self.performed_on,
            source=self.source,
            rung=self.rung,
            all_reps=self.all_reps,
            clean_reps=self.clean_reps,
            checkin=self.checkin,
            form_score=self.form_score,
            report=self.report,
            video_file=self.video_file,
            note=self.note,
        )


@dataclass(frozen=True)
class CorrectionInfo:
    session_id: int | None
    corrected_at: dt.datetime
    field: str
    old_value: str
    new_value: str
    reason: str
