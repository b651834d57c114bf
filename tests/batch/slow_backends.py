"""Replay backends that let a test stop a batch at a known point (importable by batch workers).

Each keeps its state in files, since every pose process builds its own backend.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from pushup_coach.pose import ReplayBackend
from pushup_coach.types import PoseSeries

HOLD_S = 120.0  # the longest a backend waits; the tests kill it, or open the gate, well before


class GatedReplay(ReplayBackend):
    """The first backend built goes straight on; every later one waits until ``gate/open``
    exists. With one worker, a batch finishes its first video and then hangs in the second."""

    def __init__(self, series: PoseSeries, gate: Path) -> None:
        super().__init__(series)
        first = gate / "first-passed"
        if first.exists():
            _wait_for(gate / "open")
        else:
            first.touch()


class PidOnceReplay(ReplayBackend):
    """The first backend built writes its process id to ``marker_dir/pid`` and hangs (to be
    killed); every later one (the retry) replays at once."""

    def __init__(self, series: PoseSeries, marker_dir: Path) -> None:
        super().__init__(series)
        marker = marker_dir / "pid"
        if marker.exists():
            return
        partial = marker.with_suffix(".partial")
        partial.write_text(str(os.getpid()))
        os.replace(partial, marker)
        _wait_for(marker_dir / "never")


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + HOLD_S
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


class RefusingBackend:
    """A pose backend that cannot be built: a batch using it must not need to pose."""

    name = "replay"

    def __init__(self) -> None:
        from pushup_coach.errors import PoseBackendError

        raise PoseBackendError("this test's backend refuses to pose")
