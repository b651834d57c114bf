"""Analysis jobs of the web app: their state lives in the database, not in a process.

A job is ``queued`` when its upload is on disk, ``running`` while analysed, then ``done`` (with the
report) or ``failed`` (with a reason a person can act on). Because the state is here, a reload, a
closed tab or a restarted server finds every job again; :func:`recover_jobs` decides what happens
to jobs a stopped server left ``queued`` or ``running``. Every job belongs to one ``owner``
(profile name), and every read here is by owner, so one person never sees another's jobs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from pushup_coach.errors import NotFoundError, StorageError
from pushup_coach.storage.models import Job
from pushup_coach.storage.store import Store, utc_now
from pushup_coach.types import Variation

INTERRUPTED = "the server stopped during the analysis, and the upload was no longer there"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobInfo:
    """One job as the pages show it; ``report`` is ``SessionReport.to_dict()`` once done."""

    id: int
    owner: str
    status: JobStatus
    filename: str
    keep_video: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
    stage: str
    done: int
    total: int
    error: str | None
    report: dict[str, Any] | None
    session_id: int | None
    upload_path: str | None
    variation: str | None = None  # said or planned (analyse_path's expected_variation)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def to_dict(self) -> dict[str, Any]:
        """The JSON twin of the job page (the upload's path on disk is not shown)."""
        return {
            "id": self.id,
            "status": self.status.value,
            "filename": self.filename,
            "keep_video": self.keep_video,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "session_id": self.session_id,
            "variation": self.variation,
            "report": self.report,
        }


def _info(row: Job) -> JobInfo:
    return JobInfo(
        row.id,
        row.owner,
        JobStatus(row.status),
        row.filename,
        row.keep_video,
        row.created_at,
        row.finished_at,
        row.stage,
        row.done,
        row.total,
        row.error,
        row.report,
        row.session_id,
        row.upload_path,
        row.variation,
    )


def add_job(
    store: Store,
    owner: str,
    token: str,
    filename: str,
    upload: Path,
    keep_video: bool,
    variation: Variation | None = None,
) -> tuple[JobInfo, bool]:
    """A queued job for ``upload``; (job, True) when new, (the existing job, False) when the same
    form ``token`` was already submitted (a double submit makes one job). ``variation``: what
    the person said they did, or their plan's; None lets the camera decide."""
    row = Job(
        owner=owner,
        token=token,
        status=JobStatus.QUEUED.value,
        filename=filename[:255],
        upload_path=str(upload),
        keep_video=keep_video,
        variation=None if variation is None else variation.value,
        created_at=utc_now(),
        stage="",
        done=0,
        total=0,
    )
    try:
        with store.transaction() as s:
            s.add(row)
        return _info(row), True
    except StorageError as exc:
        if not isinstance(exc.__cause__, IntegrityError):
            raise
    with store.transaction() as s:
        existing = s.scalar(select(Job).where(Job.token == token, Job.owner == owner))
        if existing is None:
            raise NotFoundError("that upload form was already used; reload the upload page")
        return _info(existing), False


def get_job(store: Store, owner: str, job_id: int) -> JobInfo:
    """The job ``job_id`` of ``owner``; NotFoundError for a missing job or another owner's."""
    with store.transaction() as s:
        row = s.get(Job, job_id)
        if row is None or row.owner != owner:
            raise NotFoundError(f"there is no analysis {job_id}; see the list of analyses")
        return _info(row)


def load_job(store: Store, job_id: int) -> JobInfo:
    """The job ``job_id`` whoever owns it (for the runner, never for a page)."""
    with store.transaction() as s:
        row = s.get(Job, job_id)
        if row is None:
            raise NotFoundError(f"there is no analysis {job_id}")
        return _info(row)


def list_jobs(store: Store, owner: str) -> list[JobInfo]:
    """Every job of ``owner``, newest first."""
    with store.transaction() as s:
        rows = s.scalars(select(Job).where(Job.owner == owner).order_by(Job.id.desc()))
        return [_info(r) for r in rows]


def update_job(store: Store, job_id: int, **values: Any) -> None:
    """Set columns of one job (status as a :class:`JobStatus` or its value)."""
    if isinstance(values.get("status"), JobStatus):
        values["status"] = values["status"].value
    with store.transaction() as s:
        s.execute(update(Job).where(Job.id == job_id).values(**values))


def delete_job(store: Store, owner: str, job_id: int) -> None:
    get_job(store, owner, job_id)  # a NotFoundError for another owner's job
    with store.transaction() as s:
        s.execute(delete(Job).where(Job.id == job_id))


def delete_jobs(store: Store, owner: str) -> list[int]:
    """Delete every job of ``owner`` (erasure); returns their ids so their files can go too."""
    with store.transaction() as s:
        ids = list(s.scalars(select(Job.id).where(Job.owner == owner)))
        s.execute(delete(Job).where(Job.owner == owner))
    return ids


def recover_jobs(store: Store) -> list[int]:
    """After a (re)start: jobs left ``running`` or ``queued`` whose upload is still on disk are
    queued again and returned, to be run; those whose upload is gone are marked failed with the
    reason. Nothing is left in between."""
    requeue: list[int] = []
    with store.transaction() as s:
        open_ = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]
        for row in s.scalars(select(Job).where(Job.status.in_(open_)).order_by(Job.id)):
            if row.upload_path and Path(row.upload_path).is_file():
                row.status, row.stage, row.done = JobStatus.QUEUED.value, "", 0
                requeue.append(row.id)
            else:
                row.status, row.error = JobStatus.FAILED.value, INTERRUPTED
                row.finished_at, row.upload_path = utc_now(), None
    return requeue
