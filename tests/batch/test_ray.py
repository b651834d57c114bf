"""`batch --ray` against the real one-node Ray head that scripts/services/ray.sh starts.

Skipped, saying so, where PUSHUP_COACH_TEST_RAY is unset. The Ray runs go through a subprocess,
as a person would run them, so this test process never joins the cluster.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from test_resume import DRIVER, WAIT_S, results, wait_until

from pushup_coach.batch import ItemState, Manifest
from pushup_coach.pose import save_landmarks
from pushup_coach.types import PoseSeries


def batch(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pushup_coach", "batch", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=WAIT_S)


def test_ray_writes_what_local_processes_write(
    ray_address: str, landmark_dir: Path, tmp_path: Path
) -> None:
    (landmark_dir / "broken.csv").write_text("t_s\n1,2\n")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert batch(str(landmark_dir), "--out", str(local), "--workers", "1").returncode == 1
    done = batch(str(landmark_dir), "--out", str(on_ray), "--ray", ray_address)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith("error: 1 of 4 files failed")
    assert results(on_ray) == results(local)
    assert len(results(on_ray)) == 6
    with Manifest.open(local) as a, Manifest.open(on_ray) as b:
        assert {k: (r.state, r.reason, r.attempts) for k, r in a.records().items()} == {
            k: (r.state, r.reason, r.attempts) for k, r in b.records().items()
        }


def test_a_killed_ray_worker_is_retried_and_its_result_written_once(
    ray_address: str, video_dir: Path, replay_series: PoseSeries, tmp_path: Path
) -> None:
    series = tmp_path / "series.npz"
    save_landmarks(replay_series, series)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{video_dir / 'clip2.mp4'}\n")
    gate, markers = tmp_path / "gate", tmp_path / "markers"
    for folder in (gate, markers):
        folder.mkdir()
    (gate / "open").touch()
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    common = [sys.executable, str(DRIVER), str(listing)]
    subprocess.run([*common, str(local), str(series), "gated", str(gate)], check=True)

    driver = subprocess.Popen([*common, str(on_ray), str(series), "pid", str(markers), ray_address])
    try:
        wait_until(lambda: (markers / "pid").exists(), "the Ray task to start")
        worker = int((markers / "pid").read_text())
        assert worker != driver.pid
        os.kill(worker, signal.SIGKILL)
        assert driver.wait(timeout=WAIT_S) == 0
    finally:
        driver.kill()
        driver.wait(timeout=WAIT_S)

    with Manifest.open(on_ray) as manifest:
        record = manifest.records()["clip2.mp4"]
    # Ray ran the task again; the driver handed it out once and recorded one result
    assert (record.state, record.attempts, record.analyses) == (ItemState.DONE, 1, 1)
    assert results(on_ray) == results(local)
    assert sorted(results(on_ray)) == ["clip2.mp4.html", "clip2.mp4.json"]
