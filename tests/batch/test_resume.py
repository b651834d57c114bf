"""A batch killed with SIGKILL and started again: nothing done is redone, the rest is finished,
and the results are the bytes a batch that was never killed writes.

The batch runs in a subprocess (``batch_driver.py``) over tiny videos with a gated replay backend
and one worker: the first video goes through, the second waits at the gate, so the kill lands
at a known point with no timing involved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pushup_coach.batch import ItemState, Manifest
from pushup_coach.pose import save_landmarks
from pushup_coach.types import PoseSeries

DRIVER = Path(__file__).with_name("batch_driver.py")
KEYS = ["clip1.mp4", "clip2.mp4", "clip3.mp4"]
WAIT_S = 60.0  # bound on every wait below; none is expected to come close


def driver(video_dir: Path, out: Path, series: Path, state: Path) -> list[str]:
    return [sys.executable, str(DRIVER), str(video_dir), str(out), str(series), "gated", str(state)]


def done_keys(out: Path) -> set[str]:
    if not (out / "batch-manifest.sqlite").exists():
        return set()
    with Manifest.open(out) as manifest:
        return {k for k, r in manifest.records().items() if r.state is ItemState.DONE}


def wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {WAIT_S:.0f} s waiting for {what}")
        time.sleep(0.05)


def results(out: Path) -> dict[str, bytes]:
    """The reports in ``out`` (not the landmark cache) by name."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".json", ".html") and p.parent.name != "landmark-cache"
    }


@pytest.fixture
def series_file(tmp_path: Path, replay_series: PoseSeries) -> Path:
    path = tmp_path / "series.npz"
    save_landmarks(replay_series, path)
    return path


def test_killed_batch_resumes_without_redoing_anything(
    video_dir: Path, series_file: Path, tmp_path: Path
) -> None:
    clean_gate, gate = tmp_path / "clean-gate", tmp_path / "gate"
    for folder in (clean_gate, gate):
        folder.mkdir()
    (clean_gate / "open").touch()
    clean = tmp_path / "clean"
    subprocess.run(driver(video_dir, clean, series_file, clean_gate), check=True, timeout=WAIT_S)

    out = tmp_path / "out"
    batch = subprocess.Popen(driver(video_dir, out, series_file, gate))
    try:
        wait_until(lambda: done_keys(out), "the first video to be done")
        os.kill(batch.pid, signal.SIGKILL)
    finally:
        batch.kill()
        batch.wait(timeout=WAIT_S)
    assert done_keys(out) == {"clip1.mp4"}  # the second waits at the gate
    (gate / "open").touch()
    subprocess.run(driver(video_dir, out, series_file, gate), check=True, timeout=WAIT_S)

    with Manifest.open(out) as manifest:
        records = manifest.records()
    assert {k: (r.state, r.analyses) for k, r in records.items()} == dict.fromkeys(
        KEYS, (ItemState.DONE, 1)
    )
    # clip1 was done before the kill and never handed out again; clip2 was in flight
    assert {k: r.attempts for k, r in records.items()} == {
        "clip1.mp4": 1,
        "clip2.mp4": 2,
        "clip3.mp4": 1,
    }
    assert results(out) == results(clean)
    assert len(results(out)) == 2 * len(KEYS)
    assert not list(out.rglob("*.partial"))
