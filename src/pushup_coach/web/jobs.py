"""Running analyses outside the web request: runner threads that work the jobs table as a queue.

The database holds each job's state (``storage.jobs``) and is the queue (``storage.queue``): a
runner thread claims the oldest queued job under a lease, renews the lease from a heartbeat thread
while it works, and ends the job with a write conditional on its claim, so a job whose runner died
is claimed again once the lease runs out and is never finished twice. The runner is embedded in
``serve`` by default (one person, one process); ``pushup-coach worker`` runs the same runner in
processes of its own, beside ``serve --no-workers`` (``settings.queue_only``) web processes.

A job goes through pose (with the landmark cache), the HTML report, the overlay video, then
``done`` with the report, or ``failed`` with the reason. The upload is deleted when the job ends,
unless the person kept it (it then moves into the job's folder). Progress is written every 1/20th
of each stage, so pages that poll ``/jobs/<id>.json`` see it move without a write per frame.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from pushup_coach.analysis import Analysis
from pushup_coach.app.analyse import analyse_path, landmarks_npz
from pushup_coach.errors import CoachError, NotFoundError
from pushup_coach.storage import Store
from pushup_coach.storage.jobs import INTERRUPTED, JobInfo, JobStatus, load_job, recover_jobs
from pushup_coach.storage.queue import (
    Claim,
    claim_job,
    finish_claimed,
    heartbeat,
    queued_count,
    release_claimed,
    write_claimed,
)
from pushup_coach.storage.store import utc_now
from pushup_coach.types import Variation
from pushup_coach.web.settings import WebSettings

log = logging.getLogger(__name__)
PROGRESS_STEPS = 20
OVERLAY = "overlay.mp4"
REPORT = "report.html"
LANDMARKS = "landmarks.npz"
LEASE_S = 60.0  # a runner not heard of for this long has lost its job to another runner
POLL_S = 1.0  # how often an idle runner looks for jobs queued by other processes
JOIN_TIMEOUT_S = 600.0
RETRY_AFTER_S = 30  # what a full queue tells the client to wait


class Interrupted(BaseException):
    """Raised inside a running analysis when the runner stops, so the thread ends now."""


class LeaseLost(Interrupted):
    """Our lease ran out and another runner claimed the job: stop, and write nothing more."""


class _Progress:
    """Writes (stage, done, total) to the job row at most PROGRESS_STEPS times per stage, and
    ends the analysis (:class:`Interrupted`) once ``stopping`` is set or the claim is lost."""

    def __init__(self, runner: JobRunner, claim: Claim, stage: str) -> None:
        self.runner, self.claim = runner, claim
        self.last = -1
        self.write(stage=stage, done=0, total=0)

    def write(self, **values: Any) -> None:
        if not write_claimed(self.runner.store, self.claim, **values):
            raise LeaseLost

    def __call__(self, done: int, total: int) -> None:
        if self.runner.stopping.is_set():
            raise Interrupted
        if self.claim.token in self.runner.lost:
            raise LeaseLost
        step = max(1, total // PROGRESS_STEPS)
        if done - self.last >= step or done == total:
            self.last = done
            self.write(done=done, total=total)


class JobRunner:
    """``settings.job_workers`` threads claiming jobs from the database; :meth:`join` waits until
    nothing is queued or running here (tests). ``recover`` (the embedded runner) first requeues
    what a stopped server left (``recover_jobs``); a separate worker relies on leases instead."""

    def __init__(
        self,
        store: Store,
        settings: WebSettings,
        *,
        recover: bool = True,
        lease_s: float = LEASE_S,
        name: str | None = None,
    ) -> None:
        self.store, self.settings, self.recover, self.lease_s = store, settings, recover, lease_s
        self.name = name or f"{socket.gethostname()}/{os.getpid()}"
        self.stopping, self.wake = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.busy = 0  # threads claiming or working a job
        self.active: dict[str, Claim] = {}
        self.lost: set[str] = set()  # tokens whose lease another runner took over
        self.threads: list[threading.Thread] = []

    def start(self) -> list[int]:
        """Recover (embedded runner) what a stopped server left, then start the threads."""
        if self.settings.queue_only:
            return []  # separate `pushup-coach worker` processes run the jobs
        requeued = recover_jobs(self.store) if self.recover else []
        if self.settings.run_jobs:
            loops = [self._loop] * self.settings.job_workers
            for i, target in enumerate([*loops, self._beat]):
                thread = threading.Thread(target=target, name=f"analysis-{i}", daemon=True)
                thread.start()
                self.threads.append(thread)
        return requeued

    def submit(self, job_id: int) -> None:
        """A job was queued (it is in the database already): wake an idle thread."""
        self.wake.set()

    def join(self, timeout_s: float = JOIN_TIMEOUT_S) -> None:
        if self.settings.queue_only or not self.threads:
            return
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self.lock:
                idle = self.busy == 0
            if idle and queued_count(self.store) == 0:
                with self.lock:
                    if self.busy == 0:
                        return
            time.sleep(0.02)

    def shutdown(self) -> None:
        """Stop: waiting jobs stay queued, a running one stops at its next frame and is queued
        again with its upload, so the next runner runs it (Ctrl+C does not wait for a long
        analysis to end)."""
        self.stopping.set()
        self.wake.set()
        for thread in self.threads:
            thread.join()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            with self.lock:
                self.busy += 1
            try:
                claim = claim_job(self.store, self.name, self.lease_s)
                if claim is not None:
                    self._work(claim)
            except CoachError as exc:  # the database is away: try again after a pause
                log.warning("the job queue is unreachable: %s", exc)
                claim = None
            except Exception:  # a bug must not end this thread: the lease hands the job on
                log.exception("the job runner failed")
                claim = None
            finally:
                with self.lock:
                    self.busy -= 1
            if claim is None:
                self.wake.wait(POLL_S)
                self.wake.clear()

    def _beat(self) -> None:
        """Renew the lease of every job running here; note those another runner took over."""
        while not self.stopping.wait(self.lease_s / 4):
            with self.lock:
                claims = list(self.active.values())
            for claim in claims:
                try:
                    if not heartbeat(self.store, claim):
                        self.lost.add(claim.token)
                except CoachError as exc:
                    log.warning("heartbeat of analysis %s failed: %s", claim.job_id, exc)

    def run(self, job_id: int) -> None:
        """Claim the job ``job_id`` (if it is waiting) and run it on this thread."""
        claim = claim_job(self.store, self.name, self.lease_s, job_id)
        if claim is not None:
            self._work(claim)

    def _work(self, claim: Claim) -> None:
        with self.lock:
            self.active[claim.token] = claim
        try:
            self._run_claimed(claim)
        finally:
            with self.lock:
                self.active.pop(claim.token, None)
            self.lost.discard(claim.token)

    def folder(self, job_id: int) -> Path:
        return self.settings.jobs_dir / str(job_id)

    def _run_claimed(self, claim: Claim) -> None:
        try:
            job = load_job(self.store, claim.job_id)
        except NotFoundError:  # erased while it waited
            return
        upload = Path(job.upload_path or "")
        if not upload.is_file():  # a server or worker stopped for good after it was received
            self._finish(claim, upload, False, error=INTERRUPTED)
            return
        try:
            report = self._analyse(claim, upload, job)
        except LeaseLost:
            log.warning("analysis %s was taken over by another runner", claim.job_id)
            return
        except Interrupted:
            release_claimed(self.store, claim)
            return
        except CoachError as exc:
            self._finish(claim, upload, job.keep_video, error=str(exc))
        except Exception as exc:  # a bug must not leave the job running for ever
            log.exception("analysis %s failed", claim.job_id)
            self._finish(claim, upload, job.keep_video, error=f"the analysis failed: {exc!r}")
        else:
            self._finish(claim, upload, job.keep_video, report=report)

    def _analyse(self, claim: Claim, upload: Path, job: JobInfo) -> dict[str, Any]:
        s = self.settings
        analysis = analyse_path(
            upload,
            s.config,
            on_progress=_Progress(self, claim, "posing"),
            cache_dir=s.cache_dir,
            backend_factory=s.backend_factory,
            backend_name=s.backend_name,
            expected_variation=None if job.variation is None else Variation(job.variation),
        )
        folder = self.folder(claim.job_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LANDMARKS).write_bytes(landmarks_npz(analysis))
        self._report_html(analysis, folder / REPORT)
        self._overlay(claim, analysis, upload, folder / OVERLAY)
        report = analysis.report.to_dict()
        report["source"]["path"] = job.filename  # the person's name for it, not the upload's
        return report

    def _report_html(self, analysis: Analysis, path: Path) -> None:
        from pushup_coach.report.html import write_html

        write_html(analysis.report, path, analysis.features, config=self.settings.config)

    def _overlay(self, claim: Claim, analysis: Analysis, upload: Path, path: Path) -> None:
        from pushup_coach.report.video import write_overlay_video
        from pushup_coach.video.source import VideoFile

        total = analysis.report.source.n_frames or len(analysis.series)
        progress = _Progress(self, claim, "drawing")
        partial = path.with_suffix(f".{claim.token}.partial.mp4")
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
        claim: Claim,
        upload: Path,
        keep: bool,
        *,
        report: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """End the job if it is still ours (a write conditional on the claim), then deal with
        the upload; if another runner took it over, its files are left to that runner."""
        kept = None
        if keep and upload.is_file():
            kept = self.folder(claim.job_id) / f"video{upload.suffix}"
        ended = finish_claimed(
            self.store,
            claim,
            status=JobStatus.FAILED if error else JobStatus.DONE,
            report=report,
            error=error,
            finished_at=utc_now(),
            upload_path=str(kept) if kept else None,
            stage="",
        )
        if not ended:
            log.warning("analysis %s was finished by another runner", claim.job_id)
            return
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(upload, kept)
        upload.unlink(missing_ok=True)


def queue_full(request: Request, store: Store, settings: WebSettings) -> Response | None:
    """A 503 "busy, try again" with Retry-After when ``settings.max_queued_jobs`` jobs already
    wait (the upload is refused before it is read), else None."""
    if queued_count(store) < settings.max_queued_jobs:
        return None
    from pushup_coach.web.pages import page, wants_json

    message = (
        f"the server is busy: {settings.max_queued_jobs} analyses are waiting; "
        f"try again in {RETRY_AFTER_S} seconds"
    )
    if wants_json(request):
        response: Response = JSONResponse({"error": message}, status_code=503)
    else:
        response = page(request, "error.html", {"message": message, "status": 503}, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
