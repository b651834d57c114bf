"""The database tables, as typed SQLAlchemy 2 ORM classes.

Times are naive UTC datetimes (SQLite keeps no zone); calendar dates (``performed_on``) are dates in
the person's own time zone. Deleting a profile cascades to every row that belongs to it. Alembic
migrations in ``migrations/versions`` create exactly these tables (a test compares them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _profile_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)


class Profile(Base):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    training_days: Mapped[str] = mapped_column(String(32))  # "mon,wed,fri"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    screenings: Mapped[list[Screening]] = relationship(cascade="all, delete-orphan")
    baselines: Mapped[list[Baseline]] = relationship(cascade="all, delete-orphan")
    sessions: Mapped[list[TrainingSession]] = relationship(cascade="all, delete-orphan")
    corrections: Mapped[list[Correction]] = relationship(cascade="all, delete-orphan")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan")


class Consent(Base):
    """The person agreed to the privacy policy ``policy_version`` at ``given_at``.

    Withdrawing consent erases the profile, so these rows go with it (there is no "withdrawn" row).
    """

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    given_at: Mapped[dt.datetime] = mapped_column(DateTime)
    policy_version: Mapped[str] = mapped_column(String(16))


class Screening(Base):
    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16))
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Baseline(Base):
    """A max-clean-reps test at one rung, and the rung it placed the person on."""

    __tablename__ = "baselines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    taken_on: Mapped[dt.date] = mapped_column(Date)
    tested_rung: Mapped[str] = mapped_column(String(16))
    clean_reps: Mapped[int] = mapped_column(Integer)
    placed_rung: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))  # analysis | manual
    reason: Mapped[str] = mapped_column(Text)


class TrainingSession(Base):
    """One workout; ``report`` is ``SessionReport.to_dict()`` when it came from an analysis."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    performed_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(16))  # analysis | manual
    rung: Mapped[str] = mapped_column(String(16))
    rep_count: Mapped[int] = mapped_column(Integer)
    clean_rep_count: Mapped[int] = mapped_column(Integer)
    form_score: Mapped[float | None] = mapped_column(nullable=True)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    landmarks_npz: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    video_file: Mapped[str | None] = mapped_column(String(255), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    sets: Mapped[list[SetRow]] = relationship(
        cascade="all, delete-orphan", order_by="SetRow.position"
    )
    checkin: Mapped[CheckInRow | None] = relationship(cascade="all, delete-orphan")


class SetRow(Base):
    __tablename__ = "sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 1-based set number
    rep_count: Mapped[int] = mapped_column(Integer)
    clean_reps: Mapped[int] = mapped_column(Integer)


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    rpe: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pain: Mapped[int] = mapped_column(Integer)
    pain_location: Mapped[str] = mapped_column(String(16))
    pain_kind: Mapped[str] = mapped_column(String(16))
    # warning signs during exercise, sorted values joined by commas ("" for none)
    symptoms: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # a professional cleared the person after this check-in: it no longer holds the plan paused
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Correction(Base):
    """Audit trail: one row per corrected field of a logged session (old and new as text)."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True
    )
    corrected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")


class Job(Base):
    """An analysis of an uploaded video run outside the web request (``storage.jobs``).

    ``owner`` is a profile name but not a foreign key: a person may analyse a video before they
    agree to anything being stored in their history. Erasing a profile deletes its jobs too.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # one job per submitted form
    # queued | running | done | failed; indexed: runners look for queued jobs
    status: Mapped[str] = mapped_column(String(16), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as the person named it, for display
    upload_path: Mapped[str | None] = mapped_column(Text, nullable=True)  # until analysed
    keep_video: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    stage: Mapped[str] = mapped_column(String(32), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # once saved
    # the queue (storage.queue): who runs it, under which claim, alive when last heard of
    claim: Mapped[str | None] = mapped_column(String(32), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the variation the person said they did, or their plan's (None: the camera decides); the
    # analysis checks it against what the camera sees and uses it where the camera cannot tell
    variation: Mapped[str | None] = mapped_column(String(16), nullable=True)


class Account(Base):
    """A login of ``serve --accounts``: its ``name`` is the profile whose data it may see.

    Not a foreign key to profiles: a person signs up before they agree to anything being stored.
    Erasing the profile deletes the account and its sign-ins too (``app.data.forget``).
    """

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, with its parameters and salt
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    logins: Mapped[list[Login]] = relationship(cascade="all, delete-orphan")


class Login(Base):
    """A signed-in browser: the SHA-256 of its session cookie (never the cookie itself), and the
    CSRF token its forms carry."""

    __tablename__ = "logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
