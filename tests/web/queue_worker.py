"""A ``pushup-coach worker`` process whose analyses replay the synthetic series (optionally
slowly, so a test can kill or pause it mid-job): ``python queue_worker.py DB_URL DATA_DIR LEASE_S
SECONDS_PER_FRAME``."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web_helpers import REPS

from pushup_coach.cli.worker import run_worker
from pushup_coach.pose import ReplayBackend
from pushup_coach.types import FloatArray, Frame, PoseSeries
from pushup_coach.web.settings import WebSettings
from synthetic_pushups import pushup_series


class SlowReplay(ReplayBackend):
    def __init__(self, series: PoseSeries, delay_s: float) -> None:
        super().__init__(series)
        self.delay_s = delay_s

    def estimate(self, frame: Frame) -> FloatArray | None:
        time.sleep(self.delay_s)
        return super().estimate(frame)


if __name__ == "__main__":
    db_url, data_dir, lease_s, delay_s = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:5])
    settings = WebSettings(
        db_url=db_url,
        data_dir=Path(data_dir),
        backend_factory=functools.partial(SlowReplay, pushup_series(reps=REPS), delay_s),
        backend_name="replay",
    )
    run_worker(settings, lease_s)
