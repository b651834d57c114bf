"""Storing sessions: an analysed video, a session logged by hand, a check-in, a correction.

Each goes through :func:`pushup_coach.storage.policy.check_may_store_sessions` (consent, a
screening, no uncleared red flag) before anything is written or any slow work is started.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pushup_coach.app.coaching import next_step, today_in
from pushup_coach.coach.history import CheckIn, PainKind, PainLocation
from pushup_coach.coach.ladder import Rung, variation_of
from pushup_coach.coach.progression import Decision
from pushup_coach.errors import ConfigError
from pushup_coach.storage import CorrectionInfo, NewSession, Store
from pushup_coach.storage.analysis import store_analysis
from pushup_coach.storage.policy import check_may_store_sessions


def check_can_save(store: Store, profile: str) -> None:
    """Raise, storing nothing, unless ``profile`` may store sessions (the gate ``log`` uses)."""
    check_may_store_sessions(store, profile)


def planned_rung_seen(report: dict[str, Any], planned: Rung | None) -> Rung | None:
    """The plan's rung when the camera saw what that rung looks like (it cannot tell diamond
    from full, or a high from a low incline), else None: the variation seen decides."""
    if planned is not None and report.get("variation") == variation_of(planned).value:
        return planned
    return None


def save_report(
    store: Store,
    profile: str,
    report: dict[str, Any],
    landmarks: bytes | None,
    *,
    rung: Rung | None = None,
    video_path: Path | None = None,
    when: dt.datetime | None = None,
) -> int:
    """Save an analysis report (``SessionReport.to_dict()``) as a session; returns its id.

    ``rung`` overrides the variation the analysis saw; ``video_path`` keeps a copy of the video in
    the profile's folder (otherwise no video is stored).
    """
    return store_analysis(store, profile, report, landmarks, when, rung, video_path)


@dataclass(frozen=True)
class LoggedSession:
    """What the person did, as they report it (one count per set)."""

    on: dt.date
    rung: Rung | None  # None: the variation the plan says
    clean_reps: tuple[int, ...]
    all_reps: tuple[int, ...] | None  # None: every rep was clean
    note: str = ""


def log_session(
    store: Store, profile: str, logged: LoggedSession, checkin: CheckIn
) -> tuple[int, Decision]:
    """Store a session logged by hand with its check-in; returns its id and the next decision."""
    check_may_store_sessions(store, profile)
    today = today_in(store.get_profile(profile).timezone)
    if logged.on > today:
        raise ConfigError(f"date {logged.on} is in the future (today is {today})")
    rung = logged.rung or next_step(store, profile, logged.on)[0].next
    all_reps = logged.all_reps or logged.clean_reps
    new = NewSession(
        logged.on, "manual", rung, all_reps, logged.clean_reps, checkin, note=logged.note
    )
    session_id = store.add_session(profile, new)
    return session_id, next_step(store, profile, logged.on)[0]


def add_checkin(store: Store, profile: str, session_id: int, checkin: CheckIn) -> Decision:
    """Add how a saved session felt; returns the decision for the next session."""
    check_may_store_sessions(store, profile)
    store.set_checkin(profile, session_id, checkin)
    return next_step(store, profile, store.session(profile, session_id).performed_on)[0]


@dataclass(frozen=True)
class Correction:
    """New values for a logged session; None keeps the stored one."""

    on: dt.date | None = None
    rung: Rung | None = None
    clean_reps: tuple[int, ...] | None = None
    all_reps: tuple[int, ...] | None = None
    rpe: int | None = None
    pain: int | None = None
    location: PainLocation | None = None
    kind: PainKind | None = None
    note: str | None = None


def correct_session(
    store: Store, profile: str, session_id: int, change: Correction, reason: str = ""
) -> list[CorrectionInfo]:
    """Correct a session; every changed field is kept in the audit trail (returned)."""
    old = store.session(profile, session_id)
    today = today_in(store.get_profile(profile).timezone)
    if change.on is not None and change.on > today:
        raise ConfigError(f"date {change.on} is in the future (today is {today})")
    clean = change.clean_reps or old.clean_reps
    if change.all_reps is not None:
        all_reps = change.all_reps
    elif change.clean_reps is not None:  # keep the faulty reps recorded for each set still there
        olds = old.all_reps
        all_reps = tuple(max(c, olds[i]) if i < len(olds) else c for i, c in enumerate(clean))
    else:
        all_reps = old.all_reps
    new = dataclasses.replace(
        old.as_new(),
        performed_on=change.on or old.performed_on,
        rung=change.rung or old.rung,
        clean_reps=clean,
        all_reps=all_reps,
        checkin=_corrected_checkin(old.checkin, change),
        note=old.note if change.note is None else change.note,
    )
    return store.correct_session(profile, session_id, new, reason)


def _corrected_checkin(old: CheckIn | None, change: Correction) -> CheckIn | None:
    if all(v is None for v in (change.rpe, change.pain, change.location, change.kind)):
        return old
    base = old or CheckIn(0)
    pain = base.pain_0_10 if change.pain is None else change.pain
    if pain == 0:  # no pain: where and what kind no longer apply
        return CheckIn(0, change.rpe or base.rpe_1_10, symptoms=base.symptoms)
    location = change.location or base.location
    kind = change.kind or base.kind
    if location == PainLocation.NONE or kind == PainKind.NONE:
        raise ConfigError("with pain above 0, say where it hurt and what kind of pain it was")
    return CheckIn(
        pain,
        change.rpe or base.rpe_1_10,
        location,
        kind,
        symptoms=base.symptoms,  # warning signs are kept through a correction
    )


def history_rows(store: Store, profile: str) -> list[dict[str, Any]]:
    """The person's sessions, oldest first, as plain rows (``history --json`` and the web's
    history page): counts per set, form score, and how it felt, warning signs included."""
    sessions = store.sessions(profile) if store.has_profile(profile) else []
    return [
        {
            "id": s.id,
            "date": s.performed_on.isoformat(),
            "variation": s.rung.value,
            "clean_reps": list(s.clean_reps),
            "all_reps": list(s.all_reps),
            "form_score": s.form_score,
            "rpe": s.checkin.rpe_1_10 if s.checkin else None,
            "pain": s.checkin.pain_0_10 if s.checkin else None,
            "warning_signs": list(s.checkin.warning_signs) if s.checkin else [],
            "cleared": bool(s.checkin and s.checkin.cleared_at),
            "source": s.source,
        }
        for s in sessions
    ]
