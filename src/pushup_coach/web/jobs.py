"""Running analyses outside the web request: a small pool of worker threads over the jobs table.

The database holds each job's state (``storage.jobs``); this module only moves it along: pose
(with the landmark cache), the HTML report, the overlay video, then ``done`` with the report, or
``failed`` with the reason. The upload is deleted when the job ends, unless the person kept it
(it then moves into the job's folder). Progress is written every 1/20th of each stage, so pages
that poll ``/jobs/<id>.json`` see it move without a write per frame.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from pushup_coach.analysis import Analysis
from pushup_coach.app.analyse import analyse_path, landmarks_npz
from pushup_coach.errors import CoachError, NotFoundError
from pushup_coach.storage import Store
from pushup_coach.storage.jobs import JobStatus, load_job, recover_jobs, update_job
from pushup_coach.storage.store import utc_now
from pushup_coach.web.settings import WebSettings

log = logging.getLogger(__name__)
PROGRESS_STEPS = 20
OVERLAY = "overlay.mp4"
REPORT = "report.html"
LANDMARKS = "landmarks.npz"


class Interrupted(BaseException):
    """Raised inside a running analysis when the server stops, so the thread ends now."""


class _Progress:
    """Writes (stage, done, total) to the job row at most PROGRESS_STEPS times per stage, and
    ends the analysis (:class:`Interrupted`) once ``stopping`` is set."""

    def __init__(self, runner: JobRunner, job_id: int, stage: str) -> None:
        self.store, self.stopping, self.job_id = runner.store, runner.stopping, job_id
        self.last = -1
        update_job(self.store, job_id, stage=stage, done=0, total=0)

    def __call__(self, done: int, total: int) -> None:
        if self.stopping.is_set():
            raise Interrupted
        step = max(1, total // PROGRESS_STEPS)
        if done - self.last >= step or done == total:
            self.last = done
            update_job(self.store, self.job_id, done=done, total=total)


class JobRunner:
    """Runs queued jobs on ``settings.job_workers`` threads; :meth:`join` waits (tests)."""

    def __init__(self, store: Store, settings: WebSettings) -> None:
        self.store, self.settings = store, settings
        self.pool = ThreadPoolExecutor(settings.job_workers, thread_name_prefix="analysis")
        self.futures: list[Future[None]] = []
        self.stopping = threading.Event()

    def start(self) -> list[int]:
        """Recover what a stopped server left (see ``recover_jobs``) and run it again."""
        requeued = recover_jobs(self.store)
        if self.settings.run_jobs:
            for job_id in requeued:
                self.submit(job_id)
        return requeued

    def submit(self, job_id: int) -> None:
        if self.settings.run_jobs:
            self.futures.append(self.pool.submit(self.run, job_id))

    def join(self) -> None:
        wait(self.futures)

    def shutdown(self) -> None:
        """Stop: waiting jobs stay queued, a running one stops at its next frame and is queued
        again with its upload, so the next :meth:`start` runs them (Ctrl+C does not wait for a
        long analysis to end)."""
        self.stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def folder(self, job_id: int) -> Path:
        return self.settings.jobs_dir / str(job_id)

    def run(self, job_id: int) -> None:
        try:
            job = load_job(self.store, job_id)
        except NotFoundError:  # erased while it waited
            return
        upload = Path(job.upload_path or "")
        update_job(self.store, job_id, status=JobStatus.RUNNING, started_at=utc_now(), error=None)
        try:
            report = self._analyse(job_id, upload, job.filename)
        except Interrupted:
            update_job(self.store, job_id, status=JobStatus.QUEUED, stage="", done=0, total=0)
            return
        except CoachError as exc:
            self._finish(job_id, upload, job.keep_video, error=str(exc))
        except Exception as exc:  # a bug must not leave the job running for ever
            log.exception("analysis %s failed", job_id)
            self._finish(job_id, upload, job.keep_video, error=f"the analysis failed: {exc!r}")
        else:
            self._finish(job_id, upload, job.keep_video, report=report)

    def _analyse(self, job_id: int, upload: Path, filename: str) -> dict[str, Any]:
        s = self.settings
        analysis = analyse_path(
            upload,
            s.config,
            on_progress=_Progress(self, job_id, "posing"),
            cache_dir=s.cache_dir,
            backend_factory=s.backend_factory,
            backend_name=s.backend_name,
        )
        folder = self.folder(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LANDMARKS).write_bytes(landmarks_npz(analysis))
        self._report_html(analysis, folder / REPORT)
        self._overlay(job_id, analysis, upload, folder / OVERLAY)
        report = analysis.report.to_dict()
        report["source"]["path"] = filename  # the person's name for it, not the upload's
        return report

    def _report_html(self, analysis: Analysis, path: Path) -> None:
        from pushup_coach.report.html import write_html

        write_html(analysis.report, path, analysis.features, config=self.settings.config)

    def _overlay(self, job_id: int, analysis: Analysis, upload: Path, path: Path) -> None:
        from pushup_coach.report.video import write_overlay_video
        from pushup_coach.video.source import VideoFile

        total = analysis.report.source.n_frames or len(analysis.series)
        progress = _Progress(self, job_id, "drawing")
        partial = path.with_suffix(".partial.mp4")
        with VideoFile(upload) as video:
            write_overlay_video(
                video.frames(),
                analysis.smoothed,
                analysis.features,
                analysis.report,
                partial,
                config=self.settings.config,
                on_frame=lambda done: progress(done, total),
            )
        os.replace(partial, path)

    def _finish(
        self,
        job_id: int,
        upload: Path,
        keep: bool,
        *,
        report: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        kept = None
        if keep and upload.is_file():
            folder = self.folder(job_id)
            folder.mkdir(parents=True, exist_ok=True)
            kept = folder / f"video{upload.suffix}"
            shutil.move(upload, kept)
        upload.unlink(missing_ok=True)
        status = JobStatus.FAILED if error else JobStatus.DONE
        update_job(
            self.store,
            job_id,
            status=status,
            report=report,
            error=error,
            finished_at=utc_now(),
            upload_path=str(kept) if kept else None,
            stage="",
        )
