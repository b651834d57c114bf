"""The jobs table as a work queue shared by any number of runner processes (``web.jobs``).

A runner *claims* a job: it becomes ``running`` with a fresh ``claim`` token, the runner's name
(``claimed_by``) and ``heartbeat_at``. While it works, the runner renews ``heartbeat_at``; a job
whose heartbeat is older than the lease (its runner was killed, or its machine lost) may be claimed
again by another runner, with a new token. Every later write of the old runner (progress, finish,
release) is conditional on its token, so it changes nothing: a job is never lost and never
finished twice.

PostgreSQL picks the job with ``SELECT ... FOR UPDATE SKIP LOCKED``: concurrent claims skip each
other's rows instead of waiting. SQLite's transactions here start with ``BEGIN IMMEDIATE``
(``storage.engine``), so a claim (select, then update) runs alone. Either way the update is also
conditional on the claim seen, so a lost race claims nothing rather than the same job twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, Update, func, or_, select, update
from sqlalchemy.orm import Session

from pushup_coach.storage.jobs import JobStatus
from pushup_coach.storage.models import Job
from pushup_coach.storage.store import Store, utc_now


def _changed(s: Session, statement: Update) -> int:
    """How many rows an UPDATE changed."""
    result = s.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


@dataclass(frozen=True)
class Claim:
    """``job_id`` is ours to work on while ``token`` is the job's claim."""

    job_id: int
    token: str
    attempt: int


def _claimable(lease_s: float) -> Any:
    stale = utc_now() - dt.timedelta(seconds=lease_s)
    running = Job.status == JobStatus.RUNNING.value
    expired = or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < stale)
    return or_(Job.status == JobStatus.QUEUED.value, running & expired)


def claim_job(store: Store, worker: str, lease_s: float, job_id: int | None = None) -> Claim | None:
    """Claim the oldest claimable job (or ``job_id`` when given, if claimable); None if none."""
    with store.transaction() as s:
        query = select(Job.id, Job.claim, Job.attempts).where(_claimable(lease_s))
        if job_id is not None:
            query = query.where(Job.id == job_id)
        row = s.execute(query.order_by(Job.id).limit(1).with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        return _take(s, row.id, row.claim, row.attempts, worker)


def _take(s: Session, job_id: int, seen: str | None, attempts: int, worker: str) -> Claim | None:
    token = secrets.token_hex(16)
    same = Job.claim.is_(None) if seen is None else Job.claim == seen
    now = utc_now()
    taken = _changed(
        s,
        update(Job)
        .where(Job.id == job_id, same)
        .values(
            status=JobStatus.RUNNING.value,
            claim=token,
            claimed_by=worker[:64],
            heartbeat_at=now,
            started_at=now,
            attempts=attempts + 1,
            error=None,
            stage="",
            done=0,
            total=0,
        ),
    )
    return Claim(job_id, token, attempts + 1) if taken == 1 else None


def write_claimed(store: Store, claim: Claim, **values: Any) -> bool:
    """Set columns of the job if ``claim`` still holds it (and renew its heartbeat); False when
    another runner has claimed it since (our lease expired): then nothing was written."""
    if isinstance(values.get("status"), JobStatus):
        values["status"] = values["status"].value
    with store.transaction() as s:
        done = _changed(
            s,
            update(Job)
            .where(Job.id == claim.job_id, Job.claim == claim.token)
            .values(heartbeat_at=utc_now(), **values),
        )
        return done == 1


def heartbeat(store: Store, claim: Claim) -> bool:
    """Renew the lease; False when the job is no longer ours (or was deleted)."""
    return write_claimed(store, claim)


def finish_claimed(store: Store, claim: Claim, **values: Any) -> bool:
    """End the job (done or failed, with ``values``) if still ours and running; True once only."""
    if isinstance(values.get("status"), JobStatus):
        values["status"] = values["status"].value
    with store.transaction() as s:
        done = _changed(
            s,
            update(Job)
            .where(
                Job.id == claim.job_id,
                Job.claim == claim.token,
                Job.status == JobStatus.RUNNING.value,
            )
            .values(claim=None, heartbeat_at=None, **values),
        )
        return done == 1


def release_claimed(store: Store, claim: Claim) -> bool:
    """Give the job back to the queue (the runner stops): queued again, for anyone to claim."""
    return finish_claimed(
        store, claim, status=JobStatus.QUEUED, stage="", done=0, total=0, claimed_by=None
    )


def queued_count(store: Store) -> int:
    """How many jobs wait for a runner (the web app refuses uploads beyond a limit)."""
    with store.transaction() as s:
        count = s.scalar(
            select(func.count()).select_from(Job).where(Job.status == JobStatus.QUEUED.value)
        )
        return int(count or 0)


def open_jobs(store: Store) -> int:
    """Jobs queued or running (whoever runs them)."""
    open_ = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]
    with store.transaction() as s:
        count = s.scalar(select(func.count()).select_from(Job).where(Job.status.in_(open_)))
        return int(count or 0)
