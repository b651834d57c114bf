"""Run a batch over videos with a replay backend, as `pushup-coach batch` would (for kill tests).

usage: python batch_driver.py SOURCE OUT SERIES.npz {gated,pid} STATE_DIR [RAY_ADDRESS]
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import slow_backends

from pushup_coach.batch import BatchOptions, LocalExecutor, RayExecutor, find_inputs, open_batch
from pushup_coach.pose import read_landmarks


def main(source: str, out: str, series_npz: str, kind: str, state: str, *ray: str) -> int:
    series = read_landmarks(series_npz).series
    backend = slow_backends.GatedReplay if kind == "gated" else slow_backends.PidOnceReplay
    factory = functools.partial(backend, series, Path(state))
    options = BatchOptions(Path(out), backend_factory=factory)
    if ray:
        import ray as ray_module

        # Ray workers cannot import the tests' folder: send the backend's code with the task.
        ray_module.cloudpickle.register_pickle_by_value(slow_backends)
    with open_batch(find_inputs(source, Path(out)), options) as batch:
        summary = batch.run(lambda: RayExecutor(ray[0]) if ray else LocalExecutor(1))
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
