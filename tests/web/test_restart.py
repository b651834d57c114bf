"""A job outlives the server: its state is in the database, so a restart runs a queued job again
and says why a job whose upload is gone failed; nothing is silently lost."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import REPS, make_settings

from pushup_coach.pose import ReplayBackend
from pushup_coach.storage import Store
from pushup_coach.storage.jobs import INTERRUPTED, JobStatus, add_job, get_job, update_job
from pushup_coach.types import FloatArray, Frame, PoseSeries
from pushup_coach.web.app import create_app
from pushup_coach.web.jobs import JobRunner

JSON = {"accept": "application/json"}


@pytest.mark.parametrize("left_as", [JobStatus.QUEUED, JobStatus.RUNNING])  # RUNNING: kill -9
def test_a_job_the_server_left_unfinished_runs_after_a_restart(
    tmp_path: Path, series: PoseSeries, clip: Path, left_as: JobStatus
) -> None:
    stopped = make_settings(tmp_path, series, run_jobs=False)
    with TestClient(create_app(stopped)) as client:
        files = {"video": ("set.mp4", clip.read_bytes(), "video/mp4")}
        job_id = client.post("/upload", files=files, headers=JSON).json()["job"]
        assert client.get(f"/jobs/{job_id}.json").json()["status"] == "queued"
    with Store.open(stopped.db_url) as store:
        update_job(store, job_id, status=left_as, stage="posing", done=40, total=151)
    with TestClient(create_app(make_settings(tmp_path, series))) as client:
        client.app.state.runner.join()  # type: ignore[attr-defined]
        job = client.get(f"/jobs/{job_id}.json").json()
        assert job["status"] == "done"
        assert job["report"]["rep_count"] == REPS
        assert f'<a href="/jobs/{job_id}">{job_id}</a></td><td>set.mp4</td>' in (
            client.get("/jobs").text
        )
    assert list(stopped.uploads_dir.iterdir()) == []


def test_a_running_job_whose_upload_is_gone_is_failed_with_the_reason(
    tmp_path: Path, series: PoseSeries
) -> None:
    settings = make_settings(tmp_path, series, run_jobs=False)
    with Store.open(settings.db_url) as store:  # as a server killed mid-analysis left it
        job, _ = add_job(store, "default", "t", "set.mp4", tmp_path / "gone.mp4", False)
        update_job(store, job.id, status=JobStatus.RUNNING, stage="posing", done=40, total=151)
    with TestClient(create_app(settings)) as client:
        shown = client.get(f"/jobs/{job.id}.json").json()
        assert (shown["status"], shown["error"]) == ("failed", INTERRUPTED)
        assert INTERRUPTED in client.get(f"/jobs/{job.id}").text


def test_stopping_the_server_mid_analysis_queues_the_job_again(
    tmp_path: Path, series: PoseSeries, clip: Path
) -> None:
    """Ctrl+C does not wait for a long analysis: it stops at the next frame, and the job is queued
    again with its upload, to run when the server starts again."""
    runners: list[JobRunner] = []

    class StopsTheServer(ReplayBackend):
        def estimate(self, frame: Frame) -> FloatArray | None:
            if frame.index >= 20:
                runners[0].stopping.set()  # as shutdown() does, from another thread
            return super().estimate(frame)

    settings = make_settings(
        tmp_path, series, backend_factory=functools.partial(StopsTheServer, series)
    )
    settings.uploads_dir.mkdir(parents=True)
    upload = Path(shutil.copy(clip, settings.uploads_dir / "set.mp4"))
    with Store.open(settings.db_url) as store:
        job, _ = add_job(store, "default", "t", "set.mp4", upload, False)
        runners.append(JobRunner(store, settings))
        runners[0].run(job.id)
        stopped = get_job(store, "default", job.id)
        assert (stopped.status, stopped.error, upload.is_file()) == (JobStatus.QUEUED, None, True)
        again = JobRunner(store, make_settings(tmp_path, series))
        assert again.start() == [job.id]
        again.join()
        assert get_job(store, "default", job.id).status == JobStatus.DONE
        assert not upload.exists()
