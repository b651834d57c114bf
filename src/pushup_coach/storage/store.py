"""Reading and writing one install's data: profiles, screenings, baselines, sessions, corrections.

Nothing is written for a profile without its recorded consent (``storage.consent``): creating a
profile records it, and every other write checks it in the same transaction.

Every public method runs in its own transaction: it either fully happens or leaves nothing behind
(a session, its sets and its check-in are written together). Errors come out as ``CoachError``s.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pushup_coach.coach.history import CheckIn
from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import ConfigError, NotFoundError, StorageError
from pushup_coach.storage.consent import POLICY_VERSION, no_consent_error
from pushup_coach.storage.corrections import apply_correction
from pushup_coach.storage.engine import files_root, open_engine, vacuum
from pushup_coach.storage.kept_files import clear_staging
from pushup_coach.storage.models import (
    Baseline,
    Consent,
    Correction,
    Profile,
    Screening,
    TrainingSession,
)
from pushup_coach.storage.private import exclusive_lock
from pushup_coach.storage.records import (
    BaselineInfo,
    ConsentInfo,
    CorrectionInfo,
    NewSession,
    ProfileInfo,
    ScreeningInfo,
    SessionInfo,
)
from pushup_coach.storage.rows import assign_checkin, checkin_row, session_info, set_rows

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def utc_now() -> dt.datetime:
    """Now as a naive UTC datetime, the way storage keeps times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def check_profile_name(name: str) -> str:
    if not PROFILE_NAME.match(name):
        raise ConfigError(
            f"profile name {name!r} must be 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def no_profile_error(name: str) -> NotFoundError:
    return NotFoundError(
        f"no profile {name!r}; create it with `pushup-coach screen --profile {name}`"
    )


class Store:
    """One database (and the folder of kept files next to it)."""

    def __init__(self, engine: Engine, files_dir: Path) -> None:
        self.engine = engine
        self.files_dir = files_dir

    @classmethod
    def open(cls, db_url: str | None = None, files_dir: Path | None = None) -> Store:
        """Open (creating and migrating as needed) the database ``db_url`` resolves to."""
        return cls(open_engine(db_url), files_dir or files_root())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or all rolled back on any error."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"database write failed, nothing was saved: {exc}") from exc

    def profile_dir(self, name: str) -> Path:
        return self.files_dir / check_profile_name(name)

    # profiles -------------------------------------------------------------------------------
    def profile_row(self, session: Session, name: str) -> Profile:
        """The ORM row of profile ``name`` inside ``session``, or a helpful NotFoundError."""
        row = session.scalar(select(Profile).where(Profile.name == name))
        if row is None:
            raise no_profile_error(name)
        return row

    def consented_row(self, session: Session, name: str) -> Profile:
        """Like :meth:`profile_row`, but a ConsentError when the person has not agreed."""
        row = self.profile_row(session, name)
        if not row.consents:
            raise no_consent_error(name)
        return row

    def create_profile(
        self, name: str, timezone: str, training_days: str, created_at: dt.datetime | None = None
    ) -> ProfileInfo:
        """A new profile, with the person's consent to the current privacy policy recorded at
        ``created_at``: call it only once they agreed (``screen`` and ``consent`` ask first)."""
        check_profile_name(name)
        with self.transaction() as s:
            if s.scalar(select(Profile.id).where(Profile.name == name)) is not None:
                raise ConfigError(f"profile {name!r} already exists")
            row = Profile(
                name=name,
                timezone=timezone,
                training_days=training_days,
                created_at=created_at or utc_now(),
            )
            row.consents.append(Consent(given_at=row.created_at, policy_version=POLICY_VERSION))
            s.add(row)
        return ProfileInfo(row.name, row.timezone, row.training_days, row.created_at)

    def get_profile(self, name: str) -> ProfileInfo:
        with self.transaction() as s:
            row = self.profile_row(s, name)
            return ProfileInfo(row.name, row.timezone, row.training_days, row.created_at)

    def has_profile(self, name: str) -> bool:
        with self.transaction() as s:
            return s.scalar(select(Profile.id).where(Profile.name == name)) is not None

    def update_profile(
        self, name: str, *, timezone: str | None = None, training_days: str | None = None
    ) -> None:
        with self.transaction() as s:
            row = self.consented_row(s, name)
            row.timezone = timezone or row.timezone
            row.training_days = training_days or row.training_days

    def profile_names(self) -> list[str]:
        with self.transaction() as s:
            return list(s.scalars(select(Profile.name).order_by(Profile.name)))

    # consent ---------------------------------------------------------------------------------
    def give_consent(self, name: str, at: dt.datetime | None = None) -> ConsentInfo:
        """Record that the person behind an existing profile agreed to the current policy."""
        with self.transaction() as s:
            profile = self.profile_row(s, name)
            row = Consent(given_at=at or utc_now(), policy_version=POLICY_VERSION)
            profile.consents.append(row)
        return ConsentInfo(row.given_at, row.policy_version)

    def consent(self, name: str) -> ConsentInfo | None:
        """The latest consent of ``name``; None when there is no such profile or no consent."""
        with self.transaction() as s:
            row = s.scalar(
                select(Consent)
                .join(Profile)
                .where(Profile.name == name)
                .order_by(Consent.given_at.desc(), Consent.id.desc())
            )
            return None if row is None else ConsentInfo(row.given_at, row.policy_version)

    # screening and baseline ------------------------------------------------------------------
    def add_screening(
        self, name: str, answers: dict[str, bool], outcome: str, taken_at: dt.datetime | None = None
    ) -> None:
        with self.transaction() as s:
            profile = self.consented_row(s, name)
            profile.screenings.append(
                Screening(taken_at=taken_at or utc_now(), answers=answers, outcome=outcome)
            )

    def latest_screening(self, name: str) -> ScreeningInfo | None:
        with self.transaction() as s:
            row = s.scalar(
                select(Screening)
                .where(Screening.profile_id == self.profile_row(s, name).id)
                .order_by(Screening.taken_at.desc(), Screening.id.desc())
            )
            if row is None:
                return None
            return ScreeningInfo(row.taken_at, dict(row.answers), row.outcome, row.cleared_at)

    def record_clearance(self, name: str, at: dt.datetime | None = None) -> None:
        """Mark the latest screening as cleared by a professional (as the person tells us)."""
        with self.transaction() as s:
            row = s.scalar(
                select(Screening)
                .where(Screening.profile_id == self.consented_row(s, name).id)
                .order_by(Screening.taken_at.desc(), Screening.id.desc())
            )
            if row is None:
                raise NotFoundError(
                    f"profile {name!r} has no screening to clear; run `screen` first"
                )
            row.cleared_at = at or utc_now()

    def add_baseline(self, name: str, baseline: BaselineInfo) -> None:
        with self.transaction() as s:
            profile = self.consented_row(s, name)
            profile.baselines.append(
                Baseline(
                    taken_on=baseline.taken_on,
                    tested_rung=baseline.tested_rung.value,
                    clean_reps=baseline.clean_reps,
                    placed_rung=baseline.placed_rung.value,
                    source=baseline.source,
                    reason=baseline.reason,
                )
            )

    def latest_baseline(self, name: str) -> BaselineInfo | None:
        with self.transaction() as s:
            row = s.scalar(
                select(Baseline)
                .where(Baseline.profile_id == self.profile_row(s, name).id)
                .order_by(Baseline.taken_on.desc(), Baseline.id.desc())
            )
            if row is None:
                return None
            return BaselineInfo(
                row.taken_on,
                Rung(row.tested_rung),
                row.clean_reps,
                Rung(row.placed_rung),
                row.source,
                row.reason,
            )

    # sessions --------------------------------------------------------------------------------
    def add_session(
        self, name: str, new: NewSession, recorded_at: dt.datetime | None = None
    ) -> int:
        """Save a session with its sets and check-in in one transaction; returns its id."""
        new.to_record()  # validates counts before anything is written
        with self.transaction() as s:
            row = TrainingSession(
                performed_on=new.performed_on,
                recorded_at=recorded_at or utc_now(),
                source=new.source,
                rung=new.rung.value,
                rep_count=sum(new.all_reps),
                clean_rep_count=sum(new.clean_reps),
                form_score=new.form_score,
                report=new.report,
                landmarks_npz=new.landmarks_npz,
                video_file=new.video_file,
                note=new.note,
            )
            profile = self.consented_row(s, name)
            profile.sessions.append(row)
            row.sets = set_rows(new.all_reps, new.clean_reps)
            s.flush()
            if new.checkin is not None:
                row.checkin = checkin_row(new.checkin)
                s.flush()
            return row.id

    def set_checkin(self, name: str, session_id: int, checkin: CheckIn) -> None:
        """Add (or replace) the check-in of a saved session (e.g. from ``analyze --save``)."""
        with self.transaction() as s:
            self.consented_row(s, name)
            assign_checkin(self._session(s, name, session_id), checkin)

    def clear_checkins(self, name: str, at: dt.datetime | None = None) -> int:
        """Record a professional's clearance to train again: every check-in so far stops holding
        the plan paused (``CheckIn.cleared_at``). Returns how many check-ins it covers."""
        with self.transaction() as s:
            profile = self.consented_row(s, name)
            open_ = [
                r.checkin for r in profile.sessions if r.checkin and r.checkin.cleared_at is None
            ]
            for checkin in open_:
                checkin.cleared_at = at or utc_now()
            return len(open_)

    def _session(self, s: Session, name: str, session_id: int) -> TrainingSession:
        row = s.get(TrainingSession, session_id)
        if row is None or row.profile_id != self.profile_row(s, name).id:
            raise NotFoundError(f"profile {name!r} has no session {session_id}; see `history`")
        return row

    def sessions(self, name: str) -> list[SessionInfo]:
        """Every session of the profile, oldest first."""
        with self.transaction() as s:
            rows = s.scalars(
                select(TrainingSession)
                .where(TrainingSession.profile_id == self.profile_row(s, name).id)
                .order_by(TrainingSession.performed_on, TrainingSession.id)
            )
            return [session_info(r) for r in rows]

    def session(self, name: str, session_id: int) -> SessionInfo:
        with self.transaction() as s:
            return session_info(self._session(s, name, session_id))

    def landmarks(self, name: str, session_id: int) -> bytes | None:
        with self.transaction() as s:
            return self._session(s, name, session_id).landmarks_npz

    # corrections -----------------------------------------------------------------------------
    def correct_session(
        self,
        name: str,
        session_id: int,
        corrected: NewSession,
        reason: str = "",
        at: dt.datetime | None = None,
    ) -> list[CorrectionInfo]:
        """Replace a session's editable fields with ``corrected``; audit each changed field."""
        corrected.to_record()
        with self.transaction() as s:
            self.consented_row(s, name)
            row = self._session(s, name, session_id)
            return apply_correction(s, row, corrected, reason, at or utc_now())

    def corrections(self, name: str) -> list[CorrectionInfo]:
        with self.transaction() as s:
            rows = s.scalars(
                select(Correction)
                .where(Correction.profile_id == self.profile_row(s, name).id)
                .order_by(Correction.corrected_at, Correction.id)
            )
            return [
                CorrectionInfo(
                    r.session_id, r.corrected_at, r.field, r.old_value, r.new_value, r.reason
                )
                for r in rows
            ]

    # erasure ---------------------------------------------------------------------------------
    def files_lock(self) -> AbstractContextManager[None]:
        """Held while kept files move (import, erasure), so two commands never interleave."""
        return exclusive_lock(self.files_dir / ".lock")

    def has_data(self, name: str) -> bool:
        """A profile row, or kept files an interrupted erasure or import left behind."""
        return self.has_profile(name) or self.profile_dir(name).exists()

    def forget(self, name: str) -> dict[str, Any]:
        """Delete the profile, every row that belongs to it, and its folder of kept files.

        Files go first, then the rows (one transaction), then the SQLite file is rebuilt so no
        deleted page stays readable in it. A crash at any point leaves something ``forget`` finds
        again, and running it again finishes the job.
        """
        with self.files_lock():
            clear_staging(self.files_dir)
            with self.transaction() as s:
                found = s.scalar(select(Profile.id).where(Profile.name == name)) is not None
            folder = self.profile_dir(name)
            if not found and not folder.exists():
                raise no_profile_error(name)
            if folder.exists():
                shutil.rmtree(folder)
            counts = {"sessions": 0, "screenings": 0, "baselines": 0, "corrections": 0}
            counts["consents"] = 0
            if found:
                counts = self._delete_rows(name)
        vacuum(self.engine)
        counts["files_deleted"] = not folder.exists()
        return counts

    def _delete_rows(self, name: str) -> dict[str, Any]:
        with self.transaction() as s:
            profile = self.profile_row(s, name)
            counts: dict[str, Any] = {
                "sessions": len(profile.sessions),
                "screenings": len(profile.screenings),
                "baselines": len(profile.baselines),
                "corrections": len(profile.corrections),
                "consents": len(profile.consents),
            }
            s.delete(profile)
        return counts
