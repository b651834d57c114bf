"""The jobs table as a queue shared by several runners (``storage.queue``, ``pushup-coach worker``),
on SQLite and on a real PostgreSQL (``SELECT ... FOR UPDATE SKIP LOCKED``): concurrent runners
never claim one job twice; a worker killed (or frozen) mid-job loses it to another once its lease
runs out, and the result is written once; a full queue answers 503 "busy, try again"."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from web_helpers import JSON, REPS, make_settings

from pushup_coach.storage import Store
from pushup_coach.storage.jobs import JobStatus, add_job, load_job
from pushup_coach.storage.models import Job
from pushup_coach.storage.queue import Claim, claim_job, finish_claimed, write_claimed
from pushup_coach.types import PoseSeries
from pushup_coach.web.app import create_app
from pushup_coach.web.jobs import JobRunner

PG_ENV = "PUSHUP_COACH_TEST_PG"
WORKER = Path(__file__).with_name("queue_worker.py")
LEASE_S = 1.0
POLL_S = 0.1
MAX_POLLS = 1200  # 120 s at POLL_S: bounded, never a timing assertion
MAX_READS = 60  # reads of a worker's stderr, each waiting at most 1 s


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is unset: run scripts/check.sh (it starts PostgreSQL) to include PG")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


def _queue(store: Store, n: int, upload: Path) -> list[int]:
    return [add_job(store, "default", f"t{i}", "set.mp4", upload, False)[0].id for i in range(n)]


def _claim_all(db_url: str, name: str, claims: list[Claim]) -> None:
    with Store.open(db_url) as store:  # a connection pool of its own, as a process has
        while (claim := claim_job(store, name, lease_s=3600)) is not None:
            claims.append(claim)
            assert finish_claimed(store, claim, status=JobStatus.DONE)


@pytest.mark.parametrize(("runners", "jobs"), [(2, 30), (4, 60)])
def test_concurrent_runners_never_claim_the_same_job(
    db_url: str, tmp_path: Path, runners: int, jobs: int
) -> None:
    with Store.open(db_url) as store:
        ids = _queue(store, jobs, tmp_path / "clip.mp4")
    claims: list[list[Claim]] = [[] for _ in range(runners)]
    threads = [
        threading.Thread(target=_claim_all, args=(db_url, f"runner{i}", claims[i]))
        for i in range(runners)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = sorted(c.job_id for mine in claims for c in mine)
    assert claimed == ids  # every job once: none twice, none left
    with Store.open(db_url) as store:
        assert {load_job(store, i).status for i in ids} == {JobStatus.DONE}


def test_only_the_newest_claim_may_write_or_finish(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url) as store:
        (job_id,) = _queue(store, 1, tmp_path / "clip.mp4")
        first = claim_job(store, "a", lease_s=3600)
        assert first is not None and claim_job(store, "b", lease_s=3600) is None  # leased
        second = claim_job(store, "b", lease_s=0)  # the lease ran out: b takes it over
        assert second is not None and second.attempt == 2
        assert not write_claimed(store, first, stage="posing")
        assert finish_claimed(store, second, status=JobStatus.DONE, report={"by": "b"})
        assert not finish_claimed(store, first, status=JobStatus.DONE, report={"by": "a"})
        assert not finish_claimed(store, second, status=JobStatus.FAILED)  # once only
        assert claim_job(store, "c", lease_s=0) is None  # a finished job is nobody's
        assert load_job(store, job_id).report == {"by": "b"}


def _worker(db_url: str, data_dir: Path, delay_s: float) -> subprocess.Popen[bytes]:
    args = [sys.executable, str(WORKER), db_url, str(data_dir), str(LEASE_S), str(delay_s)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _row(db_url: str, job_id: int) -> Job:
    with Store.open(db_url) as store, store.transaction() as s:
        row = s.get(Job, job_id)
        assert row is not None
        return row


def _poll(db_url: str, job_id: int, until: object) -> Job:
    for _ in range(MAX_POLLS):
        row = _row(db_url, job_id)
        if until(row):  # type: ignore[operator]
            return row
        time.sleep(POLL_S)
    raise AssertionError(f"job {job_id} never reached the state: {_row(db_url, job_id).status}")


def _says(proc: subprocess.Popen[bytes], words: bytes) -> bool:
    """Whether ``proc`` writes ``words`` on stderr (bounded: each read waits at most 1 s)."""
    assert proc.stderr is not None
    said = b""
    for _ in range(MAX_READS):
        ready, _, _ = select.select([proc.stderr], [], [], 1.0)
        if ready:
            said += os.read(proc.stderr.fileno(), 4096)
        if words in said:
            return True
    return False


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGSTOP])  # SIGSTOP: frozen, not dead
def test_a_worker_stopped_mid_job_loses_it_and_the_result_is_written_once(
    db_url: str, tmp_path: Path, clip: Path, stop: signal.Signals
) -> None:
    if stop == signal.SIGSTOP and db_url.startswith("sqlite"):
        pytest.skip("a frozen process may hold SQLite's one write lock: every runner then waits")
    data_dir = tmp_path / "web"
    (data_dir / "uploads").mkdir(parents=True)
    upload = Path(shutil.copy(clip, data_dir / "uploads" / "set.mp4"))
    with Store.open(db_url) as store:
        (job_id,) = _queue(store, 1, upload)
    slow = _worker(db_url, data_dir, delay_s=0.2)
    fast = None
    try:
        posing = _poll(db_url, job_id, lambda r: r.stage == "posing" and r.done > 0)
        assert posing.claimed_by is not None and posing.claimed_by.endswith(f"/{slow.pid}")
        slow.send_signal(stop)
        fast = _worker(db_url, data_dir, delay_s=0.0)
        done = _poll(db_url, job_id, lambda r: r.status == JobStatus.DONE.value)
        assert done.claimed_by is not None and done.claimed_by.endswith(f"/{fast.pid}")
        assert (done.attempts, done.report["rep_count"]) == (2, REPS)  # type: ignore[index]
        assert not upload.exists()
        if stop == signal.SIGSTOP:  # the frozen worker wakes up: it must write nothing
            slow.send_signal(signal.SIGCONT)
            assert _says(slow, b"taken over by another runner")
            slow.send_signal(signal.SIGTERM)
            assert slow.wait(timeout=60) == 0
            after = _row(db_url, job_id)
            assert (after.finished_at, after.report, after.attempts) == (
                done.finished_at,
                done.report,
                2,
            )
    finally:
        for proc in (slow, fast):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.kill()
                proc.wait()


@pytest.mark.parametrize("accept", [JSON, {"accept": "text/html"}])
def test_a_full_queue_answers_busy_try_again(
    tmp_path: Path, series: PoseSeries, clip: Path, accept: dict[str, str]
) -> None:
    settings = make_settings(tmp_path, series, run_jobs=False, max_queued_jobs=2)
    with TestClient(create_app(settings)) as client:
        for i in range(3):
            files = {"video": ("set.mp4", clip.read_bytes(), "video/mp4")}
            form = {"token": f"t{i}"}
            got = client.post(
                "/upload", files=files, data=form, headers=accept, follow_redirects=False
            )
            if i < 2:
                assert got.status_code in (201, 303), got.text
        assert got.status_code == 503
        assert got.headers["retry-after"].isdigit()
        assert "busy" in got.text and "try again" in got.text
        assert len(list(settings.uploads_dir.iterdir())) == 2  # the refused one was not kept


def test_web_processes_only_queue_and_a_separate_runner_works_them_all(
    db_url: str, tmp_path: Path, series: PoseSeries, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `serve --no-workers` apps on one database: each sees the other's jobs, neither runs
    them; a worker's runner (no recovery) does, each once."""
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    settings = make_settings(tmp_path, series, db_url=db_url, queue_only=True)
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        ids = []
        for client, token in ((a, "a1"), (b, "b1"), (a, "a2")):
            files = {"video": ("set.mp4", clip.read_bytes(), "video/mp4")}
            got = client.post("/upload", files=files, data={"token": token}, headers=JSON)
            ids.append(got.json()["job"])
        assert [b.get(f"/jobs/{i}.json").json()["status"] for i in ids] == ["queued"] * 3
        with Store.open(db_url) as store:
            worker = JobRunner(store, replace(settings, queue_only=False), recover=False)
            worker.start()
            worker.join()
            worker.shutdown()
        jobs = [a.get(f"/jobs/{i}.json").json() for i in ids]
        assert [(j["status"], j["report"]["rep_count"]) for j in jobs] == [("done", REPS)] * 3
        assert {_row(db_url, i).attempts for i in ids} == {1}
